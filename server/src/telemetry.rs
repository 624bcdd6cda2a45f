//! Logs (`tracing`, text or JSON) and Prometheus metrics.

use crate::config::LogConfig;
use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Handle for rendering `/metrics`.
#[derive(Clone)]
pub struct Telemetry {
    pub metrics: PrometheusHandle,
}

pub fn init(config: &LogConfig) -> anyhow::Result<Telemetry> {
    warden_common::runtime::init_logging(config)?;

    let metrics = PrometheusBuilder::new()
        .set_buckets(&[
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
        ])
        .context("invalid histogram buckets")?
        .install_recorder()
        .context("cannot install the metrics recorder")?;
    Ok(Telemetry { metrics })
}
