//! Claim checking throughput: the typed in-memory path (MCE + conventions +
//! line rules, no edit tables) and the JSON Lines path, on a typical claim
//! (5 diagnoses, 3 lines).
//!
//! ```sh
//! cargo bench --bench check
//! ```

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use medcode::claim::Claim;
use medcode::rules::Engine;

const PROFESSIONAL: &str = r#"{"id":"CLM-1","type":"professional","patient":{"sex":"F","age":67},"service_date":"2025-11-03","diagnoses":[{"code":"E11.9"},{"code":"I10"},{"code":"M17.11"},{"code":"E78.5"},{"code":"N18.30"}],"lines":[{"code":"99214","modifiers":["25"],"units":1,"dx_pointers":[1,2],"charge":180.0},{"code":"20610","modifiers":["RT"],"units":1,"dx_pointers":[3],"charge":95.0},{"code":"82947","units":1,"dx_pointers":[1],"charge":12.5}]}"#;

const INSTITUTIONAL: &str = r#"{"id":"CLM-2","type":"institutional","patient":{"sex":"M","age":72},"admission_date":"2025-11-01","discharge_date":"2025-11-04","service_date":"2025-11-04","discharge_status":"01","diagnoses":[{"code":"M17.12","poa":"Y"},{"code":"I10","poa":"Y"},{"code":"E11.9","poa":"Y"},{"code":"N18.30","poa":"Y"},{"code":"E78.5","poa":"Y"}],"procedures":[{"code":"0SRD0JZ","date":"2025-11-01"}],"lines":[{"code":"27447","modifiers":["LT"],"units":1},{"code":"36415","units":1},{"code":"85025","units":1}]}"#;

fn bench(c: &mut Criterion) {
    let engine = Engine::builder().build().unwrap();
    for (name, json) in [
        ("professional", PROFESSIONAL),
        ("institutional", INSTITUTIONAL),
    ] {
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
