//! Contractor edit bypass: the edits a Medicare contractor tells the I/OCE
//! not to raise, line by line (the line's `contractor_bypass_edits`).
//!
//! The I/OCE's bypass table (`data_edit_bypass`) says which edits may be
//! bypassed in a version and how (docs/design/ioce-logic-claim.md §6):
//!
//! - an edit marked `line_bypass_required` (040, 062, …) is bypassed on the
//!   line that names it only, in its code's, revenue code's and date's
//!   lists: the same edit on another line stays, and so does one raised on
//!   a modifier (022, 123);
//! - any other edit in the table (001, 025, 029, …) is bypassed on the
//!   claim when any line names it: on the claim and its diagnoses. One of
//!   these raised on a line (011, 042) stays.
//!
//! (pyoce on 3,000 claims of the conformance test's that raised edits,
//! with some of them bypassed on their own line, on another, or claim-wide.)
//!
//! A number the table does not hold in the claim's version (`999`, `004`,
//! `-1`, or `123` before v88) stops the claim with return code 26
//! ("Contractor Override – specified edit not present in EditBypass
//! table"); `0` names no edit, and text that is not a whole number (`abc`,
//! `1.0`) is ignored (pyoce: 26 probes).

use super::data::{hcpcs_bit, key, Tables, Version};
use super::engine::{ClaimInput, LineInput, Run};
use super::text::Trim;

/// Edits whose raising sets the line's outputs too, which a bypass leaves
/// set: 091 (a service an FQHC or RHC is not paid for) still makes the
/// line E1, with action flag 5 on an FQHC's claim (pyoce, 2 of 2 such
/// bypasses); its rejection flag is 0, and the line is no longer outside
/// the encounter for 088 (`clinic::fqhc_payment_code`, 2 of 2).
const RAISED_WITH_OUTPUTS: &[u16] = &[91];

/// A claim's bypassed edits, sorted.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Bypass {
    /// (line, edit) for the edits bypassed on one line.
    line: Vec<(usize, u16)>,
    /// The edits bypassed on the whole claim.
    claim: Vec<u16>,
}

/// Why a claim's bypass list stops it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NotBypassable;

/// An edit number as the I/OCE reads it: a whole number after trimming
/// (a sign and `_` between digits allowed, as the I/OCE's reader allows
/// them); `None` for text that is not one, and for blank text.
fn edit_number(text: &str) -> Option<i64> {
    let t = text.trim();
    let (negative, digits) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let b = digits.as_bytes();
    if b.is_empty() || b[0] == b'_' || b[b.len() - 1] == b'_' {
        return None;
    }
    let mut n: i64 = 0;
    let mut last_underscore = false;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                // (Saturated: a number this long is in no table either.)
                n = n.saturating_mul(10).saturating_add(i64::from(c - b'0'));
                last_underscore = false;
            }
            b'_' if !last_underscore => last_underscore = true,
            _ => return None,
        }
    }
    Some(if negative { -n } else { n })
}

impl Bypass {
    /// The claim's bypassed edits in version `v`, `Ok(None)` when no line
    /// names one (nearly every claim: nothing to keep), or
    /// `Err(NotBypassable)` when a line names an edit the table does not
    /// hold (return code 26).
    pub(crate) fn read(
        t: &Tables,
        v: Version,
        claim: &ClaimInput<'_>,
    ) -> Result<Option<Bypass>, NotBypassable> {
        if claim
            .lines
            .iter()
            .all(|l| l.contractor_bypass_edits.is_empty())
        {
            return Ok(None);
        }
        let mut b = Bypass::default();
        for (i, l) in claim.lines.iter().enumerate() {
            for text in &l.contractor_bypass_edits {
                let Some(n) = edit_number(text) else { continue };
                if n == 0 {
                    continue;
                }
                let edit = u16::try_from(n).map_err(|_| NotBypassable)?;
                match t.bypass.get(&edit, v) {
                    None => return Err(NotBypassable),
                    Some(true) => b.line.push((i, edit)),
                    Some(false) => b.claim.push(edit),
                }
            }
        }
        b.line.sort_unstable();
        b.line.dedup();
        b.claim.sort_unstable();
        b.claim.dedup();
        Ok(Some(b))
    }

    /// Whether `edit` is bypassed on line `line` (`None`: on the claim or
    /// a diagnosis).
    pub(crate) fn bypassed(&self, line: Option<usize>, edit: u16) -> bool {
        match line {
            None => self.claim.binary_search(&edit).is_ok(),
            Some(i) => self.line.binary_search(&(i, edit)).is_ok(),
        }
    }

    /// Take the bypassed edits out of everything raised so far: the steps
    /// after see the claim as if they had not been raised. Before the
    /// payment step (`before_payment`), an edit whose raising also sets
    /// the line's outputs stays ([`RAISED_WITH_OUTPUTS`]); after it, a
    /// line that loses one has its rejection flag read again.
    pub(crate) fn apply(&self, run: &mut Run<'_>, before_payment: bool) {
        let o = &mut *run.out;
        for d in std::iter::once(&mut o.principal)
            .chain(o.reason_for_visit.iter_mut())
            .chain(o.secondary.iter_mut())
        {
            d.edits.retain(|&e| !self.bypassed(None, e));
        }
        let mut reflag = Vec::new();
        for (i, l) in o.lines.iter_mut().enumerate() {
            let keep = |e: &u16| {
                !self.bypassed(Some(i), *e) || before_payment && RAISED_WITH_OUTPUTS.contains(e)
            };
            let before = l.hcpcs_edits.len() + l.service_date_edits.len() + l.revenue_edits.len();
            l.hcpcs_edits.retain(keep);
            l.service_date_edits.retain(keep);
            l.revenue_edits.retain(keep);
            let after = l.hcpcs_edits.len() + l.service_date_edits.len() + l.revenue_edits.len();
            if !before_payment && after < before {
                reflag.push(i);
            }
        }
        run.claim_only.retain(|&e| !self.bypassed(None, e));
        for i in reflag {
            let flag = super::payment::rejection_flag(run, &run.out.lines[i]);
            run.out.lines[i].rejection_denial_flag = flag.into();
        }
    }
}

/// The first payment adjustment flags of the lines of a claim stopped for
/// its bypasses (return code 26), which the I/OCE sets before it reads
/// them: an X-ray on film or by computed radiography (21, 22; 23, 24
/// without cost sharing), no cost sharing (9: the code's, or modifier Q3),
/// deductible not applicable (4), a pass-through drug or agent (10), and a
/// procedure (J1, T) on a day a colorectal cancer screening turned
/// diagnostic (PT): 25, before v86 4 (pyoce: the 39 such claims among the
/// 3,000 above), on the paths that return APCs (12x, 13x, 14x, 76x);
/// from v102 the cost-sharing flags
/// (9, 4, 10) are the second flag. The status indicators are the table's,
/// set before.
pub(crate) fn stopped_adjustment_flags(run: &mut Run<'_>, claim: &ClaimInput<'_>) {
    let (t, v) = (run.t, run.v);
    let row = |l: &LineInput<'_>| key(l.hcpcs.trimmed()).and_then(|k| t.hcpcs.get(&k, v));
    let has = super::payment::has_modifier;
    // (Days sorted once, looked up by binary search: n·log n in the lines.)
    let mut screening: Vec<&str> = claim
        .lines
        .iter()
        .filter(|l| row(l).is_some_and(|r| r.has(hcpcs_bit!(t, "colorectal"))))
        .map(|l| l.service_date)
        .collect();
    screening.sort_unstable();
    let mut diagnostic: Vec<&str> = claim
        .lines
        .iter()
        .filter(|l| has(l, "PT") && screening.binary_search(&l.service_date).is_ok())
        .map(|l| l.service_date)
        .collect();
    diagnostic.sort_unstable();
    let screened = |date: &str| diagnostic.binary_search(&date).is_ok();
    for (o, l) in run.out.lines.iter_mut().zip(&claim.lines) {
        // (A line without a code's row has none of its flags: only Q3.)
        let r = row(l);
        let flag = |bit: u8| r.is_some_and(|r| r.has(bit));
        let si = o.status_indicator.as_str();
        let passthrough = (flag(hcpcs_bit!(t, "passthrough_radiopharm"))
            || flag(hcpcs_bit!(t, "passthrough_contrast"))
            || flag(hcpcs_bit!(t, "passthrough_skin_product")))
            && !(flag(hcpcs_bit!(t, "radiopharm_exceeds_threshold")) && si == "G");
        let cost = if flag(hcpcs_bit!(t, "deductible_coins_na")) || has(l, "Q3") {
            "9"
        } else if flag(hcpcs_bit!(t, "deductible_na")) {
            "4"
        } else if passthrough {
            "10"
        } else {
            "0"
        };
        // An X-ray on film (FX) or by computed radiography (FY).
        let xray = if !flag(hcpcs_bit!(t, "film_xray")) {
            None
        } else if has(l, "FX") {
            Some(("21", "23"))
        } else if has(l, "FY") {
            Some(("22", "24"))
        } else {
            None
        };
        // (From v102 the cost-sharing flags are the second.)
        let (first, second) = match xray {
            Some((_, without_cost_sharing)) if cost == "9" => (without_cost_sharing, "0"),
            Some((x, _)) => (x, cost),
            None if cost == "0" && matches!(si, "J1" | "T") && screened(l.service_date) => {
                (if v >= 86 { "25" } else { "4" }, "0")
            }
            None if v >= 102 => ("0", cost),
            None => (cost, "0"),
        };
        o.payment_adjustment_flag01 = first.into();
        o.payment_adjustment_flag02 = second.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_numbers_read_as_the_ioce_reads_them() {
        assert_eq!(edit_number("040"), Some(40));
        assert_eq!(edit_number(" 62 "), Some(62));
        assert_eq!(edit_number("+62"), Some(62));
        assert_eq!(edit_number("-1"), Some(-1));
        assert_eq!(edit_number("6_2"), Some(62));
        assert_eq!(edit_number("000"), Some(0));
        for bad in [
            "", " ", "abc", "1.0", "6__2", "_62", "62_", "+", "0x3E", "６２",
        ] {
            assert_eq!(edit_number(bad), None, "{bad:?}");
        }
        assert_eq!(edit_number("99999999999999999999999"), Some(i64::MAX));
    }

    fn claim_with(bypass: &[&'static [&'static str]]) -> ClaimInput<'static> {
        ClaimInput {
            lines: bypass
                .iter()
                .map(|b| LineInput {
                    contractor_bypass_edits: b.to_vec(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn line_and_claim_bypasses() {
        let t = Tables::get();
        // v94 (2024-01-01): 040 and 062 per line, 001 and 025 per claim.
        let b = Bypass::read(t, 94, &claim_with(&[&["40", "001"], &["062", "x", "0"]]))
            .unwrap()
            .unwrap();
        assert_eq!(b.line, [(0, 40), (1, 62)]);
        assert_eq!(b.claim, [1]);
        assert!(b.bypassed(Some(0), 40) && !b.bypassed(Some(1), 40));
        assert!(b.bypassed(None, 1) && !b.bypassed(Some(1), 1));
        assert_eq!(Bypass::read(t, 94, &claim_with(&[&[], &[]])), Ok(None));
    }

    #[test]
    fn an_edit_not_in_the_table_stops_the_claim() {
        let t = Tables::get();
        for bad in ["999", "004", "-1", "40000"] {
            let leaked: &'static [&'static str] = Box::leak(vec![bad].into_boxed_slice());
            assert_eq!(
                Bypass::read(t, 94, &claim_with(&[leaked])),
                Err(NotBypassable),
                "{bad}"
            );
        }
        // 123 is in the table from v88 (2022-07-01) only.
        assert_eq!(
            Bypass::read(t, 86, &claim_with(&[&["123"]])),
            Err(NotBypassable)
        );
        assert!(Bypass::read(t, 88, &claim_with(&[&["123"]])).is_ok());
    }
}
