//! Checking many claims on several threads: [`Engine::check_all_parallel`]
//! and [`Engine::check_jsonl_buffer`] (the ordered batch pipeline that
//! `medcode check --jobs N` streams through is [`crate::io::ordered_batches`]).
//!
//! The threads are `std::thread::scope` threads started per call: the
//! engine is `Sync` and borrowed by every thread, the work comes in chunks
//! of hundreds of claims (microseconds each), so starting two to a few
//! threads (~20 µs each) is lost in the noise, and no pool outlives the
//! call. rayon's global pool measured 6% faster on a 200,000-claim buffer
//! (its threads stay warm between calls) but does not survive `fork()`,
//! and the C ABI and Python package run in hosts that fork (prefork
//! servers, `multiprocessing`): a forked child's first call would wait
//! forever (BENCHMARKS.md, "Thread pool").

use super::{Engine, Report};
use crate::claim::Claim;
use crate::io::jobs_or_all_cores;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Claims a worker takes at a time in [`Engine::check_all_parallel`].
const CHUNK: usize = 256;

impl Engine {
    /// Checks every claim on `jobs` threads (`0`: every core) and returns
    /// the reports in the claims' order: the same reports as
    /// [`check_all`](Self::check_all), faster on a machine with several
    /// cores. With `jobs == 1` or few claims it checks on this thread.
    ///
    /// ```
    /// use medcode::claim::Claim;
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let claims = vec![Claim::default(); 1000];
    /// let reports = engine.check_all_parallel(&claims, 0);
    /// assert_eq!(reports, engine.check_all(&claims).collect::<Vec<_>>());
    /// ```
    pub fn check_all_parallel(&self, claims: &[Claim], jobs: usize) -> Vec<Report> {
        let jobs = jobs_or_all_cores(jobs).min(claims.len().div_ceil(CHUNK));
        if jobs <= 1 {
            return claims.iter().map(|c| self.check(c)).collect();
        }
        let chunks: Vec<&[Claim]> = claims.chunks(CHUNK).collect();
        let done: Vec<Mutex<Vec<Report>>> = chunks.iter().map(|_| Mutex::default()).collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..jobs {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(i) else { break };
                    let reports = chunk.iter().map(|c| self.check(c)).collect();
                    *done[i].lock().unwrap_or_else(|e| e.into_inner()) = reports;
                });
            }
        });
        done.into_iter()
            .flat_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect()
    }

    /// Checks a JSON Lines buffer (one claim a line, `\n` or `\r\n`) on
    /// `jobs` threads (`0`: every core) and returns one output line per
    /// input line, in order, `{"line": N, "claim_id": …, "findings": [ … ]}`
    /// joined by `\n` (as `medcode check` writes them, without the last
    /// newline). A final line end does not start another line; an empty
    /// buffer gives an empty string. The output is the same for every
    /// `jobs`.
    ///
    /// ```
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let out = engine.check_jsonl_buffer("{\"id\":\"A\"}\r\n[]\n", 2);
    /// let lines: Vec<&str> = out.lines().collect();
    /// assert!(lines[0].starts_with(r#"{"line":1,"claim_id":"A","#));
    /// assert!(lines[1].starts_with(r#"{"line":2,"claim_id":null,"#));
    /// assert_eq!(out, engine.check_jsonl_buffer("{\"id\":\"A\"}\r\n[]\n", 1));
    /// ```
    pub fn check_jsonl_buffer(&self, text: &str, jobs: usize) -> String {
        let mut out = String::new();
        self.append_jsonl_buffer(text, jobs, &mut out);
        out
    }

    /// As [`check_jsonl_buffer`](Self::check_jsonl_buffer), appended to
    /// `out`: a caller that needs room in front of the output (the C
    /// library keeps the allocation's capacity there) writes after it
    /// instead of moving the whole output afterwards.
    ///
    /// ```
    /// let engine = medcode::rules::Engine::builder().build().unwrap();
    /// let mut out = String::from("> ");
    /// engine.append_jsonl_buffer("{\"id\":\"A\"}\n[]", 2, &mut out);
    /// assert_eq!(out[2..], engine.check_jsonl_buffer("{\"id\":\"A\"}\n[]", 1));
    /// ```
    pub fn append_jsonl_buffer(&self, text: &str, jobs: usize, out: &mut String) {
        if text.is_empty() {
            return;
        }
        let body = text.strip_suffix('\n').unwrap_or(text);
        let jobs = jobs_or_all_cores(jobs);
        // Pieces of about 64 KiB (a few hundred claims), cut at line ends.
        let pieces = if jobs <= 1 {
            vec![body]
        } else {
            split_lines(body, 64 << 10)
        };
        let check_piece = |first_line: usize, piece: &str, out: &mut String| {
            out.reserve(piece.len() / 2 + 64);
            let bytes = piece.as_bytes();
            let ends = memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]);
            let mut start = 0;
            for (i, end) in ends.enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                // Both ends are at a `\n` or the end: character boundaries.
                let line = &piece[start..end];
                start = end + 1;
                let line = line.strip_suffix('\r').unwrap_or(line);
                self.write_jsonl_line(first_line + i, line, out);
            }
        };
        if pieces.len() == 1 {
            check_piece(1, body, out);
            return;
        }
        // The first line number of each piece.
        let mut first = Vec::with_capacity(pieces.len());
        let mut n = 1;
        for p in &pieces {
            first.push(n);
            n += count_newlines(p.as_bytes()) + 1;
        }
        let done: Vec<Mutex<String>> = pieces.iter().map(|_| Mutex::default()).collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..jobs.min(pieces.len()) {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(piece) = pieces.get(i) else { break };
                    let mut piece_out = String::new();
                    check_piece(first[i], piece, &mut piece_out);
                    *done[i].lock().unwrap_or_else(|e| e.into_inner()) = piece_out;
                });
            }
        });
        let done: Vec<String> = done
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect();
        out.reserve(done.iter().map(|s| s.len() + 1).sum());
        for (i, piece) in done.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(piece);
        }
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// `body` cut into pieces of at least `size` bytes, each ending before a
/// `\n` (the `\n` between two pieces belongs to neither).
fn split_lines(body: &str, size: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = body;
    while rest.len() > size {
        match memchr::memchr(b'\n', &rest.as_bytes()[size..]) {
            Some(i) => {
                pieces.push(&rest[..size + i]);
                rest = &rest[size + i + 1..];
            }
            None => break,
        }
    }
    pieces.push(rest);
    pieces
}
