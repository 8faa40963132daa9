//! `medcode check`: check claims in JSON Lines.

use medcode::hcpcs::HcpcsRelease;
use medcode::load::{AddonTable, MueTable, PtpSetting, PtpTable};
use medcode::rules::Engine;
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub const USAGE: &str = "\
  medcode check [FILE|-] [--ncci-ptp PATH]... [--mue PATH]... [--addon PATH]... [--hcpcs-file PATH]";

const HELP: &str = "\
check    reads claims as JSON Lines (one claim a line; FILE or - for stdin) and writes
         one line per input line: {\"line\": N, \"claim_id\": ..., \"findings\": [...]}
--ncci-ptp  a CMS NCCI PTP file (repeat for each file; ccipra* = practitioner, ccioph* = hospital)
--mue       a CMS MUE table (CSV or tab-separated)
--addon     a CMS add-on code file
--hcpcs-file  the CMS quarterly HCPCS file to check HCPCS codes and modifiers against
Each table may be CMS's .zip as downloaded. The rows each table loaded go to stderr; a file
with no record, another table's headings or binary content is refused (exit 2).
exit status: 0 (findings or not), 1 if the input cannot be read, 2 on usage or table errors";

struct Args {
    input: Option<String>,
    ptp: Vec<PathBuf>,
    mue: Vec<PathBuf>,
    addon: Vec<PathBuf>,
    hcpcs: Option<PathBuf>,
}

fn parse(raw: Vec<String>) -> Result<Args, String> {
    let mut a = Args {
        input: None,
        ptp: Vec::new(),
        mue: Vec::new(),
        addon: Vec::new(),
        hcpcs: None,
    };
    let mut it = raw.into_iter();
    while let Some(s) = it.next() {
        let (flag, inline) = match s.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (s.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(format!("{name} needs a PATH"))
        };
        match flag.as_str() {
            "--ncci-ptp" => a.ptp.push(value("--ncci-ptp")?.into()),
            "--mue" => a.mue.push(value("--mue")?.into()),
            "--addon" => a.addon.push(value("--addon")?.into()),
            "--hcpcs-file" => a.hcpcs = Some(value("--hcpcs-file")?.into()),
            "-h" | "--help" => return Err(String::new()),
            f if f.starts_with("--") => return Err(format!("unknown option {f}")),
            _ if a.input.is_some() => return Err("check takes one FILE (or -)".into()),
            _ => a.input = Some(s),
        }
    }
    Ok(a)
}

/// Loads the tables the arguments name, saying on stderr how many rows each
/// holds (a file the loaders refuse stops the run before any claim is read).
fn build(a: &Args) -> Result<Engine, String> {
    let mut b = Engine::builder();
    for p in &a.ptp {
        let t = PtpTable::load(p).map_err(|e| format!("{}: {e}", p.display()))?;
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
    for p in &a.mue {
        let t = MueTable::load(p).map_err(|e| format!("{}: {e}", p.display()))?;
        eprintln!("medcode check: {}: {} MUE codes", p.display(), t.len());
        b = b.mue(t);
    }
    for p in &a.addon {
        let t = AddonTable::load(p).map_err(|e| format!("{}: {e}", p.display()))?;
        eprintln!("medcode check: {}: {} add-on codes", p.display(), t.len());
        b = b.addon(t);
    }
    if let Some(p) = &a.hcpcs {
        let r = HcpcsRelease::load(p).map_err(|e| format!("{}: {e}", p.display()))?;
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
    b.build().map_err(|e| e.to_string())
}

/// Runs `medcode check` with the arguments after `check`.
pub fn run(raw: Vec<String>) -> ExitCode {
    let args = match parse(raw) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("usage:\n{USAGE}\n\n{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("medcode: {e}\nusage:\n{USAGE}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let engine = match build(&args) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("medcode: {e}");
            return ExitCode::from(2);
        }
    };
    let input: Box<dyn Read> = match args.input.as_deref() {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("medcode: {path}: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let tty = io::stderr().is_terminal();
    if tty {
        let inactive: Vec<_> = engine.coverage().inactive().map(|r| r.id).collect();
        if !inactive.is_empty() {
            eprintln!(
                "medcode check: inactive (no table loaded): {}",
                inactive.join(", ")
            );
        }
    }
    match check_stream(&engine, BufReader::new(input), tty) {
        Ok(summary) => {
            if tty {
                summary.print();
            }
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("medcode: reading claims: {e}");
            ExitCode::from(1)
        }
    }
}

#[derive(Default)]
struct Summary {
    claims: usize,
    by_rule: BTreeMap<String, usize>,
    malformed: usize,
}

impl Summary {
    fn print(&self) {
        let total: usize = self.by_rule.values().sum();
        eprintln!(
            "\rmedcode check: {} claims ({} malformed), {total} findings",
            self.claims, self.malformed
        );
        let mut rows: Vec<_> = self.by_rule.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (rule, n) in rows {
            eprintln!("  {n:>8}  {rule}");
        }
    }
}

fn check_stream(engine: &Engine, mut input: impl BufRead, tty: bool) -> io::Result<Summary> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut summary = Summary::default();
    let mut buf = Vec::new();
    let mut n = 0usize;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        n += 1;
        let text = String::from_utf8_lossy(&buf);
        let line = text.trim_end_matches(['\n', '\r']);
        let report = engine.check_json(line);
        summary.claims += 1;
        for f in &report.findings {
            *summary.by_rule.entry(f.rule.to_string()).or_default() += 1;
        }
        if report.claim_id.is_none()
            && report
                .findings
                .iter()
                .any(|f| f.rule == "malformed-claim" && f.field.is_none())
        {
            summary.malformed += 1;
        }
        out.write_all(report.to_jsonl(Some(n)).as_bytes())?;
        out.write_all(b"\n")?;
        if tty && n % 10_000 == 0 {
            eprint!("\rmedcode check: {n} claims");
        }
    }
    out.flush()?;
    Ok(summary)
}
