//! `invalid-poa`: present-on-admission indicators on inpatient claims, with
//! the POA-exempt codes of CDC's list in force on the discharge date.

use crate::common;
use common::rules_of;

fn claim(diagnoses: &str) -> String {
    format!(
        r#"{{"type":"institutional","patient":{{"sex":"F","age":60}},"admission_date":"2025-11-01",
        "discharge_date":"2025-11-04","discharge_status":"01","diagnoses":[{diagnoses}]}}"#
    )
}

fn poa_findings(diagnoses: &str) -> usize {
    rules_of(&claim(diagnoses))
        .iter()
        .filter(|r| *r == "invalid-poa")
        .count()
}

#[test]
fn valid_indicators_and_exempt_blanks_pass() {
    assert_eq!(
        poa_findings(r#"{"code":"I21.4","poa":"Y"},{"code":"E11.9","poa":"n"},{"code":"Z87.891"}"#),
        0
    );
    assert_eq!(
        poa_findings(r#"{"code":"I21.4","poa":"W"},{"code":"Y92.009","poa":"1"}"#),
        0
    );
}

#[test]
fn missing_invalid_and_misplaced_indicators_are_findings() {
    // E11.9 needs one; "X" is no indicator; Y92.009 is exempt; "1" is for exempt codes only.
    assert_eq!(
        poa_findings(r#"{"code":"I21.4","poa":"Y"},{"code":"E11.9"}"#),
        1
    );
    assert_eq!(poa_findings(r#"{"code":"I21.4","poa":"X"}"#), 1);
    assert_eq!(
        poa_findings(r#"{"code":"I21.4","poa":"Y"},{"code":"Y92.009","poa":"Y"}"#),
        1
    );
    assert_eq!(poa_findings(r#"{"code":"I21.4","poa":"1"}"#), 1);
}

#[test]
fn claims_that_report_no_poa_and_professional_claims_are_not_checked() {
    assert_eq!(poa_findings(r#"{"code":"I21.4"},{"code":"E11.9"}"#), 0);
    let professional = r#"{"type":"professional","patient":{"sex":"F","age":60},"service_date":"2025-11-04",
        "diagnoses":[{"code":"E11.9","poa":"Q"}],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#;
    assert!(!rules_of(professional).contains(&"invalid-poa".to_string()));
}
