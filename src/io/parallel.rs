//! Streaming many claims through a fixed number of threads, in order: the
//! pipeline that `medcode check --jobs N`, the C ABI's batch calls and the
//! Python package share. Nothing here knows what a claim is.
//!
//! The threads are `std::thread::scope` threads started per call, not a
//! pool: rayon's global pool measured 6% faster on a 200,000-claim buffer
//! but does not survive `fork()`, and the C ABI and Python package run in
//! hosts that fork (BENCHMARKS.md, "Thread pool").

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::{mpsc, Mutex};

/// The number of threads `jobs` asks for: `0` means every core the
/// process may use (`std::thread::available_parallelism`, 1 if unknown).
///
/// ```
/// assert_eq!(medcode::io::jobs_or_all_cores(3), 3);
/// assert!(medcode::io::jobs_or_all_cores(0) >= 1);
/// ```
pub fn jobs_or_all_cores(jobs: usize) -> usize {
    if jobs > 0 {
        jobs
    } else {
        std::thread::available_parallelism().map_or(1, usize::from)
    }
}

/// Runs `work` over the batches `read` gives, on `jobs` threads, and hands
/// each result to `write` in the batches' order: the ordered pipeline of
/// `medcode check --jobs N`. At most `max_in_flight` batches are read and
/// not yet written at any time (memory stays bounded whatever the input's
/// length); `read` and `write` run on the calling thread. The first error
/// of `read` or `write` stops the pipeline (batches in flight are dropped)
/// and is returned.
///
/// ```
/// let mut input = (0..100u32).collect::<Vec<_>>().into_iter();
/// let mut output = Vec::new();
/// medcode::io::ordered_batches::<_, _, ()>(
///     2,
///     4,
///     || Ok(input.next()),
///     |n| n * 2,
///     |doubled| Ok(output.push(doubled)),
/// )
/// .unwrap();
/// assert_eq!(output, (0..100).map(|n| n * 2).collect::<Vec<_>>());
/// ```
pub fn ordered_batches<B, R, E>(
    jobs: usize,
    max_in_flight: usize,
    mut read: impl FnMut() -> Result<Option<B>, E>,
    work: impl Fn(B) -> R + Sync,
    mut write: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    B: Send,
    R: Send,
{
    let jobs = jobs_or_all_cores(jobs);
    let max_in_flight = max_in_flight.max(1);
    let (to_workers, from_reader) = mpsc::channel::<(usize, B)>();
    let from_reader = Mutex::new(from_reader);
    let (to_writer, results) = mpsc::channel::<(usize, std::thread::Result<R>)>();
    let outcome = std::thread::scope(|s| {
        for _ in 0..jobs {
            let to_writer = to_writer.clone();
            let (from_reader, work) = (&from_reader, &work);
            s.spawn(move || loop {
                let next = from_reader.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((seq, batch)) = next else { break };
                // A panic goes to the calling thread, which stops the pipeline.
                let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(batch)));
                if to_writer.send((seq, result)).is_err() {
                    break;
                }
            });
        }
        drop(to_writer);
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let (mut sent, mut written, mut eof) = (0usize, 0usize, false);
        let outcome = 'pipeline: loop {
            while !eof && sent - written < max_in_flight {
                match read() {
                    Ok(Some(batch)) => {
                        // The workers wait on the channel until it closes.
                        let _ = to_workers.send((sent, batch));
                        sent += 1;
                    }
                    Ok(None) => eof = true,
                    Err(e) => break 'pipeline Ok(Err(e)),
                }
            }
            if written == sent {
                break Ok(Ok(()));
            }
            let (seq, result) = results
                .recv()
                .expect("a worker holds the sender while batches are in flight");
            match result {
                Ok(result) => pending.insert(seq, result),
                Err(panic) => break Err(panic),
            };
            while let Some(result) = pending.remove(&written) {
                written += 1;
                if let Err(e) = write(result) {
                    break 'pipeline Ok(Err(e));
                }
            }
        };
        // Workers stop at the closed channel (after the batches queued).
        drop(to_workers);
        drop(results);
        outcome
    });
    match outcome {
        Ok(outcome) => outcome,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
