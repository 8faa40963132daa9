//! Service line checks: pointers, units, modifiers, dates, duplicates.

use super::registry::Builtin;
use super::Family;
use super::{rule, ClaimKind, PreparedLine};
use crate::cpt::CptSection;
use crate::date::Date;
use crate::icd10cm::IcdCmInfo;
use crate::laterality::{SIDE_BILATERAL, SIDE_LEFT, SIDE_RIGHT};
use crate::load::ProcedureCode;
use crate::mce::DxFlags;
use crate::modifier::Modifier;

// The modifiers the line rules name.
const LT: Modifier = Modifier::from_ascii(*b"LT");
const RT: Modifier = Modifier::from_ascii(*b"RT");
const BILATERAL: Modifier = Modifier::from_ascii(*b"50");
const PROFESSIONAL: Modifier = Modifier::from_ascii(*b"26");
const TECHNICAL: Modifier = Modifier::from_ascii(*b"TC");
const SEPARATE_EM: Modifier = Modifier::from_ascii(*b"25");

/// The line family (the rules' `rule!` declarations name it).
const FAMILY: Family = Family::Lines;

/// The line rules, in engine order.
pub(super) const RULES: &[Builtin] = &[
    PointerInvalid::BUILTIN,
    PrimaryPointer::BUILTIN,
    UnitsInvalid::BUILTIN,
    ModifierInvalid::BUILTIN,
    TooManyModifiers::BUILTIN,
    ModifierConflict::BUILTIN,
    Laterality::BUILTIN,
    DuplicateLine::BUILTIN,
    ServiceDate::BUILTIN,
    EmMissing25::BUILTIN,
];

fn code_list(l: &PreparedLine<'_>) -> Vec<String> {
    if l.raw.trim().is_empty() {
        vec![]
    } else {
        vec![l.display()]
    }
}

fn line_name(l: &PreparedLine<'_>) -> String {
    if l.raw.trim().is_empty() {
        format!("line {}", l.index + 1)
    } else {
        format!("line {} ({})", l.index + 1, l.display())
    }
}

rule!(
    PointerInvalid, "dx-pointer-invalid", Error,
    "a diagnosis pointer missing (professional), 0, beyond the diagnosis list, repeated, or more than 4 on a line",
    |c, out| {
        let n = c.diagnoses.len() as i64;
        for l in &c.lines {
            if l.pointers.is_empty() {
                if c.kind == ClaimKind::Professional {
                    out.emit(Some(l.index), format!("lines[{}].dx_pointers", l.index), code_list(l),
                        format!("{} has no diagnosis pointer: point to the diagnosis that supports it", line_name(l)));
                }
                continue;
            }
            if l.pointers.len() > 4 {
                out.emit(Some(l.index), format!("lines[{}].dx_pointers", l.index), code_list(l),
                    format!("{} has {} diagnosis pointers: a line takes at most 4", line_name(l), l.pointers.len()));
            }
            // Repeats by a set past a handful of pointers (linear on hostile lines).
            let mut seen = (l.pointers.len() > 16).then(std::collections::HashSet::new);
            for (k, &p) in l.pointers.iter().enumerate() {
                let field = || format!("lines[{}].dx_pointers[{k}]", l.index);
                let repeated = match seen.as_mut() {
                    Some(set) => !set.insert(p),
                    None => l.pointers[..k].contains(&p),
                };
                if let Some(v) = crate::claim::pointer_number(p) {
                    out.emit(Some(l.index), field(), code_list(l),
                        format!("{} has diagnosis pointer {v:?}: a pointer is a whole number counting from 1", line_name(l)));
                } else if p < 1 {
                    out.emit(Some(l.index), field(), code_list(l),
                        format!("{} has diagnosis pointer {p}: pointers count from 1", line_name(l)));
                } else if p > n {
                    out.emit(Some(l.index), field(), code_list(l),
                        format!("{} points to diagnosis {p}, but the claim lists {n}", line_name(l)));
                } else if repeated {
                    out.emit(Some(l.index), field(), code_list(l),
                        format!("{} points to diagnosis {p} twice", line_name(l)));
                }
            }
        }
    }
);

rule!(
    PrimaryPointer,
    "primary-pointer-invalid",
    Error,
    "a line's first diagnosis pointer names an external cause, manifestation or header code",
    |c, out| {
        for l in &c.lines {
            let Some(&p) = l.pointers.first() else {
                continue;
            };
            if p < 1 {
                continue;
            }
            let Some(d) = c.diagnoses.get(p as usize - 1) else {
                continue;
            };
            let external = d.has(DxFlags::EXTERNAL_CAUSE)
                || (d.flags.is_none()
                    && d.code
                        .and_then(|x| x.char_at(0))
                        .is_some_and(|ch| matches!(ch, 'V' | 'W' | 'X' | 'Y')));
            let why = if external {
                "an external cause code, which cannot be the primary reason for a service"
            } else if d.has(DxFlags::MANIFESTATION) {
                "a manifestation code, which cannot be the primary reason for a service (point to the underlying condition first)"
            } else if d.status == super::CodeStatus::Header {
                "a category or subcategory, not a billable code"
            } else {
                continue;
            };
            out.emit(
                Some(l.index),
                format!("lines[{}].dx_pointers[0]", l.index),
                vec![l.display(), d.display()],
                format!(
                    "{} points first to diagnosis {p}, {}: {why}",
                    line_name(l),
                    d.display()
                ),
            );
        }
    }
);

/// True if a finite number has no fraction (as `u.fract() == 0.0`, without
/// the library call `fract` makes on baseline x86-64).
#[inline]
fn is_whole(u: f64) -> bool {
    // From 2^52 up every f64 is a whole number.
    u.abs() >= 4_503_599_627_370_496.0 || (u as i64) as f64 == u
}

/// The most units a line can bill before `units-invalid` calls them
/// implausible: a sanity bound far above every MUE value (MUEs run to the
/// low thousands), so that `1e308` or `2^64` units do not pass unnoticed.
pub const MAX_UNITS: f64 = 99_999.0;

rule!(
    UnitsInvalid,
    "units-invalid",
    Error,
    "units missing, zero, negative, fractional, or above 99,999 (rules::MAX_UNITS)",
    |c, out| {
        for l in &c.lines {
            let why = match l.units {
                None => "has no units".to_owned(),
                Some(u) if !u.is_finite() => "has units that are not a number".to_owned(),
                Some(u) if u > MAX_UNITS => {
                    format!("has {u:?} units: more than the {MAX_UNITS} a line can plausibly bill")
                }
                Some(0.0) => "has 0 units".to_owned(),
                Some(u) if u < 0.0 => format!("has negative units ({u})"),
                Some(u) if !is_whole(u) => {
                    format!("has fractional units ({u}): bill whole units")
                }
                _ => continue,
            };
            out.emit(
                Some(l.index),
                format!("lines[{}].units", l.index),
                code_list(l),
                format!("{} {why}", line_name(l)),
            );
        }
    }
);

rule!(
    ModifierInvalid, "modifier-invalid", Error,
    "a modifier that is not two letters or digits, not a CPT modifier number, or not in the HCPCS release in use",
    |c, out| {
        for l in &c.lines {
            for (k, m) in l.modifiers.iter().enumerate() {
                let raw = l.modifiers_raw.get(k).unwrap_or("");
                let why = match m {
                    None => format!("{raw:?} is not a modifier (two letters or digits)"),
                    Some(m) if !c.modifier_known(*m) => {
                        if m.is_cpt() {
                            format!("{m} is not a CPT modifier")
                        } else {
                            format!("{m} is not a HCPCS Level II modifier in the release in use ({})", c.hcpcs_source.unwrap_or("?"))
                        }
                    }
                    _ => continue,
                };
                out.emit(Some(l.index), format!("lines[{}].modifiers[{k}]", l.index), code_list(l),
                    format!("{}: modifier {why}", line_name(l)));
            }
        }
    }
);

rule!(
    TooManyModifiers,
    "too-many-modifiers",
    Error,
    "more than 4 modifiers on a line",
    |c, out| {
        for l in c.lines.iter().filter(|l| l.modifiers.len() > 4) {
            out.emit(
                Some(l.index),
                format!("lines[{}].modifiers", l.index),
                code_list(l),
                format!(
                    "{} has {} modifiers: a line takes at most 4",
                    line_name(l),
                    l.modifiers.len()
                ),
            );
        }
    }
);

rule!(
    ModifierConflict, "modifier-conflict", Error,
    "modifiers that contradict each other on a line: LT with RT, 50 with LT or RT, 26 with TC, a repeated modifier",
    |c, out| {
        for l in &c.lines {
            if l.modifiers.len() < 2 { continue }
            let pos = |m: Modifier| l.modifiers.iter().position(|x| *x == Some(m));
            for (a, b, why) in [
                (LT, RT, "left and right on one line: bill each side on its own line, or use 50 for a bilateral procedure"),
                (BILATERAL, LT, "50 (bilateral) already covers both sides"),
                (BILATERAL, RT, "50 (bilateral) already covers both sides"),
                (PROFESSIONAL, TECHNICAL, "26 (professional component) and TC (technical component) together are the global service: bill it without either"),
            ] {
                if let (Some(_), Some(j)) = (pos(a), pos(b)) {
                    out.emit(Some(l.index), format!("lines[{}].modifiers[{j}]", l.index), code_list(l),
                        format!("{}: modifiers {a} and {b} conflict: {why}", line_name(l)));
                }
            }
            let mut seen = (l.modifiers.len() > 16).then(std::collections::HashSet::new);
            for (k, m) in l.modifiers.iter().enumerate() {
                let Some(m) = m else { continue };
                let repeated = match seen.as_mut() {
                    Some(set) => !set.insert(*m),
                    None => l.modifiers[..k].contains(&Some(*m)),
                };
                if repeated {
                    out.emit(Some(l.index), format!("lines[{}].modifiers[{k}]", l.index), code_list(l),
                        format!("{}: modifier {m} is repeated", line_name(l)));
                }
            }
        }
    }
);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Left,
    Right,
    Bilateral,
}

/// The side a diagnosis title names (stored per code at build time).
fn side_of_dx(info: IcdCmInfo) -> Option<Side> {
    match info.title_side() {
        SIDE_LEFT => Some(Side::Left),
        SIDE_RIGHT => Some(Side::Right),
        SIDE_BILATERAL => Some(Side::Bilateral),
        _ => None,
    }
}

rule!(
    Laterality, "laterality-mismatch", Warning,
    "LT, RT or 50 on a line against a pointed diagnosis whose title says the other side (or one side for 50)",
    |c, out| {
        for l in &c.lines {
            let line_side = if l.has(BILATERAL) {
                Side::Bilateral
            } else {
                match (l.has(LT), l.has(RT)) {
                    (true, false) => Side::Left,
                    (false, true) => Side::Right,
                    _ => continue,
                }
            };
            for &p in l.pointers {
                if p < 1 { continue }
                let Some(d) = c.diagnoses.get(p as usize - 1) else { continue };
                let Some(info) = d.info else { continue };
                let Some(dx_side) = side_of_dx(info) else { continue };
                let clash = matches!(
                    (line_side, dx_side),
                    (Side::Left, Side::Right) | (Side::Right, Side::Left) | (Side::Bilateral, Side::Left | Side::Right)
                );
                if clash {
                    let m = match line_side { Side::Left => "LT (left)", Side::Right => "RT (right)", Side::Bilateral => "50 (bilateral)" };
                    let s = match dx_side { Side::Left => "the left side", Side::Right => "the right side", Side::Bilateral => "both sides" };
                    // The title in parentheses (left out when the build has no titles).
                    let title = info.title().map(|t| format!(" ({t})")).unwrap_or_default();
                    out.emit(Some(l.index), format!("lines[{}].modifiers", l.index), vec![l.display(), d.display()],
                        format!("{} is billed with {m}, but diagnosis {p} {} is for {s}{title}", line_name(l), d.display()));
                }
            }
        }
    }
);

fn sorted_mods(l: &PreparedLine<'_>) -> Vec<String> {
    let mut v: Vec<String> = l
        .modifiers_raw
        .iter()
        .map(|m| m.trim().to_ascii_uppercase())
        .collect();
    v.sort();
    v
}

/// How many runs of line numbers a grouped finding spells out before it
/// only counts the rest (keeps one finding short on a hostile claim).
const MAX_LISTED_RUNS: usize = 20;

/// 1-based line numbers for 0-based indices in increasing order, runs of
/// consecutive lines as ranges: `"2, 3 and 5"`, `"2-100000"`; past
/// [`MAX_LISTED_RUNS`] runs, `"… and 17 more lines"`.
pub(crate) fn line_numbers(indices: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &i in indices {
        match runs.last_mut() {
            Some((_, hi)) if *hi + 1 == i => *hi = i,
            _ => runs.push((i, i)),
        }
    }
    let text = |&(lo, hi): &(usize, usize)| match hi - lo {
        0 => format!("{}", lo + 1),
        1 => format!("{}, {}", lo + 1, hi + 1),
        _ => format!("{}-{}", lo + 1, hi + 1),
    };
    let shown: Vec<String> = runs.iter().take(MAX_LISTED_RUNS).map(text).collect();
    if runs.len() > MAX_LISTED_RUNS {
        let listed: usize = runs[..MAX_LISTED_RUNS]
            .iter()
            .map(|(lo, hi)| hi - lo + 1)
            .sum();
        return format!(
            "{} and {} more lines",
            shown.join(", "),
            indices.len() - listed
        );
    }
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => shown.concat(),
    }
}

rule!(
    DuplicateLine,
    "duplicate-line",
    Warning,
    "two or more lines with the same code, modifiers and date of service (one finding per group)",
    |c, out| {
        if !c.line_repeat_possible {
            return;
        }
        // Group equal lines by sorting (n log n), claim order kept inside a group.
        let mut keyed: Vec<_> = c
            .lines
            .iter()
            .filter_map(|l| Some((l.code?, l.date, sorted_mods(l), l.index)))
            .collect();
        keyed.sort_unstable();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut start = 0;
        for end in 1..=keyed.len() {
            let same = end < keyed.len() && {
                let (a, b) = (&keyed[start], &keyed[end]);
                a.0 == b.0 && a.1 == b.1 && a.2 == b.2
            };
            if !same {
                if end - start > 1 {
                    groups.push(keyed[start..end].iter().map(|k| k.3).collect());
                }
                start = end;
            }
        }
        // Findings in the order of each group's first repeated line.
        groups.sort_unstable_by_key(|g| g[1]);
        for g in &groups {
            let (first, l) = (&c.lines[g[0]], &c.lines[g[1]]);
            let Some(code) = l.code else { continue };
            let date = l.date.map(|d| format!(" on {d}")).unwrap_or_default();
            let who = if g.len() == 2 {
                format!("{} repeats", line_name(l))
            } else {
                format!("lines {} ({}) repeat", line_numbers(&g[1..]), l.display())
            };
            out.emit(Some(l.index), format!("lines[{}]", l.index), vec![code.to_string()],
                format!("{who} line {}: same code, modifiers and date{date}; bill the units on one line, or add a modifier (76, 77, 91, 59) if it is a distinct service", first.index + 1));
        }
    }
);

rule!(
    ServiceDate, "service-date-invalid", Error,
    "a date of service missing or unparseable, a discharge before admission, or a line or procedure date outside the admission-discharge span",
    |c, out| {
        for (name, f) in [
            ("service_date", c.service_date),
            ("admission_date", c.admission_date),
            ("discharge_date", c.discharge_date),
        ] {
            if f.is_invalid() {
                out.emit(None, name, vec![], format!("{name} {:?} is not a date (YYYY-MM-DD)", f.raw.unwrap_or("")));
            }
        }
        if let (Some(a), Some(d)) = (c.admission_date.date, c.discharge_date.date) {
            if d < a {
                out.emit(None, "discharge_date", vec![], format!("the discharge date {d} is before the admission date {a}"));
            }
        }
        // An outpatient claim is dated by its lines (and its statement
        // period, which the I/OCE checks): only one with no date at all
        // leaves the code set unchosen.
        if c.kind == ClaimKind::Institutional && c.discharge_date.raw.is_none() && c.service_date.raw.is_none()
            && !(c.outpatient && c.date.is_some()) {
            out.emit(None, "discharge_date", vec![], "the institutional claim has neither a discharge date nor a statement date: the code set cannot be chosen");
        }
        let span: Option<(Date, Date)> = match (c.admission_date.date, c.discharge_date.date) {
            (Some(a), Some(d)) if a <= d => Some((a, d)),
            _ => None,
        };
        for l in &c.lines {
            let field = || format!("lines[{}].service_date", l.index);
            if l.own_date.is_invalid() {
                out.emit(Some(l.index), field(), code_list(l),
                    format!("{}: service_date {:?} is not a date (YYYY-MM-DD)", line_name(l), l.own_date.raw.unwrap_or("")));
            } else if l.date.is_none() && c.service_date.raw.is_none() {
                if c.kind == ClaimKind::Professional {
                    out.emit(Some(l.index), field(), code_list(l),
                        format!("{} has no date of service, and the claim has none", line_name(l)));
                }
            } else if let (Some(d), Some((a, z)), Some(_)) = (l.own_date.date, span, l.own_date.raw) {
                if d < a || d > z {
                    out.emit(Some(l.index), field(), code_list(l),
                        format!("{} is dated {d}, outside the stay {a} to {z}", line_name(l)));
                }
            }
        }
        for p in &c.procedures {
            let field = || format!("procedures[{}].date", p.index);
            if p.date.is_invalid() {
                out.emit(None, field(), vec![p.display()],
                    format!("procedure {} date {:?} is not a date (YYYY-MM-DD)", p.display(), p.date.raw.unwrap_or("")));
            } else if let (Some(d), Some((a, z))) = (p.date.date, span) {
                if d < a || d > z {
                    out.emit(None, field(), vec![p.display()],
                        format!("procedure {} is dated {d}, outside the stay {a} to {z}", p.display()));
                }
            }
        }
    }
);

fn is_em(l: &PreparedLine<'_>) -> bool {
    matches!(l.code, Some(ProcedureCode::Cpt(c)) if c.number().is_some_and(|n| (99202..=99499).contains(&n)))
}

fn is_surgery(l: &PreparedLine<'_>) -> bool {
    matches!(l.code, Some(ProcedureCode::Cpt(c)) if c.section() == Some(CptSection::Surgery))
}

rule!(
    EmMissing25, "em-with-procedure-missing-25", Warning,
    "an E/M code (99202-99499) on the same date as a Surgery-section procedure, without modifier 25",
    |c, out| {
        if !c.lines.iter().any(|l| is_em(l) && !l.has(SEPARATE_EM)) { return }
        // The first Surgery line of each date, found by binary search (n log n).
        let mut surgery: Vec<(Option<Date>, usize)> = c
            .lines
            .iter()
            .filter(|s| is_surgery(s))
            .map(|s| (s.date, s.index))
            .collect();
        if surgery.is_empty() { return }
        surgery.sort_unstable();
        surgery.dedup_by_key(|s| s.0);
        for l in c.lines.iter().filter(|l| is_em(l)) {
            if l.has(SEPARATE_EM) { continue }
            if let Ok(k) = surgery.binary_search_by_key(&l.date, |s| s.0) {
                let s = &c.lines[surgery[k].1];
                out.emit(Some(l.index), format!("lines[{}].modifiers", l.index), vec![l.display(), s.display()],
                    format!("{} is an E/M service billed on the same date as procedure {} (line {}) without modifier 25: add 25 if the E/M is significant and separately identifiable, else it is bundled into the procedure", line_name(l), s.display(), s.index + 1));
            }
        }
    }
);

#[cfg(test)]
mod tests {
    use super::is_whole;

    proptest::proptest! {
        #[test]
        fn is_whole_is_fract_zero(u in proptest::num::f64::NORMAL | proptest::num::f64::ZERO | proptest::num::f64::SUBNORMAL) {
            proptest::prop_assert_eq!(is_whole(u), u.fract() == 0.0);
        }
    }

    #[test]
    fn is_whole_edges() {
        for u in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -2.5,
            1e300,
            -1e300,
            4_503_599_627_370_495.5,
            9.007_199_254_740_993e15,
        ] {
            assert_eq!(is_whole(u), u.fract() == 0.0, "{u}");
        }
    }
}
