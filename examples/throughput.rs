//! Claims per second on this machine, one core: the typed `Engine::check`
//! and the JSON Lines path (`check_jsonl_line`: parse, check, serialise),
//! on the typical claims of `examples/typical_claims.jsonl` (5 diagnoses,
//! 3 lines; MCE + conventions + line rules, no edit tables).
//!
//! ```sh
//! cargo run --release --example throughput             # 40 loops of 25,000 checks
//! cargo run --release --example throughput -- 10 5000  # loops, checks a loop
//! ```
//!
//! Each loop times a fixed number of checks of each kind in turn; the median
//! loop and the best loop of each kind are reported. Taking turns keeps a
//! slow spell of a shared machine from falling on one measurement only
//! (criterion, `cargo bench --bench check`, measures one after the other,
//! and its medians move with the machine's load).

use medcode::claim::Claim;
use medcode::rules::Engine;
use std::hint::black_box;
use std::time::Instant;

const TYPICAL: &str = include_str!("typical_claims.jsonl");

/// The mean time of one call, in nanoseconds, over `n` calls.
fn mean_ns(n: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / n as f64
}

fn main() {
    let mut args = std::env::args().skip(1);
    let loops: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(40);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(25_000);
    let engine = Engine::builder()
        .build()
        .expect("the default engine builds");
    let claims: Vec<(&str, Claim)> = TYPICAL
        .lines()
        .map(|json| {
            (
                json,
                serde_json::from_str(json).expect("typical claims parse"),
            )
        })
        .collect();
    // times[claim][0 typed, 1 JSON Lines]: the mean of each loop. The
    // measurements take turns, so a slow spell of the machine spreads over
    // all of them.
    let mut times = vec![[Vec::new(), Vec::new()]; claims.len()];
    for _ in 0..loops {
        for ((json, claim), times) in claims.iter().zip(&mut times) {
            times[0].push(mean_ns(n, || {
                black_box(engine.check(black_box(claim)));
            }));
            times[1].push(mean_ns(n, || {
                black_box(engine.check_jsonl_line(black_box(json)));
            }));
        }
    }
    println!("{loops} loops of {n} checks, one core: median loop (best loop)");
    println!("{:<14} {:>30} {:>30}", "claim", "typed", "JSON Lines");
    let show = |loops: &mut Vec<f64>| {
        loops.sort_by(f64::total_cmp);
        let (median, best) = (loops[loops.len() / 2], loops[0]);
        format!("{median:.0} ns, {:.0}/s ({best:.0} ns)", 1e9 / median)
    };
    for (name, times) in ["professional", "institutional"].iter().zip(&mut times) {
        let [typed, jsonl] = times;
        println!("{name:<14} {:>30} {:>30}", show(typed), show(jsonl));
    }
}
