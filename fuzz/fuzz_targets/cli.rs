//! The `medcode` binary on hostile arguments and input (it runs as a child
//! process, so libFuzzer's coverage does not see inside it: this is a
//! randomised test). First byte even: the rest, split at NUL bytes, is the
//! argument list (bytes, not UTF-8 necessarily; arguments holding `/` are
//! dropped so no file outside fuzz/ is read) and the exit status must be 0,
//! 1, 2 or 3 (`lookup`: validity unknown), never a panic (101). Odd: the rest is the input of `medcode
//! check --max-line-bytes K -` (K from the second byte), which must exit 0
//! with exactly one output line per input line.
//!
//! Needs the release binary: `cargo build --release --features cli` (or
//! `MEDCODE_BIN=path`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Stdio};

fn bin() -> String {
    std::env::var("MEDCODE_BIN")
        .unwrap_or_else(|_| format!("{}/../target/release/medcode", env!("CARGO_MANIFEST_DIR")))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let args: Vec<&OsStr> = rest
            .split(|&b| b == 0)
            .filter(|a| !a.contains(&b'/'))
            .take(8)
            .map(OsStr::from_bytes)
            .collect();
        let out = Command::new(bin())
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("run medcode");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=3)),
            "{args:?}: {code:?} {}",
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        let Some((&k, input)) = rest.split_first() else {
            return;
        };
        let limit = (usize::from(k) + 1).to_string();
        let mut child = Command::new(bin())
            .args(["check", "--max-line-bytes", &limit, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run medcode");
        let mut stdin = child.stdin.take().expect("stdin");
        let owned = input.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&owned);
        });
        let out = child.wait_with_output().expect("wait");
        writer.join().expect("writer");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want = input.split(|&b| b == b'\n').count()
            - usize::from(input.last().map_or(true, |&b| b == b'\n'));
        let got = out.stdout.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&out.stdout));
    }
});
