//! Logs (`tracing`, text or JSON) and the Prometheus recorder.

use crate::config::{LogConfig, LogFormat};
use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

pub fn init(config: &LogConfig) -> anyhow::Result<PrometheusHandle> {
    let filter = EnvFilter::try_new(&config.log_filter).context("invalid RUST_LOG filter")?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    }
    .map_err(|error| anyhow::anyhow!(error))
    .context("cannot install the log subscriber")?;
    PrometheusBuilder::new()
        .install_recorder()
        .context("cannot install the metrics recorder")
}
