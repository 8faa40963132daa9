//! The outpatient editor's time grows with the claim, not with its square
//! (issue 23: "a claim of 450 lines with 100 NCCI pairs stays linear or
//! n·log n; a claim of 10,000 lines takes milliseconds").
//!
//! Claims of 450 lines (100 NCCI pairs), 1,000 and 10,000 lines over ten
//! service dates, codes drawn from the I/OCE's own tables (every status
//! indicator in force, NCCI pairs on one day, with and without modifier
//! 59), are edited; the 10,000-line claim must answer every line.
//!
//! The I/OCE's answer itself can grow faster than the lines: each line of
//! a day gets an NCCI edit for each other line of the day its code pairs
//! with, so codes drawn at random from the tables (about one pair of lines
//! in a hundred pairs) give ten times the edits a line at ten times the
//! lines a day. The times are therefore compared a line or edit of the
//! answer. And to see the work the answer does not show (every line
//! against every other line of its day, most of them no pair), claims of
//! 1,000 and 10,000 lines on one day whose other codes are NCCI codes of
//! column 2 only (so that only the planted pairs pair) are timed a line.
//!
//! The bounds are loose (a shared machine times nothing tightly: best of
//! three, five times the time a line or edit at ten times the lines), but
//! an editor quadratic in the lines of a day fails the second: ten times
//! the lines is about ten times the time a line.
//!
//! `MEDCODE_IOCE_SCALING_DUMP=FILE` also writes the three claims to FILE
//! (JSON Lines, `medcode group`'s input), to compare answers across builds.

use crate::common::Rng;

use std::time::{Duration, Instant};

use medcode::claim::Claim;
use medcode::ioce::Editor;
use serde_json::{json, Value};

use crate::common::ioce_data_rows as data_rows;

/// The claim's from date and the codes in force in its version.
struct Pools {
    /// HCPCS codes by status indicator, inpatient-only (C) left out so
    /// that the days stay open to the edits between lines.
    hcpcs: Vec<String>,
    /// NCCI column-2 codes (of the pairs below) that are no pair's column-1
    /// code: lines of them on one day make no pair, but each is an NCCI
    /// code, looked up.
    column2_only: Vec<String>,
    /// A few inpatient-only codes (C).
    inpatient_only: Vec<String>,
    revenue: Vec<String>,
    /// NCCI pairs in force: (column 1, column 2).
    ncci: Vec<(String, String)>,
}

const FROM: u32 = 20250301;

impl Pools {
    fn read() -> Pools {
        let v: u8 = data_rows("version_range.tsv")
            .iter()
            .find(|r| r[2].parse::<u32>().unwrap() <= FROM && FROM <= r[3].parse().unwrap())
            .map(|r| r[0].parse().unwrap())
            .expect("a version for the from date");
        let in_force =
            |r: &[String]| r[0].parse::<u8>().unwrap() <= v && v <= r[1].parse().unwrap();
        let (mut hcpcs, mut inpatient_only) = (Vec::new(), Vec::new());
        for r in data_rows("data_hcpcs.tsv").iter().filter(|r| in_force(r)) {
            if r[7] == "C" {
                inpatient_only.push(r[2].clone());
            } else {
                hcpcs.push(r[2].clone());
            }
        }
        let revenue = data_rows("data_revenue.tsv")
            .iter()
            .filter(|r| in_force(r) && matches!(r[3].as_str(), "N" | "A" | "S" | "T" | "V"))
            .map(|r| format!("{:04}", r[2].parse::<u32>().unwrap()))
            .collect();
        // Every 50th NCCI row, its column-2 codes decoded; pairs of
        // inpatient-only codes left out (their days take no part).
        let open: std::collections::HashSet<&str> = hcpcs.iter().map(String::as_str).collect();
        let rows = data_rows("map_ncci.tsv");
        let column1: std::collections::HashSet<&str> = rows
            .iter()
            .filter(|r| in_force(r))
            .map(|r| r[2].as_str())
            .collect();
        let mut ncci = Vec::new();
        for r in rows.iter().step_by(50) {
            if !in_force(r) {
                continue;
            }
            for (i, code) in crate::common::ncci_column2(&r[4]).into_iter().enumerate() {
                if i % 5 == 0 && open.contains(r[2].as_str()) && open.contains(code.as_str()) {
                    ncci.push((r[2].clone(), code));
                }
            }
        }
        let mut column2_only: Vec<String> = ncci
            .iter()
            .map(|(_, c2)| c2)
            .filter(|c| !column1.contains(c.as_str()))
            .cloned()
            .collect();
        column2_only.sort();
        column2_only.dedup();
        Pools {
            hcpcs,
            column2_only,
            inpatient_only,
            revenue,
            ncci,
        }
    }
}

/// A 131 claim of `n` lines over `days` days (up to ten), `pairs` of them
/// NCCI pairs on one day (two lines each), the others codes of `codes`; on
/// a claim of ten days a line in 500 is an inpatient-only code, on the
/// last day only (such a code's day takes no part in the edits between
/// lines: the other days stay open to them).
fn claim(
    p: &Pools,
    rng: &mut Rng,
    id: &str,
    (n, pairs, days): (usize, usize, usize),
    codes: &[String],
) -> Value {
    let day = |d: usize| format!("2025-03-{:02}", 1 + d);
    let mut lines = Vec::with_capacity(n);
    let line = |code: &str, d: usize, modifiers: Vec<&str>, rng: &mut Rng| {
        json!({
            "code": code,
            "revenue_code": rng.pick(&p.revenue),
            "modifiers": modifiers,
            "units": 1 + rng.below(3),
            "charge": 10 + rng.below(2000),
            "service_date": day(d),
        })
    };
    for _ in 0..pairs {
        let (c1, c2) = rng.pick(&p.ncci);
        let d = rng.below(days.min(9));
        let m = if rng.chance(30) {
            vec!["59"]
        } else {
            Vec::new()
        };
        lines.push(line(c1, d, Vec::new(), rng));
        lines.push(line(c2, d, m, rng));
    }
    while lines.len() < n {
        let (code, d) = if days == 10 && rng.below(500) == 0 {
            (rng.pick(&p.inpatient_only), 9)
        } else {
            (rng.pick(codes), rng.below(days))
        };
        let m = match rng.below(20) {
            0 => vec!["59"],
            1 => vec!["25"],
            2 => vec!["50"],
            3 => vec!["LT"],
            _ => Vec::new(),
        };
        lines.push(line(code, d, m, rng));
    }
    // The pairs spread through the claim, not at its head.
    for i in (1..lines.len()).rev() {
        lines.swap(i, rng.below(i + 1));
    }
    json!({
        "id": id,
        "claim_type": "institutional",
        "bill_type": "131",
        "from_date": day(0),
        "through_date": day(days - 1),
        "discharge_status": "01",
        "patient": {"age": 70, "sex": "F"},
        "diagnoses": [{"code": "I10"}, {"code": "E119"}],
        "lines": lines,
    })
}

/// The best of three times to edit `claim`, and the lines and edits of
/// its answer.
fn best_of_3(editor: &Editor, claim: &Claim) -> (Duration, usize) {
    let edited = editor.edit_claim(claim);
    assert_eq!(edited.lines.len(), claim.lines.len(), "one result a line");
    let size = edited
        .lines
        .iter()
        .map(|l| 1 + l.hcpcs_edits.len())
        .sum::<usize>();
    let best = (0..3)
        .map(|_| {
            let t = Instant::now();
            editor.edit_claim(claim);
            t.elapsed()
        })
        .min()
        .expect("three runs");
    (best, size)
}

#[test]
fn editing_time_grows_linearly_with_the_lines() {
    let p = Pools::read();
    let mut rng = Rng(0x5CA1_E023);
    let mut claims: Vec<Value> = [(450, 100, 10), (1_000, 50, 10), (10_000, 500, 10)]
        .into_iter()
        .map(|size| claim(&p, &mut rng, &format!("lines-{}", size.0), size, &p.hcpcs))
        .collect();
    for size in [(1_000, 20, 1), (10_000, 20, 1)] {
        let id = format!("one-day-{}", size.0);
        claims.push(claim(&p, &mut rng, &id, size, &p.column2_only));
    }
    if let Ok(file) = std::env::var("MEDCODE_IOCE_SCALING_DUMP") {
        let text: String = claims.iter().map(|c| format!("{c}\n")).collect();
        std::fs::write(file, text).unwrap();
    }
    let claims: Vec<Claim> = claims
        .into_iter()
        .map(|c| serde_json::from_value(c).unwrap())
        .collect();
    let editor = Editor::new();
    // The tables are read on first use: not part of any time below.
    let edited = editor.edit_claim(&claims[2]);
    assert_eq!(edited.lines.len(), 10_000, "one result a line");
    assert_eq!(edited.version.as_deref(), Some("26.0.5"));
    // The pairs were edited (NCCI's 020 or 040 on some line).
    for c in [&claims[0], &claims[4]] {
        let ncci = editor
            .edit_claim(c)
            .lines
            .iter()
            .filter(|l| l.hcpcs_edits.iter().any(|&e| e == 20 || e == 40))
            .count();
        assert!(
            ncci > 0,
            "no NCCI edit on the claim of {} lines",
            c.lines.len()
        );
    }

    let mut per_line = Vec::new();
    let mut per_unit = Vec::new();
    for (c, name) in claims.iter().zip(["", "", "", " (one day)", " (one day)"]) {
        let (t, size) = best_of_3(&editor, c);
        let n = c.lines.len();
        eprintln!(
            "I/OCE scaling: {n} lines{name} in {:.3} ms ({:.2} µs a line; {} edits, {:.2} µs a line or edit)",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e6 / n as f64,
            size - n,
            t.as_secs_f64() * 1e6 / size as f64,
        );
        per_line.push(t.as_secs_f64() / n as f64);
        per_unit.push(t.as_secs_f64() / size as f64);
    }
    // Linear: about 1; quadratic in the lines of a day: about 10.
    let growth = per_unit[2] / per_unit[1];
    assert!(
        growth <= 5.0,
        "a line or edit of the 10,000-line claim took {growth:.1} times the 1,000-line claim's"
    );
    let growth = per_line[4] / per_line[3];
    assert!(
        growth <= 5.0,
        "a line of the 10,000-line claim of one day took {growth:.1} times the 1,000-line claim's"
    );
}
