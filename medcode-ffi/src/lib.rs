//! medcode's C ABI: what `include/medcode.h` declares (crate `medcode-ffi`).
//!
//! Built as `libmedcode_ffi.so` (cdylib) and `libmedcode_ffi.a` (staticlib). The
//! header is the contract; this module is its implementation. Rules every
//! entry point keeps:
//!
//! - **No panic crosses the boundary.** Each function runs its body inside
//!   [`std::panic::catch_unwind`] and turns a panic into
//!   [`MEDCODE_ERR_PANIC`] (or a NULL return) with a message. (This needs the
//!   default `panic = "unwind"`; a build with `panic = "abort"` aborts instead.)
//! - **Hostile input is an error value.** NULL pointers, invalid UTF-8,
//!   embedded NUL bytes, empty strings and inputs of any length (1 MB and
//!   more) return a documented negative code, never undefined behaviour.
//! - **Errors are thread-local.** A failing call stores its message for
//!   [`medcode_last_error`]; a succeeding call clears it. The text stays valid
//!   until the next medcode call on the same thread (other than
//!   `medcode_last_error`, `medcode_last_error_code` and `medcode_string_free`).
//! - **Ownership.** Every `char*` a function returns is the caller's and is
//!   released with [`medcode_string_free`]; the `const char*` of
//!   [`medcode_version`] and [`medcode_last_error`] belong to the library.
//! - **Thread-safety.** All functions may be called from any number of
//!   threads at once: the tables are immutable statics.
//!
//! This crate holds all of medcode's `unsafe` code (the core crate forbids
//! it); each unsafe block says why it is sound in a `// SAFETY:` comment.
//!
//! # The claims engine
//!
//! An opaque `medcode_engine*` from [`medcode_engine_new`] (a JSON
//! configuration), tables added with [`medcode_engine_load_table`] while
//! building, then [`medcode_check_json`] / [`medcode_check_jsonl`] from any
//! number of threads at once (the engine is immutable and `Sync`), and
//! [`medcode_engine_free`] at the end.
//!
//! # MS-DRG grouping
//!
//! [`medcode_group_json`] groups one inpatient claim (the same claim JSON)
//! and returns the grouping as one JSON object (`medcode::drg::Grouping::to_json`,
//! the object `medcode group` writes); [`medcode_group_jsonl`] groups a
//! JSON Lines text, one output line per input line, a line that cannot be
//! grouped answered with `{"claim_id", "line", "error"}`. An outpatient
//! claim (a `bill_type` other than 11x) is answered by CMS's I/OCE instead,
//! with the object `medcode group` writes for it (`"engine": "ioce"`): both
//! route through `medcode::route::ClaimRouter`. No handle: the
//! tables are read once per process, on first use. Options are
//! JSON, `{"version": "43.1", "hospital": "exempt", "tie_breaker":
//! "alphabetical"}`, every key optional, NULL for the defaults.

#![warn(missing_docs)]

use medcode_core::drg::GroupOptions;
use medcode_core::icd10cm::IcdCm;
use medcode_core::icd10pcs::IcdPcs;
use medcode_core::lookup::{self, LookupAnswer, System};
use medcode_core::route::ClaimRouter;
use medcode_core::rules::{Engine, EngineConfig};
use medcode_core::Date;
use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe, UnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

/// The code is valid on the date.
pub const MEDCODE_VALID: c_int = 1;
/// The code is well-formed but not valid on the date (unknown, a header, or
/// outside its validity window).
pub const MEDCODE_NOT_VALID: c_int = 0;
/// A required pointer argument was NULL.
pub const MEDCODE_ERR_NULL: c_int = -1;
/// An input is not valid UTF-8.
pub const MEDCODE_ERR_UTF8: c_int = -2;
/// The code is not a code of the system's syntax (includes the empty string).
pub const MEDCODE_ERR_SYNTAX: c_int = -3;
/// The date is not a real `YYYYMMDD` / `YYYY-MM-DD` date.
pub const MEDCODE_ERR_DATE: c_int = -4;
/// medcode panicked (a bug): the panic was caught at the boundary.
pub const MEDCODE_ERR_PANIC: c_int = -5;
/// An input is longer than [`MEDCODE_MAX_INPUT_LEN`] bytes.
pub const MEDCODE_ERR_TOO_LONG: c_int = -6;
/// A length-delimited input contains a NUL byte.
pub const MEDCODE_ERR_NUL: c_int = -7;
/// The system name is not one of `icd10cm`, `icd10pcs`, `cpt`, `hcpcs`.
pub const MEDCODE_ERR_SYSTEM: c_int = -8;
/// The answer could not be serialised (never expected).
pub const MEDCODE_ERR_INTERNAL: c_int = -9;

/// The engine configuration JSON is not a valid configuration, or an edit
/// table could not be loaded.
pub const MEDCODE_ERR_CONFIG: c_int = -10;
/// The table kind is not one of `ncci-ptp`, `mue`, `addon`, `hcpcs`.
pub const MEDCODE_ERR_KIND: c_int = -11;

/// The claim cannot be grouped: not a claim, neither an inpatient
/// (institutional) claim nor an outpatient one (a `bill_type` other than
/// 11x), or no MS-DRG version groups it ([`medcode_group_json`]; the
/// message says which).
pub const MEDCODE_ERR_CLAIM: c_int = -12;
/// The grouping options JSON is not valid options (an unknown key or value).
pub const MEDCODE_ERR_OPTIONS: c_int = -13;

/// The longest claim JSON [`medcode_check_json`] accepts, in bytes (1 MiB).
pub const MEDCODE_MAX_CLAIM_LEN: usize = 1 << 20;
/// The longest JSON Lines buffer [`medcode_check_jsonl`] accepts, in bytes (256 MiB).
pub const MEDCODE_MAX_BATCH_LEN: usize = 256 << 20;

/// The longest code, system or date input accepted, in bytes. Longer inputs
/// fail with [`MEDCODE_ERR_TOO_LONG`] before any other work is done.
pub const MEDCODE_MAX_INPUT_LEN: usize = 1024;

/// The crate version, NUL-terminated, for the C side.
static VERSION: &CStr = {
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("version contains a NUL"),
    }
};

struct LastError {
    code: c_int,
    message: Option<CString>,
}

thread_local! {
    static LAST_ERROR: RefCell<LastError> = const {
        RefCell::new(LastError { code: 0, message: None })
    };
}

/// False until some thread sets an error: until then every thread's error
/// slot is clear, and a call that succeeds need not look at its own (in a
/// shared library each thread-local access is a call). A thread that sets
/// an error sets this first, so its own later calls see it.
static ANY_ERROR: AtomicBool = AtomicBool::new(false);

/// An error to report across the boundary: a code and a message.
struct Failure {
    code: c_int,
    message: String,
}

impl Failure {
    fn new(code: c_int, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

fn clear_error() {
    if !ANY_ERROR.load(Ordering::Relaxed) {
        return;
    }
    // `try_with`: during thread teardown the slot may be gone; then there is
    // nothing to clear.
    let _ = LAST_ERROR.try_with(|e| {
        if let Ok(mut e) = e.try_borrow_mut() {
            if e.code != 0 {
                e.code = 0;
                e.message = None;
            }
        }
    });
}

fn set_error(f: &Failure) {
    // A message never has interior NULs after this replacement.
    let message = CString::new(f.message.replace('\0', "\\0")).ok();
    ANY_ERROR.store(true, Ordering::Relaxed);
    let _ = LAST_ERROR.try_with(|e| {
        if let Ok(mut e) = e.try_borrow_mut() {
            e.code = f.code;
            e.message = message;
        }
    });
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("medcode panicked (a bug; please report it): {what}")
}

/// Runs `body`, catching panics; errors become `Err` with the last error set.
fn guarded<T>(body: impl FnOnce() -> Result<T, Failure> + UnwindSafe) -> Result<T, c_int> {
    let result = match catch_unwind(body) {
        Ok(r) => r,
        Err(payload) => Err(Failure::new(MEDCODE_ERR_PANIC, panic_message(&*payload))),
    };
    match result {
        Ok(v) => {
            clear_error();
            Ok(v)
        }
        Err(f) => {
            set_error(&f);
            Err(f.code)
        }
    }
}

/// Reads a NUL-terminated argument as `&str`; `what` names it in messages.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string readable up to its
/// terminator, unchanged for the lifetime `'a`.
unsafe fn c_str<'a>(ptr: *const c_char, what: &str) -> Result<Option<&'a str>, Failure> {
    // SAFETY: the same contract, passed on.
    unsafe { c_str_up_to(ptr, what, MEDCODE_MAX_INPUT_LEN) }
}

/// [`c_str`] with another length limit.
///
/// # Safety
/// As [`c_str`].
unsafe fn c_str_up_to<'a>(
    ptr: *const c_char,
    what: &str,
    limit: usize,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller promises `ptr` is a readable NUL-terminated string.
    // `CStr::from_ptr` scans for the terminator; we reject long inputs only
    // after that scan, which the contract already made safe.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    if bytes.len() > limit {
        return Err(Failure::new(
            MEDCODE_ERR_TOO_LONG,
            format!(
                "{what} is {} bytes long; at most {limit} are accepted",
                bytes.len()
            ),
        ));
    }
    utf8(bytes, what).map(Some)
}

/// `bytes` as `&str`, checked with simdutf8 (about a tenth of std's
/// instructions on a claim's bytes); std only words the error.
fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Failure> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| {
        std::str::from_utf8(bytes)
            .map_err(|e| Failure::new(MEDCODE_ERR_UTF8, format!("{what} is not UTF-8: {e}")))
    })
}

/// Reads a `(pointer, length)` argument as `&str`.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes, unchanged for `'a`.
unsafe fn byte_str<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, Failure> {
    // SAFETY: the same contract, passed on.
    unsafe { byte_str_up_to(ptr, len, what, MEDCODE_MAX_INPUT_LEN) }
}

/// [`byte_str`] with another length limit.
///
/// # Safety
/// As [`byte_str`].
unsafe fn byte_str_up_to<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
    limit: usize,
) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::new(MEDCODE_ERR_NULL, format!("{what} is NULL")));
    }
    if len > limit {
        return Err(Failure::new(
            MEDCODE_ERR_TOO_LONG,
            format!("{what} is {len} bytes long; at most {limit} are accepted"),
        ));
    }
    // SAFETY: `ptr` is non-NULL and the caller promises `len` readable bytes
    // that stay unchanged while we use them; `len` ≤ `limit` < isize::MAX.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    // memchr looks at a vector of bytes at a time (a byte-by-byte scan was
    // 5 instructions a byte: a tenth of the JSON Lines path's work).
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(Failure::new(
            MEDCODE_ERR_NUL,
            format!("{what} contains a NUL byte at offset {at}"),
        ));
    }
    utf8(bytes, what)
}

fn date_from_yyyymmdd(yyyymmdd: u32) -> Result<Date, Failure> {
    if yyyymmdd == 0 {
        return Ok(Date::today());
    }
    Date::from_yyyymmdd(yyyymmdd).map_err(|e| {
        Failure::new(
            MEDCODE_ERR_DATE,
            format!("date {yyyymmdd} is not a date YYYYMMDD: {e}"),
        )
    })
}

/// Asks the CPU for the first 512 bytes of a claim's text at once, before
/// `strlen` walks it: a caller's claims are often cold (read from elsewhere,
/// or written long before), and `strlen` would otherwise wait for one cache
/// line after another. A prefetch never faults, so bytes past the string's
/// end (or a NULL pointer) are harmless.
#[inline(always)]
fn prefetch_claim(ptr: *const c_char) {
    #[cfg(target_arch = "x86_64")]
    for line in 0..8 {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: `_mm_prefetch` needs SSE, which every x86_64 CPU has; it
        // only hints the cache and never dereferences (no fault on any
        // address), and `wrapping_add` makes no claim about the allocation.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(ptr.wrapping_add(64 * line).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = ptr;
}

/// Findings JSON (one line, or lines joined by `\n`) written after the
/// room of [`answer_buffer`] (whose zero bytes are not the answer's), as a
/// C string, without scanning it for a NUL byte first (about 1.5% of a
/// claim check's time): the findings writer escapes every control
/// character (NUL as `\u0000`), in the claim id, codes and messages alike,
/// so its output holds none.
fn findings_into_c_buffer(answer: String) -> *mut c_char {
    debug_assert!(
        !answer.as_bytes()[CAPACITY_BYTES..].contains(&0),
        "findings JSON with a NUL byte"
    );
    finish_c_buffer(answer.into_bytes())
}

fn into_c_string(s: String) -> Result<*mut c_char, Failure> {
    if memchr::memchr(0, s.as_bytes()).is_some() {
        return Err(Failure::new(
            MEDCODE_ERR_INTERNAL,
            "the answer contains a NUL byte (a bug)",
        ));
    }
    Ok(into_c_buffer(s.into_bytes()))
}

/// Bytes without a NUL handed to C as a string in their own allocation:
/// the allocation's capacity (a native-endian `usize`, unaligned), the
/// bytes, then the NUL; C gets a pointer to the bytes, and
/// [`medcode_string_free`] reads the capacity back in front of them to free
/// it (in front, not after the NUL: no scan for the NUL to find it, which
/// cost about 70 instructions a claim). `CString` needs an allocation of
/// exactly the string's size: shrinking to fit cost a `realloc` on every
/// call (about 250 instructions a claim).
fn into_c_buffer(mut bytes: Vec<u8>) -> *mut c_char {
    // The bytes moved up to make room for the capacity (one `memmove`; the
    // claim checks write their answers after the room instead,
    // `answer_buffer`).
    let len = bytes.len();
    bytes.reserve(CAPACITY_BYTES + 1);
    bytes.resize(len + CAPACITY_BYTES, 0);
    bytes.copy_within(..len, CAPACITY_BYTES);
    finish_c_buffer(bytes)
}

/// An empty answer to write after: the room for the capacity, in the
/// buffer of the thread's last freed answer when there is one (see
/// [`SPARE_ANSWER`]). Valid UTF-8 (the room holds zero bytes) so that the
/// engine can write into it as a `String`; [`finish_c_buffer`] fills the room.
fn answer_buffer() -> String {
    let mut buffer = SPARE_ANSWER.try_with(Cell::take).unwrap_or_default();
    buffer.clear();
    // Empty, so valid UTF-8 without a scan.
    let mut text = String::from_utf8(buffer).unwrap_or_default();
    text.push_str("\0\0\0\0\0\0\0\0");
    debug_assert_eq!(text.len(), CAPACITY_BYTES);
    text
}

/// Ends an answer whose first [`CAPACITY_BYTES`] bytes are the room for
/// the capacity and the rest the string (no NUL in it): the NUL pushed,
/// the capacity written in the room, and the pointer to the string given
/// out (owned by the caller until `medcode_string_free` rebuilds the Vec).
fn finish_c_buffer(mut bytes: Vec<u8>) -> *mut c_char {
    bytes.push(0);
    let capacity = bytes.capacity();
    bytes[..CAPACITY_BYTES].copy_from_slice(&capacity.to_ne_bytes());
    let buffer = std::mem::ManuallyDrop::new(bytes).as_mut_ptr();
    buffer.wrapping_add(CAPACITY_BYTES).cast()
}

/// The size of the capacity stored in front of a returned string.
const CAPACITY_BYTES: usize = std::mem::size_of::<usize>();

/// Freed answers up to this size are kept for the thread's next answer.
const SPARE_ANSWER_AT_MOST: usize = 64 << 10;

thread_local! {
    /// The buffer of the answer this thread freed last (empty when none,
    /// or when it was larger than [`SPARE_ANSWER_AT_MOST`]): the next
    /// `medcode_check_json` writes into it. A caller that checks claim
    /// after claim, freeing each answer, then pays no `malloc` and `free`
    /// a claim (about 170 instructions).
    static SPARE_ANSWER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// The library version (`"0.1.0"`), a static NUL-terminated string owned by
/// the library: never free it.
#[no_mangle]
pub extern "C" fn medcode_version() -> *const c_char {
    clear_error();
    VERSION.as_ptr()
}

/// The message of the last failing medcode call on this thread, or NULL if the
/// last call succeeded. Owned by the library; valid until the next medcode
/// call on this thread (other than this function, `medcode_last_error_code`
/// and `medcode_string_free`).
#[no_mangle]
pub extern "C" fn medcode_last_error() -> *const c_char {
    catch_unwind(|| {
        LAST_ERROR
            .try_with(|e| match e.try_borrow() {
                Ok(e) => e.message.as_ref().map_or(std::ptr::null(), |m| m.as_ptr()),
                Err(_) => std::ptr::null(),
            })
            .unwrap_or(std::ptr::null())
    })
    .unwrap_or(std::ptr::null())
}

/// The code (`MEDCODE_ERR_*`, negative) of the last failing medcode call on
/// this thread, or 0 if the last call succeeded.
#[no_mangle]
pub extern "C" fn medcode_last_error_code() -> c_int {
    catch_unwind(|| {
        LAST_ERROR
            .try_with(|e| e.try_borrow().map_or(0, |e| e.code))
            .unwrap_or(0)
    })
    .unwrap_or(MEDCODE_ERR_PANIC)
}

/// Frees a string returned by a medcode function. NULL is a no-op.
///
/// # Safety
/// `s` must be NULL or a pointer returned by a medcode function that returns
/// `char*` (not `medcode_version` nor `medcode_last_error`), not freed before.
#[no_mangle]
pub unsafe extern "C" fn medcode_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller promises `s` came from `finish_c_buffer` (every
        // `char*` we return does) and was not freed before: a Vec<u8>'s
        // buffer holding the Vec's capacity, then the string and its NUL,
        // with `s` pointing at the string. The Vec is rebuilt from the start
        // of its buffer with the capacity it was made with (and length 0:
        // bytes need no drop).
        let buffer = unsafe {
            let start = s.cast::<u8>().sub(CAPACITY_BYTES);
            let capacity = std::ptr::read_unaligned(start.cast::<[u8; CAPACITY_BYTES]>());
            Vec::from_raw_parts(start, 0, usize::from_ne_bytes(capacity))
        };
        if buffer.capacity() <= SPARE_ANSWER_AT_MOST {
            // The spare it replaces (if any) is freed.
            let _ = SPARE_ANSWER.try_with(|spare| spare.set(buffer));
        }
    }));
}

/// Looks a code up; returns the CLI's `lookup --json` object as a
/// NUL-terminated JSON string the caller frees with `medcode_string_free`,
/// or NULL on error (see `medcode_last_error`).
///
/// `system`: NULL or `""` to detect the system from the syntax, else
/// `icd10cm`, `icd10pcs`, `cpt` or `hcpcs`. `date`: NULL or `""` for today
/// (UTC), else `YYYY-MM-DD` or `YYYYMMDD`. A code that is not a code (empty,
/// bad characters) is not an error here: the JSON answer says why in `error`,
/// as the CLI does.
///
/// # Safety
/// Each pointer must be NULL or point to a NUL-terminated string that stays
/// unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn medcode_lookup(
    system: *const c_char,
    code: *const c_char,
    date: *const c_char,
) -> *mut c_char {
    let body = || -> Result<*mut c_char, Failure> {
        // SAFETY: the caller's contract for each pointer is `c_str`'s.
        let (system, code, date) = unsafe {
            (
                c_str(system, "system")?,
                c_str(code, "code")?,
                c_str(date, "date")?,
            )
        };
        let code = code.ok_or_else(|| Failure::new(MEDCODE_ERR_NULL, "code is NULL"))?;
        let system = match system.map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(
                s.parse::<System>()
                    .map_err(|e| Failure::new(MEDCODE_ERR_SYSTEM, e.to_string()))?,
            ),
        };
        let date = match date.map(str::trim) {
            None | Some("") => Date::today(),
            Some(d) => d
                .parse::<Date>()
                .map_err(|e| Failure::new(MEDCODE_ERR_DATE, format!("date {d:?}: {e}")))?,
        };
        let answer = match system {
            Some(s) => LookupAnswer::One(lookup::lookup_in(s, code, date)),
            None => lookup::lookup(code, date),
        };
        let json = serde_json::to_string(&answer)
            .map_err(|e| Failure::new(MEDCODE_ERR_INTERNAL, e.to_string()))?;
        into_c_string(json)
    };
    guarded(AssertUnwindSafe(body)).unwrap_or(std::ptr::null_mut())
}

/// The shared body of the two fast paths.
///
/// # Safety
/// As [`medcode_icd10cm_is_valid`].
unsafe fn is_valid<C>(
    code_ptr: *const c_char,
    code_len: usize,
    yyyymmdd: u32,
    parse: fn(&str) -> Result<C, medcode_core::ParseCodeError>,
    valid_on: fn(C, Date) -> bool,
) -> c_int {
    let body = || -> Result<c_int, Failure> {
        // SAFETY: the caller promises `code_len` readable bytes at `code_ptr`.
        let code = unsafe { byte_str(code_ptr.cast::<u8>(), code_len, "code")? };
        let date = date_from_yyyymmdd(yyyymmdd)?;
        let code = parse(code).map_err(|e| Failure::new(MEDCODE_ERR_SYNTAX, e.to_string()))?;
        Ok(if valid_on(code, date) {
            MEDCODE_VALID
        } else {
            MEDCODE_NOT_VALID
        })
    };
    guarded(AssertUnwindSafe(body)).unwrap_or_else(|code| code)
}

/// Is the ICD-10-CM code billable and valid on the date? Allocates nothing
/// unless it fails.
///
/// `code_ptr`/`code_len`: the code's bytes (UTF-8, no NUL needed, none
/// allowed; dotted or not, any case, surrounding spaces ignored).
/// `yyyymmdd`: the date as an integer (20251001), or 0 for today (UTC).
/// Returns 1 (valid), 0 (not valid) or a negative `MEDCODE_ERR_*`.
///
/// # Safety
/// `code_ptr` must be NULL or point to `code_len` readable bytes that stay
/// unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn medcode_icd10cm_is_valid(
    code_ptr: *const c_char,
    code_len: usize,
    yyyymmdd: u32,
) -> c_int {
    // SAFETY: the same contract, passed on.
    unsafe { is_valid(code_ptr, code_len, yyyymmdd, IcdCm::parse, IcdCm::valid_on) }
}

/// Is the ICD-10-PCS code valid on the date? As `medcode_icd10cm_is_valid`.
///
/// # Safety
/// `code_ptr` must be NULL or point to `code_len` readable bytes that stay
/// unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn medcode_icd10pcs_is_valid(
    code_ptr: *const c_char,
    code_len: usize,
    yyyymmdd: u32,
) -> c_int {
    // SAFETY: the same contract, passed on.
    unsafe {
        is_valid(
            code_ptr,
            code_len,
            yyyymmdd,
            IcdPcs::parse,
            IcdPcs::valid_on,
        )
    }
}

// ---------------------------------------------------------------------------
// The claims engine.

/// An engine handle: the configuration it was built from (so tables can be
/// added before it is shared) and the built engine. Opaque to C.
pub struct MedcodeEngine {
    config: EngineConfig,
    engine: Engine,
}

/// A new engine from a JSON configuration (`NULL` or `""` for the defaults:
/// every built-in rule on, no edit tables). The configuration is
/// `medcode::rules::EngineConfig`: `{"disabled": [...], "severity": {"rule":
/// "warning"}, "ncci_ptp": [paths], "mue": [paths], "addon": [paths],
/// "hcpcs_file": path, "strict": true}` (`strict`: an unknown field of a claim
/// is an `unknown-field` finding). Returns NULL on error (`MEDCODE_ERR_CONFIG`, or a
/// bad input) with the message in `medcode_last_error`. Free with
/// [`medcode_engine_free`].
///
/// # Safety
/// `config_json` must be NULL or a NUL-terminated string unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn medcode_engine_new(config_json: *const c_char) -> *mut MedcodeEngine {
    let body = || -> Result<*mut MedcodeEngine, Failure> {
        // SAFETY: the caller's contract is `c_str_up_to`'s.
        let json = unsafe { c_str_up_to(config_json, "config_json", MEDCODE_MAX_CLAIM_LEN)? };
        let config: EngineConfig = match json.map(str::trim) {
            None | Some("") => EngineConfig::default(),
            Some(j) => EngineConfig::from_json(j)
                .map_err(|e| Failure::new(MEDCODE_ERR_CONFIG, format!("config_json: {e}")))?,
        };
        let engine = Engine::from_config(&config)
            .map_err(|e| Failure::new(MEDCODE_ERR_CONFIG, e.to_string()))?;
        Ok(Box::into_raw(Box::new(MedcodeEngine { config, engine })))
    };
    guarded(AssertUnwindSafe(body)).unwrap_or(std::ptr::null_mut())
}

/// Frees an engine (NULL: nothing happens). The handle must not be used
/// afterwards, by any thread.
///
/// # Safety
/// `engine` must be NULL or a handle from [`medcode_engine_new`] not yet freed.
#[no_mangle]
pub unsafe extern "C" fn medcode_engine_free(engine: *mut MedcodeEngine) {
    if engine.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the handle came from Box::into_raw in medcode_engine_new and
        // the caller gives it back exactly once.
        drop(unsafe { Box::from_raw(engine) });
    }));
}

/// Loads an edit table into the engine and rebuilds it: `kind` is
/// `ncci-ptp`, `mue`, `addon` or `hcpcs` (the CMS quarterly HCPCS file),
/// `path` the file (or CMS's `.zip` as downloaded). Returns 0, or a negative
/// `MEDCODE_ERR_*` (`MEDCODE_ERR_KIND`, `MEDCODE_ERR_CONFIG` when the file
/// cannot be read or parsed, or is refused whole: no record, another
/// table's headings, binary content, never an empty table; the message
/// names the file, line and what was expected; the engine is then
/// unchanged).
///
/// This changes the engine: call it while building, before the handle is
/// shared with other threads (it is the only non-thread-safe function).
///
/// # Safety
/// `engine` must be a live handle no other thread uses during the call;
/// `kind` and `path` NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn medcode_engine_load_table(
    engine: *mut MedcodeEngine,
    kind: *const c_char,
    path: *const c_char,
) -> c_int {
    let body = || -> Result<c_int, Failure> {
        // SAFETY: the caller's contract for each pointer is `c_str_up_to`'s.
        let (kind, path) = unsafe { (c_str(kind, "kind")?, c_str_up_to(path, "path", 1 << 16)?) };
        let kind = kind.ok_or_else(|| Failure::new(MEDCODE_ERR_NULL, "kind is NULL"))?;
        let path = path.ok_or_else(|| Failure::new(MEDCODE_ERR_NULL, "path is NULL"))?;
        if engine.is_null() {
            return Err(Failure::new(MEDCODE_ERR_NULL, "engine is NULL"));
        }
        // SAFETY: non-NULL, a live handle, and the caller promises no other
        // thread touches it during this call.
        let handle = unsafe { &mut *engine };
        let mut config = handle.config.clone();
        config
            .add_table(kind, std::path::PathBuf::from(path))
            .map_err(|e| Failure::new(MEDCODE_ERR_KIND, e.to_string()))?;
        let rebuilt = Engine::from_config(&config)
            .map_err(|e| Failure::new(MEDCODE_ERR_CONFIG, e.to_string()))?;
        handle.engine = rebuilt;
        handle.config = config;
        Ok(0)
    };
    guarded(AssertUnwindSafe(body)).unwrap_or_else(|code| code)
}

/// Reads a live engine handle.
///
/// # Safety
/// `engine` must be NULL or a live handle.
unsafe fn engine_ref<'a>(engine: *const MedcodeEngine) -> Result<&'a Engine, Failure> {
    if engine.is_null() {
        return Err(Failure::new(MEDCODE_ERR_NULL, "engine is NULL"));
    }
    // SAFETY: non-NULL and live by the caller's contract; only shared access.
    Ok(unsafe { &(*engine).engine })
}

/// Checks one claim (JSON, the `medcode::claim::Claim` contract) and returns
/// `{"claim_id": …, "findings": [ … ]}` (each finding as
/// `medcode::rules::Finding` writes it, `cms_edit` with it when its rule
/// stands for a CMS edit) as a string to free with
/// [`medcode_string_free`]. A claim that is not JSON or not a claim is not an
/// error: the answer holds a `malformed-claim` finding. NULL on error
/// (NULL pointers, invalid UTF-8, longer than `MEDCODE_MAX_CLAIM_LEN`).
/// Safe to call from many threads on one engine at once.
///
/// # Safety
/// `engine` must be a live handle; `claim_json` NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn medcode_check_json(
    engine: *const MedcodeEngine,
    claim_json: *const c_char,
) -> *mut c_char {
    let body = || -> Result<*mut c_char, Failure> {
        prefetch_claim(claim_json);
        // SAFETY: the caller's contracts, passed on.
        let (engine, claim) = unsafe {
            (
                engine_ref(engine)?,
                c_str_up_to(claim_json, "claim_json", MEDCODE_MAX_CLAIM_LEN)?,
            )
        };
        let claim = claim.ok_or_else(|| Failure::new(MEDCODE_ERR_NULL, "claim_json is NULL"))?;
        let mut answer = answer_buffer();
        engine.append_jsonl_line(claim, &mut answer);
        Ok(findings_into_c_buffer(answer))
    };
    guarded(AssertUnwindSafe(body)).unwrap_or(std::ptr::null_mut())
}

/// Checks a JSON Lines buffer (`len` bytes, one claim a line, `\n` or
/// `\r\n`): returns exactly one output line per input line, in order,
/// `{"line": N, "claim_id": …, "findings": [ … ]}` joined by `\n` (as
/// `medcode check` writes them). A final line end does not start another
/// line. Free the result with [`medcode_string_free`]; NULL on error
/// (NULL pointers, invalid UTF-8, NUL bytes, more than `MEDCODE_MAX_BATCH_LEN`).
///
/// # Safety
/// `engine` must be a live handle; `buf` NULL or `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn medcode_check_jsonl(
    engine: *const MedcodeEngine,
    buf: *const c_char,
    len: usize,
) -> *mut c_char {
    let body = || -> Result<*mut c_char, Failure> {
        // SAFETY: the caller's contracts, passed on.
        let (engine, text) = unsafe {
            (
                engine_ref(engine)?,
                byte_str_up_to(buf.cast::<u8>(), len, "buf", MEDCODE_MAX_BATCH_LEN)?,
            )
        };
        let mut answer = answer_buffer();
        engine.append_jsonl_buffer(text, 1, &mut answer);
        Ok(findings_into_c_buffer(answer))
    };
    guarded(AssertUnwindSafe(body)).unwrap_or(std::ptr::null_mut())
}

/// As [`medcode_check_jsonl`] on `jobs` threads (`0`: every core, `1`: the
/// calling thread only): the same output, byte for byte, whatever `jobs`.
/// The buffer is cut into pieces of about 64 KiB at line ends and the
/// threads take pieces in turn; the call returns when every line is checked.
///
/// # Safety
/// `engine` must be a live handle; `buf` NULL or `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn medcode_check_jsonl_parallel(
    engine: *const MedcodeEngine,
    buf: *const c_char,
    len: usize,
    jobs: usize,
) -> *mut c_char {
    let body = || -> Result<*mut c_char, Failure> {
        // SAFETY: the caller's contracts, passed on.
        let (engine, text) = unsafe {
            (
                engine_ref(engine)?,
                byte_str_up_to(buf.cast::<u8>(), len, "buf", MEDCODE_MAX_BATCH_LEN)?,
            )
        };
        let mut answer = answer_buffer();
        engine.append_jsonl_buffer(text, jobs, &mut answer);
        Ok(findings_into_c_buffer(answer))
    };
    guarded(AssertUnwindSafe(body)).unwrap_or(std::ptr::null_mut())
}

// ---------------------------------------------------------------------------
// MS-DRG grouping.

/// The grouping options from `options_json` (NULL or `""`: the defaults).
///
/// # Safety
/// `options_json` must be NULL or a NUL-terminated string unchanged during the call.
unsafe fn group_options(options_json: *const c_char) -> Result<GroupOptions, Failure> {
    // The usual NULL without the reader's call and its `Result` (about 40
    // instructions a claim).
    if options_json.is_null() {
        return Ok(GroupOptions::default());
    }
    // SAFETY: the caller's contract is `c_str`'s.
    let json = unsafe { c_str_up_to(options_json, "options_json", MEDCODE_MAX_INPUT_LEN)? };
    match json {
        None => Ok(GroupOptions::default()),
        Some(j) => GroupOptions::from_json(j)
            .map_err(|e| Failure::new(MEDCODE_ERR_OPTIONS, format!("options_json: {e}"))),
    }
}

/// Groups one inpatient claim (JSON, the `medcode::claim::Claim` contract,
/// `"type": "institutional"`) to its MS-DRG and returns the grouping as one
/// JSON object, the one `medcode group` writes without `line`: `claim_id`,
/// `version`, the initial and final DRG with MDC, severity, type, return
/// code and titles, `hac_status`, and each code's use. Free it with
/// [`medcode_string_free`].
///
/// An outpatient claim (a `bill_type` other than 11x: 13x, 12x, 14x, 85x,
/// …) is edited by CMS's I/OCE instead, and the answer is the object
/// `medcode group` writes for it without `line`: `claim_id`, `"engine":
/// "ioce"`, `version` (the I/OCE release), `return_code`, the claim's
/// dispositions and edit lists, and `lines` (status indicator, APCs,
/// payment flags, edits). The options do not apply to it.
///
/// `options_json`: NULL or `""` for the defaults (the version in force on
/// the discharge date, a hospital not exempt from POA reporting, the
/// clinical tie-breaker), else `{"version": "43.1", "hospital":
/// "exempt" | "not-exempt" | "unknown", "tie_breaker": "clinical" |
/// "alphabetical"}`, every key optional.
///
/// A claim CMS's grouper cannot group (an invalid principal diagnosis, …)
/// is grouped: its return code says why. NULL on error, the message in
/// `medcode_last_error`: `MEDCODE_ERR_CLAIM` for text that is not a claim,
/// a professional claim or an outpatient one without its `bill_type`, or a
/// claim no version groups (no
/// discharge date and no version named, or discharged before 2022-10-01);
/// `MEDCODE_ERR_OPTIONS`; `MEDCODE_ERR_NULL`, `MEDCODE_ERR_UTF8`,
/// `MEDCODE_ERR_TOO_LONG` (a claim over `MEDCODE_MAX_CLAIM_LEN`, options
/// over `MEDCODE_MAX_INPUT_LEN`). Thread-safe.
///
/// # Safety
/// `claim_json` and `options_json` must each be NULL or a NUL-terminated
/// string unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn medcode_group_json(
    claim_json: *const c_char,
    options_json: *const c_char,
) -> *mut c_char {
    let body = || -> Result<*mut c_char, Failure> {
        // SAFETY: the caller's contracts, passed on.
        let (claim, options) = unsafe {
            (
                c_str_up_to(claim_json, "claim_json", MEDCODE_MAX_CLAIM_LEN)?,
                group_options(options_json)?,
            )
        };
        let claim = claim.ok_or_else(|| Failure::new(MEDCODE_ERR_NULL, "claim_json is NULL"))?;
        let mut answer = answer_buffer();
        // The inpatient fast path (the grouper's own reader) first; only a
        // text it declines is searched for "bill_type".
        ClaimRouter::new()
            .write_json(claim, &options, &mut answer)
            .map_err(|e| Failure::new(MEDCODE_ERR_CLAIM, e.to_string()))?;
        // The grouping writer escapes every control character, as the
        // findings writer and serde_json (the I/OCE's object) do: no NUL
        // in it.
        Ok(findings_into_c_buffer(answer))
    };
    guarded(AssertUnwindSafe(body)).unwrap_or(std::ptr::null_mut())
}

/// Groups a JSON Lines text (NUL-terminated; one claim a line, `\n` or
/// `\r\n`; a final line end does not start another line): exactly one
/// output line per input line, in order, joined by `\n`: the grouping with
/// its `line` (counted from 1), the I/OCE's object for an outpatient claim
/// (as [`medcode_group_json`] answers it, with `line`), or `{"claim_id": …,
/// "line": N, "error": "…"}` for a line that cannot be grouped (the cases
/// [`medcode_group_json`] fails with `MEDCODE_ERR_CLAIM`), as `medcode
/// group` writes them. Free the result with [`medcode_string_free`].
/// `options_json` as for [`medcode_group_json`]. NULL on error
/// (`MEDCODE_ERR_NULL`, `MEDCODE_ERR_UTF8`, `MEDCODE_ERR_TOO_LONG` past
/// `MEDCODE_MAX_BATCH_LEN`, `MEDCODE_ERR_OPTIONS`). Thread-safe.
///
/// # Safety
/// `jsonl` and `options_json` must each be NULL or a NUL-terminated string
/// unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn medcode_group_jsonl(
    jsonl: *const c_char,
    options_json: *const c_char,
) -> *mut c_char {
    let body = || -> Result<*mut c_char, Failure> {
        // SAFETY: the caller's contracts, passed on.
        let (text, options) = unsafe {
            (
                c_str_up_to(jsonl, "jsonl", MEDCODE_MAX_BATCH_LEN)?,
                group_options(options_json)?,
            )
        };
        let text = text.ok_or_else(|| Failure::new(MEDCODE_ERR_NULL, "jsonl is NULL"))?;
        let mut answer = answer_buffer();
        ClaimRouter::new().write_jsonl(text, 1, &options, &mut answer);
        Ok(findings_into_c_buffer(answer))
    };
    guarded(AssertUnwindSafe(body)).unwrap_or(std::ptr::null_mut())
}

#[cfg(test)]
mod header_check;
#[cfg(test)]
mod header_constants;
#[cfg(test)]
mod header_text;
#[cfg(test)]
mod no_alloc;

#[cfg(test)]
mod tests {
    use super::*;

    fn cs(s: &str) -> CString {
        CString::new(s).unwrap()
    }

    #[test]
    fn returned_strings_read_back_and_free_whatever_their_capacity() {
        for len in 0..300 {
            for spare in [0, 1, 7, 8, 9, 100] {
                let mut text = String::with_capacity(len + spare);
                text.extend(std::iter::repeat_n('x', len));
                let p = into_c_buffer(text.into_bytes());
                // SAFETY: a live string from into_c_buffer, read, then freed once.
                unsafe {
                    assert_eq!(CStr::from_ptr(p).to_bytes().len(), len);
                    medcode_string_free(p);
                }
            }
        }
        let nul = into_c_string("a\0b".to_owned());
        assert!(nul.is_err());
    }

    fn last_error() -> Option<String> {
        let p = medcode_last_error();
        if p.is_null() {
            None
        } else {
            // SAFETY: a non-NULL last error is a live NUL-terminated string
            // owned by this thread's slot.
            Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
        }
    }

    fn cm(code: &[u8], date: u32) -> c_int {
        // SAFETY: `code` is a live slice of `code.len()` bytes.
        unsafe { medcode_icd10cm_is_valid(code.as_ptr().cast(), code.len(), date) }
    }

    fn pcs(code: &[u8], date: u32) -> c_int {
        // SAFETY: as in `cm`.
        unsafe { medcode_icd10pcs_is_valid(code.as_ptr().cast(), code.len(), date) }
    }

    fn lookup_json(
        system: Option<&CStr>,
        code: Option<&CStr>,
        date: Option<&CStr>,
    ) -> Option<String> {
        let p = |s: Option<&CStr>| s.map_or(std::ptr::null(), CStr::as_ptr);
        // SAFETY: each pointer is NULL or a live C string.
        let out = unsafe { medcode_lookup(p(system), p(code), p(date)) };
        if out.is_null() {
            return None;
        }
        // SAFETY: `out` is a live string from medcode_lookup, freed right after.
        let s = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        // SAFETY: returned by medcode_lookup, not freed before.
        unsafe { medcode_string_free(out) };
        Some(s)
    }

    #[test]
    fn version() {
        // SAFETY: a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(medcode_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn fast_paths() {
        assert_eq!(cm(b"E11.9", 20260101), MEDCODE_VALID);
        assert_eq!(last_error(), None);
        assert_eq!(cm(b" e119 ", 20260101), MEDCODE_VALID);
        assert_eq!(cm(b"E11", 20260101), MEDCODE_NOT_VALID); // a header
        assert_eq!(cm(b"E11.A", 20250601), MEDCODE_NOT_VALID); // before FY2025
        assert_eq!(cm(b"E11.9", 0), MEDCODE_VALID); // today
        assert_eq!(pcs(b"0SRD0JZ", 20260101), MEDCODE_VALID);
        assert_eq!(pcs(b"0SRD0J", 20260101), MEDCODE_ERR_SYNTAX);
        assert_eq!(cm(b"", 20260101), MEDCODE_ERR_SYNTAX);
        assert!(last_error().unwrap().contains("empty"));
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_SYNTAX);
        assert_eq!(cm(b"E1!.9", 20260101), MEDCODE_ERR_SYNTAX);
        assert_eq!(cm(b"E11.9", 20261341), MEDCODE_ERR_DATE);
        assert_eq!(cm(b"E11.9\0", 20260101), MEDCODE_ERR_NUL);
        assert_eq!(cm(b"E1\xff.9", 20260101), MEDCODE_ERR_UTF8);
        assert_eq!(cm(&vec![b'E'; 1 << 20], 20260101), MEDCODE_ERR_TOO_LONG);
        // SAFETY: NULL is a documented input.
        let null = unsafe { medcode_icd10cm_is_valid(std::ptr::null(), 5, 20260101) };
        assert_eq!(null, MEDCODE_ERR_NULL);
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_NULL);
        // A success clears the error.
        assert_eq!(cm(b"E11.9", 20260101), MEDCODE_VALID);
        assert_eq!((last_error(), medcode_last_error_code()), (None, 0));
    }

    #[test]
    fn lookup() {
        let json = lookup_json(None, Some(&cs("e119")), Some(&cs("2026-01-01"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["code"], "E11.9");
        assert_eq!(v["valid"], true);
        assert_eq!(v["system"], "icd10cm");
        let pcs = lookup_json(Some(&cs("icd10pcs")), Some(&cs("0SRD0JZ")), None).unwrap();
        assert!(pcs.contains("\"system\":\"icd10pcs\""));
        // Not a code: an answer whose `error` says why (as the CLI).
        let empty = lookup_json(Some(&cs("")), Some(&cs("")), Some(&cs(""))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&empty).unwrap();
        assert_eq!(v["error"], "empty code");
        // Boundary errors: NULL, with a message.
        assert_eq!(lookup_json(None, None, None), None);
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_NULL);
        assert_eq!(
            lookup_json(Some(&cs("icd9")), Some(&cs("E11.9")), None),
            None
        );
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_SYSTEM);
        assert!(last_error().unwrap().contains("icd9"));
        assert_eq!(
            lookup_json(None, Some(&cs("E11.9")), Some(&cs("2026-02-30"))),
            None
        );
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_DATE);
        let bad = CString::new(b"E1\xff9".to_vec()).unwrap();
        assert_eq!(lookup_json(None, Some(&bad), None), None);
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_UTF8);
        let huge = CString::new(vec![b'E'; 1 << 20]).unwrap();
        assert_eq!(lookup_json(None, Some(&huge), None), None);
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_TOO_LONG);
        // SAFETY: NULL is a documented no-op.
        unsafe { medcode_string_free(std::ptr::null_mut()) };
    }

    #[test]
    fn panics_are_caught() {
        let r = guarded(|| -> Result<c_int, Failure> { panic!("boom") });
        assert_eq!(r, Err(MEDCODE_ERR_PANIC));
        assert!(last_error().unwrap().contains("boom"));
    }

    #[test]
    fn errors_are_per_thread() {
        assert_eq!(cm(b"", 20260101), MEDCODE_ERR_SYNTAX);
        let other = std::thread::spawn(|| {
            let before = medcode_last_error_code();
            let answers: Vec<c_int> = (0..1000).map(|_| cm(b"E11.9", 20260101)).collect();
            (before, answers)
        })
        .join()
        .unwrap();
        assert_eq!(other.0, 0);
        assert!(other.1.iter().all(|&a| a == MEDCODE_VALID));
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_SYNTAX);
    }

    #[test]
    fn engine_round_trip_and_hostile_claims() {
        // SAFETY: NULL config is allowed; the handle is freed at the end.
        let engine = unsafe { medcode_engine_new(std::ptr::null()) };
        assert!(!engine.is_null());
        let check = |bytes: &[u8]| -> Option<String> {
            let c = CString::new(bytes).ok()?;
            // SAFETY: a live engine and a live C string.
            let out = unsafe { medcode_check_json(engine, c.as_ptr()) };
            if out.is_null() {
                return None;
            }
            // SAFETY: a live string from medcode_check_json, freed once.
            let s = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
            unsafe { medcode_string_free(out) };
            Some(s)
        };
        let claim = br#"{"id":"C1","type":"professional","patient":{"sex":"F","age":40},"service_date":"2025-06-02","diagnoses":[{"code":"E11.A"}],"lines":[{"code":"99213","units":1,"dx_pointers":[1]}]}"#;
        let out = check(claim).unwrap();
        assert!(out.contains("code-not-valid-on-date"));
        // The CMS MCE edit the rule stands for.
        assert!(out.contains(r#""cms_edit":"INVALID_CODE"}"#), "{out}");
        // An outpatient claim: the I/OCE's edits, with their numbers.
        {
            let out = check(OUTPATIENT).unwrap();
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            let ioce: Vec<&serde_json::Value> = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["rule"] == "ioce-040")
                .collect();
            assert_eq!(ioce.len(), 1, "{out}");
            assert_eq!(ioce[0]["cms_edit"], "040");
            assert_eq!(ioce[0]["line"], 3);
        }
        assert!(check(b"{not json").unwrap().contains("malformed-claim"));
        // An escaped NUL read into the claim id, a code and a discharge
        // status comes back escaped: the findings JSON never holds a NUL
        // byte (what `findings_into_c_buffer` relies on).
        let nul = br#"{"id":"a\u0000b","type":"institutional","discharge_date":"2025-06-02","discharge_status":"\u0000","diagnoses":[{"code":"E1\u00001"}]}"#;
        let out = check(nul).unwrap();
        assert!(out.contains(r#""claim_id":"a\u0000b""#), "{out}");
        assert!(!out.as_bytes().contains(&0));
        // Found by the ffi_check fuzz target: invalid UTF-8 is a documented
        // error (NULL + MEDCODE_ERR_UTF8), not a crash.
        assert_eq!(check(b"{\"diagnoses\":\x9b\x84}"), None);
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_UTF8);
        let big = vec![b' '; MEDCODE_MAX_CLAIM_LEN + 1];
        assert_eq!(check(&big), None);
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_TOO_LONG);
        let batch = b"{}\n\n[]\r\n";
        // SAFETY: a live engine and buffer.
        let out = unsafe { medcode_check_jsonl(engine, batch.as_ptr().cast(), batch.len()) };
        let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        unsafe { medcode_string_free(out) };
        assert_eq!(text.lines().count(), 3);
        // SAFETY: freed exactly once.
        unsafe { medcode_engine_free(engine) };
    }

    /// Calls a grouping function with two optional strings and reads its answer.
    fn grouped(
        f: unsafe extern "C" fn(*const c_char, *const c_char) -> *mut c_char,
        input: Option<&[u8]>,
        options: Option<&str>,
    ) -> Option<String> {
        let input = input.map(|b| CString::new(b).unwrap());
        let options = options.map(cs);
        let p = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
        // SAFETY: each pointer is NULL or a live C string.
        let out = unsafe { f(p(&input), p(&options)) };
        if out.is_null() {
            return None;
        }
        // SAFETY: a live string from the library, read, then freed once.
        let s = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        unsafe { medcode_string_free(out) };
        Some(s)
    }

    #[test]
    fn group_json_answers_the_cli_object_or_a_documented_error() {
        let claim = br#"{"id":"IP1","type":"institutional","discharge_date":"2026-05-02","discharge_status":"01","diagnoses":[{"code":"I50.23","poa":"Y"},{"code":"N18.4","poa":"Y"}]}"#;
        let out = grouped(medcode_group_json, Some(claim), None).unwrap();
        assert!(
            out.starts_with(r#"{"claim_id":"IP1","version":"43.1","#),
            "{out}"
        );
        assert!(out.contains(r#""final_drg":292,"#), "{out}");
        assert_eq!(last_error(), None);
        let expected = medcode_core::drg::Grouper::new()
            .group_json(
                std::str::from_utf8(claim).unwrap(),
                &GroupOptions::default(),
            )
            .unwrap()
            .to_json(None);
        assert_eq!(out, expected);
        let out = grouped(medcode_group_json, Some(claim), Some(r#"{"version": 420}"#)).unwrap();
        assert!(out.contains(r#""version":"42.0""#));
        let cases: [(&[u8], Option<&str>, c_int, &str); 6] = [
            (
                br#"{"type":"professional"}"#,
                None,
                MEDCODE_ERR_CLAIM,
                "not institutional",
            ),
            (b"{not json", None, MEDCODE_ERR_CLAIM, "not valid JSON"),
            (
                br#"{"id":"N","type":"institutional"}"#,
                None,
                MEDCODE_ERR_CLAIM,
                "no discharge date",
            ),
            (
                claim,
                Some(r#"{"hospital":"maybe"}"#),
                MEDCODE_ERR_OPTIONS,
                "hospital",
            ),
            (
                claim,
                Some(r#"{"versoin":"43.1"}"#),
                MEDCODE_ERR_OPTIONS,
                "unknown option",
            ),
            (b"{\"id\":\"\xff\"}", None, MEDCODE_ERR_UTF8, "UTF-8"),
        ];
        for (input, options, code, words) in cases {
            assert_eq!(grouped(medcode_group_json, Some(input), options), None);
            assert_eq!(medcode_last_error_code(), code, "{input:?}");
            let message = last_error().unwrap();
            assert!(message.contains(words), "{message}");
        }
        assert_eq!(grouped(medcode_group_json, None, None), None);
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_NULL);
    }

    /// The first claim of examples/outpatient.jsonl: NCCI edit 040 rejects
    /// its third line (glucose, a component of the panel on line 2).
    const OUTPATIENT: &[u8] = br#"{"id": "OP-001", "claim_type": "institutional", "bill_type": "131", "from_date": "2025-03-01", "through_date": "2025-03-01", "patient": {"sex": "F", "age": 70}, "diagnoses": [{"code": "N186"}, {"code": "E119"}], "lines": [{"code": "G0463", "revenue_code": "0510", "units": 1, "charge": 100, "service_date": "2025-03-01"}, {"code": "80053", "revenue_code": "0301", "units": 1, "charge": 50, "service_date": "2025-03-01"}, {"code": "82947", "revenue_code": "0301", "units": 1, "charge": 20, "service_date": "2025-03-01"}]}"#;

    #[test]
    fn group_json_and_jsonl_answer_an_outpatient_claim_with_the_ioce() {
        let out = grouped(medcode_group_json, Some(OUTPATIENT), None).unwrap();
        assert_eq!(last_error(), None);
        assert!(
            out.starts_with(r#"{"claim_id":"OP-001","engine":"ioce","version":"#),
            "{out}"
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["lines"][2]["hcpcs_edits"], serde_json::json!(["040"]));
        assert_eq!(v["line_rejection_edits"], serde_json::json!(["040"]));
        assert!(v.get("line").is_none());
        // Options are the grouper's: they do not change the I/OCE's answer.
        let with_options = grouped(
            medcode_group_json,
            Some(OUTPATIENT),
            Some(r#"{"version": "43.1"}"#),
        )
        .unwrap();
        assert_eq!(with_options, out);
        // One batch, both engines, in input order.
        let inpatient = br#"{"id":"IP1","type":"institutional","discharge_date":"2026-05-02","discharge_status":"01","diagnoses":[{"code":"I50.23","poa":"Y"},{"code":"N18.4","poa":"Y"}]}"#;
        let mut text = OUTPATIENT.to_vec();
        text.extend_from_slice(b"\n");
        text.extend_from_slice(inpatient);
        text.extend_from_slice(b"\n");
        let out = grouped(medcode_group_jsonl, Some(&text), None).unwrap();
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert_eq!(
            (&lines[0]["engine"], &lines[0]["line"]),
            (&serde_json::json!("ioce"), &serde_json::json!(1))
        );
        assert_eq!(
            lines[0]["lines"][2]["hcpcs_edits"],
            serde_json::json!(["040"])
        );
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[1]["final_drg"], 292);
        assert!(lines[1].get("engine").is_none());
    }

    #[test]
    fn group_jsonl_answers_every_line() {
        let text = b"{\"id\":\"A\",\"type\":\"institutional\",\"discharge_date\":\"2026-05-02\",\"diagnoses\":[{\"code\":\"I21.4\",\"poa\":\"Y\"}]}\r\n\n{\"id\":\"P\",\"type\":\"professional\"}\n";
        let out = grouped(medcode_group_jsonl, Some(text), Some("")).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[0].starts_with(r#"{"claim_id":"A","line":1,"version":"43.1","#));
        assert_eq!(
            lines[1],
            r#"{"claim_id":null,"line":2,"error":"empty line: expected one claim as a JSON object"}"#
        );
        assert!(lines[2]
            .starts_with(r#"{"claim_id":"P","line":3,"error":"claim type \"professional\""#));
        assert_eq!(
            grouped(medcode_group_jsonl, Some(b""), None).as_deref(),
            Some("")
        );
        assert_eq!(grouped(medcode_group_jsonl, Some(text), Some("[]")), None);
        assert_eq!(medcode_last_error_code(), MEDCODE_ERR_OPTIONS);
    }
}
