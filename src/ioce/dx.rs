//! Diagnosis edits: 001 invalid, 002 age conflict, and on the principal
//! diagnosis 005 external cause, 113 unacceptable, 086 manifestation.

use super::data::dx_key;
use super::engine::{ClaimInput, Run};
use super::text::Trim;

/// `data_dx10` flags (`flags.tsv`).
const EXTERNAL_CAUSE: u8 = 1 << 0;
const MANIFESTATION: u8 = 1 << 2;
const UNACCEPTABLE_PDX: u8 = 1 << 4;
const UNACCEPTABLE_PDX_EXCLUSION: u8 = 1 << 5;
const UNACCEPTABLE_PDX_EXCLUSION_IGNORED: u8 = 1 << 6;

/// `prefix`: the type of bill's first two digits. A code flagged
/// `unacceptable_pdx_exclusion_ignored` (v99 on) loses its exclusion from
/// 113 on a hospital inpatient Part B claim (12x) only: pyoce raised 113 on
/// the one such 12x claim seen, and not on the 13x (3), 14x (1) nor the
/// 83x one not paid under OPPS (1) (too few claims to say more,
/// docs/design/ioce-logic-claim.md §4).
fn check(run: &Run<'_>, code: &str, principal: bool, age: Option<u16>, prefix: u16) -> Vec<u16> {
    let Some(row) = dx_key(code).and_then(|k| run.t.dx.get(&k, run.v)) else {
        return vec![1];
    };
    let mut edits = Vec::new();
    if let Some(age) = age {
        if age < row.lo_age || age > row.hi_age {
            edits.push(2);
        }
    }
    if principal {
        if row.flags & EXTERNAL_CAUSE != 0 {
            edits.push(5);
        }
        let exclusion_holds = row.flags & UNACCEPTABLE_PDX_EXCLUSION_IGNORED == 0 || prefix != 12;
        let excluded = row.flags & UNACCEPTABLE_PDX_EXCLUSION != 0 && exclusion_holds;
        if row.flags & UNACCEPTABLE_PDX != 0 && !excluded {
            edits.push(113);
        }
        if row.flags & MANIFESTATION != 0 {
            edits.push(86);
        }
    }
    edits
}

/// The diagnosis edits of the claim.
pub(crate) fn diagnoses(run: &mut Run<'_>, claim: &ClaimInput<'_>, age: Option<u16>, prefix: u16) {
    match claim.principal {
        Some(p) => run.out.principal.edits = check(run, p, true, age, prefix),
        None => run.claim_edit(1),
    }
    for (i, d) in claim.reason_for_visit.iter().enumerate() {
        if !d.trimmed().is_empty() {
            run.out.reason_for_visit[i].edits = check(run, d, false, age, prefix);
        }
    }
    for (i, d) in claim.secondary.iter().enumerate() {
        if !d.trimmed().is_empty() {
            run.out.secondary[i].edits = check(run, d, false, age, prefix);
        }
    }
}
