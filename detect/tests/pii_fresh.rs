//! Per-type precision and recall on a labelled JSONL file named by `PII_FRESH` (same format as
//! `corpus/pii.jsonl`), with every miss printed: for measuring fresh, held-out batches.
//! Run with `PII_FRESH=/path/batch.jsonl cargo test -p warden-detect --test pii_fresh -- --ignored --nocapture`.

use serde::Deserialize;
use std::collections::BTreeMap;
use warden_detect::{Direction, Engine, char_span};

#[derive(Deserialize)]
struct Line {
    id: String,
    text: String,
    entities: Vec<Entity>,
}

#[derive(Deserialize)]
struct Entity {
    #[serde(rename = "type")]
    kind: String,
    start: usize,
    end: usize,
}

#[test]
#[ignore = "needs PII_FRESH=<file>"]
fn fresh_batch_precision_recall() {
    let Ok(path) = std::env::var("PII_FRESH") else {
        return;
    };
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let engine = Engine::new();
    let mut stats: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut n = 0;
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let item: Line = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        n += 1;
        let predicted: Vec<(String, usize, usize)> = engine
            .findings(&item.text, Direction::Request)
            .iter()
            .map(|f| {
                let (s, e) = char_span(&item.text, f.start, f.end);
                (f.entity.as_str().to_string(), s, e)
            })
            .collect();
        let value = |s: usize, e: usize| item.text.chars().skip(s).take(e - s).collect::<String>();
        for g in &item.entities {
            let hit = predicted
                .iter()
                .any(|(t, s, e)| *t == g.kind && *s < g.end && g.start < *e);
            let st = stats.entry(g.kind.clone()).or_default();
            st[3] += 1;
            if hit {
                st[2] += 1;
            } else {
                misses.push(format!(
                    "{} FN {} {:?}",
                    item.id,
                    g.kind,
                    value(g.start, g.end)
                ));
            }
        }
        for (t, s, e) in &predicted {
            let hit = item
                .entities
                .iter()
                .any(|g| g.kind == *t && *s < g.end && g.start < *e);
            let st = stats.entry(t.clone()).or_default();
            st[1] += 1;
            if hit {
                st[0] += 1;
            } else {
                misses.push(format!("{} FP {} {:?}", item.id, t, value(*s, *e)));
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let mut report = format!(
        "\n{n} texts\n{:<16} {:>9} {:>7} {:>6} {:>6}\n",
        "type", "precision", "recall", "pred", "gold"
    );
    for (t, [tp, pred, found, gold]) in &stats {
        report.push_str(&format!(
            "{t:<16} {:>9.3} {:>7.3} {pred:>6} {gold:>6}\n",
            ratio(*tp, *pred),
            ratio(*found, *gold)
        ));
    }
    eprintln!("{report}");
    for m in &misses {
        eprintln!("{m}");
    }
}

/// Writes every finding on the texts of the JSONL files in `PII_DUMP_IN` (`:`-separated), and
/// on pairwise joins of them, to `PII_DUMP_OUT`: for checking that a speed-up changes nothing.
#[test]
#[ignore = "needs PII_DUMP_IN and PII_DUMP_OUT"]
fn dump_findings() {
    let (Ok(inputs), Ok(out)) = (std::env::var("PII_DUMP_IN"), std::env::var("PII_DUMP_OUT"))
    else {
        return;
    };
    let mut texts = Vec::new();
    for path in inputs.split(':') {
        let raw = std::fs::read_to_string(path).unwrap_or_default();
        for line in raw.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                && let Some(t) = v.get("text").and_then(|t| t.as_str())
            {
                texts.push(t.to_string());
            }
        }
    }
    let n = texts.len();
    for i in 0..n {
        let joined = format!("{} {}", texts[i], texts[(i * 7 + 3) % n]);
        texts.push(joined);
    }
    let engine = Engine::new();
    let mut dump = String::new();
    for t in &texts {
        for f in engine.findings(t, Direction::Request) {
            dump.push_str(&format!(
                "{:?} {} {} {}\n",
                f.entity, f.start, f.end, f.score
            ));
        }
        dump.push_str("--\n");
    }
    std::fs::write(out, dump).unwrap_or_else(|e| panic!("{e}"));
}
