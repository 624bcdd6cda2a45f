//! Triage of the injection corpus (ignored by default): prints misclassified texts with their
//! reasons. `CORPUS=path.jsonl` picks another corpus, `IDS="inj-001 inj-002"` selects texts,
//! `EXPLAIN=1` prints every signal with its weight, `TEXTS="a||b"` scores ad-hoc texts:
//! `cargo test -p warden-detect --test injection_triage -- --ignored --nocapture`.
use warden_detect::injection::Detector;
#[test]
#[ignore]
fn triage() {
    let d = Detector::new();
    let path = std::env::var("CORPUS").unwrap_or(format!(
        "{}/corpus/injection.jsonl",
        env!("CARGO_MANIFEST_DIR")
    ));
    let corpus = std::fs::read_to_string(path).expect("probe");
    let only: Vec<String> = std::env::var("IDS")
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    for line in corpus.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("probe");
        let id = v["id"].as_str().expect("probe");
        let text = v["text"].as_str().expect("probe");
        let r = d.score(text);
        let attack = v["label"] == "attack";
        if (only.is_empty() && r.detected != attack) || only.iter().any(|o| o == id) {
            eprintln!(
                "{id} {} score={} {:?}\n   {}",
                v["label"],
                r.score,
                r.reasons,
                text.chars()
                    .take(160)
                    .collect::<String>()
                    .replace('\n', "⏎")
            );
        }
    }
    if std::env::var("EXPLAIN").is_ok() {
        for line in corpus.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("probe");
            if only.iter().any(|o| o == v["id"].as_str().unwrap_or("")) {
                for (w, r) in d.explain(v["text"].as_str().unwrap_or("")) {
                    eprintln!("  {w:.3} {r}");
                }
            }
        }
    }
    for t in std::env::var("TEXTS")
        .unwrap_or_default()
        .split("||")
        .filter(|t| !t.is_empty())
    {
        let r = d.score(t);
        eprintln!("TEXT score={} {:?}\n   {}", r.score, r.reasons, t);
    }
}
