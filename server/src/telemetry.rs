//! Logs (`tracing`, text or JSON) and Prometheus metrics.

use crate::config::{LogConfig, LogFormat};
use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

/// Handle for rendering `/metrics`.
#[derive(Clone)]
pub struct Telemetry {
    pub metrics: PrometheusHandle,
}

pub fn init(config: &LogConfig) -> anyhow::Result<Telemetry> {
    let filter = EnvFilter::try_new(&config.log_filter).context("invalid RUST_LOG filter")?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    }
    .map_err(|error| anyhow::anyhow!(error))
    .context("cannot install the log subscriber")?;

    let metrics = PrometheusBuilder::new()
        .set_buckets(&[
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
        ])
        .context("invalid histogram buckets")?
        .install_recorder()
        .context("cannot install the metrics recorder")?;
    Ok(Telemetry { metrics })
}
