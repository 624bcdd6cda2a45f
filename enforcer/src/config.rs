//! Every setting of an enforcer, from flags or the environment. `.env.example` documents them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::fmt;
use std::net::SocketAddr;
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(name = "warden-enforcer", version, about = "Warden enforcer")]
pub struct Cli {
    #[command(flatten)]
    pub log: LogConfig,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Join the fleet over NATS and serve health and metrics.
    Serve(Config),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct LogConfig {
    /// Log format: human-readable text, or one JSON object per line.
    #[arg(
        long,
        env = "WARDEN_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// Log filter in `tracing` syntax.
    #[arg(long, env = "RUST_LOG", default_value = "info", global = true)]
    pub log_filter: String,
}

/// A value that must never reach a log line.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// NATS URL, e.g. `nats://127.0.0.1:4222`. May hold credentials, so it is never logged.
    #[arg(long, env = "NATS_URL")]
    pub nats_url: Secret,
    /// This enforcer's id. Default: a new random id at every start (enforcers are stateless).
    #[arg(long, env = "WARDEN_ENFORCER_ID")]
    pub enforcer_id: Option<Uuid>,
    /// Address of the health and metrics listener.
    #[arg(long, env = "WARDEN_ENFORCER_LISTEN", default_value = "127.0.0.1:8081")]
    pub listen: SocketAddr,
    /// Address of the agent-facing mTLS listener. Agents must present an SVID; revoked ones are
    /// refused as soon as the control plane's CRL arrives over NATS.
    #[arg(
        long,
        env = "WARDEN_ENFORCER_AGENT_LISTEN",
        default_value = "127.0.0.1:8444"
    )]
    pub agent_listen: SocketAddr,
    /// SPIFFE trust domain whose agents this enforcer serves (the control plane's).
    #[arg(long, env = "WARDEN_TRUST_DOMAIN", default_value = "warden.local")]
    pub trust_domain: String,
    /// Names in the listener's certificate (DNS names or IP addresses agents connect to).
    #[arg(
        long,
        env = "WARDEN_ENFORCER_TLS_NAMES",
        value_delimiter = ',',
        default_value = "localhost,127.0.0.1"
    )]
    pub agent_tls_names: Vec<String>,
    /// Seconds between heartbeats (1–60).
    #[arg(long, env = "WARDEN_HEARTBEAT_SECS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub heartbeat_secs: u32,
}
