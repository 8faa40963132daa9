use crate::common;
use common::*;

#[test]
fn invalid_code() {
    fires_and_not(
        "invalid-code",
        &prof(r#"{"code":"E11.999"}"#, LINE),
        &prof(r#"{"code":"E11.9"}"#, LINE),
    );
    fires_and_not(
        "invalid-code",
        &prof(
            r#"{"code":"E11.9"}"#,
            r#"{"code":"9921","units":1,"dx_pointers":[1]}"#,
        ),
        &prof(r#"{"code":"e119"}"#, LINE),
    );
    fires_and_not(
        "invalid-code",
        &inst(r#"{"code":"I10"}"#, r#"{"code":"0SRD0IZ"}"#),
        &inst(r#"{"code":"I10"}"#, r#"{"code":"0SRD0JZ"}"#),
    );
}

#[test]
fn not_valid_on_date_e11a_boundary() {
    let before = r#"{"id":"T","type":"professional","patient":{"sex":"F","age":52},"service_date":"2025-09-30","diagnoses":[{"code":"E11.A"}],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#;
    let after = before.replace("2025-09-30", "2025-10-01");
    fires_and_not("code-not-valid-on-date", before, &after);
    let r = check(before);
    let f = r.of_rule("code-not-valid-on-date").next().unwrap();
    assert!(f.message.contains("2025-10-01"), "{}", f.message);
    assert_eq!(f.field.as_deref(), Some("diagnoses[0]"));
    assert_eq!(f.codes, ["E11.A"]);
}

#[test]
fn header_code() {
    fires_and_not(
        "header-code",
        &prof(r#"{"code":"E11"}"#, LINE),
        &prof(r#"{"code":"E11.9"}"#, LINE),
    );
    let r = check(&prof(r#"{"code":"S72.001"}"#, LINE));
    let f = r.of_rule("header-code").next().unwrap();
    assert!(f.message.contains("7th character"), "{}", f.message);
    fires_and_not(
        "header-code",
        &prof(r#"{"code":"S72.001"}"#, LINE),
        &prof(r#"{"code":"S72.001A"}"#, LINE),
    );
}

#[test]
fn code_system_mismatch() {
    fires_and_not(
        "code-system-mismatch",
        &prof(
            r#"{"code":"I10"}"#,
            r#"{"code":"0SRD0JZ","units":1,"dx_pointers":[1]}"#,
        ),
        &prof(r#"{"code":"I10"}"#, LINE),
    );
    fires_and_not(
        "code-system-mismatch",
        &inst(r#"{"code":"I10"}"#, r#"{"code":"27447"}"#),
        &inst(r#"{"code":"I10"}"#, r#"{"code":"0SRD0JZ"}"#),
    );
    fires_and_not(
        "code-system-mismatch",
        &prof(r#"{"code":"99213"}"#, LINE),
        &prof(r#"{"code":"I10"}"#, LINE),
    );
}

/// Issue 25: a header names the billable codes below it on the date, and a
/// claim after the ICD-10 horizon gets an `info` finding per code set.
#[test]
fn issue25_header_codes_below_and_icd10_horizon() {
    let claim = |dx: &str, date: &str| {
        format!(
            r#"{{"type":"institutional","patient":{{"sex":"M","age":60}},"discharge_date":"{date}","discharge_status":"01","diagnoses":[{{"code":"I10"}},{{"code":"{dx}"}}],"procedures":[{{"code":"02703ZZ"}}]}}"#
        )
    };
    for (dx, below) in [
        ("G20", "G20.A1, G20.A2, G20.B1, G20.B2, G20.C"),
        ("D13.9", "D13.91, D13.99"),
        ("K35.20", "K35.200, K35.201, K35.209"),
        ("Z83.71", "Z83.710, Z83.711, Z83.718, Z83.719"),
    ] {
        let r = check(&claim(dx, "2025-11-12"));
        let f = r.findings.iter().find(|f| f.rule == "header-code").unwrap();
        assert!(
            f.message
                .ends_with(&format!("below it on 2025-11-12: {below}")),
            "{}",
            f.message
        );
    }
    let late = check(&claim("E11.9", "2027-04-01"));
    let fields: Vec<&str> = late
        .findings
        .iter()
        .filter(|f| f.rule == "icd10-beyond-horizon")
        .filter_map(|f| f.field.as_deref())
        .collect();
    assert_eq!(fields, ["diagnoses", "procedures"]);
    let on_time = check(&claim("E11.9", "2027-03-31"));
    assert!(!on_time
        .findings
        .iter()
        .any(|f| f.rule == "icd10-beyond-horizon"));
}
