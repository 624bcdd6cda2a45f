//! `warden-enforcer scan`: JSON Lines in, one JSON line out per input, with exactly the engine
//! the proxy uses. Offsets count Unicode scalar values, end exclusive.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::io::{BufRead, Write};
use std::time::Instant;
use warden_detect::mask::{self, Action, ActionTable, Placeholders};
use warden_detect::{Direction, Engine, EntityType};

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Which rules to apply: those for what agents send (`request`) or what comes back
    /// (`response`).
    #[arg(long, default_value = "request")]
    pub direction: Direction,
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: Value,
    text: String,
}

/// Masks every finding: `masked` shows what the proxy sends when policy masks everything.
fn mask_all() -> ActionTable {
    EntityType::ALL
        .into_iter()
        .map(|entity| (entity, Action::Mask))
        .collect()
}

/// One output line, fields in the documented order.
#[derive(Serialize)]
pub struct ScanLine {
    pub id: Value,
    pub findings: Vec<FindingOut>,
    pub injection: InjectionOut,
    pub masked: String,
    pub elapsed_us: f64,
}

#[derive(Serialize)]
pub struct FindingOut {
    #[serde(rename = "type")]
    pub entity: &'static str,
    pub start: usize,
    pub end: usize,
    pub score: f64,
}

#[derive(Serialize)]
pub struct InjectionOut {
    pub score: f64,
    pub detected: bool,
    pub reasons: Vec<String>,
}

/// Scans one text: findings, injection, the text with every finding masked, and the time taken.
pub fn scan_one(
    engine: &Engine,
    table: &ActionTable,
    id: Value,
    text: &str,
    direction: Direction,
) -> ScanLine {
    let started = Instant::now();
    let scan = engine.scan(text, direction);
    let masked = mask::apply(text, &scan.findings, table, &mut Placeholders::default());
    let elapsed = started.elapsed();
    let findings = scan
        .findings
        .iter()
        .map(|finding| {
            let (start, end) = warden_detect::char_span(text, finding.start, finding.end);
            FindingOut {
                entity: finding.entity.as_str(),
                start,
                end,
                score: round(finding.score),
            }
        })
        .collect();
    ScanLine {
        id,
        findings,
        injection: InjectionOut {
            score: round(scan.injection.score),
            detected: scan.injection.detected,
            reasons: scan.injection.reasons,
        },
        masked: masked.text,
        elapsed_us: (elapsed.as_nanos() as f64 / 100.0).round() / 10.0,
    }
}

/// Scores as short decimals (`0.99`, not `0.9900000095367432`).
fn round(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}

/// Reads stdin to the end. A line that is not `{"id": …, "text": "…"}` gets an `error` line
/// instead, so output lines always pair with input lines.
pub fn run(args: &ScanArgs) -> anyhow::Result<()> {
    let engine = Engine::new();
    let table = mask_all();
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Line>(&line) {
            Ok(input) => serde_json::to_writer(
                &mut out,
                &scan_one(&engine, &table, input.id, &input.text, args.direction),
            )?,
            Err(problem) => {
                let id = serde_json::from_str::<Value>(&line)
                    .ok()
                    .and_then(|v| v.get("id").cloned())
                    .unwrap_or(Value::Null);
                serde_json::to_writer(
                    &mut out,
                    &json!({ "id": id, "error": format!("expected {{\"id\": …, \"text\": \"…\"}}: {problem}") }),
                )?
            }
        }
        out.write_all(b"\n")?;
        // One line out per line in, as it arrives: callers may pipe interactively.
        out.flush()?;
    }
    out.flush()?;
    Ok(())
}
