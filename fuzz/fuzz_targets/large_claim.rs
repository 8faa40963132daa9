//! Large claims built from a short recipe: the input's bytes choose codes,
//! modifiers, pointers and units from lists that trigger the rules
//! (Excludes1 pairs, manifestations, E/M with surgery, NCCI pairs, add-on
//! codes, duplicates), repeated up to 20,000 diagnoses and lines, checked
//! with the fixture edit tables loaded. What must hold: no panic, findings
//! bounded per rule, and (with `-timeout=10`) no quadratic blow-up — the
//! quadratic rules took minutes on claims this size.
#![no_main]
use libfuzzer_sys::fuzz_target;
use medcode::load::{AddonTable, MueTable, PtpTable};
use medcode::rules::{Engine, MAX_FINDINGS_PER_RULE};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

static ENGINE: OnceLock<Engine> = OnceLock::new();

const DX: [&str; 12] = [
    "E10.9", "E11.9", "G63", "M17.11", "S72.001A", "I10", "O24.410", "P70.2", "E11.A", "Z00.00",
    "E11", "V00.01XA",
];
const PROC: [&str; 10] = [
    "99213", "20610", "29881", "29877", "11045", "99214", "J3490", "11042", "0SRD0JZ", "9921",
];
const MODS: [&str; 9] = ["25", "LT", "RT", "50", "59", "26", "TC", "XX", "zz9"];

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(|| {
        let fixture = |f: &str| format!("{}/../tests/fixtures/{f}", env!("CARGO_MANIFEST_DIR"));
        Engine::builder()
            .ncci_ptp(PtpTable::load(fixture("ncci_ptp_practitioner.txt")).expect("ptp"))
            .mue(MueTable::load(fixture("mue_practitioner.csv")).expect("mue"))
            .addon(AddonTable::load(fixture("addon_codes.txt")).expect("addon"))
            .build()
            .expect("engine")
    });
    if data.len() < 3 {
        return;
    }
    let n = (usize::from(data[0]) << 8 | usize::from(data[1])) % 20_001;
    let recipe = &data[2..];
    let (mut dx, mut lines) = (Vec::new(), Vec::new());
    for i in 0..n {
        let b = recipe[i % recipe.len()];
        let c = usize::from(recipe[(i * 7 + 3) % recipe.len()]);
        if b & 1 == 0 {
            dx.push(json!({"code": DX[c % DX.len()]}));
        } else {
            let pointers: Vec<Value> = match b >> 5 {
                0 => vec![],
                1 => vec![json!(1.5)],
                2 => vec![json!(1e300)],
                3 => vec![json!(1), json!(1)],
                _ => vec![json!((c % 5) as i64)],
            };
            let units = match b >> 6 {
                0 => json!(1),
                1 => json!(1e308),
                2 => json!(0.5),
                _ => json!(c),
            };
            let mods: Vec<&str> = (0..(b >> 1) % 4)
                .map(|k| MODS[(c + usize::from(k)) % MODS.len()])
                .collect();
            lines.push(json!({"code": PROC[c % PROC.len()], "modifiers": mods, "dx_pointers": pointers, "units": units,
                "service_date": if b & 2 == 0 { "2025-11-03" } else { "2025-11-04" }}));
        }
    }
    let kind = if recipe[0] & 4 == 0 {
        "professional"
    } else {
        "institutional"
    };
    let claim = json!({"id": "F", "type": kind, "patient": {"sex": "F", "age": 50},
        "service_date": "2025-11-03", "discharge_date": "2025-11-05", "admission_date": "2025-11-01",
        "diagnoses": dx, "lines": lines}).to_string();
    let report = engine.check_json(&claim);
    let mut per_rule: HashMap<&str, usize> = HashMap::new();
    for f in &report.findings {
        *per_rule.entry(&f.rule).or_default() += 1;
    }
    assert!(
        per_rule.values().all(|&k| k <= MAX_FINDINGS_PER_RULE + 1),
        "{per_rule:?}"
    );
});
