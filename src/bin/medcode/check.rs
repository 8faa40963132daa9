//! `medcode check`: check claims in JSON Lines.

use crate::summary::{Failed, Summary};
use medcode::hcpcs::HcpcsRelease;
use medcode::io::{read_jsonl_line, JsonlLine};
use medcode::load::{AddonTable, EditLoadError, MueTable, PtpSetting, PtpTable};
use medcode::rules::{Engine, EngineConfig, Severity};
use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The longest input line read by default: 1 MiB, the C ABI's claim limit.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// `medcode check`'s arguments.
#[derive(clap::Args)]
#[command(after_help = "\
Reads claims as JSON Lines (one claim a line) and writes one line per input line:
{\"line\": N, \"claim_id\": ..., \"findings\": [{\"rule\", \"severity\", \"line\", \"field\",
\"codes\", \"message\"}, ...]}. Every \"line\" counts from 1: the record's is the input line,
a finding's the claim line (as the message and a claim form count it; null for the claim
as a whole). Field paths are JSON paths counted from 0: \"lines[2].units\" is line 3.

The engine is configured by --config FILE (the JSON that Rust's EngineConfig, C's
medcode_engine_new and Python's Engine take: {\"disabled\": [...], \"severity\": {...},
\"strict\": true, \"ncci_ptp\": [...], \"mue\": [...], \"addon\": [...], \"hcpcs_file\": ...};
relative paths are from the working directory), then by --disable, --severity, --strict
and the table options, which add to it. `medcode rules` lists the rule ids.
Each table may be CMS's .zip as downloaded. The rows each table loaded go to stderr; a file
with no record, another table's headings or binary content is refused (exit 2). When stderr
is a terminal, a summary follows: claims clean / with errors / with warnings, findings by
severity and by rule, claims per second.

exit status: 0 (findings or not), 1 if the input cannot be read or the output cannot be
written, 2 on usage or table errors")]
pub struct CheckArgs {
    /// The claims (JSON Lines); - or nothing for standard input
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
    /// A CMS NCCI PTP file (repeat for each file; ccipra* = practitioner, ccioph* = hospital)
    #[arg(long = "ncci-ptp", value_name = "PATH")]
    ptp: Vec<PathBuf>,
    /// A CMS MUE table (CSV or tab-separated; repeat for each)
    #[arg(long, value_name = "PATH")]
    mue: Vec<PathBuf>,
    /// A CMS add-on code file (repeat for each)
    #[arg(long, value_name = "PATH")]
    addon: Vec<PathBuf>,
    /// The CMS quarterly HCPCS file to check HCPCS codes and modifiers against (else the bundled release)
    #[arg(long = "hcpcs-file", value_name = "PATH")]
    hcpcs: Option<PathBuf>,
    /// The longest line read; a longer line is not read: its output line holds one
    /// malformed-claim finding "line longer than N bytes"
    #[arg(long = "max-line-bytes", value_name = "N", default_value_t = DEFAULT_MAX_LINE_BYTES,
          value_parser = positive)]
    max_line: usize,
    /// Check on N threads (default: every core; 1: one thread); the output is the
    /// same, in input order, whatever N
    #[arg(long, value_name = "N", value_parser = positive, allow_hyphen_values = true)]
    jobs: Option<usize>,
    /// An engine configuration (JSON): rules disabled, severities, strict mode, tables
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Turn a rule off (repeat for each; `medcode rules` lists the ids)
    #[arg(long, value_name = "RULE")]
    disable: Vec<String>,
    /// Change a rule's severity: RULE=error, warning or info (repeat for each)
    #[arg(long, value_name = "RULE=LEVEL", value_parser = rule_severity)]
    severity: Vec<(String, Severity)>,
    /// Strict mode: a field of a claim that the claim contract does not have
    /// (a misspelling such as "modifer") is an unknown-field finding naming it.
    /// Off by default: claims exported from other systems often carry fields of
    /// their own, which are then ignored
    #[arg(long)]
    strict: bool,
}

/// `RULE=LEVEL` for `--severity`.
fn rule_severity(v: &str) -> Result<(String, Severity), String> {
    let (rule, level) = v
        .split_once('=')
        .ok_or_else(|| "expected RULE=LEVEL, e.g. unspecified-code=warning".to_owned())?;
    let level = level.parse::<Severity>().map_err(|e| e.to_string())?;
    let rule = rule.trim();
    if rule.is_empty() {
        return Err("expected RULE=LEVEL, e.g. unspecified-code=warning".to_owned());
    }
    Ok((rule.to_owned(), level))
}

/// A whole number above zero (`--jobs`, `--max-line-bytes`; clap names the flag).
pub(crate) fn positive(v: &str) -> Result<usize, String> {
    v.trim()
        .parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| "expected a whole number above 0".to_owned())
}

/// The configuration the arguments give: `--config`'s file, then the
/// options, which add to it.
fn config(a: &CheckArgs) -> Result<EngineConfig, String> {
    let mut c = match &a.config {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).map_err(|e| format!("--config {}: {e}", p.display()))?;
            EngineConfig::from_json(&text).map_err(|e| format!("--config {}: {e}", p.display()))?
        }
        None => EngineConfig::default(),
    };
    c.disabled.extend(a.disable.iter().cloned());
    c.severity.extend(a.severity.iter().cloned());
    c.strict |= a.strict;
    c.ncci_ptp.extend(a.ptp.iter().cloned());
    c.mue.extend(a.mue.iter().cloned());
    c.addon.extend(a.addon.iter().cloned());
    if a.hcpcs.is_some() {
        c.hcpcs_file.clone_from(&a.hcpcs);
    }
    Ok(c)
}

/// `PATH: why` for a table that did not load, the path said once (an I/O
/// error names it already).
fn table_error(p: &std::path::Path, e: EditLoadError) -> String {
    match e {
        EditLoadError::Io { source, .. } => format!("{}: {source}", p.display()),
        e => format!("{}: {e}", p.display()),
    }
}

/// Builds the engine the arguments configure, loading the tables they name
/// and saying on stderr how many rows each holds (a file the loaders refuse
/// stops the run before any claim is read).
fn build(a: &CheckArgs) -> Result<Engine, String> {
    let c = config(a)?;
    let mut b = Engine::builder().strict(c.strict);
    for id in &c.disabled {
        b = b.disable(id);
    }
    for (id, level) in &c.severity {
        b = b.severity(id, *level);
    }
    for p in &c.ncci_ptp {
        let t = PtpTable::load(p).map_err(|e| table_error(p, e))?;
        let setting = match t.setting() {
            PtpSetting::Practitioner => "practitioner",
            PtpSetting::Hospital => "outpatient hospital",
            PtpSetting::Any => "every claim",
        };
        eprintln!(
            "medcode check: {}: {} NCCI PTP edits ({setting})",
            p.display(),
            t.len()
        );
        b = b.ncci_ptp(t);
    }
    for p in &c.mue {
        let t = MueTable::load(p).map_err(|e| table_error(p, e))?;
        eprintln!("medcode check: {}: {} MUE codes", p.display(), t.len());
        b = b.mue(t);
    }
    for p in &c.addon {
        let t = AddonTable::load(p).map_err(|e| table_error(p, e))?;
        eprintln!("medcode check: {}: {} add-on codes", p.display(), t.len());
        b = b.addon(t);
    }
    if let Some(p) = &c.hcpcs_file {
        let r = HcpcsRelease::load(p).map_err(|e| match e {
            // The path said once.
            medcode::hcpcs::HcpcsLoadError::Io { source, .. } => {
                format!("--hcpcs-file {}: {source}", p.display())
            }
            e => format!("--hcpcs-file {}: {e}", p.display()),
        })?;
        eprintln!(
            "medcode check: {}: {} HCPCS codes, {} modifiers",
            p.display(),
            r.len(),
            r.modifiers().len()
        );
        let name = p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        b = b.hcpcs(r, name);
    }
    b.build().map_err(|e| match e {
        medcode::rules::EngineError::UnknownRule(id) => {
            format!("unknown rule id {id:?} (`medcode rules` lists them)")
        }
        e => e.to_string(),
    })
}

/// Runs `medcode check` with its parsed arguments.
pub fn run(args: CheckArgs) -> ExitCode {
    let engine = match build(&args) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("medcode: {e}");
            return ExitCode::from(2);
        }
    };
    let input: Box<dyn Read> = match args.input.as_deref() {
        None => Box::new(io::stdin().lock()),
        Some(p) if p.as_os_str() == OsStr::new("-") => Box::new(io::stdin().lock()),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("medcode: {}: {e}", path.display());
                return ExitCode::from(1);
            }
        },
    };
    if let Err(e) = crate::stdout_open() {
        eprintln!("medcode: writing findings: {e}");
        return ExitCode::from(1);
    }
    let tty = io::stderr().is_terminal();
    if tty {
        for r in engine.coverage().inactive() {
            if let Some(why) = r.note {
                eprintln!("medcode check: {} inactive: {why}", r.id);
            }
        }
    }
    let jobs = medcode::io::jobs_or_all_cores(args.jobs.unwrap_or(0));
    let mut out = BufWriter::new(io::stdout().lock());
    let checked = if jobs > 1 {
        crate::parallel::check_stream_parallel(
            &engine,
            BufReader::new(input),
            &mut out,
            args.max_line,
            tty,
            jobs,
        )
    } else {
        check_stream(&engine, BufReader::new(input), &mut out, args.max_line, tty)
    };
    match checked {
        Ok(summary) => {
            if tty {
                summary.print();
            }
            ExitCode::SUCCESS
        }
        // A closed pipe (`| head`) is not an error worth a message.
        Err(Failed::Writing(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failed::Writing(e)) => {
            eprintln!("medcode: writing findings: {e}");
            ExitCode::from(1)
        }
        Err(Failed::Reading(e)) => {
            eprintln!("medcode: reading claims: {e}");
            ExitCode::from(1)
        }
    }
}

fn check_stream(
    engine: &Engine,
    mut input: impl BufRead,
    out: &mut impl Write,
    limit: usize,
    tty: bool,
) -> Result<Summary, Failed> {
    let mut summary = Summary::default();
    let mut buf = Vec::new();
    let mut n = 0usize;
    while let Some(line) = read_jsonl_line(&mut input, &mut buf, limit).map_err(Failed::Reading)? {
        n += 1;
        let report = match line {
            JsonlLine::Read => engine.check_json_bytes(&buf),
            JsonlLine::TooLong => engine.line_too_long(limit),
        };
        summary.add(&report);
        let written = out
            .write_all(report.to_jsonl(Some(n)).as_bytes())
            .and_then(|()| out.write_all(b"\n"));
        written.map_err(Failed::Writing)?;
        if tty && n.is_multiple_of(10_000) {
            eprint!("\rmedcode check: {n} claims");
        }
    }
    out.flush().map_err(Failed::Writing)?;
    Ok(summary)
}
