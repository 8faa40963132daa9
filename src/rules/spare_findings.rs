//! The findings of the last report written as JSON Lines, kept by the
//! thread: the next claim's findings go into the emptied buffer instead of
//! a new allocation and its regrowth, and [`Emitter::emit_with`] writes
//! into the old findings' strings instead of allocating new ones (the JSON
//! Lines path never hands its reports out). A report returned to a caller
//! keeps its buffer and findings.
use super::Finding;

use std::cell::RefCell;

#[derive(Default)]
struct Spare {
    /// An empty buffer for the next report's findings.
    buffer: Vec<Finding>,
    recycled: Recycled,
}

/// What [`Emitter::emit_parts`](super::Emitter::emit_parts) writes
/// into instead of allocating.
#[derive(Debug, Default)]
pub(crate) struct Recycled {
    /// Findings already written out, to be emptied and written again.
    pub(super) findings: Vec<Finding>,
    /// Strings of those findings that the next ones did not need (a
    /// code where the next finding has none): kept for a later code.
    texts: Vec<String>,
}

impl Recycled {
    /// A spare string (not emptied), or a new one.
    pub(super) fn text(&mut self) -> String {
        self.texts
            .pop()
            .unwrap_or_else(|| String::with_capacity(16))
    }

    /// Keeps a string for [`text`](Self::text).
    pub(super) fn keep_text(&mut self, text: String) {
        if self.texts.len() < KEEP_AT_MOST && text.capacity() <= KEEP_TEXT_AT_MOST {
            self.texts.push(text);
        }
    }
}

thread_local! {
    // Borrowed, not taken out and put back: nothing is moved. A rule
    // that checks another claim while its own is being checked finds
    // it borrowed and works with new buffers.
    static SPARE: RefCell<Spare> = const {
        RefCell::new(Spare {
            buffer: Vec::new(),
            recycled: Recycled { findings: Vec::new(), texts: Vec::new() },
        })
    };
}

/// Buffers larger than this go back to the allocator.
const KEEP_AT_MOST: usize = 64;

/// A finding whose message grew past this (a list of hundreds of
/// codes) goes back to the allocator rather than pin its memory.
const KEEP_TEXT_AT_MOST: usize = 4096;

/// Runs `check` with the thread's spare buffer (empty) and recycled
/// findings (or new ones), and returns the buffer it filled.
pub(super) fn with(check: impl FnOnce(&mut Vec<Finding>, &mut Recycled)) -> Vec<Finding> {
    let mut check = Some(check);
    let done = SPARE.try_with(|s| {
        let mut spare = s.try_borrow_mut().ok()?;
        let spare = &mut *spare;
        let mut findings = std::mem::take(&mut spare.buffer);
        (check.take()?)(&mut findings, &mut spare.recycled);
        Some(findings)
    });
    match (done, check) {
        (Ok(Some(findings)), _) => findings,
        (_, Some(check)) => {
            let mut findings = Vec::new();
            check(&mut findings, &mut Recycled::default());
            findings
        }
        // `check` ran but did not return (it cannot: it ran to its end).
        (_, None) => Vec::new(),
    }
}

/// Empties `findings` into the thread's recycled findings and keeps
/// its allocation as the thread's spare buffer.
pub(super) fn give_back(mut findings: Vec<Finding>) {
    let _ = SPARE.try_with(|s| {
        let Ok(mut spare) = s.try_borrow_mut() else {
            return;
        };
        let room = KEEP_AT_MOST.saturating_sub(spare.recycled.findings.len());
        let recycled = &mut spare.recycled.findings;
        if findings.len() <= room
            && findings
                .iter()
                .all(|f| f.message.capacity() <= KEEP_TEXT_AT_MOST)
        {
            // The usual case, every finding kept: moved in one copy
            // (the adapters below moved them one at a time, with a
            // capacity check each: about 140 instructions a finding).
            recycled.append(&mut findings);
        } else {
            recycled.extend(
                findings
                    .drain(..)
                    .take(room)
                    .filter(|f| f.message.capacity() <= KEEP_TEXT_AT_MOST),
            );
        }
        if findings.capacity() != 0 && findings.capacity() <= KEEP_AT_MOST {
            findings.clear();
            spare.buffer = findings;
        }
    });
}
