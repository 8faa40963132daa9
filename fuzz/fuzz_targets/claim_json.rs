//! Any bytes as a claim: the engine answers with exactly one JSON line and never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::rules::Engine;
use std::sync::OnceLock;

static ENGINE: OnceLock<Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(|| Engine::builder().build().expect("default engine"));
    let text = String::from_utf8_lossy(data);
    let out = engine.check_jsonl_line(&text);
    assert!(!out.contains('\n'));
    let _: serde_json::Value = serde_json::from_str(&out).expect("output is JSON");
});
