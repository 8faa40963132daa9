//! The `medcode` command-line tool (feature `cli`).
//!
//! ```text
//! medcode lookup CODE [--system SYSTEM] [--date YYYY-MM-DD] [--json]
//!                [--hcpcs-file PATH] [--cpt-descriptors PATH]
//! medcode export icd10cm|icd10pcs|hcpcs [--date YYYY-MM-DD] [--hcpcs-file PATH]
//! medcode check [FILE|-] [--ncci-ptp PATH]... [--mue PATH]... [--addon PATH]... [--hcpcs-file PATH]
//! ```
//! Exit status: 0 when the code is valid on the date, 1 otherwise, 2 on usage errors.
#![forbid(unsafe_code)]

mod check;
mod parallel;

use medcode::hcpcs::{self, HcpcsRelease};
use medcode::load::CptDescriptors;
use medcode::lookup::{self, LookupAnswer, LookupReport, System, UserFiles};
use medcode::{icd10cm, icd10pcs, Date};
use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  medcode lookup CODE [--system icd10cm|icd10pcs|cpt|hcpcs] [--date YYYY-MM-DD] [--json]
                 [--hcpcs-file PATH] [--cpt-descriptors PATH]
  medcode export icd10cm|icd10pcs|hcpcs [--date YYYY-MM-DD] [--hcpcs-file PATH]
  medcode releases
  medcode check [FILE|-] [--ncci-ptp PATH]... [--mue PATH]... [--addon PATH]... [--hcpcs-file PATH]
  medcode --help | --version

lookup   what the bundled tables say about CODE on the date (default: today);
         without --system the system is chosen from the code's syntax
export   the code set as of the date: tab-separated code, billable, title
--hcpcs-file       the CMS quarterly HCPCS file (HCPC<year>_<MON>_ANWEB_<date>.txt)
--cpt-descriptors  a CPT descriptor file you are licensed for (tab/comma/fixed width)
releases the bundled releases of each system with their code counts
check    check claims (JSON Lines in, one JSON line of findings out per input line;
         `medcode check --help` for the options)
exit status: 0 valid, 1 not valid / not a code, 2 usage error";

struct Args {
    positional: Vec<String>,
    date: Option<Date>,
    json: bool,
    system: Option<System>,
    hcpcs_file: Option<PathBuf>,
    cpt_descriptors: Option<PathBuf>,
}

fn parse_args(raw: impl Iterator<Item = OsString>) -> Result<Args, String> {
    let mut args = Args {
        positional: Vec::new(),
        date: None,
        json: false,
        system: None,
        hcpcs_file: None,
        cpt_descriptors: None,
    };
    let mut raw = raw.peekable();
    // Codes, dates and options are text; file names need not be.
    let text = |a: OsString| {
        a.into_string()
            .map_err(|a| format!("argument {:?} is not valid UTF-8", a.to_string_lossy()))
    };
    while let Some(a) = raw.next() {
        let a = text(a)?;
        match a.as_str() {
            "--json" => args.json = true,
            "--date" => {
                let v = text(raw.next().ok_or("--date needs a value (YYYY-MM-DD)")?)?;
                args.date = Some(v.parse().map_err(|e| format!("--date {v:?}: {e}"))?);
            }
            "--hcpcs-file" => {
                args.hcpcs_file = Some(raw.next().ok_or("--hcpcs-file needs a PATH")?.into())
            }
            "--cpt-descriptors" => {
                args.cpt_descriptors =
                    Some(raw.next().ok_or("--cpt-descriptors needs a PATH")?.into())
            }
            "--system" => {
                let v = text(
                    raw.next()
                        .ok_or("--system needs a value (icd10cm or icd10pcs)")?,
                )?;
                args.system = Some(v.parse().map_err(|e| format!("--system: {e}"))?);
            }
            s if s.starts_with("--system=") => {
                args.system = Some(
                    s["--system=".len()..]
                        .parse()
                        .map_err(|e| format!("--system: {e}"))?,
                );
            }
            s if s.starts_with("--date=") => {
                let v = &s["--date=".len()..];
                args.date = Some(v.parse().map_err(|e| format!("--date {v:?}: {e}"))?);
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => args.positional.push(a),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    // `args_os`: a file name that is not UTF-8 is still a file name.
    let mut raw = std::env::args_os().skip(1);
    let Some(cmd) = raw.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Some(cmd) = cmd.to_str().map(str::to_owned) else {
        return usage_error(&format!("unknown command {:?}", cmd.to_string_lossy()));
    };
    match cmd.as_str() {
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        "-V" | "--version" => {
            println!("medcode {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        "check" => return check::run(raw.collect()),
        _ => {}
    }
    let args = match parse_args(raw) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    if let Err(e) = stdout_open() {
        eprintln!("medcode: writing to standard output: {e}");
        return ExitCode::from(1);
    }
    let result = match cmd.as_str() {
        "lookup" => run_lookup(&args),
        "export" => run_export(&args),
        "releases" => run_releases(),
        other => return usage_error(&format!("unknown command {other:?}")),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(e)) => usage_error(&e),
        Err(Failure::File(e)) => {
            eprintln!("medcode: {e}");
            ExitCode::from(2)
        }
        // A closed pipe (`| head`) is not an error worth a message.
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        // Only writing the answer does I/O here (files are Failure::File).
        Err(Failure::Io(e)) => {
            eprintln!("medcode: writing to standard output: {e}");
            ExitCode::from(1)
        }
    }
}

/// Fails when standard output is closed (`>&-`). Rust's runtime reopens a
/// closed standard output on `/dev/null` before `main`, so writes would
/// succeed and the command exit 0 having written nothing. On Linux that
/// reopened descriptor shows as `/dev/null` opened read-write, which a
/// shell's `>/dev/null` (write-only) never is; elsewhere the check cannot
/// tell and passes.
pub(crate) fn stdout_open() -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let to_null = std::fs::read_link("/proc/self/fd/1")
            .is_ok_and(|p| p.as_os_str() == std::ffi::OsStr::new("/dev/null"));
        let read_write = || {
            let info = std::fs::read_to_string("/proc/self/fdinfo/1").unwrap_or_default();
            info.lines()
                .find_map(|l| l.strip_prefix("flags:"))
                .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                .is_some_and(|f| f & 0o3 == 0o2)
        };
        if to_null && read_write() {
            return Err(io::Error::other("standard output is closed"));
        }
    }
    Ok(())
}

enum Failure {
    Usage(String),
    /// A user file that could not be read or parsed.
    File(String),
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("medcode: {msg}\n{USAGE}");
    ExitCode::from(2)
}

fn run_lookup(args: &Args) -> Result<ExitCode, Failure> {
    let [code] = args.positional.as_slice() else {
        return Err(Failure::Usage("lookup takes exactly one CODE".into()));
    };
    let date = args.date.unwrap_or_else(Date::today);
    let hcpcs = load_hcpcs(args)?;
    let cpt = match &args.cpt_descriptors {
        Some(path) => Some(
            CptDescriptors::load(path)
                .map_err(|e| Failure::File(format!("{}: {e}", path.display())))?,
        ),
        None => None,
    };
    let files = UserFiles {
        hcpcs: hcpcs.as_ref(),
        cpt_descriptors: cpt.as_ref(),
    };
    let answer = match args.system {
        Some(system) => LookupAnswer::One(lookup::lookup_in_with(system, code, date, files)),
        None => lookup::lookup_with(code, date, files),
    };
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &answer).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        if let LookupAnswer::Ambiguous { matches, .. } = &answer {
            let systems: Vec<&str> = matches.iter().map(|r| r.system.as_str()).collect();
            writeln!(
                out,
                "{code:?} is ambiguous: a code in {}",
                systems.join(" and ")
            )?;
        }
        for report in answer.reports() {
            write_human(&mut out, report)?;
        }
    }
    Ok(if answer.valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn load_hcpcs(args: &Args) -> Result<Option<HcpcsRelease>, Failure> {
    match &args.hcpcs_file {
        Some(path) => HcpcsRelease::load(path)
            .map(Some)
            .map_err(|e| Failure::File(format!("{}: {e}", path.display()))),
        None => Ok(None),
    }
}

fn write_human(out: &mut impl Write, r: &LookupReport) -> io::Result<()> {
    let name = r.system.display_name();
    let Some(code) = &r.code else {
        return writeln!(
            out,
            "{:?} is not an {name} code: {}",
            r.input,
            r.error.as_deref().unwrap_or("?")
        );
    };
    if let Some(category) = r.category {
        writeln!(out, "{code}: {name} {category}")?;
    }
    if let Some(lookup::Grouping::Named { name, subsection }) = r.section {
        let sub = subsection.map(|s| format!(" / {s}")).unwrap_or_default();
        writeln!(out, "  section: {name}{sub}")?;
    }
    if let Some(note) = &r.note {
        writeln!(out, "  note: {note}")?;
    }
    if !r.in_table {
        if r.category.is_none() {
            writeln!(
                out,
                "{code}: valid {name} syntax, but not a code in any bundled release"
            )?;
        }
        return Ok(());
    }
    let unknown = "(title unknown: no source titles this code)";
    writeln!(out, "{code}  {}", r.title.as_deref().unwrap_or(unknown))?;
    if let Some(short) = &r.short_title {
        writeln!(out, "  short title: {short}")?;
    }
    if let Some(then) = &r.title_on_date {
        writeln!(out, "  title on {}: {then}", r.date)?;
    }
    let kind = match (r.billable, r.header) {
        (true, true) => "billable in some releases, a header in others",
        (true, false) => "billable",
        (false, _) if r.requires_seventh_character == Some(true) => {
            "header (needs a 7th character)"
        }
        (false, _) => "header, not billable",
    };
    writeln!(out, "  system: {name}; kind: {kind}")?;
    let release = r
        .release
        .map_or("no release".to_owned(), |rel| rel.to_string());
    let release = match &r.release_file {
        Some(file) => format!("{release}, {file}"),
        None => release,
    };
    writeln!(
        out,
        "  on {}: {} [{release}]",
        r.date,
        if r.valid { "VALID" } else { "not valid" }
    )?;
    if r.beyond_horizon {
        writeln!(
            out,
            "  note: {} is after the bundled tables' horizon; answered as of the horizon",
            r.date
        )?;
    }
    if let Some(from) = r.valid_from {
        let to = r
            .valid_to
            .map_or("still valid".to_owned(), |d| d.to_string());
        writeln!(out, "  validity window: {from} to {to}")?;
    }
    if let Some(p) = &r.parent {
        writeln!(out, "  parent: {p}")?;
    }
    if let Some(c) = &r.replaces {
        writeln!(
            out,
            "  replaces (from {}): {}",
            c.effective, c.previous_text
        )?;
    }
    if !r.replaced_by.is_empty() {
        let by: Vec<String> = r
            .replaced_by
            .iter()
            .map(|c| format!("{} (from {})", c.code, c.effective))
            .collect();
        writeln!(out, "  replaced by: {}", by.join(", "))?;
    }
    if let Some(ch) = r.chapter {
        writeln!(
            out,
            "  chapter {}: {} ({}-{})",
            ch.number, ch.title, ch.first, ch.last
        )?;
    }
    if let Some(lookup::Grouping::Block(s)) = r.section {
        writeln!(out, "  block {}-{}: {}", s.first, s.last, s.title)?;
    }
    if let Some(axes) = &r.axes {
        for a in axes {
            let name = a.name.unwrap_or("axis");
            writeln!(
                out,
                "  {} {name:<14} {}  {}",
                a.position,
                a.value,
                a.label.unwrap_or("(label unknown)")
            )?;
        }
    }
    if !r.mce.is_empty() {
        writeln!(out, "  MCE flags: {}", r.mce.join(", "))?;
    }
    if let Some(cc) = r.cc {
        let level = match cc.level {
            icd10cm::CcLevel::Cc => "CC",
            icd10cm::CcLevel::Mcc => "MCC",
        };
        let group = cc
            .pdx_exclusion_group
            .map_or("no PDX exclusions".to_owned(), |g| {
                format!("PDX exclusion group {g:04}")
            });
        let alive = if cc.alive_only {
            ", only if discharged alive"
        } else {
            ""
        };
        writeln!(out, "  {level} (MS-DRG v43), {group}{alive}")?;
    }
    Ok(())
}

fn run_export(args: &Args) -> Result<ExitCode, Failure> {
    let system = match args.positional.as_slice() {
        [system] => system
            .parse::<System>()
            .map_err(|e| Failure::Usage(format!("export: {e}")))?,
        _ => return Err(Failure::Usage("export takes one system name".into())),
    };
    let date = args.date.unwrap_or_else(Date::today);
    let hcpcs = if system == System::Hcpcs {
        load_hcpcs(args)?
    } else {
        None
    };
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(out, "code\tbillable\ttitle")?;
    match system {
        System::Icd10Cm => {
            for info in icd10cm::table_on(date) {
                let billable = u8::from(info.valid_on(date));
                writeln!(
                    out,
                    "{}\t{billable}\t{}",
                    info.code(),
                    info.title().unwrap_or("")
                )?;
            }
        }
        System::Icd10Pcs => {
            for info in icd10pcs::valid_on(date) {
                writeln!(out, "{}\t1\t{}", info.code(), info.title().unwrap_or(""))?;
            }
        }
        System::Hcpcs => {
            // The file given, else the release compiled in.
            let rows: Vec<(String, String)> = match &hcpcs {
                Some(release) => release
                    .valid_on(date)
                    .map(|e| (e.code().to_string(), e.title().unwrap_or("").to_owned()))
                    .collect(),
                None => hcpcs::bundled()
                    .valid_on(date)
                    .map(|e| (e.code().to_string(), e.title().unwrap_or("").to_owned()))
                    .collect(),
            };
            for (code, title) in rows {
                writeln!(out, "{code}\t1\t{title}")?;
            }
        }
        System::Cpt => {
            return Err(Failure::Usage(
                "export cpt: medcode bundles no CPT code set (AMA content); nothing to export"
                    .into(),
            ))
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_releases() -> Result<ExitCode, Failure> {
    let mut out = io::stdout().lock();
    writeln!(out, "ICD-10-CM (billable codes valid on each release date)")?;
    for r in icd10cm::releases() {
        writeln!(
            out,
            "  {}\t{r}\t{}",
            r.effective,
            icd10cm::billable_on(r.effective).count()
        )?;
    }
    writeln!(out, "  horizon\t{}", icd10cm::horizon())?;
    writeln!(out, "ICD-10-PCS (codes valid on each release date)")?;
    for r in icd10pcs::releases() {
        writeln!(
            out,
            "  {}\t{r}\t{}",
            r.effective,
            icd10pcs::valid_on(r.effective).count()
        )?;
    }
    writeln!(out, "  horizon\t{}", icd10pcs::horizon())?;
    let h = hcpcs::bundled();
    writeln!(
        out,
        "HCPCS Level II ({}: codes valid on the release date; modifiers)",
        h.source_file()
    )?;
    writeln!(
        out,
        "  {}\t{}\t{}\t{} modifiers",
        h.effective(),
        h.release(),
        h.valid_on(h.effective()).count(),
        h.modifiers().len()
    )?;
    writeln!(out, "  horizon\t{}", h.horizon())?;
    Ok(ExitCode::SUCCESS)
}
