//! Edits between lines: the outpatient NCCI pairs (020, 040)
//! (docs/design/ioce-logic-pairs.md §1).

use super::data::{hcpcs_bit, key};
use super::engine::{ClaimInput, Run};
use super::lines;
use super::path::{switch, Path};
use super::text::Trim;
use std::cell::Cell;

/// `data_modifier` flag `ncci`: a modifier that may bypass a pair.
const NCCI_MODIFIER: u8 = 1 << 0;

/// The pair edits of the claim.
pub(crate) fn pairs(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    if path.on(switch::NCCI_EDITS) {
        ncci(run, claim, path);
    }
    bilateral(run, claim, path);
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
    modifiers
        .iter()
        .any(|x| x.trimmed().eq_ignore_ascii_case(m))
}

/// Bilateral and terminated procedures (docs/design/ioce-logic-pairs.md §2):
/// 037 terminated (52 or 73) with units over one or bilateral (50 on a
/// conditional or independent bilateral code); 074 modifier 50 with units
/// over one on such a code; 017 an inherent bilateral code reported for
/// more than one unit on a day (lines with 76 or 77 not counted, but
/// edited) — not on a 14x claim (a lab specimen's) nor on a path without
/// unit edits (an opioid treatment program's 13x): pyoce, 0 of 7 such
/// claims.
fn bilateral(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    let inherent_edit = path.on(switch::UNIT_EDITS) && path.prefix != 14;
    let t = run.t;
    let (conditional, independent, inherent) = (
        hcpcs_bit!(t, "bilateral_conditional"),
        hcpcs_bit!(t, "bilateral_independent"),
        hcpcs_bit!(t, "bilateral_inherent"),
    );
    let otp_13x = path.prefix == 13 && claim.has_condition("89");
    let mut inherent_lines: Vec<(usize, u64, &str)> = Vec::new();
    for (i, l) in claim.lines.iter().enumerate() {
        if !takes_part(run, i) {
            continue;
        }
        // (A line without a valid code is terminated with units too: 037,
        // pyoce on 7 of 7 such lines.)
        let row = lines::hcpcs_row(run, l.hcpcs);
        let units = l.units.unwrap_or(0.0);
        let m = &l.modifiers;
        let cond = row.is_some_and(|r| r.has(conditional) || r.has(independent));
        let fifty = has_modifier(m, "50");
        // (Not on a claim not under OPPS but a critical access hospital's
        // (85x), nor on 74x: pyoce, 0 of 12 such lines; nor on 76x or an
        // opioid treatment program's 13x: 0 of 22.)
        if (has_modifier(m, "52") || has_modifier(m, "73"))
            && (units > 1.0 || (fifty && cond))
            && (path.opps || path.prefix == 85)
            && !matches!(path.prefix, 74 | 76)
            && !otp_13x
        {
            run.out.lines[i].hcpcs_edits.push(37);
        }
        // (074 on hospital claims only, 12x–14x, not an opioid treatment
        // program's: pyoce, 26 of 26 such lines there, none of 13 on the
        // other bill types.)
        if cond && fifty && units > 1.0 && matches!(path.prefix, 12..=14) && !otp_13x {
            run.out.lines[i].hcpcs_edits.push(74);
        }
        if inherent_edit && row.is_some_and(|r| r.has(inherent)) {
            let k = key(l.hcpcs.trimmed()).unwrap_or(0);
            inherent_lines.push((i, k, l.service_date.trimmed()));
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
    // A 13x program claim — partial hospitalization (41), intensive
    // outpatient (92), or, not under OPPS, an opioid treatment program's
    // (89) — gets no 120: pyoce, 0 of 27 such PT lines.
    let has_cc = |cc: &str| claim.has_condition(cc);
    let program_13x =
        path.prefix == 13 && (has_cc("41") || has_cc("92") || (!path.opps && has_cc("89")));
    // (Nor is PT questioned on a claim with a colorectal screening code:
    // pyoce, 0 of 9 such lines, 200 of 200 on the other claims.)
    let screening = claim.lines.iter().any(|l| {
        lines::hcpcs_row(run, l.hcpcs).is_some_and(|r| r.has(hcpcs_bit!(t, "colorectal")))
    });
    // (Modifier conflicts are not edited on an opioid treatment program's
    // 13x claim, nor on 78x, 83x, 84x or 89x not under OPPS, nor on 22x,
    // 23x, 34x or 87x: pyoce, 0 of 13 and 0 of 18 such lines; they are on
    // the other bill types, 32x, 72x, 75x, 81x and 82x among them, 36 of
    // 36.)
    let no_conflict_edit = (path.prefix == 13 && has_cc("89"))
        || (matches!(path.prefix, 78 | 83 | 84 | 89) && !path.opps)
        || matches!(path.prefix, 22 | 23 | 34 | 87);
    for (i, l) in claim.lines.iter().enumerate() {
        // (The modifiers' keys read again for each first modifier, not
        // gathered in a list: a line has a few, and the list was an
        // allocation a line.)
        let keys = || l.modifiers.iter().filter_map(|m| key(m.trimmed()));
        let conflict = keys().any(|a| keys().any(|b| t.modifier_conflict.has(&(a, b), v)));
        if conflict && !no_conflict_edit {
            run.out.lines[i].hcpcs_edits.push(102);
        }
        let row = lines::hcpcs_row(run, l.hcpcs);
        // PT (a colorectal screening turned diagnostic) on a code that is
        // not colorectal (an invalid one included), on the OPPS paths and
        // the hospitals' not paid under OPPS (12x, 13x, 85x: pyoce raised it
        // on 57 such lines, and on none of the other bill types' 27): 120;
        // CS (cost sharing waived) on
        // a code not eligible for the waiver: 114 (from v78).
        if has_modifier(&l.modifiers, "PT")
            && (path.on(switch::OPPS_EDITS) || (!path.opps && matches!(path.prefix, 12 | 13 | 85)))
            && path.prefix != 14
            && !program_13x
            && !screening
            && !row.is_some_and(|r| r.has(hcpcs_bit!(t, "colorectal")))
        {
            run.out.lines[i].hcpcs_edits.push(120);
        }
        // (The line's date read once for the three tests below.)
        let date = super::engine::read_date(l.service_date).unwrap_or(0);
        // (A CS used after CMS ended it gets 123 below instead — from
        // v92; in v91 both: pyoce, 4 of 4 such lines.)
        let cs_ended = v >= 92 && date >= 20230512;
        // (On a line with a code, for services from 2020-03-18, when the
        // waiver began; also on an opioid treatment program's 13x.)
        let cs_began = date >= 20200318;
        if v >= 78
            && !cs_ended
            && cs_began
            && !l.hcpcs.trimmed().is_empty()
            && (path.on(switch::OPPS_EDITS)
                || path.number == 120
                || !path.opps
                || path.prefix == 74)
            && path.prefix != 14
            && has_modifier(&l.modifiers, "CS")
            && !row.is_some_and(|r| r.has(hcpcs_bit!(t, "coinsurance_deductible_waiver_eligible")))
        {
            run.out.lines[i].hcpcs_edits.push(114);
        }
        if v >= 88 {
            // (On the first CS of the line only: pyoce, 4 of 4 lines
            // with CS twice.)
            let first_cs = l
                .modifiers
                .iter()
                .position(|m| m.trimmed().eq_ignore_ascii_case("CS"));
            if let Some(m) = first_cs {
                if date >= 20230512 && run.out.lines[i].modifier_edits[m].is_empty() {
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
fn ncci(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    let (t, v) = (run.t, run.v);
    let n = claim.lines.len();
    // (The lists of the thread's last claim, emptied: see `NcciLists`.)
    let mut lists = NCCI_LISTS.try_with(Cell::take).unwrap_or_default();
    let NcciLists {
        ids,
        bypass,
        order,
        seen,
        day: day_lists,
    } = &mut lists;
    ids.clear();
    ids.extend(claim.lines.iter().zip(&run.out.lines).map(|(l, o)| {
        if o.hcpcs_edits
            .iter()
            .any(|&e| matches!(e, 18 | 49 | 70 | 121))
        {
            None
        } else {
            key(l.hcpcs.trimmed()).and_then(|k| t.ncci.id(k))
        }
    }));
    bypass.clear();
    bypass.extend(claim.lines.iter().map(|l| {
        l.modifiers.iter().any(|m| {
            key(m.trimmed())
                .and_then(|k| t.modifier.get(&k, v))
                .is_some_and(|f| f & NCCI_MODIFIER != 0)
        })
    }));
    // Lines grouped by service date: pairs are looked up within a day only.
    // On a critical access hospital's claim (85x) the professional lines
    // (revenue codes 096x–098x, billed there under the optional method)
    // pair only with each other, and the facility's lines with each other
    // (pyoce: 12 of 12 claims where a pair crossed them).
    let side = |i: usize| lines::cah_professional(path, &claim.lines[i]);
    order.clear();
    order.extend((0..n).filter(|&i| ids[i].is_some()));
    order.sort_by_key(|&i| (claim.lines[i].service_date.trimmed(), side(i), i));
    // The first pair that raised 020 and 040 as the I/OCE goes: date by
    // date, then by column-1 line, then by column-2 line (claim order).
    let mut first: [Option<(&str, usize, usize)>; 2] = [None; 2];
    // (`seen`: the codes of the day, a bit an NCCI code id, allocated for
    // a day of many codes; all bits clear between days.)
    let mut start = 0;
    while start < order.len() {
        let (day, day_side) = (
            claim.lines[order[start]].service_date.trimmed(),
            side(order[start]),
        );
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| {
                    claim.lines[i].service_date.trimmed() == day && side(i) == day_side
                })
                .count();
        let mut day_first = [(usize::MAX, 0); 2];
        ncci_day(
            run,
            ids,
            bypass,
            &order[start..end],
            seen,
            day_lists,
            &mut day_first,
        );
        for (f, d) in first.iter_mut().zip(day_first) {
            if d.0 != usize::MAX {
                let here = (day, d.0, d.1);
                *f = Some(f.map_or(here, |x| x.min(here)));
            }
        }
        start = end;
    }
    run.ncci_040_first = match first {
        [Some(a), Some(b)] => b < a,
        _ => false,
    };
    if lists.worth_keeping() {
        let _ = NCCI_LISTS.try_with(|s| s.set(lists));
    }
}

/// The NCCI pass's lists, kept per thread between claims (emptied before
/// use): they were seven allocations a claim or more (four a service day).
#[derive(Default)]
struct NcciLists {
    /// Each line's NCCI code id (`None`: the line takes no part).
    ids: Vec<Option<u16>>,
    /// Whether each line has a modifier that may bypass a pair.
    bypass: Vec<bool>,
    /// The lines that take part, by day.
    order: Vec<usize>,
    /// The codes of a day of many codes, a bit an NCCI code id.
    seen: Vec<u64>,
    /// One day's lists ([`ncci_day`]).
    day: DayLists,
}

/// [`ncci_day`]'s lists.
#[derive(Default)]
struct DayLists {
    by_code: Vec<(u16, usize)>,
    codes: Vec<(u16, std::ops::Range<usize>)>,
    found: Vec<(usize, usize, u8)>,
    partners: Vec<(usize, u8)>,
}

impl NcciLists {
    /// Whether the lists are small enough to keep (those of a claim's
    /// lines, [`crate::scratch::KEEP_LINES_AT_MOST`]; the pairs a day
    /// found, four times that).
    fn worth_keeping(&self) -> bool {
        let most = crate::scratch::KEEP_LINES_AT_MOST;
        self.ids.capacity() <= most
            && self.order.capacity() <= most
            && self.day.found.capacity() <= 4 * most
            && self.day.partners.capacity() <= 4 * most
    }
}

thread_local! {
    static NCCI_LISTS: Cell<NcciLists> = const {
        Cell::new(NcciLists {
            ids: Vec::new(),
            bypass: Vec::new(),
            order: Vec::new(),
            seen: Vec::new(),
            day: DayLists {
                by_code: Vec::new(),
                codes: Vec::new(),
                found: Vec::new(),
                partners: Vec::new(),
            },
        })
    };
}

/// The NCCI edits among the lines of one day (`group`, in claim order).
///
/// Each line against each other line of its day is quadratic in the
/// lines of a day; instead the day's codes are sorted once, each code's
/// column-2 partners among them found in the pair table (its rows, or a
/// search for each of the day's codes, whichever is fewer), and only the
/// pairs of lines whose codes pair are visited. The edits are the same, in
/// the same order: for each column-2 line, its column-1 lines in claim
/// order.
fn ncci_day(
    run: &mut Run<'_>,
    ids: &[Option<u16>],
    bypass: &[bool],
    group: &[usize],
    seen: &mut Vec<u64>,
    lists: &mut DayLists,
    first: &mut [(usize, usize); 2],
) {
    let (t, v) = (run.t, run.v);
    let DayLists {
        by_code,
        codes,
        found,
        partners,
    } = lists;
    // The day's lines by code, each code's lines in claim order.
    by_code.clear();
    by_code.extend(group.iter().filter_map(|&i| ids[i].map(|c| (c, i))));
    by_code.sort_unstable();
    codes.clear();
    for (k, &(c, _)) in by_code.iter().enumerate() {
        match codes.last_mut() {
            Some((last, range)) if *last == c => range.end = k + 1,
            _ => codes.push((c, k..k + 1)),
        }
    }
    // A day of many codes marks them in a bitmap: a code-1's rows are
    // then checked a bit each (a day of a few codes looks its pairs up).
    let many = codes.len() > 16;
    if many {
        seen.resize(1 << 10, 0);
        for &(c, _) in codes.iter() {
            seen[usize::from(c >> 6)] |= 1 << (c & 63);
        }
    }
    let on_day = |c: u16| seen[usize::from(c >> 6)] >> (c & 63) & 1 == 1;
    // Every pair of the day's codes in force: (code-2 slot, code-1 slot,
    // modifier indicator).
    found.clear();
    for (s1, &(c1, _)) in codes.iter().enumerate() {
        let rows = t.ncci.rows_of(c1);
        if rows.is_empty() {
            continue;
        }
        if many {
            // The code's rows, each looked up among the day's codes; of a
            // pair's rows, the first in force (as `Ncci::pair`).
            let mut last = None;
            for r in rows {
                let c2 = (r.0 & 0xFFFF) as u16;
                if !on_day(c2) || last == Some(c2) || !(r.1 <= v && v <= r.2) {
                    continue;
                }
                if let Ok(s2) = codes.binary_search_by_key(&c2, |&(c, _)| c) {
                    last = Some(c2);
                    found.push((s2, s1, r.3));
                }
            }
        } else {
            for (s2, &(c2, _)) in codes.iter().enumerate() {
                if let Some(m) = t.ncci.pair(c1, c2, v) {
                    found.push((s2, s1, m));
                }
            }
        }
    }
    if many {
        for &(c, _) in codes.iter() {
            seen[usize::from(c >> 6)] = 0;
        }
    }
    found.sort_unstable();
    // For each column-2 code, its column-1 lines in claim order, then the
    // edits of each of its lines.
    for pairs in found.chunk_by(|a, b| a.0 == b.0) {
        partners.clear();
        for &(_, s1, m) in pairs {
            let range = codes[s1].1.clone();
            partners.extend(by_code[range].iter().map(|&(_, i)| (i, m)));
        }
        partners.sort_unstable_by_key(|&(i, _)| i);
        for &(_, j) in &by_code[codes[pairs[0].0].1.clone()] {
            for &(i, m) in partners.iter() {
                if i == j {
                    continue;
                }
                match m {
                    // (An edit the contractor bypasses on the line does
                    // not count as raised first: it is taken away.)
                    0 => {
                        run.out.lines[j].hcpcs_edits.push(20);
                        if !run.bypassed_on(j, 20) {
                            first[0] = first[0].min((i, j));
                        }
                    }
                    _ if !(bypass[i] || bypass[j]) => {
                        run.out.lines[j].hcpcs_edits.push(40);
                        if !run.bypassed_on(j, 40) {
                            first[1] = first[1].min((i, j));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
