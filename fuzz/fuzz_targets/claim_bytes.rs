//! Any bytes as one claim line, as `medcode check` hands it to the engine
//! (`Engine::check_json_bytes`): one JSON output line, a `malformed-claim`
//! finding first when the bytes are not UTF-8, and at most
//! `MAX_FINDINGS_PER_RULE` (+1 saying more were left out) findings a rule.
//! Run with `-max_len=1048576` to reach claims as large as the CLI reads.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::rules::{Engine, MAX_FINDINGS_PER_RULE};
use std::collections::HashMap;
use std::sync::OnceLock;

static ENGINE: OnceLock<Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(|| Engine::builder().build().expect("default engine"));
    let report = engine.check_json_bytes(data);
    if std::str::from_utf8(data).is_err() {
        assert_eq!(report.findings[0].rule, "malformed-claim");
    }
    let mut per_rule: HashMap<&str, usize> = HashMap::new();
    for f in &report.findings {
        *per_rule.entry(&f.rule).or_default() += 1;
    }
    assert!(
        per_rule.values().all(|&n| n <= MAX_FINDINGS_PER_RULE + 1),
        "{per_rule:?}"
    );
    let out = report.to_jsonl(Some(1));
    assert!(!out.contains('\n'));
    let _: serde_json::Value = serde_json::from_str(&out).expect("output is JSON");
});
