//! Claims per second on this machine, one core: the typed `Engine::check`
//! and the JSON Lines path (`check_jsonl_line`: parse, check, serialise),
//! on the typical claims of `examples/typical_claims.jsonl` (5 diagnoses,
//! 3 lines; MCE + conventions + line rules, no edit tables).
//!
//! ```sh
//! cargo run --release --example throughput            # 7 loops of 200,000 checks
//! cargo run --release --example throughput -- 5 50000 # loops, checks a loop
//! ```
//!
//! Each loop times a fixed number of checks; the best loop is reported, as
//! it is the least disturbed by other work on a shared machine (criterion's
//! medians, `cargo bench --bench check`, move with the machine's load).

use medcode::claim::Claim;
use medcode::rules::Engine;
use std::hint::black_box;
use std::time::Instant;

const TYPICAL: &str = include_str!("typical_claims.jsonl");

/// The best mean time of one call, in nanoseconds, over `loops` loops of `n` calls.
fn best_ns(loops: usize, n: usize, mut f: impl FnMut()) -> f64 {
    (0..loops)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                f();
            }
            start.elapsed().as_secs_f64() * 1e9 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let loops: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(7);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200_000);
    let engine = Engine::builder()
        .build()
        .expect("the default engine builds");
    println!("best of {loops} loops of {n} checks, one core");
    println!("{:<14} {:>22} {:>22}", "claim", "typed", "JSON Lines");
    for (name, json) in ["professional", "institutional"]
        .into_iter()
        .zip(TYPICAL.lines())
    {
        let claim: Claim = serde_json::from_str(json).expect("typical claims parse");
        let typed = best_ns(loops, n, || {
            black_box(engine.check(black_box(&claim)));
        });
        let jsonl = best_ns(loops, n, || {
            black_box(engine.check_jsonl_line(black_box(json)));
        });
        let show = |ns: f64| format!("{ns:.0} ns ({:.0}/s)", 1e9 / ns);
        println!("{name:<14} {:>22} {:>22}", show(typed), show(jsonl));
    }
}
