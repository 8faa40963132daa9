//! Helpers shared by the rule tests.
#![allow(dead_code)]

use medcode::load::{AddonTable, MueTable, PtpTable};
use medcode::rules::{Engine, Report};
use std::sync::OnceLock;

pub mod oracle;
pub mod parse_error;

/// An engine with the fixture edit tables loaded.
pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::builder()
            .ncci_ptp(PtpTable::load("tests/fixtures/ncci_ptp_practitioner.txt").unwrap())
            .mue(MueTable::load("tests/fixtures/mue_practitioner.csv").unwrap())
            .addon(AddonTable::load("tests/fixtures/addon_codes.txt").unwrap())
            .build()
            .unwrap()
    })
}

pub fn check(json: &str) -> Report {
    let claim = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    engine().check(&claim)
}

pub fn rules_of(json: &str) -> Vec<String> {
    check(json)
        .findings
        .iter()
        .map(|f| f.rule.to_string())
        .collect()
}

/// Asserts `rule` fires on `firing` and not on `clean`.
pub fn fires_and_not(rule: &str, firing: &str, clean: &str) {
    let r = check(firing);
    assert!(
        r.findings.iter().any(|f| f.rule == rule),
        "{rule} should fire on {firing}\n{:#?}",
        r.findings
    );
    for f in r.findings.iter().filter(|f| f.rule == rule) {
        assert!(!f.message.is_empty());
    }
    let r = check(clean);
    assert!(
        !r.findings.iter().any(|f| f.rule == rule),
        "{rule} should not fire on {clean}\n{:#?}",
        r.findings
    );
}

/// A professional claim on 2025-11-03 with these diagnoses and lines (JSON fragments).
pub fn prof(dx: &str, lines: &str) -> String {
    format!(
        r#"{{"id":"T","type":"professional","patient":{{"sex":"F","age":52}},"service_date":"2025-11-03","diagnoses":[{dx}],"lines":[{lines}]}}"#
    )
}

/// An institutional claim (2025-11-01 to 2025-11-04, female 52, status 01).
pub fn inst(dx: &str, procs: &str) -> String {
    format!(
        r#"{{"id":"T","type":"institutional","patient":{{"sex":"F","age":52}},"admission_date":"2025-11-01","discharge_date":"2025-11-04","discharge_status":"01","diagnoses":[{dx}],"procedures":[{procs}]}}"#
    )
}

pub const LINE: &str = r#"{"code":"99213","units":1,"dx_pointers":[1]}"#;

/// Skips with the reason (`SKIPPED: …` on stderr), or fails with it under
/// `MEDCODE_NO_SKIP=1` (CI sets it in `.ci/run`): a test whose input is
/// missing (`../shared`, Java, PyPI, a tool) must fail, not skip. For missing
/// inputs only: a test that does not apply to a build (another HCPCS release
/// compiled in) just returns.
pub fn skip(what: &str, why: impl std::fmt::Display) {
    skip_unless_required("MEDCODE_NO_SKIP", what, why);
}

/// Skips with the reason, or fails with it when the environment variable
/// `required` is `1` (`MEDCODE_NO_SKIP`, or `MEDCODE_CMS_REQUIRED` for CMS's
/// jars, which CI never has).
pub fn skip_unless_required(required: &str, what: &str, why: impl std::fmt::Display) {
    assert!(
        std::env::var(required).map_or(true, |v| v != "1"),
        "{what} could not run ({required}=1 forbids skipping): {why}"
    );
    eprintln!("SKIPPED: {what}: {why}");
}

/// `../shared/cms` beside the checkout, or the folder `MEDCODE_CMS_DIR` names.
pub fn cms_dir() -> std::path::PathBuf {
    match std::env::var_os("MEDCODE_CMS_DIR") {
        Some(d) if !d.is_empty() => std::path::PathBuf::from(d),
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/cms"),
    }
}

/// SplitMix64: small, seedable, good enough to pick test inputs (the
/// conformance tests' generators).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The rows of one of the I/OCE's data tables (`crates/medcode-ioce-data`),
/// comment lines left out, each row's tab-separated fields.
#[cfg(feature = "ioce")]
pub fn ioce_data_rows(name: &str) -> Vec<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/medcode-ioce-data/data")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// The column-2 codes of one `map_ncci.tsv` row's list, decoded: the
/// first in full, each next one as the tail that differs from the one
/// before it.
#[cfg(feature = "ioce")]
pub fn ncci_column2(list: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for part in list.split(',') {
        let code = match codes.last() {
            Some(prev) => format!("{}{}", &prev[..5 - part.len()], part),
            None => part.to_owned(),
        };
        codes.push(code);
    }
    codes
}
