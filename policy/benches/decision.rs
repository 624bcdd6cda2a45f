//! One decision on the base library with twenty grants (issue 4's goal: p99 under 50 µs).
//! Criterion gives the mean/median; the percentile pass after it times single decisions and
//! prints p50/p99; the interpreter group is the tree-walking engine, for comparison.

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use fixtures::*;
use std::time::Instant;
use warden_policy::{PolicyEngine, PolicyInput, compile};

fn inputs() -> Vec<(&'static str, PolicyInput)> {
    let allowed = crm_read_call();
    let mut denied = crm_read_call();
    denied.action.tool = Some("crm.export".into());
    let mut llm = crm_read_call();
    llm.action = warden_policy::ActionInput::new(warden_policy::ActionKind::LlmCall);
    llm.action.model = Some("gpt-4o-mini".into());
    llm.action.destination = Some("api.openai.com".into());
    llm.action.data_classes = vec!["pii".into()];
    vec![
        ("allow_tool_call", allowed),
        ("deny_other_tool", denied),
        ("allow_llm_call", llm),
    ]
}

fn percentiles(engine: &PolicyEngine, name: &str, input: &PolicyInput) {
    let n = 20_000;
    let mut samples: Vec<u128> = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        black_box(engine.evaluate(black_box(input)));
        samples.push(start.elapsed().as_nanos());
    }
    samples.sort_unstable();
    let at = |q: f64| samples[((n as f64 * q) as usize).min(n - 1)] as f64 / 1000.0;
    eprintln!(
        "decision/{name}: p50 {:.1} µs, p99 {:.1} µs, p99.9 {:.1} µs, max {:.1} µs ({n} single decisions)",
        at(0.50),
        at(0.99),
        at(0.999),
        at(1.0)
    );
}

fn bench(c: &mut Criterion) {
    let policy = compile(&twenty_grants(), &[]).expect("compiles");
    let engine = PolicyEngine::new(&policy).expect("engine");
    let mut group = c.benchmark_group("decision");
    for (name, input) in inputs() {
        group.bench_function(name, |b| b.iter(|| engine.evaluate(black_box(&input))));
    }
    group.finish();

    // The tree-walking interpreter the Rego tests run on, for comparison with the VM.
    let mut group = c.benchmark_group("interpreter");
    let input = crm_read_call();
    group.bench_function("allow_tool_call", |b| {
        b.iter(|| engine.evaluate_interpreted(black_box(&input)))
    });
    group.finish();

    for (name, input) in inputs() {
        percentiles(&engine, name, &input);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
