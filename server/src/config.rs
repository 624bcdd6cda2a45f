//! Every setting of the control plane, read from flags or the environment in one place.
//! `.env.example` documents each variable.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
pub use warden_common::runtime::{LogConfig, LogFormat, Secret};

#[derive(Debug, Parser)]
#[command(name = "warden", version, about = "Warden control plane")]
pub struct Cli {
    #[command(flatten)]
    pub log: LogConfig,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the console and the REST API.
    Serve(Box<Config>),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseConfig),
    /// Create the first admin if there are no users; prints the credential once.
    BootstrapAdmin(BootstrapConfig),
    /// Break-glass: set a new random password for a user, end their sessions, print it once.
    ResetPassword(BootstrapConfig),
    /// Export the audit log for auditors, or verify an export offline.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Write events, signed checkpoints, proofs and the public key to a directory (NDJSON).
    Export(AuditExportArgs),
    /// Check an export without trusting the control plane: recompute the Merkle tree, check
    /// every signature and proof, and name the first bad entry. Needs no database.
    Verify(AuditVerifyArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AuditExportArgs {
    #[command(flatten)]
    pub database: DatabaseConfig,
    /// Directory to create; it must not exist or be empty.
    pub dir: PathBuf,
    /// First leaf (event number) to export; 0 when absent.
    #[arg(long)]
    pub from: Option<u64>,
    /// Export events before this leaf; up to the newest checkpoint when absent.
    #[arg(long)]
    pub to: Option<u64>,
}

#[derive(Debug, Clone, Args)]
pub struct AuditVerifyArgs {
    /// The export directory.
    pub dir: PathBuf,
    /// The log's verifier key as you obtained it independently (`<name>+<id>+<key>`). Without
    /// it the key in the export is used, which proves integrity but not who signed.
    #[arg(long, env = "WARDEN_AUDIT_VERIFIER_KEY")]
    pub key: Option<String>,
    /// A signed checkpoint you saw earlier (a file holding the note): the export must extend it.
    #[arg(long)]
    pub trusted_checkpoint: Option<PathBuf>,
}

/// The audit log's settings.
#[derive(Debug, Clone, Args)]
pub struct AuditConfig {
    /// Directory of the audit search index; it is rebuilt from the log when missing.
    #[arg(
        long = "audit-index-dir",
        env = "WARDEN_AUDIT_INDEX_DIR",
        default_value = ".data/audit-index"
    )]
    pub index_dir: PathBuf,
    /// The log's origin (first line of every checkpoint, and the signing key's name);
    /// `<trust domain>/audit` when absent.
    #[arg(long = "audit-origin", env = "WARDEN_AUDIT_ORIGIN")]
    pub origin: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseConfig {
    /// Postgres URL. It may hold a password, so it is never logged.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Secret,
    /// Postgres URL of the role that owns the schema, used only to migrate it. When set, the
    /// control plane runs as DATABASE_URL's role with the least privileges it needs: it can read
    /// and append to the audit log but not alter, drop or disable its guards.
    #[arg(long, env = "WARDEN_DATABASE_OWNER_URL")]
    pub database_owner_url: Option<Secret>,
    /// Most connections the pool opens.
    #[arg(long, env = "WARDEN_DATABASE_MAX_CONNECTIONS", default_value_t = 16)]
    pub database_max_connections: u32,
}

#[derive(Debug, Clone, Args)]
pub struct BootstrapConfig {
    #[command(flatten)]
    pub database: DatabaseConfig,
    /// Username of the first admin (or of the user whose password to reset).
    #[arg(long, env = "WARDEN_BOOTSTRAP_ADMIN", default_value = "admin")]
    pub username: String,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    #[command(flatten)]
    pub database: DatabaseConfig,
    /// NATS URL, e.g. `nats://127.0.0.1:4222`.
    #[arg(long, env = "NATS_URL")]
    pub nats_url: Secret,
    /// Address the console and API listen on.
    #[arg(long, env = "WARDEN_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Directory holding the built console assets (`pkg/` with the wasm bundle and CSS).
    #[arg(long, env = "WARDEN_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Sessions end after this many minutes without a request.
    #[arg(long, env = "WARDEN_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u32,
    /// Sessions end this many hours after sign-in, however active.
    #[arg(long, env = "WARDEN_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u32,
    /// Failed sign-ins allowed per username within the throttle window.
    #[arg(long, env = "WARDEN_LOGIN_MAX_FAILURES_PER_USER", default_value_t = 5)]
    pub login_max_failures_per_user: u32,
    /// Failed sign-ins allowed per client address within the throttle window.
    #[arg(long, env = "WARDEN_LOGIN_MAX_FAILURES_PER_IP", default_value_t = 30)]
    pub login_max_failures_per_ip: u32,
    /// Length of the sign-in throttle window, in minutes.
    #[arg(long, env = "WARDEN_LOGIN_WINDOW_MINUTES", default_value_t = 15)]
    pub login_window_minutes: u32,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "WARDEN_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    #[command(flatten)]
    pub identity: IdentityConfig,
    #[command(flatten)]
    pub audit: AuditConfig,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    #[arg(long, env = "WARDEN_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,
}

/// The agent CA's settings.
#[derive(Debug, Clone, Args)]
pub struct IdentityConfig {
    /// SPIFFE trust domain of agent identities (`spiffe://<trust domain>/agent/<id>`).
    #[arg(long, env = "WARDEN_TRUST_DOMAIN", default_value = "warden.local")]
    pub trust_domain: String,
    /// Key-encryption key for the CA's private keys: 32 bytes, base64. Prefer the file form.
    #[arg(long, env = "WARDEN_CA_KEK", conflicts_with = "ca_kek_file")]
    pub ca_kek: Option<Secret>,
    /// File holding the key-encryption key (32 bytes, base64).
    #[arg(long, env = "WARDEN_CA_KEK_FILE")]
    pub ca_kek_file: Option<PathBuf>,
    /// Address of the agent-facing mTLS listener (certificate renewal). Agents must present an
    /// SVID from this CA; one-way TLS is not offered.
    #[arg(long, env = "WARDEN_AGENT_LISTEN", default_value = "127.0.0.1:8443")]
    pub agent_listen: SocketAddr,
    /// DNS names and IP addresses agents use to reach the mTLS listener (comma-separated).
    #[arg(
        long,
        env = "WARDEN_AGENT_TLS_NAMES",
        value_delimiter = ',',
        default_value = "localhost,127.0.0.1"
    )]
    pub agent_tls_names: Vec<String>,
}
