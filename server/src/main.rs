//! `warden`: the Warden control plane.
#![forbid(unsafe_code)]

use clap::Parser;
use std::process::ExitCode;
use warden_server::config::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let telemetry = match warden_server::telemetry::init(&cli.log) {
        Ok(telemetry) => telemetry,
        Err(error) => {
            eprintln!("warden: cannot start logging: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match cli.command {
        Command::Serve(config) => warden_server::serve(config, telemetry).await,
        Command::Migrate(database) => warden_server::db::migrate_only(&database).await,
        Command::BootstrapAdmin(args) => warden_server::accounts::bootstrap::run(args).await,
        Command::ResetPassword(args) => {
            warden_server::accounts::bootstrap::reset_password(args).await
        }
        Command::Audit(command) => warden_server::audit::cli::run(command).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "warden stopped with an error");
            eprintln!("warden: {error:#}");
            ExitCode::FAILURE
        }
    }
}
