//! Runs the evaluation on the checked-in corpora and fails on a quality regression.
use warden_detect::{Engine, eval};

fn corpus(name: &str) -> String {
    let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn injection_quality_floors() {
    let report = eval::evaluate(
        &Engine::new(),
        &corpus("pii.jsonl"),
        &corpus("injection.jsonl"),
    )
    .expect("corpora parse");
    eprintln!("{report}");
    let inj = &report.injection;
    assert!(report.injection_texts >= 300, "corpus too small");
    assert!(
        inj.precision >= 0.9,
        "injection precision {:.3}",
        inj.precision
    );
    assert!(inj.recall >= 0.85, "injection recall {:.3}", inj.recall);
    for (kind, row) in &inj.kinds {
        if row.label == "benign" {
            assert!(
                row.rate <= 0.1,
                "{kind} false-positive rate {:.3}",
                row.rate
            );
        } else {
            assert!(row.rate >= 0.7, "{kind} recall {:.3}", row.rate);
        }
    }
    let json = serde_json::to_string(&report).expect("serialises");
    assert!(json.contains("\"injection\""));
}
