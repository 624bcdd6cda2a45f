//! Engine benchmarks: all detectors on ~1 KB and ~8 KB texts.
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use warden_detect::{Direction, Engine};

fn engine(c: &mut Criterion) {
    let engine = Engine::new();
    let text = "Contact jane.doe@example.com about the invoice. ".repeat(20);
    c.bench_function("scan_1k", |b| {
        b.iter(|| black_box(engine.scan(black_box(&text), Direction::Request)))
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
