use crate::common;
use common::*;

fn inst_with(patient: &str, dx: &str, procs: &str) -> String {
    format!(
        r#"{{"id":"T","type":"institutional","patient":{patient},"admission_date":"2025-11-01","discharge_date":"2025-11-04","discharge_status":"01","diagnoses":[{dx}],"procedures":[{procs}]}}"#
    )
}

#[test]
fn invalid_age_and_rest_still_checked() {
    let bad = inst_with(r#"{"sex":"F","age":-4}"#, r#"{"code":"E11"}"#, "");
    let rules = rules_of(&bad);
    assert!(rules.contains(&"invalid-age".to_string()));
    assert!(rules.contains(&"header-code".to_string()), "{rules:?}");
    fires_and_not(
        "invalid-age",
        &inst_with(r#"{"sex":"F","age":1e9}"#, r#"{"code":"I10"}"#, ""),
        &inst(r#"{"code":"I10"}"#, ""),
    );
    fires_and_not(
        "invalid-age",
        &inst_with(
            r#"{"sex":"F","birth_date":"2026-01-01"}"#,
            r#"{"code":"I10"}"#,
            "",
        ),
        &inst_with(
            r#"{"sex":"F","birth_date":"1950-01-01"}"#,
            r#"{"code":"I10"}"#,
            "",
        ),
    );
}

#[test]
fn invalid_sex() {
    fires_and_not(
        "invalid-sex",
        &inst_with(r#"{"sex":"Q","age":50}"#, r#"{"code":"I10"}"#, ""),
        &inst(r#"{"code":"I10"}"#, ""),
    );
    let unknown_2024 = r#"{"type":"professional","patient":{"sex":"U","age":60},"service_date":"2024-09-30","diagnoses":[{"code":"N40.0"}],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#;
    let unknown_2025 = unknown_2024.replace("2024-09-30", "2024-10-01");
    fires_and_not("invalid-sex", unknown_2024, &unknown_2025);
}

#[test]
fn age_conflict() {
    fires_and_not(
        "age-conflict",
        &inst_with(
            r#"{"sex":"F","age":70}"#,
            r#"{"code":"J18.9"},{"code":"O80"}"#,
            "",
        ),
        &inst_with(
            r#"{"sex":"F","age":30}"#,
            r#"{"code":"J18.9"},{"code":"O80"}"#,
            "",
        ),
    );
    // Age from the birth date at admission: newborn code for a 1-year-old.
    fires_and_not(
        "age-conflict",
        &inst_with(
            r#"{"sex":"F","birth_date":"2024-10-31"}"#,
            r#"{"code":"J18.9"},{"code":"Z38.00"}"#,
            "",
        ),
        &inst_with(
            r#"{"sex":"F","birth_date":"2025-10-31"}"#,
            r#"{"code":"J18.9"},{"code":"Z38.00"}"#,
            "",
        ),
    );
}

#[test]
fn sex_conflict_boundary() {
    let on = r#"{"type":"professional","patient":{"sex":"F","age":60},"service_date":"2024-09-30","diagnoses":[{"code":"N40.0"}],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#;
    let off = on.replace("2024-09-30", "2024-10-01");
    fires_and_not("sex-conflict", on, &off);
    // Procedures too.
    let pcs = r#"{"type":"institutional","patient":{"sex":"F","age":60},"admission_date":"2024-09-01","discharge_date":"2024-09-03","discharge_status":"01","diagnoses":[{"code":"I10"}],"procedures":[{"code":"0VT00ZZ"}]}"#;
    fires_and_not("sex-conflict", pcs, &pcs.replace("\"F\"", "\"M\""));
}

#[test]
fn principal_edits() {
    fires_and_not(
        "manifestation-as-principal",
        &inst(r#"{"code":"G01"},{"code":"A39.0"}"#, ""),
        &inst(r#"{"code":"A39.0"},{"code":"G01"}"#, ""),
    );
    fires_and_not(
        "external-cause-as-principal",
        &prof(r#"{"code":"W01.0XXA"},{"code":"S52.501A"}"#, LINE),
        &prof(r#"{"code":"S52.501A"},{"code":"W01.0XXA"}"#, LINE),
    );
    fires_and_not(
        "unacceptable-principal",
        &inst(r#"{"code":"Z37.0"},{"code":"O80"}"#, ""),
        &inst(r#"{"code":"O80"},{"code":"Z37.0"}"#, ""),
    );
    fires_and_not(
        "requires-secondary-diagnosis",
        &inst(r#"{"code":"Z51.89"}"#, ""),
        &inst(r#"{"code":"Z51.89"},{"code":"I10"}"#, ""),
    );
    // Z51.89 alone is not also "unacceptable" (the MCE reports only the secondary-diagnosis edit).
    assert!(!rules_of(&inst(r#"{"code":"Z51.89"}"#, ""))
        .contains(&"unacceptable-principal".to_string()));
    fires_and_not(
        "questionable-admission",
        &inst(r#"{"code":"E11.9"},{"code":"I10"}"#, ""),
        &inst(r#"{"code":"J18.9"},{"code":"E11.9"}"#, ""),
    );
    fires_and_not(
        "duplicate-of-principal",
        &inst(r#"{"code":"J18.9"},{"code":"J189"}"#, ""),
        &inst(r#"{"code":"J18.9"},{"code":"I10"}"#, ""),
    );
}

#[test]
fn obstetric_admission() {
    fires_and_not(
        "questionable-obstetric-admission",
        &inst(r#"{"code":"O80"}"#, r#"{"code":"10E0XZZ"}"#),
        &inst(
            r#"{"code":"O80"},{"code":"Z37.0"}"#,
            r#"{"code":"10E0XZZ"}"#,
        ),
    );
}

#[test]
fn other_mce_edits() {
    fires_and_not(
        "unspecified-code",
        &inst(r#"{"code":"I63.9"},{"code":"G81.00"}"#, ""),
        &inst(r#"{"code":"I63.9"},{"code":"G81.01"}"#, ""),
    );
    fires_and_not(
        "wrong-procedure-performed",
        &inst(r#"{"code":"J18.9"},{"code":"Y65.51"}"#, ""),
        &inst(r#"{"code":"J18.9"}"#, ""),
    );
    fires_and_not(
        "noncovered-procedure",
        &inst(r#"{"code":"C91.00"}"#, r#"{"code":"30233G0"}"#),
        &inst(r#"{"code":"I10"}"#, r#"{"code":"30233G0"}"#),
    );
    fires_and_not(
        "noncovered-procedure",
        &inst(r#"{"code":"I10"}"#, r#"{"code":"0FYG0Z0"}"#),
        &inst(r#"{"code":"E10.10"}"#, r#"{"code":"0FYG0Z0"}"#),
    );
    fires_and_not(
        "limited-coverage",
        &inst(r#"{"code":"I10"}"#, r#"{"code":"0TY00Z0"}"#),
        &inst(r#"{"code":"I10"}"#, r#"{"code":"0SRD0JZ"}"#),
    );
    let bad_status = inst(r#"{"code":"I10"}"#, "").replace("\"01\"", "\"08\"");
    fires_and_not(
        "invalid-discharge-status",
        &bad_status,
        &inst(r#"{"code":"I10"}"#, ""),
    );
}

/// How many findings of `rule` the claim gets.
fn count(json: &str, rule: &str) -> usize {
    rules_of(json).iter().filter(|r| *r == rule).count()
}

#[test]
fn issue25_counts_and_text_as_cms_reads_it() {
    let p = r#"{"sex":"F","age":30}"#;
    // One questionable obstetric admission per delivery procedure (CMS counts 2).
    let two = inst_with(
        p,
        r#"{"code":"O80"}"#,
        r#"{"code":"10D00Z1"},{"code":"10E0XZZ"}"#,
    );
    assert_eq!(count(&two, "questionable-obstetric-admission"), 2);
    // A principal that is no code, repeated as written: CMS's DUPLICATE_OF_PDX.
    for text in ["12345", "0SR20JZ", " 12345 "] {
        let c = inst_with(
            p,
            &format!(r#"{{"code":"{text}"}},{{"code":"12345"}},{{"code":"0SR20JZ"}}"#),
            "",
        );
        assert_eq!(count(&c, "duplicate-of-principal"), 1, "{text}");
    }
    // All zeros are no code: no invalid-code, no invalid admitting diagnosis.
    let zeros = r#"{"id":"T","type":"institutional","patient":{"sex":"F","age":30},"admission_date":"2025-11-01","discharge_date":"2025-11-04","discharge_status":"01","admitting_diagnosis":"000","diagnoses":[{"code":"N18.6"},{"code":"0000"},{"code":"0000000"}],"procedures":[{"code":"0000000"}]}"#;
    let rules = rules_of(zeros);
    assert!(
        !rules
            .iter()
            .any(|r| r == "invalid-code" || r == "invalid-admitting-diagnosis"),
        "{rules:?}"
    );
    assert_eq!(count(zeros, "malformed-claim"), 3, "{rules:?}");
    // A blank or all-zero principal: CMS's INVALID_CODE (inpatient).
    for blank in ["", "  ", "0000000"] {
        let c = inst_with(
            p,
            &format!(r#"{{"code":"{blank}"}},{{"code":"N18.6"}}"#),
            "",
        );
        assert_eq!(count(&c, "invalid-code"), 1, "{blank:?}");
    }
    // Admitted after discharge with 5A1955Z: a negative stay is shorter than 5 days.
    let reversed = inst_with(p, r#"{"code":"J96.00"}"#, r#"{"code":"5A1955Z"}"#)
        .replace("\"2025-11-01\"", "\"2025-11-06\"");
    assert_eq!(count(&reversed, "inconsistent-length-of-stay"), 1);
    assert_eq!(count(&reversed, "service-date-invalid"), 1);
}
