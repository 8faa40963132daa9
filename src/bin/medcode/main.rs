//! The `medcode` command-line tool (feature `cli`).
//!
//! Arguments are parsed by `clap` (derive): `medcode --help`, and
//! `medcode SUBCOMMAND --help` for each of `lookup`, `export`, `releases`,
//! `check`, `group`, `rules` and `completions`.
#![forbid(unsafe_code)]

mod check;
mod group;
mod parallel;
mod summary;

use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;
use medcode::hcpcs::{self, HcpcsRelease};
use medcode::load::CptDescriptors;
use medcode::lookup::{self, LookupAnswer, LookupReport, System, UserFiles};
use medcode::{icd10cm, icd10pcs, Date};
use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// US medical billing codes: look a code up, export a code set, check claims, group them.
#[derive(Parser)]
#[command(
    name = "medcode",
    version,
    about = "US medical billing codes: look a code up (ICD-10-CM, ICD-10-PCS, CPT, HCPCS, \
             modifiers), export a code set, check claims, group inpatient claims to MS-DRGs",
    arg_required_else_help = true,
    after_help = "exit status: 0 valid (lookup) or done; 1 not valid / not a code, or an I/O \
                  error; 2 usage or file error; 3 (lookup) validity unknown (e.g. CPT \
                  without a licensed descriptor file)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// What the bundled tables say about CODE on a date (default: today)
    #[command(
        after_help = "Without --system the system is chosen from the code's syntax; a \
        code several systems hold (J1100: HCPCS J1100 and ICD-10-CM J11.00) is answered by \
        each. Two characters are a modifier (25, LT).\n\n\
        exit status: 0 valid on the date, 1 not valid or not a code, 2 usage or file error, \
        3 validity unknown (CPT without dates, CDT, a modifier not in any file)"
    )]
    Lookup(LookupArgs),
    /// The code set as of a date: tab-separated code, billable, title
    Export(ExportArgs),
    /// The bundled releases of each system with their code counts
    Releases,
    /// Check claims: JSON Lines in, one JSON line of findings out per input line
    Check(check::CheckArgs),
    /// Group inpatient claims to MS-DRGs: JSON Lines in, one JSON line out per input line
    Group(group::GroupArgs),
    /// The rules `check` runs: id, default severity, family, CMS edit, what each checks
    #[command(
        after_help = "The ids are what --disable, --severity and --config name, and \
        what findings carry. Families: structure (the claim itself), validity (each code on \
        its date), mce (CMS's Medicare Code Editor), poa, conventions (ICD-10-CM), lines, \
        edits (CMS's NCCI PTP, MUE and add-on tables, active only when loaded), drg (CMS's \
        MS-DRG grouper, inpatient claims), ioce (CMS's outpatient code editor, one rule an \
        edit, outpatient claims). The CMS edit is the MCE's edit name or the I/OCE's edit \
        number, as the rule's findings carry it (cms_edit)."
    )]
    Rules {
        /// Answer as a JSON array: {"id", "family", "severity", "description", "cms_edit"}
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(
        after_help = "e.g. mkdir -p ~/.local/share/bash-completion/completions && \
                      medcode completions bash > ~/.local/share/bash-completion/completions/medcode"
    )]
    Completions {
        /// The shell to complete for
        shell: Shell,
    },
}

#[derive(clap::Args)]
struct LookupArgs {
    /// The code (case, dot and surrounding space do not matter)
    #[arg(value_name = "CODE")]
    code: OsString,
    /// Ask one system: icd10cm, icd10pcs, cpt, hcpcs or modifier
    #[arg(long, value_name = "SYSTEM")]
    system: Option<System>,
    /// The date asked about (default: today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<Date>,
    /// Answer as one JSON object
    #[arg(long)]
    json: bool,
    /// The CMS quarterly HCPCS file (HCPC<year>_<MON>_ANWEB_<date>.txt, .xlsx or .zip); else the bundled release
    #[arg(long, value_name = "PATH")]
    hcpcs_file: Option<PathBuf>,
    /// A CPT descriptor file you are licensed for (tab, comma or fixed width)
    #[arg(long, value_name = "PATH")]
    cpt_descriptors: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ExportArgs {
    /// The code set: icd10cm, icd10pcs or hcpcs
    #[arg(value_name = "SYSTEM")]
    system: System,
    /// The date of the code set (default: today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<Date>,
    /// The CMS quarterly HCPCS file to export from (else the bundled release)
    #[arg(long, value_name = "PATH")]
    hcpcs_file: Option<PathBuf>,
}

/// The exit status of `lookup` when validity cannot be known.
const EXIT_UNKNOWN: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Check(args) = cli.command {
        return check::run(args);
    }
    if let Command::Group(args) = cli.command {
        return group::run(args);
    }
    if let Err(e) = stdout_open() {
        eprintln!("medcode: writing to standard output: {e}");
        return ExitCode::from(1);
    }
    let result = match cli.command {
        Command::Lookup(args) => run_lookup(&args),
        Command::Export(args) => run_export(&args),
        Command::Releases => run_releases(),
        Command::Rules { json } => run_rules(json),
        Command::Completions { shell } => {
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "medcode", &mut out);
            out.flush().map(|()| ExitCode::SUCCESS).map_err(Failure::Io)
        }
        Command::Check(_) | Command::Group(_) => unreachable!("handled above"),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(sub, e)) => usage_error(sub, &e),
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
    /// A usage error found after parsing: the subcommand and the message.
    Usage(&'static str, String),
    /// A user file that could not be read or parsed.
    File(String),
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

/// Prints a usage error as clap does (one line, the subcommand's usage, a
/// pointer to `--help`) and returns exit status 2.
fn usage_error(sub: &str, msg: &str) -> ExitCode {
    let mut cmd = Cli::command();
    let cmd = cmd.find_subcommand_mut(sub).expect("a subcommand");
    let mut cmd = std::mem::take(cmd).bin_name(format!("medcode {sub}"));
    let _ = cmd
        .error(clap::error::ErrorKind::ValueValidation, msg)
        .print();
    ExitCode::from(2)
}

fn run_lookup(args: &LookupArgs) -> Result<ExitCode, Failure> {
    // A file name need not be UTF-8; a code is text.
    let Some(code) = args.code.to_str() else {
        return Err(Failure::Usage(
            "lookup",
            format!(
                "argument {:?} is not valid UTF-8",
                args.code.to_string_lossy()
            ),
        ));
    };
    let date = args.date.unwrap_or_else(Date::today);
    let hcpcs = load_hcpcs(args.hcpcs_file.as_deref())?;
    let cpt = match &args.cpt_descriptors {
        Some(path) => Some(CptDescriptors::load(path).map_err(|e| {
            let why = match e {
                // The path said once.
                medcode::load::CptLoadError::Io { source, .. } => source.to_string(),
                e => e.to_string(),
            };
            Failure::File(format!("--cpt-descriptors {}: {why}", path.display()))
        })?),
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
    out.flush()?;
    Ok(if answer.valid() {
        ExitCode::SUCCESS
    } else if !answer.validity_known() {
        ExitCode::from(EXIT_UNKNOWN)
    } else {
        ExitCode::from(1)
    })
}

fn load_hcpcs(path: Option<&Path>) -> Result<Option<HcpcsRelease>, Failure> {
    match path {
        Some(path) => HcpcsRelease::load(path).map(Some).map_err(|e| {
            let why = match e {
                // The path said once.
                hcpcs::HcpcsLoadError::Io { source, .. } => source.to_string(),
                e => format!(
                    "{e} (expected CMS's quarterly HCPCS file: HCPC<year>_<MON>_ANWEB_<date>.txt, \
                     the .xlsx, or the .zip as downloaded)"
                ),
            };
            Failure::File(format!("--hcpcs-file {}: {why}", path.display()))
        }),
        None => Ok(None),
    }
}

fn write_human(out: &mut impl Write, r: &LookupReport) -> io::Result<()> {
    let name = r.system.display_name();
    let Some(code) = &r.code else {
        let why = r.error.as_deref().unwrap_or("?");
        if why.starts_with("not a code of any system") {
            // Each system's expectation, one a line.
            let mut parts = why.split(": ");
            let head = parts.next().unwrap_or(why);
            writeln!(out, "{:?} is {head}:", r.input)?;
            let rest = why[head.len()..].trim_start_matches(": ");
            for part in rest.split("; ") {
                writeln!(out, "  {part}")?;
            }
            return Ok(());
        }
        return writeln!(out, "{:?} is not an {name} code: {why}", r.input);
    };
    match r.category {
        Some(category) if r.system == System::Modifier => writeln!(out, "{code}: {category}")?,
        Some(category) => writeln!(out, "{code}: {name} {category}")?,
        None => {}
    }
    if let Some(lookup::Grouping::Named { name, subsection }) = r.section {
        let sub = subsection.map(|s| format!(" / {s}")).unwrap_or_default();
        writeln!(out, "  section: {name}{sub}")?;
    }
    if let Some(class) = r.modifier_class {
        writeln!(out, "  modifier class: {class}")?;
    }
    if let Some(note) = &r.note {
        // The way to give the CLI that file (the note serves every interface).
        let how = if r.system == System::Cpt && !r.in_table && r.title.is_none() {
            " (--cpt-descriptors PATH)"
        } else {
            ""
        };
        writeln!(out, "  note: {note}{how}")?;
    }
    if !r.validity_known && r.in_table {
        // Known to the file, not dated by it: say what the file says.
    } else if !r.validity_known {
        writeln!(out, "  on {}: validity unknown (exit status 3)", r.date)?;
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
    let kind = match (r.billable_in_some_release, r.header_in_some_release) {
        (true, true) => "billable in some releases, a header in others",
        (true, false) => "billable",
        (false, _) if r.requires_seventh_character == Some(true) => {
            "header (needs a 7th character)"
        }
        (false, _) => "header, not billable",
    };
    if r.system == System::Modifier {
        // A modifier is not billed on its own: no billable/header kind.
        writeln!(out, "  system: {name}")?;
    } else {
        writeln!(out, "  system: {name}; kind: {kind}")?;
    }
    let release = r
        .release
        .map_or("no release".to_owned(), |rel| rel.to_string());
    let release = match &r.release_file {
        Some(file) => format!("{release}, {file}"),
        None => release,
    };
    writeln!(
        out,
        "  on {}: {}{} [{release}]",
        r.date,
        if r.valid { "VALID" } else { "not valid" },
        if r.header && !r.valid {
            ", a header"
        } else {
            ""
        }
    )?;
    if r.beyond_horizon {
        let hint = if matches!(r.system, System::Hcpcs | System::Modifier) {
            " (a newer CMS quarterly file can be given with --hcpcs-file)"
        } else {
            ""
        };
        writeln!(
            out,
            "  note: {} is after the bundled tables' horizon; answered as of the horizon{hint}",
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
    let rows = |rows: &[medcode::icd10cm::Conversion]| -> String {
        let by: Vec<String> = rows
            .iter()
            .map(|c| format!("{} (from {})", c.code, c.effective))
            .collect();
        by.join(", ")
    };
    if !r.replaced_by.is_empty() {
        writeln!(out, "  replaced by: {}", rows(&r.replaced_by))?;
    }
    if !r.cases_now_coded_as.is_empty() {
        // Still valid: these codes took some of its cases, not its place.
        writeln!(
            out,
            "  some cases now coded as: {}",
            rows(&r.cases_now_coded_as)
        )?;
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
    if !r.mce_flags.is_empty() {
        writeln!(out, "  MCE edits:")?;
        for f in &r.mce_flags {
            writeln!(out, "    {} ({})", f.meaning, f.flag)?;
        }
    } else if !r.mce.is_empty() {
        writeln!(out, "  MCE flags: {}", r.mce.join(", "))?;
    }
    for a in &r.ages {
        writeln!(
            out,
            "  age range ({:?}): {}-{} years",
            a.category, a.min, a.max
        )?;
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
    if !r.seventh_characters.is_empty() {
        writeln!(out, "  7th characters:")?;
        for c in &r.seventh_characters {
            writeln!(out, "    {}  {}", c.character, c.meaning)?;
        }
    }
    if !r.notes.is_empty() {
        writeln!(out, "  notes:")?;
        for n in &r.notes {
            writeln!(out, "    {} ({}): {}", note_kind(n.kind), n.at, n.text)?;
        }
    }
    Ok(())
}

fn note_kind(kind: icd10cm::NoteKind) -> &'static str {
    use icd10cm::NoteKind as K;
    match kind {
        K::Includes => "includes",
        K::InclusionTerm => "inclusion term",
        K::Excludes1 => "Excludes1",
        K::Excludes2 => "Excludes2",
        K::CodeFirst => "code first",
        K::UseAdditionalCode => "use additional code",
        K::CodeAlso => "code also",
        K::Notes => "note",
        _ => "note",
    }
}

fn run_export(args: &ExportArgs) -> Result<ExitCode, Failure> {
    let system = args.system;
    let date = args.date.unwrap_or_else(Date::today);
    // Every error before the first byte of output: on error, stdout stays empty.
    match system {
        System::Cpt => {
            return Err(Failure::Usage(
                "export",
                "export cpt: medcode bundles no CPT code set (AMA content); nothing to export"
                    .into(),
            ))
        }
        System::Modifier => {
            return Err(Failure::Usage(
                "export",
                "export modifier: not a code set; `medcode lookup MODIFIER` describes one".into(),
            ))
        }
        _ => {}
    }
    let hcpcs = if system == System::Hcpcs {
        load_hcpcs(args.hcpcs_file.as_deref())?
    } else {
        None
    };
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(out, "code\tbillable\ttitle")?;
    match system {
        System::Icd10Cm => {
            for info in icd10cm::table_on(date) {
                let billable = u8::from(info.valid_on(date));
                // The title in force on the date, as `lookup --date` shows it.
                writeln!(
                    out,
                    "{}\t{billable}\t{}",
                    info.code(),
                    info.title_on(date).unwrap_or("")
                )?;
            }
        }
        System::Icd10Pcs => {
            for info in icd10pcs::valid_on(date) {
                writeln!(
                    out,
                    "{}\t1\t{}",
                    info.code(),
                    info.title_on(date).unwrap_or("")
                )?;
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
        System::Cpt | System::Modifier => unreachable!("refused above"),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_rules(json: bool) -> Result<ExitCode, Failure> {
    let rules = &medcode::rules::BUILTIN_RULES;
    let mut out = BufWriter::new(io::stdout().lock());
    if json {
        serde_json::to_writer(&mut out, &rules[..]).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        let id_width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        let cms_width = rules
            .iter()
            .map(|r| r.cms_edit.map_or(1, str::len))
            .max()
            .unwrap_or(0);
        writeln!(
            out,
            "{:id_width$}  {:8}  {:11}  {:cms_width$}  description",
            "rule", "severity", "family", "CMS edit"
        )?;
        for r in rules {
            writeln!(
                out,
                "{:id_width$}  {:8}  {:11}  {:cms_width$}  {}",
                r.id,
                r.severity.as_str(),
                r.family.name(),
                r.cms_edit.unwrap_or("-"),
                r.description
            )?;
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
            icd10cm::valid_on(r.effective).count()
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
