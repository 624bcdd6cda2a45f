//! Per-type precision and recall on the labelled corpus `corpus/pii.jsonl` (offsets in Unicode
//! scalar values, end exclusive). A prediction is correct when its type matches a gold entity's
//! and the spans overlap. Fails if any type drops below the floor, so regressions show up.

use serde::Deserialize;
use std::collections::BTreeMap;
use warden_detect::{Direction, Engine, EntityType, char_span};

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

/// Minimum precision and recall per type.
const FLOOR: f64 = 0.8;

#[test]
fn corpus_precision_recall() {
    let engine = Engine::new();
    let raw = include_str!("../corpus/pii.jsonl");
    // type -> (true positives among predictions, predictions, gold found, gold)
    let mut stats: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut lines = 0;
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let item: Line =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("bad line {line}: {e}"));
        lines += 1;
        let chars = item.text.chars().count();
        let predicted: Vec<(String, usize, usize)> = engine
            .findings(&item.text, Direction::Request)
            .iter()
            .map(|f| {
                let (s, e) = char_span(&item.text, f.start, f.end);
                (f.entity.as_str().to_string(), s, e)
            })
            .collect();
        for g in &item.entities {
            assert!(
                EntityType::parse(&g.kind).is_some(),
                "{}: unknown type {}",
                item.id,
                g.kind
            );
            assert!(g.start < g.end && g.end <= chars, "{}: bad span", item.id);
            let hit = predicted
                .iter()
                .any(|(t, s, e)| *t == g.kind && *s < g.end && g.start < *e);
            let st = stats.entry(g.kind.clone()).or_default();
            st[3] += 1;
            if hit {
                st[2] += 1;
            } else {
                let value: String = item
                    .text
                    .chars()
                    .skip(g.start)
                    .take(g.end - g.start)
                    .collect();
                misses.push(format!("{} FN {} {:?}", item.id, g.kind, value));
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
                let value: String = item.text.chars().skip(*s).take(e - s).collect();
                misses.push(format!("{} FP {} {:?}", item.id, t, value));
            }
        }
    }
    let mut report = format!(
        "\n{lines} lines\n{:<16} {:>9} {:>7} {:>6} {:>6}\n",
        "type", "precision", "recall", "pred", "gold"
    );
    let mut failures = Vec::new();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    for (t, [tp, pred, found, gold]) in &stats {
        let (p, r) = (ratio(*tp, *pred), ratio(*found, *gold));
        report.push_str(&format!("{t:<16} {p:>9.3} {r:>7.3} {pred:>6} {gold:>6}\n"));
        if p < FLOOR || r < FLOOR {
            failures.push(t.clone());
        }
    }
    eprintln!("{report}");
    for m in &misses {
        eprintln!("{m}");
    }
    assert!(lines >= 250, "corpus too small: {lines}");
    assert!(
        failures.is_empty(),
        "below the {FLOOR} floor: {failures:?}{report}"
    );
}
