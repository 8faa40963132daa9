//! Buffers a thread keeps between claims: a list emptied after one claim is
//! kept (up to a size) and handed to the next claim instead of a new
//! allocation. The claim reader's lists ([`crate::claim`]) and the prepared
//! claim's ([`crate::rules`]) each keep their own, with these helpers.

use std::cell::Cell;
use std::thread::LocalKey;

/// One kept buffer a thread: a `thread_local!` cell.
pub(crate) type Spare<T> = LocalKey<Cell<Vec<T>>>;

/// [`give_back`] for a buffer whose items need no drop (they only
/// borrow): they are forgotten, not dropped.
pub(crate) fn keep_forgetting<T, U>(spare: &'static Spare<U>, buffer: Vec<T>) {
    if !worth_keeping(&buffer) {
        return;
    }
    let _ = spare.try_with(|s| s.set(relabel_forgetting(buffer)));
}

/// [`relabel`], the items forgotten: for items with nothing to free,
/// whose drop would only test that. The standard library collects a
/// `filter_map` in place as it does a `map`.
pub(crate) fn relabel_forgetting<T, U>(buffer: Vec<T>) -> Vec<U> {
    buffer
        .into_iter()
        .filter_map(|item| {
            std::mem::forget(item);
            None
        })
        .collect()
}

/// Empties `buffer` into `spare` unless it is too large (or unallocated).
pub(crate) fn keep<T, U>(spare: &Cell<Vec<U>>, buffer: Vec<T>) {
    if worth_keeping(&buffer) {
        spare.set(relabel(buffer));
    }
}

/// Buffers larger than this go back to the allocator, not the spares.
pub(crate) const KEEP_AT_MOST: usize = 64;

/// True if `buffer` has an allocation small enough to keep as a spare:
/// tested before a thread-local is touched (in the C library each
/// access is a call).
pub(crate) fn worth_keeping<T>(buffer: &Vec<T>) -> bool {
    kept_up_to(buffer, KEEP_AT_MOST)
}

/// `buffer` has an allocation of at most `at_most` items.
fn kept_up_to<T>(buffer: &Vec<T>, at_most: usize) -> bool {
    buffer.capacity() != 0 && buffer.capacity() <= at_most
}

/// Empties `buffer` into `spare` when [`kept_up_to`] `at_most`.
fn give_back_up_to<T, U>(spare: &'static Spare<U>, buffer: Vec<T>, at_most: usize) {
    if kept_up_to(&buffer, at_most) {
        let _ = spare.try_with(|s| s.set(relabel(buffer)));
    }
}

/// A claim's lines (and lists a line) kept at most: a claim's line list
/// up to this size is kept whole, and this many of its lines' lists. More
/// than [`KEEP_AT_MOST`]: CI's outpatient claims have up to 450 lines,
/// and those over 64 (about one in 20) had their lists freed and the next
/// long claim's allocated anew, about 1,000 instructions a claim.
pub(crate) const KEEP_LINES_AT_MOST: usize = 512;

/// [`worth_keeping`] for a list of a claim's lines ([`KEEP_LINES_AT_MOST`]).
#[cfg(feature = "ioce")]
pub(crate) fn worth_keeping_lines<T>(buffer: &Vec<T>) -> bool {
    kept_up_to(buffer, KEEP_LINES_AT_MOST)
}

/// [`give_back`] for a list of a claim's lines ([`KEEP_LINES_AT_MOST`]).
pub(crate) fn give_back_lines<T, U>(spare: &'static Spare<U>, buffer: Vec<T>) {
    give_back_up_to(spare, buffer, KEEP_LINES_AT_MOST);
}

/// Empties `buffer` and keeps its allocation as the thread's spare.
pub(crate) fn give_back<T, U>(spare: &'static Spare<U>, buffer: Vec<T>) {
    give_back_up_to(spare, buffer, KEEP_AT_MOST);
}

/// Empties a buffer and gives it another item type, keeping the
/// allocation: the standard library collects a `Vec`'s `into_iter().map(..)`
/// in place when the item layouts match, as they do here (the types
/// differ only in a lifetime). The closure never runs: the buffer is
/// empty. Were the allocation not kept, the result would just be a new
/// empty `Vec`.
pub(crate) fn relabel<T, U>(mut buffer: Vec<T>) -> Vec<U> {
    buffer.clear();
    buffer.into_iter().map(|_| unreachable!()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn relabel_keeps_the_allocation() {
        let text = String::from("E11.9");
        let mut v: Vec<&str> = Vec::with_capacity(8);
        v.push(&text);
        let at = v.as_ptr() as usize;
        let w: Vec<&'static str> = super::relabel(v);
        assert_eq!((w.capacity(), w.as_ptr() as usize), (8, at));
    }

    #[test]
    fn relabel_forgetting_keeps_the_allocation() {
        let text = String::from("E11.9");
        let mut v: Vec<&str> = Vec::with_capacity(8);
        v.push(&text);
        v.push(&text);
        let at = v.as_ptr() as usize;
        let w: Vec<&'static str> = super::relabel_forgetting(v);
        assert_eq!((w.len(), w.capacity(), w.as_ptr() as usize), (0, 8, at));
    }
}
