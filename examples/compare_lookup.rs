//! The Rust side of `bench/compare/` (see bench/compare/README.md): the same
//! query files through medcode (`IcdCm::parse` + `valid_on`) and through a
//! `HashMap<String, u32>` built at start-up from the code list.
//!
//! ```text
//! compare_lookup bench CODES QUERIES_RANDOM QUERIES_HOT ROUNDS YYYYMMDD   # JSON lines of timings
//! compare_lookup first CODE YYYYMMDD                                      # one medcode answer
//! compare_lookup first-hashmap CODES CODE                                 # build the map, one answer
//! ```
//! CODES: one code per line (the `export` output's first column); QUERIES_*:
//! one code per line, in the order to look them up.
use medcode::{Date, IcdCm};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

fn read_lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::to_owned)
        .collect()
}

fn build_map(codes: &[String]) -> HashMap<String, u32> {
    codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), i as u32))
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Median nanoseconds per lookup over `rounds` passes, and the hit count.
fn time(rounds: usize, queries: &[String], mut f: impl FnMut(&str) -> bool) -> (f64, usize) {
    let mut per = Vec::new();
    let mut hits = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        hits = queries.iter().filter(|q| f(black_box(q))).count();
        per.push(t.elapsed().as_nanos() as f64 / queries.len() as f64);
    }
    (median(per), hits)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("first") => {
            let date = Date::from_yyyymmdd(args[2].parse().unwrap()).unwrap();
            let valid = IcdCm::parse(&args[1]).is_ok_and(|c| c.valid_on(date));
            println!("{valid}");
        }
        Some("first-hashmap") => {
            let map = build_map(&read_lines(&args[1]));
            println!("{}", map.contains_key(args[2].as_str()));
        }
        Some("bench") => {
            let codes = read_lines(&args[1]);
            let sets = [
                ("random", read_lines(&args[2])),
                ("hot", read_lines(&args[3])),
            ];
            let rounds: usize = args[4].parse().unwrap();
            let date = Date::from_yyyymmdd(args[5].parse().unwrap()).unwrap();
            let map = build_map(&codes);
            for (set, queries) in &sets {
                let (ns, hits) = time(rounds, queries, |q| {
                    IcdCm::parse(q).is_ok_and(|c| c.valid_on(date))
                });
                println!(r#"{{"tool":"medcode (Rust)","set":"{set}","ns":{ns:.2},"hits":{hits}}}"#);
                let (ns, hits) = time(rounds, queries, |q| map.contains_key(q));
                println!(
                    r#"{{"tool":"Rust HashMap<String,_>","set":"{set}","ns":{ns:.2},"hits":{hits}}}"#
                );
            }
        }
        _ => {
            eprintln!("usage: compare_lookup bench|first|first-hashmap … (see the source)");
            std::process::exit(2);
        }
    }
}
