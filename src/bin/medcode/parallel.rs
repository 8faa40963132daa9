//! `medcode check --jobs N`: the claims checked on N threads, written in
//! input order, byte for byte what one thread writes.
//!
//! The calling thread reads batches of lines (up to [`BATCH_LINES`] lines or
//! [`BATCH_BYTES`] bytes), the workers of [`medcode::io::ordered_batches`]
//! check a batch each into its output bytes and its part of the summary,
//! and the calling thread writes the batches back in order. At most
//! `2 × N` batches are read and not yet written, so memory stays bounded
//! on input of any length (a batch holds at most `BATCH_BYTES` plus one
//! line of at most `--max-line-bytes`).

use crate::summary::{Failed, Summary};
use medcode::io::{ordered_batches, read_jsonl_line, JsonlLine};
use medcode::rules::Engine;
use std::io::{BufRead, Write};

/// Lines in one batch at most.
pub const BATCH_LINES: usize = 512;
/// Bytes of input in one batch, about (the line that passes it ends it).
pub const BATCH_BYTES: usize = 256 << 10;

/// Room for the line that takes a batch past [`BATCH_BYTES`] (a longer one
/// grows the batch's text).
const BATCH_SLACK: usize = 16 << 10;

/// A batch of input lines: the text of each (empty for a line too long).
pub struct Batch {
    pub first_line: usize,
    pub text: Vec<u8>,
    /// Where each line ends in `text`, and whether it was too long.
    pub lines: Vec<(usize, JsonlLine)>,
}

/// Reads the next batch (up to [`BATCH_LINES`] lines or about
/// [`BATCH_BYTES`]), its first line numbered `first_line`; `None` at the
/// end of the input. `line` is the caller's reusable line buffer. Used by
/// `check` and `group` alike.
pub fn read_batch(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
    limit: usize,
    first_line: usize,
) -> Result<Option<Batch>, Failed> {
    // (Room for a whole batch at once: grown from empty, its text was
    // copied about eight times over, 1,200 instructions a claim of
    // `medcode group`.)
    let mut batch = Batch {
        first_line,
        text: Vec::with_capacity(BATCH_BYTES + BATCH_SLACK),
        lines: Vec::with_capacity(BATCH_LINES),
    };
    while batch.lines.len() < BATCH_LINES && batch.text.len() < BATCH_BYTES {
        let Some(kind) = read_jsonl_line(input, line, limit).map_err(Failed::Reading)? else {
            break;
        };
        batch.text.extend_from_slice(line);
        batch.lines.push((batch.text.len(), kind));
    }
    Ok((!batch.lines.is_empty()).then_some(batch))
}

/// A batch checked: its output, and its share of the summary.
struct Checked {
    first_line: usize,
    lines: usize,
    out: String,
    summary: Summary,
}

/// Checks `input` on `jobs` threads (at least 2), writing to `out`; the
/// summary and the progress line (`tty`) are those of the one-thread loop.
pub fn check_stream_parallel(
    engine: &Engine,
    mut input: impl BufRead,
    out: &mut impl Write,
    limit: usize,
    tty: bool,
    jobs: usize,
) -> Result<Summary, Failed> {
    let mut summary = Summary::default();
    let mut line = Vec::new();
    let mut n = 0usize;
    let read = || -> Result<Option<Batch>, Failed> {
        let batch = read_batch(&mut input, &mut line, limit, n + 1)?;
        n += batch.as_ref().map_or(0, |b| b.lines.len());
        Ok(batch)
    };
    let work = |batch: Batch| {
        let mut checked = Checked {
            first_line: batch.first_line,
            lines: batch.lines.len(),
            out: String::with_capacity(batch.text.len()),
            summary: Summary::default(),
        };
        let mut start = 0;
        for (i, &(end, ref kind)) in batch.lines.iter().enumerate() {
            let report = match kind {
                JsonlLine::Read => engine.check_json_bytes(&batch.text[start..end]),
                JsonlLine::TooLong => engine.line_too_long(limit),
            };
            start = end;
            checked.summary.add(&report);
            report.write_jsonl(Some(batch.first_line + i), &mut checked.out);
            checked.out.push('\n');
        }
        checked
    };
    let write = |checked: Checked| -> Result<(), Failed> {
        out.write_all(checked.out.as_bytes())
            .map_err(Failed::Writing)?;
        summary.merge(checked.summary);
        if tty {
            // The progress line at every 10,000th claim, as one thread writes it.
            let last = checked.first_line + checked.lines - 1;
            for m in (checked.first_line..=last).filter(|m| m % 10_000 == 0) {
                eprint!("\rmedcode check: {m} claims");
            }
        }
        Ok(())
    };
    ordered_batches(jobs, 2 * jobs, read, work, write)?;
    out.flush().map_err(Failed::Writing)?;
    Ok(summary)
}
