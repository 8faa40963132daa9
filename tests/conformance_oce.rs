//! The outpatient oracle as CI runs it: `pyoce` 0.1.0 (PyPI; a port of CMS's
//! Integrated Outpatient Code Editor with the I/OCE data v20.2–v27.1, pinned by
//! sha256 in `../shared/oracles/pyoce`), installed into a venv in the target
//! directory by `../shared/oracles/pyoce/setup.sh`, driven by
//! `tests/conformance/pyoce_driver.py`.
//!
//! This test keeps the oracle's path working and pins what it answers on the
//! claims the I/OCE issue names, so that the differential test built on it
//! (`tests/ioce_conformance.rs`) starts from a known oracle. It needs `../shared`, python3 and PyPI: without them it skips with
//! the reason, and under `MEDCODE_NO_SKIP=1` (CI) it fails.
//! `MEDCODE_PYOCE_PYTHON` names a Python that already has pyoce.

use crate::common;
use crate::ioce_conformance::pyoce_python;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// A 131 (hospital outpatient) claim on 2025-03-01: female, 70, principal
/// diagnosis N18.6, with these lines (HCPCS, revenue code, modifiers).
fn outpatient_claim(lines: &[(&str, &str, &[&str])]) -> serde_json::Value {
    let lines: Vec<serde_json::Value> = lines
        .iter()
        .map(|(hcpcs, revenue, modifiers)| {
            serde_json::json!({
                "serviceDate": "20250301", "hcpcs": hcpcs, "revenueCode": revenue,
                "unitsInput": "1", "charge": "100",
                "hcpcsModifierInputList": modifiers.iter()
                    .map(|m| serde_json::json!({"hcpcsModifier": m})).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "claimId": "X", "billType": "131", "dateStarted": "20250301", "dateEnded": "20250301",
        "age": "70", "sex": "2", "principalDiagnosisCode": {"diagnosis": "N186"},
        "lineItemList": lines,
    })
}

#[test]
fn pyoce_answers_the_outpatient_issue_claims() {
    let python = match pyoce_python() {
        Ok(p) => p,
        Err(why) => return common::skip("the outpatient oracle (pyoce)", why),
    };
    let claims = [
        // The comprehensive metabolic panel with one of its components.
        outpatient_claim(&[
            ("G0463", "0510", &[]),
            ("80053", "0301", &[]),
            ("82947", "0301", &[]),
        ]),
        // The same with modifier 59 on the component.
        outpatient_claim(&[
            ("G0463", "0510", &[]),
            ("80053", "0301", &[]),
            ("82947", "0301", &["59"]),
        ]),
        // An office visit code a hospital does not bill under OPPS.
        outpatient_claim(&[("99213", "0510", &[])]),
    ];
    let input: String = claims
        .iter()
        .enumerate()
        .map(|(id, c)| format!("{}\n", serde_json::json!({"id": id, "claim": c})))
        .collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/pyoce_driver.py");
    let mut cmd = Command::new(&python);
    cmd.arg(script);
    let out = common::oracle::run_driver(cmd, input).expect("pyoce's driver");
    let answers: BTreeMap<u64, serde_json::Value> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            (v["id"].as_u64().expect("id"), v)
        })
        .collect();
    assert_eq!(answers.len(), claims.len(), "{out}");
    let line_edits = |claim: u64| -> Vec<Vec<String>> {
        answers[&claim]["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| serde_json::from_value(l["hcpcsEditList"].clone()).expect("edits"))
            .collect()
    };
    for a in answers.values() {
        // I/OCE v26.0 is in force on 2025-03-01 (pyoce answers "26.0.5").
        assert!(
            a["version"].as_str().is_some_and(|v| v.starts_with("26.0")),
            "{a}"
        );
    }
    // Edit 040 (NCCI pair, modifier allowed) on 82947; modifier 59 lifts it.
    assert_eq!(line_edits(0), [vec![], vec![], vec!["040".to_owned()]]);
    assert_eq!(line_edits(1), [Vec::<String>::new(), vec![], vec![]]);
    // Edit 062 (not recognised under OPPS) on 99213.
    assert_eq!(line_edits(2), [vec!["062".to_owned()]]);
    assert_eq!(
        answers[&2]["lines"][0]["statusIndicator"], "B",
        "{}",
        answers[&2]
    );
    eprintln!(
        "pyoce ({}) answered as the I/OCE issue says",
        python.display()
    );
}
