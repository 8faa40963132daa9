//! The C ABI's fast paths: any bytes and any date give 1, 0 or a documented
//! error, never a panic (libFuzzer's panic hook aborts even on a caught one).
#![no_main]
use libfuzzer_sys::fuzz_target;
// The C ABI crate builds no rlib (a faster C library): its source is
// included, and the name it gives the core crate is provided here.
extern crate medcode as medcode_core;
#[path = "../../medcode-ffi/src/lib.rs"]
mod medcode_ffi;
use medcode_ffi::*;

fuzz_target!(|data: &[u8]| {
    let (date, code) = if data.len() >= 4 {
        let n = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
        // Mostly real dates, sometimes anything.
        (if n % 4 == 0 { n } else { 20000101 + n % 300000 }, &data[4..])
    } else {
        (20260101, data)
    };
    let ok = [
        MEDCODE_VALID,
        MEDCODE_NOT_VALID,
        MEDCODE_ERR_UTF8,
        MEDCODE_ERR_SYNTAX,
        MEDCODE_ERR_DATE,
        MEDCODE_ERR_TOO_LONG,
        MEDCODE_ERR_NUL,
    ];
    // SAFETY: `code` is a live slice of `code.len()` bytes.
    let cm = unsafe { medcode_icd10cm_is_valid(code.as_ptr().cast(), code.len(), date) };
    assert!(ok.contains(&cm), "icd10cm {cm}");
    // SAFETY: as above.
    let pcs = unsafe { medcode_icd10pcs_is_valid(code.as_ptr().cast(), code.len(), date) };
    assert!(ok.contains(&pcs), "icd10pcs {pcs}");
    if cm < 0 {
        assert!(!medcode_last_error().is_null() || pcs >= 0);
    }
});
