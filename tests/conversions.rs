//! CDC's ICD-10-CM conversion tables: what a code replaced and what replaced it.

use medcode::rules::Engine;
use medcode::{icd10cm, Date, IcdCm};

fn code(s: &str) -> IcdCm {
    s.parse().unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn rows_and_dates() {
    // 5,884 codes in the 12 tables merged (newest table wins); E11.3X11, a
    // misprint in every table (no such code), is left out.
    assert_eq!(icd10cm::conversions().count(), 5_883);
    // Every row's date is the code's first valid day in the MCE master.
    for c in icd10cm::conversions() {
        let w = c.code.info().unwrap().windows();
        assert_eq!(w[0].from, c.effective, "{}", c.code);
    }
    let e11a = code("E11.A").replaces().unwrap();
    assert_eq!(
        (e11a.effective, e11a.previous_text),
        (d("2025-10-01"), "E11.9")
    );
    assert!(code("E11.9").replaces().is_none());
    let u071 = code("U07.1").replaces().unwrap();
    assert_eq!(u071.effective, d("2020-04-01"));
}

#[test]
fn replaced_by_on_a_date() {
    let b880 = code("B88.0");
    let by: Vec<String> = b880
        .replaced_by(d("2025-10-01"))
        .iter()
        .map(|c| c.code.to_string())
        .collect();
    assert_eq!(by, ["B88.01", "B88.09"]);
    assert!(b880.replaced_by(d("2025-09-30")).is_empty());
    // A code named alone is not a prefix: B88.01 did not replace B88.09.
    assert!(code("B88.09").replaced_by(d("2026-01-01")).is_empty());
    // Categories and ranges cover the codes below them (I63.9 stays valid:
    // P91.821 took some of its cases, it did not replace it).
    assert!(code("I63.9")
        .cases_now_coded_as(d("2026-01-01"))
        .iter()
        .any(|c| c.code == code("P91.821")));
    assert!(code("I63.9").replaced_by(d("2026-01-01")).is_empty());
}

#[test]
fn a_code_still_valid_was_not_replaced() {
    // Issue 25: E11.9 stays valid; E11.A took some of its cases.
    let e119 = code("E11.9");
    assert!(e119.replaced_by(d("2025-11-01")).is_empty());
    let some: Vec<String> = e119
        .cases_now_coded_as(d("2025-11-01"))
        .iter()
        .map(|c| c.code.to_string())
        .collect();
    assert_eq!(some, ["E11.A"]);
    // G20 became a header on 2024-10-01: replaced by the codes below it.
    let by: Vec<String> = code("G20")
        .replaced_by(d("2025-11-12"))
        .iter()
        .map(|c| c.code.to_string())
        .collect();
    assert_eq!(by.first().map(String::as_str), Some("G20.A1"), "{by:?}");
    assert!(code("G20").cases_now_coded_as(d("2025-11-12")).is_empty());
}

fn message(claim: &str, rule: &str) -> String {
    let engine = Engine::builder().build().unwrap();
    let claim = serde_json::from_str(claim).unwrap();
    let report = engine.check(&claim);
    report
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} in {:?}", report.findings))
        .message
        .clone()
}

#[test]
fn retired_codes_name_their_replacements() {
    let m = message(
        r#"{"type":"professional","patient":{"sex":"F","age":40},"service_date":"2026-01-05",
            "diagnoses":[{"code":"S30.1XXA"}],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#,
        "code-not-valid-on-date",
    );
    assert!(
        m.ends_with("deleted from 2025-10-01; use S30.11XA, S30.12XA, S30.13XA"),
        "{m}"
    );
    // Not retired (not yet valid): no replacement text.
    let m = message(
        r#"{"type":"professional","patient":{"sex":"F","age":40},"service_date":"2025-01-05",
            "diagnoses":[{"code":"B88.01"}],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#,
        "code-not-valid-on-date",
    );
    assert!(!m.contains("use "), "{m}");
}

#[test]
fn lookup_reports_conversions_and_the_dated_title() {
    use medcode::lookup::{lookup_in, System};
    let r = lookup_in(System::Icd10Cm, "B88.0", d("2026-01-01"));
    let by: Vec<String> = r.replaced_by.iter().map(|c| c.code.to_string()).collect();
    assert_eq!(by, ["B88.01", "B88.09"]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["replaced_by"][0]["code"], "B88.01");
    assert_eq!(json["replaced_by"][0]["effective"], "2025-10-01");
    let r = lookup_in(System::Icd10Cm, "B88.01", d("2026-01-01"));
    assert_eq!(r.replaces.unwrap().previous_text, "B88.0");
    assert!(r.title_on_date.is_none());
    let r = lookup_in(System::Icd10Cm, "L02.232", d("2026-01-01"));
    assert_eq!(
        r.title_on_date.as_deref(),
        Some("Carbuncle of back [any part, except buttock]")
    );
    let json = serde_json::to_value(&r).unwrap();
    assert!(json.get("replaced_by").is_none());
}
