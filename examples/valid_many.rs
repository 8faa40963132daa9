//! Codes per second, one core: `icd10cm::valid_many` (a batch, the table
//! loads of a block of 8 codes overlapped) against the same codes one at a time
//! (`IcdCm::parse` + `valid_on`) and a `HashMap<String, u32>` of the codes
//! (the anchor), on random FY2026 billable codes, the three taking turns.
//!
//! ```sh
//! cargo run --release --example valid_many              # 15 rounds of 1,000,000 codes
//! cargo run --release --example valid_many -- 5 200000  # rounds, codes a round
//! ```
use medcode::{icd10cm, Date, IcdCm};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(15);
    let n: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let date = Date::new(2025, 10, 1).expect("a date");
    let billable: Vec<String> = icd10cm::valid_on(date)
        .map(|i| i.code().to_string())
        .collect();
    let map: HashMap<String, u32> = billable
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), i as u32))
        .collect();
    // SplitMix64, seeded: n codes drawn at random (each its own String).
    let mut state = 14u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let queries: Vec<String> = (0..n)
        .map(|_| billable[(next() % billable.len() as u64) as usize].clone())
        .collect();
    let mut out = vec![false; n];
    let mut times: [Vec<f64>; 3] = Default::default();
    let mut ratios: [Vec<f64>; 2] = Default::default();
    for _ in 0..rounds {
        let t = Instant::now();
        let one = queries
            .iter()
            .filter(|q| IcdCm::parse(black_box(q)).is_ok_and(|c| c.valid_on(date)))
            .count();
        let t_one = t.elapsed().as_secs_f64();
        let t = Instant::now();
        icd10cm::valid_many(black_box(&queries), date, &mut out);
        let many = out.iter().filter(|&&v| v).count();
        let t_many = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let hits = queries
            .iter()
            .filter(|q| map.contains_key(black_box(q.as_str())))
            .count();
        let t_map = t.elapsed().as_secs_f64();
        assert_eq!((one, many, hits), (n, n, n));
        for (v, t) in times.iter_mut().zip([t_one, t_many, t_map]) {
            v.push(t * 1e9 / n as f64);
        }
        ratios[0].push(t_one / t_many);
        ratios[1].push(t_map / t_many);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("{rounds} rounds of {n} random FY2026 billable codes, one core, taking turns: median (best)");
    for (name, v) in [
        "IcdCm::parse + valid_on, one at a time",
        "icd10cm::valid_many",
        "HashMap<String, u32>::contains_key",
    ]
    .iter()
    .zip(&mut times)
    {
        let best = v.iter().copied().fold(f64::INFINITY, f64::min);
        let m = median(v);
        println!(
            "{name:<40} {m:6.2} ns a code ({best:5.2}), {:6.1} M codes/s",
            1e3 / m
        );
    }
    println!(
        "valid_many: {:.2}× one at a time, {:.2}× the HashMap (medians of the per-round ratios)",
        median(&mut ratios[0]),
        median(&mut ratios[1])
    );
}
