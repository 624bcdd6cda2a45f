//! Runs every `test_` rule in `policies/**/*.rego` with regorus; this is how the project's test
//! command runs the Rego library's tests.

use std::path::{Path, PathBuf};
use warden_policy::{Module, run_rego_tests};

fn rego_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rego_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rego") {
            out.push(path);
        }
    }
}

#[test]
fn every_rego_test_rule_in_policies_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    let mut files = Vec::new();
    rego_files(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .rego files under {}", root.display());
    let modules: Vec<Module> = files
        .iter()
        .map(|f| {
            let rego = std::fs::read_to_string(f).expect("readable .rego file");
            let path = f.strip_prefix(&root).unwrap_or(f).display().to_string();
            Module::new(path, rego)
        })
        .collect();
    let outcomes = run_rego_tests(&modules, &serde_json::Value::Null)
        .unwrap_or_else(|e| panic!("policies/ does not compile: {e}"));
    assert!(
        outcomes.len() >= 20,
        "expected the library's test_ rules, found {}",
        outcomes.len()
    );
    let failing: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| match &o.error {
            Some(e) => format!("{} (error: {e})", o.name),
            None => o.name.clone(),
        })
        .collect();
    assert!(
        failing.is_empty(),
        "{} of {} Rego tests failed:\n  {}",
        failing.len(),
        outcomes.len(),
        failing.join("\n  ")
    );
}
