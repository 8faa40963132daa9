/*
 * medcode.h — the C ABI of medcode, US medical billing codes.
 *
 * Hand-written; medcode-ffi/src/header_check.rs checks that every function declared here
 * is exported by the built library (nm -D) and the reverse, and compiles and
 * runs tests/c/smoke.c against this header with both libmedcode_ffi.so and
 * libmedcode_ffi.a.
 *
 * Build:   cargo build --release -p medcode-ffi
 *          -> target/release/libmedcode_ffi.so (shared) and libmedcode_ffi.a (static)
 * Link:    cc app.c -Imedcode-ffi/include -Ltarget/release -lmedcode_ffi -Wl,-rpath,"$PWD/target/release"
 *          cc app.c -Imedcode-ffi/include target/release/libmedcode_ffi.a -lpthread -ldl -lm
 *          The shared library is found at run time only where the loader looks:
 *          the rpath above (an absolute path; $ORIGIN for a path relative to the
 *          program), LD_LIBRARY_PATH, or a system directory (then ldconfig).
 *          Without one, the program stops at start with "libmedcode_ffi.so:
 *          cannot open shared object file". The static library needs none.
 *
 * MEMORY OWNERSHIP
 *   - Every `char *` a medcode function returns is owned by the caller and
 *     must be released with medcode_string_free() (never free()).
 *   - `const char *` results (medcode_version, medcode_last_error) belong to
 *     the library: never free them.
 *   - Inputs are only read during the call; medcode keeps no pointer to them.
 *
 * ERRORS
 *   Functions returning int return a MEDCODE_ERR_* value (negative) on error;
 *   functions returning a pointer return NULL. Either way the failing call
 *   stores a message for medcode_last_error() and its code for
 *   medcode_last_error_code(); a succeeding call clears both. No Rust panic
 *   ever crosses this boundary: it is caught and reported as
 *   MEDCODE_ERR_PANIC.
 *
 * THREAD-SAFETY
 *   Every function may be called from any number of threads at once: the
 *   code tables are immutable and compiled in, nothing is initialised at
 *   start-up. The last error is per thread.
 *
 * HOSTILE INPUT
 *   NULL pointers, invalid UTF-8, embedded NUL bytes (length-delimited
 *   inputs), empty strings and inputs of any length return the documented
 *   errors below; none is undefined behaviour, none aborts.
 */
#ifndef MEDCODE_H
#define MEDCODE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Results of the *_is_valid functions. */
#define MEDCODE_VALID 1        /* the code is valid (billable) on the date */
#define MEDCODE_NOT_VALID 0    /* well-formed, but unknown, a header, or not valid on the date */

/* Error codes (negative). */
#define MEDCODE_ERR_NULL -1     /* a required pointer argument was NULL */
#define MEDCODE_ERR_UTF8 -2     /* an input is not valid UTF-8 */
#define MEDCODE_ERR_SYNTAX -3   /* not a code of the system's syntax (the empty string included) */
#define MEDCODE_ERR_DATE -4     /* not a real date (YYYYMMDD / YYYY-MM-DD) */
#define MEDCODE_ERR_PANIC -5    /* medcode panicked (a bug); caught at the boundary */
#define MEDCODE_ERR_TOO_LONG -6 /* an input is longer than MEDCODE_MAX_INPUT_LEN bytes */
#define MEDCODE_ERR_NUL -7      /* a length-delimited input contains a NUL byte */
#define MEDCODE_ERR_SYSTEM -8   /* unknown system name (not icd10cm, icd10pcs, cpt, hcpcs) */
#define MEDCODE_ERR_INTERNAL -9 /* the answer could not be built (never expected) */

/* The longest code, system or date string accepted, in bytes. */
#define MEDCODE_MAX_INPUT_LEN 1024

/*
 * The library version, e.g. "0.1.0". Static, owned by the library: do not free.
 */
const char *medcode_version(void);

/*
 * The message of the last failing medcode call on this thread, or NULL if
 * the last call succeeded. Owned by the library; valid until the next medcode
 * call on this thread (calls to medcode_last_error, medcode_last_error_code
 * and medcode_string_free do not change it). Copy it if you need it longer.
 */
const char *medcode_last_error(void);

/*
 * The MEDCODE_ERR_* code of the last failing medcode call on this thread,
 * or 0 if the last call succeeded.
 */
int medcode_last_error_code(void);

/*
 * Frees a string returned by a medcode function that returns `char *`.
 * NULL is a no-op. Passing anything else (a pointer from malloc, a string
 * already freed, medcode_version()'s or medcode_last_error()'s result) is
 * undefined behaviour.
 */
void medcode_string_free(char *s);

/*
 * Looks a code up in the bundled tables; returns the same JSON object as
 * `medcode lookup CODE --json` (NUL-terminated UTF-8), to be freed with
 * medcode_string_free(), or NULL on error.
 *
 *   system  NULL or "" to detect the code system from the syntax (the answer
 *           may then be {"input":…,"ambiguous":true,"matches":[…]}), else
 *           "icd10cm", "icd10pcs", "cpt" or "hcpcs" (case and -/_ ignored).
 *   code    NUL-terminated UTF-8, required. A string that is not a code
 *           (empty, bad characters) is not an error here: the JSON answer
 *           has "valid":false and says why in "error", as the CLI does.
 *   date    NULL or "" for today (UTC), else "YYYY-MM-DD" or "YYYYMMDD".
 *
 * Errors: MEDCODE_ERR_NULL (code NULL), MEDCODE_ERR_UTF8, MEDCODE_ERR_TOO_LONG,
 * MEDCODE_ERR_SYSTEM, MEDCODE_ERR_DATE, MEDCODE_ERR_PANIC, MEDCODE_ERR_INTERNAL.
 */
char *medcode_lookup(const char *system, const char *code, const char *date);

/*
 * Is the ICD-10-CM code billable and valid on the date? The fast path:
 * allocates nothing unless it fails.
 *
 *   code_ptr, code_len  the code's bytes, UTF-8, not NUL-terminated (a NUL
 *                       byte inside is MEDCODE_ERR_NUL); dotted or not, any
 *                       case, surrounding spaces ignored.
 *   yyyymmdd            the date as an integer, e.g. 20251001; 0 for today (UTC).
 *
 * Returns MEDCODE_VALID (1), MEDCODE_NOT_VALID (0), or MEDCODE_ERR_NULL,
 * MEDCODE_ERR_UTF8, MEDCODE_ERR_SYNTAX (includes code_len == 0),
 * MEDCODE_ERR_DATE, MEDCODE_ERR_TOO_LONG, MEDCODE_ERR_NUL, MEDCODE_ERR_PANIC.
 * A date after the bundled tables' horizon answers as of the newest release.
 */
int medcode_icd10cm_is_valid(const char *code_ptr, size_t code_len, uint32_t yyyymmdd);

/*
 * Is the ICD-10-PCS code valid on the date? Same contract as
 * medcode_icd10cm_is_valid (seven characters, any case).
 */
int medcode_icd10pcs_is_valid(const char *code_ptr, size_t code_len, uint32_t yyyymmdd);

/*
 * The claims engine.
 *
 * An opaque handle. Build it with medcode_engine_new (and, while building,
 * medcode_engine_load_table); after that the engine is immutable and ONE
 * HANDLE MAY BE SHARED BY ANY NUMBER OF THREADS calling medcode_check_json /
 * medcode_check_jsonl at once, without locking. medcode_engine_load_table is
 * the only function that changes an engine: call it before sharing the handle.
 */
typedef struct MedcodeEngine medcode_engine;

#define MEDCODE_ERR_CONFIG -10 /* bad engine configuration JSON, or an edit table that cannot be loaded */
#define MEDCODE_ERR_KIND -11   /* table kind not "ncci-ptp", "mue", "addon" or "hcpcs" */

/* Longest claim JSON medcode_check_json accepts (bytes); longer: MEDCODE_ERR_TOO_LONG. */
#define MEDCODE_MAX_CLAIM_LEN 1048576
/* Longest JSON Lines buffer medcode_check_jsonl accepts (bytes). */
#define MEDCODE_MAX_BATCH_LEN 268435456

/*
 * A new engine. config_json: NULL or "" for the defaults (every built-in
 * rule on, no edit tables), else a JSON object:
 *   {"disabled": ["rule-id", ...], "severity": {"rule-id": "error"|"warning"|"info"},
 *    "ncci_ptp": ["path", ...], "mue": ["path", ...], "addon": ["path", ...],
 *    "hcpcs_file": "path", "strict": true}
 * Unknown fields and unknown rule ids are errors. "strict" (default false):
 * each field of a claim that the claim contract does not have is an
 * "unknown-field" finding naming it ("lines[0].modifer"); otherwise ignored.
 * Returns NULL on error (MEDCODE_ERR_CONFIG, MEDCODE_ERR_UTF8,
 * MEDCODE_ERR_TOO_LONG, MEDCODE_ERR_PANIC) with the message in
 * medcode_last_error(). Free with medcode_engine_free.
 */
medcode_engine *medcode_engine_new(const char *config_json);

/* Frees an engine; NULL is a no-op. No thread may use the handle afterwards. */
void medcode_engine_free(medcode_engine *engine);

/*
 * Adds an edit table and rebuilds the engine. kind: "ncci-ptp", "mue",
 * "addon" or "hcpcs" (the CMS quarterly HCPCS file); path: the file, or
 * CMS's .zip as downloaded (the table inside is read).
 * Returns 0, or MEDCODE_ERR_NULL, MEDCODE_ERR_KIND, MEDCODE_ERR_CONFIG
 * (file unreadable or malformed, or refused whole: no record in it, another
 * table's headings, binary content -- never loaded as an empty table; the
 * message in medcode_last_error() names the file, the line and what was
 * expected; the engine is unchanged), MEDCODE_ERR_UTF8,
 * MEDCODE_ERR_TOO_LONG, MEDCODE_ERR_PANIC.
 * NOT thread-safe: no other thread may use the engine during the call.
 */
int medcode_engine_load_table(medcode_engine *engine, const char *kind, const char *path);

/*
 * Checks one claim (a JSON object; see medcode::claim::Claim / the README)
 * and returns {"claim_id": ..., "findings": [...]} (each finding: rule,
 * severity, line -- the claim line counted from 1, or null --, field, codes,
 * message, and cms_edit where the rule stands for a CMS edit: the MCE's edit
 * name, "SEX_CONFLICT", or the I/OCE's edit number, "040", on an outpatient
 * claim's ioce-NNN findings): a string the caller frees
 * with medcode_string_free. A claim that is not JSON or not a claim is not an
 * error: the answer holds a "malformed-claim" finding. NULL on error
 * (MEDCODE_ERR_NULL, MEDCODE_ERR_UTF8, MEDCODE_ERR_TOO_LONG, MEDCODE_ERR_PANIC).
 * Thread-safe.
 */
char *medcode_check_json(const medcode_engine *engine, const char *claim_json);

/*
 * Checks a JSON Lines buffer of len bytes (one claim per line, "\n" or
 * "\r\n"; a final line end does not start another line). Returns exactly one
 * output line per input line, in order, {"line": N, "claim_id": ...,
 * "findings": [...]}, joined by "\n" -- a string to free with
 * medcode_string_free. NULL on error (MEDCODE_ERR_NULL, MEDCODE_ERR_UTF8,
 * MEDCODE_ERR_NUL, MEDCODE_ERR_TOO_LONG, MEDCODE_ERR_PANIC). Thread-safe.
 */
char *medcode_check_jsonl(const medcode_engine *engine, const char *buf, size_t len);

/*
 * As medcode_check_jsonl on jobs threads (0: every core; 1: the calling
 * thread only): the same output, byte for byte, whatever jobs. The buffer is
 * cut into pieces of about 64 KiB at line ends that the threads take in turn;
 * the call returns when every line is checked. Thread-safe.
 */
char *medcode_check_jsonl_parallel(const medcode_engine *engine, const char *buf, size_t len,
                                   size_t jobs);

/*
 * MS-DRG grouping (CMS's grouper, versions 40.0 ... 44.0), and an outpatient
 * claim (a "bill_type" other than 11x) edited by CMS's I/OCE in its place, as
 * `medcode group` routes them. No handle: the tables are read once per
 * process, on first use. Thread-safe.
 */
#define MEDCODE_ERR_CLAIM -12   /* the claim cannot be grouped: not a claim, neither inpatient nor outpatient, no MS-DRG version */
#define MEDCODE_ERR_OPTIONS -13 /* bad grouping options JSON (unknown key or value) */

/*
 * Groups one inpatient claim (a JSON object, "type": "institutional"; see
 * medcode::claim::Claim / the README) and returns its MS-DRG grouping as one
 * JSON object -- the object `medcode group` writes, without "line":
 * {"claim_id", "version", "initial_drg", ..., "final_drg", "final_mdc",
 * "final_severity", "final_type", "final_return_code", "final_drg_title",
 * "final_mdc_title", "return_code", "hac_status", "hac_categories", "admit_dx",
 * "principal", "secondary": [...], "procedures": [...]} -- a string the
 * caller frees with medcode_string_free.
 *
 * An outpatient claim (a "bill_type" other than 11x: 13x, 12x, 14x, 85x,
 * ...) is edited by CMS's I/OCE instead, and the answer is the object
 * `medcode group` writes for it, without "line": {"claim_id", "engine":
 * "ioce", "version" (the I/OCE release), "return_code", the claim's
 * dispositions and edit lists ("line_rejection_edits": ["040"], ...),
 * "lines": [{"status_indicator", "hcpcs_apc", "payment_apc", ...,
 * "hcpcs_edits", ...}]}. options_json does not apply to it.
 *
 *   options_json  NULL or "" for the defaults (the version in force on the
 *                 discharge date, a hospital not exempt from POA reporting,
 *                 the clinical tie-breaker), else a JSON object, every key
 *                 optional: {"version": "43.1" (or "v43.1", "431"),
 *                 "hospital": "exempt" | "not-exempt" | "unknown",
 *                 "tie_breaker": "clinical" | "alphabetical"}.
 *
 * A claim CMS's grouper cannot group (an invalid principal diagnosis, ...)
 * is grouped: DRG 999 or 998 and its "return_code". NULL on error, the
 * message in medcode_last_error(): MEDCODE_ERR_CLAIM (text that is not a
 * claim, a professional claim or an outpatient one without its "bill_type",
 * no discharge date and no version named, a discharge before 2022-10-01),
 * MEDCODE_ERR_OPTIONS, MEDCODE_ERR_NULL (claim_json NULL), MEDCODE_ERR_UTF8,
 * MEDCODE_ERR_TOO_LONG (a claim over MEDCODE_MAX_CLAIM_LEN, options over
 * MEDCODE_MAX_INPUT_LEN), MEDCODE_ERR_PANIC.
 */
char *medcode_group_json(const char *claim_json, const char *options_json);

/*
 * Groups a JSON Lines text (NUL-terminated, at most MEDCODE_MAX_BATCH_LEN
 * bytes; one claim per line, "\n" or "\r\n"; a final line end does not
 * start another line). Returns exactly one output line per input line, in
 * order, joined by "\n": the grouping with its "line" (counted from 1), the
 * I/OCE's object for an outpatient claim (as medcode_group_json answers it,
 * with "line"), or {"claim_id": ..., "line": N, "error": "..."} for a line
 * that cannot be grouped (the cases medcode_group_json fails with
 * MEDCODE_ERR_CLAIM) -- as
 * `medcode group` writes them. A string to free with medcode_string_free.
 * options_json as for medcode_group_json. NULL on error (MEDCODE_ERR_NULL,
 * MEDCODE_ERR_UTF8, MEDCODE_ERR_TOO_LONG, MEDCODE_ERR_OPTIONS, MEDCODE_ERR_PANIC).
 */
char *medcode_group_jsonl(const char *jsonl, const char *options_json);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MEDCODE_H */
