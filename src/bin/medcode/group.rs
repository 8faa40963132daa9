//! `medcode group`: group inpatient claims in JSON Lines to MS-DRGs.
//!
//! Reads lines as `check` does (`read_jsonl_line`, the same line limit) and
//! writes one JSON line per input line, in input order whatever `--jobs`:
//! the grouping (`Grouping::write_json`) or `{"claim_id", "line", "error"}`
//! (`ClaimNotGrouped`), the contract the C ABI and Python share.

use medcode::drg::{
    write_group_result, ClaimNotGrouped, GroupOptions, Grouper, HospitalStatus, MsdrgVersion,
    TieBreaker,
};
use medcode::io::{ordered_batches, JsonlLine};
use medcode::route::ClaimRouter;
use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::check::DEFAULT_MAX_LINE_BYTES;
use crate::parallel::{read_batch, Batch};
use crate::summary::Failed;

/// `medcode group`'s arguments.
#[derive(clap::Args)]
#[command(after_help = "\
Reads inpatient claims as JSON Lines (one claim a line, the JSON `medcode check` reads,
\"type\": \"institutional\") and writes one line per input line: the MS-DRG grouping
{\"claim_id\", \"line\", \"version\", \"initial_drg\", ..., \"final_drg\", \"final_mdc\",
\"final_severity\", \"final_type\", \"final_return_code\", \"final_drg_title\", \"final_mdc_title\",
\"return_code\", \"hac_status\", \"hac_categories\", \"admit_dx\", \"principal\", \"secondary\",
\"procedures\"} (each diagnosis with its MDC, severity, drg_impact, poa_error, flags, hacs;
each procedure with is_or, valid, drg_impact, flags, hac_usage), CMS's names for values.
\"line\" counts from 1.

An outpatient claim (a \"bill_type\" other than 11x: 13x hospital outpatient, 12x, 14x,
85x, ...) is edited as CMS's I/OCE edits it instead: {\"claim_id\", \"line\", \"engine\":
\"ioce\", \"version\", \"return_code\", \"claim_disposition\", the six claim edit lists,
\"principal_edits\", ..., \"lines\": [{\"status_indicator\", \"hcpcs_apc\", \"payment_apc\",
\"payment_indicator\", ..., \"hcpcs_edits\", \"revenue_edits\", \"modifier_edits\"}]}, edit
numbers as the I/OCE writes them (\"040\").

The version is the one in force on the claim's discharge date (v40.0 from 2022-10-01 ...
v43.1 from 2026-04-01, v44.0 from 2026-10-01) unless --version names one. A claim CMS's
grouper cannot group (an invalid principal diagnosis, ...) is grouped with its return code
(DRG 999 or 998). A line that is not a claim, an outpatient or professional claim, or a claim
no version groups (no discharge date and no --version, or one before 2022-10-01) gets
{\"claim_id\": ..., \"line\": N, \"error\": \"...\"}, and grouping goes on.

e.g.  medcode group examples/inpatient.jsonl
      medcode group claims.jsonl --version 43.1 --hospital exempt > groupings.jsonl

exit status: 0 every line grouped; 1 if a line was not grouped (its output line holds
\"error\"; the others are all written), the input cannot be read or the output cannot be
written; 2 on usage errors")]
pub struct GroupArgs {
    /// The claims (JSON Lines); - or nothing for standard input
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
    /// Group every claim with this MS-DRG version (40.0 ... 44.0; "43.1", "v43.1" or
    /// "431") instead of the one in force on its discharge date
    #[arg(long = "version", value_name = "VERSION", value_parser = version)]
    msdrg_version: Option<MsdrgVersion>,
    /// The hospital's POA-reporting status: not-exempt (HACs apply; the default),
    /// exempt (HACs do not apply) or unknown (a HAC makes the claim ungroupable)
    #[arg(long, value_name = "STATUS", value_parser = hospital, default_value = "not-exempt")]
    hospital: HospitalStatus,
    /// How codes are ordered before marking those that affect the DRG: clinical
    /// (MCCs, then CCs, then the rest; the default) or alphabetical
    #[arg(long = "tie-breaker", value_name = "ORDER", value_parser = tie_breaker,
          default_value = "clinical")]
    tie_breaker: TieBreaker,
    /// Do not work out which codes affect the DRG (CMS's affects-DRG option
    /// off): every code's `drg_impact` is NONE, nothing is marked, and grouping
    /// is faster
    #[arg(long = "no-affects-drg")]
    no_affects_drg: bool,
    /// The longest line read; a longer line is not read: its output line holds the
    /// error "line longer than N bytes: not read"
    #[arg(long = "max-line-bytes", value_name = "N", default_value_t = DEFAULT_MAX_LINE_BYTES,
          value_parser = crate::check::positive)]
    max_line: usize,
    /// Group on N threads (default: every core; 1: one thread); the output is the
    /// same, in input order, whatever N
    #[arg(long, value_name = "N", value_parser = crate::check::positive, allow_hyphen_values = true)]
    jobs: Option<usize>,
}

fn version(v: &str) -> Result<MsdrgVersion, String> {
    v.parse()
        .map_err(|e: medcode::drg::UnknownVersion| e.to_string())
}

fn hospital(v: &str) -> Result<HospitalStatus, String> {
    v.parse()
        .map_err(|e: medcode::drg::InvalidOption| e.message)
}

fn tie_breaker(v: &str) -> Result<TieBreaker, String> {
    v.parse()
        .map_err(|e: medcode::drg::InvalidOption| e.message)
}

/// Runs `medcode group` with its parsed arguments.
pub fn run(args: GroupArgs) -> ExitCode {
    let options = GroupOptions {
        version: args.msdrg_version,
        hospital: args.hospital,
        tie_breaker: args.tie_breaker,
        affects_drg: !args.no_affects_drg,
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
        eprintln!("medcode: writing groupings: {e}");
        return ExitCode::from(1);
    }
    let grouper = Grouper::new();
    let jobs = medcode::io::jobs_or_all_cores(args.jobs.unwrap_or(0));
    let mut out = BufWriter::new(io::stdout().lock());
    let grouped = group_stream(
        grouper,
        &options,
        BufReader::new(input),
        &mut out,
        args.max_line,
        jobs,
    );
    match grouped {
        Ok(Counts { errors: 0, .. }) => ExitCode::SUCCESS,
        Ok(Counts { lines, errors }) => {
            eprintln!(
                "medcode group: {errors} of {lines} lines not grouped (their output lines hold \"error\")"
            );
            ExitCode::from(1)
        }
        // A closed pipe (`| head`) is not an error worth a message.
        Err(Failed::Writing(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failed::Writing(e)) => {
            eprintln!("medcode: writing groupings: {e}");
            ExitCode::from(1)
        }
        Err(Failed::Reading(e)) => {
            eprintln!("medcode: reading claims: {e}");
            ExitCode::from(1)
        }
    }
}

/// Lines read, and lines not grouped.
#[derive(Default)]
struct Counts {
    lines: usize,
    errors: usize,
}

/// A batch grouped: its output and how many of its lines were not grouped.
struct Done {
    out: String,
    errors: usize,
}

/// Groups `input` on `jobs` threads (one: the calling thread), writing to
/// `out` in input order: batches of lines as `check --jobs` reads them,
/// grouped by the workers of [`ordered_batches`], written back in order.
fn group_stream(
    grouper: Grouper,
    options: &GroupOptions,
    mut input: impl BufRead,
    out: &mut impl Write,
    limit: usize,
    jobs: usize,
) -> Result<Counts, Failed> {
    let mut counts = Counts::default();
    let mut line = Vec::new();
    let mut n = 0usize;
    let read = || -> Result<Option<Batch>, Failed> {
        let batch = read_batch(&mut input, &mut line, limit, n + 1)?;
        n += batch.as_ref().map_or(0, |b| b.lines.len());
        Ok(batch)
    };
    let router = ClaimRouter::from(grouper);
    let work = |batch: Batch| {
        let mut done = Done {
            // (An outpatient claim's answer is about 3.4 times its text: room
            // for it at once, not grown by copying.)
            out: String::with_capacity(batch.text.len() * 4),
            errors: 0,
        };
        let mut start = 0;
        for (i, &(end, ref kind)) in batch.lines.iter().enumerate() {
            let n = batch.first_line + i;
            // An outpatient claim (a type of bill other than 11x) goes to
            // the I/OCE, every other line to the MS-DRG grouper.
            let answered = match kind {
                JsonlLine::Read => {
                    router.write_line(&batch.text[start..end], n, options, &mut done.out)
                }
                JsonlLine::TooLong => write_group_result(
                    &Err(ClaimNotGrouped::line_too_long(limit)),
                    Some(n),
                    &mut done.out,
                ),
            };
            start = end;
            if !answered {
                done.errors += 1;
            }
            done.out.push('\n');
        }
        done
    };
    let write = |done: Done| -> Result<(), Failed> {
        out.write_all(done.out.as_bytes())
            .map_err(Failed::Writing)?;
        counts.errors += done.errors;
        Ok(())
    };
    if jobs > 1 {
        ordered_batches(jobs, 2 * jobs, read, work, write)?;
    } else {
        let (mut read, mut write) = (read, write);
        while let Some(batch) = read()? {
            write(work(batch))?;
        }
    }
    out.flush().map_err(Failed::Writing)?;
    counts.lines = n;
    Ok(counts)
}
