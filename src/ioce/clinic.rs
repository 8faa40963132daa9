//! Rural health clinics (71x) and federally qualified health centers
//! (77x): what their all-inclusive payment does not cover (edit 091) and
//! the FQHC's line outputs under its prospective payment system.
//!
//! Learned from pyoce's answers (docs/design/ioce-logic-lines.md §5).

use super::text::Trim;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::data::{hcpcs_bit, key, key_text, HcpcsRow, Key, Tables, Version};
use super::engine::{fqhc_cost_sharing_waived, read_date, ClaimInput, LineInput, LineResult, Run};
use super::lines::hcpcs_row;
use super::path::Path;

/// Whether a 71x or 77x line is outside the clinic's all-inclusive rate
/// (091): a code flagged `fqhc_non_covered`, or any line (a code or not,
/// valid or not) billed under the DME (029x) or ambulance (054x) revenue
/// codes. An RHC's intensive outpatient claim (condition code 92, from
/// v94) raises none.
pub(crate) fn not_covered(
    run: &Run<'_>,
    claim: &ClaimInput<'_>,
    path: &Path,
    line: &LineInput<'_>,
    row: Option<&HcpcsRow>,
) -> bool {
    if !matches!(path.prefix, 71 | 77) {
        return false;
    }
    if path.prefix == 71 && run.v >= 94 && claim.has_condition("92") {
        return false;
    }
    let revenue = line.revenue_code.trimmed();
    row.is_some_and(|r| r.has(hcpcs_bit!(run.t, "fqhc_non_covered")))
        || revenue.starts_with("029")
        || revenue.starts_with("054")
}

/// The outputs of an FQHC claim's lines (77x under OPPS): no APCs, and
/// every line paid within the FQHC encounter (payment method flag 5):
///
/// * a line outside the rate (091): `E1`, payment indicator 3, action
///   flag 5;
/// * an invalid code: `W`, payment indicator 3;
/// * a preventive service paid apart (`fqhc_non_packaged_preventive`):
///   its own status and payment indicators;
/// * care management paid apart (`fqhc_chronic_care`): its own status
///   indicator, payment indicator 2;
/// * a flu or pneumococcal vaccine (`fqhc_flu_ppv`): its own status
///   indicator, payment indicator 11 (an `E1` one is rejected);
/// * every other line: `N`, payment indicator 12, packaged into the
///   encounter (packaging flag 5; 6 for a preventive service or one
///   without cost sharing);
///
/// and on any of them modifier CS (cost sharing waived, from 2020-03-18)
/// on a line with a code, valid or not, makes the payment method flag `C`.
pub(crate) fn fqhc_outputs(
    run: &mut Run<'_>,
    claim: &ClaimInput<'_>,
    rejection_flag: fn(&Run<'_>, &super::engine::LineResult) -> &'static str,
) {
    let t = run.t;
    for (i, line) in claim.lines.iter().enumerate() {
        let has_code = !line.hcpcs.trimmed().is_empty();
        let row = if has_code {
            hcpcs_row(run, line.hcpcs)
        } else {
            None
        };
        let mut rdf = rejection_flag(run, &run.out.lines[i]);
        let o = &mut run.out.lines[i];
        let flag = |name_bit: u8| row.is_some_and(|r| r.has(name_bit));
        let (si, pi, packaging, method) = if o.hcpcs_edits.contains(&91) {
            o.action_flag = "5".into();
            ("E1".into(), "3".into(), "0", "5")
        } else if let (true, None) = (has_code, row) {
            ("W".into(), "3".into(), "0", "5")
        } else if let Some(r) = row.filter(|_| flag(hcpcs_bit!(t, "fqhc_non_packaged_preventive")))
        {
            (
                key_text(r.status_indicator),
                r.payment_indicator.into(),
                "0",
                "5",
            )
        } else if let Some(r) = row.filter(|_| flag(hcpcs_bit!(t, "fqhc_chronic_care"))) {
            // (Care management billed apart, G0511 and from 2025 the
            // codes that replace it: its own status, payment indicator 2;
            // pyoce, 5 of 5 such lines, and probes.)
            (key_text(r.status_indicator), "2".into(), "0", "5")
        } else if let Some(r) = row.filter(|_| flag(hcpcs_bit!(t, "fqhc_flu_ppv"))) {
            let si = key_text(r.status_indicator);
            if si == "E1" {
                rdf = "1";
            }
            (si, "11".into(), "0", "5")
        } else {
            let preventive = flag(hcpcs_bit!(t, "fqhc_preventive"))
                || flag(hcpcs_bit!(t, "deductible_coins_na"));
            (
                "N".into(),
                "12".into(),
                if preventive { "6" } else { "5" },
                "5",
            )
        };
        let method = if fqhc_cost_sharing_waived(claim.bill_type, line) {
            "C"
        } else {
            method
        };
        o.status_indicator = si;
        o.payment_indicator = pi;
        o.packaging_flag = packaging.into();
        o.payment_method_flag = method.into();
        o.rejection_denial_flag = rdf.into();
        o.hcpcs_apc = "00000".into();
        o.payment_apc = "00000".into();
        o.discounting_formula = "1".into();
        o.payment_adjustment_flag01 = "0".into();
        o.payment_adjustment_flag02 = "0".into();
        o.composite_adjustment_flag = "00".into();
        if line.units == Some(0.0) {
            o.units_output = "1".into();
        }
    }
}

/// The bill types outside the hospital's (12x, 13x, 14x, 85x) and the
/// community mental health center's (76x) that the I/OCE edits under OPPS:
/// skilled nursing (22x, 23x), home health (32x, 34x), religious
/// non-medical (43x), clinics (71x, 77x), ESRD (72x), CORF (75x), hospice
/// (81x, 82x) and 87x.
pub(crate) fn other_bill_type(path: &Path) -> bool {
    matches!(
        path.prefix,
        22 | 23 | 32 | 34 | 43 | 71 | 72 | 75 | 77 | 81 | 82 | 87
    )
}

/// Edits the I/OCE raises only on hospital claims, in pyoce's answers
/// on the differential test's claims (never on the other bill types):
/// 017 and 037 (bilateral and terminated procedures' units), 043 (blood
/// services without a product), 044 (observation revenue code), 058
/// (direct admission without G0378), 079 (blood revenue codes), 098
/// (a brachytherapy source without its procedure), 117 (a token charge).
/// (A home health claim paid under OPPS — 34x with a vaccine, splint or
/// cast — keeps 043: pyoce, 2 of 2 such lines on the dumps.)
const HOSPITAL_ONLY: &[u16] = &[17, 37, 43, 44, 58, 79, 98, 117];

/// Type III add-on codes without one of their primaries on the same day:
/// 108, on the other bill types ([`other_bill_type`]) and on every claim
/// not paid under OPPS (pyoce: 85x, 83x, 84x and 13x with OPPS flag 2,
/// 20 of 20 such claims; none on OPPS hospital claims).
pub(crate) fn type3_addon_edits(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    if path.opps && !other_bill_type(path) {
        return;
    }
    let (t, v) = (run.t, run.v);
    // The type III add-on lines (most claims have none: then no more work).
    let addons: Vec<(usize, Key)> = claim
        .lines
        .iter()
        .enumerate()
        .filter(|_| path.prefix != 43)
        .filter_map(|(i, l)| {
            let k = key(l.hcpcs.trimmed())?;
            let row = t.hcpcs.get(&k, v)?;
            row.has(hcpcs_bit!(t, "addon_type3")).then_some((i, k))
        })
        .collect();
    if addons.is_empty() {
        return;
    }
    // The codes of each day, for the type III add-on codes' primaries. A
    // type I add-on line without its own primary (106) is no one's
    // primary (pyoce: a 13122 with 106 does not answer for a 20701).
    // A critical access hospital's professional and facility lines answer
    // only among themselves ([`super::lines::addon_side`]).
    let on_day: HashSet<(bool, &str, Key)> = claim
        .lines
        .iter()
        .zip(run.out.lines.iter())
        .filter(|(_, o)| !o.hcpcs_edits.contains(&106))
        .filter_map(|(l, _)| {
            let side = super::lines::addon_side(path, l);
            Some((side, l.service_date.trimmed(), key(l.hcpcs.trimmed())?))
        })
        .collect();
    for (i, k) in addons {
        let line = &claim.lines[i];
        let (side, day) = (
            super::lines::addon_side(path, line),
            line.service_date.trimmed(),
        );
        let found = type3_primaries(t)
            .get(&k)
            .into_iter()
            .flatten()
            .any(|&(lo, hi, p)| lo <= v && v <= hi && on_day.contains(&(side, day, p)));
        let out = &mut run.out.lines[i];
        if !found && !out.hcpcs_edits.contains(&108) {
            out.hcpcs_edits.push(108);
        }
    }
    // The claim lists have 108 before 106 when the first line with 108
    // comes before the first type I add-on line with 106 (a drug
    // administration add-on's 106 comes after every 108): pyoce, 113 of
    // 113 claims with both.
    let out = &run.out.lines;
    let first = |hit: &dyn Fn(usize) -> bool| (0..out.len()).find(|&i| hit(i));
    if let Some(first_108) = first(&|i| out[i].hcpcs_edits.contains(&108)) {
        let type1 = first(&|i| {
            out[i].hcpcs_edits.contains(&106)
                && !key(claim.lines[i].hcpcs.trimmed())
                    .and_then(|k| t.hcpcs.get(&k, v))
                    .is_some_and(|r| r.has(hcpcs_bit!(t, "addon_drug_admin")))
        });
        run.addon_108_first = type1.is_none_or(|j| first_108 < j);
    }
}

/// The line edits of the other bill types ([`other_bill_type`]) after the
/// single-line and pair edits: drop those raised only on hospital claims,
/// and the ones a path does not run (072 on an RHC, 048 on a religious
/// non-medical or hospice claim, 011 and 123 on a religious non-medical
/// one); raise 114 (modifier CS on a code not eligible for the waiver,
/// for services from 2020-03-18 through v91, when CMS ended it).
pub(crate) fn other_bill_type_edits(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    if !other_bill_type(path) {
        return;
    }
    let (t, v) = (run.t, run.v);
    let prefix = path.prefix;
    let has_cc = |cc: &str| claim.has_condition(cc);
    // Condition code 21 (a claim billed for a denial notice): 010, up to
    // v81 only.
    if has_cc("21") && v <= 81 {
        run.claim_edit(10);
    }
    // A religious non-medical institution's claim of partial
    // hospitalization (condition code 41): 046, and the claim goes on.
    if prefix == 43 && has_cc("41") {
        run.claim_edit(46);
    }
    for (line, out) in claim.lines.iter().zip(run.out.lines.iter_mut()) {
        // (A line whose revenue code Medicare does not recognise (065) is
        // not also questioned (012).)
        let unrecognized_revenue = out.revenue_edits.contains(&65);
        // (102, conflicting modifiers, is not raised on 43x.)
        let dropped = |e: u16| {
            (HOSPITAL_ONLY.contains(&e) && !(e == 43 && path.home_health_opps()))
                || (prefix == 71 && e == 72)
                || (prefix == 43 && matches!(e, 11 | 102))
                || (unrecognized_revenue && e == 12)
        };
        out.hcpcs_edits.retain(|&e| !dropped(e));
        if matches!(prefix, 43 | 81 | 82) {
            out.revenue_edits.retain(|&e| e != 48);
        }
        if prefix == 43 {
            for m in &mut out.modifier_edits {
                m.retain(|&e| e != 123);
            }
            continue;
        }
        if line.hcpcs.trimmed().is_empty() {
            continue;
        }
        let row = key(line.hcpcs.trimmed()).and_then(|k| t.hcpcs.get(&k, v));
        cs_waiver(t, v, line, row, out);
        // Observation (G0378) and direct admission (G0379) are billable on
        // hospital claims only: 053.
        if row.is_some_and(|r| {
            r.has(hcpcs_bit!(t, "observation_hourly"))
                || r.has(hcpcs_bit!(t, "observation_direct_admit"))
        }) && !out.hcpcs_edits.contains(&53)
        {
            out.hcpcs_edits.push(53);
        }
    }
    if prefix == 77 && !claim.bill_type.trimmed().starts_with("770") {
        fqhc_payment_code(run, claim);
    }
}

/// 088: an FQHC claim (not a zero-frequency 770) without an FQHC payment
/// code, unless one of its lines is a preventive service paid apart
/// (`fqhc_non_packaged_preventive`) or every line is outside the
/// encounter (091).
fn fqhc_payment_code(run: &mut Run<'_>, claim: &ClaimInput<'_>) {
    let (t, v) = (run.t, run.v);
    let mut payment_code = false;
    for l in &claim.lines {
        let k = key(l.hcpcs.trimmed());
        payment_code |= k.is_some_and(|k| t.fqhc_payment.has(&k, v));
        payment_code |= k
            .and_then(|k| t.hcpcs.get(&k, v))
            .is_some_and(|r| r.has(hcpcs_bit!(t, "fqhc_non_packaged_preventive")));
    }
    // (A contractor's bypass of 091 puts the line back in the encounter.)
    let all_outside = run
        .out
        .lines
        .iter()
        .enumerate()
        .all(|(i, o)| o.hcpcs_edits.contains(&91) && !run.bypassed_on(i, 91));
    if !payment_code && !all_outside {
        run.claim_edit(88);
    }
}

/// Add-on code → its primary codes, each with the versions it is in force.
type Primaries = HashMap<Key, Vec<(Version, Version, Key)>>;

/// Each type III add-on code's primary codes, with their versions
/// (`map_addon_type3` turned around once, so a claim's check is linear).
fn type3_primaries(t: &Tables) -> &'static Primaries {
    static INDEX: OnceLock<Primaries> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = Primaries::new();
        if let Some(map) = t.addon.get("type3") {
            for (&(addon, primary), rows) in map.iter() {
                for &(lo, hi, ()) in rows {
                    index.entry(addon).or_default().push((lo, hi, primary));
                }
            }
        }
        index
    })
}

/// A community mental health center's claim (76x under OPPS): 029 (a
/// partial hospitalization or intensive outpatient claim whose principal
/// diagnosis is not a mental health one) only when a line has a code that
/// is not packaged (status indicator other than `N`; an invalid code
/// counts), no line's day is denied for an inpatient-only procedure (049),
/// and the principal diagnosis is not a "code first" one (which answers
/// with 109 instead); 114 as on the other bill types; no 017 or 066.
pub(crate) fn cmhc_edits(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    if !(path.opps && path.prefix == 76) {
        return;
    }
    let (t, v) = (run.t, run.v);
    let principal = claim
        .principal
        .and_then(super::data::dx_key)
        .and_then(|k| t.dx.get(&k, v));
    // `data_dx10` flags: bit 1 mental_health, bit 3 code_first.
    let mental_health = principal.is_some_and(|d| d.flags & (1 << 1) != 0);
    let code_first = principal.is_some_and(|d| d.flags & (1 << 3) != 0);
    let day_denied = run.out.lines.iter().any(|o| o.hcpcs_edits.contains(&49));
    // A line's status indicator before packaging: its code's, W for an
    // invalid code, its revenue code's without a code.
    let unpackaged = claim.lines.iter().any(|l| {
        let si = if l.hcpcs.trimmed().is_empty() {
            l.revenue_code
                .trimmed()
                .parse::<u16>()
                .ok()
                .and_then(|r| t.revenue.get(&r, v))
                .map(|r| r.status_indicator)
        } else {
            key(l.hcpcs.trimmed())
                .and_then(|k| t.hcpcs.get(&k, v))
                .map(|r| r.status_indicator)
        };
        si.is_none_or(|s| key_text(s) != "N")
    });
    if !mental_health && !day_denied && unpackaged {
        if !code_first {
            run.claim_edit(29);
        } else {
            // A "code first" principal needs a mental health diagnosis
            // in the first secondary position (109).
            let first_secondary_mh = claim
                .secondary
                .first()
                .and_then(|d| key(d.trimmed()))
                .and_then(|k| t.dx.get(&k, v))
                .is_some_and(|d| d.flags & (1 << 1) != 0);
            if !first_secondary_mh {
                run.claim_edit(109);
            }
        }
    }
    for (line, out) in claim.lines.iter().zip(run.out.lines.iter_mut()) {
        out.hcpcs_edits.retain(|&e| e != 17 && e != 66);
        if line.hcpcs.trimmed().is_empty() {
            continue;
        }
        let row = key(line.hcpcs.trimmed()).and_then(|k| t.hcpcs.get(&k, v));
        cs_waiver(t, v, line, row, out);
    }
}

/// After the lines' edits are sorted: on the other bill types and the
/// paths that check type I add-ons (every claim not under OPPS) 106 is
/// listed once on a line, however many add-on tables found no primary.
/// The sort's order places it: after NCCI's edits and 055, before 091,
/// 061, and 044 and 017 on hospital claims not under OPPS (pyoce: 8 of 8
/// lines with 106 and 044 or 017, 54 with 091; a line never has both 106
/// and 108).
pub(crate) fn one_add_on_edit_per_line(run: &mut Run<'_>, path: &Path) {
    if !other_bill_type(path) && !super::lines::checks_type1_addons(path) {
        return;
    }
    for out in &mut run.out.lines {
        let mut seen = false;
        out.hcpcs_edits.retain(|&e| {
            let again = e == 106 && seen;
            seen |= e == 106;
            !again
        });
    }
}

/// 114: modifier CS (cost sharing waived) on a code not eligible for the
/// waiver, for services from 2020-03-18 through v91, when CMS ended it.
fn cs_waiver(
    t: &Tables,
    v: Version,
    line: &LineInput<'_>,
    row: Option<&HcpcsRow>,
    out: &mut LineResult,
) {
    let cs = line
        .modifiers
        .iter()
        .any(|m| m.trimmed().eq_ignore_ascii_case("CS"));
    let eligible =
        row.is_some_and(|r| r.has(hcpcs_bit!(t, "coinsurance_deductible_waiver_eligible")));
    if cs
        && !eligible
        && v <= 91
        && read_date(line.service_date).is_some_and(|d| d >= 20200318)
        && !out.hcpcs_edits.contains(&114)
    {
        out.hcpcs_edits.push(114);
    }
}

/// A partial hospitalization or intensive outpatient program's service
/// days, under OPPS. From v94 (2024): on 13x with condition code 92 (an
/// intensive outpatient program; also a CMHC's 76x) or 41 (partial
/// hospitalization), a day whose program services (`iop_service` /
/// `ph_service`, not their add-on codes) come to fewer than 3 units gets
/// 128 (IOP) or 131 (PH) on each of them, an information-only edit; a
/// day with program services but no primary one (`iop_primary` /
/// `ph_primary`) returns the claim: 190 (IOP) or 191 (PH). Neither where
/// an inpatient-only procedure's day denies the claim's lines (049).
/// (pyoce over four seeds: 58 of 60 such days, the 2 left are add-on-only
/// days, which get the claim edit and no line edit.) Before v94 such a
/// partial hospitalization day (13x with condition code 41, or a CMHC's
/// 76x) denies its services with 030.
pub(crate) fn program_day_edits(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    if !(path.opps && matches!(path.prefix, 13 | 76)) {
        return;
    }
    let has_cc = |cc: &str| claim.has_condition(cc);
    let v94 = run.v >= 94;
    let ph = (path.prefix == 13 && has_cc("41")) || (path.prefix == 76 && !v94);
    let (service, primary, addon, too_few, no_primary) = if v94 && has_cc("92") {
        ("iop_service", "iop_primary", "iop_addon", 128, Some(190))
    } else if v94 && ph {
        ("ph_service", "ph_primary", "ph_addon", 131, Some(191))
    } else if ph {
        // Before v94 a partial hospitalization day (13x with condition
        // code 41, or a CMHC's 76x) of too few services denies them:
        // 030, no claim edit.
        ("ph_service", "ph_primary", "ph_addon", 30, None)
    } else {
        return;
    };
    if run.out.lines.iter().any(|o| o.hcpcs_edits.contains(&49)) {
        return;
    }
    let t = run.t;
    let (service, primary, addon) = (
        t.hcpcs_flag(service),
        t.hcpcs_flag(primary),
        t.hcpcs_flag(addon),
    );
    // One pass over the lines, each code's row read once: the program
    // services (their day; whether they count, add-on codes do not) and
    // the days with a primary service. Sorted by day: linear after the
    // sort.
    let mut services: Vec<(&str, usize, bool)> = Vec::new();
    let mut primary_days: HashSet<&str> = HashSet::new();
    for (i, l) in claim.lines.iter().enumerate() {
        let Some(row) = hcpcs_row(run, l.hcpcs) else {
            continue;
        };
        let day = l.service_date.trimmed();
        if row.has(primary) {
            primary_days.insert(day);
        }
        if row.has(service) {
            services.push((day, i, !row.has(addon)));
        }
    }
    if services.is_empty() {
        return;
    }
    services.sort_unstable();
    let mut no_primary_day = false;
    for day in services.chunk_by(|a, b| a.0 == b.0) {
        no_primary_day |= !primary_days.contains(day[0].0);
        let counted = day.iter().filter(|s| s.2).map(|&(_, i, _)| i);
        let units: f64 = counted
            .clone()
            .map(|i| claim.lines[i].units.unwrap_or(0.0))
            .sum();
        if units < 3.0 {
            for i in counted {
                run.out.lines[i].hcpcs_edits.push(too_few);
            }
        }
    }
    if let Some(edit) = no_primary.filter(|_| no_primary_day) {
        run.claim_edit(edit);
    }
}
