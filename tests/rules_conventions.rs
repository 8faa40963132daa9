use crate::common;
use common::*;

#[test]
fn excludes1_both_directions() {
    fires_and_not(
        "excludes1-conflict",
        &prof(r#"{"code":"E11.9"},{"code":"E10.9"}"#, LINE),
        &prof(r#"{"code":"E11.9"},{"code":"I10"}"#, LINE),
    );
    fires_and_not(
        "excludes1-conflict",
        &prof(r#"{"code":"E10.9"},{"code":"E11.9"}"#, LINE),
        &prof(r#"{"code":"I10"},{"code":"E11.9"}"#, LINE),
    );
    let r = check(&prof(r#"{"code":"E11.9"},{"code":"E10.9"}"#, LINE));
    assert_eq!(
        r.of_rule("excludes1-conflict").count(),
        1,
        "one finding a pair"
    );
}

#[test]
fn code_first_sequence() {
    fires_and_not(
        "code-first-sequence",
        &prof(r#"{"code":"G01"},{"code":"A39.0"}"#, LINE),
        &prof(r#"{"code":"A39.0"},{"code":"G01"}"#, LINE),
    );
}

#[test]
fn duplicate_and_too_many() {
    fires_and_not(
        "duplicate-diagnosis",
        &prof(r#"{"code":"I10"},{"code":"E11.9"},{"code":"E119"}"#, LINE),
        &prof(r#"{"code":"I10"},{"code":"E11.9"}"#, LINE),
    );
    let dx13: Vec<&str> = [
        "I10", "E78.5", "N18.30", "I25.10", "E11.9", "G47.33", "M17.0", "K21.9", "H40.9", "F32.A",
        "J44.9", "E03.9", "R05.9",
    ]
    .to_vec();
    let many = dx13
        .iter()
        .map(|c| format!(r#"{{"code":"{c}"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let twelve = dx13[..12]
        .iter()
        .map(|c| format!(r#"{{"code":"{c}"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    fires_and_not(
        "too-many-diagnoses",
        &prof(&many, LINE),
        &prof(&twelve, LINE),
    );
    // Institutional claims hold 25.
    assert!(!rules_of(&inst(&many, "")).contains(&"too-many-diagnoses".to_string()));
}
