//! The README's shell examples run as written.
//!
//! Every ```` ```sh ```` block of README.md is run from the repository root,
//! one command a line (a line ending in `\` continues on the next; `# …`
//! comments are left to the shell), with `medcode` on `PATH` being the CLI
//! this test build produced. A command passes when it exits 0, except a
//! `medcode lookup`, whose exit status is its answer (0 valid on the date,
//! 1 not valid or not a code, 3 validity unknown: CPT, modifiers not in a
//! file): each must exit with the status [`LOOKUP_STATUS`] pins for it, so a
//! changed answer fails. A lookup in the README missing from that table, or
//! an entry no longer in the README, fails too. Unmarked blocks may run
//! `medcode` only.
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

/// The expected exit status of each `medcode lookup` in README.md's run
/// blocks, and why it is right (the README's `# …` comments are not part of
/// the command: see [`lookup_key`]). The status is the answer, so each is
/// checked against what the command asks, not just recorded: 0 valid on the
/// date (undated: today, answered as of the bundled horizon when later), 1
/// not valid or not a code, 3 validity unknown (CPT, CDT, a modifier in no
/// file); 2, a usage or file error, is never right here.
const LOOKUP_STATUS: &[(&str, i32, &str)] = &[
    (
        "medcode lookup E11.9",
        0,
        "ICD-10-CM E11.9 is billable from FY2016 on and still valid",
    ),
    (
        "medcode lookup LT",
        0,
        "modifier LT is in the bundled HCPCS release, valid since 1984",
    ),
    (
        "medcode lookup E11.9 --date 2026-01-01",
        0,
        "E11.9 is valid on 2026-01-01 (FY2026); the README says exit 0",
    ),
    (
        "medcode lookup e119 --json",
        0,
        "e119 is E11.9, valid; --json does not change the status",
    ),
    (
        "medcode lookup 0SRD0JZ",
        0,
        "ICD-10-PCS 0SRD0JZ is valid from FY2016 on",
    ),
    (
        "medcode lookup 99213",
        3,
        "CPT: no dated CPT code set is bundled, so validity is unknown",
    ),
    (
        "medcode lookup E1130 --date 2025-11-01",
        0,
        "HCPCS E1130 is in the October 2025 release, valid since 1986; the README says VALID",
    ),
    (
        "medcode lookup J1100",
        0,
        "ambiguous; HCPCS J1100 and ICD-10-CM J11.00 are both valid (0 if either is)",
    ),
];

/// A command as [`LOOKUP_STATUS`] names it: its words before a `#` comment,
/// one space apart.
fn lookup_key(command: &str) -> String {
    command
        .split_whitespace()
        .take_while(|w| !w.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_lookup(command: &str) -> bool {
    command.starts_with("medcode lookup ")
}

/// The exit status a command must have, or why there is none.
fn expected_status(command: &str) -> Result<i32, String> {
    if !is_lookup(command) {
        return Ok(0);
    }
    let key = lookup_key(command);
    LOOKUP_STATUS
        .iter()
        .find(|(c, _, _)| *c == key)
        .map(|&(_, status, _)| status)
        .ok_or_else(|| {
            format!(
                "`{key}` has no expected exit status: add it to LOOKUP_STATUS in \
                 tests/readme_commands.rs, with the status that is right for what it asks \
                 (0 valid, 1 not valid or not a code, 3 validity unknown) and why"
            )
        })
}

fn readme() -> (PathBuf, Vec<Block>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("README.md")).expect("read README.md");
    (root, blocks(&text))
}

/// The shell blocks that run (not marked `<!-- not run: … -->`), with
/// their line in README.md.
fn run_blocks(blocks: &[Block]) -> impl Iterator<Item = &Block> {
    blocks
        .iter()
        .filter(|b| matches!(b.lang.as_str(), "sh" | "bash" | "shell"))
        .filter(|b| {
            let Some(m) = b.marker.as_deref().and_then(|m| m.strip_prefix("not run:")) else {
                return true;
            };
            assert!(
                m.trim().len() > 3,
                "README.md line {}: `<!-- not run: REASON -->` needs a reason",
                b.line
            );
            false
        })
}

#[test]
fn every_unmarked_sh_block_runs() {
    let (root, blocks) = readme();
    let bin = bin_dir();
    let mut ran = 0;
    let mut failures = Vec::new();
    for b in run_blocks(&blocks) {
        for command in commands(&b.body) {
            if !command.starts_with("medcode ") {
                failures.push(format!(
                    "README.md block at line {}: `{command}` is not a `medcode` command; \
                     mark the block `<!-- not run: REASON -->` if it cannot run in a test",
                    b.line
                ));
                continue;
            }
            let expected = match expected_status(&command) {
                Ok(status) => status,
                Err(why) => {
                    failures.push(format!("README.md block at line {}: {why}", b.line));
                    continue;
                }
            };
            let out = run(&root, bin, &command);
            ran += 1;
            let status = out.status.code();
            if status != Some(expected) {
                failures.push(format!(
                    "README.md block at line {}: `{command}` exited {status:?}, expected {expected}\n\
                     stdout: {}\nstderr: {}",
                    b.line,
                    String::from_utf8_lossy(&out.stdout),
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

/// [`LOOKUP_STATUS`] lists exactly the lookups of README.md's run blocks,
/// each once, with a status that is an answer and a reason.
#[test]
fn lookup_status_table_matches_the_readme() {
    let (_, blocks) = readme();
    let in_readme: Vec<String> = run_blocks(&blocks)
        .flat_map(|b| commands(&b.body))
        .filter(|c| is_lookup(c))
        .map(|c| lookup_key(&c))
        .collect();
    let mut problems = Vec::new();
    for command in &in_readme {
        if let Err(why) = expected_status(command) {
            problems.push(why);
        }
    }
    for (i, &(command, status, why)) in LOOKUP_STATUS.iter().enumerate() {
        if !in_readme.iter().any(|c| c == command) {
            problems.push(format!(
                "LOOKUP_STATUS lists `{command}`, which is no longer a lookup in README.md's \
                 run blocks: remove it from tests/readme_commands.rs (or fix it to match the README)"
            ));
        }
        if LOOKUP_STATUS[..i].iter().any(|(c, _, _)| *c == command) {
            problems.push(format!("LOOKUP_STATUS lists `{command}` twice"));
        }
        if lookup_key(command) != command {
            problems.push(format!(
                "LOOKUP_STATUS entry `{command}` is not written as its words one space apart"
            ));
        }
        if ![0, 1, 3].contains(&status) || why.trim().is_empty() {
            problems.push(format!(
                "LOOKUP_STATUS entry `{command}`: status {status} must be 0, 1 or 3, with a reason"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
