//! Conformance: medcode's inpatient (MCE) edits against `msdrg` (PyPI, the
//! same MCE in Zig: CI's oracle) and, where a machine has it, against CMS's own
//! Medicare Code Editor (MCE 2.0, Java), claim by claim.
//!
//! A seeded generator makes inpatient claims (every release date FY2016–FY2027
//! and the days around it, every age category and invalid ages, sex M/F/U and
//! invalid, valid and invalid discharge statuses, POA values, stays of -30 to
//! 47 days (negative: admitted after discharge), admitting diagnoses, codes
//! carrying MCE flags oversampled flag by flag, duplicates of the principal,
//! headers and codes of other dates, codes in no table, lower-case, dotted and
//! blank-padded spellings, blank and all-zero codes, up to 25 diagnoses and 25
//! procedures, and claims without an age, a sex, a discharge status or an
//! admission date). Each claim goes through medcode's engine twice — typed
//! (`Engine::check`) and as a JSON line (`Engine::check_jsonl_line`), which
//! must agree — through msdrg (every date) and through CMS's MCE when its jars
//! are found (every claim discharged up to 2026-09-30, the jar's last day),
//! and the counts of each edit must be equal. medcode's rule ids become CMS
//! edit names through the one table in the library,
//! [`medcode::rules::CMS_MCE_EDITS`]; one finding counts one edit. The output
//! ends with the oracles compared with and skipped, and a Markdown table of
//! claims per edit (the README's).
//!
//! The oracles are given medcode's reading of each claim
//! ([`Generated::read`]): each code in CMS's spelling (upper case, no dot, no
//! blanks around it), the blank and all-zero secondary diagnoses and
//! procedures left out, a missing sex, age or discharge status as an invalid
//! one. Where that reading makes medcode answer otherwise than CMS's MCE on
//! the claim as written, the difference is deliberate, documented in the
//! README ("Conformance") and pinned by `deliberate_differences_hold` (with
//! CMS's answers checked against the jar where it is found).
//!
//! CMS's jars are CMS's programs: they are never committed and CI cannot fetch
//! them (`../shared/oracles/cms-mce/README.md` says how a developer gets them).
//! What msdrg gets wrong against CMS is therefore pinned: CMS's answers on
//! claims where msdrg is no witness (an invalid sex; a procedure with the
//! length-of-stay edit; a blank principal diagnosis) are stored in `tests/conformance/cms_pinned.jsonl`,
//! made from CMS's jar, and checked on every run, jar or not; with the jar, the
//! pins are checked against it too.
//!
//! Environment:
//! - `MEDCODE_CONFORMANCE_CLAIMS` — how many claims (default 20,000).
//! - `MEDCODE_CONFORMANCE_SEED` — the generator's seed (default fixed).
//! - `MEDCODE_NO_SKIP=1` — a missing msdrg (no python3, PyPI unreachable)
//!   fails instead of skipping (`.ci/run` sets it). CMS's jars stay optional.
//! - `MEDCODE_CMS_JARS` — the folder holding CMS's jars (default
//!   `$HOME/.cache/medcode/cms-jars`); `MEDCODE_CMS_REQUIRED=1` makes their
//!   absence a failure (for a local run that must compare with CMS).
//! - `MEDCODE_PIN_CMS=1` — rewrite `tests/conformance/cms_pinned.jsonl` from
//!   CMS's jar (needs the jars).
//! - `MEDCODE_MSDRG_PYTHON` — a Python with `msdrg` installed; otherwise the
//!   test makes a venv in the target directory and installs `msdrg==1.2.0`.
//!
//! One known fault of msdrg 1.2.0 is allowed for, with its evidence: its MCE
//! takes no length of stay and tests the patient's age in its place for
//! INCONSISTENT_WITH_LENGTH_OF_STAY (5A1955Z, age 4: raised; age 70: not;
//! whatever `los` is passed), so that one edit is compared with CMS only.
//! And msdrg's input check accepts sex 0, 1 or 2 only (an invalid sex is
//! outside its domain: passed anyway, it raises no INVALID_SEX from FY2025
//! where CMS does), so claims with an invalid sex are compared with CMS only.
//! msdrg raises no INVALID_CODE for a blank principal diagnosis, where CMS
//! does: those claims too are compared with CMS (and its pins) only.

use crate::common;

use common::oracle::{msdrg_python, MSDRG_VERSION};
use common::Rng;

use medcode::claim::{Claim, Diagnosis, Patient, Procedure};
use medcode::rules::{cms_mce_edit, Engine};
use medcode::{icd10cm, icd10pcs, Date, IcdCm, IcdPcs, PcsFlags};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The last discharge date CMS's MCE 43.1 answers for.
const CMS_LAST_DAY: u32 = 20260930;
/// The last day of the bundled tables (and of msdrg 1.2.0).
const LAST_DAY: u32 = 20270331;
const FIRST_DAY: u32 = 20151001;
/// Edits msdrg gets wrong (see the module docs): compared with CMS only.
const MSDRG_KNOWN_WRONG: &[&str] = &["INCONSISTENT_WITH_LENGTH_OF_STAY"];

/// Codes to draw from: everything, and for each MCE flag the codes that carry
/// it in some period (so that rare flags are drawn as often as common ones).
struct Pools {
    cm_billable: Vec<String>,
    cm_headers: Vec<String>,
    cm_by_flag: Vec<Vec<String>>,
    pcs_all: Vec<String>,
    pcs_by_flag: Vec<Vec<String>>,
    /// Procedures with the length-of-stay edit in some period.
    pcs_los: Vec<String>,
    dates: Vec<Date>,
}

/// Puts `code` in the pool of every MCE flag it carries in some period
/// (`periods`: from, to, flag bits) and notes the periods' boundaries.
fn file_by_flag(
    code: &str,
    periods: impl Iterator<Item = (Date, Option<Date>, u32)>,
    by_flag: &mut [Vec<String>],
    boundaries: &mut BTreeSet<u32>,
) {
    let mut bits = 0u32;
    for (from, to, flags) in periods {
        bits |= flags;
        boundaries.insert(from.yyyymmdd());
        if let Some(to) = to {
            boundaries.insert(to.succ().yyyymmdd());
        }
    }
    for (b, pool) in by_flag.iter_mut().enumerate() {
        if bits & (1 << b) != 0 {
            pool.push(code.to_owned());
        }
    }
}

fn undotted(code: impl std::fmt::Display) -> String {
    code.to_string().replace('.', "")
}

impl Pools {
    fn new() -> Pools {
        let mut cm_by_flag = vec![Vec::new(); 32];
        let mut boundaries = BTreeSet::new();
        let (mut cm_billable, mut cm_headers) = (Vec::new(), Vec::new());
        for info in icd10cm::all() {
            let code = undotted(info.code());
            if info.is_header() {
                cm_headers.push(code.clone());
            }
            if !info.billable_in_some_release() {
                continue;
            }
            let periods = info.mce_periods().map(|w| (w.from, w.to, w.flags.bits()));
            file_by_flag(&code, periods, &mut cm_by_flag, &mut boundaries);
            cm_billable.push(code);
        }
        let mut pcs_by_flag = vec![Vec::new(); 32];
        let mut pcs_all = Vec::new();
        let mut pcs_los = Vec::new();
        for info in icd10pcs::all() {
            let code = info.code().to_string();
            if info
                .mce_periods()
                .any(|w| w.flags.contains(PcsFlags::LENGTH_OF_STAY))
            {
                pcs_los.push(code.clone());
            }
            let periods = info.mce_periods().map(|w| (w.from, w.to, w.flags.bits()));
            file_by_flag(&code, periods, &mut pcs_by_flag, &mut boundaries);
            pcs_all.push(code);
        }
        // The age-range and sex-edit changes are release boundaries too.
        boundaries.extend([20191001, 20241001]);
        let mut dates = Vec::new();
        for b in boundaries {
            let d = Date::from_yyyymmdd(b).unwrap();
            let day = d.days_since_epoch();
            for delta in [-1, 0, 1] {
                let x = Date::from_days_since_epoch(day + delta).unwrap();
                if (FIRST_DAY..=LAST_DAY).contains(&x.yyyymmdd()) {
                    dates.push(x);
                }
            }
        }
        dates.sort();
        dates.dedup();
        cm_by_flag.retain(|p| !p.is_empty());
        pcs_by_flag.retain(|p| !p.is_empty());
        Pools {
            cm_billable,
            cm_headers,
            cm_by_flag,
            pcs_all,
            pcs_by_flag,
            pcs_los,
            dates,
        }
    }

    fn diagnosis(&self, rng: &mut Rng) -> String {
        match rng.below(100) {
            0..=44 => {
                let pool = rng_pool(&self.cm_by_flag, rng);
                rng.pick(pool).clone()
            }
            45..=89 => rng.pick(&self.cm_billable).clone(),
            _ => rng.pick(&self.cm_headers).clone(),
        }
    }

    fn procedure(&self, rng: &mut Rng) -> String {
        if rng.chance(55) {
            let pool = rng_pool(&self.pcs_by_flag, rng);
            rng.pick(pool).clone()
        } else {
            rng.pick(&self.pcs_all).clone()
        }
    }
}

fn rng_pool<'a>(pools: &'a [Vec<String>], rng: &mut Rng) -> &'a [String] {
    &pools[rng.below(pools.len())]
}

/// One generated inpatient claim, in the terms all three editors share.
///
/// Codes are kept as the claim writes them (lower case, dotted, padded,
/// blank, zeros, codes in no table); the oracles get medcode's reading of
/// them ([`read_dx`], [`read_pcs`]: see the module docs).
#[derive(Debug, Clone)]
struct Generated {
    id: usize,
    discharge: Date,
    /// Discharge minus admission, in days (negative: admitted after discharge).
    los: i32,
    /// False when the claim gives no admission date.
    admission_given: bool,
    /// `None`: the claim gives no age.
    age: Option<i32>,
    /// `M`, `F`, `U` or `X` (invalid); `None`: the claim gives no sex.
    sex: Option<char>,
    /// `None`: the claim gives no discharge status.
    discharge_status: Option<u8>,
    admitting: Option<(String, &'static str)>,
    diagnoses: Vec<(String, &'static str)>,
    procedures: Vec<String>,
}

/// What an oracle is given for a code medcode reads as none (blank, zeros).
const NO_CODE: Option<String> = None;

/// medcode's reading of a diagnosis as written, in CMS's spelling: the
/// ICD-10-CM code it parses (upper case, no dot), else the text without
/// the blanks around it; `None` for blank or zeros (no code).
fn read_dx(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.bytes().all(|b| b == b'0') {
        return NO_CODE;
    }
    Some(IcdCm::parse(t).map_or_else(|_| t.to_owned(), undotted))
}

/// [`read_dx`] for a procedure (ICD-10-PCS).
fn read_pcs(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.bytes().all(|b| b == b'0') {
        return NO_CODE;
    }
    Some(IcdPcs::parse(t).map_or_else(|_| t.to_owned(), |c| c.to_string()))
}

const POA: &[&str] = &["Y", "Y", "N", "U", "W", "1", ""];
const STATUSES: &[u8] = &[
    1, 1, 1, 2, 3, 4, 5, 6, 7, 9, 20, 21, 30, 40, 41, 42, 43, 50, 51, 61, 62, 63, 64, 65, 66, 69,
    70, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
];
const AGE_EDGES: &[i32] = &[
    0, 1, 8, 9, 11, 12, 14, 15, 17, 18, 55, 56, 60, 61, 64, 65, 124,
];

/// Blank and all-zero codes, the filler of fixed-width claim records.
const FILLERS: &[&str] = &["", " ", "0000", "0000000", "000", "  0000000  "];

/// `code` as a claim may write it: mostly as is, else in lower case, with
/// its dot (ICD-10-CM), padded with blanks, or several of these.
fn spelled(rng: &mut Rng, code: String, dotted: bool) -> String {
    let mut code = code;
    if !rng.chance(25) {
        return code;
    }
    if dotted && code.len() > 3 && rng.chance(50) && !code.contains('.') {
        code.insert(3, '.');
    }
    if rng.chance(50) {
        code = code.to_ascii_lowercase();
    }
    if rng.chance(40) {
        code = match rng.below(3) {
            0 => format!(" {code}"),
            1 => format!("{code}  "),
            _ => format!("\t{code} "),
        };
    }
    code
}

/// A code that is (most likely) in none of the system's releases: five
/// digits (a CPT code's shape), a code of the other ICD-10 system, or
/// letters and digits near the system's shape.
fn not_in_table(pools: &Pools, rng: &mut Rng, diagnosis: bool) -> String {
    match rng.below(4) {
        0 => format!("{:05}", rng.below(100_000)),
        1 if diagnosis => rng.pick(&pools.pcs_all).clone(),
        1 => rng.pick(&pools.cm_billable).clone(),
        2 if diagnosis => format!("Q99{}{}", rng.below(10), rng.below(10)),
        2 => format!("0ZZ{}", 1000 + rng.below(9000)),
        _ => ["X", "12", "E11.9.9", "U0999", "ABCDEFGHI", "-", "E11-9"][rng.below(7)].to_owned(),
    }
}

fn generate(pools: &Pools, rng: &mut Rng, id: usize) -> Generated {
    let discharge = if rng.chance(60) {
        *rng.pick(&pools.dates)
    } else {
        let first = Date::from_yyyymmdd(FIRST_DAY).unwrap().days_since_epoch();
        let last = Date::from_yyyymmdd(LAST_DAY).unwrap().days_since_epoch();
        Date::from_days_since_epoch(first + rng.below((last - first + 1) as usize) as i64).unwrap()
    };
    let los = match rng.below(100) {
        0..=66 => rng.below(8) as i32,
        67..=96 => 8 + rng.below(40) as i32,
        // Admitted after discharge.
        _ => -1 - rng.below(30) as i32,
    };
    let age = match rng.below(100) {
        0..=9 => 0,
        10..=24 => rng.below(18) as i32,
        25..=44 => 9 + rng.below(56) as i32,
        45..=74 => 65 + rng.below(36) as i32,
        75..=89 => *rng.pick(AGE_EDGES),
        _ => *rng.pick(&[-1, -5, 125, 126, 130, 200]),
    };
    let sex = match rng.below(100) {
        0..=34 => 'M',
        35..=69 => 'F',
        70..=89 => 'U',
        _ => 'X',
    };
    let discharge_status = if rng.chance(85) {
        *rng.pick(STATUSES)
    } else {
        rng.below(100) as u8
    };
    let n_dx = if rng.chance(5) {
        8 + rng.below(18)
    } else {
        1 + rng.below(7)
    };
    let diagnosis = |rng: &mut Rng| -> String {
        match rng.below(100) {
            0..=2 => rng.pick(FILLERS).to_string(),
            3..=6 => {
                let code = not_in_table(pools, rng, true);
                spelled(rng, code, false)
            }
            _ => {
                let code = pools.diagnosis(rng);
                spelled(rng, code, true)
            }
        }
    };
    let mut diagnoses: Vec<(String, &'static str)> = Vec::with_capacity(n_dx);
    for i in 0..n_dx {
        let code = if i > 0 && rng.chance(8) {
            // The principal again, as written or in another spelling.
            let p = diagnoses[0].0.trim().to_owned();
            if rng.chance(50) {
                diagnoses[0].0.clone()
            } else {
                spelled(rng, p, true)
            }
        } else {
            diagnosis(rng)
        };
        diagnoses.push((code, *rng.pick(POA)));
    }
    let admitting = rng.chance(40).then(|| (diagnosis(rng), *rng.pick(POA)));
    let n_pcs = match rng.below(20) {
        0..=5 => 0,
        6..=17 => 1 + rng.below(3),
        18 => 4 + rng.below(3),
        _ => 7 + rng.below(19),
    };
    let procedures = (0..n_pcs)
        .map(|_| match rng.below(100) {
            0..=2 => rng.pick(FILLERS).to_string(),
            3..=5 => {
                let code = not_in_table(pools, rng, false);
                spelled(rng, code, false)
            }
            _ => {
                let code = pools.procedure(rng);
                spelled(rng, code, false)
            }
        })
        .collect();
    // Fields the claim leaves out, each on about 3 claims in 100.
    let age_given = !rng.chance(3);
    let sex_given = !rng.chance(3);
    let status_given = !rng.chance(3);
    let admission_given = !rng.chance(3);
    Generated {
        id,
        discharge,
        los,
        admission_given,
        age: age_given.then_some(age),
        sex: sex_given.then_some(sex),
        discharge_status: status_given.then_some(discharge_status),
        admitting,
        diagnoses,
        procedures,
    }
}

impl Generated {
    fn admission(&self) -> Date {
        Date::from_days_since_epoch(self.discharge.days_since_epoch() - i64::from(self.los))
            .unwrap()
    }

    fn claim(&self) -> Claim {
        Claim {
            id: Some(self.id.to_string()),
            claim_type: Some("institutional".into()),
            patient: Some(Patient {
                sex: self.sex.map(|s| s.to_string()),
                age: self.age.map(f64::from),
                ..Default::default()
            }),
            admission_date: self.admission_given.then(|| self.admission().to_string()),
            discharge_date: Some(self.discharge.to_string()),
            discharge_status: self.discharge_status.map(|s| format!("{s:02}")),
            diagnoses: self
                .diagnoses
                .iter()
                .map(|(code, poa)| Diagnosis {
                    code: Some(code.clone()),
                    poa: (!poa.is_empty()).then(|| poa.to_string()),
                })
                .collect(),
            admitting_diagnosis: self.admitting.as_ref().map(|(c, _)| c.clone()),
            procedures: self.procedures.iter().map(Procedure::new).collect(),
            ..Default::default()
        }
    }

    /// The claim as CMS's MCE and msdrg are given it: medcode's reading of
    /// each code ([`read_dx`], [`read_pcs`]); the blank or all-zero
    /// secondary diagnoses, procedures and admitting diagnosis left out (a
    /// blank principal stays, blank); a missing sex as an invalid one, a
    /// missing age as -1, a missing discharge status as 0 (both invalid),
    /// and CMS's answers on them adjusted by [`expected_of_oracle`].
    fn read(&self) -> Read {
        let dx = |(c, p): &(String, &'static str)| read_dx(c).map(|c| (c, *p));
        let mut diagnoses: Vec<(String, &'static str)> = Vec::new();
        if let Some(first) = self.diagnoses.first() {
            diagnoses.push(dx(first).unwrap_or((String::new(), first.1)));
        }
        diagnoses.extend(self.diagnoses.iter().skip(1).filter_map(dx));
        Read {
            admitting: self.admitting.as_ref().and_then(dx),
            diagnoses,
            procedures: self.procedures.iter().filter_map(|c| read_pcs(c)).collect(),
            sex: self.sex.unwrap_or('X'),
            age: self.age.unwrap_or(-1),
            discharge_status: self.discharge_status.unwrap_or(0),
        }
    }

    /// The line CMS's MCE driver reads (tests/conformance/MceDriver.java).
    fn cms_line(&self) -> String {
        let r = self.read();
        let sex = match r.sex {
            'U' => 0,
            'M' => 1,
            'F' => 2,
            _ => 3,
        };
        let admit = r
            .admitting
            .as_ref()
            .map(|(c, p)| format!("{c}:{p}"))
            .unwrap_or_default();
        let dx: Vec<String> = r
            .diagnoses
            .iter()
            .map(|(c, p)| format!("{c}:{p}"))
            .collect();
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            self.id,
            self.discharge.yyyymmdd(),
            r.age,
            sex,
            r.discharge_status,
            self.los,
            admit,
            dx.join(","),
            r.procedures.join(",")
        )
    }

    /// The JSON line msdrg's driver reads (tests/conformance/msdrg_driver.py).
    fn msdrg_line(&self) -> String {
        let r = self.read();
        // msdrg numbers sex 0 male, 1 female, 2 unknown.
        let sex = match r.sex {
            'M' => 0,
            'F' => 1,
            'U' => 2,
            _ => 3,
        };
        let dx = |(c, p): &(String, &str)| {
            let poa = if p.is_empty() { " " } else { p };
            serde_json::json!({"code": c, "poa": poa})
        };
        let mut claim = serde_json::json!({
            "discharge_date": self.discharge.yyyymmdd(),
            "icd_version": 10,
            "age": r.age,
            "sex": sex,
            "discharge_status": r.discharge_status,
            "pdx": dx(&r.diagnoses[0]),
            "sdx": r.diagnoses[1..].iter().map(dx).collect::<Vec<_>>(),
            "procedures": r.procedures.iter().map(|c| serde_json::json!({"code": c})).collect::<Vec<_>>(),
        });
        if let Some(a) = &r.admitting {
            claim["admit_dx"] = dx(a);
        }
        let mut s = serde_json::json!({"id": self.id, "claim": claim}).to_string();
        s.push('\n');
        s
    }
}

/// A claim as the oracles are given it ([`Generated::read`]).
struct Read {
    admitting: Option<(String, &'static str)>,
    diagnoses: Vec<(String, &'static str)>,
    procedures: Vec<String>,
    sex: char,
    age: i32,
    discharge_status: u8,
}

/// What medcode must answer, from an oracle's answer on [`Generated::read`]:
/// the deliberate differences for fields the claim leaves out (README,
/// "Conformance"). Without an age, medcode raises INVALID_AGE but calls no
/// diagnosis an age conflict (CMS's -1 is outside every age category);
/// without an admission date it knows no stay, and raises no
/// INCONSISTENT_WITH_LENGTH_OF_STAY.
fn expected_of_oracle(g: &Generated, oracle: &EditCounts) -> EditCounts {
    let mut e = oracle.clone();
    if g.age.is_none() {
        e.remove("AGE_CONFLICT");
    }
    if !g.admission_given {
        e.remove("INCONSISTENT_WITH_LENGTH_OF_STAY");
    }
    e
}

/// CMS edit name → how many times an editor raised it on one claim.
type EditCounts = BTreeMap<String, u32>;

/// medcode's findings as CMS edit counts: one per finding of a rule that
/// maps to a CMS edit ([`cms_mce_edit`]).
fn edit_counts<'a>(rules: impl Iterator<Item = &'a str>) -> EditCounts {
    let mut counts = EditCounts::new();
    for edit in rules.filter_map(cms_mce_edit) {
        *counts.entry(edit.to_owned()).or_default() += 1;
    }
    counts
}

/// medcode's answer on a claim, through the typed path (`Engine::check`)
/// and through the JSON Lines path (`Engine::check_jsonl_line`, the claim
/// written as JSON): `Err` when the two paths disagree.
fn medcode_edits(engine: &Engine, g: &Generated) -> Result<EditCounts, String> {
    let claim = g.claim();
    let typed = edit_counts(engine.check(&claim).findings.iter().map(|f| &*f.rule));
    let json = serde_json::to_string(&claim).unwrap();
    let out: serde_json::Value = serde_json::from_str(&engine.check_jsonl_line(&json))
        .map_err(|e| format!("claim {}: check_jsonl_line wrote no JSON: {e}", g.id))?;
    let findings = out["findings"].as_array().cloned().unwrap_or_default();
    let lines = edit_counts(findings.iter().filter_map(|f| f["rule"].as_str()));
    if typed != lines {
        return Err(format!(
            "claim {}: Engine::check {typed:?} but check_jsonl_line {lines:?}\n  input: {json}",
            g.id
        ));
    }
    Ok(typed)
}

/// medcode's answers on every claim; the claims whose two paths disagree
/// are listed in the `Err`.
fn medcode_answers(engine: &Engine, claims: &[Generated]) -> Result<Vec<EditCounts>, String> {
    let mut bad = Vec::new();
    let mut out = Vec::with_capacity(claims.len());
    for g in claims {
        match medcode_edits(engine, g) {
            Ok(c) => out.push(c),
            Err(e) => {
                bad.push(e);
                out.push(EditCounts::new());
            }
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        let n = bad.len();
        bad.truncate(10);
        Err(format!(
            "the typed and JSON Lines paths disagree on {n} claims:\n{}",
            bad.join("\n")
        ))
    }
}

/// Parses a driver's output: `id<TAB>EDIT=n,EDIT=n`.
fn parse_answers(out: &str) -> BTreeMap<usize, EditCounts> {
    out.lines()
        .map(|line| {
            let (id, edits) = line.split_once('\t').expect("id<TAB>edits");
            assert!(!edits.starts_with("ERROR"), "oracle error: {line}");
            let counts = edits
                .split(',')
                .filter(|e| !e.is_empty())
                .map(|e| {
                    let (name, n) = e.split_once('=').expect("EDIT=count");
                    (name.to_owned(), n.parse().expect("a count"))
                })
                .collect();
            (id.parse().unwrap(), counts)
        })
        .collect()
}

/// The MCE jar's sha256 (../shared/oracles/cms-mce/README.md): another
/// release would answer other questions.
const CMS_MCE_JAR: (&str, &str) = (
    "MCE-2.0-43.1.0.0.jar",
    "b3cdc12e15df07b1d7f8428c10927574a76f03ea37061184e487c1aec6c3f3e6",
);

/// CMS's MCE's answers on the claims discharged by its last day.
fn cms_answers(claims: &[Generated]) -> Result<BTreeMap<usize, EditCounts>, String> {
    let input: String = claims
        .iter()
        .filter(|g| g.discharge.yyyymmdd() <= CMS_LAST_DAY)
        .map(Generated::cms_line)
        .collect();
    cms_run(input)
}

/// CMS's MCE's answers on driver lines (`MceDriver.java`'s input).
fn cms_run(input: String) -> Result<BTreeMap<usize, EditCounts>, String> {
    let java = common::oracle::cms_java_driver(CMS_MCE_JAR.0, CMS_MCE_JAR.1, "MceDriver")?;
    Ok(parse_answers(&common::oracle::run_driver(java, input)?))
}

/// Skips the CMS comparison with the reason: CMS's jars are optional (CI has
/// none), unless `MEDCODE_CMS_REQUIRED=1`.
fn skip_cms(what: &str, why: &str) {
    common::skip_unless_required("MEDCODE_CMS_REQUIRED", what, why);
}

/// The claims msdrg's input check accepts, and with a principal diagnosis
/// (see the module docs).
fn msdrg_domain(g: &Generated) -> bool {
    g.sex.is_some_and(|s| s != 'X')
        && g.diagnoses
            .first()
            .is_some_and(|(c, _)| read_dx(c).is_some())
}

fn msdrg_answers(claims: &[Generated]) -> Result<BTreeMap<usize, EditCounts>, String> {
    let python = msdrg_python()?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/msdrg_driver.py");
    let input: String = claims
        .iter()
        .filter(|g| msdrg_domain(g))
        .map(Generated::msdrg_line)
        .collect();
    let mut cmd = Command::new(python);
    cmd.arg(script);
    Ok(parse_answers(&common::oracle::run_driver(cmd, input)?))
}

/// One comparison of medcode with an oracle.
struct Comparison {
    compared: usize,
    agree: usize,
    /// Edit → (claims medcode raised it on, claims the oracle did).
    claims_per_edit: BTreeMap<String, (usize, usize)>,
    /// The first disagreements, ready to print.
    shown: Vec<String>,
}

/// Compares medcode with one oracle, claim by claim and edit by edit, with
/// how many times each edit is raised (after [`expected_of_oracle`]),
/// leaving out the edits in `ignore`; prints the result and the claims per
/// edit.
fn compare(
    oracle: &str,
    claims: &[Generated],
    ours: &[EditCounts],
    theirs: &BTreeMap<usize, EditCounts>,
    ignore: &[&str],
) -> Comparison {
    let mut c = Comparison {
        compared: 0,
        agree: 0,
        claims_per_edit: BTreeMap::new(),
        shown: Vec::new(),
    };
    for (g, mine) in claims.iter().zip(ours) {
        let Some(other) = theirs.get(&g.id) else {
            continue;
        };
        c.compared += 1;
        let strip = |s: &EditCounts| -> EditCounts {
            s.iter()
                .filter(|(e, _)| !ignore.contains(&e.as_str()))
                .map(|(e, n)| (e.clone(), *n))
                .collect()
        };
        let (mine, other) = (strip(mine), strip(&expected_of_oracle(g, other)));
        for e in mine.keys() {
            c.claims_per_edit.entry(e.clone()).or_default().0 += 1;
        }
        for e in other.keys() {
            c.claims_per_edit.entry(e.clone()).or_default().1 += 1;
        }
        if mine == other {
            c.agree += 1;
        } else if c.shown.len() < 25 {
            c.shown.push(format!(
                "claim {}\n  medcode: {:?}\n  {oracle}: {:?}\n  input: {}\n  {oracle} given: {}",
                g.id,
                mine,
                other,
                serde_json::to_string(&g.claim()).unwrap(),
                g.cms_line().trim_end()
            ));
        }
    }
    eprintln!("{oracle}: {} of {} claims agree", c.agree, c.compared);
    eprintln!("  {:<36} {:>9} {:>9}", "edit", "medcode", oracle);
    for (e, (a, b)) in &c.claims_per_edit {
        eprintln!("  {e:<36} {a:>9} {b:>9}");
    }
    c
}

/// Thousands separated by commas, as the README writes counts.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The README's table of claims per edit, from this run (medcode's column:
/// where medcode and the oracle agree on every claim, the counts are equal).
fn markdown_table(cms: Option<&Comparison>, msdrg: Option<&Comparison>) -> String {
    let rules = |edit: &str| -> String {
        let ids: Vec<String> = medcode::rules::CMS_MCE_EDITS
            .iter()
            .filter(|(_, e)| *e == edit)
            .map(|(id, _)| format!("`{id}`"))
            .collect();
        ids.join(", ")
    };
    let count = |c: Option<&Comparison>, edit: &str| -> String {
        match c {
            None => "(not run)".into(),
            Some(c) => grouped(c.claims_per_edit.get(edit).map_or(0, |x| x.1)),
        }
    };
    let mut edits: Vec<&str> = Vec::new();
    for (_, e) in medcode::rules::CMS_MCE_EDITS {
        if !edits.contains(e) {
            edits.push(e);
        }
    }
    let mut out = String::from(
        "| CMS edit | medcode rule | claims (CMS run) | claims (msdrg run) |\n|---|---|---:|---:|\n",
    );
    for e in edits {
        out.push_str(&format!(
            "| {e} | {} | {} | {} |\n",
            rules(e),
            count(cms, e),
            if MSDRG_KNOWN_WRONG.contains(&e) {
                "(CMS only, below)".into()
            } else {
                count(msdrg, e)
            }
        ));
    }
    out
}

#[test]
fn mce_edits_agree_with_cms_and_msdrg() {
    let n: usize = std::env::var("MEDCODE_CONFORMANCE_CLAIMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("MEDCODE_CONFORMANCE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6d65_6463_6f64_6521);
    let pools = Pools::new();
    let mut rng = Rng(seed);
    let claims: Vec<Generated> = (0..n).map(|id| generate(&pools, &mut rng, id)).collect();
    let engine = Engine::builder().build().unwrap();
    let ours = medcode_answers(&engine, &claims).unwrap_or_else(|e| panic!("{e}"));
    let first = claims.iter().map(|g| g.discharge).min().unwrap();
    let last = claims.iter().map(|g| g.discharge).max().unwrap();
    eprintln!("{n} generated inpatient claims (seed {seed}), discharged {first} to {last}");

    let mut failures = Vec::new();
    let mut summary = Vec::new();
    let note =
        |oracle: &str, c: &Comparison, summary: &mut Vec<String>, failures: &mut Vec<String>| {
            summary.push(format!(
                "compared with {oracle}: {} of {} claims agree",
                c.agree, c.compared
            ));
            if c.agree != c.compared {
                failures.push(format!(
                    "{oracle} disagrees on {} of {} claims:\n{}",
                    c.compared - c.agree,
                    c.compared,
                    c.shown.join("\n")
                ));
            }
        };
    let cms = match cms_answers(&claims) {
        Ok(answers) => {
            let c = compare("CMS MCE", &claims, &ours, &answers, &[]);
            let expected = claims
                .iter()
                .filter(|g| g.discharge.yyyymmdd() <= CMS_LAST_DAY)
                .count();
            assert_eq!(
                c.compared, expected,
                "CMS answered only {} claims",
                c.compared
            );
            note("CMS's MCE 43.1 (jar)", &c, &mut summary, &mut failures);
            Some(c)
        }
        Err(why) => {
            skip_cms("the comparison with CMS's MCE jar", &why);
            summary.push(format!("skipped CMS's MCE jar: {why}"));
            None
        }
    };
    let msdrg = match msdrg_answers(&claims) {
        Ok(answers) => {
            let c = compare("msdrg", &claims, &ours, &answers, MSDRG_KNOWN_WRONG);
            let expected = claims.iter().filter(|g| msdrg_domain(g)).count();
            assert_eq!(
                c.compared, expected,
                "msdrg answered only {} claims",
                c.compared
            );
            note(
                &format!("msdrg {MSDRG_VERSION}"),
                &c,
                &mut summary,
                &mut failures,
            );
            Some(c)
        }
        Err(why) => {
            common::skip("the comparison with msdrg", &why);
            summary.push(format!("skipped msdrg: {why}"));
            None
        }
    };
    eprintln!("\nClaims per edit (the README's table):\n");
    eprintln!("{}", markdown_table(cms.as_ref(), msdrg.as_ref()));
    for line in &summary {
        eprintln!("{line}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---- CMS's answers, pinned --------------------------------------------------

/// CMS's answers on the claims msdrg cannot witness, made from CMS's jar.
const PINNED: &str = "tests/conformance/cms_pinned.jsonl";
const PIN_SEED: u64 = 0x7069_6e6e_6564_2121;
/// Claims pinned per kind (invalid sex; length-of-stay procedures).
const PINS_PER_KIND: usize = 400;

/// The claims to pin: generated as the comparison's, then given an invalid sex
/// (CMS's code 3), or a length-of-stay procedure with a stay of -2 to 7 days
/// (the edit's boundary is 4; negative: admitted after discharge), all
/// discharged by CMS's last day.
fn pin_candidates(pools: &Pools) -> Vec<Generated> {
    let mut rng = Rng(PIN_SEED);
    let mut out = Vec::new();
    let mut id = 0;
    while out.len() < 2 * PINS_PER_KIND {
        let mut g = generate(pools, &mut rng, id);
        if g.discharge.yyyymmdd() > CMS_LAST_DAY {
            continue;
        }
        if out.len() < PINS_PER_KIND {
            g.sex = Some('X');
        } else {
            let code = rng.pick(&pools.pcs_los).clone();
            let at = rng.below(g.procedures.len().min(5) + 1);
            g.procedures.insert(at, code);
            g.procedures.truncate(25);
            // -2 to 7 days: admitted after discharge, and both sides of 5.
            g.los = rng.below(10) as i32 - 2;
            g.admission_given = true;
            if rng.chance(50) {
                g.sex = Some(*rng.pick(&['M', 'F', 'U']));
                g.age = Some(18 + rng.below(80) as i32);
            }
        }
        out.push(g);
        id += 1;
    }
    out
}

fn poa_static(p: &str) -> &'static str {
    POA.iter()
        .find(|x| **x == p)
        .unwrap_or_else(|| panic!("POA {p:?} is not one the generator makes"))
}

impl Generated {
    fn to_pin(&self, cms: &EditCounts) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "discharge": self.discharge.to_string(),
            "los": self.los,
            "admission_given": self.admission_given,
            "age": self.age,
            "sex": self.sex.map(|s| s.to_string()),
            "discharge_status": self.discharge_status,
            "admitting": self.admitting,
            "diagnoses": self.diagnoses,
            "procedures": self.procedures,
            "cms": cms,
        })
    }

    fn from_pin(v: &serde_json::Value) -> (Generated, EditCounts) {
        let pair = |x: &serde_json::Value| -> (String, &'static str) {
            let a = x.as_array().expect("[code, poa]");
            (
                a[0].as_str().unwrap().to_owned(),
                poa_static(a[1].as_str().unwrap()),
            )
        };
        let g = Generated {
            id: v["id"].as_u64().unwrap() as usize,
            discharge: v["discharge"].as_str().unwrap().parse().unwrap(),
            los: v["los"].as_i64().unwrap() as i32,
            admission_given: v["admission_given"].as_bool().unwrap(),
            age: v["age"].as_i64().map(|a| a as i32),
            sex: v["sex"].as_str().and_then(|s| s.chars().next()),
            discharge_status: v["discharge_status"].as_u64().map(|s| s as u8),
            admitting: (!v["admitting"].is_null()).then(|| pair(&v["admitting"])),
            diagnoses: v["diagnoses"]
                .as_array()
                .unwrap()
                .iter()
                .map(pair)
                .collect(),
            procedures: v["procedures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_owned())
                .collect(),
        };
        let cms = serde_json::from_value(v["cms"].clone()).unwrap();
        (g, cms)
    }
}

fn pinned_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(PINNED)
}

const PIN_HEADER: &str =
    "# Generated by `MEDCODE_PIN_CMS=1 cargo test --all-features --test suite -- \
mce_conformance::cms_pinned` from CMS's MCE 2.0 jar, v43.1 (sha256 b3cdc12e…); do not edit. One claim a line, \
with CMS's edit counts (\"cms\").";

/// Rewrites the pins from CMS's jar (`MEDCODE_PIN_CMS=1`).
fn write_pins(pools: &Pools) {
    let claims = pin_candidates(pools);
    let answers = cms_answers(&claims).unwrap_or_else(|why| panic!("MEDCODE_PIN_CMS=1: {why}"));
    let mut text = format!("{PIN_HEADER}\n");
    for g in &claims {
        let cms = answers.get(&g.id).expect("CMS answered every pinned claim");
        text.push_str(&g.to_pin(cms).to_string());
        text.push('\n');
    }
    std::fs::write(pinned_path(), text).unwrap();
    eprintln!("wrote {} claims to {PINNED}", claims.len());
}

fn read_pins() -> Vec<(Generated, EditCounts)> {
    let text = std::fs::read_to_string(pinned_path()).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(PIN_HEADER), "{PINNED}: header");
    lines
        .map(|l| Generated::from_pin(&serde_json::from_str(l).unwrap()))
        .collect()
}

/// medcode against CMS's pinned answers on the claims msdrg cannot witness
/// (runs everywhere, no oracle needed); with CMS's jars, the pins are
/// checked against the jar as well.
#[test]
fn cms_pinned_answers_hold() {
    let pools = Pools::new();
    if std::env::var("MEDCODE_PIN_CMS").is_ok_and(|v| v == "1") {
        write_pins(&pools);
    }
    let pins = read_pins();
    assert_eq!(pins.len(), 2 * PINS_PER_KIND, "{PINNED}: claims");
    // The pins are still what the generator makes (a changed generator or
    // table needs MEDCODE_PIN_CMS=1 with the jars).
    let fresh = pin_candidates(&pools);
    for ((g, _), f) in pins.iter().zip(&fresh) {
        assert_eq!(
            g.to_pin(&EditCounts::new()),
            f.to_pin(&EditCounts::new()),
            "{PINNED} no longer matches pin_candidates(): re-pin with MEDCODE_PIN_CMS=1 and CMS's jars"
        );
    }
    let engine = Engine::builder().build().unwrap();
    let claims: Vec<Generated> = pins.iter().map(|(g, _)| g.clone()).collect();
    let ours = medcode_answers(&engine, &claims).unwrap_or_else(|e| panic!("{e}"));
    let pinned: BTreeMap<usize, EditCounts> = pins.iter().map(|(g, c)| (g.id, c.clone())).collect();
    let c = compare("CMS (pinned)", &claims, &ours, &pinned, &[]);
    let raised = |edit: &str| c.claims_per_edit.get(edit).map_or(0, |x| x.1);
    // The pins exercise what they are for.
    assert!(
        raised("INVALID_SEX") >= PINS_PER_KIND / 2,
        "{:?}",
        c.claims_per_edit
    );
    assert!(
        raised("INCONSISTENT_WITH_LENGTH_OF_STAY") >= PINS_PER_KIND / 4,
        "{:?}",
        c.claims_per_edit
    );
    // And the claims msdrg is no witness for besides: a blank principal
    // diagnosis (msdrg raises no INVALID_CODE), a negative stay.
    let blank_principal = claims
        .iter()
        .filter(|g| read_dx(&g.diagnoses[0].0).is_none())
        .count();
    let negative_stay = claims.iter().filter(|g| g.los < 0).count();
    assert!(blank_principal >= 10, "{blank_principal} blank principals");
    assert!(negative_stay >= 40, "{negative_stay} negative stays");
    assert_eq!(
        c.agree,
        c.compared,
        "medcode disagrees with CMS's pinned answers:\n{}",
        c.shown.join("\n")
    );
    match cms_answers(&claims) {
        Ok(jar) => {
            assert_eq!(jar, pinned, "CMS's jar no longer gives the pinned answers");
            eprintln!("the {} pins agree with CMS's jar", pins.len());
        }
        Err(why) => skip_cms("checking the pins against CMS's MCE jar", &why),
    }
}

// ---- Deliberate differences, pinned ----------------------------------------

/// Where medcode answers otherwise than CMS's MCE on purpose (README,
/// "Conformance"): one claim each, as CMS's driver is given it (the codes as
/// written) with CMS's answer, and as medcode is given it with medcode's
/// answer. medcode's answers are checked on every run; with CMS's jars, so
/// are CMS's (a new CMS release that changed them would say so here).
/// Each line: what, CMS driver line (id 1), CMS's edits, claim JSON, medcode's edits.
const DELIBERATE: &[(&str, &str, &str, &str, &str)] = &[
    (
        "one code in two spellings (case): medcode compares codes, CMS the text",
        "1\t20251112\t30\t1\t1\t3\t\tN186:Y,n186:Y\t",
        "",
        r#"{"diagnoses":[{"code":"N186"},{"code":"n186"}]}"#,
        "DUPLICATE_OF_PDX=1",
    ),
    (
        "one code in two spellings (a dot): medcode reads N18.6 as N186",
        "1\t20251112\t30\t1\t1\t3\t\tN186:Y,N18.6:Y\t",
        "INVALID_CODE=1",
        r#"{"diagnoses":[{"code":"N186"},{"code":"N18.6"}]}"#,
        "DUPLICATE_OF_PDX=1",
    ),
    (
        "a code padded with blanks: medcode reads the code",
        "1\t20251112\t30\t1\t1\t3\t\t N186:Y,E119 :Y\t0sr20jz ",
        "INVALID_CODE=3",
        r#"{"diagnoses":[{"code":" N186"},{"code":"E119 "}],"procedures":[{"code":"0sr20jz "}]}"#,
        "",
    ),
    (
        "a blank secondary is no secondary diagnosis (Z51.89 needs one)",
        "1\t20251112\t30\t1\t1\t3\t\tZ5189:Y,:Y\t",
        "",
        r#"{"diagnoses":[{"code":"Z5189"},{"code":""}]}"#,
        "REQUIRES_SDX=1",
    ),
    (
        "an all-zero secondary is no secondary diagnosis either",
        "1\t20251112\t30\t1\t1\t3\t\tZ5189:Y,0000000:Y\t",
        "",
        r#"{"diagnoses":[{"code":"Z5189"},{"code":"0000000"}]}"#,
        "REQUIRES_SDX=1",
    ),
    (
        "a blank secondary does not repeat a blank principal",
        "1\t20251112\t30\t1\t1\t3\t\t:Y,:Y,0000:Y\t",
        "DUPLICATE_OF_PDX=1,INVALID_CODE=1",
        r#"{"diagnoses":[{"code":""},{"code":""},{"code":"0000"}]}"#,
        "INVALID_CODE=1",
    ),
    (
        "no age (CMS's jar needs one; given -1): no age conflict is claimed",
        "1\t20251112\t-1\t2\t1\t3\t\tO80:Y,Z370:Y\t",
        "AGE_CONFLICT=2,INVALID_AGE=1",
        r#"{"patient":{"sex":"F"},"diagnoses":[{"code":"O80"},{"code":"Z370"}]}"#,
        "INVALID_AGE=1",
    ),
];

/// The claim of a [`DELIBERATE`] row: `json`'s fields over an inpatient claim
/// of a 30-year-old man discharged 2025-11-12 (home) after 3 days.
fn deliberate_claim(json: &str) -> String {
    let mut claim = serde_json::json!({
        "type": "institutional",
        "patient": {"sex": "M", "age": 30},
        "admission_date": "2025-11-09",
        "discharge_date": "2025-11-12",
        "discharge_status": "01",
    });
    let fields: serde_json::Value = serde_json::from_str(json).unwrap();
    for (k, v) in fields.as_object().unwrap() {
        claim[k] = v.clone();
    }
    claim.to_string()
}

fn counts_text(c: &EditCounts) -> String {
    let parts: Vec<String> = c.iter().map(|(e, n)| format!("{e}={n}")).collect();
    parts.join(",")
}

#[test]
fn deliberate_differences_hold() {
    let engine = Engine::builder().build().unwrap();
    for (what, _, cms, json, ours) in DELIBERATE {
        let out: serde_json::Value =
            serde_json::from_str(&engine.check_jsonl_line(&deliberate_claim(json))).unwrap();
        let findings = out["findings"].as_array().unwrap();
        let got = edit_counts(findings.iter().filter_map(|f| f["rule"].as_str()));
        assert_eq!(counts_text(&got), *ours, "{what}: {findings:?}");
        assert_ne!(cms, ours, "{what}: not a difference");
    }
    // Each row's line as claim `i` (the rows write id 1).
    let input: String = DELIBERATE
        .iter()
        .enumerate()
        .map(|(i, d)| format!("{i}{}\n", &d.1[1..]))
        .collect();
    match cms_run(input) {
        Ok(answers) => {
            for (i, (what, _, cms, _, _)) in DELIBERATE.iter().enumerate() {
                assert_eq!(counts_text(&answers[&i]), *cms, "CMS's jar on: {what}");
            }
            eprintln!("CMS's jar gives the {} answers pinned", DELIBERATE.len());
        }
        Err(why) => skip_cms(
            "checking the deliberate differences against CMS's jar",
            &why,
        ),
    }
}
