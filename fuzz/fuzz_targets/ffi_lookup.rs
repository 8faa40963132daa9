//! `medcode_lookup` with arbitrary system, code and date strings: valid JSON
//! or NULL with a documented error, never a panic; every string freed.
#![no_main]
use libfuzzer_sys::fuzz_target;
// The C ABI crate builds no rlib (a faster C library): its source is
// included, and the name it gives the core crate is provided here.
extern crate medcode as medcode_core;
#[path = "../../medcode-ffi/src/lib.rs"]
mod medcode_ffi;
use medcode_ffi::*;
use std::ffi::{CStr, CString};

fuzz_target!(|data: &[u8]| {
    // Three NUL-terminated strings separated by 0xFF: system, code, date.
    let mut parts = data.splitn(3, |&b| b == 0xFF).map(|p| {
        let end = p.iter().position(|&b| b == 0).unwrap_or(p.len());
        CString::new(&p[..end]).unwrap()
    });
    let code = parts.next().unwrap();
    let system = parts.next();
    let date = parts.next();
    let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
    // SAFETY: every pointer is NULL or a live NUL-terminated string.
    let out = unsafe { medcode_lookup(ptr(&system), code.as_ptr(), ptr(&date)) };
    if out.is_null() {
        let e = medcode_last_error_code();
        assert!(
            [MEDCODE_ERR_UTF8, MEDCODE_ERR_TOO_LONG, MEDCODE_ERR_SYSTEM, MEDCODE_ERR_DATE].contains(&e),
            "error {e}"
        );
        assert!(!medcode_last_error().is_null());
    } else {
        // SAFETY: a live string from medcode_lookup.
        let json = unsafe { CStr::from_ptr(out) }.to_str().expect("UTF-8 JSON");
        let v: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert!(v.is_object());
        // SAFETY: returned by medcode_lookup, freed once.
        unsafe { medcode_string_free(out) };
    }
});
