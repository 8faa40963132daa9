//! Hostile and careless input (issue 12): no quadratic blow-up, bounded
//! output and memory, no panic, no silent change — in the engine and the
//! CLI. Timings are loose bounds (seconds where milliseconds are expected),
//! so a slow or busy CI machine does not fail them; the point is that the
//! quadratic versions took minutes.

use medcode::claim::Claim;
use medcode::load::{AddonTable, MueTable, PtpTable};
use medcode::rules::{Engine, EngineConfig, Report, MAX_FINDINGS_PER_RULE};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Generous: the linear rules take milliseconds; the quadratic ones took minutes.
const BOUND: Duration = Duration::from_secs(5);
/// The issue's bound on one claim's output.
const MAX_OUTPUT: usize = 1 << 20;

fn professional(diagnoses: Value, lines: Value) -> String {
    json!({
        "id": "P-hostile", "type": "professional",
        "patient": {"sex": "F", "age": 50}, "service_date": "2025-11-03",
        "diagnoses": diagnoses, "lines": lines,
    })
    .to_string()
}

/// Checks one claim line with `engine`, within [`BOUND`] and [`MAX_OUTPUT`].
fn check_bounded(engine: &Engine, claim: &str) -> Report {
    let start = Instant::now();
    let out = engine.check_jsonl_line(claim);
    let took = start.elapsed();
    assert!(took < BOUND, "took {took:?}");
    assert!(out.len() < MAX_OUTPUT, "{} bytes of output", out.len());
    engine.check_json(claim)
}

fn count(r: &Report, rule: &str) -> usize {
    r.of_rule(rule).count()
}

fn alternating_dx(n: usize) -> Value {
    (0..n)
        .map(|i| json!({"code": if i % 2 == 0 { "E10.9" } else { "E11.9" }}))
        .collect()
}

fn same_lines(n: usize, code: &str) -> Vec<Value> {
    vec![json!({"code": code, "units": 1, "dx_pointers": [1]}); n]
}

#[test]
fn excludes1_is_one_finding_per_pair_of_codes() {
    let engine = Engine::builder().build().unwrap();
    for n in [1_000, 10_000] {
        let claim = professional(alternating_dx(n), json!(same_lines(1, "99213")));
        let r = check_bounded(&engine, &claim);
        assert_eq!(count(&r, "excludes1-conflict"), 1, "{n} diagnoses");
        let f = r.of_rule("excludes1-conflict").next().unwrap();
        assert_eq!(f.field.as_deref(), Some("diagnoses[1]"));
    }
}

#[test]
fn duplicate_lines_are_one_finding_per_group() {
    let engine = Engine::builder().build().unwrap();
    let claim = professional(
        json!([{"code": "I10"}]),
        json!(same_lines(100_000, "99213")),
    );
    let r = check_bounded(&engine, &claim);
    let dups: Vec<_> = r.of_rule("duplicate-line").collect();
    assert_eq!(dups.len(), 1);
    assert!(
        dups[0]
            .message
            .starts_with("lines 2-100000 (99213) repeat line 1:"),
        "{}",
        dups[0].message
    );
    // A pair keeps the message it always had.
    let pair = professional(json!([{"code": "I10"}]), json!(same_lines(2, "99213")));
    let r = engine.check_json(&pair);
    assert!(r.findings[0]
        .message
        .starts_with("line 2 (99213) repeats line 1:"));
}

#[test]
fn em_with_procedure_is_linear_and_bounded() {
    let engine = Engine::builder().build().unwrap();
    let mut lines = same_lines(50_000, "99213");
    lines.push(json!({"code": "20610", "units": 1, "dx_pointers": [1]}));
    let r = check_bounded(
        &engine,
        &professional(json!([{"code": "M17.11"}]), json!(lines)),
    );
    // 1,000 listed, then one finding saying more were left out.
    assert_eq!(
        count(&r, "em-with-procedure-missing-25"),
        MAX_FINDINGS_PER_RULE + 1
    );
    let last = r.of_rule("em-with-procedure-missing-25").last().unwrap();
    assert!(last.message.contains("left out"), "{}", last.message);
}

#[test]
fn many_diagnoses_of_every_kind_stay_linear() {
    let engine = Engine::builder().build().unwrap();
    // Distinct codes (duplicate-diagnosis, code-first-sequence scans) and
    // manifestation codes without their etiology.
    let mut dx: Vec<Value> = (0..20_000)
        .map(|i| json!({"code": format!("S{:02}.{}", 10 + i % 80, i % 10)}))
        .collect();
    dx.extend((0..5_000).map(|_| json!({"code": "G63"})));
    check_bounded(
        &engine,
        &professional(json!(dx), json!(same_lines(1, "99213"))),
    );
    // Many pointers and modifiers on one line.
    let pointers: Vec<u32> = (1..=50_000).collect();
    let modifiers: Vec<String> = (0..20_000).map(|i| format!("{:02}", i % 100)).collect();
    let line =
        json!([{"code": "99213", "units": 1, "dx_pointers": pointers, "modifiers": modifiers}]);
    let r = check_bounded(&engine, &professional(json!([{"code": "I10"}]), line));
    assert!(count(&r, "dx-pointer-invalid") <= MAX_FINDINGS_PER_RULE + 1);
}

#[test]
fn edit_table_rules_stay_linear() {
    let engine = Engine::builder()
        .ncci_ptp(PtpTable::load("tests/fixtures/ncci_ptp_practitioner.txt").unwrap())
        .mue(MueTable::load("tests/fixtures/mue_practitioner.csv").unwrap())
        .addon(AddonTable::load("tests/fixtures/addon_codes.txt").unwrap())
        .build()
        .unwrap();
    let ptp: Vec<Value> = (0..20_000)
        .map(|i| json!({"code": if i % 2 == 0 { "29877" } else { "29881" }, "units": 1, "dx_pointers": [1]}))
        .collect();
    let r = check_bounded(
        &engine,
        &professional(json!([{"code": "M17.11"}]), json!(ptp)),
    );
    assert!(count(&r, "ncci-ptp") > 0);
    assert_eq!(count(&r, "mue-exceeded"), 1); // 29881 is in the fixture MUE table
    let r = check_bounded(
        &engine,
        &professional(
            json!([{"code": "L97.411"}]),
            json!(same_lines(20_000, "11045")),
        ),
    );
    assert!(count(&r, "addon-without-primary") > 0);
}

#[test]
fn units_and_pointers_say_what_the_claim_holds() {
    let engine = Engine::builder().build().unwrap();
    let claim = r#"{"id":"u","type":"professional","service_date":"2025-11-03","diagnoses":[{"code":"I10"}],
        "lines":[{"code":"99213","units":1e308,"dx_pointers":[1.5,1e300,1]},
                 {"code":"99214","units":18446744073709551616,"dx_pointers":[1]},
                 {"code":"99215","units":99999,"dx_pointers":[1]}]}"#
        .replace('\n', " ");
    for r in [
        engine.check_json(&claim),
        engine.check(&serde_json::from_str::<Claim>(&claim).unwrap()),
    ] {
        let units: Vec<_> = r.of_rule("units-invalid").collect();
        assert_eq!(units.len(), 2, "{units:?}");
        assert!(
            units[0].message.contains("1e308 units"),
            "{}",
            units[0].message
        );
        assert!(units[1].message.contains("1.8446744073709552e19 units"));
        let ptr: Vec<&str> = r
            .of_rule("dx-pointer-invalid")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(ptr.len(), 2, "{ptr:?}");
        assert!(ptr[0].contains("pointer 1.5:"), "{}", ptr[0]);
        assert!(ptr[1].contains("pointer 1e300:"), "{}", ptr[1]);
    }
}

#[test]
fn arrays_are_neither_claims_nor_configs() {
    let engine = Engine::builder().build().unwrap();
    let r = engine.check_json(r#"["P-9","professional",{},[],"2025-11-03"]"#);
    assert_eq!(r.claim_id, None);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].message, "not a claim: expected a JSON object");
    assert!(Engine::from_config_json("[]").is_err());
    assert!(Engine::from_config_json(" [ ] ").is_err());
    assert!(EngineConfig::from_json("{}").is_ok());
}

#[test]
fn unreadable_lines_keep_their_finding_with_the_rule_off() {
    let engine = Engine::builder()
        .disable("malformed-claim")
        .build()
        .unwrap();
    for line in ["{not json", "[]", "", "17"] {
        let r = engine.check_json(line);
        assert_eq!(r.findings.len(), 1, "{line:?}");
        assert_eq!(r.findings[0].rule, "malformed-claim");
    }
    assert_eq!(
        engine.line_too_long(10).findings[0].message,
        "line longer than 10 bytes: not read"
    );
    // A claim that was read: the structural problems are what the rule hides.
    let r = engine.check_json(r#"{"id":"x"}"#);
    assert_eq!(r.of_rule("malformed-claim").count(), 0);
}

#[test]
fn invalid_utf8_is_a_finding_not_a_silent_change() {
    let engine = Engine::builder()
        .disable("malformed-claim")
        .build()
        .unwrap();
    let r = engine.check_json_bytes(b"{\"id\":\"P-\xff\xfe\",\"type\":\"professional\"}");
    assert_eq!(r.claim_id.as_deref(), Some("P-\u{fffd}\u{fffd}"));
    assert_eq!(r.findings[0].rule, "malformed-claim");
    assert!(r.findings[0]
        .message
        .contains("not valid UTF-8 (byte 10 of"));
    // Found by fuzz/claim_bytes: a bad byte in a key (the claim then has no
    // id) kept the claim's findings but lost the UTF-8 one.
    let r = engine.check_json_bytes(
        b"{\"\x8eid\":\"I-012\",\"type\":\"institutional\",\"diagnoses\":[{\"code\":\"G01\"}]}",
    );
    assert_eq!(r.claim_id, None);
    assert_eq!(r.findings[0].rule, "malformed-claim");
    assert!(r.findings[0].message.contains("not valid UTF-8"));
    assert!(r.findings.len() > 1);
}

// ---- the CLI ------------------------------------------------------------

fn medcode() -> Command {
    Command::new(env!("CARGO_BIN_EXE_medcode"))
}

fn run(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run medcode");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn out_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn cli_long_lines_are_one_finding_and_reading_resumes() {
    let good = professional(json!([{"code": "I10"}]), json!(same_lines(1, "99213")));
    let mut input = vec![b'x'; 3 << 20];
    input.push(b'\n');
    input.extend_from_slice(good.as_bytes());
    input.push(b'\n');
    let out = run(medcode().args(["check", "-"]), &input);
    assert!(out.status.success());
    let lines = out_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0]["findings"][0]["message"],
        "line longer than 1048576 bytes: not read"
    );
    assert_eq!(lines[1]["claim_id"], "P-hostile");
    let out = run(
        medcode().args(["check", "--max-line-bytes", "100", "-"]),
        &input,
    );
    let lines = out_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[1]["findings"][0]["message"],
        "line longer than 100 bytes: not read"
    );
    let out = run(medcode().args(["check", "--max-line-bytes", "0"]), b"");
    assert_eq!(out.status.code(), Some(2));
}

/// `medcode check /dev/zero` (no newline, ever) keeps its memory near the
/// line limit: sampled after it has read for a while, then stopped.
#[cfg(target_os = "linux")]
#[test]
fn cli_dev_zero_stays_bounded() {
    let mut child = medcode()
        .args(["check", "/dev/zero"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    // The 1 MiB line limit, at most twice over, plus the program itself.
    assert!(peak_kb < 32 * 1024, "peak {peak_kb} kB");
}

#[test]
fn cli_non_utf8_arguments() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let bad = OsStr::from_bytes(b"\xff");
    let out = medcode().arg("lookup").arg(bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));
    let out = medcode().arg(bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A file name need not be UTF-8.
    let dir = std::env::temp_dir().join(format!("medcode-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(OsStr::from_bytes(b"claims-\xff.jsonl"));
    std::fs::copy("examples/claims.jsonl", &path).unwrap();
    let out = medcode().arg("check").arg(&path).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(out.status.success(), "{out:?}");
    let lines = std::fs::read_to_string("examples/claims.jsonl")
        .unwrap()
        .lines()
        .count();
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), lines);
}

#[test]
fn cli_invalid_utf8_and_arrays_in_claims() {
    let out = run(
        medcode().arg("check"),
        b"{\"id\":\"P-\xff\",\"type\":\"professional\"}\n[\"P-9\",\"professional\"]\n",
    );
    let lines = out_lines(&out);
    assert_eq!(lines[0]["claim_id"], "P-\u{fffd}");
    assert_eq!(lines[0]["findings"][0]["rule"], "malformed-claim");
    assert_eq!(lines[1]["claim_id"], Value::Null);
    assert_eq!(
        lines[1]["findings"][0]["message"],
        "not a claim: expected a JSON object"
    );
}

#[test]
fn cli_write_errors_are_errors() {
    // A closed standard output.
    for args in [
        "check examples/claims.jsonl",
        "export icd10cm",
        "lookup E11.9",
    ] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" {args} >&-"))
            .arg(env!("CARGO_BIN_EXE_medcode"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("writing"));
    }
    // A full disk.
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = medcode()
            .args(["check", "examples/claims.jsonl"])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("writing findings"), "{err}");
        assert!(!err.contains("reading"), "{err}");
    }
    // `>/dev/null` is not a closed output.
    let out = medcode()
        .args(["check", "examples/claims.jsonl"])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn cli_hostile_claims_within_bounds() {
    let mut input = professional(alternating_dx(1_000), json!(same_lines(1, "99213")));
    input.push('\n');
    input.push_str(&professional(
        json!([{"code": "I10"}]),
        json!(same_lines(20_000, "99213")),
    ));
    input.push('\n');
    let start = Instant::now();
    let out = run(medcode().arg("check"), input.as_bytes());
    assert!(start.elapsed() < BOUND * 2);
    assert!(out.status.success());
    assert!(out.stdout.len() < MAX_OUTPUT, "{}", out.stdout.len());
    assert_eq!(out_lines(&out).len(), 2);
}
