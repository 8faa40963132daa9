//! The outpatient editor's time on each claim of a file, best of three
//! (issue 23: a claim of 450 lines with 100 NCCI pairs stays linear, a
//! claim of 10,000 lines takes milliseconds).
//!
//! ```sh
//! MEDCODE_IOCE_SCALING_DUMP=target/ioce-big.jsonl cargo test --all-features --test suite -- ioce_scaling::
//! cargo run --release --example ioce_lines -- target/ioce-big.jsonl
//! ```
use std::time::Instant;

use medcode::claim::Claim;
use medcode::ioce::Editor;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: ioce_lines CLAIMS.jsonl")?;
    let editor = Editor::new();
    for line in std::fs::read_to_string(path)?.lines() {
        let claim: Claim = serde_json::from_str(line)?;
        // The tables are read on first use: not part of the time.
        editor.edit_claim(&claim);
        let best = (0..3)
            .map(|_| {
                let t = Instant::now();
                let edited = editor.edit_claim(&claim);
                assert_eq!(edited.lines.len(), claim.lines.len());
                t.elapsed()
            })
            .min()
            .unwrap_or_default();
        println!(
            "{} lines: {:.3} ms ({:.2} µs a line)",
            claim.lines.len(),
            best.as_secs_f64() * 1e3,
            best.as_secs_f64() * 1e6 / claim.lines.len().max(1) as f64
        );
    }
    Ok(())
}
