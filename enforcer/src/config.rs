//! Every setting of an enforcer, from flags or the environment. `.env.example` documents them.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use uuid::Uuid;
pub use warden_common::runtime::{LogConfig, LogFormat, Secret};

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
    /// Join the fleet over NATS, serve the proxy to agents, and health and metrics.
    Serve(Config),
    /// Scan JSON Lines `{"id": …, "text": …}` from stdin with the proxy's engine; one JSON line
    /// out per input.
    Scan(crate::cli::scan::ScanArgs),
    /// Benchmarks: the engine in process, or load against a proxy or the NATS check API.
    Bench(crate::cli::bench::BenchArgs),
    /// Precision and recall per detector type and injection kind on labelled corpora.
    Eval(crate::cli::eval::EvalArgs),
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
    /// Ed25519 public keys (standard base64, comma-separated) that may sign policy bundles; the
    /// control plane shows its key at `GET /api/v1/policy/signing-key`. Without one, every check
    /// is denied.
    #[arg(long, env = "WARDEN_POLICY_KEYS", value_delimiter = ',')]
    pub policy_keys: Vec<String>,
    /// JSON file naming the LLM providers the proxy forwards to, by model (see
    /// `firewall::upstream`). Without it the proxy answers model calls with 503.
    #[arg(long, env = "WARDEN_UPSTREAMS")]
    pub upstreams: Option<std::path::PathBuf>,
    /// Largest request body the proxy accepts from an agent (bytes); larger gets 413.
    #[arg(long, env = "WARDEN_PROXY_MAX_REQUEST_BYTES", default_value_t = 4 << 20)]
    pub max_request_bytes: usize,
    /// Largest complete response read from an upstream (bytes).
    #[arg(long, env = "WARDEN_PROXY_MAX_RESPONSE_BYTES", default_value_t = 16 << 20)]
    pub max_response_bytes: usize,
    /// Seconds an upstream may take to answer, or between two chunks of a stream.
    #[arg(long, env = "WARDEN_UPSTREAM_TIMEOUT_SECS", default_value_t = 300)]
    pub upstream_timeout_secs: u64,
    /// Seconds between heartbeats (1–60).
    #[arg(long, env = "WARDEN_HEARTBEAT_SECS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub heartbeat_secs: u32,
}
