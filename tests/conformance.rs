//! Conformance: medcode's inpatient (MCE) edits against CMS's own Medicare
//! Code Editor (MCE 2.0, Java, `../shared/oracles/cms-mce`) and against
//! `msdrg` (PyPI, the same MCE in Zig), claim by claim.
//!
//! A seeded generator makes inpatient claims (every release date FY2016–FY2027
//! and the days around it, every age category and invalid ages, sex M/F/U and
//! invalid, valid and invalid discharge statuses, POA values, lengths of stay,
//! admitting diagnoses, codes carrying MCE flags oversampled flag by flag,
//! duplicates of the principal, headers and codes of other dates). Each claim
//! goes through medcode's engine, through CMS's MCE (discharge dates up to
//! 2026-09-30, the jar's last day) and through msdrg (every date), and the sets
//! of edit names must be equal. medcode's rule ids become CMS edit names through
//! the one table in the library, [`medcode::rules::CMS_MCE_EDITS`].
//!
//! Environment:
//! - `MEDCODE_CONFORMANCE_CLAIMS` — how many claims (default 20,000).
//! - `MEDCODE_CONFORMANCE_SEED` — the generator's seed (default fixed).
//! - `MEDCODE_CONFORMANCE_REQUIRED=1` — a missing oracle fails instead of
//!   skipping (`.ci/run` sets it: CI must run both comparisons).
//! - `MEDCODE_MSDRG_PYTHON` — a Python with `msdrg` installed; otherwise the
//!   test makes a venv in the target directory and installs `msdrg==1.2.0`.
//! - `MEDCODE_SHARED` — where `shared/` is (default `../shared`).
//!
//! One known fault of msdrg 1.2.0 is allowed for, with its evidence: its MCE
//! takes no length of stay and tests the patient's age in its place for
//! INCONSISTENT_WITH_LENGTH_OF_STAY (5A1955Z, age 4: raised; age 70: not;
//! whatever `los` is passed), so that one edit is compared with CMS only.
//! And msdrg's input check accepts sex 0, 1 or 2 only (an invalid sex is
//! outside its domain: passed anyway, it raises no INVALID_SEX from FY2025
//! where CMS does), so claims with an invalid sex are compared with CMS only.

use medcode::claim::{Claim, Diagnosis, Patient, Procedure};
use medcode::rules::{cms_mce_edit, Engine};
use medcode::{icd10cm, icd10pcs, Date};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The last discharge date CMS's MCE 43.1 answers for.
const CMS_LAST_DAY: u32 = 20260930;
/// The last day of the bundled tables (and of msdrg 1.2.0).
const LAST_DAY: u32 = 20270331;
const FIRST_DAY: u32 = 20151001;
const MSDRG_VERSION: &str = "1.2.0";
/// Edits msdrg gets wrong (see the module docs): compared with CMS only.
const MSDRG_KNOWN_WRONG: &[&str] = &["INCONSISTENT_WITH_LENGTH_OF_STAY"];

/// SplitMix64: small, seedable, good enough to pick test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Codes to draw from: everything, and for each MCE flag the codes that carry
/// it in some period (so that rare flags are drawn as often as common ones).
struct Pools {
    cm_billable: Vec<String>,
    cm_headers: Vec<String>,
    cm_by_flag: Vec<Vec<String>>,
    pcs_all: Vec<String>,
    pcs_by_flag: Vec<Vec<String>>,
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
        for info in icd10pcs::all() {
            let code = info.code().to_string();
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
#[derive(Debug, Clone)]
struct Generated {
    id: usize,
    discharge: Date,
    los: u32,
    age: i32,
    /// `M`, `F`, `U` or `X` (invalid).
    sex: char,
    discharge_status: u8,
    admitting: Option<(String, &'static str)>,
    diagnoses: Vec<(String, &'static str)>,
    procedures: Vec<String>,
}

const POA: &[&str] = &["Y", "Y", "N", "U", "W", "1", ""];
const STATUSES: &[u8] = &[
    1, 1, 1, 2, 3, 4, 5, 6, 7, 9, 20, 21, 30, 40, 41, 42, 43, 50, 51, 61, 62, 63, 64, 65, 66, 69,
    70, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
];
const AGE_EDGES: &[i32] = &[
    0, 1, 8, 9, 11, 12, 14, 15, 17, 18, 55, 56, 60, 61, 64, 65, 124,
];

fn generate(pools: &Pools, rng: &mut Rng, id: usize) -> Generated {
    let discharge = if rng.chance(60) {
        *rng.pick(&pools.dates)
    } else {
        let first = Date::from_yyyymmdd(FIRST_DAY).unwrap().days_since_epoch();
        let last = Date::from_yyyymmdd(LAST_DAY).unwrap().days_since_epoch();
        Date::from_days_since_epoch(first + rng.below((last - first + 1) as usize) as i64).unwrap()
    };
    let los = if rng.chance(70) {
        rng.below(8) as u32
    } else {
        8 + rng.below(40) as u32
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
    let n_dx = 1 + rng.below(7);
    let mut diagnoses: Vec<(String, &'static str)> = Vec::with_capacity(n_dx);
    for i in 0..n_dx {
        let code = if i > 0 && rng.chance(8) {
            diagnoses[0].0.clone()
        } else {
            pools.diagnosis(rng)
        };
        diagnoses.push((code, *rng.pick(POA)));
    }
    let admitting = rng
        .chance(40)
        .then(|| (pools.diagnosis(rng), *rng.pick(POA)));
    let n_pcs = match rng.below(10) {
        0..=2 => 0,
        3..=8 => 1 + rng.below(3),
        _ => 4 + rng.below(3),
    };
    let procedures = (0..n_pcs).map(|_| pools.procedure(rng)).collect();
    Generated {
        id,
        discharge,
        los,
        age,
        sex,
        discharge_status,
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
                sex: Some(self.sex.to_string()),
                age: Some(f64::from(self.age)),
                ..Default::default()
            }),
            admission_date: Some(self.admission().to_string()),
            discharge_date: Some(self.discharge.to_string()),
            discharge_status: Some(format!("{:02}", self.discharge_status)),
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

    /// The line CMS's MCE driver reads (tests/conformance/MceDriver.java).
    fn cms_line(&self) -> String {
        let sex = match self.sex {
            'U' => 0,
            'M' => 1,
            'F' => 2,
            _ => 3,
        };
        let admit = self
            .admitting
            .as_ref()
            .map(|(c, p)| format!("{c}:{p}"))
            .unwrap_or_default();
        let dx: Vec<String> = self
            .diagnoses
            .iter()
            .map(|(c, p)| format!("{c}:{p}"))
            .collect();
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            self.id,
            self.discharge.yyyymmdd(),
            self.age,
            sex,
            self.discharge_status,
            self.los,
            admit,
            dx.join(","),
            self.procedures.join(",")
        )
    }

    /// The JSON line msdrg's driver reads (tests/conformance/msdrg_driver.py).
    fn msdrg_line(&self) -> String {
        // msdrg numbers sex 0 male, 1 female, 2 unknown.
        let sex = match self.sex {
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
            "age": self.age,
            "sex": sex,
            "discharge_status": self.discharge_status,
            "pdx": dx(&self.diagnoses[0]),
            "sdx": self.diagnoses[1..].iter().map(dx).collect::<Vec<_>>(),
            "procedures": self.procedures.iter().map(|c| serde_json::json!({"code": c})).collect::<Vec<_>>(),
        });
        if let Some(a) = &self.admitting {
            claim["admit_dx"] = dx(a);
        }
        let mut s = serde_json::json!({"id": self.id, "claim": claim}).to_string();
        s.push('\n');
        s
    }
}

type EditSet = BTreeSet<String>;

fn medcode_edits(engine: &Engine, g: &Generated) -> EditSet {
    engine
        .check(&g.claim())
        .findings
        .iter()
        .filter_map(|f| cms_mce_edit(&f.rule))
        .map(str::to_owned)
        .collect()
}

/// Parses a driver's output: `id<TAB>EDIT=n,EDIT=n`.
fn parse_answers(out: &str) -> BTreeMap<usize, EditSet> {
    out.lines()
        .map(|line| {
            let (id, edits) = line.split_once('\t').expect("id<TAB>edits");
            assert!(!edits.starts_with("ERROR"), "oracle error: {line}");
            let set = edits
                .split(',')
                .filter(|e| !e.is_empty())
                .map(|e| e.split('=').next().unwrap().to_owned())
                .collect();
            (id.parse().unwrap(), set)
        })
        .collect()
}

fn run_driver(mut cmd: Command, input: String) -> Result<String, String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    writer.join().unwrap().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

fn shared_dir() -> PathBuf {
    std::env::var_os("MEDCODE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn required() -> bool {
    std::env::var("MEDCODE_CONFORMANCE_REQUIRED").is_ok_and(|v| v == "1")
}

/// Skips (or, when required, fails) with the reason.
fn skip(what: &str, why: String) {
    if required() {
        panic!("{what} conformance could not run: {why}");
    }
    eprintln!("SKIPPED: {what} conformance: {why}");
}

fn cms_answers(claims: &[Generated]) -> Result<BTreeMap<usize, EditSet>, String> {
    let jars = shared_dir().join("oracles/cms-mce");
    if !jars.join("MCE-2.0-43.1.0.0.jar").is_file() {
        return Err(format!("CMS's MCE is not at {}", jars.display()));
    }
    let classpath = format!("{}/*", jars.display());
    let build = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cms-mce-driver");
    std::fs::create_dir_all(&build).map_err(|e| e.to_string())?;
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/MceDriver.java");
    let javac = Command::new("javac")
        .args(["-nowarn", "-cp", &classpath, "-d"])
        .arg(&build)
        .arg(&source)
        .output()
        .map_err(|e| format!("javac (Java 11+) is needed: {e}"))?;
    if !javac.status.success() {
        return Err(format!(
            "javac failed: {}",
            String::from_utf8_lossy(&javac.stderr)
        ));
    }
    let input: String = claims
        .iter()
        .filter(|g| g.discharge.yyyymmdd() <= CMS_LAST_DAY)
        .map(Generated::cms_line)
        .collect();
    let mut java = Command::new("java");
    java.arg("-cp")
        .arg(format!("{classpath}:{}", build.display()))
        .arg("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
        .arg("MceDriver");
    Ok(parse_answers(&run_driver(java, input)?))
}

/// A Python with msdrg: `MEDCODE_MSDRG_PYTHON`, else a venv made once in the
/// target directory.
fn msdrg_python() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("MEDCODE_MSDRG_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("msdrg-venv");
    let python = venv.join("bin/python");
    let ok = |p: &Path| {
        Command::new(p)
            .args([
                "-c",
                &format!("import msdrg; assert msdrg.__version__ == '{MSDRG_VERSION}'"),
            ])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if ok(&python) {
        return Ok(python);
    }
    let mk = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .map_err(|e| format!("python3 is needed: {e}"))?;
    if !mk.status.success() {
        return Err(format!(
            "python3 -m venv failed: {}",
            String::from_utf8_lossy(&mk.stderr)
        ));
    }
    let pip = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            &format!("msdrg=={MSDRG_VERSION}"),
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if !pip.status.success() || !ok(&python) {
        return Err(format!(
            "pip install msdrg=={MSDRG_VERSION} failed (PyPI unreachable?): {}",
            String::from_utf8_lossy(&pip.stderr)
        ));
    }
    Ok(python)
}

/// The claims msdrg's input check accepts (see the module docs).
fn msdrg_domain(g: &Generated) -> bool {
    g.sex != 'X'
}

fn msdrg_answers(claims: &[Generated]) -> Result<BTreeMap<usize, EditSet>, String> {
    let python = msdrg_python()?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/msdrg_driver.py");
    let input: String = claims
        .iter()
        .filter(|g| msdrg_domain(g))
        .map(Generated::msdrg_line)
        .collect();
    let mut cmd = Command::new(python);
    cmd.arg(script);
    Ok(parse_answers(&run_driver(cmd, input)?))
}

/// Compares medcode with one oracle; returns (claims compared, agreeing) and
/// the per-edit counts on both sides; prints the first disagreements.
fn compare(
    oracle: &str,
    claims: &[Generated],
    ours: &[EditSet],
    theirs: &BTreeMap<usize, EditSet>,
    ignore: &[&str],
) -> (usize, usize, Vec<String>) {
    let mut compared = 0;
    let mut agree = 0;
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut shown = Vec::new();
    for (g, mine) in claims.iter().zip(ours) {
        let Some(other) = theirs.get(&g.id) else {
            continue;
        };
        compared += 1;
        let strip = |s: &EditSet| -> EditSet {
            s.iter()
                .filter(|e| !ignore.contains(&e.as_str()))
                .cloned()
                .collect()
        };
        let (mine, other) = (strip(mine), strip(other));
        for e in &mine {
            counts.entry(e.clone()).or_default().0 += 1;
        }
        for e in &other {
            counts.entry(e.clone()).or_default().1 += 1;
        }
        if mine == other {
            agree += 1;
        } else if shown.len() < 25 {
            shown.push(format!(
                "claim {}\n  medcode: {:?}\n  {oracle}: {:?}\n  input: {}",
                g.id,
                mine,
                other,
                serde_json::to_string(&g.claim()).unwrap()
            ));
        }
    }
    eprintln!("{oracle}: {agree} of {compared} claims agree");
    eprintln!("  {:<36} {:>9} {:>9}", "edit", "medcode", oracle);
    for (e, (a, b)) in &counts {
        eprintln!("  {e:<36} {a:>9} {b:>9}");
    }
    (compared, agree, shown)
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
    let ours: Vec<EditSet> = claims.iter().map(|g| medcode_edits(&engine, g)).collect();
    let first = claims.iter().map(|g| g.discharge).min().unwrap();
    let last = claims.iter().map(|g| g.discharge).max().unwrap();
    eprintln!("{n} generated inpatient claims (seed {seed}), discharged {first} to {last}");

    let mut failures = Vec::new();
    match cms_answers(&claims) {
        Ok(answers) => {
            let (compared, agree, shown) = compare("CMS MCE", &claims, &ours, &answers, &[]);
            assert!(compared > n / 2, "CMS answered only {compared} claims");
            if agree != compared {
                failures.push(format!(
                    "CMS MCE disagrees on {} of {compared} claims:\n{}",
                    compared - agree,
                    shown.join("\n")
                ));
            }
        }
        Err(why) => skip("CMS MCE", why),
    }
    match msdrg_answers(&claims) {
        Ok(answers) => {
            let (compared, agree, shown) =
                compare("msdrg", &claims, &ours, &answers, MSDRG_KNOWN_WRONG);
            let expected = claims.iter().filter(|g| msdrg_domain(g)).count();
            assert_eq!(compared, expected, "msdrg answered only {compared} claims");
            if agree != compared {
                failures.push(format!(
                    "msdrg disagrees on {} of {compared} claims:\n{}",
                    compared - agree,
                    shown.join("\n")
                ));
            }
        }
        Err(why) => skip("msdrg", why),
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
