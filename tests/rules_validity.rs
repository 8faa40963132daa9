mod common;
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
