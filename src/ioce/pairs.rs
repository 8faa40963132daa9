//! Edits between lines: the outpatient NCCI pairs (020, 040)
//! (docs/design/ioce-logic-pairs.md §1).

use super::data::{hcpcs_bit, key};
use super::engine::{ClaimInput, Run};
use super::lines;
use super::path::{switch, Path};

/// `data_modifier` flag `ncci`: a modifier that may bypass a pair.
const NCCI_MODIFIER: u8 = 1 << 0;

/// The pair edits of the claim.
pub(crate) fn pairs(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    if path.on(switch::NCCI_EDITS) {
        ncci(run, claim);
    }
    bilateral(run, claim);
    modifiers(run, claim, path);
}

/// Whether a line takes part in the edits between lines: not one with 018
/// or 049 (an inpatient-only procedure's day).
fn takes_part(run: &Run<'_>, i: usize) -> bool {
    !run.out.lines[i]
        .hcpcs_edits
        .iter()
        .any(|&e| matches!(e, 18 | 49 | 70 | 121))
}

fn has_modifier(modifiers: &[&str], m: &str) -> bool {
    modifiers.iter().any(|x| x.trim().eq_ignore_ascii_case(m))
}

/// Bilateral and terminated procedures (docs/design/ioce-logic-pairs.md §2):
/// 037 terminated (52 or 73) with units over one or bilateral (50 on a
/// conditional or independent bilateral code); 074 modifier 50 with units
/// over one on such a code; 017 an inherent bilateral code reported for
/// more than one unit on a day (lines with 76 or 77 not counted, but
/// edited).
fn bilateral(run: &mut Run<'_>, claim: &ClaimInput<'_>) {
    let t = run.t;
    let (conditional, independent, inherent) = (
        hcpcs_bit!(t, "bilateral_conditional"),
        hcpcs_bit!(t, "bilateral_independent"),
        hcpcs_bit!(t, "bilateral_inherent"),
    );
    let mut inherent_lines: Vec<(usize, u64, &str)> = Vec::new();
    for (i, l) in claim.lines.iter().enumerate() {
        if !takes_part(run, i) {
            continue;
        }
        let Some(row) = lines::hcpcs_row(run, l.hcpcs) else {
            continue;
        };
        let units = l.units.unwrap_or(0.0);
        let m = &l.modifiers;
        let cond = row.has(conditional) || row.has(independent);
        let fifty = has_modifier(m, "50");
        if (has_modifier(m, "52") || has_modifier(m, "73")) && (units > 1.0 || (fifty && cond)) {
            run.out.lines[i].hcpcs_edits.push(37);
        }
        if cond && fifty && units > 1.0 {
            run.out.lines[i].hcpcs_edits.push(74);
        }
        if row.has(inherent) {
            let k = key(l.hcpcs.trim()).unwrap_or(0);
            inherent_lines.push((i, k, l.service_date.trim()));
        }
    }
    inherent_lines.sort_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)));
    for group in inherent_lines.chunk_by(|a, b| a.1 == b.1 && a.2 == b.2) {
        let units: f64 = group
            .iter()
            .map(|&(i, _, _)| &claim.lines[i])
            .filter(|l| !has_modifier(&l.modifiers, "76") && !has_modifier(&l.modifiers, "77"))
            .map(|l| l.units.unwrap_or(0.0))
            .sum();
        if units > 1.0 {
            for &(i, _, _) in group {
                run.out.lines[i].hcpcs_edits.push(17);
            }
        }
    }
}

/// Modifier edits on a line: 102 a pair of modifiers that may not be
/// reported together; 123 modifier CS on a service from 2023-05-12, after
/// CMS ended it (the date is CMS's, in no table; the I/OCE raises it from
/// v88).
fn modifiers(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    let (t, v) = (run.t, run.v);
    for (i, l) in claim.lines.iter().enumerate() {
        let keys: Vec<Option<u64>> = l.modifiers.iter().map(|m| key(m.trim())).collect();
        let conflict = keys.iter().flatten().any(|&a| {
            keys.iter()
                .flatten()
                .any(|&b| t.modifier_conflict.has(&(a, b), v))
        });
        if conflict {
            run.out.lines[i].hcpcs_edits.push(102);
        }
        let row = lines::hcpcs_row(run, l.hcpcs);
        // PT (a colorectal screening turned diagnostic) on a code that is
        // not colorectal (an invalid one included), on the OPPS paths: 120;
        // CS (cost sharing waived) on a code not eligible for the waiver:
        // 114 (from v78).
        if has_modifier(&l.modifiers, "PT")
            && path.on(switch::OPPS_EDITS)
            && path.prefix != 14
            && !row.is_some_and(|r| r.has(hcpcs_bit!(t, "colorectal")))
        {
            run.out.lines[i].hcpcs_edits.push(120);
        }
        // (A CS used after CMS ended it gets 123 below instead.)
        let cs_ended = v >= 88 && super::engine::read_date(l.service_date).unwrap_or(0) >= 20230512;
        // (On a line with a code, for services from 2020-03-18, when the
        // waiver began; also on an opioid treatment program's 13x.)
        let cs_began = super::engine::read_date(l.service_date).unwrap_or(0) >= 20200318;
        if v >= 78
            && !cs_ended
            && cs_began
            && !l.hcpcs.trim().is_empty()
            && (path.on(switch::OPPS_EDITS) || path.number == 120)
            && path.prefix != 14
            && has_modifier(&l.modifiers, "CS")
            && !row.is_some_and(|r| r.has(hcpcs_bit!(t, "coinsurance_deductible_waiver_eligible")))
        {
            run.out.lines[i].hcpcs_edits.push(114);
        }
        if v >= 88 {
            let date = super::engine::read_date(l.service_date).unwrap_or(0);
            for (m, modifier) in l.modifiers.iter().enumerate() {
                if modifier.trim().eq_ignore_ascii_case("CS")
                    && date >= 20230512
                    && run.out.lines[i].modifier_edits[m].is_empty()
                {
                    run.out.lines[i].modifier_edits[m].push(123);
                }
            }
        }
    }
}

/// For each ordered pair of lines of one service date whose codes are an
/// NCCI pair, the column-2 line gets 020 (no modifier may bypass the pair)
/// or 040 (a modifier may, and neither line has one), once per column-1
/// line, in the column-1 lines' order. Lines with 018 or 049 take no part.
fn ncci(run: &mut Run<'_>, claim: &ClaimInput<'_>) {
    let (t, v) = (run.t, run.v);
    let n = claim.lines.len();
    let ids: Vec<Option<u16>> = claim
        .lines
        .iter()
        .zip(&run.out.lines)
        .map(|(l, o)| {
            if o.hcpcs_edits
                .iter()
                .any(|&e| matches!(e, 18 | 49 | 70 | 121))
            {
                None
            } else {
                key(l.hcpcs.trim()).and_then(|k| t.ncci.id(k))
            }
        })
        .collect();
    let bypass: Vec<bool> = claim
        .lines
        .iter()
        .map(|l| {
            l.modifiers.iter().any(|m| {
                key(m.trim())
                    .and_then(|k| t.modifier.get(&k, v))
                    .is_some_and(|f| f & NCCI_MODIFIER != 0)
            })
        })
        .collect();
    // Lines grouped by service date: pairs are looked up within a day only.
    let mut order: Vec<usize> = (0..n).filter(|&i| ids[i].is_some()).collect();
    order.sort_by_key(|&i| (claim.lines[i].service_date.trim(), i));
    // The first pair (column-1 line, column-2 line) that raised each edit.
    let (mut first_020, mut first_040) = ((usize::MAX, 0), (usize::MAX, 0));
    let mut start = 0;
    while start < order.len() {
        let day = claim.lines[order[start]].service_date.trim();
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| claim.lines[i].service_date.trim() == day)
                .count();
        let group = &order[start..end];
        for &j in group {
            let c2 = ids[j].expect("filtered");
            for &i in group {
                if i == j {
                    continue;
                }
                let c1 = ids[i].expect("filtered");
                match t.ncci.pair(c1, c2, v) {
                    Some(0) => {
                        run.out.lines[j].hcpcs_edits.push(20);
                        first_020 = first_020.min((i, j));
                    }
                    Some(_) if !(bypass[i] || bypass[j]) => {
                        run.out.lines[j].hcpcs_edits.push(40);
                        first_040 = first_040.min((i, j));
                    }
                    _ => {}
                }
            }
        }
        start = end;
    }
    run.ncci_040_first = first_040 < first_020;
}
