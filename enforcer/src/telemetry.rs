//! Logs (`tracing`, text or JSON) and the Prometheus recorder.

use crate::config::LogConfig;
use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

pub fn init(config: &LogConfig) -> anyhow::Result<PrometheusHandle> {
    warden_common::runtime::init_logging(config)?;
    PrometheusBuilder::new()
        .install_recorder()
        .context("cannot install the metrics recorder")
}
