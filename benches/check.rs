//! Claim checking throughput: the typed in-memory path (MCE + conventions +
//! line rules, no edit tables), the JSON Lines path, and their parts, on
//! the typical claims of `examples/typical_claims.jsonl` (5 diagnoses,
//! 3 lines; professional then institutional).
//!
//! ```sh
//! cargo bench --bench check
//! ```

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use medcode::claim::Claim;
use medcode::rules::Engine;

const TYPICAL: &str = include_str!("../examples/typical_claims.jsonl");

fn bench(c: &mut Criterion) {
    let engine = Engine::builder().build().unwrap();
    for (name, json) in ["professional", "institutional"]
        .into_iter()
        .zip(TYPICAL.lines())
    {
        let claim: Claim = serde_json::from_str(json).unwrap();
        let mut g = c.benchmark_group(format!("check/{name}"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("typed", |b| b.iter(|| engine.check(black_box(&claim))));
        g.bench_function("prepare_only", |b| {
            b.iter(|| engine.prepare(black_box(&claim)).lines.len())
        });
        g.bench_function("jsonl", |b| {
            b.iter(|| engine.check_jsonl_line(black_box(json)))
        });
        g.bench_function("parse_only", |b| {
            b.iter(|| serde_json::from_str::<Claim>(black_box(json)).unwrap())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
