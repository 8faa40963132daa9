//! The README's shell examples run as written.
//!
//! Every ```` ```sh ```` block of README.md is run from the repository root,
//! one command a line (a line ending in `\` continues on the next; `# …`
//! comments are left to the shell), with `medcode` on `PATH` being the CLI
//! this test build produced. A command passes when it exits 0; `medcode
//! lookup` may also exit 1 (not valid on the date, or not a code) or 3
//! (validity unknown: CPT, modifiers), its documented answers, but never 2
//! (usage or file error). Unmarked blocks may run `medcode` only.
//!
//! The conventions, each an HTML comment on the line just before a fence:
//!
//! - `<!-- not run: REASON -->` — the block is not run (it builds, installs,
//!   downloads, needs files that are not in the repository, or takes minutes);
//!   the reason is required.
//! - `<!-- output of: COMMAND -->` — the block (any language) shows output
//!   of `COMMAND`: each of its non-empty lines must be a line of the
//!   command's standard output.
//!
//! Rust blocks are doctests (src/lib.rs includes README.md).
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A fenced block: its language, the marker comment before it, its lines.
struct Block {
    line: usize,
    lang: String,
    marker: Option<String>,
    body: Vec<String>,
}

fn blocks(readme: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = readme.lines().enumerate();
    let mut previous = "";
    while let Some((i, line)) = lines.next() {
        if let Some(lang) = line.strip_prefix("```") {
            let marker = previous
                .trim()
                .strip_prefix("<!--")
                .and_then(|m| m.strip_suffix("-->"))
                .map(|m| m.trim().to_owned());
            let mut body = Vec::new();
            for (_, l) in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                body.push(l.to_owned());
            }
            out.push(Block {
                line: i + 1,
                lang: lang.trim().to_owned(),
                marker,
                body,
            });
            previous = "";
        } else {
            previous = line;
        }
    }
    out
}

/// The commands of a shell block: continuation lines joined, blank and
/// comment-only lines dropped.
fn commands(body: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in body {
        if let Some(head) = line.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        let command = std::mem::take(&mut current);
        let trimmed = command.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push(trimmed.to_owned());
        }
    }
    assert!(current.is_empty(), "a block ends in a continuation line");
    out
}

/// A folder holding `medcode`: a link to the CLI of this test build (made
/// once for the tests of this process).
fn bin_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("readme_commands_bin");
        std::fs::create_dir_all(&dir).expect("create the bin folder");
        let link = dir.join("medcode");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_medcode"), &link).expect("link medcode");
        dir
    })
}

fn run(root: &Path, bin: &Path, command: &str) -> Output {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin.to_owned()];
    dirs.extend(std::env::split_paths(&path));
    Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root)
        .env("PATH", std::env::join_paths(dirs).expect("PATH"))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run sh -c {command:?}: {e}"))
}

/// Exit statuses that are answers, not failures, for a command.
fn accepted(command: &str) -> &'static [i32] {
    if command.starts_with("medcode lookup ") {
        &[0, 1, 3]
    } else {
        &[0]
    }
}

fn readme() -> (PathBuf, Vec<Block>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("README.md")).expect("read README.md");
    (root, blocks(&text))
}

#[test]
fn every_unmarked_sh_block_runs() {
    let (root, blocks) = readme();
    let bin = bin_dir();
    let mut ran = 0;
    let mut failures = Vec::new();
    for b in blocks
        .iter()
        .filter(|b| matches!(b.lang.as_str(), "sh" | "bash" | "shell"))
    {
        match &b.marker {
            Some(m) if m.starts_with("not run:") => {
                assert!(
                    m["not run:".len()..].trim().len() > 3,
                    "README.md line {}: `<!-- not run: REASON -->` needs a reason",
                    b.line
                );
                continue;
            }
            _ => {}
        }
        for command in commands(&b.body) {
            if !command.starts_with("medcode ") {
                failures.push(format!(
                    "README.md block at line {}: `{command}` is not a `medcode` command; \
                     mark the block `<!-- not run: REASON -->` if it cannot run in a test",
                    b.line
                ));
                continue;
            }
            let out = run(&root, bin, &command);
            ran += 1;
            let status = out.status.code();
            if !status.is_some_and(|s| accepted(&command).contains(&s)) {
                failures.push(format!(
                    "README.md block at line {}: `{command}` exited {status:?}\nstderr: {}",
                    b.line,
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    eprintln!("{ran} README commands ran");
    assert!(
        ran >= 10,
        "only {ran} README commands ran: is the parser broken?"
    );
}

#[test]
fn shown_output_matches() {
    let (root, blocks) = readme();
    let bin = bin_dir();
    let mut checked = 0;
    for b in &blocks {
        let Some(command) = b
            .marker
            .as_deref()
            .and_then(|m| m.strip_prefix("output of:"))
        else {
            continue;
        };
        let command = command.trim();
        let out = run(&root, bin, command);
        assert!(
            out.status.success(),
            "`{command}` (README.md line {}) failed",
            b.line
        );
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
        for line in b.body.iter().filter(|l| !l.trim().is_empty()) {
            assert!(
                stdout.lines().any(|o| o == line),
                "README.md block at line {}: `{command}` printed no line\n{line}\nit printed:\n{stdout}",
                b.line
            );
        }
        checked += 1;
    }
    assert!(checked >= 1, "no `<!-- output of: … -->` block found");
}

#[test]
fn markers_are_known() {
    let (_, blocks) = readme();
    for b in &blocks {
        if let Some(m) = &b.marker {
            assert!(
                m.starts_with("not run:") || m.starts_with("output of:"),
                "README.md line {}: unknown marker `<!-- {m} -->` before a block",
                b.line
            );
        }
    }
}
