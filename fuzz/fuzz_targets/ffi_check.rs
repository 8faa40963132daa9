//! The engine's C ABI on any bytes: a JSON answer or a documented error, no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
// The C ABI crate builds no rlib (a faster C library): its source is
// included, and the name it gives the core crate is provided here.
extern crate medcode as medcode_core;
#[path = "../../medcode-ffi/src/lib.rs"]
mod medcode_ffi;
use medcode_ffi::{self as ffi, MedcodeEngine};
use std::ffi::CString;

struct Shared(*mut MedcodeEngine);
// SAFETY: the engine is immutable after construction and Sync (see the header).
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}
static ENGINE: std::sync::OnceLock<Shared> = std::sync::OnceLock::new();

fuzz_target!(|data: &[u8]| {
    // SAFETY: NULL config is allowed; the handle lives for the whole run.
    let engine = ENGINE.get_or_init(|| Shared(unsafe { ffi::medcode_engine_new(std::ptr::null()) })).0;
    // SAFETY: `data` is a live buffer of `data.len()` bytes.
    let out = unsafe { ffi::medcode_check_jsonl(engine, data.as_ptr().cast(), data.len()) };
    if out.is_null() {
        assert!(ffi::medcode_last_error_code() < 0);
    } else {
        // SAFETY: a live string from medcode_check_jsonl, freed once.
        unsafe { ffi::medcode_string_free(out) };
    }
    if let Ok(c) = CString::new(data) {
        // SAFETY: a live NUL-terminated string.
        let out = unsafe { ffi::medcode_check_json(engine, c.as_ptr()) };
        if out.is_null() {
            // Only a documented input error (invalid UTF-8 here) may give NULL.
            assert_eq!(ffi::medcode_last_error_code(), ffi::MEDCODE_ERR_UTF8);
        } else {
            // SAFETY: as above.
            unsafe { ffi::medcode_string_free(out) };
        }
    }
});
