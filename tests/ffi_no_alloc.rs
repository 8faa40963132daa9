//! The C ABI's fast paths allocate nothing when they answer 1 or 0: a counting
//! global allocator watches 10,000 calls (errors may allocate their message).
#![cfg(feature = "ffi")]

use medcode::ffi::{medcode_icd10cm_is_valid, medcode_icd10pcs_is_valid};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
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
    // Warm up: the thread-local error slot and any lazy statics.
    // SAFETY: live slices with their lengths.
    unsafe {
        medcode_icd10cm_is_valid(codes[0].as_ptr().cast(), codes[0].len(), 20260101);
        medcode_icd10pcs_is_valid(b"0SRD0JZ".as_ptr().cast(), 7, 20260101);
    }
    let before = ALLOCS.load(Ordering::Relaxed);
    let mut valid = 0;
    for i in 0..10_000 {
        let c = codes[i % codes.len()];
        // SAFETY: live slices with their lengths.
        unsafe {
            valid += medcode_icd10cm_is_valid(c.as_ptr().cast(), c.len(), 20260101);
            valid += medcode_icd10pcs_is_valid(b"0SRD0JZ".as_ptr().cast(), 7, 20251001);
        }
    }
    let after = ALLOCS.load(Ordering::Relaxed);
    assert_eq!(valid, 5_000 + 10_000);
    assert_eq!(after - before, 0, "allocations on the fast path");
}
