//! The C ABI's fast paths allocate nothing when they answer 1 or 0: a counting
//! global allocator watches 10,000 calls (errors may allocate their message).
//! A unit test (the library has no `rlib` for an integration test to link):
//! the counting allocator is this crate's test binary's.
use super::{medcode_icd10cm_is_valid, medcode_icd10pcs_is_valid};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    // Only this thread's allocations count: the test harness's own threads
    // may allocate while the test runs.
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

fn allocs() -> usize {
    ALLOCS.with(Cell::get)
}

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn fast_paths_do_not_allocate() {
    let codes: [&[u8]; 4] = [b"E11.9", b"e119", b"E11", b"Z99.99"];
    // Warm up every path once: the thread-local error slot and any lazy statics.
    for c in codes {
        // SAFETY: live slices with their lengths.
        unsafe {
            medcode_icd10cm_is_valid(c.as_ptr().cast(), c.len(), 20260101);
            medcode_icd10pcs_is_valid(b"0SRD0JZ".as_ptr().cast(), 7, 20251001);
        }
    }
    let before = allocs();
    let mut valid = 0;
    for i in 0..10_000 {
        let c = codes[i % codes.len()];
        // SAFETY: live slices with their lengths.
        unsafe {
            valid += medcode_icd10cm_is_valid(c.as_ptr().cast(), c.len(), 20260101);
            valid += medcode_icd10pcs_is_valid(b"0SRD0JZ".as_ptr().cast(), 7, 20251001);
        }
    }
    let after = allocs();
    assert_eq!(valid, 5_000 + 10_000);
    assert_eq!(after - before, 0, "allocations on the fast path");
}
