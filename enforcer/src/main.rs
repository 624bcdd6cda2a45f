//! `warden-enforcer`: one stateless member of the enforcement fleet.
#![forbid(unsafe_code)]

use clap::Parser;
use std::process::ExitCode;
use warden_enforcer::config::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let metrics = match warden_enforcer::telemetry::init(&cli.log) {
        Ok(metrics) => metrics,
        Err(error) => {
            eprintln!("warden-enforcer: cannot start logging: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match cli.command {
        Command::Serve(config) => warden_enforcer::serve(config, metrics).await,
        Command::Scan(args) => warden_enforcer::cli::scan::run(&args),
        Command::Bench(args) => warden_enforcer::cli::bench::run(args).await,
        Command::Eval(args) => warden_enforcer::cli::eval::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "warden-enforcer stopped with an error"
            );
            eprintln!("warden-enforcer: {error:#}");
            ExitCode::FAILURE
        }
    }
}
