//! Edits on one line and the line's outputs (status indicator, APCs,
//! payment flags).

use super::data::{key, key_text, HcpcsRow, Tables};
use super::engine::{ClaimInput, LineResult, Run};
use super::order;
use super::path::{switch, Path};

/// The `data_hcpcs` flags the line edits read, by bit.
struct Bits {
    not_recognized_mcare: u8,
    not_recognized_opps: u8,
    non_reportable_site: u8,
    dmerc_billable_only: u8,
    non_billable_mac: u8,
    questionable: u8,
    information_only: u8,
}

impl Bits {
    fn of(t: &Tables) -> Bits {
        let f = |n: &str| t.hcpcs_flag(n);
        Bits {
            not_recognized_mcare: f("not_recognized_mcare"),
            not_recognized_opps: f("not_recognized_opps"),
            non_reportable_site: f("non_reportable_site"),
            dmerc_billable_only: f("dmerc_billable_only"),
            non_billable_mac: f("non_billable_mac"),
            questionable: f("questionable"),
            information_only: f("information_only"),
        }
    }
}

/// The line's code in the claim's version.
pub(crate) fn hcpcs_row<'t>(run: &Run<'t>, code: &str) -> Option<&'t HcpcsRow> {
    key(code.trim()).and_then(|k| run.t.hcpcs.get(&k, run.v))
}

/// The single-line edits and each line's outputs.
pub(crate) fn lines(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path, age: Option<u16>) {
    let (t, v) = (run.t, run.v);
    let b = Bits::of(t);
    run.out.lines = Vec::with_capacity(claim.lines.len());
    for line in &claim.lines {
        let mut out = LineResult {
            action_flag: "0".into(),
            composite_adjustment_flag: "00".into(),
            payment_adjustment_flag01: "0".into(),
            payment_adjustment_flag02: "0".into(),
            rejection_denial_flag: "0".into(),
            packaging_flag: "0".into(),
            payment_method_flag: "0".into(),
            discounting_formula: "1".into(),
            units_output: match line.units {
                Some(u) if u.fract() == 0.0 && u.abs() < 1e15 => format!("{}", u as i64),
                Some(u) => u.to_string(),
                None => String::new(),
            },
            hcpcs_apc: "00000".into(),
            payment_apc: "00000".into(),
            modifier_edits: vec![Vec::new(); line.modifiers.len()],
            ..LineResult::default()
        };
        let revenue = line.revenue_code.trim().parse::<u16>().ok();
        if revenue.is_none_or(|r| !t.revenue.has(&r, v)) {
            out.revenue_edits.push(41);
        }
        let row = if line.hcpcs.trim().is_empty() {
            None
        } else {
            let row = hcpcs_row(run, line.hcpcs);
            if row.is_none() && path.on(switch::HCPC) {
                out.hcpcs_edits.push(6);
            }
            row
        };
        if path.on(switch::MODIFIER_EDITS) {
            for (m, modifier) in line.modifiers.iter().enumerate() {
                if key(modifier.trim()).is_none_or(|k| !t.modifier.has(&k, v)) {
                    out.modifier_edits[m].push(22);
                }
            }
        }
        if let Some(row) = row {
            out.hcpcs_apc = key_text(row.apc);
            out.payment_apc = key_text(row.apc);
            if path.opps {
                out.status_indicator = key_text(row.status_indicator);
            }
            out.payment_indicator = row.payment_indicator.to_string();
            if let Some(age) = age {
                if path.on(switch::AGE_SEX_EDITS) && (age < row.lo_age || age > row.hi_age) {
                    out.hcpcs_edits.push(7);
                }
            }
            let site = !matches!(path.prefix, 12 | 13 | 76 | 85);
            for (on, bit, edit) in [
                (path.on(switch::NON_MCARE), b.not_recognized_mcare, 28),
                (path.on(switch::OPPS_EDITS), b.not_recognized_opps, 62),
                (site, b.non_reportable_site, 55),
                (path.on(switch::DME), b.dmerc_billable_only, 61),
                (true, b.non_billable_mac, 72),
                (true, b.questionable, 12),
                (true, b.information_only, 112),
            ] {
                if on && row.has(bit) {
                    out.hcpcs_edits.push(edit);
                }
            }
        }
        run.out.lines.push(out);
    }
    inpatient_only(run, claim);
}

/// 018: a line whose code is inpatient only (status indicator C); 049:
/// every other line of that day.
fn inpatient_only(run: &mut Run<'_>, claim: &ClaimInput<'_>) {
    let c = key("C").expect("a key");
    let days: Vec<&str> = claim
        .lines
        .iter()
        .filter(|l| hcpcs_row(run, l.hcpcs).is_some_and(|r| r.status_indicator == c))
        .map(|l| l.service_date.trim())
        .collect();
    if days.is_empty() {
        return;
    }
    for (i, l) in claim.lines.iter().enumerate() {
        if hcpcs_row(run, l.hcpcs).is_some_and(|r| r.status_indicator == c) {
            run.out.lines[i].hcpcs_edits.push(18);
        } else if days.contains(&l.service_date.trim()) {
            run.out.lines[i].hcpcs_edits.push(49);
        }
    }
}

/// 027: every line whose code is valid (or that has no code) has status
/// indicator N (its code's, or its revenue code's when it has no code):
/// the claim is rejected and nothing else is edited.
pub(crate) fn only_incidental(run: &Run<'_>, claim: &ClaimInput<'_>) -> bool {
    let n = key("N").expect("a key");
    let mut any = false;
    for l in &claim.lines {
        let si = if l.hcpcs.trim().is_empty() {
            let rev = l.revenue_code.trim().parse::<u16>().ok();
            match rev.and_then(|r| run.t.revenue.get(&r, run.v)) {
                Some(r) => r.status_indicator,
                None => continue,
            }
        } else {
            match hcpcs_row(run, l.hcpcs) {
                Some(r) => r.status_indicator,
                None => continue,
            }
        };
        if si != n {
            return false;
        }
        any = true;
    }
    any
}

/// Put every line's `hcpcs_edits` in the I/OCE's order (a stable sort, so
/// NCCI's edits keep the order they were raised in).
pub(crate) fn sort_line_edits(run: &mut Run<'_>) {
    for l in &mut run.out.lines {
        l.hcpcs_edits.sort_by_key(|&e| order::line_rank(e));
    }
}
