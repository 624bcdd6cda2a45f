//! `warden-enforcer eval`: precision and recall of the engine, per PII type and per injection
//! kind, on labelled JSON Lines corpora (the repository's own are in `detect/corpus/`).

use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use warden_detect::Engine;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// PII corpus: `{"id", "text", "entities": [{"type", "start", "end"}]}` per line, offsets in
    /// Unicode scalar values.
    #[arg(long, default_value = "detect/corpus/pii.jsonl")]
    pub pii: PathBuf,
    /// Injection corpus: `{"id", "text", "label": "attack"|"benign", "kind"}` per line.
    #[arg(long, default_value = "detect/corpus/injection.jsonl")]
    pub injection: PathBuf,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &EvalArgs) -> anyhow::Result<()> {
    let pii = std::fs::read_to_string(&args.pii)
        .with_context(|| format!("cannot read {}", args.pii.display()))?;
    let injection = std::fs::read_to_string(&args.injection)
        .with_context(|| format!("cannot read {}", args.injection.display()))?;
    let report = warden_detect::eval::evaluate(&Engine::new(), &pii, &injection)
        .map_err(|problem| anyhow::anyhow!(problem))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{report}")?;
    }
    Ok(())
}
