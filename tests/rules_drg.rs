//! The `drg` family: what CMS's MS-DRG grouper says about an inpatient
//! claim's coding (`drg-ungroupable`, `hospital-acquired-condition`,
//! `cc-excluded-by-principal`), on real claims, beside the grouper's own
//! answer for the same claim.

use crate::common;
use common::check;
use medcode::claim::Claim;
use medcode::drg::{GroupOptions, Grouper, ReturnCode};
use medcode::rules::{Engine, Family, Finding, Severity, BUILTIN_RULES};

const DRG_RULES: [&str; 3] = [
    "drg-ungroupable",
    "hospital-acquired-condition",
    "cc-excluded-by-principal",
];

/// An inpatient claim discharged on `date` with these diagnoses and
/// procedures (JSON fragments).
fn inpatient(date: &str, diagnoses: &str, procedures: &str) -> String {
    format!(
        r#"{{"id":"D","type":"institutional","patient":{{"sex":"F","age":80}},"admission_date":"2026-04-20",
        "discharge_date":"{date}","discharge_status":"01","diagnoses":[{diagnoses}],"procedures":[{procedures}]}}"#
    )
}

/// The claim's findings of the drg family.
fn drg_findings(json: &str) -> Vec<Finding> {
    check(json)
        .findings
        .into_iter()
        .filter(|f| DRG_RULES.contains(&&*f.rule))
        .collect()
}

/// The grouper's own answer for the claim (CMS's default options).
fn grouped(json: &str) -> medcode::drg::Grouping {
    let claim: Claim = serde_json::from_str(json).unwrap();
    Grouper::new()
        .group_claim(&claim, &GroupOptions::default())
        .unwrap()
}

#[test]
fn the_family_has_three_rules() {
    let ids: Vec<_> = BUILTIN_RULES
        .iter()
        .filter(|r| r.family == Family::Drg)
        .map(|r| (r.id, r.severity))
        .collect();
    assert_eq!(
        ids,
        [
            ("drg-ungroupable", Severity::Error),
            ("hospital-acquired-condition", Severity::Warning),
            ("cc-excluded-by-principal", Severity::Info),
        ]
    );
}

/// Heart failure, with a hip fracture not present on admission: HAC 05
/// (falls and trauma); the fracture's MCC does not count, the DRG drops
/// from 291 to 293.
#[test]
fn a_hospital_acquired_condition() {
    let json = inpatient(
        "2026-05-01",
        r#"{"code":"I50.20","poa":"Y"},{"code":"S72.001A","poa":"N"}"#,
        "",
    );
    let g = grouped(&json);
    assert_eq!((g.initial.drg, g.final_drg.drg), (291, 293));
    let f = drg_findings(&json);
    assert_eq!(f.len(), 1, "{f:#?}");
    let f = &f[0];
    assert_eq!(f.rule, "hospital-acquired-condition");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.field.as_deref(), Some("diagnoses[1].poa"));
    assert_eq!(f.codes, ["S72.001A"]);
    assert_eq!(
        f.message,
        "diagnosis 2 S72.001A (POA N) is hospital-acquired condition 05 (Falls and Trauma) in MS-DRG v43.1: \
         not present on admission, it does not count as an MCC, and the final DRG is 293 (Heart Failure \
         and Shock without CC/MCC), not the initial 291 (Heart Failure and Shock with MCC). Check the POA \
         indicator: if the provider documents the condition as present on admission, report Y"
    );
    // Present on admission (or clinically undetermined, W): no HAC, the MCC counts.
    for poa in ["Y", "W"] {
        let json = inpatient(
            "2026-05-01",
            &format!(r#"{{"code":"I50.20","poa":"Y"}},{{"code":"S72.001A","poa":"{poa}"}}"#),
            "",
        );
        assert!(drg_findings(&json).is_empty(), "{poa}");
        assert_eq!(grouped(&json).final_drg.drg, 291);
    }
}

/// HAC 10 needs its procedure (a knee replacement): the finding names it;
/// the DRG does not change (the DVT's CC is not what 470 needs).
#[test]
fn a_hospital_acquired_condition_with_its_procedure() {
    let json = inpatient(
        "2026-05-01",
        r#"{"code":"M17.11","poa":"Y"},{"code":"I82.411","poa":"N"}"#,
        r#"{"code":"0SRD0J9"}"#,
    );
    let f = drg_findings(&json);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].codes, ["I82.411", "0SRD0J9"]);
    assert!(
        f[0].message.contains("hospital-acquired condition 10 (Deep Vein Thrombosis (DVT) / Pulmonary Embolism (PE) with Total Knee or Hip Replacement) with procedure 0SRD0J9")
            && f[0].message.contains("it does not count as a CC; the final DRG is the initial one, 470 ("),
        "{}",
        f[0].message
    );
    // Without the procedure the category's criteria are not met.
    let json = inpatient(
        "2026-05-01",
        r#"{"code":"M17.11","poa":"Y"},{"code":"I82.411","poa":"N"}"#,
        "",
    );
    assert!(drg_findings(&json).is_empty());
}

/// An external-cause code as principal diagnosis: DX_CANNOT_BE_PDX, DRG 999.
#[test]
fn an_external_cause_principal_does_not_group() {
    let json = inpatient(
        "2026-05-01",
        r#"{"code":"W19.XXXA","poa":"Y"},{"code":"S32.010A","poa":"Y"}"#,
        "",
    );
    let g = grouped(&json);
    assert_eq!(
        (g.final_drg.return_code, g.final_drg.drg),
        (ReturnCode::DxCannotBePdx, 999)
    );
    let f = drg_findings(&json);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].rule.as_ref(), f[0].severity, f[0].field.as_deref()),
        ("drg-ungroupable", Severity::Error, Some("diagnoses[0]"))
    );
    assert_eq!(f[0].codes, ["W19.XXXA"]);
    assert_eq!(
        f[0].message,
        "the claim does not group: MS-DRG v43.1 returns DX_CANNOT_BE_PDX, DRG 999 (Ungroupable): the \
         principal diagnosis W19.XXXA is an external-cause code (V00-Y99: how an injury happened), which \
         cannot be principal; sequence the injury or condition treated first and report W19.XXXA as a \
         secondary diagnosis"
    );
    // The MCE says so too, in its own words.
    assert!(check(&json)
        .findings
        .iter()
        .any(|f| f.rule == "external-cause-as-principal"));
}

#[test]
fn other_return_codes_point_at_their_cause() {
    // A subcategory as principal: INVALID_PDX.
    let json = inpatient("2026-05-01", r#"{"code":"I50.2","poa":"Y"}"#, "");
    let f = drg_findings(&json);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].field.as_deref(), Some("diagnoses[0]"));
    assert!(
        f[0].message
            .contains("returns INVALID_PDX, DRG 999 (Ungroupable)"),
        "{}",
        f[0].message
    );
    // A HAC code without its POA indicator on a claim that reports POA:
    // HAC_MISSING_ONE_POA, at that code's indicator.
    let json = inpatient(
        "2026-05-01",
        r#"{"code":"I50.20","poa":"Y"},{"code":"E11.9","poa":"Y"},{"code":"S72.001A"}"#,
        "",
    );
    assert_eq!(
        grouped(&json).final_drg.return_code,
        ReturnCode::HacMissingOnePoa
    );
    let f = drg_findings(&json);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].field.as_deref(), Some("diagnoses[2].poa"));
    assert_eq!(f[0].codes, ["S72.001A"]);
    assert!(
        f[0].message.contains("returns HAC_MISSING_ONE_POA")
            && f[0].message.contains("hospital-acquired condition 05 (Falls and Trauma) and has no POA indicator")
            && f[0].message.ends_with("Before hospital-acquired conditions the claim groups to DRG 291 (Heart Failure and Shock with MCC)"),
        "{}",
        f[0].message
    );
    // A claim that reports no POA indicator at all is from a hospital
    // exempt from POA reporting (as `invalid-poa` reads it): it groups.
    let json = inpatient("2026-05-01", r#"{"code":"I50.20"},{"code":"S72.001A"}"#, "");
    assert!(drg_findings(&json).is_empty());
}

/// The pair I50.20 / I50.21 as CMS's exclusion tables have it: I50.20's
/// exclusion group lists I50.21.
fn excluded_by(principal: &str, secondary: &str) -> bool {
    let undot = |c: &str| c.replace('.', "");
    let rows = |path: &str| -> Vec<Vec<String>> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').map(str::to_owned).collect())
            .collect()
    };
    // `CODE  FROM  TO  GROUP`, `GROUP  CODE,CODE,…`.
    let groups: Vec<String> = rows("crates/medcode-grouper-data/data/exclusions.tsv")
        .into_iter()
        .filter(|r| r[0] == undot(principal) && r[2] == "44.0")
        .map(|r| r[3].clone())
        .collect();
    rows("crates/medcode-grouper-data/data/exclusion_groups.tsv")
        .iter()
        .any(|r| groups.contains(&r[0]) && r[1].split(',').any(|c| c == undot(secondary)))
}

#[test]
fn an_mcc_excluded_by_the_principal() {
    assert!(excluded_by("I50.20", "I50.21"));
    assert!(!excluded_by("I50.20", "J96.01"));
    let json = inpatient(
        "2026-05-01",
        r#"{"code":"I50.20","poa":"Y"},{"code":"I50.21","poa":"Y"}"#,
        "",
    );
    let f = drg_findings(&json);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].rule.as_ref(), f[0].severity, f[0].field.as_deref()),
        (
            "cc-excluded-by-principal",
            Severity::Info,
            Some("diagnoses[1]")
        )
    );
    assert_eq!(f[0].codes, ["I50.21", "I50.20"]);
    assert_eq!(
        f[0].message,
        "diagnosis 2 I50.21 is an MCC, but the principal diagnosis I50.20 excludes it as one (CMS's CC \
         exclusion list, Table 6K, MS-DRG v43.1): it does not raise the DRG's severity. If the two codes \
         describe one condition, report it once, by its most specific code; if it is a separate \
         condition, it stays, without its MCC"
    );
    assert_eq!(grouped(&json).final_drg.drg, 293);
    // An MCC the principal does not exclude counts, and says nothing.
    let json = inpatient(
        "2026-05-01",
        r#"{"code":"I50.20","poa":"Y"},{"code":"J96.01","poa":"Y"}"#,
        "",
    );
    assert!(drg_findings(&json).is_empty());
    assert_eq!(grouped(&json).final_drg.drg, 291);
    // A repeat of the principal is `duplicate-of-principal`'s, not this rule's.
    let json = inpatient(
        "2026-05-01",
        r#"{"code":"I63.9","poa":"Y"},{"code":"I63.9","poa":"Y"}"#,
        "",
    );
    assert!(drg_findings(&json).is_empty());
}

/// Silent where there is no MS-DRG version or no inpatient claim to group.
#[test]
fn silent_without_a_grouping() {
    let principal = r#"{"code":"W19.XXXA","poa":"Y"},{"code":"S72.001A","poa":"N"}"#;
    // Before v40.0 (2022-10-01).
    assert!(drg_findings(&inpatient("2022-09-30", principal, "")).is_empty());
    assert!(!drg_findings(&inpatient("2022-10-01", principal, "")).is_empty());
    // No date at all.
    let undated = r#"{"type":"institutional","patient":{"sex":"F","age":80},"diagnoses":[{"code":"W19.XXXA","poa":"Y"}]}"#;
    assert!(drg_findings(undated).is_empty());
    // No principal diagnosis.
    assert!(drg_findings(&inpatient("2026-05-01", r#"{"code":""}"#, "")).is_empty());
    // A professional claim.
    let professional = r#"{"type":"professional","patient":{"sex":"F","age":80},"service_date":"2026-05-01",
        "diagnoses":["W19.XXXA"],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#;
    assert!(drg_findings(professional).is_empty());
}

/// With the family on or off, every other finding is the same, byte for
/// byte, on the example claims (JSON Lines path) and typed.
#[test]
fn other_findings_do_not_change() {
    let on = Engine::builder().build().unwrap();
    let mut off = Engine::builder();
    for id in DRG_RULES {
        off = off.disable(id);
    }
    let off = off.build().unwrap();
    let input = std::fs::read_to_string("examples/claims.jsonl").unwrap();
    let mut fired = 0;
    for line in input.lines() {
        let with = on.check_json(line);
        let without = off.check_json(line);
        let rest: Vec<_> = with
            .findings
            .iter()
            .filter(|f| !DRG_RULES.contains(&&*f.rule))
            .cloned()
            .collect();
        assert_eq!(rest, without.findings, "{line}");
        fired += with.findings.len() - rest.len();
        // Typed and JSON Lines agree (on the lines that are claims).
        if let Ok(claim) = serde_json::from_str::<Claim>(line) {
            assert_eq!(on.check(&claim).findings, with.findings, "{line}");
        }
    }
    assert!(fired >= 3, "{fired}");
}
