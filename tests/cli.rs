//! The `medcode` binary: JSON contract, exit statuses, export format.

use std::process::{Command, Output};

fn medcode(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medcode"))
        .args(args)
        .output()
        .expect("run medcode")
}

fn json(args: &[&str]) -> (serde_json::Value, i32) {
    let out = medcode(args);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (v, out.status.code().unwrap())
}

#[test]
fn lookup_json_icd10cm() {
    let (v, code) = json(&["lookup", "e119", "--date", "2026-01-01", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["system"], "icd10cm");
    assert_eq!(v["input"], "e119");
    assert_eq!(v["code"], "E11.9");
    assert_eq!(v["in_table"], true);
    assert_eq!(v["billable"], true);
    assert_eq!(v["valid"], true);
    assert_eq!(v["title"], "Type 2 diabetes mellitus without complications");
    assert_eq!(v["parent"], "E11");
    assert_eq!(v["valid_from"], "2015-10-01");
    assert!(v["valid_to"].is_null());
    assert!(v["error"].is_null());
}

#[test]
fn lookup_header_and_not_yet_valid_exit_1() {
    let (v, code) = json(&["lookup", "E11", "--date", "2026-01-01", "--json"]);
    assert_eq!(
        (code, &v["valid"], &v["header"]),
        (1, &serde_json::json!(false), &serde_json::json!(true))
    );
    let (v, code) = json(&["lookup", "E11.A", "--date", "2025-06-01", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(v["valid_from"], "2025-10-01");
}

#[test]
fn lookup_not_a_code() {
    let (v, code) = json(&["lookup", "E1!", "--json", "--date", "2026-01-01"]);
    assert_eq!(code, 1);
    assert!(v["code"].is_null());
    assert!(v["error"].as_str().unwrap().contains("position 3")); // the third character, counted as people count
}

#[test]
fn lookup_pcs_axes_and_system_choice() {
    let (v, code) = json(&["lookup", "0SRD0JZ", "--json", "--date", "2026-01-01"]);
    assert_eq!(code, 0);
    assert_eq!(v["system"], "icd10pcs");
    assert_eq!(v["axes"][3]["label"], "Knee Joint, Left");
    assert_eq!(v["axes"].as_array().unwrap().len(), 7);
    let (v, _) = json(&["lookup", "0SRD0JZ", "--system", "icd10cm", "--json"]);
    assert_eq!(v["system"], "icd10cm");
    assert!(v["error"].is_string());
}

#[test]
fn lookup_cpt_and_hcpcs_file() {
    let (v, _) = json(&["lookup", "99213", "--json"]);
    assert_eq!(
        (v["system"].as_str(), v["category"].as_str()),
        (Some("cpt"), Some("Category I"))
    );
    assert_eq!(v["section"]["name"], "Evaluation and Management");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/hcpcs_fixture.txt"
    );
    let (v, code) = json(&[
        "lookup",
        "G0008",
        "--hcpcs-file",
        fixture,
        "--date",
        "2026-01-01",
        "--json",
    ]);
    assert_eq!(v["system"], "hcpcs");
    assert_eq!(
        v["title"],
        "TEST LONG TITLE FOR A PROFESSIONAL SERVICE CODE"
    );
    assert_eq!(code, 0);
    // J1100 is a HCPCS code of the file and ICD-10-CM J11.00: the answer says so.
    let (v, _) = json(&[
        "lookup",
        "J1100",
        "--hcpcs-file",
        fixture,
        "--date",
        "2026-01-01",
        "--json",
    ]);
    assert_eq!(v["ambiguous"], true);
    let systems: Vec<&str> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["system"].as_str().unwrap())
        .collect();
    assert_eq!(systems, ["hcpcs", "icd10cm"]);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(medcode(&[]).status.code(), Some(2));
    assert_eq!(medcode(&["lookup"]).status.code(), Some(2));
    assert_eq!(
        medcode(&["lookup", "E11.9", "--date", "2026-13-01"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(medcode(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        medcode(&["lookup", "E11.9", "--hcpcs-file", "/nonexistent"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn export_icd10cm_format() {
    let out = medcode(&["export", "icd10cm", "--date", "2025-10-01"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("code\tbillable\ttitle"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.iter().filter(|r| r[1] == "1").count(), 74_719);
    assert!(rows.iter().any(|r| r[..2] == ["E11", "0"]));
    assert!(rows.iter().any(|r| r[..2] == ["E11.9", "1"]));
}

#[test]
fn export_icd10pcs_counts() {
    let out = medcode(&["export", "icd10pcs", "--date", "2025-10-01"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 79_115 + 1);
}

#[test]
fn hcpcs_answers_from_the_bundled_release_with_no_file() {
    let out = medcode(&["lookup", "E1130", "--date", "2025-11-01"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "Standard wheelchair, fixed full length arms, fixed or swing away detachable footrests"
        ),
        "{text}"
    );
    assert!(
        text.contains("VALID [October 2025 quarter (2025-10-01), HCPC2025_OCT_ANWEB.xlsx]"),
        "{text}"
    );
    // After the release's horizon: answered as of 2025-12-31, and said so.
    let (v, code) = json(&["lookup", "E1130", "--date", "2026-03-01", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["system"], "hcpcs");
    assert_eq!(v["beyond_horizon"], true);
    assert_eq!(v["release"]["kind"], "quarterly");
    assert_eq!(v["release_file"], "HCPC2025_OCT_ANWEB.xlsx");
    // A code terminated before the date: not valid, exit 1.
    let (v, code) = json(&["lookup", "A9155", "--date", "2025-10-01", "--json"]);
    assert_eq!((v["valid"].as_bool(), code), (Some(false), 1));

    let out = medcode(&["export", "hcpcs", "--date", "2025-10-01"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1 + 7_258);
    assert!(text.contains("\nE1130\t1\tStandard wheelchair,"));

    let out = medcode(&["releases"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("HCPCS Level II (HCPC2025_OCT_ANWEB.xlsx"),
        "{text}"
    );
    assert!(
        text.contains("2025-10-01\tOctober 2025 quarter (2025-10-01)\t7258\t383 modifiers"),
        "{text}"
    );
}

/// `--jobs N` writes what one thread writes, byte for byte, in input order
/// (lines too long, not UTF-8, not JSON, empty, over several batches).
#[test]
fn check_jobs_output_is_identical_to_one_thread() {
    let claims = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/claims.jsonl"
    ))
    .unwrap();
    let mut input = Vec::new();
    for i in 0..150 {
        input.extend_from_slice(&claims);
        input.extend_from_slice(match i % 5 {
            0 => b"{not json\n" as &[u8],
            1 => b"\n",
            2 => b"{\"id\": \"P-\xff\"}\r\n",
            3 => &[b'x'; 700],
            _ => b"[]\n",
        });
        input.push(b'\n');
    }
    let dir = std::env::temp_dir().join(format!("medcode-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("claims.jsonl");
    std::fs::write(&path, &input).unwrap();
    let path = path.to_str().unwrap();
    let one = medcode(&["check", "--jobs", "1", "--max-line-bytes", "600", path]);
    assert_eq!(one.status.code(), Some(0));
    let lines = one.stdout.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(lines, input.iter().filter(|&&b| b == b'\n').count());
    for jobs in ["2", "3", "8"] {
        let many = medcode(&["check", "--jobs", jobs, "--max-line-bytes", "600", path]);
        assert_eq!(many.status.code(), Some(0));
        assert!(
            many.stdout == one.stdout,
            "--jobs {jobs} differs from --jobs 1"
        );
    }
    let default = medcode(&["check", "--max-line-bytes=600", path]);
    assert!(
        default.stdout == one.stdout,
        "the default --jobs differs from --jobs 1"
    );
    for bad in ["0", "-1", "x"] {
        let out = medcode(&["check", "--jobs", bad, path]);
        assert_eq!(out.status.code(), Some(2), "--jobs {bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--jobs"));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn help_on_every_subcommand() {
    for sub in [
        "lookup",
        "export",
        "releases",
        "check",
        "group",
        "rules",
        "completions",
    ] {
        for flag in ["--help", "-h"] {
            let out = medcode(&[sub, flag]);
            assert_eq!(out.status.code(), Some(0), "{sub} {flag}: {out:?}");
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(
                text.contains(&format!("Usage: medcode {sub}")),
                "{sub}: {text}"
            );
        }
    }
    let out = medcode(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let out = medcode(&["-V"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        concat!("medcode ", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_are_short_and_leave_stdout_empty() {
    for args in [
        &["lookup", "E11.9", "--frobnicate"][..],
        &["export", "cpt"],
        &["export", "icd10cm", "--date", "2026-02-30"],
        &["lookup", "E11.9", "--hcpcs-file", "/nonexistent"],
        &["export", "hcpcs", "--hcpcs-file", "/nonexistent"],
    ] {
        let out = medcode(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: stdout {:?}", out.stdout);
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.lines().count() <= 8, "{args:?}: {err}");
    }
    let out = medcode(&["lookup", "E11.9", "--hcpcs-file", "/nonexistent"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--hcpcs-file"));
}

#[test]
fn lookup_modifiers_and_unknown_validity() {
    let (v, code) = json(&["lookup", "lt", "--date", "2025-11-01", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["system"], "modifier");
    assert_eq!(v["code"], "LT");
    assert_eq!(v["modifier_class"], "anatomic");
    assert!(v["title"].as_str().unwrap().starts_with("Left side"));
    // A CPT modifier: class known, validity not (the HCPCS file lists none).
    let (v, code) = json(&["lookup", "25", "--json"]);
    assert_eq!(code, 3);
    assert_eq!(v["modifier_class"], "ncci_associated");
    assert_eq!(v["validity_known"], false);
    // A CPT code without a descriptor file: validity unknown, exit 3.
    let (v, code) = json(&["lookup", "99213", "--json"]);
    assert_eq!((code, &v["validity_known"]), (3, &serde_json::json!(false)));
    // J1100 without an HCPCS file: both readings.
    let (v, _) = json(&["lookup", "J1100", "--date", "2025-11-01", "--json"]);
    assert_eq!(v["ambiguous"], true);
}

#[test]
fn lookup_notes_seventh_characters_ages_and_mce_names() {
    let (v, _) = json(&["lookup", "S72.001", "--date", "2026-01-01", "--json"]);
    assert_eq!(v["seventh_characters"][0]["character"], "A");
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "excludes1" && n["at"] == "S72"));
    let (v, _) = json(&["lookup", "O80", "--date", "2026-01-01", "--json"]);
    assert_eq!(v["ages"][0]["category"], "maternity");
    assert_eq!(
        (v["ages"][0]["min"].as_u64(), v["ages"][0]["max"].as_u64()),
        (Some(9), Some(64))
    );
    let out = medcode(&["lookup", "E11.9", "--date", "2026-01-01"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("questionable admission when principal (qadm)"),
        "{text}"
    );
    assert!(
        text.contains("Excludes1 (E11): type 1 diabetes mellitus (E10.-)"),
        "{text}"
    );
}

#[test]
fn completions() {
    let out = medcode(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("_medcode()"));
}

/// Issue 25: `export --date D` writes the title in force on D (CMS's order
/// file of that fiscal year), as `lookup --date` shows it.
#[test]
fn export_writes_the_title_in_force_on_the_date() {
    use medcode::{Date, IcdCm};
    let date = Date::new(2025, 10, 1).unwrap();
    let out = medcode(&["export", "icd10cm", "--date", "2025-10-01"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut differ = Vec::new();
    for row in text.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        let info = f[0].parse::<IcdCm>().unwrap().info().unwrap();
        assert_eq!(Some(f[2]), info.title_on(date).or(Some("")), "{row}");
        if info.title() != Some(f[2]) {
            differ.push(f[0].to_owned());
        }
    }
    assert!(
        text.contains("\nL02.232\t1\tCarbuncle of back [any part, except buttock]\n"),
        "L02.232's FY2026 title"
    );
    // The codes whose FY2027 title differs from their FY2026 one.
    assert_eq!(differ.len(), 4, "{differ:?}");
    let out = medcode(&["export", "icd10pcs", "--date", "2025-10-01"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for row in text.lines().skip(1).step_by(97) {
        let f: Vec<&str> = row.split('\t').collect();
        let info = f[0].parse::<medcode::IcdPcs>().unwrap().info().unwrap();
        assert_eq!(Some(f[2]), info.title_on(date).or(Some("")), "{row}");
    }
}

/// Issue 25: billable and header answer for the date; "replaced by" only for
/// a code no longer valid, "some cases now coded as" for one still valid.
#[test]
fn lookup_billable_header_and_replacements_by_date() {
    let (v, code) = json(&["lookup", "G20", "--date", "2025-11-12", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(
        (&v["billable"], &v["header"], &v["valid"]),
        (
            &serde_json::json!(false),
            &serde_json::json!(true),
            &serde_json::json!(false)
        )
    );
    assert_eq!(v["billable_in_some_release"], true);
    assert_eq!(v["replaced_by"][0]["code"], "G20.A1");
    let (v, _) = json(&["lookup", "G20", "--date", "2023-01-12", "--json"]);
    assert_eq!(
        (&v["billable"], &v["header"]),
        (&serde_json::json!(true), &serde_json::json!(false))
    );
    let (v, code) = json(&["lookup", "E11.9", "--date", "2025-11-01", "--json"]);
    assert_eq!(code, 0);
    assert!(v.get("replaced_by").is_none(), "{v}");
    assert_eq!(v["cases_now_coded_as"][0]["code"], "E11.A");
    let text =
        String::from_utf8(medcode(&["lookup", "E11.9", "--date", "2025-11-01"]).stdout).unwrap();
    assert!(!text.contains("replaced by"), "{text}");
    assert!(
        text.contains("some cases now coded as: E11.A (from 2025-10-01)"),
        "{text}"
    );
}

/// `medcode rules`: every built-in rule with its family, CMS edit name,
/// severity and description, in text and `--json`.
#[test]
fn rules_lists_every_rule() {
    let (v, code) = json(&["rules", "--json"]);
    assert_eq!(code, 0);
    let rules = v.as_array().unwrap();
    assert_eq!(rules.len(), medcode::rules::RULE_IDS.len());
    for (r, spec) in rules.iter().zip(&medcode::rules::BUILTIN_RULES) {
        assert_eq!(r["id"], spec.id);
        assert_eq!(r["family"], spec.family.name());
        assert_eq!(r["severity"], spec.severity.as_str());
        assert_eq!(r["description"], spec.description);
        assert_eq!(r["cms_edit"].as_str(), spec.cms_edit);
    }
    let out = medcode(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), medcode::rules::RULE_IDS.len() + 1);
    let sex = text
        .lines()
        .find(|l| l.starts_with("sex-conflict "))
        .unwrap();
    assert!(
        sex.contains(" error ") && sex.contains(" mce ") && sex.contains(" SEX_CONFLICT "),
        "{sex}"
    );
}

/// `check` takes the engine's configuration: a file, `--disable`,
/// `--severity`, `--strict`; an unknown rule id or a bad file is exit 2.
#[test]
fn check_configures_the_engine() {
    let dir = std::env::temp_dir().join(format!("medcode-cli-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let claims = dir.join("claims.jsonl");
    std::fs::write(
        &claims,
        r#"{"type":"professional","service_date":"2025-11-03","patient":{"sex":"F","age":52},"diagnoses":["E11.9"],"lines":[{"code":"99213","modifer":["25"],"units":1,"dx_pointers":[1]},{"code":"73562","units":1,"dx_pointers":[1,1,1,1,1]}]}"#,
    )
    .unwrap();
    let claims = claims.to_str().unwrap();
    let rules = |args: &[&str]| -> Vec<(String, String, serde_json::Value)> {
        let mut all = vec!["check", claims];
        all.extend_from_slice(args);
        let (v, code) = json(&all);
        assert_eq!(code, 0, "{args:?}");
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["severity"].as_str().unwrap().to_owned(),
                    f["line"].clone(),
                )
            })
            .collect()
    };
    let plain = rules(&[]);
    assert!(!plain.is_empty());
    // A finding's line counts from 1, as its message does: line 2 is lines[1].
    assert!(plain
        .iter()
        .all(|(r, _, l)| r == "dx-pointer-invalid" && *l == 2));
    let strict = rules(&["--strict"]);
    assert_eq!(
        strict[0],
        ("unknown-field".into(), "error".into(), 1.into())
    );
    assert_eq!(strict.len(), plain.len() + 1);
    let tuned = rules(&[
        "--strict",
        "--disable",
        "dx-pointer-invalid",
        "--severity",
        "unknown-field=warning",
    ]);
    assert_eq!(
        tuned,
        [("unknown-field".into(), "warning".into(), 1.into())]
    );
    let config = dir.join("config.json");
    std::fs::write(
        &config,
        r#"{"strict": true, "disabled": ["dx-pointer-invalid"]}"#,
    )
    .unwrap();
    let from_file = rules(&["--config", config.to_str().unwrap()]);
    assert_eq!(
        from_file,
        [("unknown-field".into(), "error".into(), 1.into())]
    );
    // The options add to the file.
    let both = rules(&[
        "--config",
        config.to_str().unwrap(),
        "--severity",
        "unknown-field=info",
    ]);
    assert_eq!(both, [("unknown-field".into(), "info".into(), 1.into())]);
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"strct": true}"#).unwrap();
    for args in [
        &["check", claims, "--disable", "no-such-rule"][..],
        &["check", claims, "--severity", "unknown-field"],
        &["check", claims, "--severity", "unknown-field=fatal"],
        &["check", claims, "--config", bad.to_str().unwrap()],
        &["check", claims, "--config", "/nonexistent.json"],
    ] {
        let out = medcode(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            !err.is_empty() && err.lines().count() <= 8,
            "{args:?}: {err}"
        );
    }
    let out = medcode(&["check", claims, "--disable", "no-such-rule"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("medcode rules"));
    let out = medcode(&["check", claims, "--config", bad.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("strct"));
    std::fs::remove_dir_all(&dir).unwrap();
}
