//! `include/medcode.h` matches the built library: the functions it declares
//! are exactly the `medcode_*` symbols `libmedcode_ffi.so` exports (`nm -D`), and
//! `tests/c/smoke.c` compiles against it with `cc -Wall -Wextra -Werror` and
//! passes, linked both to the shared and to the static library. (Its
//! constants are compared with the Rust ones by `header_constants.rs`.) Unit
//! tests, not integration tests: the library has no `rlib` for tests to link,
//! and they share `header_text` with `header_constants` as modules.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::header_text;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The directory of the C library this test checks, built first: cargo
/// builds no library for a crate's integration tests when it has no `rlib`
/// (medcode-ffi builds `cdylib` and `staticlib` only), so the test asks
/// cargo for it, in this test's own profile (a no-op when it is up to date).
fn lib_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        // target/<profile>/deps/header-…: the profile's directory.
        let dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
        let profile = match dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev".to_owned(),
            Some(other) => other.to_owned(),
        };
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "medcode-ffi",
                "--profile",
                &profile,
            ])
            .current_dir(ROOT)
            .status()
            .unwrap();
        assert!(status.success(), "cargo build -p medcode-ffi failed");
        dir
    })
    .clone()
}

fn header() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("include/medcode.h")).unwrap()
}

/// The header without its comments.
fn header_code() -> String {
    header_text::without_comments(&header())
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

/// Skips with the reason, or fails under `MEDCODE_NO_SKIP=1` (CI sets it).
fn skip(what: &str, why: &str) {
    assert!(
        std::env::var("MEDCODE_NO_SKIP").map_or(true, |v| v != "1"),
        "{what} could not run (MEDCODE_NO_SKIP=1 forbids skipping): {why}"
    );
    eprintln!("SKIPPED: {what}: {why}");
}

fn which(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

#[test]
fn header_declares_exactly_the_exported_functions() {
    let so = lib_dir().join("libmedcode_ffi.so");
    assert!(so.exists(), "{} not built", so.display());
    if !which("nm") {
        skip("the symbol comparison", "nm not found");
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

/// Compiles `tests/c/smoke.c` with `extra` link arguments, runs it, checks its output.
fn smoke(name: &str, extra: &[&str]) {
    if !which("cc") {
        skip("the C smoke test", "cc not found");
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
            "-lmedcode_ffi",
        ],
    );
}

#[test]
fn c_smoke_test_against_the_static_library() {
    let a = lib_dir().join("libmedcode_ffi.a");
    assert!(a.exists(), "{} not built", a.display());
    smoke(
        "medcode_smoke_static",
        &[a.to_str().unwrap(), "-ldl", "-lm"],
    );
}
