//! `medcode check` with edit tables: each table's rows are counted on
//! stderr, CMS's .zip files are read as shipped, and a garbage table (empty,
//! prose, binary, another table) stops the run with exit 2 and says which
//! file, which line and what was expected.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn claims() -> String {
    format!("{}/examples/claims.jsonl", env!("CARGO_MANIFEST_DIR"))
}

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medcode"))
        .arg("check")
        .arg(claims())
        .args(args)
        .output()
        .expect("medcode runs")
}

fn garbage(name: &str, bytes: &[u8]) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn table_rows_are_counted_on_stderr() {
    let mut args = vec![
        "--ncci-ptp".to_owned(),
        fixture("ncci_ptp_practitioner.txt"),
        "--mue".to_owned(),
        fixture("mue_practitioner.csv"),
        "--addon".to_owned(),
        fixture("addon_codes.txt"),
        "--hcpcs-file".to_owned(),
        fixture("hcpcs_disclaimer_crlf.txt"),
    ];
    if cfg!(feature = "zip") {
        args.extend(["--ncci-ptp".to_owned(), fixture("ccipra-v321r0-f1.zip")]);
        args.extend(["--mue".to_owned(), fixture("mue_practitioner.zip")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = check(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("ncci_ptp_practitioner.txt: 6 NCCI PTP edits (practitioner)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("mue_practitioner.csv: 6 MUE codes"),
        "{stderr}"
    );
    assert!(
        stderr.contains("addon_codes.txt: 6 add-on codes"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hcpcs_disclaimer_crlf.txt: 9 HCPCS codes, 4 modifiers"),
        "{stderr}"
    );
    if cfg!(feature = "zip") {
        assert!(
            stderr.contains("ccipra-v321r0-f1.zip: 6 NCCI PTP edits (practitioner)"),
            "{stderr}"
        );
        assert!(
            stderr.contains("mue_practitioner.zip: 6 MUE codes"),
            "{stderr}"
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let input = std::fs::read_to_string(claims()).unwrap();
    assert_eq!(stdout.lines().count(), input.lines().count());
}

#[test]
fn garbage_tables_stop_the_run() {
    let empty = garbage("cli-empty.txt", b"");
    let prose = garbage(
        "cli-prose.txt",
        b"Dear colleague,\nthis file holds no table.\n",
    );
    let binary = garbage("cli-binary.bin", b"\x7fELF\x02\x01\x01\x00\x00");
    let cases = [
        ("--ncci-ptp", empty.clone(), "no NCCI PTP record in 0 lines"),
        (
            "--ncci-ptp",
            fixture("mue_practitioner.csv"),
            "line 2: unrecognised header",
        ),
        ("--mue", prose.clone(), "no MUE record in 2 lines"),
        (
            "--mue",
            binary.clone(),
            "line 1: binary content (byte 0x7f)",
        ),
        ("--addon", empty.clone(), "no add-on code record in 0 lines"),
        (
            "--addon",
            fixture("ncci_ptp_practitioner.txt"),
            "line 3: unrecognised header",
        ),
        ("--hcpcs-file", empty.clone(), "no HCPCS record in 0 lines"),
        ("--hcpcs-file", prose.clone(), "no HCPCS record in 2 lines"),
        (
            "--hcpcs-file",
            binary.clone(),
            "line 1: binary content (byte 0x7f)",
        ),
    ];
    for (flag, path, want) in cases {
        let out = check(&[flag, &path]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag} {path}: {stderr}");
        assert!(
            stderr.contains(&format!("{path}: ")),
            "{flag} names the file: {stderr}"
        );
        assert!(stderr.contains(want), "{flag} {path}: {stderr}");
        assert!(out.stdout.is_empty(), "{flag} {path}: no claim is checked");
    }
}
