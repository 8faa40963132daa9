use crate::common;
use common::*;
use medcode::load::{AddonTable, EditLineError, LoadOptions, MueTable, PtpSetting, PtpTable};
use medcode::rules::Engine;

fn lines(l: &str) -> String {
    prof(r#"{"code":"M17.11"},{"code":"L97.412"}"#, l)
}

#[test]
fn ncci_ptp() {
    fires_and_not(
        "ncci-ptp",
        &lines(
            r#"{"code":"29881","units":1,"dx_pointers":[1]},{"code":"29877","units":1,"dx_pointers":[1]}"#,
        ),
        &lines(
            r#"{"code":"29881","units":1,"dx_pointers":[1]},{"code":"29877","modifiers":["59"],"units":1,"dx_pointers":[1]}"#,
        ),
    );
    // Indicator 0: a modifier does not bypass.
    assert!(rules_of(&lines(r#"{"code":"27447","units":1,"dx_pointers":[1]},{"code":"27446","modifiers":["59"],"units":1,"dx_pointers":[1]}"#)).contains(&"ncci-ptp".to_string()));
    // Indicator 9 and deleted edits are not applied.
    assert!(!rules_of(&lines(r#"{"code":"12001","units":1,"dx_pointers":[1]},{"code":"11042","units":1,"dx_pointers":[2]}"#)).contains(&"ncci-ptp".to_string()));
    assert!(!rules_of(&lines(r#"{"code":"20610","units":1,"dx_pointers":[1]},{"code":"20600","units":1,"dx_pointers":[1]}"#)).contains(&"ncci-ptp".to_string()));
    // The practitioner table does not apply to institutional claims.
    let inst_claim = r#"{"type":"institutional","patient":{"sex":"M","age":50},"admission_date":"2025-11-01","discharge_date":"2025-11-02","discharge_status":"01","diagnoses":[{"code":"M17.11"}],"lines":[{"code":"29881","units":1},{"code":"29877","units":1}]}"#;
    assert!(!rules_of(inst_claim).contains(&"ncci-ptp".to_string()));
}

#[test]
fn mue() {
    fires_and_not(
        "mue-exceeded",
        &lines(
            r#"{"code":"97110","units":4,"dx_pointers":[1]},{"code":"97110","modifiers":["59"],"units":3,"dx_pointers":[1]}"#,
        ),
        &lines(
            r#"{"code":"97110","units":4,"dx_pointers":[1]},{"code":"97110","modifiers":["59"],"units":2,"dx_pointers":[1]}"#,
        ),
    );
    // MAI 1: per line.
    fires_and_not(
        "mue-exceeded",
        &lines(r#"{"code":"36415","units":3,"dx_pointers":[1]}"#),
        &lines(
            r#"{"code":"36415","units":2,"dx_pointers":[1]},{"code":"36415","modifiers":["91"],"units":2,"dx_pointers":[1]}"#,
        ),
    );
}

#[test]
fn addon() {
    fires_and_not(
        "addon-without-primary",
        &lines(r#"{"code":"11045","units":1,"dx_pointers":[2]}"#),
        &lines(
            r#"{"code":"11042","units":1,"dx_pointers":[2]},{"code":"11045","units":1,"dx_pointers":[2]}"#,
        ),
    );
    // Type 2 (no primary list) is not checked.
    assert!(
        !rules_of(&lines(r#"{"code":"0596T","units":1,"dx_pointers":[1]}"#))
            .contains(&"addon-without-primary".to_string())
    );
}

#[test]
fn silent_without_tables() {
    let engine = Engine::builder().build().unwrap();
    let claim = serde_json::from_str(&lines(r#"{"code":"29881","units":1,"dx_pointers":[1]},{"code":"29877","units":1,"dx_pointers":[1]},{"code":"11045","units":9,"dx_pointers":[2]}"#)).unwrap();
    let r = engine.check(&claim);
    for id in ["ncci-ptp", "mue-exceeded", "addon-without-primary"] {
        assert_eq!(r.of_rule(id).count(), 0);
        let s = engine.coverage();
        let st = s.get(id).unwrap();
        assert!(st.enabled && !st.active && st.note.is_some());
    }
}

#[test]
fn loaders() {
    let t = PtpTable::load("tests/fixtures/ncci_ptp_practitioner.txt").unwrap();
    assert_eq!((t.len(), t.setting()), (6, PtpSetting::Practitioner));
    assert!(PtpTable::load("tests/fixtures/ncci_ptp_bad.txt").is_err());
    let l = PtpTable::load_with("tests/fixtures/ncci_ptp_bad.txt", LoadOptions::lenient()).unwrap();
    assert_eq!(l.table.len(), 1);
    let lines: Vec<usize> = l.errors.iter().map(|e| e.line()).collect();
    assert_eq!(lines, [3, 4, 5, 6]);
    assert!(matches!(l.errors[0], EditLineError::BadCode { .. }));
    assert!(matches!(l.errors[1], EditLineError::BadDate { .. }));
    assert!(matches!(l.errors[2], EditLineError::BadField { .. }));
    assert!(matches!(l.errors[3], EditLineError::FieldCount { .. }));

    assert_eq!(
        MueTable::load("tests/fixtures/mue_practitioner.csv")
            .unwrap()
            .len(),
        6
    );
    let l = MueTable::load_with("tests/fixtures/mue_bad.csv", LoadOptions::lenient()).unwrap();
    assert_eq!(l.table.len(), 1);
    assert_eq!(
        l.errors.iter().map(|e| e.line()).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    assert!(matches!(
        l.errors[2],
        EditLineError::UnterminatedQuote { line: 5 }
    ));

    assert_eq!(
        AddonTable::load("tests/fixtures/addon_codes.txt")
            .unwrap()
            .len(),
        6
    );
    let l = AddonTable::load_with("tests/fixtures/addon_bad.txt", LoadOptions::lenient()).unwrap();
    assert_eq!(l.table.len(), 1);
    assert_eq!(
        l.errors.iter().map(|e| e.line()).collect::<Vec<_>>(),
        [3, 4]
    );
}
