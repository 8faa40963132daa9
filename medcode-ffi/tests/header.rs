//! `include/medcode.h` matches the built library: the functions it declares
//! are exactly the `medcode_*` symbols `libmedcode.so` exports (`nm -D`), its
//! constants equal the Rust ones, and `tests/c/smoke.c` compiles against it
//! with `cc -Wall -Wextra -Werror` and passes, linked both to the shared and
//! to the static library.
use medcode as ffi;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Where cargo put the cdylib and staticlib this test was built with:
/// `target/<profile>/deps` (beside this test's executable) when the library
/// was built for the tests, `target/<profile>` when built on its own.
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    let found = [deps, deps.parent().unwrap()]
        .into_iter()
        .find(|d| d.join("libmedcode.so").exists())
        .unwrap_or(deps)
        .to_path_buf();
    found
}

fn header() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("include/medcode.h")).unwrap()
}

/// The header without its comments.
fn header_code() -> String {
    let text = header();
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment") + start + 2;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn declared_functions() -> BTreeSet<String> {
    let code = header_code();
    let mut names = BTreeSet::new();
    for (i, _) in code.match_indices("medcode_") {
        let name: String = code[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if code[i + name.len()..].trim_start().starts_with('(') {
            names.insert(name);
        }
    }
    names
}

fn which(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

#[test]
fn header_declares_exactly_the_exported_functions() {
    let so = lib_dir().join("libmedcode.so");
    assert!(so.exists(), "{} not built", so.display());
    if !which("nm") {
        eprintln!("nm not found: skipping the symbol comparison");
        return;
    }
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&so)
        .output()
        .unwrap();
    assert!(out.status.success());
    let exported: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, kind, name) = (f.next()?, f.next()?, f.next()?);
            (kind == "T" && name.starts_with("medcode_")).then(|| name.to_owned())
        })
        .collect();
    let declared = declared_functions();
    assert!(declared.len() >= 7, "{declared:?}");
    assert_eq!(declared, exported, "header vs nm -D {}", so.display());
}

#[test]
fn header_constants_match_the_rust_ones() {
    let code = header_code();
    let defined = |name: &str| -> i64 {
        let line = code
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("{name} not defined in the header"));
        line.split_whitespace().nth(2).unwrap().parse().unwrap()
    };
    let expected: [(&str, i64); 16] = [
        ("MEDCODE_VALID", ffi::MEDCODE_VALID.into()),
        ("MEDCODE_NOT_VALID", ffi::MEDCODE_NOT_VALID.into()),
        ("MEDCODE_ERR_NULL", ffi::MEDCODE_ERR_NULL.into()),
        ("MEDCODE_ERR_UTF8", ffi::MEDCODE_ERR_UTF8.into()),
        ("MEDCODE_ERR_SYNTAX", ffi::MEDCODE_ERR_SYNTAX.into()),
        ("MEDCODE_ERR_DATE", ffi::MEDCODE_ERR_DATE.into()),
        ("MEDCODE_ERR_PANIC", ffi::MEDCODE_ERR_PANIC.into()),
        ("MEDCODE_ERR_TOO_LONG", ffi::MEDCODE_ERR_TOO_LONG.into()),
        ("MEDCODE_ERR_NUL", ffi::MEDCODE_ERR_NUL.into()),
        ("MEDCODE_ERR_SYSTEM", ffi::MEDCODE_ERR_SYSTEM.into()),
        ("MEDCODE_ERR_INTERNAL", ffi::MEDCODE_ERR_INTERNAL.into()),
        ("MEDCODE_MAX_INPUT_LEN", ffi::MEDCODE_MAX_INPUT_LEN as i64),
        ("MEDCODE_ERR_CONFIG", ffi::MEDCODE_ERR_CONFIG.into()),
        ("MEDCODE_ERR_KIND", ffi::MEDCODE_ERR_KIND.into()),
        ("MEDCODE_MAX_CLAIM_LEN", ffi::MEDCODE_MAX_CLAIM_LEN as i64),
        ("MEDCODE_MAX_BATCH_LEN", ffi::MEDCODE_MAX_BATCH_LEN as i64),
    ];
    for (name, value) in expected {
        assert_eq!(defined(name), value, "{name}");
    }
    // Every MEDCODE_ constant the header defines is checked above.
    let defines = code
        .lines()
        .filter(|l| l.starts_with("#define MEDCODE_") && l.split_whitespace().count() >= 3)
        .count();
    assert_eq!(defines, expected.len());
}

/// Compiles `tests/c/smoke.c` with `extra` link arguments, runs it, checks its output.
fn smoke(name: &str, extra: &[&str]) {
    if !which("cc") {
        eprintln!("cc not found: skipping the C smoke test");
        return;
    }
    let dir = lib_dir();
    let exe = dir.join(name);
    let status = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pthread", "-o"])
        .arg(&exe)
        .arg(Path::new(ROOT).join("tests/c/smoke.c"))
        .arg(format!("-I{ROOT}/include"))
        .args(extra)
        .status()
        .unwrap();
    assert!(status.success(), "cc failed for {name}");
    let out = Command::new(&exe)
        .env("LD_LIBRARY_PATH", &dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{name} failed:\n{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    let last = stdout.lines().last().unwrap();
    assert!(last.ends_with("passed, 0 failed"), "{stdout}");
    assert!(stdout.contains(&format!("version {}", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn c_smoke_test_against_the_shared_library() {
    let dir = lib_dir();
    smoke(
        "medcode_smoke_shared",
        &[
            &format!("-L{}", dir.display()),
            &format!("-Wl,-rpath,{}", dir.display()),
            "-lmedcode",
        ],
    );
}

#[test]
fn c_smoke_test_against_the_static_library() {
    let a = lib_dir().join("libmedcode.a");
    assert!(a.exists(), "{} not built", a.display());
    smoke(
        "medcode_smoke_static",
        &[a.to_str().unwrap(), "-ldl", "-lm"],
    );
}
