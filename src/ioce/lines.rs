//! Edits on one line and the line's outputs (status indicator, APCs,
//! payment flags).

use super::data::{hcpcs_bit, key, key_text, HcpcsRow, Key};
use super::engine::{ClaimInput, LineInput, Run};
use super::order;
use super::path::{switch, Path};
use super::text::Trim;
use std::cell::Cell;

/// Whether 111 (a step of a biological's making, bundled into it) is
/// raised on the claim: not on 14x, religious nonmedical (43x), 87x, 89x
/// nor an opioid treatment program's 13x (`otp`, condition code 89)
/// (pyoce: 0 of 25 such lines; 135 of 135 on the other 13x).
fn bundled_in_biological_edited(path: &Path, otp: bool) -> bool {
    let otp_13x = path.prefix == 13 && otp;
    !(matches!(path.prefix, 14 | 43 | 87 | 89) || otp_13x)
}

/// The line's code in the claim's version.
pub(crate) fn hcpcs_row<'t>(run: &Run<'t>, code: &str) -> Option<&'t HcpcsRow> {
    // (A line's own code was looked up once, with the claim.)
    run.line_row(code)
        .unwrap_or_else(|| key(code.trimmed()).and_then(|k| run.t.hcpcs.get(&k, run.v)))
}

fn si(s: &str) -> Key {
    key(s).expect("a status indicator")
}

/// What the single-line edits ask of the claim as a whole, found in one
/// pass before the lines are edited (asked line by line, it made the edits
/// quadratic in the number of lines).
struct ClaimFacts<'a> {
    /// A code of status indicator J1 (comprehensive APC).
    j1: bool,
    /// A code of an OPPS procedure's status indicator for 099 (J1, J2, P,
    /// Q1, Q2, Q3, S, T, V).
    opps_procedure: bool,
    /// The service dates with a code flagged `cornea_transplant`, sorted.
    cornea_transplant_days: Vec<&'a str>,
    /// A code flagged `blood_product`.
    blood_product: bool,
    /// The service dates with a code flagged `device`, sorted.
    device_days: Vec<&'a str>,
    /// The patient's age, when the I/OCE can read it.
    age: Option<u16>,
    /// The claim's codes, sorted (the add-ons' primaries and the pass-through
    /// devices' procedures are looked up in them).
    codes: Vec<Key>,
    /// The (side, service day, code) of the lines that count as an add-on code's
    /// primary on the paths that check type I add-ons, sorted: every line
    /// but an add-on line without a primary of its own. An add-on's primary
    /// is on its day or the day before ([`addon_days`]; pyoce: a primary
    /// two days before or a day after does not count, 9 of 9 lines; the
    /// day before does, 3 of 3), and is not itself an add-on line without
    /// one (14 of 14 lines). Empty on the other paths.
    addon_primaries: Vec<(bool, i64, Key)>,
    /// The service dates with a G0378 (hospital observation) line, sorted.
    observation_days: Vec<&'a str>,
    /// The days with a skin substitute product, and its cost group
    /// (`true`: high), sorted.
    skin_products: Vec<(u32, bool)>,
    /// The days with a separately paid skin substitute product (status
    /// S1, from v102), sorted.
    skin_paid_days: Vec<u32>,
    /// Condition code 89: an opioid treatment program's claim.
    otp: bool,
    /// Condition code 41: a partial hospitalization claim.
    partial_hospitalization: bool,
    /// Condition code 92: an intensive outpatient claim.
    intensive_outpatient: bool,
    /// Condition code W2: a Part B claim after an inpatient denial.
    w2: bool,
}

impl<'a> ClaimFacts<'a> {
    fn of(run: &Run<'_>, claim: &ClaimInput<'a>, age: Option<u16>) -> ClaimFacts<'a> {
        let t = run.t;
        // (Blood products (R) and brachytherapy sources (U) are no OPPS
        // procedure for 099: pyoce, 7 of 7 such claims.)
        let opps_procedure = ["J1", "J2", "P", "Q1", "Q2", "Q3", "S", "T", "V"].map(si);
        let mut facts = ClaimFacts {
            j1: false,
            opps_procedure: false,
            cornea_transplant_days: Vec::new(),
            blood_product: false,
            device_days: Vec::new(),
            age,
            codes: {
                // (The list of the thread's last claim, emptied: see
                // `CLAIM_CODES`.)
                let mut codes = CLAIM_CODES.try_with(Cell::take).unwrap_or_default();
                codes.clear();
                codes.extend(claim.lines.iter().filter_map(|l| key(l.hcpcs.trimmed())));
                codes
            },
            addon_primaries: Vec::new(),
            observation_days: Vec::new(),
            skin_products: Vec::new(),
            skin_paid_days: Vec::new(),
            otp: false,
            partial_hospitalization: false,
            intensive_outpatient: false,
            w2: false,
        };
        // (Read once a claim: the line edits ask them of every line.)
        for c in &claim.condition_codes {
            match c.trimmed() {
                "89" => facts.otp = true,
                "41" => facts.partial_hospitalization = true,
                "92" => facts.intensive_outpatient = true,
                "W2" => facts.w2 = true,
                _ => {}
            }
        }
        facts.codes.sort_unstable();
        facts.codes.dedup();
        let g0378 = key("G0378").expect("a key");
        for l in &claim.lines {
            if key(l.hcpcs.trimmed()) == Some(g0378) {
                facts.observation_days.push(l.service_date.trimmed());
            }
        }
        facts.observation_days.sort_unstable();
        facts.observation_days.dedup();
        let (hi, lo) = (
            hcpcs_bit!(t, "skin_substitute_hi"),
            hcpcs_bit!(t, "skin_substitute_lo"),
        );
        for l in &claim.lines {
            let Some(row) = hcpcs_row(run, l.hcpcs) else {
                continue;
            };
            // (The date read only for a skin substitute's line.)
            let day = || super::engine::read_date(l.service_date).unwrap_or(0);
            if row.has(hi) {
                facts.skin_products.push((day(), true));
            }
            if row.has(lo) {
                facts.skin_products.push((day(), false));
            }
            if row.status_indicator == si("S1") {
                facts.skin_paid_days.push(day());
            }
        }
        facts.skin_products.sort_unstable();
        facts.skin_paid_days.sort_unstable();
        for l in &claim.lines {
            let Some(row) = hcpcs_row(run, l.hcpcs) else {
                continue;
            };
            facts.j1 |= row.status_indicator == si("J1");
            facts.opps_procedure |= opps_procedure.contains(&row.status_indicator);
            facts.blood_product |= row.has(hcpcs_bit!(t, "blood_product"));
            if row.has(hcpcs_bit!(t, "cornea_transplant")) {
                facts.cornea_transplant_days.push(l.service_date.trimmed());
            }
            if row.has(hcpcs_bit!(t, "device")) {
                facts.device_days.push(l.service_date.trimmed());
            }
        }
        facts.device_days.sort_unstable();
        facts.device_days.dedup();
        facts.cornea_transplant_days.sort_unstable();
        facts.cornea_transplant_days.dedup();
        facts
    }
}

/// The add-on table a type I add-on line's primaries are in: `type1`, or
/// `drug_admin` for a drug administration add-on code.
fn type1_addon_table(t: &super::data::Tables, row: &HcpcsRow) -> Option<&'static str> {
    if row.has(hcpcs_bit!(t, "addon_type1")) {
        Some("type1")
    } else if row.has(hcpcs_bit!(t, "addon_drug_admin")) {
        Some("drug_admin")
    } else {
        None
    }
}

/// Whether the type I add-on checks (106) run on this path: every claim
/// not paid under OPPS and the other bill types, but not a religious
/// non-medical institution's (43x).
pub(crate) fn checks_type1_addons(path: &Path) -> bool {
    let opps_addons = path.opps && matches!(path.prefix, 12 | 13 | 14 | 76);
    !(opps_addons || path.prefix == 43 || path.home_health_opps())
}

/// A line's service day as a day number (days since 1970-01-01), so that
/// the day before is one less; a date that does not read is far from
/// every real day.
fn day_number(line: &LineInput<'_>) -> i64 {
    super::engine::read_date(line.service_date)
        .and_then(|d| crate::date::Date::from_yyyymmdd(d).ok())
        .map_or(i64::MIN / 2, |d| d.days_since_epoch())
}

/// The days an add-on line on `day` finds its primary on: its own and the
/// day before.
fn addon_days(day: i64) -> [i64; 2] {
    [day, day - 1]
}

/// Whether `days` (sorted (side, day, code) triples) hold a primary of
/// `addon` from table `table` for an add-on line on `day` and `side` (see
/// [`addon_side`]).
fn addon_primary_near(
    t: &super::data::Tables,
    v: super::data::Version,
    table: &str,
    addon: Key,
    (side, day): (bool, i64),
    days: &[(bool, i64, Key)],
) -> bool {
    // The claim's codes on the two days (on `side`): runs of `days`.
    let on_day = |d: i64| {
        let from = days.partition_point(|&(s, e, _)| (s, e) < (side, d));
        let to = days.partition_point(|&(s, e, _)| (s, e) <= (side, d));
        &days[from..to]
    };
    let near = addon_days(day).map(on_day);
    t.addon_primary_listed(
        table,
        addon,
        v,
        near[0].len() + near[1].len(),
        near.iter()
            .flat_map(|codes| codes.iter().map(|&(_, _, p)| p)),
        // (Each run is sorted by code: one day and side.)
        |p| {
            near.iter()
                .any(|codes| codes.binary_search_by_key(&p, |&(_, _, q)| q).is_ok())
        },
    )
}

/// The side of the claim a line's add-on code finds its primary on: a
/// critical access hospital's professional lines ([`cah_professional`])
/// and its facility lines answer only among themselves, as for NCCI's
/// pairs (pyoce: a 69990 under revenue code 0976 gets 106 beside four
/// facility primaries on its day; a 96376 under 0387 beside a
/// professional 96409).
pub(crate) fn addon_side(path: &Path, line: &LineInput<'_>) -> bool {
    cah_professional(path, line)
}

/// [`ClaimFacts::addon_primaries`]: the claim's (side, day, code) triples, less
/// the add-on lines that have no primary near their day.
fn addon_primaries(run: &Run<'_>, claim: &ClaimInput<'_>, path: &Path) -> Vec<(bool, i64, Key)> {
    let (t, v) = (run.t, run.v);
    let day_code =
        |l: &LineInput<'_>| Some((addon_side(path, l), day_number(l), key(l.hcpcs.trimmed())?));
    let mut all: Vec<(bool, i64, Key)> = claim.lines.iter().filter_map(day_code).collect();
    all.sort_unstable();
    all.dedup();
    let mut kept = Vec::with_capacity(all.len());
    for l in &claim.lines {
        let Some((side, day, k)) = day_code(l) else {
            continue;
        };
        let table = hcpcs_row(run, l.hcpcs).and_then(|row| type1_addon_table(t, row));
        let orphan =
            table.is_some_and(|table| !addon_primary_near(t, v, table, k, (side, day), &all));
        if !orphan {
            kept.push((side, day, k));
        }
    }
    kept.sort_unstable();
    kept.dedup();
    kept
}

/// A critical access hospital's (85x) professional line: revenue codes
/// 096x–098x, billed on the hospital's claim under the optional method.
pub(crate) fn cah_professional(path: &Path, line: &LineInput<'_>) -> bool {
    path.prefix == 85
        && matches!(
            line.revenue_code.trimmed().as_bytes(),
            [b'0', b'9', b'6'..=b'8', _]
        )
}

/// The edits one line's own code raises (docs/design/ioce-logic-lines.md
/// §2.1), in any order ([`sort_line_edits`] orders them).
fn single_line_edits(
    run: &Run<'_>,
    claim: &ClaimInput<'_>,
    facts: &ClaimFacts<'_>,
    path: &Path,
    line: &LineInput<'_>,
    row: &HcpcsRow,
    edits: &mut Vec<u16>,
) {
    let t = run.t;
    let data_si = row.status_indicator;
    // A religious nonmedical health care institution's claim (43x) gets
    // none of a code's own edits but 055 (docs/design/ioce-logic-claim.md
    // §2.2).
    if path.prefix == 43 {
        if row.has(hcpcs_bit!(t, "non_reportable_site")) {
            edits.push(55);
        }
        return;
    }
    if let Some(age) = facts.age {
        // (A code's age range is checked on the paths that edit codes
        // (`hcpc`) too: the non-OPPS path of 78x, 83x, 84x and 89x has no
        // `age_sex_edits` and raises 007 — pyoce, 6 of 6 such claims.)
        let age_edits = path.on(switch::AGE_SEX_EDITS) || path.on(switch::HCPC);
        if age_edits && (age < row.lo_age || age > row.hi_age) {
            edits.push(7);
        }
    }
    // Edits raised by one flag of the code (docs/design/ioce-logic-lines.md
    // §2.1).
    for (bit, edit, on) in [
        (hcpcs_bit!(t, "non_covered"), 9, true),
        // (Not on 73x, whose path is marked `non_mcare` too: pyoce, 0 of
        // 8 such lines on the dumps, none on 73x probes.)
        (
            hcpcs_bit!(t, "not_recognized_mcare"),
            28,
            path.on(switch::NON_MCARE) && path.prefix != 73,
        ),
        (hcpcs_bit!(t, "statutory_exclusion"), 50, true),
        (hcpcs_bit!(t, "information_only"), 112, true),
        (hcpcs_bit!(t, "unclassified_drug"), 66, true),
        // (111: not on every bill type, see bundled_in_biological_edited;
        // on revenue codes alike.)
        (
            hcpcs_bit!(t, "bundled_in_biological"),
            111,
            bundled_in_biological_edited(path, facts.otp),
        ),
    ] {
        if on && row.has(bit) {
            edits.push(edit);
        }
    }
    // A code's own dates (the I/OCE's "mid-quarter" edits): the edit its
    // row names when the service falls outside them — before the date the
    // code was approved (067 FDA, 068 NCD or demonstration, 110 initial
    // marketing, 136 ACIP), outside its approval period (069, 134: also
    // after the date it ended), or on or after an NCD took effect (083,
    // whose date is the row's end date). pyoce, 18 of 18 such lines not
    // on an inpatient-only procedure's day or an unprocessed claim.
    if row.mid_quarter_date_edit != 0 {
        if let Some(d) = super::engine::read_date(line.service_date) {
            let (approved, ended) = (row.date_approved, row.date_terminated);
            let outside = match row.mid_quarter_date_edit {
                69 | 134 => d < approved || (ended != 0 && d > ended),
                83 => ended != 0 && d >= ended,
                _ => d < approved,
            };
            if outside {
                edits.push(row.mid_quarter_date_edit);
            }
        }
    }
    // A code CMS ended with the COVID-19 public health emergency (flag
    // `cms_mid_quarter_termination`, no end date in its row) billed for a
    // service after the emergency's last day, 2023-05-11 (CMS's date, in
    // no table): 124 (pyoce: 16 of 16 such lines processed and not denied
    // for an inpatient-only procedure's day; none of 28 dated on or
    // before it).
    if row.has(hcpcs_bit!(t, "cms_mid_quarter_termination"))
        && super::engine::read_date(line.service_date).is_some_and(|d| d > PHE_LAST_DAY)
    {
        edits.push(124);
    }
    // A comprehensive APC (J1) on the claim packages DME items: no 061.
    // (Not on 32x, 34x (home health), 43x (religious), 81x, 82x (hospice).)
    let dme_billed = !matches!(path.prefix, 32 | 34 | 43 | 81 | 82);
    let packaged = path.number != 120
        && super::payment::comprehensive_packaging(claim, path)
        && path.opps
        && facts.j1;
    if row.has(hcpcs_bit!(t, "dmerc_billable_only")) && dme_billed && !packaged {
        edits.push(61);
    }
    // A rural health clinic or FQHC (71x, 77x) answers for what its
    // all-inclusive rate does not cover with 091; others with 072 for what
    // is not billable to the contractor (not on 43x).
    if super::clinic::not_covered(run, claim, path, line, Some(row)) {
        edits.push(91);
    } else if row.has(hcpcs_bit!(t, "non_billable_mac"))
        && !matches!(path.prefix, 43 | 77)
        && !cah_professional(path, line)
    {
        // (Nor on a critical access hospital's professional line: pyoce, 0
        // of 6 such lines.)
        edits.push(72);
    }
    // Type I add-on codes without their primary on the claim, on the
    // paths that do not run OPPS's edits: every claim not paid under OPPS,
    // and the other bill types'.
    // (A drug administration add-on code likewise needs its primary there.)
    // A primary counts on the add-on's day or the day before (see
    // [`ClaimFacts::addon_primaries`]).
    if let (true, Some(table)) = (checks_type1_addons(path), type1_addon_table(t, row)) {
        let k = key(line.hcpcs.trimmed()).unwrap_or(0);
        let at = (addon_side(path, line), day_number(line));
        if !addon_primary_near(t, run.v, table, k, at, &facts.addon_primaries) {
            edits.push(106);
        }
    }
    // A type II add-on code (`map_addon_type2`, whose primaries the
    // contractor names) billed as a professional service (revenue code
    // 096x–098x): 107, on the same paths as 106 — with or without any
    // other line, a procedure on the same revenue code included (pyoce:
    // 15 of 15 such lines on the dumps not rejected by NCCI's 040, which
    // lifts it, see [`drop_080_on_rejected_lines`]; probes of every bill
    // type and of revenue codes 0959, 0960, 0969, 0989, 0990, 0360).
    if checks_type1_addons(path)
        && key(line.hcpcs.trimmed()).is_some_and(|k| t.addon_type2.has(&k, run.v))
        && matches!(
            line.revenue_code.trimmed().as_bytes(),
            [b'0', b'9', b'6'..=b'8', _]
        )
    {
        edits.push(107);
    }
    if row.has(hcpcs_bit!(t, "questionable")) {
        edits.push(12);
    }
    // The edits of OPPS's payment (013, 073, 099) run on the paths that
    // assign APCs, not on the fee-schedule and clinic bill types.
    let apc_path = path.on(switch::APC_EDITS);
    // A skin substitute application of a cost group (high, low) without a
    // product of that group on its day: 087 (hospital claims, 12x and
    // 13x, on the APC paths but the partial hospitalization one).
    let skin_group = if row.has(hcpcs_bit!(t, "skin_substitute_sg_hi")) {
        Some(true)
    } else if row.has(hcpcs_bit!(t, "skin_substitute_sg_lo")) {
        Some(false)
    } else {
        None
    };
    // From v102 an application procedure (flag
    // `skin_substitute_application_procedure`, no cost group) needs a
    // separately paid product (S1, APCs 06000–06002) on its day; a product
    // still flagged high (A2017 …, status N) does not count (pyoce: 6 of 6
    // such lines on the dumps; probes: Q4235, A2001 that day lift it, the
    // next day or A2017 do not).
    let applies_skin = row.has(hcpcs_bit!(t, "skin_substitute_application_procedure"));
    if skin_group.is_some() || applies_skin {
        let day = super::engine::read_date(line.service_date).unwrap_or(0);
        // (And on 12x, 13x and 83x claims not under OPPS: pyoce, 6 of 6 on
        // 83x, 3 of 3 on 12x; and on a critical access hospital's (85x)
        // not under OPPS unless some line of the claim is a professional
        // service (revenue code 096x–098x), wherever it is: pyoce, 5 of 5
        // such claims without one, 0 of 4 with one; probes.)
        let hospital = (matches!(path.prefix, 12 | 13) && apc_path && !path.on(switch::PH_EDITS))
            || (!path.opps && matches!(path.prefix, 12 | 13 | 83))
            || (!path.opps
                && path.prefix == 85
                && !claim.lines.iter().any(|l| cah_professional(path, l)));
        let product = match skin_group {
            Some(high) => facts.skin_products.binary_search(&(day, high)).is_ok(),
            None => facts.skin_paid_days.binary_search(&day).is_ok(),
        };
        if hospital && !product {
            edits.push(87);
        }
    }
    if data_si == si("E2") && (apc_path || path.prefix == 76) {
        edits.push(13);
    }
    if (path.on(switch::OPPS_EDITS) || path.home_health_opps())
        && (row.has(hcpcs_bit!(t, "not_recognized_opps")) || data_si == si("B"))
        && !row.has(hcpcs_bit!(t, "bundled_in_biological"))
    {
        edits.push(62);
    }
    // (Nor on an 83x claim not under OPPS: pyoce, 0 of 20 such lines; on
    // 85x only with condition code 89, an opioid treatment program's
    // claim: 20 of 20 such lines, none of 811 others.)
    let otp_85x = path.prefix == 85 && facts.otp;
    if row.has(hcpcs_bit!(t, "non_reportable_site"))
        && (!matches!(path.prefix, 12 | 13 | 85) || otp_85x)
        && (path.opps || path.prefix != 83)
    {
        edits.push(55);
    }
    // (Not on 14x, nor on an opioid treatment program's 13x, nor on a
    // claim not under OPPS: pyoce, 0 of 7 such lines; nor on 74x: 0 of 11;
    // the other bill types drop it, see `clinic::HOSPITAL_ONLY`.)
    if row.has(hcpcs_bit!(t, "blood_service"))
        && !facts.blood_product
        && !matches!(path.prefix, 14 | 74)
        && path.number != 120
        && path.opps
    {
        edits.push(43);
    }
    let revenue = line.revenue_code.trimmed().parse::<u16>().unwrap_or(0);
    // A blood product billed under a revenue code other than blood storage
    // and processing's (039x): 073 (under 038x too: pyoce, 4 of 4 such
    // lines not denied beside an inpatient-only procedure); the packed red
    // cells or whole blood revenue codes (0381, 0382) with any other code:
    // 079.
    // (Not on 14x, nor on a partial hospitalization or intensive
    // outpatient 13x claim.)
    let program = facts.partial_hospitalization || facts.intensive_outpatient;
    if row.has(hcpcs_bit!(t, "blood_product"))
        && !(390..=399).contains(&revenue)
        && apc_path
        && path.prefix != 14
        && !(path.prefix == 13 && program)
    {
        edits.push(73);
    }

    // The observation revenue code (0762) with a code that is not
    // observation: 044.
    // (Hospital outpatient claims only: not 12x, 14x, 76x, nor an opioid
    // treatment program's 13x.)
    // (Nor on a partial hospitalization or intensive outpatient 13x
    // claim; and on a critical access hospital's (85x) not under OPPS:
    // pyoce, 0 of 3 and 3 of 3 such lines.)
    let observation_claim =
        (path.prefix == 13 && path.number != 120 && !program) || (path.prefix == 85 && !path.opps);
    if revenue == 762
        && observation_claim
        && !(row.has(hcpcs_bit!(t, "observation"))
            || row.has(hcpcs_bit!(t, "observation_hourly"))
            || row.has(hcpcs_bit!(t, "observation_direct_admit")))
    {
        edits.push(44);
    }
    // Observation (G0378) and direct admission (G0379) outside 13x and
    // 85x: 053 (the other bill types get it in
    // `clinic::other_bill_type_edits`), and no 058 then (pyoce: 3 of 3 such
    // 14x and 84x lines).
    let observation_bill = matches!(path.prefix, 13 | 85);
    if !observation_bill
        && !super::clinic::other_bill_type(path)
        && (row.has(hcpcs_bit!(t, "observation_hourly"))
            || row.has(hcpcs_bit!(t, "observation_direct_admit")))
    {
        edits.push(53);
    }
    if row.has(hcpcs_bit!(t, "observation_direct_admit")) && observation_bill {
        let same_day = facts
            .observation_days
            .binary_search(&line.service_date.trimmed())
            .is_ok();
        if !same_day {
            edits.push(58);
        }
    }
    // A device-intensive procedure without a device on its day: 092 (not
    // on 14x, nor on an opioid treatment program's 13x).
    let otp_13x = path.prefix == 13 && facts.otp;
    if row.has(hcpcs_bit!(t, "device_procedure"))
        && path.on(switch::OPPS_EDITS)
        && path.prefix != 14
        && !otp_13x
    {
        let excluded = line.modifiers.iter().any(|m| {
            key(m.trimmed())
                .and_then(|k| t.modifier.get(&k, run.v))
                .is_some_and(|flags| flags & DEVICE_REQ_EXCLUSION != 0)
        });
        let device_that_day = facts
            .device_days
            .binary_search(&line.service_date.trimmed())
            .is_ok();
        if !excluded && !device_that_day {
            edits.push(92);
        }
    }
    // Mental health education and training (flag `educational`, G0177)
    // the only service of its day: 035 (every line of the date such a
    // code; a line without a code or with an invalid one counts as
    // another service). 12x and 13x under OPPS, not an opioid treatment
    // program's 13x (pyoce: probes of every bill type; 1 of 1 on the
    // dumps).
    if row.has(hcpcs_bit!(t, "educational"))
        && path.opps
        && (path.prefix == 12 || (path.prefix == 13 && !facts.otp))
    {
        let day = line.service_date.trimmed();
        let only = claim
            .lines
            .iter()
            .filter(|l| l.service_date.trimmed() == day)
            .all(|l| hcpcs_row(run, l.hcpcs).is_some_and(|r| r.has(hcpcs_bit!(t, "educational"))));
        if only {
            edits.push(35);
        }
    }
    // A device-dependent procedure (`map_device_procedure`) without its
    // own device on its day: 135, on the paths 092 runs on (12x, 13x but
    // an opioid treatment program's, under OPPS), and not when terminated
    // (52, 73, 74). pyoce: 9 of 9 such lines on the dumps; probes: a
    // device the day before or after, or another procedure's device, does
    // not count; units 0 and modifier CA do not lift it.
    let own = key(line.hcpcs.trimmed()).unwrap_or(0);
    let devices = t.procedure_devices.all(&own);
    if !devices.is_empty()
        && path.on(switch::OPPS_EDITS)
        && path.prefix != 14
        && !otp_13x
        && devices
            .iter()
            .any(|&(lo, hi, _)| lo <= run.v && run.v <= hi)
    {
        let excluded = line.modifiers.iter().any(|m| {
            key(m.trimmed())
                .and_then(|k| t.modifier.get(&k, run.v))
                .is_some_and(|flags| flags & DEVICE_REQ_EXCLUSION != 0)
        });
        let day = line.service_date.trimmed();
        let with_device = claim.lines.iter().any(|l| {
            l.service_date.trimmed() == day
                && key(l.hcpcs.trimmed()).is_some_and(|k| {
                    devices
                        .iter()
                        .any(|&(lo, hi, d)| lo <= run.v && run.v <= hi && d == k)
                })
        });
        if !excluded && !with_device {
            edits.push(135);
        }
    }
    // A pass-through device (H, H1) without one of its procedures
    // (`offset_codepair`) on the claim: 098 (12x and 13x, not a partial
    // hospitalization's or an opioid treatment program's path).
    // (Not a non-opioid pain management device: it needs any procedure,
    // see [`nonopioid_devices_without_procedure`].)
    // (A device still flagged `passthrough_device` whose status became N
    // (C1747, C1826, C1827 from v102) is edited too: pyoce, 7 of 7 such
    // lines on the dumps. Not on a 13x claim with condition code 92, in
    // any version: 0 of 12 such lines.)
    if (data_si == si("H") || data_si == si("H1") || row.has(hcpcs_bit!(t, "passthrough_device")))
        && !row.has(hcpcs_bit!(t, "nonopioid_device"))
        && device_procedure_claim(path, facts.intensive_outpatient)
    {
        let device = key(line.hcpcs.trimmed()).unwrap_or(0);
        let with_procedure = t.device_procedures.all(&device).iter().any(|&(lo, hi, p)| {
            lo <= run.v && run.v <= hi && facts.codes.binary_search(&p).is_ok()
        });
        if !with_procedure {
            edits.push(98);
        }
    }
    let drug = data_si == si("G") || data_si == si("K") || data_si == si("K1");
    if drug
        && (apc_path || path.prefix == 76)
        && path.prefix != 14
        && !row.has(hcpcs_bit!(t, "bypass_e99"))
        && !facts.opps_procedure
    {
        edits.push(99);
        if data_si == si("K1") {
            edits.push(99);
        }
    }
    // K drugs are packaged into a comprehensive APC (J1): no token charge
    // (where J1 packages the claim: not on 76x, a program's 13x or an
    // opioid treatment program's: pyoce, 3 of 3 such lines got 117).
    let paid_drug = data_si == si("G") || data_si == si("K1") || (data_si == si("K") && !packaged);
    // (On OPPS hospital claims only, 12x, 13x and 76x: pyoce, 0 of 5
    // such lines on 14x, 0 of 13 on claims not under OPPS or on 74x.)
    if paid_drug
        && run.v >= 84
        && path.opps
        && matches!(path.prefix, 12 | 13 | 76)
        && line.charge.is_some_and(|c| c > 0.0 && c <= 1.0)
    {
        edits.push(117);
    }
    // Modifier JG (a drug acquired under the 340B program) on a
    // pass-through drug (status G), whose payment the 340B reduction never
    // applied to: 122, from v87 and while JG is a valid modifier (to v97;
    // after, 022 and no 122). OPPS hospital claims (12x, 13x — a program's
    // or an opioid treatment program's too — and 76x), not 14x nor a claim
    // not under OPPS; TB alone does not raise it, TB beside JG does not
    // lift it. (pyoce: 12 of 12 such lines on the dumps not on an
    // inpatient-only procedure's day; probes of bill types, versions,
    // modifiers, rejected revenue codes, units and charges of 0.)
    if data_si == si("G")
        && run.v >= 87
        && path.opps
        && matches!(path.prefix, 12 | 13 | 76)
        && line.modifiers.iter().any(|m| {
            m.trimmed() == "JG" && key("JG").is_some_and(|k| t.modifier.get(&k, run.v).is_some())
        })
    {
        edits.push(122);
    }
    // A code billed only at a token charge (flag `token_charge_only`)
    // whose charge is not one (more than $0, at most $1.00): 082 — a
    // charge of 0 or none too. Hospital claims only: 12x, 13x but a
    // program's (condition code 41, 89, 92), and 83x and 85x (not under
    // OPPS) but an opioid treatment program's 85x, under OPPS or not; the
    // other bill types raise 055 for the one such code instead (pyoce:
    // probes of every bill type, none with 055 bypassed).
    let token_claim = match path.prefix {
        12 | 83 => true,
        13 => !(facts.otp || facts.partial_hospitalization || facts.intensive_outpatient),
        85 => !facts.otp,
        _ => false,
    };
    if token_claim
        && row.has(hcpcs_bit!(t, "token_charge_only"))
        && !line.charge.is_some_and(|c| c > 0.0 && c <= 1.0)
    {
        edits.push(82);
    }
    // A Part B inpatient claim (12x) takes only codes billable under Part B
    // on such a claim, by the code or by its revenue code.
    // (Condition code W2, a Part B claim after an inpatient denial, lifts it.)
    if path.prefix == 12 && !facts.w2 && !row.has(hcpcs_bit!(t, "part_b_billable")) {
        let revenue_ok = line
            .revenue_code
            .trimmed()
            .parse::<u16>()
            .ok()
            .and_then(|r| t.revenue.get(&r, run.v))
            .is_some_and(|r| r.flags & REVENUE_PART_B_BILLABLE_INPATIENT != 0);
        if !revenue_ok {
            edits.push(127);
        }
    }
    // An allogeneic stem cell transplant (flag `allogeneic_transplant`,
    // 38240) on a claim without a line of revenue code 0815 (donor
    // acquisition), on any day: 100. 12x and 13x (under OPPS or not), not
    // a program's claim (41, 89, 92), and 85x not under OPPS; not 14x,
    // 76x, 83x nor the other bill types; not on a line not payable on a
    // Part B inpatient claim (127) (pyoce: 10 of 10 such lines on the
    // dumps; probes of bill types and of 0815 lines).
    let transplant_claim = (matches!(path.prefix, 12 | 13) && !claim.is_program_claim())
        || (path.prefix == 85 && !path.opps);
    if row.has(hcpcs_bit!(t, "allogeneic_transplant"))
        && transplant_claim
        && !edits.contains(&127)
        && !claim
            .lines
            .iter()
            .any(|l| l.revenue_code.trimmed() == "0815")
    {
        edits.push(100);
    }
    // An opioid treatment program's code off such a program's claim: 116
    // on every bill type but 87x and, with condition code 89 (the
    // program's claim), 13x and 23x (pyoce: 116 on every such line of the
    // other bill types, 89x and 12x among them, on none of 4 lines of 87x,
    // 4 of 13x with 89, 1 of 23x with 89).
    if row.has(hcpcs_bit!(t, "opioid_treatment_program"))
        && path.prefix != 87
        && !(facts.otp && matches!(path.prefix, 13 | 23))
    {
        edits.push(116);
    }
    // Modifier PN (a service of an off-campus department paid under the
    // physician fee schedule) on an emergency department or critical care
    // visit (status J2, APCs 05021–05025, 05031–05035, 05041), which such
    // a department cannot bill: 101, on 13x under OPPS (pyoce: 14 of 14
    // such lines; none on G0463's PN lines, the clinic visit, nor on 12x,
    // 14x or 13x not under OPPS), kept on an inpatient-only procedure's
    // day.
    let emergency_apc = matches!(apc_number(row.apc), Some(5021..=5025 | 5031..=5035 | 5041));
    if path.prefix == 13
        && path.opps
        && data_si == si("J2")
        && emergency_apc
        && line.modifiers.iter().any(|m| m.trimmed() == "PN")
    {
        edits.push(101);
    }
    // A COVID-19 laboratory add-on (U0005) without one of its primary
    // tests (U0003, U0004; `map_addon_covid_lab`) on the claim: 115 (pyoce:
    // 14 of 14 such lines processed and not denied for an inpatient-only
    // procedure's day, on every bill type but 43x; none of 2 beside a
    // primary).
    if row.has(hcpcs_bit!(t, "addon_covid_lab")) {
        let k = key(line.hcpcs.trimmed()).unwrap_or(0);
        if !t.addon_primary_in("covid_lab", k, &facts.codes, run.v) {
            edits.push(115);
        }
    }
    // A mental health service not payable in a partial hospitalization
    // program, on such a program's claim: 080 on a CMHC's (76x), and on a
    // 13x with condition code 41 up to v89 (pyoce: 8 of 8 such lines of
    // 76x and 12 of 13x up to v89, the others denied otherwise; none of 8
    // on 13x from v90).
    let ph_claim = path.opps
        && (path.prefix == 76
            || (path.prefix == 13 && run.v <= 89 && facts.partial_hospitalization));
    if row.has(hcpcs_bit!(t, "mh_not_ph")) && ph_claim {
        edits.push(80);
    }
    // (On 13x under OPPS, not an opioid treatment program's: pyoce, 0 of
    // 4 such lines on the others; nor a partial hospitalization's or an
    // intensive outpatient program's claim, condition code 41 or 92, in
    // any version: 0 of 9 such lines.)
    let program_edits = path.prefix == 13
        && path.opps
        && !facts.otp
        && !facts.partial_hospitalization
        && !facts.intensive_outpatient;
    if row.has(hcpcs_bit!(t, "ph_not_mh")) && program_edits {
        edits.push(81);
    }
    if row.has(hcpcs_bit!(t, "iop_not_mh")) && program_edits && run.v >= 94 {
        edits.push(133);
    }
    // A skin substitute application add-on without its primary: 106 on
    // the OPPS hospital claims (the other paths check it as a type I
    // add-on), not on 14x, an opioid treatment program's claim, nor a line
    // not payable on a Part B inpatient claim (127) (pyoce: 0 of 10 such
    // lines). Nor on a home health claim paid under OPPS (34x with a
    // vaccine, splint or cast), which checks no add-on code at all
    // (pyoce: 1 of 1 such line on the dumps; probes: 0698T, 0649T alone,
    // 11045, C7902, 37186 on 0960 beside a cast removal, no 106 or 107).
    if row.has(hcpcs_bit!(t, "addon_saas"))
        && !checks_type1_addons(path)
        && !path.home_health_opps()
        && path.prefix != 14
        && path.number != 120
        && !edits.contains(&127)
    {
        let k = key(line.hcpcs.trimmed()).unwrap_or(0);
        if !t.addon_primary_in("saas", k, &facts.codes, run.v) {
            edits.push(106);
        }
    }
    // Trauma team activation (G0390, `trauma_revenue_code`) billed
    // without the trauma response revenue code (068x) and critical care
    // (99291, the one `trauma_critical_care` code) on the claim: 076, on
    // 12x, 13x and 85x, not on a program's claim (pyoce: 13 of 14 such
    // lines; none on the other bill types, 0 of 24).
    if row.has(hcpcs_bit!(t, "trauma_revenue_code"))
        && matches!(path.prefix, 12 | 13 | 85)
        && !facts.partial_hospitalization
        && !facts.intensive_outpatient
    {
        let trauma_revenue = line.revenue_code.trimmed().starts_with("068");
        let critical_care = key("99291").is_some_and(|k| facts.codes.binary_search(&k).is_ok());
        if !(trauma_revenue && critical_care) {
            edits.push(76);
        }
    }
    // A remote mental health add-on (C7902) without its primary (C7900,
    // C7901) on the claim: 106 on 12x and 13x under OPPS (the other paths
    // check it as a type I add-on), not on a claim of that line alone
    // (pyoce: 4 of 4 such lines beside other lines, 0 of 2 alone, 0 of 1
    // on 76x).
    if row.has(hcpcs_bit!(t, "remote_mental_health_addon"))
        && path.opps
        && matches!(path.prefix, 12 | 13)
        && claim.lines.len() > 1
    {
        let k = key(line.hcpcs.trimmed()).unwrap_or(0);
        if !t.addon_primary_in("remote_mental_health", k, &facts.codes, run.v) {
            edits.push(106);
        }
    }
    // Corneal tissue processing without a cornea transplant the same day:
    // 093 on 12x, on 13x without condition code 41, 89 or 92 and on 85x
    // without 89, under OPPS or not, on a line not otherwise rejected or
    // denied (pyoce: 42 of 44 such lines on the four dumps; none on 14x,
    // 32x, 43x, 77x).
    let cc = |c: &str| claim.has_condition(c);
    let cornea_path = match path.prefix {
        12 => true,
        13 => !cc("41") && !cc("89") && !cc("92"),
        85 => !cc("89"),
        _ => false,
    };
    if cornea_path
        && row.has(hcpcs_bit!(t, "cornea_tissue_processing"))
        && facts
            .cornea_transplant_days
            .binary_search(&line.service_date.trimmed())
            .is_err()
        && !edits.iter().any(|&e| matches!(run.disposition(e), 5 | 6))
    {
        edits.push(93);
    }
}

/// `data_revenue` flags (`flags.tsv`).
const REVENUE_NOT_RECOGNIZED: u8 = 1 << 0;
const REVENUE_BYPASS_E48: u8 = 1 << 2;
const REVENUE_STATUTORY_EXCLUSION: u8 = 1 << 3;
const REVENUE_BUNDLED_IN_BIOLOGICAL: u8 = 1 << 4;
const REVENUE_PART_B_BILLABLE_INPATIENT: u8 = 1 << 5;

/// An APC key's number (`"05021"` → 5021); `None` for a key that is not
/// all digits.
fn apc_number(apc: Key) -> Option<u32> {
    let mut n = 0u32;
    for b in apc.to_le_bytes().into_iter().take_while(|&b| b != 0) {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    Some(n)
}

/// The COVID-19 public health emergency's last day (CMS), yyyymmdd.
const PHE_LAST_DAY: u32 = 20230511;

/// `data_modifier` flag `device_req_exclusion`.
const DEVICE_REQ_EXCLUSION: u8 = 1 << 4;

/// `data_modifier` flag `telehealth` (95, GQ, GT from v92).
const TELEHEALTH_MODIFIER: u8 = 1 << 5;

/// The claims on which a device needs its procedure (098): 12x and 13x on
/// the APC paths but the partial hospitalization one, and not a 13x claim
/// with condition code 92 (`iop`) in any version.
fn device_procedure_claim(path: &Path, iop: bool) -> bool {
    matches!(path.prefix, 12 | 13)
        && path.on(switch::APC_EDITS)
        && !path.on(switch::PH_EDITS)
        && !(path.prefix == 13 && iop)
}

/// A non-opioid pain management device (flag `nonopioid_device`, SI H1)
/// is paid beside any procedure: without a line paid as a procedure (final
/// status indicator J1, J2, S, T or V — a procedure packaged into a
/// comprehensive APC does not count) that is neither rejected nor denied
/// (NCCI's 040, 065 on its revenue code, 127 …), on any day, it gets 098
/// and loses its payment adjustment flag 26. pyoce: 4 of 4 such lines on
/// the dumps, none of the 60 beside a procedure; probes (B, N lines do
/// not count). Run after the payment steps.
pub(crate) fn nonopioid_devices_without_procedure(
    run: &mut Run<'_>,
    claim: &ClaimInput<'_>,
    path: &Path,
) {
    let t = run.t;
    let iop = claim.has_condition("92");
    if !device_procedure_claim(path, iop) {
        return;
    }
    let is_device = |l: &LineInput<'_>| {
        hcpcs_row(run, l.hcpcs).is_some_and(|r| {
            r.status_indicator == si("H1") && r.has(hcpcs_bit!(t, "nonopioid_device"))
        })
    };
    if !claim.lines.iter().any(is_device) {
        return;
    }
    let live_procedure = run.out.lines.iter().any(|o| {
        let turned_away = o
            .hcpcs_edits
            .iter()
            .chain(&o.revenue_edits)
            .any(|&e| e != 7 && matches!(run.disposition(e), 5 | 6));
        !turned_away && matches!(o.status_indicator.as_str(), "J1" | "J2" | "S" | "T" | "V")
    });
    if live_procedure {
        return;
    }
    let devices: Vec<bool> = claim.lines.iter().map(is_device).collect();
    for (o, device) in run.out.lines.iter_mut().zip(devices) {
        if device {
            o.hcpcs_edits.push(98);
            if o.payment_adjustment_flag01 == "26" {
                o.payment_adjustment_flag01 = "0".into();
            }
        }
    }
}

/// The single-line edits and each line's outputs.
pub(crate) fn lines(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path, age: Option<u16>) {
    let (t, v) = (run.t, run.v);
    let review = claim.has_condition("20");
    let mut facts = ClaimFacts::of(run, claim, age);
    let otp_13x = path.prefix == 13 && facts.otp;
    let program_13x = facts.otp || facts.partial_hospitalization || facts.intensive_outpatient;
    if checks_type1_addons(path) {
        facts.addon_primaries = addon_primaries(run, claim, path);
    }
    // (The results filled where they stand, emptied by `Run::line_results`:
    // none is built here and moved into the list.)
    let mut results = run.line_results(claim);
    for (line, out) in claim.lines.iter().zip(results.iter_mut()) {
        out.action_flag = "0".into();
        out.composite_adjustment_flag = "00".into();
        out.payment_adjustment_flag01 = "0".into();
        out.payment_adjustment_flag02 = "0".into();
        out.rejection_denial_flag = "0".into();
        out.packaging_flag = "0".into();
        out.payment_method_flag = "0".into();
        out.discounting_formula = "1".into();
        out.units_output = super::engine::units_text(line.units);
        out.hcpcs_apc = "00000".into();
        out.payment_apc = "00000".into();
        // Revenue codes (docs/design/ioce-logic-lines.md §2.4): 041
        // invalid; 048 a revenue code that needs a HCPCS code without one;
        // 065 not recognised by Medicare; 050 a statutory exclusion.
        let revenue = line.revenue_code.trimmed().parse::<u16>().ok();
        // The revenue code is looked up in the version of the claim's
        // receipt date, or of its through date without one (pyoce: a
        // revenue code new in v88 on a v87 claim through a v88 date or
        // received then is valid; past the last version none is, unless
        // the claim was received by then).
        let revenue_row = revenue.and_then(|r| run.rv.and_then(|rv| t.revenue.get(&r, rv)));
        match revenue_row {
            None => out.revenue_edits.push(41),
            Some(r) => {
                // Not on an opioid treatment program's 13x claim, nor on
                // religious nonmedical (43x), hospice (81x, 82x) or
                // critical access hospital (85x: 0 of pyoce's 95 lines)
                // claims.
                if !otp_13x
                    && !matches!(path.prefix, 43 | 81 | 82 | 85)
                    && line.hcpcs.trimmed().is_empty()
                    && r.status_indicator != si("N")
                    && r.status_indicator != si("F")
                    && r.flags & REVENUE_BYPASS_E48 == 0
                {
                    out.revenue_edits.push(48);
                }
                if r.flags & REVENUE_NOT_RECOGNIZED != 0 {
                    out.revenue_edits.push(65);
                }
                // (Not on religious nonmedical claims, 43x: pyoce, 0 of 20
                // such lines; on every other bill type.)
                if r.flags & REVENUE_STATUTORY_EXCLUSION != 0 && path.prefix != 43 {
                    out.revenue_edits.push(50);
                }
                // The general treatment room's revenue code (0760) without
                // a code is not covered: 009, on every bill type (pyoce: 36
                // of 36 such lines processed and not denied for an
                // inpatient-only procedure's day; none on the 15 other
                // revenue codes of status B that need no code, 786 lines).
                if revenue == Some(760) && line.hcpcs.trimmed().is_empty() {
                    out.revenue_edits.push(9);
                }
                if line.hcpcs.trimmed().is_empty()
                    && r.flags & REVENUE_BUNDLED_IN_BIOLOGICAL != 0
                    && bundled_in_biological_edited(path, otp_13x)
                {
                    out.hcpcs_edits.push(111);
                }
            }
        }
        let row = if line.hcpcs.trimmed().is_empty() {
            None
        } else {
            let row = hcpcs_row(run, line.hcpcs);
            if row.is_none() && path.prefix != 43 {
                out.hcpcs_edits.push(6);
                // (An invalid code under the observation revenue code is
                // not observation either: 044, on the claims a valid one
                // gets it on — 13x but a program's, 85x not under OPPS.)
                let observation_claim = (path.prefix == 13 && path.number != 120 && !program_13x)
                    || (path.prefix == 85 && !path.opps);
                if revenue == Some(762) && observation_claim {
                    out.hcpcs_edits.push(44);
                }
            }
            row
        };
        // The packed red cells or whole blood revenue codes (0381, 0382)
        // without a code that is a blood product (none at all included):
        // 079. Not on 14x, nor on 13x with condition code 41, 89 or 92 or
        // not paid under OPPS, nor on 74x, 78x, 84x or 89x (pyoce: none on
        // 14, 5, 2, 2 and 5 such lines; on 12x, 73x, 83x and 85x it is).
        let blood_product = hcpcs_bit!(t, "blood_product");
        if matches!(revenue, Some(381 | 382))
            && !matches!(path.prefix, 14 | 74 | 78 | 84 | 89)
            && !(path.prefix == 13 && (program_13x || !path.opps))
            && !row.is_some_and(|r| r.has(blood_product))
        {
            out.hcpcs_edits.push(79);
        }
        // (An ambulance line of revenue code 0540 carries origin and
        // destination modifiers: none is questioned — pyoce, 0 of 6 such
        // lines with an invalid modifier; 0541–0549 are.)
        if path.prefix != 43 && revenue != Some(540) {
            for (m, modifier) in line.modifiers.iter().enumerate() {
                if key(modifier.trimmed()).is_none_or(|k| !t.modifier.has(&k, v)) {
                    out.modifier_edits[m].push(22);
                }
            }
        }
        // A clinic's line without a valid code is still outside its rate
        // when billed under an excluded revenue code (091).
        if row.is_none() && super::clinic::not_covered(run, claim, path, line, None) {
            out.hcpcs_edits.push(91);
        }
        if let Some(row) = row {
            out.hcpcs_apc = key_text(row.apc);
            out.payment_apc = key_text(row.apc);
            if path.opps {
                out.status_indicator = key_text(row.status_indicator);
            }
            out.payment_indicator = row.payment_indicator.into();
            single_line_edits(run, claim, &facts, path, line, row, &mut out.hcpcs_edits);
        }
        // A telehealth modifier on a line whose code is not on the
        // telehealth list (or that has no code), on a critical access
        // hospital's claim not paid under OPPS: 126 (pyoce: 12 of 12 such
        // lines, all under facility revenue codes, one without a code; none
        // on the other bill types' 1,047 lines with these modifiers, nor on
        // 85x under OPPS).
        if path.prefix == 85
            && !path.opps
            && !row.is_some_and(|r| r.has(hcpcs_bit!(t, "telehealth")))
            && line.modifiers.iter().any(|m| {
                key(m.trimmed())
                    .and_then(|k| t.modifier.get(&k, v))
                    .is_some_and(|flags| flags & TELEHEALTH_MODIFIER != 0)
            })
        {
            out.hcpcs_edits.push(126);
        }
        // Condition code 20 (the provider asks for a medical review of the
        // services): every line is suspended for the contractor (011).
        if review {
            out.hcpcs_edits.push(11);
        }
        // A line rejected for its revenue code (065) is not also rejected
        // for its HCPCS code (028), nor questioned (012).
        if out.revenue_edits.contains(&65) {
            out.hcpcs_edits.retain(|&e| e != 28 && e != 12);
        }
        // Nor is a line denied as non-covered (009) or rejected as
        // information only (112) excluded by its revenue code (050):
        // pyoce, 0 of 5 such lines.
        if out.hcpcs_edits.iter().any(|&e| e == 9 || e == 112) {
            out.revenue_edits.retain(|&e| e != 50);
        }
    }
    run.out.lines = results;
    crate::scratch::give_back_lines(&CLAIM_CODES, std::mem::take(&mut facts.codes));
    inpatient_only(run, claim, path);
}

thread_local! {
    /// [`ClaimFacts::codes`] of the thread's last claim, kept for its next
    /// one (an allocation a claim).
    static CLAIM_CODES: Cell<Vec<Key>> = const { Cell::new(Vec::new()) };
}

/// Inpatient-only procedures (status indicator C) on OPPS claims of types
/// 12x, 13x and 76x: 018 on the procedure's line and 049 on every other line of that
/// day. A C code flagged `separate_procedure` with a T or J1 procedure on
/// the claim (on its day, on 12x) gets 045 instead and denies nothing else. With modifier CA on a line
/// (the patient died or was transferred before admission) there is no 018
/// or 049 (CA on an inpatient-only procedure's line): that line gets 070
/// unless the patient status says so, and
/// every line of status indicator B, C, E1, E2 or M gets 121.
fn inpatient_only(run: &mut Run<'_>, claim: &ClaimInput<'_>, path: &Path) {
    // Not on an opioid treatment program's 13x claim (condition code 89),
    // nor on a claim not paid under OPPS (none of 018, 049, 045, 070, 121
    // on pyoce's 2,600 such claims).
    if !path.opps
        || !matches!(path.prefix, 12 | 13 | 76)
        || (path.prefix == 13 && claim.has_condition("89"))
    {
        return;
    }
    let t = run.t;
    let sep = hcpcs_bit!(t, "separate_procedure");
    let rows: Vec<Option<&HcpcsRow>> = claim
        .lines
        .iter()
        .map(|l| hcpcs_row(run, l.hcpcs))
        .collect();
    let is_si = |i: usize, s: &str| rows[i].is_some_and(|r| r.status_indicator == si(s));
    // A line without a code has its revenue code's status indicator.
    let line_si = |i: usize| -> Option<Key> {
        let l = &claim.lines[i];
        if l.hcpcs.trimmed().is_empty() {
            let r = l.revenue_code.trimmed().parse::<u16>().ok()?;
            t.revenue.get(&r, run.v).map(|r| r.status_indicator)
        } else {
            rows[i].map(|r| r.status_indicator)
        }
    };
    // A separate procedure (flag `separate_procedure`) is set aside only
    // with a T procedure of its own day, or, on a 13x claim that is not a
    // program's (partial hospitalization, 41; intensive outpatient, 92), a
    // J1 procedure of any day: then it goes with another inpatient-only
    // procedure of its day (049 from that one's day), and alone it is not
    // paid (045). Otherwise it is an inpatient-only procedure like any
    // other (018). (pyoce: beside J1 procedures only, 018 on 8 of 8 such
    // lines of 12x claims and 9 of 9 of program claims; beside a T of
    // another day only, 018 on 13x, 3 of 3.)
    let separate = |i: usize| rows[i].is_some_and(|r| r.has(sep));
    let program = path.prefix == 13
        && claim
            .condition_codes
            .iter()
            .any(|c| matches!(c.trimmed(), "41" | "92"));
    let j1_any_day = path.prefix == 13 && !program;
    let j1_on_claim = j1_any_day && (0..claim.lines.len()).any(|j| is_si(j, "J1"));
    // The days of a T procedure, sorted.
    let mut t_days: Vec<&str> = (0..claim.lines.len())
        .filter(|&j| is_si(j, "T"))
        .map(|j| claim.lines[j].service_date.trimmed())
        .collect();
    t_days.sort_unstable();
    t_days.dedup();
    let set_aside = |i: usize| {
        separate(i)
            && (j1_on_claim
                || t_days
                    .binary_search(&claim.lines[i].service_date.trimmed())
                    .is_ok())
    };
    // (Only on 13x and on 12x with condition code W2 (a Part B claim
    // after an inpatient denial, paid as an outpatient one): pyoce honours
    // CA on none of 26 other 12x claims, 4 76x and 14 13x claims of
    // intensive outpatient (92) or partial hospitalization (41); and not
    // for a separate procedure set aside below.)
    let has_cc = |cc: &str| claim.has_condition(cc);
    let ca_paid = match path.prefix {
        13 => !has_cc("41") && !has_cc("92"),
        12 => has_cc("W2"),
        _ => false,
    };
    let ca = claim.lines.iter().enumerate().position(|(i, l)| {
        ca_paid
            && !path.on(switch::PH_EDITS)
            && is_si(i, "C")
            && !set_aside(i)
            && l.modifiers
                .iter()
                .any(|m| m.trimmed().eq_ignore_ascii_case("CA"))
    });
    if let Some(ca_line) = ca {
        run.ca_line = Some(ca_line);
        let expired_or_transferred = claim
            .patient_status
            .is_some_and(|s| matches!(s.trimmed(), "20" | "02" | "05" | "62" | "63" | "65" | "66"));
        if !expired_or_transferred {
            // (Its units over 1 are more than one procedure with CA: 060,
            // raised only beside 070 — pyoce, 3 of 3 such lines, none of
            // the 9 whose patient expired or was transferred.)
            if claim.lines[ca_line].units.is_some_and(|u| u > 1.0) {
                run.out.lines[ca_line].hcpcs_edits.push(60);
            }
            run.out.lines[ca_line].hcpcs_edits.push(70);
        }
        for i in 0..claim.lines.len() {
            if i != ca_line
                && line_si(i)
                    .is_some_and(|x| ["B", "C", "E1", "E2", "M"].iter().any(|&s| si(s) == x))
            {
                run.out.lines[i].hcpcs_edits.push(121);
            }
        }
        return;
    }
    // The days of an inpatient-only procedure that is not a separate one,
    // sorted: looked up, not searched for, for each separate procedure.
    let mut c_days: Vec<&str> = Vec::new();
    for (i, l) in claim.lines.iter().enumerate() {
        if is_si(i, "C") && !set_aside(i) {
            c_days.push(l.service_date.trimmed());
        }
    }
    c_days.sort_unstable();
    c_days.dedup();
    let mut days: Vec<&str> = Vec::new();
    for (i, l) in claim.lines.iter().enumerate() {
        if !is_si(i, "C") {
            continue;
        }
        let day = l.service_date.trimmed();
        // (Line i, a separate procedure, is none of `c_days`' lines.)
        if set_aside(i) {
            let alone = c_days.binary_search(&day).is_err();
            // Alone on its day, it is not paid (045).
            if alone {
                run.out.lines[i].hcpcs_edits.push(45);
            }
            continue;
        }
        run.out.lines[i].hcpcs_edits.push(18);
        days.push(day);
    }
    days.sort_unstable();
    days.dedup();
    for (i, l) in claim.lines.iter().enumerate() {
        let edits = &mut run.out.lines[i].hcpcs_edits;
        if !edits.contains(&18)
            && !edits.contains(&45)
            && days.binary_search(&l.service_date.trimmed()).is_ok()
        {
            edits.push(49);
        }
    }
}

/// A line with 018, 049, 070 or 121 keeps only the edits that say its
/// codes are invalid (006, 041, 022) and 127; the I/OCE raises no other
/// edit on an inpatient-only procedure's day.
///
/// A claim with a line denied for an inpatient-only procedure's day (049)
/// gets neither 081 nor 133 (a mental health service outside the partial
/// hospitalization or intensive outpatient program) on any day: pyoce, 0
/// of 213 such lines, 2 of 2 beside an inpatient-only procedure alone on
/// its day (018, no 049), 157 of 192 on the other 13x claims.
pub(crate) fn keep_inpatient_day_edits(run: &mut Run<'_>) {
    // On a claim with an inpatient-only procedure under modifier CA, every
    // line is so kept.
    let whole_claim = run.ca_line.is_some();
    if run.out.lines.iter().any(|l| l.hcpcs_edits.contains(&49)) {
        for l in &mut run.out.lines {
            l.hcpcs_edits.retain(|&e| e != 81 && e != 133);
        }
    }
    for l in &mut run.out.lines {
        if whole_claim
            || l.hcpcs_edits
                .iter()
                .any(|&e| matches!(e, 18 | 49 | 70 | 121))
        {
            l.hcpcs_edits
                .retain(|&e| matches!(e, 6 | 18 | 49 | 60 | 70 | 101 | 121 | 127));
            l.revenue_edits.retain(|&e| e == 41);
            for m in &mut l.modifier_edits {
                m.retain(|&e| e == 22);
            }
        }
    }
}

/// 080 (a mental health code not approved for partial hospitalization)
/// is not raised on a line that is rejected (a line-rejection edit other
/// than 007: 065 on its revenue code, NCCI's 040 …): pyoce, 3 of 3 such
/// lines on the dumps, probes with 040 and 065.
pub(crate) fn drop_080_on_rejected_lines(run: &mut Run<'_>) {
    for i in 0..run.out.lines.len() {
        // 107 (a type II add-on on a professional revenue code) neither
        // on a line NCCI rejects (040): pyoce, 4 of 4 such lines on the
        // dumps; probes (711 has no NCCI edits and keeps it).
        if run.out.lines[i].hcpcs_edits.contains(&40) {
            run.out.lines[i].hcpcs_edits.retain(|&e| e != 107);
        }
        let l = &run.out.lines[i];
        if !l.hcpcs_edits.contains(&80) {
            continue;
        }
        let rejected = l
            .hcpcs_edits
            .iter()
            .chain(&l.revenue_edits)
            .any(|&e| e != 7 && run.disposition(e) == 5);
        if rejected {
            run.out.lines[i].hcpcs_edits.retain(|&e| e != 80);
        }
    }
}

/// Keep only the edits that say a code is invalid (001 on diagnoses; 006,
/// 041 and 022 on lines).
pub(crate) fn keep_validity_edits(run: &mut Run<'_>) {
    // (Nor is the patient's sex or age questioned: 026 on none of 26 such
    // claims, 025 on none of 6 — pyoce, the four dumps.)
    run.claim_only.retain(|&e| e != 26 && e != 25);
    let o = &mut run.out;
    for d in std::iter::once(&mut o.principal)
        .chain(&mut o.reason_for_visit)
        .chain(&mut o.secondary)
    {
        d.edits.retain(|&e| e == 1);
    }
    for l in &mut o.lines {
        l.hcpcs_edits.retain(|&e| e == 6);
        l.revenue_edits.retain(|&e| e == 41);
        for m in &mut l.modifier_edits {
            m.retain(|&e| e == 22);
        }
    }
}

/// 027: every line whose code is valid (or that has no code) has status
/// indicator N (its code's, or its revenue code's when it has no code):
/// the claim is rejected and nothing else is edited.
pub(crate) fn only_incidental(run: &Run<'_>, claim: &ClaimInput<'_>, path: &Path) -> bool {
    let n = key("N").expect("a key");
    // (Where every Q4 lab is packaged, a Q4 is incidental too.)
    let q4 = key("Q4").expect("a key");
    let q4_packaged = super::payment::q4_always_packaged(claim, path);
    let mut any = false;
    for (i, l) in claim.lines.iter().enumerate() {
        let si = if l.hcpcs.trimmed().is_empty() {
            let rev = l.revenue_code.trimmed().parse::<u16>().ok();
            rev.and_then(|r| run.t.revenue.get(&r, run.v))
                .map(|r| r.status_indicator)
        } else {
            hcpcs_row(run, l.hcpcs).map(|r| r.status_indicator)
        };
        let Some(si) = si else {
            // An invalid code (or revenue code, without a code) is passed
            // over, unless the contractor bypasses the edit saying so (006,
            // 041): then it is a service that is not incidental (pyoce, 6 of
            // 6 such claims; bypassing 027 itself only takes the edit away,
            // 3 of 3).
            if run.bypassed_on(i, 6) || run.bypassed_on(i, 41) {
                return false;
            }
            continue;
        };
        if si != n && !(q4_packaged && si == q4) {
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

#[cfg(test)]
mod tests {
    use super::apc_number;
    use crate::ioce::data::key;

    #[test]
    fn apc_numbers_read_from_keys() {
        assert_eq!(apc_number(key("05021").unwrap()), Some(5021));
        assert_eq!(apc_number(key("00000").unwrap()), Some(0));
        assert_eq!(apc_number(key("5A").unwrap()), None);
    }

    /// A claim of one line of `code` on `revenue` dated `from`, through
    /// `through`, with `extra` fields; the line's revenue edits.
    fn revenue_edits(from: &str, through: &str, revenue: &str, extra: &str) -> Vec<u16> {
        let json = format!(
            r#"{{"bill_type":"131","from_date":"{from}","through_date":"{through}","patient":{{"sex":"F","age":70}},"diagnoses":["N18.6"],"lines":[{{"code":"G0463","revenue_code":"{revenue}","service_date":"{from}","units":1,"charge":100}}]{extra}}}"#
        );
        let claim: crate::claim::Claim = serde_json::from_str(&json).unwrap();
        let e = crate::ioce::Editor::new().edit_claim(&claim);
        assert_eq!(e.return_code, 0, "{json}");
        e.lines[0].revenue_edits.clone()
    }

    /// Revenue codes are read in the version of the receipt date, or of the
    /// through date without one: 0161 (from v88, 2022-07-01) is invalid
    /// (041) on a claim of 2022-06-15 unless it runs into July or was
    /// received then; a claim through 2036-04-01 has no revenue code in
    /// force unless it was received by 2036-03-31; 0905 is not recognised
    /// (065) up to v93 (2023-12-31).
    #[test]
    fn revenue_codes_in_the_receipt_or_through_dates_version() {
        let receipt = r#","receipt_date":"2022-07-05""#;
        assert_eq!(revenue_edits("2022-06-15", "2022-06-15", "0161", ""), [41]);
        assert_eq!(
            revenue_edits("2022-06-15", "2022-07-05", "0161", ""),
            [0u16; 0]
        );
        assert_eq!(
            revenue_edits("2022-06-15", "2022-06-15", "0161", receipt),
            [0u16; 0]
        );
        let early = r#","receipt_date":"2022-06-20""#;
        assert_eq!(
            revenue_edits("2022-06-15", "2022-07-05", "0161", early),
            [41]
        );
        assert_eq!(revenue_edits("2036-03-31", "2036-04-01", "0510", ""), [41]);
        let in_time = r#","receipt_date":"2036-03-31""#;
        assert_eq!(
            revenue_edits("2036-03-31", "2036-04-01", "0510", in_time),
            [0u16; 0]
        );
        assert_eq!(revenue_edits("2023-12-31", "2023-12-31", "0905", ""), [65]);
        assert_eq!(
            revenue_edits("2023-12-31", "2024-01-01", "0905", ""),
            [0u16; 0]
        );
    }

    /// A claim of type `bill` dated 2025-03-01 (`extra`: more fields) of
    /// `lines` (each `code`, `revenue_code`, charge in dollars), edited.
    fn edited(bill: &str, extra: &str, lines: &[(&str, &str, f64)]) -> crate::ioce::Edited {
        let lines: Vec<String> = lines
            .iter()
            .map(|(code, revenue, charge)| {
                format!(
                    r#"{{"code":"{code}","revenue_code":"{revenue}","units":1,"charge":{charge}}}"#
                )
            })
            .collect();
        // (A patient of 70 unless `extra` gives one.)
        let patient = if extra.contains(r#""patient""#) {
            ""
        } else {
            r#","patient":{"sex":"F","age":70}"#
        };
        let json = format!(
            r#"{{"bill_type":"{bill}","from_date":"2025-03-01","through_date":"2025-03-01"{patient},"diagnoses":["N18.6"],"lines":[{}]{extra}}}"#,
            lines.join(",")
        );
        let claim: crate::claim::Claim = serde_json::from_str(&json).unwrap();
        crate::ioce::Editor::new().edit_claim(&claim)
    }

    /// C9898 (flag `token_charge_only`) charged more than $1.00, or
    /// nothing: 082 on hospital claims (12x, 13x, 83x and 85x not under
    /// OPPS), not on a program's 13x; 055 on the other bill types.
    #[test]
    fn token_charge_only_codes_charged_more() {
        let edits = |bill: &str, extra: &str, charge: f64| {
            let e = edited(
                bill,
                extra,
                &[("99213", "0510", 100.0), ("C9898", "0510", charge)],
            );
            e.lines[1].hcpcs_edits.clone()
        };
        assert_eq!(edits("131", "", 100.0), [82]);
        assert_eq!(edits("131", "", 0.0), [82]);
        assert_eq!(edits("131", "", 1.0), [0u16; 0]);
        assert_eq!(edits("131", "", 0.5), [0u16; 0]);
        assert_eq!(edits("121", "", 100.0), [127, 82]);
        assert_eq!(edits("851", r#","opps_flag":"2""#, 100.0), [82]);
        assert_eq!(edits("831", r#","opps_flag":"2""#, 100.0), [82]);
        for cc in ["41", "89", "92"] {
            let extra = format!(r#","condition_codes":["{cc}"]"#);
            assert!(!edits("131", &extra, 100.0).contains(&82), "{cc}");
        }
        assert_eq!(edits("141", "", 100.0), [55]);
        assert_eq!(edits("221", "", 100.0), [55]);
    }

    /// Small rules of the fifth pass (docs/design/ioce-logic-lines.md §9):
    /// 044 on an invalid code under 0762 not on a program's 13x; no 028 on
    /// 73x; no 025 on an incidental-only claim (027); no 080 on a rejected
    /// line; 035 on mental health education alone on its day.
    #[test]
    fn fifth_pass_small_rules() {
        let php = r#","condition_codes":["41"]"#;
        let invalid = [("90832", "0900", 100.0), ("ZZZZZ", "0762", 100.0)];
        assert_eq!(edited("131", "", &invalid).lines[1].hcpcs_edits, [6, 44]);
        assert_eq!(edited("131", php, &invalid).lines[1].hcpcs_edits, [6]);
        let non_opps = r#","opps_flag":"2""#;
        assert_eq!(
            edited("851", non_opps, &invalid).lines[1].hcpcs_edits,
            [6, 44]
        );
        let not_mcare = [("99213", "0510", 100.0), ("S9090", "0510", 100.0)];
        assert_eq!(
            edited("851", non_opps, &not_mcare).lines[1].hcpcs_edits,
            [28]
        );
        assert_eq!(
            edited("731", non_opps, &not_mcare).lines[1].hcpcs_edits,
            [0u16; 0]
        );
        let old = r#","patient":{"sex":"F","age":125}"#;
        let incidental = edited("131", old, &[("64484", "0510", 100.0)]);
        assert_eq!(incidental.claim_rejection_edits, [27]);
        assert!(incidental.claim_return_to_provider_edits.is_empty());
        // 97151 (`mh_not_ph`) on a partial hospitalization claim of v81:
        // 080, unless its revenue code is not recognised (065).
        let mh = |revenue: &str| {
            let json = format!(
                r#"{{"bill_type":"131","from_date":"2020-12-20","through_date":"2020-12-20","condition_codes":["41"],"patient":{{"sex":"F","age":54}},"diagnoses":["F32.9"],"lines":[{{"code":"64484","revenue_code":"0510","units":1,"charge":100}},{{"code":"97151","revenue_code":"{revenue}","units":1,"charge":100}}]}}"#
            );
            let claim: crate::claim::Claim = serde_json::from_str(&json).unwrap();
            let e = crate::ioce::Editor::new().edit_claim(&claim);
            e.lines[1].hcpcs_edits.clone()
        };
        assert_eq!(mh("0900"), [80]);
        assert_eq!(mh("0662"), [0u16; 0]);
        // G0177 alone on its day: 035 (and no 027); beside a visit, none.
        let alone = edited("131", "", &[("G0177", "0510", 100.0)]);
        assert_eq!(alone.lines[0].hcpcs_edits, [35]);
        assert!(alone.claim_rejection_edits.is_empty());
        let beside = edited(
            "131",
            "",
            &[("G0177", "0510", 100.0), ("G0463", "0510", 100.0)],
        );
        assert_eq!(beside.lines[0].hcpcs_edits, [0u16; 0]);
        assert_eq!(
            edited("141", "", &[("G0177", "0510", 100.0)]).lines[0].hcpcs_edits,
            [0u16; 0]
        );
    }

    /// 098: a non-opioid pain management device (C9804, v101) beside no
    /// live paid procedure (a procedure rejected for its revenue code, 065,
    /// does not count), and not its payment adjustment flag 26 then; a
    /// pass-through device whose status became N (C1827, v102+) without
    /// its procedure; none on a 13x claim with condition code 92.
    #[test]
    fn devices_without_their_procedures() {
        let on = |date: &str, extra: &str, lines: &[(&str, &str)]| {
            let lines: Vec<String> = lines
                .iter()
                .map(|(code, revenue)| {
                    format!(
                        r#"{{"code":"{code}","revenue_code":"{revenue}","units":1,"charge":500}}"#
                    )
                })
                .collect();
            let json = format!(
                r#"{{"bill_type":"131","from_date":"{date}","through_date":"{date}","patient":{{"sex":"F","age":70}},"diagnoses":["N18.6"],"lines":[{}]{extra}}}"#,
                lines.join(",")
            );
            let claim: crate::claim::Claim = serde_json::from_str(&json).unwrap();
            crate::ioce::Editor::new().edit_claim(&claim)
        };
        let d = "2025-12-31";
        let alone = on(d, "", &[("C9804", "0278")]);
        assert_eq!(alone.lines[0].hcpcs_edits, [98]);
        assert_eq!(alone.lines[0].payment_adjustment_flag01, "0");
        let paid = on(d, "", &[("33262", "0360"), ("C9804", "0278")]);
        assert_eq!(paid.lines[1].hcpcs_edits, [0u16; 0]);
        assert_eq!(paid.lines[1].payment_adjustment_flag01, "26");
        let rejected = on(d, "", &[("33262", "0500"), ("C9804", "0278")]);
        assert_eq!(rejected.lines[1].hcpcs_edits, [98]);
        let visit = on(d, "", &[("99213", "0510"), ("C9804", "0278")]);
        assert_eq!(visit.lines[1].hcpcs_edits, [98]);
        assert_eq!(
            on("2026-04-10", "", &[("G0463", "0510"), ("C1827", "0278")]).lines[1].hcpcs_edits,
            [98]
        );
        let iop = r#","condition_codes":["92"]"#;
        assert_eq!(
            on("2020-08-29", "", &[("C1982", "0278")]).lines[0].hcpcs_edits,
            [38, 98]
        );
        assert_eq!(
            on("2020-08-29", iop, &[("C1982", "0278")]).lines[0].hcpcs_edits,
            [38]
        );
    }

    /// A device-dependent procedure (66683 needs C1839 from v98) without
    /// its device on its day: 135, on 12x and 13x (not 14x, nor an opioid
    /// treatment program's 13x), not when terminated.
    #[test]
    fn device_dependent_procedure_without_its_device() {
        let edits = |bill: &str, extra: &str, lines: &[(&str, &str, f64)]| {
            edited(bill, extra, lines).lines[0].hcpcs_edits.clone()
        };
        let alone = [("66683", "0360", 100.0)];
        assert_eq!(edits("131", "", &alone), [135]);
        assert_eq!(edits("121", "", &alone), [127, 135]);
        assert_eq!(edits("141", "", &alone), [0u16; 0]);
        assert_eq!(
            edits("131", r#","condition_codes":["89"]"#, &alone),
            [0u16; 0]
        );
        let with = [("66683", "0360", 100.0), ("C1839", "0278", 100.0)];
        assert_eq!(edits("131", "", &with), [0u16; 0]);
        let other = [("66683", "0360", 100.0), ("C1840", "0278", 100.0)];
        assert_eq!(edits("131", "", &other), [135]);
        let json = r#"{"bill_type":"131","from_date":"2025-03-01","through_date":"2025-03-01","patient":{"sex":"F","age":70},"diagnoses":["N18.6"],"lines":[{"code":"66683","modifiers":["73"],"revenue_code":"0360","units":1,"charge":100}]}"#;
        let claim: crate::claim::Claim = serde_json::from_str(json).unwrap();
        let e = crate::ioce::Editor::new().edit_claim(&claim);
        assert!(!e.lines[0].hcpcs_edits.contains(&135));
    }
}
