//! Each line's final status indicator and the payment outputs that follow
//! from it (APCs, payment indicator, discounting formula, flags, units), and
//! the edits that read the final status indicator (021, 038, 042, 047).
//!
//! The rules are the ones learned from pyoce's answers in
//! docs/design/ioce-logic-lines.md (§1 line outputs, §3 packaging on
//! multi-line claims, §4 other bill types) and ioce-logic-pairs.md §4
//! (visits).

use super::data::{hcpcs_bit, key, key_text, HcpcsRow, Key, Tables, Version};
use super::engine::{read_date, ClaimInput, LineInput, LineResult, Run};
use super::lines::hcpcs_row;
use super::path::{switch, Path};
use super::text::Trim;
use super::Flag;

/// A status indicator (or any code of up to eight bytes) as a [`Key`], at
/// compile time.
const fn si(s: &str) -> Key {
    let b = s.as_bytes();
    let mut k = 0u64;
    let mut i = 0;
    while i < b.len() {
        k |= (b[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

const A: Key = si("A");
const J1: Key = si("J1");
/// The comprehensive APC of an inpatient-only procedure on a patient who
/// died before admission (modifier CA).
const CA_APC: Key = si("05881");
const J2: Key = si("J2");
const N: Key = si("N");
const P: Key = si("P");
const Q1: Key = si("Q1");
const Q2: Key = si("Q2");
const Q3: Key = si("Q3");
const Q4: Key = si("Q4");
const S: Key = si("S");
const T: Key = si("T");
const V: Key = si("V");
const W: Key = si("W");
const NO_APC: Key = si("00000");

/// `data_modifier` flag `non_discount` (76, 77, 78, 79).
const NON_DISCOUNT_MODIFIER: u8 = 1 << 2;

/// The status indicators a comprehensive (J1) claim does not package
/// (§3.4: G, K1, L, U, E1, E2 probed; the others assumed; R, P and Y
/// are packaged in pyoce's answers).
const J1_KEEPS: &[Key] = &[
    si("G"),
    si("K1"),
    si("L"),
    si("U"),
    si("E1"),
    si("E2"),
    si("F"),
    si("H"),
    si("H1"),
    si("B"),
    si("C"),
    si("M"),
];

/// One line as the payment steps see it.
struct Line<'t> {
    /// The line's code, when it is valid in the version.
    code: Option<Key>,
    row: Option<&'t HcpcsRow>,
    /// The line has a code that is not valid in the version (006).
    invalid_code: bool,
    /// The status indicator before packaging: the code's, the revenue
    /// code's on a line without a code, `W` for an invalid code.
    data_si: Key,
    /// The status indicator as the steps change it.
    si: Key,
    /// The line carries a line rejection or denial other than 007.
    rejected: bool,
    /// The line is rejected for the packaging steps: 017 (bilateral
    /// units) does not stop a line from packaging or being packaged.
    off: bool,
    date: &'t str,
    units: f64,
    /// The APC that pays the line when it is not its code's.
    payment_apc: Option<Key>,
    /// The line's composite ordinal (1, 2, …) when it is part of one.
    composite: Option<u8>,
    /// Units paid once (a comprehensive primary, a composite prime).
    units_to_one: bool,
}

impl Line<'_> {
    fn apc(&self) -> Key {
        self.row.map_or(NO_APC, |r| r.apc)
    }

    fn flag(&self, bit: u8) -> bool {
        self.row.is_some_and(|r| r.has(bit))
    }
}

/// Whether the line has modifier `m` (any case, trimmed).
pub(super) fn has_modifier(line: &LineInput<'_>, m: &str) -> bool {
    line.modifiers
        .iter()
        .any(|x| x.trimmed().eq_ignore_ascii_case(m))
}

/// Every edit on a line.
fn line_edits(o: &LineResult) -> impl Iterator<Item = u16> + '_ {
    o.hcpcs_edits
        .iter()
        .chain(&o.service_date_edits)
        .chain(&o.revenue_edits)
        .chain(o.modifier_edits.iter().flatten())
        .copied()
}

/// Whether a line's edits reject or deny it (disposition 5 or 6), 007
/// and the edits in `aside` aside (§1.3).
fn rejected(run: &Run<'_>, o: &LineResult, aside: &[u16]) -> bool {
    // (The information-only ones, 007, 128 and 131, do not reject the
    // line: a Q3 line with 128 or 131 is paid at its APC, pyoce 16 of 16.)
    line_edits(o).any(|e| {
        !matches!(e, 7 | 128 | 131) && !aside.contains(&e) && matches!(run.disposition(e), 5 | 6)
    })
}

/// The status indicator of `apc` in the claim's version.
fn apc_si(run: &Run<'_>, apc: Key) -> Option<Key> {
    run.t.apc.get(&apc, run.v).map(|a| a.status_indicator)
}

/// The payment of `apc` in the claim's version (0 when it has none).
fn apc_payment(run: &Run<'_>, apc: Key) -> u32 {
    run.t.apc.get(&apc, run.v).map_or(0, |a| a.apc_payment)
}

/// A 13x claim on which the radiation oncology model's codes are paid under
/// the model (payment method flag B): from v80, not a program's claim
/// (condition code 41, 89 or 92).
fn ro_model_claim(run: &Run<'_>, claim: &ClaimInput<'_>) -> bool {
    run.v > 79 && !claim.is_program_claim()
}

/// Set every line's status indicator and payment outputs, and raise the
/// edits that read the final status indicator.
pub(crate) fn assign(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    let (t, v) = (run.t, run.v);
    // An FQHC's lines are paid within its encounter, without APCs.
    if path.opps && path.prefix == 77 {
        super::clinic::fqhc_outputs(run, claim, rejection_flag);
        return;
    }
    // Not under OPPS, an FQHC's line outside its encounter (091) is still
    // flagged so (action flag 5); its payment outputs are blank
    // (`engine::non_opps`).
    if path.prefix == 77 {
        for o in &mut run.out.lines {
            if o.hcpcs_edits.contains(&91) {
                o.action_flag = "5".into();
            }
        }
    }
    let mut ls: Vec<Line<'_>> = claim
        .lines
        .iter()
        .zip(&run.out.lines)
        .map(|(l, o)| {
            let has_code = !l.hcpcs.trimmed().is_empty();
            let row = if has_code {
                hcpcs_row(run, l.hcpcs)
            } else {
                None
            };
            let data_si = if has_code {
                row.map_or(W, |r| r.status_indicator)
            } else if o.revenue_edits.contains(&41) {
                // A revenue code not in force on the line's date (past the
                // last version) is an invalid one, whatever the claim's
                // version says (pyoce: W, or N under a J1: 16 of 16 lines).
                W
            } else {
                l.revenue_code
                    .trimmed()
                    .parse::<u16>()
                    .ok()
                    .and_then(|r| t.revenue.get(&r, v))
                    .map_or(W, |r| r.status_indicator)
            };
            Line {
                code: row.and_then(|_| key(l.hcpcs.trimmed())),
                row,
                invalid_code: has_code && row.is_none(),
                data_si,
                si: data_si,
                rejected: rejected(run, o, &[]),
                off: rejected(run, o, &[17]),
                date: l.service_date.trimmed(),
                units: l.units.unwrap_or(0.0),
                payment_apc: None,
                composite: None,
                units_to_one: false,
            }
        })
        .collect();
    // An inpatient-only procedure with modifier CA (the patient died
    // before admission) on 13x (and 12x with W2) is paid as a comprehensive service, APC
    // 05881, and packages the claim's other lines.
    // A therapy code paid only as therapy, under a therapy revenue code
    // (042x physical, 043x occupational, 044x speech): paid off the
    // fee schedule, A, whatever its status (13x; pyoce: 5 of 5 such lines;
    // 12x too, 3 of 3; not on an opioid treatment program's 13x claim,
    // 89: 0 of 2, nor on 14x).
    let therapy_path = path.prefix == 12 || (path.prefix == 13 && !claim.has_condition("89"));
    if therapy_path && path.opps {
        for (l, input) in ls.iter_mut().zip(&claim.lines) {
            let therapy_revenue = matches!(
                input.revenue_code.trimmed().as_bytes(),
                [b'0', b'4', b'2'..=b'4', _]
            );
            if therapy_revenue && l.flag(hcpcs_bit!(t, "therapy_conditionally_paid")) {
                l.data_si = A;
                l.si = A;
            }
        }
    }
    section_603_overrides(run, claim, path, &mut ls);
    let ca_line = run.ca_line;
    if let Some(i) = ca_line {
        ls[i].si = J1;
        ls[i].payment_apc = Some(CA_APC);
    }
    // 85x (critical access hospitals) gets none of the OPPS payment logic
    // (§4).
    let full = path.opps && path.prefix != 85;
    if fee_schedule(path) {
        fee_schedule_outputs(run, &mut ls);
        return;
    }
    if full {
        packaging(run, claim, path, &mut ls);
        // (A home health claim's visits and procedures are not edited
        // against each other (021, 042): pyoce, 5 of 5 such claims.)
        if !path.home_health_opps() {
            final_si_edits(run, claim, path, &ls);
        }
    } else if path.prefix == 85 && !path.opps {
        // A critical access hospital not under OPPS still answers a visit
        // beside a procedure (021): pyoce, 5 of 5 such claims; under OPPS
        // it does not.
        visit_beside_procedure(run, claim, path, &ls);
    }
    outputs(run, claim, path, &ls, full);
    if path.home_health_opps() {
        home_health_fee_schedule_lines(run, &ls);
    }
    // A CMHC (76x) is paid no APC for its lines in pyoce's answers: a
    // packaged line (N) keeps payment method flag 0, every other line is
    // not paid (1).
    // (Nor does it raise 038 or 042, which read the final status
    // indicators.)
    // A partial hospitalization service (`ph_service`) is paid within the
    // program's day: payment method flag 0 whatever its status, and a Q3
    // one keeps its code's APC as its payment APC (pyoce: 7 of 7 such
    // lines; rejected or denied ones too).
    if path.opps && path.prefix == 76 {
        let t = run.t;
        for (i, l) in ls.iter().enumerate() {
            let rejected = rejection_flag(run, &run.out.lines[i]) != "0";
            let o = &mut run.out.lines[i];
            let ph = l.flag(hcpcs_bit!(t, "ph_service"));
            // (A program day's composite keeps its per diem APC.)
            if l.composite.is_none() {
                o.payment_apc = if ph && l.si == Q3 {
                    o.hcpcs_apc.clone()
                } else {
                    "00000".into()
                };
            }
            // (A telehealth originating site's fee, Q3014, and a distant
            // site's telehealth service, G2025, are paid to the CMHC as on
            // other claims: 2, or 3 when rejected or denied; pyoce, 3 of 3
            // such lines, and probes beside other A codes, which stay 1.)
            let telehealth = matches!(
                claim.lines.get(i).map(|x| x.hcpcs.trimmed()),
                Some("Q3014" | "G2025")
            );
            o.payment_method_flag = if l.si == N || ph {
                "0"
            } else if telehealth {
                if rejected {
                    "3"
                } else {
                    "2"
                }
            } else {
                "1"
            }
            .into();
            o.hcpcs_edits.retain(|&e| e != 38 && e != 42);
        }
    }
}

/// The first payment adjustment flag of the non-opioid pain management
/// devices and drugs paid on their own, numbered by distinct code in claim
/// order (one code on several lines keeps its number):
///
/// * a device (flag `nonopioid_device`, final SI H1) on 12x or 13x, not on
///   a program's claim (41, 89, 92): 26 for the first code, 27 for the
///   second (pyoce: 48 of 48 such lines paid; probes; a third code is
///   rejected, 137, not done here);
/// * a drug (`data_nonopioid_passthrough`, not a device, final SI K1) on
///   13x, not an opioid treatment program's (89) and not without a
///   procedure (099): 30, 31, 32 for the first three codes (pyoce: 2 of 2
///   such lines on the seeds, 0 on the 5 others, rejected or with 099 or on
///   an unprocessed claim; probes; a fourth code is rejected, 138, not done
///   here).
///
/// Either kind only when paid: not rejected or denied, not beside an
/// inpatient-only procedure with modifier CA (on 12x none is paid beside no
/// procedure either: 098, `lines::nonopioid_devices_without_procedure`).
fn nonopioid_flags(
    run: &Run<'_>,
    claim: &ClaimInput<'_>,
    path: &Path,
    ls: &[Line<'_>],
) -> Vec<Option<&'static str>> {
    const DEVICES: [&str; 2] = ["26", "27"];
    const DRUGS: [&str; 3] = ["30", "31", "32"];
    let (t, v) = (run.t, run.v);
    let mut out = vec![None; ls.len()];
    if run.ca_line.is_some() || !matches!(path.prefix, 12 | 13) {
        return out;
    }
    let mut devices: Vec<Key> = Vec::new();
    let mut drugs: Vec<Key> = Vec::new();
    for (i, l) in ls.iter().enumerate() {
        let Some(code) = l.code else { continue };
        let o = &run.out.lines[i];
        if l.si == N || rejection_flag(run, o) != "0" {
            continue;
        }
        let device = l.flag(hcpcs_bit!(t, "nonopioid_device"));
        let (seen, values) = if device {
            if l.si != si("H1") || claim.is_program_claim() {
                continue;
            }
            (&mut devices, &DEVICES[..])
        } else {
            if path.prefix != 13
                || l.si != si("K1")
                || claim.has_condition("89")
                || o.hcpcs_edits.contains(&99)
                || t.nonopioid.get(&code, v).is_none()
            {
                continue;
            }
            (&mut drugs, &DRUGS[..])
        };
        let rank = seen.iter().position(|&c| c == code).unwrap_or_else(|| {
            seen.push(code);
            seen.len() - 1
        });
        out[i] = values.get(rank).copied();
    }
    out
}

/// A hospital outpatient visit (final SI V, or J2 where the claim keeps
/// it) billed with modifier CS during the COVID-19 public health
/// emergency (services 2020-03-18 through 2023-05-11) on a 13x claim that
/// is not partial hospitalization (condition code 41): the visit's cost
/// sharing is waived, payment adjustment flag 9, whether or not its code is
/// eligible for the waiver (114). Not on 12x or 14x, and not on the other
/// statuses (pyoce: 3 of 3 such lines on the seeds, 0 of some 600 CS lines
/// of other statuses; probes on the dates' edges and bill types).
fn phe_visit_without_cost_sharing(
    claim: &ClaimInput<'_>,
    path: &Path,
    si: Key,
    input: &LineInput<'_>,
) -> bool {
    path.prefix == 13
        && matches!(si, V | J2)
        && !claim.has_condition("41")
        && input.modifiers.iter().any(|m| m.trimmed() == "CS")
        && read_date(input.service_date).is_some_and(|d| (20200318..=20230511).contains(&d))
}

/// The days (sorted) with a colorectal cancer screening code and a line
/// with modifier PT (a screening turned diagnostic): their procedures get
/// payment adjustment flag 4 or 25 (pyoce: 420 of 420 such lines, none on
/// the other days of those claims).
fn colorectal_days<'a>(run: &Run<'_>, claim: &ClaimInput<'_>, ls: &[Line<'a>]) -> Vec<&'a str> {
    let t = run.t;
    let mut screening: Vec<&str> = ls
        .iter()
        .filter(|l| l.flag(hcpcs_bit!(t, "colorectal")))
        .map(|l| l.date)
        .collect();
    if screening.is_empty() {
        return screening;
    }
    screening.sort_unstable();
    screening.dedup();
    let mut days: Vec<&str> = ls
        .iter()
        .zip(&claim.lines)
        .filter(|(l, input)| has_modifier(input, "PT") && screening.binary_search(&l.date).is_ok())
        .map(|(l, _)| l.date)
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// The bill types whose lines are paid off fee schedules, without APCs
/// (SNF 22x/23x, home health 32x, religious non-medical 43x, RHC 71x, ESRD
/// 72x, outpatient rehabilitation 74x, CORF 75x, hospice 81x/82x, 87x):
/// read from pyoce's answers on the differential test's claims.
fn fee_schedule(path: &Path) -> bool {
    path.opps
        && !path.home_health_opps()
        && matches!(
            path.prefix,
            22 | 23 | 32 | 34 | 43 | 71 | 72 | 74 | 75 | 81 | 82 | 87
        )
}

/// Whether a line's code is one of the services a home health agency is
/// paid under OPPS for: a vaccine, antigen, splint, cast or negative
/// pressure wound therapy.
fn home_health_opps_service(t: &Tables, l: &Line<'_>) -> bool {
    l.flag(hcpcs_bit!(t, "vaccine"))
        || l.flag(hcpcs_bit!(t, "negative_pressure_wound_therapy"))
        || l.flag(hcpcs_bit!(t, "antigen"))
        || l.flag(hcpcs_bit!(t, "splint"))
        || l.flag(hcpcs_bit!(t, "cast"))
}

/// On a home health claim down the APC path, the lines that are not paid
/// under OPPS keep their status indicator and HCPCS APC but are paid as on
/// the fee schedule: no payment APC, payment method flag 1 for a status
/// that is not paid, else 2 (3 when rejected) (pyoce: 5 such claims).
fn home_health_fee_schedule_lines(run: &mut Run<'_>, ls: &[Line<'_>]) {
    let not_paid = [si("C"), si("E1"), si("E2"), si("M"), si("Y"), W, si("Z")];
    let t = run.t;
    for (l, o) in ls.iter().zip(run.out.lines.iter_mut()) {
        if home_health_opps_service(t, l) {
            // (Such a service left Q1 by its rejection keeps its code's
            // APC as the payment APC, payment method flag 0: pyoce, 2 of
            // 2 such lines.)
            if l.si == Q1 && o.rejection_denial_flag != "0" {
                o.payment_apc = o.hcpcs_apc.clone();
                o.payment_method_flag = "0".into();
            }
            continue;
        }
        o.payment_apc = "00000".into();
        o.payment_method_flag = if not_paid.contains(&l.si) {
            "1"
        } else if o.rejection_denial_flag == "1" {
            "3"
        } else {
            "2"
        }
        .into();
    }
}

/// The outputs of a fee-schedule line: its status indicator before
/// packaging (Q4 packaged), no APCs, the payment method flag 1 for a
/// status that is not paid, else 2 (3 when the line is rejected).
fn fee_schedule_outputs(run: &mut Run<'_>, ls: &mut [Line<'_>]) {
    let (t, v) = (run.t, run.v);
    for (i, l) in ls.iter_mut().enumerate() {
        if l.data_si == Q4 {
            l.si = N;
        }
        // A rural health clinic's line outside its all-inclusive rate (091)
        // is not covered.
        if run.out.lines[i].hcpcs_edits.contains(&91) {
            l.si = si("E1");
        }
        let rdf = rejection_flag(run, &run.out.lines[i]);
        let o = &mut run.out.lines[i];
        o.rejection_denial_flag = rdf.into();
        o.status_indicator = key_text(l.si);
        o.hcpcs_apc = "00000".into();
        o.payment_apc = "00000".into();
        let pi = if l.si == P {
            9
        } else {
            t.status_payment.get(&l.si, v).copied().unwrap_or(3)
        };
        o.payment_indicator = pi.into();
        let packaged = l.si == N && (l.row.is_none() || l.data_si == Q4);
        o.packaging_flag = if packaged { "1" } else { "0" }.into();
        let not_paid = [si("C"), si("E1"), si("E2"), si("M"), si("Y"), W, si("Z")];
        o.payment_method_flag = if not_paid.contains(&l.si) {
            "1"
        } else if rdf == "1" {
            "3"
        } else {
            "2"
        }
        .into();
        o.discounting_formula = "1".into();
        o.payment_adjustment_flag01 = "0".into();
        o.payment_adjustment_flag02 = "0".into();
        o.composite_adjustment_flag = "00".into();
        if l.units == 0.0 {
            o.units_output = "1".into();
        }
    }
}

/// The outputs of the lines of a claim the I/OCE stopped for its bill type
/// (118, 046): each line's status indicator before packaging (`W` for an
/// invalid code, the revenue code's for a line without one) and its
/// payment indicator, units 0 read as 1 (pyoce's answers on the 118
/// claims of the differential test).
pub(crate) fn unprocessed(
    run: &mut Run<'_>,
    claim: &ClaimInput<'_>,
    opps: bool,
    stopped_for_bypass: bool,
) {
    let (t, v) = (run.t, run.v);
    // The radiation oncology model's B reads the type of bill's first two
    // digits, not the path: an invalid type of bill "13" has it too.
    let ro_model =
        opps && claim.bill_type.trimmed().starts_with("13") && ro_model_claim(run, claim);
    // A line without a code takes its revenue code's status, but not when
    // the claim runs past the last version (through 2036-04-01 or later):
    // then W, as for an invalid code (pyoce: 2 of 2 such claims, probes;
    // the coded lines keep their code's status). A claim stopped for its
    // contractor's bypasses (26) reads it still (pyoce, 1 of 1).
    let past_versions = !stopped_for_bypass
        && read_date(claim.through_date).is_some_and(|d| {
            t.versions
                .iter()
                .map(|x| x.end)
                .max()
                .is_some_and(|end| d > end)
        });
    for (l, o) in claim.lines.iter().zip(run.out.lines.iter_mut()) {
        let has_code = !l.hcpcs.trimmed().is_empty();
        let row = if has_code {
            key(l.hcpcs.trimmed()).and_then(|k| t.hcpcs.get(&k, v))
        } else {
            None
        };
        let si = match row {
            Some(r) => r.status_indicator,
            None if has_code || past_versions => W,
            None => l
                .revenue_code
                .trimmed()
                .parse::<u16>()
                .ok()
                .and_then(|r| t.revenue.get(&r, v))
                .map_or(W, |r| r.status_indicator),
        };
        if opps {
            o.status_indicator = key_text(si);
        }
        o.payment_indicator = row
            .map_or_else(
                || t.status_payment.get(&si, v).copied().unwrap_or(3),
                |r| r.payment_indicator,
            )
            .into();
        o.payment_method_flag =
            if ro_model && row.is_some_and(|r| r.has(hcpcs_bit!(t, "radiation_oncology_model"))) {
                "B"
            } else {
                "0"
            }
            .into();
        // A revenue code's N (no HCPCS code) is packaged; a code's N is not
        // marked on an unprocessed line.
        if row.is_none() && si == N {
            o.packaging_flag = "1".into();
        }
        if l.units == Some(0.0) {
            o.units_output = "1".into();
        }
    }
}

/// §3 steps 3–7: J2 and Q3 resolution, critical care, Q1/Q2 conditional
/// packaging, Q4 labs, composites, comprehensive (J1) packaging.
fn packaging(run: &Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &mut [Line<'_>]) {
    let t = run.t;
    // A path without the APC edits (13x with condition code 89, opioid
    // treatment) keeps every status indicator but Q4's.
    // (A community mental health center's claim (76x) is packaged like a
    // hospital's, though its path has no APC edits.)
    // (Nor is a home health claim's down the APC path.)
    if !path.on(switch::APC_EDITS) && path.prefix != 76 && !path.home_health_opps() {
        q4(path, claim, ls);
        // (A program's days are paid as composites there too: pyoce, 13x
        // with condition codes 41 and 89.)
        program_composites(run, claim, path, ls);
        // An opioid treatment program's claim that is also an intensive
        // outpatient program's (89 and 92, from v94) pays the program's
        // services as on the program's path: a Q3 one takes its APC's
        // status and a day's mental-health services may make the 08010
        // composite; its other Q3 lines stay Q3 (pyoce: 2 of 3 such
        // lines, the third rejected; probes).
        if path.prefix == 13 && run.v >= 94 && claim.has_condition("92") {
            let iop = t.hcpcs_flag("iop_service");
            for l in ls.iter_mut() {
                if l.data_si == Q3 && !l.off && l.flag(iop) {
                    if let Some(s) = apc_si(run, l.apc()) {
                        l.si = s;
                    }
                }
            }
            mental_health_composites(run, ls, Some(iop));
        }
        return;
    }
    // (Not on a partial hospitalization or intensive outpatient claim (41,
    // 92): pyoce left J2 on 10 of 10 such lines.)
    let php_iop = claim
        .condition_codes
        .iter()
        .any(|c| matches!(c.trimmed(), "41" | "92"));
    let thirteen = path.prefix == 13 && !php_iop;
    // J2 takes its APC's status indicator, rejected or not (13x; 12x and
    // 14x leave it J2, §4); G0379 (direct admission) is packaged, unless
    // rejected or denied: then it too takes its APC's (pyoce: V on 7 of 7
    // such lines without a J1 on the claim).
    for l in ls.iter_mut() {
        if l.data_si == J2 && thirteen {
            if l.flag(hcpcs_bit!(t, "observation_direct_admit")) && !l.rejected {
                l.si = N;
                l.payment_apc = Some(NO_APC);
            } else if let Some(s) = apc_si(run, l.apc()) {
                l.si = s;
            }
        }
    }
    // Q3 (not rejected) takes its APC's status indicator (not on a CMHC's
    // claim, nor a home health agency's: there are no composites).
    let composite_path = path.prefix != 76 && !path.home_health_opps();
    for l in ls.iter_mut() {
        if l.data_si == Q3 && !l.off && composite_path {
            if let Some(s) = apc_si(run, l.apc()) {
                l.si = s;
            }
        }
    }
    // Critical care (99291) packages its ancillary services.
    if ls.iter().any(|l| !l.off && l.code == Some(si("99291"))) {
        for l in ls.iter_mut() {
            if !l.off && l.flag(hcpcs_bit!(t, "critical_care_ancillary")) {
                l.si = N;
            }
        }
    }
    // Q1/Q2 (§3.1, §3.2): packaged by an S, T, V or J1 line (Q1) or a T
    // or J1 line (Q2) that is not rejected; without one, only the
    // best-paying of them is paid.
    // (The anchors' indicators are read where they are, not gathered in a
    // list: an allocation a claim.)
    let is_anchor = |l: &&Line<'_>| {
        let q = matches!(l.data_si, Q1 | Q2)
            || l.data_si == Q3 && l.flag(hcpcs_bit!(t, "stv_packaged"));
        !(l.off || q)
    };
    let anchors = || ls.iter().filter(is_anchor).map(|l| l.si);
    // Where there is no comprehensive packaging (12x, 14x, the
    // partial-hospitalization path) a J1 line packages nothing, not even a
    // Q1 or Q2.
    let comprehensive = comprehensive_packaging(claim, path);
    let j1 = if comprehensive { J1 } else { T };
    let stv = anchors().any(|s| matches!(s, S | T | V) || s == j1);
    let tj = anchors().any(|s| s == T || s == j1);
    let mut competing: Vec<usize> = Vec::new();
    for (i, l) in ls.iter_mut().enumerate() {
        if l.off || l.si == N {
            continue;
        }
        let packaged = match l.data_si {
            Q1 => stv,
            Q2 => tj,
            _ => continue,
        };
        if packaged {
            l.si = N;
        } else {
            competing.push(i);
        }
    }
    let best = competing
        .iter()
        .copied()
        .max_by_key(|&i| (apc_payment(run, ls[i].apc()), std::cmp::Reverse(i)));
    for &i in &competing {
        if Some(i) == best {
            ls[i].si = apc_si(run, ls[i].apc()).unwrap_or(ls[i].si);
            // Paid at a J1 APC it keeps its units (only a comprehensive
            // primary is cut to one, below): pyoce kept them on 32 of 32
            // such lines of 12x, 14x and program claims.
            ls[i].units_to_one = ls[i].si != J1;
        } else {
            ls[i].si = N;
        }
    }
    q4(path, claim, ls);
    program_composites(run, claim, path, ls);
    // (No composites on 14x: pyoce, 0 of 14 such groups.)
    if composite_path && path.prefix != 14 {
        composites(run, claim, ls);
    }
    // Comprehensive packaging on 13x only, and not on the partial
    // hospitalization path (condition code 41 or 92).
    if !comprehensive {
        return;
    }
    // Comprehensive APC (§3.4): the J1 line of the smallest rank is paid
    // and packages the rest.
    let primary = run.ca_line.or_else(|| {
        ls.iter()
            .enumerate()
            .filter(|(_, l)| l.si == J1)
            .min_by_key(|&(i, l)| (capc_rank(run, l), i))
            .map(|(i, _)| i)
    });
    if let Some(p) = primary {
        if run.ca_line.is_none() {
            complexity_adjustment(run, claim, ls, p);
        }
        ls[p].units_to_one = true;
        for (i, l) in ls.iter_mut().enumerate() {
            if i == p || J1_KEEPS.contains(&l.si) || l.invalid_code {
                continue;
            }
            // (Nor a therapy line paid off the fee schedule.)
            if l.si == A && l.flag(hcpcs_bit!(t, "therapy_conditionally_paid")) {
                continue;
            }
            if l.flag(hcpcs_bit!(t, "capc_exclusion")) {
                continue;
            }
            // (Nor packed red cells or whole blood billed under a blood
            // revenue code, 038x: pyoce, 8 of 8 such lines; those under
            // other revenue codes, and other blood products, are packaged.)
            let blood =
                l.flag(hcpcs_bit!(t, "packed_red_cells")) || l.flag(hcpcs_bit!(t, "whole_blood"));
            if blood && claim.lines[i].revenue_code.trimmed().starts_with("038") {
                continue;
            }
            l.si = N;
            l.payment_apc = None;
            l.composite = None;
            l.units_to_one = false;
        }
    }
    let _ = claim;
}

/// The comprehensive primary `p` paid at a higher APC (`map_capc`) when
/// the claim has a secondary code of its pair, or its own code more than
/// once (units over 1, or bilateral, modifier 50: pyoce, 3 of 3 such
/// primaries, and probes); not when it was discontinued (73, 74) (pyoce: 11
/// of 12 such claims; the other was discontinued).
fn complexity_adjustment(run: &Run<'_>, claim: &ClaimInput<'_>, ls: &mut [Line<'_>], p: usize) {
    let Some(primary) = ls[p].code else {
        return;
    };
    let input = &claim.lines[p];
    if has_modifier(input, "73") || has_modifier(input, "74") {
        return;
    }
    let twice = ls[p].units > 1.0 || has_modifier(input, "50");
    let adjusted = ls.iter().enumerate().find_map(|(j, l)| {
        let secondary = l.code?;
        if j == p && !twice {
            return None;
        }
        run.t
            .capc_complexity
            .get(&(primary, secondary), run.v)
            .copied()
    });
    if let Some(apc) = adjusted {
        ls[p].payment_apc = Some(apc);
    }
}

/// Whether a J1 line packages the claim (comprehensive APCs): on 13x,
/// and on 12x with condition code W2 (outpatient services unrelated to the
/// inpatient stay); not on the partial hospitalization path, nor on a 13x
/// claim with condition code 92 (intensive outpatient) in any version
/// (pyoce packaged none of 30 such 13x claims).
pub(crate) fn comprehensive_packaging(claim: &ClaimInput<'_>, path: &Path) -> bool {
    let has_cc = |cc: &str| claim.has_condition(cc);
    // (Condition code 92 stops it on 13x only: a 12x claim with W2 and 92
    // is packaged (pyoce: 9 of 9 such claims on seeds 1–3).)
    ((path.prefix == 13 && !has_cc("92")) || (path.prefix == 12 && has_cc("W2")))
        && !path.on(switch::PH_EDITS)
}

/// Whether every Q4 lab of the claim is packaged, whatever else it has: a
/// CMHC's (76x), and a 12x claim's with condition code W2 (not 41): pyoce,
/// 18 of 18 such 12x lines.
pub(crate) fn q4_always_packaged(claim: &ClaimInput<'_>, path: &Path) -> bool {
    let has_cc = |cc: &str| claim.has_condition(cc);
    path.prefix == 76 || (path.prefix == 12 && has_cc("W2") && !has_cc("41"))
}

/// Q4 (§3.3): packaged when any line, rejected or not, is a procedure or
/// visit (on 13x); otherwise paid as a lab (A).
fn q4(path: &Path, claim: &ClaimInput<'_>, ls: &mut [Line<'_>]) {
    let packaged_always = q4_always_packaged(claim, path);
    let anchored = ls
        .iter()
        .any(|l| matches!(l.data_si, S | T | V | J1 | J2 | Q1 | Q2 | Q3));
    for l in ls.iter_mut() {
        if l.data_si == Q4 {
            l.si = if (anchored && (path.prefix == 13 || path.home_health_opps()))
                || packaged_always
            {
                N
            } else {
                A
            };
        }
    }
}

/// The comprehensive rank of a line's code (`data_capc`; lower ranks
/// first).
fn capc_rank(run: &Run<'_>, l: &Line<'_>) -> u32 {
    l.code
        .and_then(|c| run.t.capc_rank.get(&c, run.v))
        .map_or(u32::MAX, |r| r.0)
}

/// The family of an imaging composite APC (§3.6): ultrasound, CT, MRI.
fn composite_family(apc: Key) -> Option<u8> {
    match apc {
        x if x == si("08004") => Some(4),
        x if x == si("08005") || x == si("08006") => Some(5),
        x if x == si("08007") || x == si("08008") => Some(7),
        _ => None,
    }
}

/// §3.8 a partial hospitalization or intensive outpatient program's day
/// paid as one composite: on 13x with condition code 41 (partial
/// hospitalization) or, from v94, 92 (intensive outpatient), and on a
/// CMHC's 76x (partial hospitalization before v94; from v94 41 or 92), each
/// date whose program services (`ph_service` / `iop_service`, not rejected
/// or denied) include a primary one (`ph_primary` / `iop_primary`) is paid
/// on its first primary line: status P, the program's per diem APC, units
/// one; the day's other services are packaged. The day's service units
/// (add-on codes aside) choose the APC from v94: 4 or more the higher one;
/// before v94 a day needs 3.
/// The composites are numbered by date (pyoce: probes of v90 and v98, 13x
/// and 76x, 1 to 7 units, one and two days).
fn program_composites(run: &Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &mut [Line<'_>]) {
    let t = run.t;
    let v94 = run.v >= 94;
    let has_cc = |cc: &str| claim.has_condition(cc);
    let iop = v94 && has_cc("92") && matches!(path.prefix, 13 | 76);
    let php = !iop
        && ((path.prefix == 13 && has_cc("41")) || (path.prefix == 76 && (!v94 || has_cc("41"))));
    if !(iop || php) {
        return;
    }
    let (service, primary, addon) = if iop {
        ("iop_service", "iop_primary", "iop_addon")
    } else {
        ("ph_service", "ph_primary", "ph_addon")
    };
    let (service, primary, addon) = (
        t.hcpcs_flag(service),
        t.hcpcs_flag(primary),
        t.hcpcs_flag(addon),
    );
    // (per diem APCs: a CMHC's 0585x, a hospital's 0586x; the lower of
    // each pair the only one before v94.)
    let (low, high) = match (path.prefix == 76, iop) {
        (true, true) => ("05851", "05852"),
        (true, false) => ("05853", "05854"),
        (false, true) => ("05861", "05862"),
        (false, false) => ("05863", "05864"),
    };
    let mut days: Vec<usize> = (0..ls.len())
        .filter(|&i| !ls[i].off && ls[i].flag(service))
        .collect();
    days.sort_by_key(|&i| (ls[i].date, i));
    let days: Vec<Vec<usize>> = days
        .chunk_by(|&a, &b| ls[a].date == ls[b].date)
        .map(<[usize]>::to_vec)
        .collect();
    let mut ordinal = 0u8;
    let mut composite_days: Vec<(&str, u8)> = Vec::new();
    for day in days {
        let Some(&prime) = day.iter().find(|&&i| ls[i].flag(primary)) else {
            continue;
        };
        let units: f64 = day
            .iter()
            .filter(|&&i| !ls[i].flag(addon))
            .map(|&i| ls[i].units)
            .sum();
        // (Before v94 a day of fewer than 3 units is no composite: its
        // services are denied (030), or stay as they are where the claim's
        // inpatient-only procedure denies its day's lines.)
        if !v94 && units < 3.0 {
            continue;
        }
        let apc = if v94 && units >= 4.0 { high } else { low };
        ordinal += 1;
        composite_days.push((ls[prime].date, ordinal));
        for &i in &day {
            let l = &mut ls[i];
            l.composite = Some(ordinal);
            if i == prime {
                l.si = P;
                l.payment_apc = Some(si(apc));
                l.units_to_one = true;
            } else {
                l.si = N;
            }
        }
    }
    // Services reportable on a program's claim only as part of its days
    // (`php_iop_reportable`, from v94) are packaged, into their day's
    // composite where it has one (pyoce: 96202 with and without a
    // primary service, on its day or another); not where an
    // inpatient-only procedure's day denies the claim's lines (049: 0 of
    // 2 such claims).
    let reportable = t.hcpcs_flag("php_iop_reportable");
    if run.out.lines.iter().any(|o| o.hcpcs_edits.contains(&49)) {
        return;
    }
    for l in ls.iter_mut() {
        if !l.off && l.flag(reportable) {
            l.si = N;
            l.composite = composite_days.iter().find(|d| d.0 == l.date).map(|d| d.1);
        }
    }
}

/// §3.6 imaging composites and §3.7 the mental-health composite.
fn composites(run: &Run<'_>, claim: &ClaimInput<'_>, ls: &mut [Line<'_>]) {
    mental_health_composites(run, ls, None);
    imaging_composites(run, claim, ls);
}

/// Mental health (08010): daily mental-health services of a date that pay
/// more in all (APC payment × units) than the composite are paid as the
/// composite, on the first of them; the others are packaged. `only`: the
/// services must have that flag too.
fn mental_health_composites(run: &Run<'_>, ls: &mut [Line<'_>], only: Option<u8>) {
    let t = run.t;
    // (After the program days' composites, [`program_composites`].)
    let mut ordinal = ls.iter().filter_map(|l| l.composite).max().unwrap_or(0);
    let mh = si("08010");
    let cap = u64::from(apc_payment(run, mh));
    let daily: Vec<usize> = (0..ls.len())
        .filter(|&i| {
            !ls[i].off
                && ls[i].si != N
                && ls[i].composite.is_none()
                && ls[i].flag(hcpcs_bit!(t, "daily_mental_health"))
                && only.is_none_or(|bit| ls[i].flag(bit))
        })
        .collect();
    // The lines by date, the dates in the order of their first lines.
    let mut by_date = daily;
    by_date.sort_by_key(|&i| (ls[i].date, i));
    let mut days: Vec<&[usize]> = by_date
        .chunk_by(|&a, &b| ls[a].date == ls[b].date)
        .collect();
    days.sort_by_key(|d| d[0]);
    for day in days {
        let total: f64 = day
            .iter()
            .map(|&j| f64::from(apc_payment(run, ls[j].apc())) * ls[j].units.max(1.0))
            .sum();
        if total <= cap as f64 {
            continue;
        }
        ordinal += 1;
        for (k, &j) in day.iter().enumerate() {
            let l = &mut ls[j];
            l.composite = Some(ordinal);
            if k == 0 {
                l.si = S;
                l.payment_apc = Some(mh);
                l.units_to_one = true;
            } else {
                l.si = N;
            }
        }
    }
}

/// Imaging, after the mental-health composites (pyoce numbers those first
/// whatever their dates): two or more units of one family on a date (one
/// line of several units will do) make one composite, its prime the first
/// of them.
fn imaging_composites(run: &Run<'_>, claim: &ClaimInput<'_>, ls: &mut [Line<'_>]) {
    let t = run.t;
    let mut ordinal = ls.iter().filter_map(|l| l.composite).max().unwrap_or(0);
    // A reduced or discontinued scan (52, 73) is no member; a line of 0
    // units counts one; a scan billed bilateral (50) whose code may be
    // done on each side (`bilateral_independent`) counts two (pyoce:
    // 6 such claims on the seeds; probes, where 74 and the bilateral
    // inherent codes count as usual).
    let mut members: Vec<(usize, &str, u8, Key, f64)> = Vec::new();
    for (i, l) in ls.iter().enumerate() {
        if l.off || l.si == N {
            continue;
        }
        let input = &claim.lines[i];
        if has_modifier(input, "52") || has_modifier(input, "73") {
            continue;
        }
        if let Some(&(apc, _)) = l.code.and_then(|c| t.composite.get(&c, run.v)) {
            if let Some(f) = composite_family(apc) {
                let sides = if has_modifier(input, "50")
                    && l.flag(hcpcs_bit!(t, "bilateral_independent"))
                {
                    2.0
                } else {
                    1.0
                };
                members.push((i, l.date, f, apc, l.units.max(1.0) * sides));
            }
        }
    }
    // The members grouped by date and family, the groups numbered by date,
    // then family (ultrasound, CT, MRI; pyoce, probes of two dates and
    // families), each group's members in claim order (a sort, not a
    // search of the members for each member).
    let mut by_group: Vec<usize> = (0..members.len()).collect();
    by_group.sort_by_key(|&b| (members[b].1, members[b].2, b));
    let groups: Vec<&[usize]> = by_group
        .chunk_by(|&a, &b| members[a].1 == members[b].1 && members[a].2 == members[b].2)
        .collect();
    for group in groups {
        if group.iter().map(|&b| members[b].4).sum::<f64>() < 2.0 {
            continue;
        }
        ordinal += 1;
        let apc = group.iter().map(|&b| members[b].3).max().unwrap_or(NO_APC);
        for (k, &b) in group.iter().enumerate() {
            let l = &mut ls[members[b].0];
            l.composite = Some(ordinal);
            if k == 0 {
                l.si = S;
                l.payment_apc = Some(apc);
                l.units_to_one = true;
            } else {
                l.si = N;
            }
        }
    }
}

/// 021: a visit on the day of a T or S procedure, without modifier 25.
fn visit_beside_procedure(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &[Line<'_>]) {
    // (The days of such procedures, sorted; a visit is not one of them.)
    let mut procedure_days: Vec<&str> = ls
        .iter()
        .filter(|o| !o.rejected && matches!(o.si, S | T))
        .map(|o| o.date)
        .collect();
    procedure_days.sort_unstable();
    procedure_days.dedup();
    // (Not on 14x, nor on 13x with condition code 41, 89 or 92.)
    let program = claim.is_program_claim();
    // (Nor on 85x with condition code 89: pyoce, 0 of 2 such claims.)
    let otp = claim.has_condition("89");
    let visit_edit =
        path.prefix != 14 && !(path.prefix == 13 && program) && !(path.prefix == 85 && otp);
    // A critical access hospital's claim not under OPPS keeps the tables'
    // status indicators, where an emergency or critical care visit is J2
    // (paid as a visit, V, when no comprehensive observation is made of
    // it): pyoce raises 021 on such lines too (15 of 15 J2 lines of 851
    // claims beside a T or S procedure, without 25).
    let cah_table_si = path.prefix == 85 && !path.opps;
    // (A direct referral for observation without its observation, 058, is
    // no visit: pyoce, 1 of 1 such line.)
    let visit = |o: &LineResult, si: Key| {
        si == V || (cah_table_si && si == J2 && !o.hcpcs_edits.contains(&58))
    };
    for (i, l) in ls.iter().enumerate() {
        if !visit_edit
            || !visit(&run.out.lines[i], l.si)
            || l.rejected
            || has_modifier(&claim.lines[i], "25")
        {
            continue;
        }
        let procedure = procedure_days.binary_search(&l.date).is_ok();
        if procedure {
            run.out.lines[i].hcpcs_edits.push(21);
        }
    }
}

/// The edits that read the final status indicator: 038 (§2.1), 021 and
/// 042 (ioce-logic-pairs.md §4), 047 (§3.5).
fn final_si_edits(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &[Line<'_>]) {
    let n = ls.len();
    // 038: a service that needs a procedure on the claim (H, U) without
    // one: a code of status S, T or J1 in the tables, rejected or packaged
    // as it may be (pyoce: 038 on none of 141 hospital lines beside one,
    // on 55 of 55 without).
    // (Or a Q1 paid as S; and not on 14x, nor an opioid treatment
    // program's 13x, condition code 89: pyoce, 0 of 14 such lines, 415 of
    // 416 on the other 13x.)
    let procedure = ls
        .iter()
        .any(|l| matches!(l.data_si, S | T | J1) || matches!(l.si, S | T | J1));
    let otp_13x = path.prefix == 13 && claim.has_condition("89");
    for (i, l) in ls.iter().enumerate() {
        if matches!(l.data_si, x if x == si("H") || x == si("U"))
            && !procedure
            && path.prefix != 14
            && !otp_13x
        {
            run.out.lines[i].hcpcs_edits.push(38);
        }
    }
    visit_beside_procedure(run, claim, path, ls);
    // 042: visits of one day and revenue code, more than one unit in all,
    // unless condition code G0.
    // (13x only, and not a program's claim — partial hospitalization,
    // intensive outpatient, opioid treatment: 41, 92, 89 — pyoce: 0 of 12
    // such lines on 14x, 0 of 17 on 12x, 0 of 4 on program claims; 56 of
    // 60 on the other 13x.)
    if !claim.has_condition("G0") && path.prefix == 13 && !claim.is_program_claim() {
        let excl = |i: usize| {
            run.out.lines[i]
                .hcpcs_edits
                .iter()
                .any(|&e| e == 18 || e == 49)
        };
        let visits: Vec<usize> = (0..n).filter(|&i| ls[i].si == V && !excl(i)).collect();
        // The visits grouped by day and revenue code (sorted, each group in
        // claim order): each group's units summed once, not once a visit.
        let group_key = |i: usize| (ls[i].date, claim.lines[i].revenue_code.trimmed());
        let mut by_group = visits;
        by_group.sort_by_key(|&i| (group_key(i), i));
        let mut hit = Vec::new();
        for group in by_group.chunk_by(|&a, &b| group_key(a) == group_key(b)) {
            let units: f64 = group
                .iter()
                .map(|&j| claim.lines[j].units.unwrap_or(0.0))
                .sum();
            if units > 1.0 {
                hit.extend_from_slice(group);
            }
        }
        for i in hit {
            run.out.lines[i].hcpcs_edits.push(42);
        }
    }
    // 047: every line rejected or packaged, one at least rejected: the
    // packaged lines are rejected too; not on a claim already returned to
    // the provider (it comes back whole), nor on one suspended (011, 012:
    // pyoce, 0 of 3 such claims).
    if ls.iter().any(|l| l.rejected)
        && ls.iter().all(|l| l.rejected || l.si == N)
        && !run.raised_with(3)
        && !run.raised_with(4)
    {
        for (i, l) in ls.iter().enumerate() {
            if !l.rejected {
                run.out.lines[i].hcpcs_edits.push(47);
            }
        }
    }
}

/// The rejection/denial flag of a line from its edits (§1.3): 1 for a
/// line rejection or denial other than the information-only ones (007,
/// 128, 131), 3 for those alone.
pub(super) fn rejection_flag(run: &Run<'_>, o: &LineResult) -> &'static str {
    // Information-only line rejections set the flag 3: 007, and a program
    // day's too few services (128 intensive outpatient, 131 partial
    // hospitalization).
    let mut seven = false;
    for e in line_edits(o) {
        if matches!(run.disposition(e), 5 | 6) {
            if !matches!(e, 7 | 128 | 131) {
                return "1";
            }
            seven = true;
        }
    }
    if seven {
        "3"
    } else {
        "0"
    }
}

/// The discounting formula (§1.4) of every line, date by date: the lines
/// discounted are those paid (not rejected or denied, not packaged) that
/// are terminated (52, 73), or that carry no non-discount modifier and are
/// T, carry 50 or have a bilateral code. The best-paying T line of them on
/// the date (its payment APC's payment, halved when terminated; the first
/// of equals) is the highest. A line's formula is a digit of the
/// `data_discount_formula` row of key (highest H/N, terminated Y/N,
/// modifier 50 Y/N): a T line's digit 0 when its code is bilateral
/// (conditional or independent), else 1; another line's 2 for an
/// independent bilateral code, 3 for a conditional one, else 4. Modifier
/// 50 does not count on a bilateral code's line that is the claim's
/// comprehensive primary (a J1 or J2 line left paid, or the line with
/// CA, on a claim that chooses one: 13x but not a program's, 12x with
/// W2), in a composite, or flagged to package (STV, T) but not left Q1 or
/// Q2. A line with a non-discount modifier that is not
/// terminated, and every line not discounted, keeps 1.
fn discounts(run: &Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &[Line<'_>]) -> Vec<Flag> {
    let t = run.t;
    let mut out: Vec<Flag> = vec!["1".into(); ls.len()];
    // Whether the claim chooses a comprehensive primary: 13x but not a
    // program's (41, 89, 92), 12x with condition code W2.
    let comprehensive = (path.prefix == 13 && !claim.is_program_claim())
        || (path.prefix == 12 && claim.has_condition("W2"));
    let non_discount = |input: &LineInput<'_>| {
        input.modifiers.iter().any(|m| {
            key(m.trimmed())
                .and_then(|k| t.modifier.get(&k, run.v))
                .is_some_and(|f| f & NON_DISCOUNT_MODIFIER != 0)
        })
    };
    let independent = hcpcs_bit!(t, "bilateral_independent");
    let conditional = hcpcs_bit!(t, "bilateral_conditional");
    let terminated = |input: &LineInput<'_>| has_modifier(input, "52") || has_modifier(input, "73");
    // The discounted lines, by date then claim order.
    let mut list: Vec<usize> = (0..ls.len())
        .filter(|&i| {
            let (l, input) = (&ls[i], &claim.lines[i]);
            if l.rejected || l.si == N {
                return false;
            }
            terminated(input)
                || (!non_discount(input)
                    && (l.si == T
                        || has_modifier(input, "50")
                        || l.flag(independent)
                        || l.flag(conditional)))
        })
        .collect();
    list.sort_by_key(|&i| ls[i].date);
    for day in list.chunk_by(|&a, &b| ls[a].date == ls[b].date) {
        let mut highest: Option<(usize, u32)> = None;
        for &i in day {
            let l = &ls[i];
            if l.si != T {
                continue;
            }
            let mut pay = apc_payment(run, l.payment_apc.unwrap_or(l.apc()));
            if terminated(&claim.lines[i]) {
                pay /= 2;
            }
            if highest.is_none_or(|(_, p)| pay > p) {
                highest = Some((i, pay));
            }
        }
        for &i in day {
            let (l, input) = (&ls[i], &claim.lines[i]);
            let term = terminated(input);
            if !term && non_discount(input) {
                continue;
            }
            let bilateral = l.flag(independent) || l.flag(conditional);
            let mod50 = has_modifier(input, "50");
            let primary = comprehensive && (matches!(l.si, J1 | J2) || run.ca_line == Some(i));
            let ignore50 = mod50
                && bilateral
                && !term
                && (primary
                    || l.composite.is_some()
                    || ((l.flag(hcpcs_bit!(t, "stv_packaged"))
                        || l.flag(hcpcs_bit!(t, "t_packaged")))
                        && !matches!(l.si, Q1 | Q2)));
            let formula_key = [
                if highest.is_some_and(|(h, _)| h == i) {
                    b'H'
                } else {
                    b'N'
                },
                if term { b'Y' } else { b'N' },
                if mod50 && !ignore50 { b'Y' } else { b'N' },
            ];
            let digit = if l.si == T {
                usize::from(!bilateral)
            } else if l.flag(independent) {
                2
            } else if l.flag(conditional) {
                3
            } else {
                4
            };
            let formula = std::str::from_utf8(&formula_key)
                .ok()
                .and_then(key)
                .and_then(|k| t.discount.get(&k, run.v))
                .and_then(|f| f.to_string().as_bytes().get(digit).copied());
            if let Some(d) = formula {
                out[i] = Flag::from(char::from(d));
            }
        }
    }
    out
}

/// The procedures billed with a token charge (more than 0, less than
/// $1.01) beside one that is not, on an OPPS 12x claim or a 13x claim
/// without condition code 89: packaging flag 3. The procedures counted are
/// the T lines with a valid code not on an inpatient procedure's day
/// (018, 049, 070, 121), and the S lines of a surgical code (five digits,
/// 10000–69999), wherever they are.
fn token_charges(run: &Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &[Line<'_>]) -> Vec<bool> {
    let mut token = vec![false; ls.len()];
    let cc89 = claim.has_condition("89");
    if !(path.opps && (path.prefix == 12 || (path.prefix == 13 && !cc89))) {
        return token;
    }
    let mut other = false;
    for (i, l) in ls.iter().enumerate() {
        let input = &claim.lines[i];
        let inpatient = line_edits(&run.out.lines[i]).any(|e| matches!(e, 18 | 49 | 70 | 121));
        let code = input.hcpcs.trimmed();
        let surgical = code.len() == 5
            && code.bytes().all(|b| b.is_ascii_digit())
            && ("10000"..="69999").contains(&code);
        let counted = (l.si == T && l.code.is_some() && !inpatient) || (l.si == S && surgical);
        if !counted {
            continue;
        }
        if input.charge.is_some_and(|c| c > 0.0 && c < 1.01) {
            token[i] = true;
        } else {
            other = true;
        }
    }
    if !other {
        token.fill(false);
    }
    token
}

/// The CT scans on equipment not meeting the NEMA standard (modifier CT on
/// a code so flagged), on an OPPS 12x, 14x, 76x claim or a 13x claim that
/// is not a program's (41, 89, 92): payment adjustment flag 14 when the
/// line is paid (not rejected or denied, not packaged). A CT scan packaged
/// into an imaging composite hands the flag to the composite's prime line,
/// unless the prime line has modifier CT itself.
fn ct_scans(run: &Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &[Line<'_>]) -> Vec<bool> {
    let t = run.t;
    let mut ct = vec![false; ls.len()];
    let program = claim.is_program_claim();
    if !(path.opps && (matches!(path.prefix, 12 | 14 | 76) || (path.prefix == 13 && !program))) {
        return ct;
    }
    let bit = hcpcs_bit!(t, "non_standard_ct_scan");
    // Each imaging composite's prime line, by ordinal.
    let mut prime: Vec<Option<usize>> = Vec::new();
    for (i, l) in ls.iter().enumerate() {
        if let Some(k) = l.composite {
            let k = usize::from(k);
            if prime.len() <= k {
                prime.resize(k + 1, None);
            }
            if l.si != N && l.payment_apc.is_some_and(|a| composite_family(a).is_some()) {
                prime[k] = Some(i);
            }
        }
    }
    for (i, l) in ls.iter().enumerate() {
        let input = &claim.lines[i];
        if l.rejected || !l.flag(bit) || !has_modifier(input, "CT") {
            continue;
        }
        if l.si != N {
            ct[i] = true;
        } else if let Some(p) = l.composite.and_then(|k| prime[usize::from(k)]) {
            if !has_modifier(&claim.lines[p], "CT") {
                ct[p] = true;
            }
        }
    }
    ct
}

/// Pass-through drugs whose cost is partly paid already in the APC of the
/// procedure they are used in: the lines whose payment is offset (payment
/// adjustment flag 18, 19 or 20; 0 for the others), on an OPPS 12x claim
/// or a 13x claim that is not a program's (41, 89, 92).
///
/// Radiopharmaceuticals first, over the whole claim: the procedures whose
/// APC is on the radiopharmaceutical offset list (the payment APC, the
/// code's own when the line has none) give one offset a unit; the first
/// that many pass-through radiopharmaceutical lines, in claim order, are
/// offset (18), and the first offset (value code QR) is taken as soon as
/// the claim has both. Then the other pass-through drugs (contrast, skin
/// substitutes, stress agents, and the radiopharmaceuticals not yet
/// offset), day by day, neither side counting a line with modifier 52, 73
/// or 74: on each day the procedures on the contrast, skin substitute or
/// stress agent lists give their units; the day's first min(drugs, units)
/// drug lines are offset. The days are taken best-paying first (the
/// offset amounts of the units used, higher amounts used first; the
/// earlier day of equals) for the free offsets of QR, QS, QT in turn: 18,
/// 19, 20. Lines without a valid code count on neither side.
fn drug_offsets(run: &Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &[Line<'_>]) -> Vec<u8> {
    let t = run.t;
    let v = run.v;
    let mut flag = vec![0u8; ls.len()];
    let program = claim.is_program_claim();
    if !(path.opps && (path.prefix == 12 || (path.prefix == 13 && !program))) {
        return flag;
    }
    // A line's offset APC on one of `lists` of `group`: (APC, amount).
    let offset = |l: &Line<'_>, group: u8, lists: &[u8]| -> Option<(Key, u64)> {
        let apc = match l.payment_apc {
            Some(a) if a != NO_APC => a,
            _ => l.apc(),
        };
        if apc == NO_APC {
            return None;
        }
        lists
            .iter()
            .find_map(|&list| t.offset_apc.get(&(group, list, apc), v))
            .map(|&amount| (apc, amount))
    };
    let units = |l: &Line<'_>| -> u64 {
        if l.units >= 1.0 {
            l.units as u64
        } else {
            1
        }
    };
    // APC groups (apc, amount, units), best-paying first, the first seen
    // first among equals.
    fn add(groups: &mut Vec<(Key, u64, u64)>, apc: Key, amount: u64, n: u64) {
        if let Some(g) = groups.iter_mut().find(|g| g.0 == apc) {
            g.2 += n;
        } else {
            let at = groups.iter().take_while(|g| g.1 >= amount).count();
            groups.insert(at, (apc, amount, n));
        }
    }
    // The amount of the first `count` units.
    fn amount(groups: &[(Key, u64, u64)], mut count: u64) -> u64 {
        let mut sum = 0;
        for g in groups {
            let n = count.min(g.2);
            sum += g.1 * n;
            count -= n;
            if count == 0 {
                break;
            }
        }
        sum
    }
    let radiopharm = hcpcs_bit!(t, "passthrough_radiopharm");
    let mut qr_taken = false;
    {
        let mut drugs = Vec::new();
        let mut groups = Vec::new();
        for (i, l) in ls.iter().enumerate() {
            if l.code.is_none() {
                continue;
            }
            if l.flag(radiopharm) {
                drugs.push(i);
            } else if let Some((apc, amt)) = offset(l, 1, &[1]) {
                add(&mut groups, apc, amt, units(l));
            }
        }
        if !drugs.is_empty() && !groups.is_empty() {
            qr_taken = true;
            let count = (drugs.len() as u64).min(groups.iter().map(|g| g.2).sum());
            for &i in drugs.iter().take(count as usize) {
                flag[i] = 18;
            }
        }
    }
    let drug_bits = [
        radiopharm,
        hcpcs_bit!(t, "passthrough_skin_product"),
        hcpcs_bit!(t, "passthrough_contrast"),
        hcpcs_bit!(t, "passthrough_stress_agent"),
    ];
    let mut order: Vec<usize> = (0..ls.len()).collect();
    order.sort_by_key(|&i| ls[i].date);
    // Each day with both: (the drug lines offset, amount, not yet taken).
    let mut days: Vec<(Vec<usize>, u64, bool)> = Vec::new();
    for day in order.chunk_by(|&a, &b| ls[a].date == ls[b].date) {
        let mut drugs = Vec::new();
        let mut groups = Vec::new();
        for &i in day {
            let l = &ls[i];
            let input = &claim.lines[i];
            if l.code.is_none()
                || has_modifier(input, "52")
                || has_modifier(input, "73")
                || has_modifier(input, "74")
            {
                continue;
            }
            if drug_bits.iter().any(|&b| l.flag(b)) {
                if flag[i] == 0 {
                    drugs.push(i);
                }
            } else if let Some((apc, amt)) = offset(l, 2, &[3, 2, 4]) {
                add(&mut groups, apc, amt, units(l));
            }
        }
        if !drugs.is_empty() && !groups.is_empty() {
            let count = (drugs.len() as u64).min(groups.iter().map(|g| g.2).sum());
            drugs.truncate(count as usize);
            days.push((drugs, amount(&groups, count), true));
        }
    }
    let free: &[u8] = if qr_taken { &[19, 20] } else { &[18, 19, 20] };
    for &f in free {
        // The best-paying day left, the earlier of equals.
        let mut best: Option<usize> = None;
        for (k, d) in days.iter().enumerate() {
            if d.2 && best.is_none_or(|b| d.1 > days[b].1) {
                best = Some(k);
            }
        }
        let Some(k) = best else { break };
        days[k].2 = false;
        for &i in &days[k].0 {
            flag[i] = f;
        }
    }
    flag
}

/// The observation clinic visit (G0463), which an excepted off-campus
/// department bills with modifier PO.
fn is_clinic_visit(input: &LineInput<'_>) -> bool {
    input.hcpcs.trimmed().eq_ignore_ascii_case("G0463")
}

/// Section 603 (non-excepted off-campus departments) applies to a 13x
/// claim under OPPS from v66: some line with a valid code bills modifier
/// PN (or, from v74, the clinic visit G0463 with PO) and is not packaged,
/// and no line was returned for PN on a service such a department cannot
/// bill (101).
fn section_603_applies(
    run: &Run<'_>,
    claim: &ClaimInput<'_>,
    path: &Path,
    ls: &[Line<'_>],
) -> bool {
    let v = run.v;
    // (Not on an opioid treatment program's claim, 89, which skips the
    // step.)
    let otp = claim.has_condition("89");
    if !(path.opps && path.prefix == 13 && v >= 66) || otp {
        return false;
    }
    if run
        .out
        .lines
        .iter()
        .any(|o| line_edits(o).any(|e| e == 101))
    {
        return false;
    }
    ls.iter()
        .zip(&claim.lines)
        .zip(&run.out.lines)
        .any(|((l, input), o)| {
            let packaged = l.data_si == N
                || (l.si == N
                    && matches!(l.data_si, Q1 | Q2 | Q3 | Q4)
                    && rejection_flag(run, o) == "0");
            l.row.is_some()
                && !packaged
                && (has_modifier(input, "PN")
                    || (v >= 74 && has_modifier(input, "PO") && is_clinic_visit(input)))
        })
}

/// A code of `map_s603_override` billed with modifier PN on a claim
/// section 603 applies to (13x under OPPS from v66, not an opioid
/// treatment program's, no line returned with 101) is paid at its section
/// 603 APC, status S — such a code is otherwise B, not recognised under
/// OPPS — and is not returned with 062. Its code's APC (`hcpcs_apc`)
/// stays none; the line still counts as B for the claim's edits read
/// from the codes' own statuses (099 beside a drug), and as S for those
/// read from the final ones (021 beside a visit). pyoce: 2 of 2 such
/// lines on the dumps (G6015, G6001); probes: not without PN on the line
/// itself (PN on another line), not on 12x, 14x, 13x not under OPPS, nor
/// beside a line with 101; beside a J1 procedure it stays S.
fn section_603_overrides(
    run: &mut Run<'_>,
    claim: &ClaimInput<'_>,
    path: &Path,
    ls: &mut [Line<'_>],
) {
    let (t, v) = (run.t, run.v);
    if !(path.opps && path.prefix == 13 && v >= 66) || claim.has_condition("89") {
        return;
    }
    if run
        .out
        .lines
        .iter()
        .any(|o| line_edits(o).any(|e| e == 101))
    {
        return;
    }
    for ((l, input), o) in ls.iter_mut().zip(&claim.lines).zip(&mut run.out.lines) {
        let apc = l.code.and_then(|c| t.s603_override.get(&c, v));
        if let Some(&apc) = apc.filter(|_| has_modifier(input, "PN")) {
            l.si = S;
            l.payment_apc = Some(apc);
            o.hcpcs_edits.retain(|&e| e != 62);
        }
    }
}

/// The payment method flag section 603 sets on a line of a claim it
/// applies to ([`section_603_applies`]), or `None` to keep the line's own:
/// a code paid under section 603 (`override_section603`) 7; with modifier
/// PN, F and L 7; not A, B, C, E, E1, E2, M, W, Y, Z; from v74 the clinic
/// visit with PO, not packaged, A; then with PN only: J1, J2, S, T, V and
/// Q1–Q4 7 when the line has no cost sharing to reduce (a section 603
/// code or exclusion, or payment adjustment flag 4, 9 or 10; never the
/// clinic visit), else 8; H, H1, R, U 7; P 7 on a partial hospitalization
/// (41) or, from v94, an intensive outpatient (92) claim.
fn section_603_method(
    t: &Tables,
    v: Version,
    claim: &ClaimInput<'_>,
    l: &Line<'_>,
    input: &LineInput<'_>,
    flags: [&str; 2],
) -> Option<&'static str> {
    let is = |names: &[&str]| names.iter().any(|&n| l.si == si(n));
    let pn = has_modifier(input, "PN");
    let condition = |c: &str| claim.has_condition(c);
    if l.flag(hcpcs_bit!(t, "override_section603")) {
        return Some("7");
    }
    if is(&["F", "L"]) {
        return pn.then_some("7");
    }
    if is(&["A", "B", "C", "E", "E1", "E2", "M", "W", "Y", "Z"]) {
        return None;
    }
    if v >= 74 && l.si != N && has_modifier(input, "PO") && is_clinic_visit(input) {
        return Some("A");
    }
    if !pn {
        return None;
    }
    if is(&["J1", "J2", "S", "T", "V", "Q1", "Q2", "Q3", "Q4"]) {
        let no_cost_sharing = !is_clinic_visit(input)
            && (l.flag(hcpcs_bit!(t, "section603_exclusion"))
                || flags.iter().any(|f| matches!(*f, "4" | "9" | "10")));
        return Some(if no_cost_sharing { "7" } else { "8" });
    }
    if is(&["H", "H1", "R", "U"]) {
        return Some("7");
    }
    if l.si == P && (condition("41") || (v >= 94 && condition("92"))) {
        return Some("7");
    }
    None
}

/// Write the outputs of every line from its final status indicator.
fn outputs(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path, ls: &[Line<'_>], full: bool) {
    let t = run.t;
    let v = run.v;
    let paf_second = v >= 102;
    let mut discount = if full {
        discounts(run, claim, path, ls)
    } else {
        Vec::new()
    };
    // (Flag 16 is not set on 14x, nor on a program's 13x claim (partial
    // hospitalization, intensive outpatient, opioid treatment: 41, 92,
    // 89): pyoce, 0 of 9 such lines; 18 of 18 on the other 12x and 13x.)
    let program = claim.is_program_claim();
    let device_termination_paid = path.prefix == 12 || (path.prefix == 13 && !program);
    let ro_model = ro_model_claim(run, claim);
    let token_packaged = if full {
        token_charges(run, claim, path, ls)
    } else {
        Vec::new()
    };
    let s603 = full && section_603_applies(run, claim, path, ls);
    let colorectal = if full {
        colorectal_days(run, claim, ls)
    } else {
        Vec::new()
    };
    let drug_offset = if full {
        drug_offsets(run, claim, path, ls)
    } else {
        vec![0; ls.len()]
    };
    let ct_scan = if full {
        ct_scans(run, claim, path, ls)
    } else {
        vec![false; ls.len()]
    };
    let nonopioid = if full {
        nonopioid_flags(run, claim, path, ls)
    } else {
        vec![None; ls.len()]
    };
    for (i, l) in ls.iter().enumerate() {
        let input = &claim.lines[i];
        let rdf = rejection_flag(run, &run.out.lines[i]);
        let discount = if full {
            std::mem::take(&mut discount[i])
        } else {
            "1".into()
        };
        let o = &mut run.out.lines[i];
        o.rejection_denial_flag = rdf.into();
        o.discounting_formula = discount;
        o.status_indicator = if path.opps {
            key_text(l.si)
        } else {
            Flag::new()
        };
        if !full {
            o.hcpcs_apc = "00000".into();
            o.payment_apc = "00000".into();
            o.payment_indicator = l.row.map_or_else(
                || {
                    t.status_payment
                        .get(&l.si, v)
                        .map_or(Flag::new(), |&p| p.into())
                },
                |r| r.payment_indicator.into(),
            );
            o.packaging_flag = "0".into();
            o.payment_method_flag = "0".into();
            o.payment_adjustment_flag01 = "0".into();
            o.payment_adjustment_flag02 = "0".into();
            o.composite_adjustment_flag = "00".into();
            continue;
        }
        o.hcpcs_apc = key_text(l.apc());
        let payment_apc = l
            .payment_apc
            .unwrap_or(if matches!(l.si, N | Q1 | Q2 | Q3 | A) {
                NO_APC
            } else {
                l.apc()
            });
        o.payment_apc = key_text(payment_apc);
        // (A program day's composite, P at a per diem APC, answers the
        // status's 8.)
        let pi = if l.si == P && l.composite.is_none() {
            9
        } else {
            t.status_payment.get(&l.si, v).copied().unwrap_or(0)
        };
        o.payment_indicator = pi.into();
        o.packaging_flag = if l.si == N {
            "1"
        } else if token_packaged[i] {
            "3"
        } else {
            "0"
        }
        .into();
        let no_cost_sharing = l.flag(hcpcs_bit!(t, "deductible_coins_na"))
            || has_modifier(input, "Q3")
            || phe_visit_without_cost_sharing(claim, path, l.si, input);
        let ro_line =
            l.flag(hcpcs_bit!(t, "radiation_oncology_model")) && path.prefix == 13 && ro_model;
        let base_method: &str = if ro_line {
            // The radiation oncology model: B on 13x, not on a program's
            // claim (pyoce: 49 of 49 such lines; 0 of 9 on 12x, 14x and
            // the programs' claims).
            "B"
        } else {
            match pi {
                3 => "1",
                2 | 4 if rdf == "1" => "3",
                2 | 4 => "2",
                _ => "0",
            }
        };
        let units = input.units.unwrap_or(0.0);
        let reduced = l.units_to_one && units > 1.0;
        if l.units_to_one || units == 0.0 {
            o.units_output = "1".into();
        }
        let paf = if l.si == N {
            "0"
        } else if no_cost_sharing {
            // Q3: a live kidney donor's services, without cost sharing.
            "9"
        } else if l.flag(hcpcs_bit!(t, "deductible_na")) {
            "4"
        } else if (l.flag(hcpcs_bit!(t, "passthrough_radiopharm"))
            || l.flag(hcpcs_bit!(t, "passthrough_contrast"))
            || l.flag(hcpcs_bit!(t, "passthrough_skin_product")))
            && !(l.flag(hcpcs_bit!(t, "radiopharm_exceeds_threshold")) && l.si == si("G"))
        {
            "10"
        } else if reduced {
            "11"
        } else {
            "0"
        };
        // An X-ray taken on film (FX: 21) or by computed radiography (FY:
        // 22), on a code so flagged that is not packaged: always the first
        // flag (pyoce, 15 of 15 such lines on processed claims, in every
        // version).
        let xray = if l.si == N || !l.flag(hcpcs_bit!(t, "film_xray")) {
            None
        } else if has_modifier(input, "FX") {
            Some("21")
        } else if has_modifier(input, "FY") {
            Some("22")
        } else {
            None
        };
        // A procedure (J1, T) on a day a colorectal cancer screening turned
        // diagnostic (PT): deductible not applicable (4), from v86 (2022)
        // the screening's coinsurance (25); always the first flag, and
        // before reduced units (11) (pyoce: 1 of 1 such line).
        // A non-opioid pain management device or drug paid on its own:
        // 26–32, the first flag ([`nonopioid_flags`]).
        let nonopioid = nonopioid[i];
        // A device-intensive procedure terminated before anaesthesia (16),
        // a pass-through drug offset (18–20, [`drug_offsets`]), a CT scan
        // not to the NEMA standard (14, [`ct_scans`]): each comes before
        // the cost-sharing and unit flags (9, 4, 10, 11), which from v102
        // (2026) go to the second flag instead (pyoce: 16 and 11 on one
        // line of v102, 16 first on 5 of 5).
        let special = if l.si == N {
            None
        } else if ct_scan[i] {
            Some("14")
        } else if l.flag(hcpcs_bit!(t, "terminated_device_procedure"))
            && has_modifier(input, "73")
            && device_termination_paid
        {
            Some("16")
        } else {
            match drug_offset[i] {
                18 => Some("18"),
                19 => Some("19"),
                20 => Some("20"),
                _ => None,
            }
        };
        // (From v102 the cost-sharing flags 9, 4 and 10 go to the second
        // flag and leave the first to the screening: a screening code
        // without cost sharing (G0104, G0121: 9) on such a day gets 25 and
        // 9 there (pyoce: 5 of 5 lines), 9 alone before v102 (11 of 11).)
        let screening = special.is_none()
            && (matches!(paf, "0" | "11") || paf_second)
            && (l.si == J1 || l.si == T)
            && colorectal.binary_search(&l.date).is_ok();
        let (first, second) = match (xray, paf_second) {
            _ if nonopioid.is_some() => (nonopioid.unwrap_or("0"), "0"),
            (None, _) if special.is_some() => {
                (special.unwrap_or("0"), if paf_second { paf } else { "0" })
            }
            _ if screening => (
                if v >= 86 { "25" } else { "4" },
                if paf_second && paf != "11" { paf } else { "0" },
            ),
            // Without cost sharing too (9): one value for both, 23 (FX)
            // or 24 (FY) (pyoce, 1 of 1 such line).
            (Some(x), _) if paf == "9" => (if x == "21" { "23" } else { "24" }, "0"),
            // (Nor is reduced units' 11 added to an X-ray flag: pyoce, 6
            // of 6 such lines with units over 1.)
            (Some(x), _) => (x, if paf == "11" { "0" } else { paf }),
            (None, true) => ("0", paf),
            (None, false) => (paf, "0"),
        };
        o.payment_adjustment_flag01 = first.into();
        o.payment_adjustment_flag02 = second.into();
        let method = if s603 && !ro_line {
            section_603_method(t, v, claim, l, input, [first, second])
        } else {
            None
        };
        o.payment_method_flag = method.unwrap_or(base_method).into();
        o.composite_adjustment_flag = l.composite.map_or_else(|| "00".into(), Flag::from);
    }
}

#[cfg(test)]
mod tests {
    use crate::claim::Claim;
    use crate::ioce::engine::{Edited, Editor};

    /// One claim of 2024-03-15 with the given bill type, condition codes
    /// and lines (`code:revenue:units:date`; an empty code for a line
    /// without one, the claim's date when the date is left out).
    fn edit(bill_type: &str, condition_codes: &[&str], lines: &[&str]) -> Edited {
        let lines: Vec<String> = lines
            .iter()
            .map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                let date = f.get(3).copied().unwrap_or("2024-03-15");
                format!(
                    r#"{{"code":"{}","revenue_code":"{}","units":{},"charge":100,"service_date":"{date}"}}"#,
                    f[0], f[1], f[2]
                )
            })
            .collect();
        let dates = || {
            lines
                .iter()
                .filter_map(|l| l.split("\"service_date\":\"").nth(1))
                .map(|d| &d[..10])
        };
        let from = dates().min().unwrap_or("2024-03-15");
        let through = dates().max().unwrap_or("2024-03-15");
        let json = format!(
            r#"{{"bill_type":"{bill_type}","from_date":"{from}","through_date":"{through}","condition_codes":{},"patient":{{"sex":"F","age":70}},"diagnoses":["N18.6","E11.9"],"lines":[{}]}}"#,
            serde_json::to_string(condition_codes).unwrap(),
            lines.join(",")
        );
        let claim: Claim = serde_json::from_str(&json).unwrap();
        Editor::new().edit_claim(&claim)
    }

    /// A conditionally packaged code paid at a J1 APC keeps its units where
    /// no comprehensive packaging takes place (14x, 13x with 41); the
    /// comprehensive primary's are cut to one (pyoce: 36254 × 3).
    #[test]
    fn q2_paid_as_j1_keeps_units_off_comprehensive_claims() {
        for (bill, cc, units, paf) in [
            ("141", &[][..], "3", "0"),
            ("131", &["41"][..], "3", "0"),
            ("121", &["W2"][..], "1", "11"),
            ("131", &[][..], "1", "11"),
        ] {
            let e = edit(bill, cc, &["36254:0360:3"]);
            let l = &e.lines[0];
            assert_eq!(l.status_indicator, "J1", "{bill} {cc:?}");
            assert_eq!(l.units_output, units, "{bill} {cc:?}");
            assert_eq!(l.payment_adjustment_flag01, paf, "{bill} {cc:?}");
        }
    }

    /// A 12x claim with W2 is packaged by its J1 line with condition code
    /// 92 too (pyoce: 93005 packaged beside 36254); a 12x claim with 92
    /// alone is not.
    #[test]
    fn comprehensive_packaging_on_12x_w2_with_92() {
        let lines = ["36254:0360:3", "93005:0730:1"];
        let e = edit("121", &["W2", "92"], &lines);
        assert_eq!(e.lines[1].status_indicator, "N");
        assert_eq!(e.lines[1].packaging_flag, "1");
        let e = edit("121", &["92"], &lines);
        assert_eq!(e.lines[1].status_indicator, "Q1");
    }

    /// A line without a code whose revenue code is not in force on its
    /// date (041: dated after the last version) is an invalid one: W, and
    /// packaged under a J1 line (pyoce: 16 of 16 such lines).
    #[test]
    fn revenue_code_out_of_force_is_invalid() {
        let late = "2036-04-02";
        let e = edit("131", &[], &[&format!(":0134:1:{late}"), "43237:0360:1"]);
        assert!(e.lines[0].revenue_edits.contains(&41));
        assert_eq!(e.lines[0].status_indicator, "N");
        assert_eq!(e.lines[0].packaging_flag, "1");
        assert_eq!(e.lines[0].payment_method_flag, "0");
        let e = edit("131", &[], &[&format!(":0134:1:{late}"), "99213:0510:1"]);
        assert_eq!(e.lines[0].status_indicator, "W");
        assert_eq!(e.lines[0].payment_method_flag, "1");
    }

    /// A program's day paid as one composite (§3.8): the first primary
    /// service is P at the per diem APC (4 units or more: the higher one,
    /// from v94), the day's other services packaged, each day its own
    /// composite (pyoce: 90845 with G0410).
    #[test]
    fn program_day_composites() {
        let lines = [
            "90845:0900:1:2024-03-16",
            "G0410:0900:3:2024-03-16",
            "90845:0900:1",
            "G0410:0900:2",
        ];
        let e = edit("131", &["41"], &lines);
        let got: Vec<(&str, &str, &str)> = e
            .lines
            .iter()
            .map(|l| {
                (
                    l.status_indicator.as_str(),
                    l.payment_apc.as_str(),
                    l.composite_adjustment_flag.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("P", "05864", "2"),
                ("N", "00000", "2"),
                ("P", "05863", "1"),
                ("N", "00000", "1")
            ]
        );
        assert_eq!(e.lines[0].payment_indicator, "8");
        // Intensive outpatient (92): the program's own APCs; a CMHC's
        // (76x) its own.
        let e = edit("131", &["92"], &["G0410:0900:6"]);
        assert_eq!(e.lines[0].payment_apc, "05862");
        assert_eq!(e.lines[0].units_output, "1");
        let e = edit("761", &["92"], &["90845:0900:1", "G0410:0900:3"]);
        assert_eq!(e.lines[0].payment_apc, "05852");
        // Without a primary service the day is no composite.
        let e = edit("131", &["41"], &["97157:0900:3", "G0176:0900:1"]);
        assert_eq!(e.lines[0].status_indicator, "S");
        assert_eq!(e.lines[1].composite_adjustment_flag, "00");
    }

    /// A program day's too few services (131) inform and do not reject:
    /// the Q3 line is paid at its APC and the claim has no line rejection.
    #[test]
    fn too_few_program_services_do_not_reject() {
        let e = edit("131", &["41"], &["97157:0900:1"]);
        assert_eq!(e.lines[0].hcpcs_edits, [131]);
        assert_eq!(e.lines[0].status_indicator, "S");
        assert_eq!(e.lines[0].rejection_denial_flag, "3");
        assert_eq!(e.line_rejection_disposition, 0);
    }

    /// A CMHC's (76x, before v94) partial hospitalization services have
    /// payment method flag 0, and a Q3 one its code's APC, denied or not
    /// (pyoce: 90832 alone, 030).
    #[test]
    fn cmhc_partial_hospitalization_services() {
        let e = edit("761", &[], &["90832:0900:1:2023-03-15"]);
        let l = &e.lines[0];
        assert_eq!(l.hcpcs_edits, [30]);
        assert_eq!(
            (l.status_indicator.as_str(), l.payment_apc.as_str()),
            ("Q3", "05823")
        );
        assert_eq!(l.payment_method_flag, "0");
    }

    /// A direct admission (G0379) denied on an inpatient-only procedure's
    /// day takes its APC's status, V, instead of being packaged.
    #[test]
    fn denied_direct_admission_is_a_visit() {
        let e = edit("131", &[], &["G0379:0762:1", "33945:0360:1"]);
        assert_eq!(e.lines[0].hcpcs_edits, [49]);
        assert_eq!(e.lines[0].status_indicator, "V");
        assert_eq!(e.lines[0].payment_apc, "05025");
        let e = edit("131", &[], &["G0379:0762:1"]);
        assert_eq!(e.lines[0].status_indicator, "N");
    }

    /// 108 before 106 in the claim lists when the first type III add-on
    /// line without its primary comes before the first type I add-on line
    /// without its own; a drug administration add-on's 106 comes after
    /// (pyoce: hospice claims of 49327, 22847, 96366).
    #[test]
    fn type3_before_type1_addon_by_line() {
        for (lines, want) in [
            (&["49327:0360:1", "22847:0360:1"][..], [108, 106]),
            (&["22847:0360:1", "49327:0360:1"][..], [106, 108]),
            (&["96366:0360:1", "49327:0360:1"][..], [108, 106]),
        ] {
            let e = edit("821", &[], lines);
            assert_eq!(e.line_denial_edits, want, "{lines:?}");
        }
    }

    /// Packed red cells under a blood revenue code (038x) are not packaged
    /// by a comprehensive APC; under another revenue code they are.
    #[test]
    fn blood_under_blood_revenue_code_is_not_packaged() {
        let e = edit("131", &[], &["P9054:0381:1", "33217:0360:1"]);
        assert_eq!(e.lines[1].status_indicator, "J1");
        assert_eq!(e.lines[0].status_indicator, "R");
        assert_eq!(e.lines[0].payment_apc, "09527");
        let e = edit("131", &[], &["P9054:0101:1", "33217:0360:1"]);
        assert_eq!(e.lines[0].status_indicator, "N");
    }

    /// Composites are numbered mental health first, then imaging by date
    /// and family (CT before MRI), whatever the lines' order.
    #[test]
    fn composite_numbers() {
        let flags = |e: &Edited| -> Vec<String> {
            e.lines
                .iter()
                .map(|l| l.composite_adjustment_flag.as_str().to_owned())
                .collect()
        };
        let e = edit("131", &[], &["72158:0670:4", "96138:0333:1"]);
        assert_eq!(flags(&e), ["2", "1"]);
        let e = edit(
            "131",
            &[],
            &[
                "72158:0670:2:2024-03-16",
                "72158:0670:2",
                "70450:0350:2:2024-03-16",
            ],
        );
        assert_eq!(flags(&e), ["3", "1", "2"]);
    }

    /// A service reportable on a program's claim only within its days
    /// (`php_iop_reportable`) is packaged there, into its day's composite
    /// where there is one; not on another claim (pyoce: 96202, v100).
    #[test]
    fn program_reportable_services_are_packaged() {
        let e = edit("131", &["92"], &["96202:0167:1:2025-07-02"]);
        assert_eq!(e.lines[0].status_indicator, "N");
        let e = edit(
            "131",
            &["41"],
            &["96202:0167:1:2025-07-02", "90845:0900:3:2025-07-02"],
        );
        assert_eq!(e.lines[0].status_indicator, "N");
        assert_eq!(e.lines[0].composite_adjustment_flag, "1");
        let e = edit("131", &[], &["96202:0167:1:2025-07-02"]);
        assert_eq!(e.lines[0].status_indicator, "A");
    }

    /// A claim from `from` through `through` (`YYYY-MM-DD`) with lines
    /// `code:revenue:units:modifiers:date` (modifiers comma-separated, the
    /// from date when the date is left out).
    fn edit_with(bill_type: &str, dates: (&str, &str), cc: &[&str], lines: &[&str]) -> Edited {
        edit_text(&claim_text(bill_type, dates, cc, lines))
    }

    fn edit_text(json: &str) -> Edited {
        let claim: Claim = serde_json::from_str(json).unwrap();
        Editor::new().edit_claim(&claim)
    }

    /// [`edit_with`]'s claim as JSON.
    fn claim_text(bill_type: &str, dates: (&str, &str), cc: &[&str], lines: &[&str]) -> String {
        let (from, through) = dates;
        let lines: Vec<String> = lines
            .iter()
            .map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                let modifiers: Vec<&str> = f
                    .get(3)
                    .map_or(Vec::new(), |m| m.split(',').filter(|m| !m.is_empty()).collect());
                let date = f.get(4).copied().unwrap_or(from);
                format!(
                    r#"{{"code":"{}","revenue_code":"{}","units":{},"charge":100,"modifiers":{},"service_date":"{date}"}}"#,
                    f[0],
                    f[1],
                    f[2],
                    serde_json::to_string(&modifiers).unwrap()
                )
            })
            .collect();
        format!(
            r#"{{"bill_type":"{bill_type}","from_date":"{from}","through_date":"{through}","condition_codes":{},"patient":{{"sex":"F","age":70}},"diagnoses":["N18.6","E11.9"],"lines":[{}]}}"#,
            serde_json::to_string(cc).unwrap(),
            lines.join(",")
        )
    }

    /// A visit with modifier CS during the public health emergency on 13x:
    /// payment adjustment flag 9; not on 12x, nor after 2023-05-11 (pyoce).
    #[test]
    fn phe_visits_without_cost_sharing() {
        let day = ("2021-06-01", "2021-06-01");
        let e = edit_with("131", day, &[], &["G0463:0510:1:CS", "G0463:0510:1"]);
        assert_eq!(e.lines[0].payment_adjustment_flag01, "9");
        assert_eq!(e.lines[1].payment_adjustment_flag01, "0");
        let e = edit_with("121", day, &[], &["G0463:0510:1:CS"]);
        assert_eq!(e.lines[0].payment_adjustment_flag01, "0");
        let after = ("2023-05-12", "2023-05-12");
        let e = edit_with("131", after, &[], &["G0463:0510:1:CS"]);
        assert_eq!(e.lines[0].payment_adjustment_flag01, "0");
    }

    /// Non-opioid drugs paid apart: 30, 31, 32 by distinct code; none on an
    /// opioid treatment program's claim (pyoce).
    #[test]
    fn nonopioid_drugs_numbered_by_code() {
        let day = ("2025-08-15", "2025-08-15");
        let lines = [
            "J1096:0636:1",
            "J0666:0636:1",
            "J1097:0636:1",
            "11042:0360:1",
            "J0666:0636:1",
        ];
        let e = edit_with("131", day, &[], &lines);
        let flags: Vec<&str> = e
            .lines
            .iter()
            .map(|l| l.payment_adjustment_flag01.as_str())
            .collect();
        assert_eq!(flags, ["30", "31", "32", "0", "31"]);
        let e = edit_with("131", day, &["89"], &lines[..1]);
        assert_eq!(e.lines[0].payment_adjustment_flag01, "0");
    }

    /// A bilateral comprehensive primary is its code twice for the
    /// complexity adjustment (pyoce: 26418-50 at 05113, alone 05112).
    #[test]
    fn bilateral_primary_complexity_adjusted() {
        let day = ("2024-01-02", "2024-01-02");
        let e = edit_with("131", day, &[], &["26418:0360:1:50"]);
        assert_eq!(e.lines[0].payment_apc, "05113");
        let e = edit_with("131", day, &[], &["26418:0360:1"]);
        assert_eq!(e.lines[0].payment_apc, "05112");
    }

    /// An X-ray flag takes no reduced units' 11 beside it; a screening
    /// code without cost sharing on a PT day from v102: 25 and 9; a CMHC's
    /// telehealth originating site fee: payment method flag 2 (pyoce).
    #[test]
    fn adjustment_and_method_flags() {
        let e = edit_with(
            "141",
            ("2025-01-17", "2025-01-17"),
            &[],
            &["73552:0320:4:FY"],
        );
        let l = &e.lines[0];
        assert_eq!(
            (
                l.payment_adjustment_flag01.as_str(),
                l.payment_adjustment_flag02.as_str()
            ),
            ("22", "0")
        );
        let day = ("2026-05-01", "2026-05-01");
        let e = edit_with("131", day, &[], &["G0121:0360:1", "45330:0360:1:PT"]);
        let l = &e.lines[0];
        assert_eq!(
            (
                l.payment_adjustment_flag01.as_str(),
                l.payment_adjustment_flag02.as_str()
            ),
            ("25", "9")
        );
        let day = ("2022-03-01", "2022-03-01");
        let e = edit_with("761", day, &[], &["Q3014:0780:1", "G0420:0942:1"]);
        assert_eq!(e.lines[0].payment_method_flag, "2");
        assert_eq!(e.lines[1].payment_method_flag, "1");
    }

    /// An invalid type of bill's line without a code: its revenue code's
    /// status, W when the claim runs past the last version (pyoce).
    #[test]
    fn uncoded_line_past_the_versions() {
        let e = edit_with("111", ("2036-03-31", "2036-04-01"), &[], &[":0905:1"]);
        assert_eq!(e.lines[0].status_indicator, "W");
        let e = edit_with("111", ("2036-03-31", "2036-03-31"), &[], &[":0905:1"]);
        assert_eq!(e.lines[0].status_indicator, "E1");
    }

    /// FQHC lines with CS from 2020-03-18: payment method flag C on an
    /// invalid code too, and on a claim stopped for its dates (pyoce).
    #[test]
    fn fqhc_cost_sharing_waived() {
        let day = ("2022-05-21", "2022-05-21");
        let e = edit_with(
            "771",
            day,
            &[],
            &["ZZZZZ:0521:1:CS", "99213:0521:1:CS", "99213:0521:1"],
        );
        let flags: Vec<&str> = e
            .lines
            .iter()
            .map(|l| l.payment_method_flag.as_str())
            .collect();
        assert_eq!(flags, ["C", "C", "5"]);
        let e = edit_with(
            "771",
            ("2022-05-21", "2022-05-20"),
            &[],
            &["87380:0300:1:CS"],
        );
        assert_eq!(e.lines[0].payment_method_flag, "C");
    }

    /// 009 on a code and on a revenue code is listed twice (pyoce).
    #[test]
    fn non_covered_on_both_listed_twice() {
        let day = ("2021-04-22", "2021-04-22");
        let e = edit_with("131", day, &[], &["A6534:0274:1", ":0760:1"]);
        assert_eq!(e.line_denial_edits, [9, 9]);
    }

    /// On the paths that put the add-on edits last, 044 stays after 106
    /// (pyoce).
    #[test]
    fn addon_edit_before_044() {
        let day = ("2021-12-31", "2021-12-31");
        let text = claim_text("851", day, &["W2"], &["34714:0762:1", "36226:0269:1"]);
        let e = edit_text(&text.replacen('{', r#"{"opps_flag":"2","#, 1));
        assert_eq!(e.lines[0].hcpcs_edits, [106, 44]);
    }

    /// Imaging composites: a bilateral scan of a code done on each side
    /// makes one; a reduced one (52) is no member; 0 units count one
    /// (pyoce).
    #[test]
    fn imaging_composite_members() {
        let day = ("2024-01-02", "2024-01-02");
        let e = edit_with("131", day, &[], &["73720:0610:1:50"]);
        assert_eq!(e.lines[0].payment_apc, "08008");
        let e = edit_with("131", day, &[], &["72149:0610:4:52"]);
        assert_eq!(e.lines[0].payment_apc, "05572");
        let e = edit_with("131", day, &[], &["70553:0610:1", "C8911:0610:0"]);
        assert_eq!(e.lines[0].payment_apc, "08008");
        assert_eq!(e.lines[1].status_indicator, "N");
    }

    /// An opioid treatment program's claim with an intensive outpatient
    /// program's (89, 92): the program's Q3 service takes its APC's
    /// status, another Q3 line stays Q3 (pyoce).
    #[test]
    fn otp_claim_with_iop_services() {
        let day = ("2024-08-25", "2024-08-25");
        let e = edit_with("131", day, &["89", "92"], &["90792:0900:1", "73706:0350:1"]);
        assert_eq!(e.lines[0].status_indicator, "S");
        assert_eq!(e.lines[1].status_indicator, "Q3");
    }

    /// A therapy code under a therapy revenue code is paid as therapy (A)
    /// on 12x and 13x, not on an opioid treatment program's claim nor on
    /// 14x (pyoce).
    #[test]
    fn therapy_under_therapy_revenue_code() {
        let day = ("2022-09-05", "2022-09-05");
        for (bill_type, cc, si) in [
            ("121", &[][..], "A"),
            ("131", &[], "A"),
            ("131", &["89"], "T"),
            ("141", &[], "T"),
        ] {
            let e = edit_with(bill_type, day, cc, &["97607:0433:1"]);
            assert_eq!(e.lines[0].status_indicator, si, "{bill_type} {cc:?}");
        }
    }

    /// A home health claim's splint left Q1 by NCCI's rejection keeps its
    /// code's APC, payment method flag 0 (pyoce).
    #[test]
    fn home_health_rejected_splint() {
        let day = ("2024-07-07", "2024-07-07");
        let e = edit_with("341", day, &[], &["27700:0645:1", "29130:0645:1"]);
        let l = &e.lines[1];
        assert_eq!(l.status_indicator, "Q1");
        assert_eq!(l.payment_apc, "05734");
        assert_eq!(l.payment_method_flag, "0");
    }
}
