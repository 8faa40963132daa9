//! The JSON Lines path in a loop over a file's claims, one core: what
//! BENCHMARKS.md profiles with callgrind ("instructions a claim").
//!
//! The engine runs the code-validity and MCE rule families only, as
//! `bench/compare/mce_native.c` does (its claims: `bash bench/compare/native.sh`
//! writes them to `bench/compare/work/claims200k.jsonl`).
//!
//! ```sh
//! cargo run --release --example jsonl_loop -- CLAIMS.jsonl [CLAIMS_USED [ROUNDS]]
//! # instructions a claim: (3 rounds - 1 round) / (2 x claims)
//! head -2000 bench/compare/work/claims200k.jsonl > /tmp/c2k.jsonl
//! valgrind --tool=callgrind target/release/examples/jsonl_loop /tmp/c2k.jsonl 2000 3
//! ```

use medcode::rules::Engine;
use std::time::Instant;

/// The rule families `mce_native.c` leaves out (it compares with the MCE).
const CONFIG: &str = r#"{"disabled":["excludes1-conflict","code-first-sequence","duplicate-diagnosis",
"too-many-diagnoses","invalid-poa","dx-pointer-invalid","primary-pointer-invalid","units-invalid",
"modifier-invalid","too-many-modifiers","modifier-conflict","laterality-mismatch","duplicate-line",
"service-date-invalid","em-with-procedure-missing-25","ncci-ptp","mue-exceeded","addon-without-primary",
"drg-ungroupable","hospital-acquired-condition","cc-excluded-by-principal"]}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: jsonl_loop CLAIMS.jsonl [CLAIMS_USED [ROUNDS]]")?;
    let text = std::fs::read_to_string(path)?;
    let used: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(20_000);
    let rounds: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(5);
    let lines: Vec<&str> = text.lines().take(used).collect();
    let engine = Engine::from_config_json(CONFIG)?;
    let mut bytes = 0usize;
    for round in 1..=rounds {
        let start = Instant::now();
        for line in &lines {
            bytes += engine.check_jsonl_line(line).len();
        }
        let per_claim = start.elapsed().as_secs_f64() * 1e6 / lines.len().max(1) as f64;
        eprintln!("round {round}: {per_claim:.3} µs a claim");
    }
    println!("{} claims, {bytes} output bytes", lines.len() * rounds);
    Ok(())
}
