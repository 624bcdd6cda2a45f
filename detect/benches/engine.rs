//! Engine benchmarks: all detectors (and injection scoring) on realistic ~1 KB and ~8 KB texts:
//! mixed prose with a few entities, as a chat request or a model response would carry.
//! Criterion reports means; p99 is not printed.
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use warden_detect::mask::{Action, ActionTable};
use warden_detect::{Direction, Engine, EntityType, Placeholders};

const PROSE: &str = "Thanks for the update on the migration. I went through the logs from last night and \
the failures all come from the same worker, which restarts every few minutes after the cache fills up. \
The fix in the last release did not cover the case where the queue is drained while a batch is still \
being written, so we should add a guard there and a test that reproduces it. ";

const ENTITIES: &[&str] = &[
    "Please loop in Maria Rossi (maria.rossi@example.it) and call her at +44 20 7946 0958. ",
    "The request came from 203.0.113.42 and the dashboard is at https://status.example.com/incidents/42. ",
    "Ship the replacement to 221B Baker Street, London NW1 6XE before Friday. ",
    "Use the staging key AKIAIOSFODNN7EXAMPLE only; the card 4111 1111 1111 1111 was a test. ",
    "Version 2.4.1 shipped on 2024-03-15, order #58213 total $1,249.99, build 20240315.3. ",
];

/// About `size` bytes: prose with one entity sentence after every paragraph.
fn text(size: usize) -> String {
    let mut s = String::with_capacity(size + 512);
    let mut i = 0;
    while s.len() < size {
        s.push_str(PROSE);
        s.push_str(ENTITIES[i % ENTITIES.len()]);
        i += 1;
    }
    s
}

fn engine(c: &mut Criterion) {
    let engine = Engine::new();
    for (name, size) in [("1k", 1024), ("8k", 8192)] {
        let t = text(size);
        c.bench_function(&format!("findings_{name}"), |b| {
            b.iter(|| black_box(engine.findings(black_box(&t), Direction::Request)))
        });
        c.bench_function(&format!("scan_{name}"), |b| {
            b.iter(|| black_box(engine.scan(black_box(&t), Direction::Request)))
        });
    }
    let plain = PROSE.repeat(4);
    c.bench_function("findings_1k_prose_only", |b| {
        b.iter(|| black_box(engine.findings(black_box(&plain), Direction::Response)))
    });
    // A streamed 8 KB response in 8-byte deltas, every type masked.
    let t = text(8192);
    let actions: ActionTable = EntityType::ALL
        .into_iter()
        .map(|e| (e, Action::Mask))
        .collect();
    c.bench_function("stream_8k_in_8b_chunks", |b| {
        b.iter(|| {
            let mut m = engine.stream_masker(
                Direction::Response,
                actions.clone(),
                Placeholders::default(),
            );
            let mut n = 0;
            let bytes = t.as_bytes();
            let mut start = 0;
            while start < bytes.len() {
                let mut end = (start + 8).min(bytes.len());
                while !t.is_char_boundary(end) {
                    end += 1;
                }
                n += m.push(&t[start..end]).emit.len();
                start = end;
            }
            n += m.finish().emit.len();
            black_box(n)
        })
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
