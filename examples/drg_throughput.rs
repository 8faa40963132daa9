//! Grouping speed on a file of claims (one core), two ways: typed inputs
//! built once and grouped (`Grouper::group_with`), and the JSON path
//! (`Grouper::group_json_write`: read the claim, group, write the grouping's
//! JSON, as the C ABI's `medcode_group_json` does).
//!
//! ```sh
//! MEDCODE_DRG_DUMP=target/drg MEDCODE_DRG_CLAIMS=20000 cargo test --release --test drg_conformance
//! cargo run --release --example drg_throughput -- target/drg/claims.jsonl 5
//! ```
//!
//! Typed inputs are grouped twice: each into a new `Grouping`
//! (`Grouper::group_with`) and all into one reused grouping
//! (`Grouper::group_into`). A third argument, `typed`, `into` or `json`,
//! runs only that way (for instruction
//! counts: run under `valgrind --tool=callgrind` with 1 and 3 rounds, and
//! divide the difference by twice the claims).
use std::time::Instant;

use medcode::claim::Claim;
use medcode::drg::{GroupInput, GroupOptions, Grouper, Grouping};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: drg_throughput CLAIMS.jsonl [ROUNDS] [typed|into|json]")?;
    let rounds: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let only = args.next();
    let (run_typed, run_into, run_json) = match only.as_deref() {
        None => (true, true, true),
        Some("typed") => (true, false, false),
        Some("into") => (false, true, false),
        Some("json") => (false, false, true),
        Some(other) => return Err(format!("unknown mode {other:?}: typed, into or json").into()),
    };
    let text = std::fs::read_to_string(&path)?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let claims: Vec<Claim> = lines
        .iter()
        .map(|l| serde_json::from_str(l))
        .collect::<Result<_, _>>()?;
    let grouper = Grouper::new();
    let options = GroupOptions::default();
    let inputs: Vec<GroupInput<'_>> = claims.iter().map(GroupInput::from_claim).collect();
    let mut scratch = grouper.scratch();
    if let Ok(dump) = std::env::var("MEDCODE_DRG_OUT") {
        // Every claim's grouping under several options, for comparing two builds.
        use medcode::drg::{HospitalStatus, TieBreaker};
        let mut out = String::new();
        let variants = [
            options,
            GroupOptions {
                hospital: HospitalStatus::Exempt,
                ..options
            },
            GroupOptions {
                hospital: HospitalStatus::Unknown,
                ..options
            },
            GroupOptions {
                tie_breaker: TieBreaker::Alphabetical,
                ..options
            },
            GroupOptions {
                affects_drg: false,
                ..options
            },
        ];
        for o in &variants {
            let mut typed = grouper.scratch();
            for (line, claim) in lines.iter().zip(&claims) {
                let start = out.len();
                match grouper.group_json(line, o) {
                    Ok(g) => g.grouping.write_json(g.claim_id.as_deref(), None, &mut out),
                    Err(e) => out.push_str(&e.to_string()),
                }
                // The other ways give the same text.
                let mut again = String::new();
                if grouper.group_json_write(line, o, &mut again).is_ok() {
                    assert_eq!(again, out[start..], "group_json_write");
                }
                let input = GroupInput::from_claim(claim);
                if let Ok(g) = grouper.group_with(&input, o, &mut typed) {
                    again.clear();
                    let id = claim.id.as_deref();
                    g.write_json(id, None, &mut again);
                    assert_eq!(again, out[start..], "group_with");
                }
                out.push('\n');
            }
        }
        std::fs::write(dump, out)?;
        return Ok(());
    }
    for round in 1..=rounds {
        let t = Instant::now();
        let mut drgs = 0usize;
        for input in inputs.iter().filter(|_| run_typed) {
            drgs += usize::from(
                grouper
                    .group_with(input, &options, &mut scratch)?
                    .final_drg
                    .drg,
            );
        }
        let typed = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut reused = Grouping::default();
        for input in inputs.iter().filter(|_| run_into) {
            grouper.group_into(input, &options, &mut scratch, &mut reused)?;
            drgs += usize::from(reused.final_drg.drg);
        }
        let into = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut bytes = 0usize;
        let mut out = String::new();
        for line in lines.iter().filter(|_| run_json) {
            // As the C ABI's medcode_group_json does.
            out.clear();
            grouper.group_json_write(line, &options, &mut out)?;
            bytes += out.len();
        }
        let json = t.elapsed().as_secs_f64();
        let n = inputs.len() as f64;
        println!(
            "round {round}: typed {:.0} claims/s ({:.2} µs/claim), into one grouping {:.0} claims/s ({:.2} µs/claim), JSON in and out {:.0} claims/s ({:.2} µs/claim) [{drgs} {bytes}]",
            n / typed,
            typed / n * 1e6,
            n / into,
            into / n * 1e6,
            n / json,
            json / n * 1e6
        );
    }
    Ok(())
}
