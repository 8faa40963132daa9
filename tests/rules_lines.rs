use crate::common;
use common::*;

fn one_line(line: &str) -> String {
    prof(r#"{"code":"M17.11"},{"code":"I10"}"#, line)
}

#[test]
fn pointers() {
    let ok = one_line(r#"{"code":"99213","units":1,"dx_pointers":[1,2]}"#);
    for bad in ["[]", "[0]", "[3]", "[1,1]", "[1,2,1,2,1]"] {
        fires_and_not(
            "dx-pointer-invalid",
            &one_line(&format!(
                r#"{{"code":"99213","units":1,"dx_pointers":{bad}}}"#
            )),
            &ok,
        );
    }
    fires_and_not(
        "primary-pointer-invalid",
        &prof(
            r#"{"code":"W01.0XXA"},{"code":"S52.501A"}"#,
            r#"{"code":"25600","units":1,"dx_pointers":[1,2]}"#,
        ),
        &prof(
            r#"{"code":"W01.0XXA"},{"code":"S52.501A"}"#,
            r#"{"code":"25600","units":1,"dx_pointers":[2,1]}"#,
        ),
    );
}

#[test]
fn units() {
    let ok = one_line(LINE);
    for bad in [
        r#""units":0"#,
        r#""units":-1"#,
        r#""units":1.5"#,
        r#""units":null"#,
    ] {
        fires_and_not(
            "units-invalid",
            &one_line(&format!(r#"{{"code":"99213",{bad},"dx_pointers":[1]}}"#)),
            &ok,
        );
    }
}

#[test]
fn modifiers() {
    let m = |mods: &str| {
        one_line(&format!(
            r#"{{"code":"20610","modifiers":{mods},"units":1,"dx_pointers":[1]}}"#
        ))
    };
    fires_and_not("modifier-invalid", &m(r#"["R"]"#), &m(r#"["RT"]"#));
    fires_and_not("modifier-invalid", &m(r#"["00"]"#), &m(r#"["59"]"#));
    fires_and_not(
        "too-many-modifiers",
        &m(r#"["RT","59","XS","GA","GY"]"#),
        &m(r#"["RT","59","XS","GA"]"#),
    );
    fires_and_not("modifier-conflict", &m(r#"["LT","RT"]"#), &m(r#"["RT"]"#));
    fires_and_not("modifier-conflict", &m(r#"["50","RT"]"#), &m(r#"["50"]"#));
    fires_and_not("modifier-conflict", &m(r#"["26","TC"]"#), &m(r#"["26"]"#));
    fires_and_not("modifier-conflict", &m(r#"["59","59"]"#), &m(r#"["59"]"#));
    // M17.11 is the right knee.
    fires_and_not("laterality-mismatch", &m(r#"["LT"]"#), &m(r#"["RT"]"#));
    fires_and_not("laterality-mismatch", &m(r#"["50"]"#), &m(r#"["XS"]"#));
}

#[test]
fn duplicate_line() {
    fires_and_not(
        "duplicate-line",
        &one_line(&format!("{LINE},{LINE}")),
        &one_line(&format!(
            r#"{LINE},{{"code":"99213","modifiers":["25"],"units":1,"dx_pointers":[1]}}"#
        )),
    );
}

#[test]
fn service_dates() {
    fires_and_not(
        "service-date-invalid",
        &one_line(r#"{"code":"99213","units":1,"dx_pointers":[1],"service_date":"2025-02-30"}"#),
        &one_line(r#"{"code":"99213","units":1,"dx_pointers":[1],"service_date":"2025-11-02"}"#),
    );
    let stay = |d: &str| {
        format!(
            r#"{{"type":"institutional","patient":{{"sex":"M","age":50}},"admission_date":"2025-11-01","discharge_date":"2025-11-04","discharge_status":"01","diagnoses":[{{"code":"J18.9"}}],"lines":[{{"code":"71046","units":1,"service_date":"{d}"}}]}}"#
        )
    };
    fires_and_not(
        "service-date-invalid",
        &stay("2025-11-05"),
        &stay("2025-11-04"),
    );
    let no_date = r#"{"type":"professional","patient":{"sex":"M","age":50},"diagnoses":[{"code":"I10"}],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#;
    fires_and_not("service-date-invalid", no_date, &one_line(LINE));
}

#[test]
fn em_with_procedure() {
    fires_and_not(
        "em-with-procedure-missing-25",
        &one_line(
            r#"{"code":"99213","units":1,"dx_pointers":[1]},{"code":"20610","modifiers":["RT"],"units":1,"dx_pointers":[1]}"#,
        ),
        &one_line(
            r#"{"code":"99213","modifiers":["25"],"units":1,"dx_pointers":[1]},{"code":"20610","modifiers":["RT"],"units":1,"dx_pointers":[1]}"#,
        ),
    );
    // Different dates: no finding.
    assert!(!rules_of(&one_line(r#"{"code":"99213","units":1,"dx_pointers":[1]},{"code":"20610","modifiers":["RT"],"units":1,"dx_pointers":[1],"service_date":"2025-11-04"}"#))
        .contains(&"em-with-procedure-missing-25".to_string()));
}
