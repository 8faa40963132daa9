//! `medcode group`: one JSON line per input line (a grouping, or an
//! `error` object for a line that cannot be grouped), the options, exit
//! statuses, and the same output whatever `--jobs`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inpatient.jsonl");

fn medcode(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_medcode"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run medcode");
    // Written from another thread: the output is read while the input goes in.
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn groups_the_example_claims() {
    let out = medcode(&["group", EXAMPLE], b"");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = lines(&out);
    let input = std::fs::read_to_string(EXAMPLE).unwrap();
    assert_eq!(v.len(), input.lines().count());
    let drgs: Vec<(&str, usize, &str, u64, &str)> = v
        .iter()
        .map(|g| {
            (
                g["claim_id"].as_str().unwrap(),
                g["line"].as_u64().unwrap() as usize,
                g["version"].as_str().unwrap(),
                g["final_drg"].as_u64().unwrap(),
                g["return_code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        drgs,
        [
            ("IP-001", 1, "43.1", 292, "OK"),
            ("IP-002", 2, "43.0", 470, "OK"),
            ("IP-003", 3, "43.0", 983, "OK"),
            ("IP-004", 4, "43.0", 870, "OK"),
            ("IP-005", 5, "43.0", 283, "OK"),
            ("IP-006", 6, "43.1", 999, "INVALID_PDX"),
        ]
    );
    // IP-003: the hip fracture from a fall in hospital is a HAC; the MCC
    // it would give no longer counts in the final DRG.
    let hac = &v[2];
    assert_eq!(hac["initial_drg"], 981);
    assert_eq!(hac["hac_status"], "FINAL_DRG_CHANGES");
    assert_eq!(hac["hac_categories"], 1);
    let fracture = hac["secondary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "S72.001A")
        .unwrap();
    assert_eq!(fracture["hacs"][0]["hac"], 5);
    assert_eq!(fracture["hacs"][0]["status"], "HAC_CRITERIA_MET");
    // The same object Grouping::to_json writes.
    let g = medcode::drg::Grouper::new();
    let first = input.lines().next().unwrap();
    let expected = g
        .group_json(first, &medcode::drg::GroupOptions::default())
        .unwrap()
        .to_json(Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next(),
        Some(expected.as_str())
    );
}

#[test]
fn every_line_gets_an_answer_and_a_bad_line_an_error() {
    let input = concat!(
        r#"{"id":"P1","type":"professional","service_date":"2026-01-02","lines":[{"code":"99213"}]}"#,
        "\n{not json\n\n",
        r#"{"id":"NODATE","type":"institutional","diagnoses":[{"code":"I21.4","poa":"Y"}]}"#,
        "\n",
        r#"{"id":"OLD","type":"institutional","discharge_date":"2021-06-30","diagnoses":[{"code":"I21.4"}]}"#,
        "\n",
        r#"{"id":"OK","type":"institutional","discharge_date":"2026-05-02","discharge_status":"01","diagnoses":[{"code":"I21.4","poa":"Y"}]}"#,
        "\r\n[1,2]\n",
    );
    let mut input = input.as_bytes().to_vec();
    input.extend_from_slice(b"{\"id\":\"BAD\xff\"}\n");
    let out = medcode(&["group", "-"], &input);
    assert_eq!(out.status.code(), Some(1), "a line not grouped: exit 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("7 of 8 lines not grouped"), "{stderr}");
    let v = lines(&out);
    assert_eq!(v.len(), 8);
    for (i, g) in v.iter().enumerate() {
        assert_eq!(g["line"], i + 1);
    }
    let error = |i: usize| v[i]["error"].as_str().unwrap_or_else(|| panic!("{}", v[i]));
    assert_eq!(v[0]["claim_id"], "P1");
    assert!(error(0).contains(r#"claim type "professional" is not institutional"#));
    assert!(v[1]["claim_id"].is_null());
    assert!(error(1).starts_with("not valid JSON"));
    assert_eq!(error(2), "empty line: expected one claim as a JSON object");
    assert_eq!(v[3]["claim_id"], "NODATE");
    assert!(error(3).contains("no discharge date"));
    assert!(error(4).contains("2021-06-30 is before MS-DRG v40.0"));
    assert_eq!(v[5]["final_drg"], 282);
    assert!(v[5].get("error").is_none());
    assert_eq!(error(6), "not a claim: expected a JSON object");
    assert!(error(7).contains("not valid UTF-8"));

    // --version groups the claim without a date, and the old one.
    let out = medcode(&["group", "--version", "v43.1"], &input);
    let v = lines(&out);
    assert_eq!(v[3]["version"], "43.1");
    assert_eq!(v[4]["version"], "43.1");
    assert!(v[0]["error"].is_string(), "still not an inpatient claim");
}

#[test]
fn options_change_the_grouping() {
    let hac = std::fs::read_to_string(EXAMPLE)
        .unwrap()
        .lines()
        .nth(2)
        .unwrap()
        .to_owned()
        + "\n";
    let group = |args: &[&str]| {
        let mut all = vec!["group"];
        all.extend_from_slice(args);
        let out = medcode(&all, hac.as_bytes());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        lines(&out).remove(0)
    };
    assert_eq!(group(&[])["final_drg"], 983);
    let exempt = group(&["--hospital", "exempt"]);
    assert_eq!(
        (exempt["final_drg"].as_u64(), exempt["hac_status"].as_str()),
        (Some(981), Some("NOT_APPLICABLE"))
    );
    let unknown = group(&["--hospital", "unknown"]);
    assert_eq!(unknown["final_drg"], 999);
    assert_eq!(
        group(&["--hospital", "not-exempt", "--tie-breaker", "alphabetical"])["final_drg"],
        983
    );
    assert_eq!(group(&["--version", "400"])["version"], "40.0");
    for bad in [
        &["--version", "39.0"][..],
        &["--hospital", "maybe"],
        &["--tie-breaker", "random"],
        &["--jobs", "0"],
    ] {
        let mut all = vec!["group"];
        all.extend_from_slice(bad);
        let out = medcode(&all, b"");
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains(bad[0]));
    }
}

#[test]
fn jobs_output_is_identical_to_one_thread() {
    let example = std::fs::read(EXAMPLE).unwrap();
    let mut input = Vec::new();
    for i in 0..400 {
        input.extend_from_slice(&example);
        input.extend_from_slice(match i % 4 {
            0 => b"{not json\n" as &[u8],
            1 => b"\n",
            2 => &[b'x'; 700],
            _ => b"{\"type\":\"professional\"}",
        });
        input.push(b'\n');
    }
    let one = medcode(&["group", "--jobs", "1", "--max-line-bytes", "600"], &input);
    assert_eq!(one.status.code(), Some(1));
    let n = input.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(one.stdout.iter().filter(|&&b| b == b'\n').count(), n);
    assert!(String::from_utf8_lossy(&one.stdout).contains("line longer than 600 bytes: not read"));
    for jobs in ["2", "3"] {
        let many = medcode(
            &["group", "--jobs", jobs, "--max-line-bytes", "600"],
            &input,
        );
        assert!(
            many.stdout == one.stdout,
            "--jobs {jobs} differs from --jobs 1"
        );
        assert_eq!(many.stderr, one.stderr);
    }
}

#[test]
fn a_missing_file_is_exit_1_with_its_name() {
    let out = medcode(&["group", "/nonexistent/claims.jsonl"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/claims.jsonl"));
}

/// Outpatient claims (a bill type other than 11x) go to the I/OCE and
/// inpatient ones to the grouper, line by line, whatever `--jobs`; each
/// answer is the one the library's router writes (`medcode::route`).
#[cfg(feature = "ioce")]
#[test]
fn outpatient_lines_get_the_ioce_answer_beside_groupings() {
    let outpatient = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/outpatient.jsonl"
    ))
    .unwrap();
    let inpatient = std::fs::read_to_string(EXAMPLE).unwrap();
    let first = outpatient.lines().next().unwrap();
    let mixed = format!(
        "{first}\n{}\n{outpatient}",
        inpatient.lines().next().unwrap()
    );
    let out = medcode(&["group", "-", "--jobs", "1"], mixed.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let v = lines(&out);
    assert_eq!(v.len(), mixed.lines().count());
    assert!(text.starts_with(r#"{"claim_id":"OP-001","line":1,"engine":"ioce","version":"#));
    assert_eq!(v[0]["lines"][2]["hcpcs_edits"], serde_json::json!(["040"]));
    assert_eq!(
        (v[1]["claim_id"].as_str(), v[1]["final_drg"].as_u64()),
        (Some("IP-001"), Some(292))
    );
    assert!(v[1].get("engine").is_none());
    let router = medcode::route::ClaimRouter::new();
    let options = medcode::drg::GroupOptions::default();
    for (i, (line, got)) in mixed.lines().zip(text.lines()).enumerate() {
        let mut want = String::new();
        assert!(router.write_line(line.as_bytes(), i + 1, &options, &mut want));
        assert_eq!(got, want);
    }
    let parallel = medcode(&["group", "-", "--jobs", "3"], mixed.as_bytes());
    assert_eq!(parallel.stdout, out.stdout);
}
