use crate::common;
use common::*;
use medcode::claim::{Claim, ClaimLine, Diagnosis, Patient, Procedure};
use medcode::rules::{
    Emitter, Engine, EngineConfig, EngineError, PreparedClaim, Rule, Severity, RULE_IDS,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[test]
fn rule_ids_match_engine_order() {
    let engine = Engine::builder().build().unwrap();
    let ids: Vec<&str> = engine.coverage().rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, RULE_IDS);
    for r in engine.coverage().rules {
        assert!(!r.description.is_empty(), "{}", r.id);
    }
}

#[test]
fn example_claims_fire_every_rule() {
    let text = std::fs::read_to_string("examples/claims.jsonl").unwrap();
    let mut seen = BTreeSet::new();
    let mut clean = 0;
    let n = text.lines().count();
    assert!(n >= 20);
    for line in text.lines() {
        let out = engine().check_jsonl_line(line);
        assert!(!out.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let findings = v["findings"].as_array().unwrap();
        if findings.is_empty() {
            clean += 1;
        }
        for f in findings {
            seen.insert(f["rule"].as_str().unwrap().to_owned());
        }
    }
    // `unknown-field` is strict mode's (`strict_mode_names_unknown_fields`):
    // the examples are checked as `medcode check` checks by default. The
    // I/OCE family's 140 rules, one an outpatient edit, are `rules_ioce`'s
    // and the I/OCE conformance test's (the examples have no outpatient claim).
    let missing: Vec<_> = RULE_IDS
        .iter()
        .filter(|id| !seen.contains(**id) && **id != "unknown-field" && !id.starts_with("ioce-"))
        .collect();
    assert!(missing.is_empty(), "rules never fired: {missing:?}");
    assert!(clean >= 3, "{clean} clean claims");
}

/// Strict mode: each unknown field is a finding that names it, at its
/// place among the rules (after `malformed-claim`), with its severity
/// configurable; without strict mode, nothing. The fast reader and serde
/// agree (`fast_json`'s and `claim`'s unit tests); here, whatever the
/// spelling of the JSON, the findings are the same.
#[test]
fn strict_mode_names_unknown_fields() {
    let claim = r#"{"type": "professional", "service_date": "2025-11-03", "payer": "acme",
        "patient": {"sex": "F", "age": 52, "sexe": "F"}, "diagnoses": ["E11.9"],
        "lines": [{"code": "99213", "modifer": ["25"], "units": 1, "dx_pointers": [1]}]}"#;
    let lenient = Engine::builder().build().unwrap();
    assert!(lenient.check_json(claim).is_clean());
    assert_eq!(
        lenient.coverage().get("unknown-field").unwrap().note,
        Some("strict mode is off (--strict, {\"strict\": true})")
    );
    let strict = Engine::from_config_json(r#"{"strict": true}"#).unwrap();
    let report = strict.check_json(claim);
    let got: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.as_ref(),
                f.line,
                f.field.as_deref().unwrap(),
                f.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("unknown-field", Some(1), "lines[0].modifer", "unknown field lines[0].modifer: not read (strict mode); did you mean \"modifiers\"?"),
            ("unknown-field", None, "patient.sexe", "unknown field patient.sexe: not read (strict mode); did you mean \"sex\"?"),
            ("unknown-field", None, "payer", "unknown field payer: not read (strict mode)"),
        ]
    );
    // The same claim compact, escaped, reordered: the same findings.
    let value: serde_json::Value = serde_json::from_str(claim).unwrap();
    assert_eq!(strict.check_json(&value.to_string()), report);
    let escaped = claim.replace("\"code\"", "\"\\u0063ode\"");
    assert_eq!(strict.check_json(&escaped), report);
    // A clean claim stays clean, on the fast path or not.
    let clean = claim
        .replace(r#""payer": "acme","#, "")
        .replace(r#", "sexe": "F""#, "")
        .replace("modifer", "modifiers");
    assert!(strict.check_json(&clean).is_clean(), "{clean}");
    let warn = Engine::builder()
        .strict(true)
        .severity("unknown-field", Severity::Warning)
        .build()
        .unwrap();
    assert!(warn
        .check_json(claim)
        .findings
        .iter()
        .all(|f| f.severity == Severity::Warning));
    let off = Engine::builder()
        .strict(true)
        .disable("unknown-field")
        .build()
        .unwrap();
    assert!(off.check_json(claim).is_clean());
    // Not a claim: the malformed-claim finding alone.
    let bad = strict.check_json(r#"{"lines": 3, "payer": 1}"#);
    assert!(
        bad.findings.iter().all(|f| f.rule == "malformed-claim"),
        "{bad:?}"
    );
}

/// The UB-04 outpatient fields are read (strict mode knows them) and change
/// no finding but the I/OCE family's (`ioce-NNN`, with the `ioce` feature:
/// the claim has a 13x bill type) and the inpatient rules', which step
/// aside for an outpatient claim: a claim's other findings are those of
/// the claim without them, and all its findings are the same on the fast
/// path, on serde's and through the typed claim.
#[test]
fn ub04_fields_are_read_and_change_no_finding() {
    let with = r#"{"id":"O-1","type":"institutional","patient":{"sex":"F","age":70},"service_date":"2025-03-01","diagnoses":[{"code":"N18.6"},{"code":"E11.9"}],"lines":[{"code":"G0463","units":1,"service_date":"2025-03-01","revenue_code":"0510"},{"code":"82947","units":1,"service_date":"2025-03-01","revenue_code":"0301"}],"bill_type":"131","from_date":"2025-03-01","through_date":"2025-03-01","condition_codes":["G0"],"occurrence_codes":[{"code":"11","date":"2025-02-27"},"A1"],"value_codes":[{"code":"48","amount":11.2}],"reason_for_visit":["R07.9"],"receipt_date":"2025-03-04","opps_flag":"1"}"#;
    let mut value: serde_json::Value = serde_json::from_str(with).unwrap();
    let map = value.as_object_mut().unwrap();
    for k in [
        "bill_type",
        "from_date",
        "through_date",
        "condition_codes",
        "occurrence_codes",
        "value_codes",
        "reason_for_visit",
        "receipt_date",
        "opps_flag",
    ] {
        map.remove(k).unwrap();
    }
    for line in map["lines"].as_array_mut().unwrap() {
        line.as_object_mut()
            .unwrap()
            .remove("revenue_code")
            .unwrap();
    }
    let without = value.to_string();
    let strict = Engine::builder().strict(true).build().unwrap();
    let expected = strict.check_json(&without);
    assert!(expected.findings.iter().all(|f| f.rule != "unknown-field"));
    let not_ioce = |mut r: medcode::rules::Report| {
        r.findings.retain(|f| !f.rule.starts_with("ioce-"));
        r
    };
    assert_eq!(not_ioce(expected.clone()), expected);
    // Without a bill type the claim is an inpatient one, and has no
    // discharge status; with 131 it is an outpatient one, whose patient
    // status is the I/OCE's to judge.
    assert!(expected
        .findings
        .iter()
        .any(|f| f.rule == "invalid-discharge-status"));
    let mut outpatient_expected = expected.clone();
    outpatient_expected
        .findings
        .retain(|f| f.rule != "invalid-discharge-status" && f.rule != "service-date-invalid");
    let found = strict.check_json(with);
    assert_eq!(not_ioce(found.clone()), outpatient_expected);
    // The I/OCE reads dotted diagnoses as the codes they are (no 001), and
    // these lines raise none of its edits.
    assert_eq!(
        found.findings.len(),
        outpatient_expected.findings.len(),
        "{found:?}"
    );
    // Fast path (compact, serde's order), serde's (an escape), typed.
    let escaped = with.replace(r#""G0""#, r#""\u0047\u0030""#);
    assert_eq!(strict.check_json(&escaped), found);
    let claim: Claim = serde_json::from_str(with).unwrap();
    assert_eq!(claim.bill_type.as_deref(), Some("131"));
    assert_eq!(claim.lines[1].revenue_code.as_deref(), Some("0301"));
    assert_eq!(strict.check(&claim), found);
    // Many in a row on one thread (the reader's lists recycled, the
    // UB-04 lists freed), and in a batch.
    for _ in 0..100 {
        assert_eq!(strict.check_json(with), found);
    }
    let batch = format!("{with}\n{without}\n");
    let out = strict.check_jsonl_buffer(&batch, 2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], found.to_jsonl(Some(1)));
    assert_eq!(lines[1], expected.to_jsonl(Some(2)));
}

#[test]
fn config_json_and_overrides() {
    let engine = Engine::from_config_json(
        r#"{"disabled":["questionable-admission"],"severity":{"unspecified-code":"error"},"ncci_ptp":["tests/fixtures/ncci_ptp_practitioner.txt"]}"#,
    )
    .unwrap();
    let claim: Claim =
        serde_json::from_str(&inst(r#"{"code":"E11.9"},{"code":"G81.00"}"#, "")).unwrap();
    let r = engine.check(&claim);
    assert_eq!(r.of_rule("questionable-admission").count(), 0);
    assert_eq!(
        r.of_rule("unspecified-code").next().unwrap().severity,
        Severity::Error
    );
    assert!(engine.coverage().get("ncci-ptp").unwrap().active);
    assert!(matches!(
        Engine::from_config_json(r#"{"disabled":["nope"]}"#),
        Err(EngineError::UnknownRule(_))
    ));
    assert!(matches!(
        Engine::from_config_json("{"),
        Err(EngineError::Config(_))
    ));
    assert!(matches!(
        Engine::from_config_json(r#"{"mue":["no/such/file"]}"#),
        Err(EngineError::Table { .. })
    ));
    let c = EngineConfig::default();
    assert!(Engine::from_config(&c).is_ok());
}

struct NeedsId;
impl Rule for NeedsId {
    fn id(&self) -> &'static str {
        "acme-claim-id"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn check(&self, c: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
        if c.id.is_none() {
            out.emit(None, "id", vec![], "no claim id");
        }
    }
}

struct Dup;
impl Rule for Dup {
    fn id(&self) -> &'static str {
        "invalid-code"
    }
    fn check(&self, _: &PreparedClaim<'_>, _: &mut Emitter<'_>) {}
}

#[test]
fn custom_rules() {
    let engine = Engine::builder()
        .rule(NeedsId)
        .severity("acme-claim-id", Severity::Info)
        .build()
        .unwrap();
    let r = engine.check(&Claim::default());
    let f = r.of_rule("acme-claim-id").next().unwrap();
    assert_eq!(
        (f.severity, f.field.as_deref()),
        (Severity::Info, Some("id"))
    );
    assert!(matches!(
        Engine::builder().rule(Dup).build(),
        Err(EngineError::DuplicateRule(_))
    ));
    let engine = Engine::builder()
        .rule(NeedsId)
        .disable("acme-claim-id")
        .build()
        .unwrap();
    assert_eq!(
        engine
            .check(&Claim::default())
            .of_rule("acme-claim-id")
            .count(),
        0
    );
}

#[test]
fn typed_claims_and_batch() {
    let claim = Claim {
        id: Some("C".into()),
        claim_type: Some("institutional".into()),
        patient: Some(Patient {
            sex: Some("M".into()),
            age: Some(70.0),
            ..Default::default()
        }),
        admission_date: Some("2025-11-01".into()),
        discharge_date: Some("2025-11-03".into()),
        discharge_status: Some("01".into()),
        diagnoses: vec![Diagnosis::new("M17.12"), Diagnosis::new("I10")],
        procedures: vec![Procedure::new("0SRD0JZ")],
        lines: vec![ClaimLine {
            units: Some(1.0),
            ..ClaimLine::new("27447")
        }],
        ..Default::default()
    };
    let engine = Engine::builder().build().unwrap();
    let r = engine.check(&claim);
    assert!(r.is_clean(), "{:#?}", r.findings);
    let claims = vec![claim.clone(), Claim::default(), claim];
    let reports: Vec<_> = engine.check_all(&claims).collect();
    assert_eq!(reports.len(), 3);
    assert!(reports[1].has_errors());
    // Shared across threads.
    let e = std::sync::Arc::new(engine);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let e = e.clone();
            let c = claims.clone();
            std::thread::spawn(move || e.check_all(&c).count())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 3);
    }
}

#[test]
fn jsonl_edge_cases() {
    let e = engine();
    for input in [
        "",
        "   ",
        "null",
        "42",
        "\"x\"",
        "[]",
        "{",
        "\u{feff}{}",
        "{\"id\":5,\"diagnoses\":7}",
        "{\"patient\":{\"age\":\"old\"}}",
        "{\"patient\":{\"age\":1e308}}",
        "{\"patient\":{\"age\":-1e308}}",
    ] {
        let out = e.check_jsonl_line_numbered(1, input);
        assert!(!out.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["line"], 1);
        assert!(v["findings"].is_array(), "{input:?} -> {out}");
    }
    let out = e.check_jsonl_line("{\"id\":5,\"patient\":{\"age\":1e308}}");
    assert!(
        out.contains("\"claim_id\":\"5\"") && out.contains("invalid-age"),
        "{out}"
    );
    let out = e.check_jsonl_line("not json");
    assert!(out.contains("\"claim_id\":null") && out.contains("malformed-claim"));
}

/// The recorded outputs: each input beside the file of what medcode wrote
/// for it.
const GOLDEN: &[(&str, &str)] = &[
    (
        "examples/claims.jsonl",
        "tests/fixtures/claims.expected.jsonl",
    ),
    (
        "tests/fixtures/claims_mutated.jsonl",
        "tests/fixtures/claims_mutated.expected.jsonl",
    ),
    // The I/OCE family's findings (with the `ioce` feature: the file is
    // recorded with it).
    #[cfg(feature = "ioce")]
    (
        "examples/outpatient.jsonl",
        "tests/fixtures/outpatient.expected.jsonl",
    ),
];

/// Set to `1` to re-record the files of [`GOLDEN`] from the engine (see
/// `findings_match_the_recorded_output`).
const RECORD_GOLDEN: &str = "MEDCODE_RECORD_GOLDEN";

/// A recorded output file: its leading `#` lines (what it is, how it was
/// recorded, how to re-record it), then one output line per input line.
struct Golden {
    header: Vec<String>,
    lines: Vec<String>,
}

fn read_golden(path: &str) -> Golden {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut golden = Golden {
        header: Vec::new(),
        lines: Vec::new(),
    };
    for line in text.lines() {
        if golden.lines.is_empty() && line.starts_with('#') {
            golden.header.push(line.to_owned());
        } else {
            assert!(
                !line.starts_with('#'),
                "{path}: a `#` line after the output began"
            );
            golden.lines.push(line.to_owned());
        }
    }
    let says = |what: &str| golden.header.iter().any(|h| h.contains(what));
    assert!(
        says("not from an authority") && says(&format!("{RECORD_GOLDEN}=1")),
        "{path}: the header must say the lines are recorded from medcode, not from an \
         authority, and how to re-record them ({RECORD_GOLDEN}=1)"
    );
    golden
}

/// One finding in words, for a difference report.
fn describe_finding(f: &serde_json::Value) -> String {
    let line = f["line"]
        .as_u64()
        .map_or("claim level".to_owned(), |l| format!("line {l}"));
    let field = f["field"].as_str().unwrap_or("-");
    format!(
        "{} [{}] {line}, {field}, codes {}: {}",
        f["rule"].as_str().unwrap_or("?"),
        f["severity"].as_str().unwrap_or("?"),
        f["codes"],
        f["message"].as_str().unwrap_or("?"),
    )
}

/// How one claim's recorded output line differs from the current one:
/// findings removed, added and changed (the same rule, line and field with
/// another message, severity or codes), fields of the claim changed, or the
/// findings' order. Empty when the lines are equal.
fn claim_diff(n: usize, want: &str, got: &str) -> Vec<String> {
    use serde_json::Value;
    if want == got {
        return Vec::new();
    }
    let (Ok(Value::Object(w)), Ok(Value::Object(g))) = (
        serde_json::from_str::<Value>(want),
        serde_json::from_str::<Value>(got),
    ) else {
        return vec![format!(
            "line {n}: the output text differs\n  recorded: {want}\n  now:      {got}"
        )];
    };
    let mut out = Vec::new();
    for key in w.keys().chain(g.keys().filter(|k| !w.contains_key(*k))) {
        if key != "findings" && w.get(key) != g.get(key) {
            out.push(format!(
                "  {key}: {} -> {}",
                w.get(key).unwrap_or(&Value::Null),
                g.get(key).unwrap_or(&Value::Null)
            ));
        }
    }
    let list = |o: &serde_json::Map<String, Value>| -> Vec<Value> {
        o.get("findings")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (was, now) = (list(&w), list(&g));
    let mut removed: Vec<&Value> = Vec::new();
    let mut added: Vec<Option<&Value>> = now.iter().map(Some).collect();
    for f in &was {
        match added.iter_mut().find(|a| *a == &Some(f)) {
            Some(slot) => *slot = None,
            None => removed.push(f),
        }
    }
    let mut added: Vec<&Value> = added.into_iter().flatten().collect();
    let same_place =
        |a: &Value, b: &Value| ["rule", "line", "field"].iter().all(|k| a[*k] == b[*k]);
    for f in removed {
        match added.iter().position(|a| same_place(f, a)) {
            Some(i) => {
                let a = added.remove(i);
                let what: Vec<String> = ["severity", "codes", "message", "cms_edit"]
                    .iter()
                    .filter(|k| f[**k] != a[**k])
                    .map(|k| format!("{k} {} -> {}", f[*k], a[*k]))
                    .collect();
                out.push(format!(
                    "  changed {} => {}",
                    describe_finding(f),
                    what.join("; ")
                ));
            }
            None => out.push(format!("  removed {}", describe_finding(f))),
        }
    }
    for a in added {
        out.push(format!("  added   {}", describe_finding(a)));
    }
    if out.is_empty() && was != now {
        let rules = |v: &[Value]| -> Vec<String> {
            v.iter()
                .map(|f| f["rule"].as_str().unwrap_or("?").to_owned())
                .collect()
        };
        out.push(format!(
            "  the same findings in another order: {:?} -> {:?}",
            rules(&was),
            rules(&now)
        ));
    }
    if out.is_empty() {
        out.push(format!(
            "  the same JSON written differently\n  recorded: {want}\n  now:      {got}"
        ));
    }
    let claim = g
        .get("claim_id")
        .or(w.get("claim_id"))
        .unwrap_or(&Value::Null);
    out.insert(0, format!("line {n} (claim_id {claim}):"));
    out
}

/// Every claim whose output differs, described (see [`claim_diff`]);
/// output lines beyond the other side's last count as differences too.
fn golden_diff(want: &[String], got: &[String]) -> Vec<String> {
    (0..want.len().max(got.len()))
        .filter_map(|i| {
            let diff = match (want.get(i), got.get(i)) {
                (Some(w), Some(g)) => claim_diff(i + 1, w, g),
                (Some(w), None) => vec![format!(
                    "line {}: recorded, but the input has no such line\n  recorded: {w}",
                    i + 1
                )],
                (None, Some(g)) => vec![format!("line {}: not recorded\n  now: {g}", i + 1)],
                (None, None) => unreachable!(),
            };
            (!diff.is_empty()).then(|| diff.join("\n"))
        })
        .collect()
}

/// The engine writes exactly the lines recorded in the files of [`GOLDEN`]:
/// the example claims, and 400 claims mutated from them
/// (tests/fixtures/mutate_claims.py), with the fixture edit tables loaded.
///
/// The files were recorded from medcode itself (first before the speed
/// work, commit 21c10a0; re-recorded since for deliberate changes only, as
/// each file's header says), not from an authority: they guard against
/// unintended change, they do not show the findings are right. A mismatch
/// prints, claim by claim, the findings added, removed and changed.
///
/// To re-record after a deliberate change, run this test alone with
/// `MEDCODE_RECORD_GOLDEN=1` (`cargo test --all-features --test
/// rules_engine findings_match_the_recorded_output`): it prints the same
/// difference and rewrites the output lines, keeping each file's `#`
/// header; then say what changed in the header's "re-recorded" line and in
/// CHANGELOG.md.
#[test]
fn findings_match_the_recorded_output() {
    let record = std::env::var(RECORD_GOLDEN).is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    for (input, path) in GOLDEN {
        let input = std::fs::read_to_string(input).unwrap();
        let golden = read_golden(path);
        let got: Vec<String> = input
            .lines()
            .enumerate()
            .map(|(n, line)| engine().check_jsonl_line_numbered(n + 1, line))
            .collect();
        let diff = golden_diff(&golden.lines, &got);
        if record {
            if diff.is_empty() {
                eprintln!("{path}: unchanged");
                continue;
            }
            eprintln!(
                "{path}: re-recorded; {} of {} claims changed:\n{}\n",
                diff.len(),
                got.len(),
                diff.join("\n")
            );
            let mut text = golden.header.join("\n");
            text.push('\n');
            for line in &got {
                text.push_str(line);
                text.push('\n');
            }
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{path}: {e}"));
        } else if !diff.is_empty() {
            const SHOWN: usize = 40;
            let more = diff.len().saturating_sub(SHOWN);
            failures.push(format!(
                "{path}: {} of {} claims differ from the recorded output (recorded from medcode \
                 itself: a change here is a change of behaviour; if it is deliberate, re-record \
                 with {RECORD_GOLDEN}=1, see this test's doc):\n{}{}",
                diff.len(),
                got.len(),
                diff[..diff.len().min(SHOWN)].join("\n"),
                if more > 0 {
                    format!("\n… and {more} more claims")
                } else {
                    String::new()
                }
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The difference report names each finding added, removed and changed,
/// and claims' other fields, order and line counts.
#[test]
fn golden_diff_names_each_change() {
    let f = |rule: &str, line: &str, message: &str| {
        format!(
            r#"{{"rule":"{rule}","severity":"error","line":{line},"field":"diagnoses[0]","codes":["E11.9"],"message":"{message}"}}"#
        )
    };
    let claim = |id: &str, findings: &[String]| {
        format!(
            r#"{{"line":1,"claim_id":"{id}","findings":[{}]}}"#,
            findings.join(",")
        )
    };
    let want = vec![
        claim(
            "A",
            &[
                f("r1", "null", "m1"),
                f("r2", "0", "m2"),
                f("r3", "1", "m3"),
            ],
        ),
        claim("B", &[f("r1", "null", "m1"), f("r2", "0", "m2")]),
        claim("C", &[]),
        claim("D", &[]),
    ];
    let got = vec![
        claim(
            "A",
            &[
                f("r1", "null", "m1"),
                f("r2", "0", "m2 now"),
                f("r4", "2", "m4"),
            ],
        ),
        claim("B", &[f("r2", "0", "m2"), f("r1", "null", "m1")]),
        claim("C2", &[]),
        claim("D", &[]),
        claim("E", &[]),
    ];
    let diff = golden_diff(&want, &got);
    assert_eq!(diff.len(), 4, "{diff:#?}");
    let a = &diff[0];
    assert!(a.starts_with(r#"line 1 (claim_id "A"):"#), "{a}");
    assert!(
        a.contains(r#"changed r2 [error] line 0, diagnoses[0], codes ["E11.9"]: m2 => message "m2" -> "m2 now""#),
        "{a}"
    );
    assert!(a.contains("removed r3 [error] line 1, diagnoses[0]"), "{a}");
    assert!(a.contains("added   r4 [error] line 2, diagnoses[0]"), "{a}");
    assert!(!a.contains("r1"), "{a}");
    assert!(diff[1].contains("another order"), "{}", diff[1]);
    assert!(diff[2].contains(r#"claim_id: "C" -> "C2""#), "{}", diff[2]);
    assert!(diff[3].starts_with("line 5: not recorded"), "{}", diff[3]);
    assert!(golden_diff(&want, &want).is_empty());
    assert!(claim_diff(1, "not json", "{}")[0].contains("output text differs"));
}

/// The JSON Lines path writes each claim's findings into the buffers of
/// the findings before it: whatever came before (more codes, fewer, a
/// longer message, no field), the output is what a fresh check gives.
#[test]
fn recycled_findings_leave_no_trace() {
    let input = std::fs::read_to_string("tests/fixtures/claims_mutated.jsonl").unwrap();
    let expected = read_golden("tests/fixtures/claims_mutated.expected.jsonl").lines;
    let lines: Vec<&str> = input.lines().collect();
    let e = engine();
    // Backwards, then every other line twice: other predecessors than in
    // `findings_match_the_recorded_output`.
    let order = (0..lines.len())
        .rev()
        .chain((0..lines.len()).step_by(2).flat_map(|n| [n, n]));
    for n in order {
        assert_eq!(
            e.check_jsonl_line_numbered(n + 1, lines[n]),
            expected[n],
            "line {}",
            n + 1
        );
    }
}

/// A rule that emits through `emit_with` and `emit` by turns, with 0 to 3
/// codes and sometimes no field.
struct Shapes;
impl Rule for Shapes {
    fn id(&self) -> &'static str {
        "acme-shapes"
    }
    fn check(&self, c: &PreparedClaim<'_>, out: &mut Emitter<'_>) {
        for (i, d) in c.diagnoses.iter().enumerate() {
            let codes: Vec<&str> =
                std::iter::repeat_n(d.raw, (i * 7 + c.diagnoses.len()) % 4).collect();
            let field = if i % 3 == 1 { "" } else { "diagnoses" };
            if i % 2 == 0 {
                out.emit_with(Some(i), field, &codes, |m| {
                    m.push_str("seen ");
                    m.push_str(d.raw);
                });
            } else {
                let owned = codes.iter().map(|s| s.to_string()).collect();
                out.emit(Some(i), field, owned, format!("seen {}", d.raw));
            }
        }
    }
}

#[test]
fn emit_with_equals_emit() {
    let e = Engine::builder().rule(Shapes).build().unwrap();
    let input = std::fs::read_to_string("tests/fixtures/claims_mutated.jsonl").unwrap();
    let mut seen = 0;
    for line in input.lines().chain(input.lines().rev()) {
        let fresh = e.check_json(line);
        let shapes: Vec<_> = fresh.of_rule("acme-shapes").collect();
        for f in &shapes {
            let i = f.line_index().unwrap();
            assert_eq!(f.field.is_none(), i % 3 == 1, "{f:?}");
            assert!(
                f.codes.iter().all(|c| f.message == format!("seen {c}")),
                "{f:?}"
            );
        }
        seen += shapes.len();
        assert_eq!(e.check_jsonl_line(line), fresh.to_jsonl(None));
    }
    assert!(seen > 100, "{seen}");
}

fn code_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("E11.9".to_string()),
        Just("S72.001".to_string()),
        Just("0SRD0JZ".to_string()),
        Just("99213".to_string()),
        Just("W01.0XXA".to_string()),
        Just("G01".to_string()),
        "[A-Z0-9.]{0,9}",
        ".{0,12}",
    ]
}

prop_compose! {
    fn claim_strategy()(
        ty in prop::option::of(prop_oneof![Just("professional".to_string()), Just("institutional".to_string()), ".{0,5}"]),
        sex in prop::option::of(".{0,3}"),
        age in prop::option::of(prop_oneof![any::<f64>(), -5.0f64..200.0]),
        birth in prop::option::of(".{0,12}"),
        date in prop::option::of(prop_oneof![Just("2024-09-30".to_string()), Just("2025-11-03".to_string()), ".{0,12}"]),
        adm in prop::option::of(prop_oneof![Just("2025-11-01".to_string()), ".{0,12}"]),
        dis in prop::option::of(prop_oneof![Just("2025-11-04".to_string()), ".{0,12}"]),
        status in prop::option::of(".{0,4}"),
        dx in prop::collection::vec(code_strategy(), 0..30),
        procs in prop::collection::vec((code_strategy(), prop::option::of(".{0,12}")), 0..4),
        lines in prop::collection::vec((code_strategy(), prop::collection::vec(".{0,3}", 0..6), prop::option::of(any::<f64>()), prop::collection::vec(any::<i64>(), 0..6), prop::option::of(".{0,12}")), 0..6),
    ) -> Claim {
        Claim {
            id: Some("P".into()),
            claim_type: ty,
            patient: Some(Patient { sex, age, birth_date: birth }),
            service_date: date,
            admission_date: adm,
            discharge_date: dis,
            discharge_status: status,
            diagnoses: dx.into_iter().map(Diagnosis::new).collect(),
            admitting_diagnosis: None,
            procedures: procs.into_iter().map(|(c, d)| Procedure { code: Some(c), date: d }).collect(),
            lines: lines.into_iter().map(|(c, m, u, p, d)| ClaimLine { code: Some(c), modifiers: m, units: u, dx_pointers: p, service_date: d, ..Default::default() }).collect(),
            ..Default::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_claims_never_panic(claim in claim_strategy()) {
        let r = engine().check(&claim);
        for f in &r.findings {
            prop_assert!(!f.message.is_empty());
            prop_assert!(RULE_IDS.contains(&f.rule.as_ref()));
        }
        // And through JSON: the borrowed fast path finds what the typed path
        // finds for the same claim read back.
        let json = serde_json::to_string(&claim).unwrap();
        let back: Claim = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(engine().check_json(&json), engine().check(&back));
        let out = engine().check_jsonl_line(&json);
        prop_assert!(!out.contains('\n'));
        prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    }

    #[test]
    fn arbitrary_text_yields_one_line(input in ".{0,300}") {
        let out = engine().check_jsonl_line_numbered(7, &input);
        prop_assert!(!out.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(&v["line"], 7);
    }

    #[test]
    fn arbitrary_json_values_yield_one_line(v in arb_json()) {
        let input = v.to_string();
        // The borrowed fast path agrees with the owned parse: same findings
        // for a claim (a JSON object: serde would also read an array field
        // by field), one malformed-claim finding for anything else.
        let report = engine().check_json(&input);
        match serde_json::from_str::<Claim>(&input) {
            Ok(c) if v.is_object() => prop_assert_eq!(report, engine().check(&c)),
            _ => {
                prop_assert_eq!(report.claim_id, None);
                prop_assert_eq!(report.findings.len(), 1);
                prop_assert_eq!(report.findings[0].rule.as_ref(), "malformed-claim");
            }
        }
        let out = engine().check_jsonl_line(&input);
        prop_assert!(!out.contains('\n'));
        prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        prop_oneof![
            Just("E11.9".to_string()),
            Just("99213".to_string()),
            Just("2025-11-03".to_string()),
            ".{0,8}"
        ]
        .prop_map(serde_json::Value::from),
    ];
    let keys = prop_oneof![
        Just("id"),
        Just("type"),
        Just("patient"),
        Just("sex"),
        Just("age"),
        Just("birth_date"),
        Just("service_date"),
        Just("diagnoses"),
        Just("code"),
        Just("lines"),
        Just("units"),
        Just("modifiers"),
        Just("dx_pointers"),
        Just("procedures"),
        Just("discharge_status"),
        Just("admission_date"),
        Just("discharge_date"),
        Just("other"),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|kv| {
                serde_json::Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}
