use warden_detect::injection::Detector;
#[test]
#[ignore]
fn probe() {
    let d = Detector::new();
    let path = std::env::var("CORPUS").unwrap_or(format!(
        "{}/corpus/injection.jsonl",
        env!("CARGO_MANIFEST_DIR")
    ));
    let corpus = std::fs::read_to_string(path).unwrap();
    let only: Vec<String> = std::env::var("IDS")
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    for line in corpus.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap();
        let text = v["text"].as_str().unwrap();
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
    for t in std::env::var("TEXTS")
        .unwrap_or_default()
        .split("||")
        .filter(|t| !t.is_empty())
    {
        let r = d.score(t);
        eprintln!("TEXT score={} {:?}\n   {}", r.score, r.reasons, t);
    }
}
