//! `warden-agent`: runs beside an AI agent and keeps its identity current. It enrols once with a
//! join token (the private key is generated here and never leaves the machine), then renews the
//! X.509-SVID over mTLS at half its lifetime, with jitter so a fleet does not renew in lockstep.
#![forbid(unsafe_code)]

mod files;
mod renew;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "warden-agent", version, about = "Warden agent identity helper")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a key, exchange a join token and a CSR for the first SVID, and write the files.
    Enroll(EnrollArgs),
    /// Renew the SVID over mTLS at half-life (with jitter), forever or once.
    Renew(RenewArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KeyType {
    P256,
    Ed25519,
}

#[derive(Debug, Args)]
struct EnrollArgs {
    /// The control plane's URL, e.g. `http://127.0.0.1:8080`.
    #[arg(long, env = "WARDEN_SERVER")]
    server: String,
    /// The single-use join token from the console.
    #[arg(long, env = "WARDEN_JOIN_TOKEN")]
    token: String,
    /// Directory for key.pem (mode 0600), svid.pem and bundle.pem.
    #[arg(long, env = "WARDEN_AGENT_DIR")]
    dir: PathBuf,
    #[arg(long, value_enum, default_value = "p256")]
    key_type: KeyType,
    /// Requested lifetime in hours (at most the agent's configured lifetime).
    #[arg(long)]
    lifetime_hours: Option<u32>,
}

#[derive(Debug, Args)]
struct RenewArgs {
    /// The control plane's agent listener, `host:port` (WARDEN_AGENT_LISTEN there).
    #[arg(long, env = "WARDEN_AGENT_ENDPOINT")]
    endpoint: String,
    /// The name to verify the listener's certificate against (default: the endpoint's host).
    #[arg(long)]
    server_name: Option<String>,
    #[arg(long, env = "WARDEN_AGENT_DIR")]
    dir: PathBuf,
    /// Renew now and exit instead of running the half-life loop.
    #[arg(long)]
    once: bool,
    #[arg(long, value_enum, default_value = "p256")]
    key_type: KeyType,
}

fn new_key(key_type: KeyType) -> anyhow::Result<rcgen::KeyPair> {
    let algorithm = match key_type {
        KeyType::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
        KeyType::Ed25519 => &rcgen::PKCS_ED25519,
    };
    Ok(rcgen::KeyPair::generate_for(algorithm)?)
}

/// A CSR for `key`; the CA decides the certificate's contents, so the request carries none.
fn csr_for(key: &rcgen::KeyPair) -> anyhow::Result<String> {
    Ok(rcgen::CertificateParams::new(Vec::<String>::new())?
        .serialize_request(key)?
        .pem()?)
}

async fn enroll(args: EnrollArgs) -> anyhow::Result<()> {
    let key = new_key(args.key_type)?;
    let mut body = serde_json::json!({ "join_token": args.token, "csr": csr_for(&key)? });
    if let Some(hours) = args.lifetime_hours {
        body["lifetime_hours"] = hours.into();
    }
    let url = format!(
        "{}/api/v1/identity/enroll",
        args.server.trim_end_matches('/')
    );
    let response = reqwest::Client::new()
        .post(&url)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    let status = response.status();
    let reply: serde_json::Value = response
        .json()
        .await
        .context("the control plane's answer is not JSON")?;
    if !status.is_success() {
        anyhow::bail!(
            "enrolment refused ({status}): {}",
            reply["error"]["message"]
                .as_str()
                .unwrap_or("no reason given")
        );
    }
    let svid = files::Svid::from_reply(&reply)?;
    files::store(&args.dir, &key.serialize_pem(), &svid)?;
    report(&format!(
        "enrolled as {} (certificate valid until {})",
        svid.spiffe_id, svid.not_after
    ))?;
    Ok(())
}

/// The command's result for the operator, on standard output.
fn report(line: &str) -> anyhow::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{line}")?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .try_init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Enroll(args) => enroll(args).await,
        Command::Renew(args) => renew::run(args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("warden-agent: {error:#}");
            ExitCode::FAILURE
        }
    }
}
