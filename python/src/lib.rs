//! `medcode._medcode`: the extension module under the `medcode` Python
//! package, wrapping the Rust crate directly (PyO3, abi3, CPython >= 3.9).
//!
//! The Python layer (`python/medcode/*.py`) owns the public API: argument
//! kinds (str, list, NumPy, pandas, Polars, Arrow), dates and the exception
//! classes. This module does the work, without the GIL wherever it runs over
//! many values: every batch (codes, claims, Arrow columns) is read into Rust
//! values while holding the GIL, checked with the GIL released (on several
//! threads when large), and turned back into Python objects.
//!
//! Errors cross as `NativeError(code, message)`, `code` one of the C ABI's
//! `MEDCODE_ERR_*` values; the Python layer raises its own classes from them.
//! No `unsafe` here: Arrow data comes through `pyo3-arrow` (the Arrow
//! PyCapsule interface).

use arrow_array::cast::AsArray;
use arrow_array::types::{ArrowDictionaryKeyType, Int32Type, Int64Type};
use arrow_array::{
    Array, ArrayAccessor, ArrayRef, BooleanArray, Int32Array, Int64Array, ListArray, RecordBatch,
    StringArray, StructArray, TypedDictionaryArray,
};
use arrow_buffer::{BooleanBufferBuilder, NullBuffer, OffsetBuffer};
use arrow_schema::{DataType, Field, FieldRef, Fields, Schema};
use medcode::drg::{write_group_result, ClaimNotGrouped, GroupOptions, MsdrgVersion};
use medcode::io::{read_jsonl_line, JsonlLine};
use medcode::route::{Answer, ClaimRouter};
use medcode::rules::{Engine, EngineConfig, Finding, Report};
use medcode::{Date, IcdCm, IcdPcs};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyStopIteration, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use pyo3_arrow::input::{AnyArray, AnyRecordBatch};
use pyo3_arrow::{PyArray, PyChunkedArray, PyRecordBatch, PyTable};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

create_exception!(
    _medcode,
    NativeError,
    PyException,
    "An error from medcode's Rust core: args are (code, message), code a MEDCODE_ERR_* value."
);

const ERR_UTF8: i32 = -2;
const ERR_SYNTAX: i32 = -3;
const ERR_DATE: i32 = -4;
const ERR_TOO_LONG: i32 = -6;
const ERR_NUL: i32 = -7;
const ERR_SYSTEM: i32 = -8;
const ERR_INTERNAL: i32 = -9;
const ERR_CONFIG: i32 = -10;
const ERR_KIND: i32 = -11;
const ERR_CLAIM: i32 = -12;
const ERR_OPTIONS: i32 = -13;

/// The longest code, system or date input, in bytes (the C ABI's limit).
const MAX_INPUT_LEN: usize = 1024;
/// The longest claim read, in bytes (as `medcode check`'s default).
const MAX_CLAIM_LEN: usize = 1 << 20;
/// Batches at least this long are split over several threads.
const PARALLEL_MIN: usize = 1 << 14;

fn native(code: i32, message: impl Into<String>) -> PyErr {
    NativeError::new_err((code, message.into()))
}

fn date_arg(yyyymmdd: u32) -> PyResult<Date> {
    if yyyymmdd == 0 {
        return Ok(Date::today());
    }
    // The error names the date as YYYY-MM-DD, as the user wrote it (or as an
    // int YYYYMMDD reads): no number the user never typed.
    Date::from_yyyymmdd(yyyymmdd).map_err(|e| native(ERR_DATE, e.to_string()))
}

/// How many threads to use for `n` items.
fn threads_for(n: usize) -> usize {
    if n < PARALLEL_MIN {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    cores.clamp(1, 8).min(n / (PARALLEL_MIN / 2)).max(1)
}

/// `f` over `items` in order, on several threads when there are many.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            out.extend(h.join().expect("a medcode worker thread panicked"));
        }
        out
    })
}

/// Validity of many codes on every core, through the core's batch lookups
/// (`icd10cm::valid_many`, `icd10pcs::valid_many`: table loads overlapped).
fn valid_all(system: System, codes: &[&str], date: Date) -> Vec<bool> {
    let many = move |c: &[&str], o: &mut [bool]| match system {
        System::Cm => medcode::icd10cm::valid_many(c, date, o),
        System::Pcs => medcode::icd10pcs::valid_many(c, date, o),
    };
    let mut out = vec![false; codes.len()];
    let threads = threads_for(codes.len());
    if threads == 1 {
        many(codes, &mut out);
        return out;
    }
    let chunk = codes.len().div_ceil(threads);
    std::thread::scope(|s| {
        for (c, o) in codes.chunks(chunk).zip(out.chunks_mut(chunk)) {
            s.spawn(move || many(c, o));
        }
    });
    out
}

// ---------------------------------------------------------------- code systems

#[derive(Clone, Copy)]
enum System {
    Cm,
    Pcs,
}

impl System {
    fn from_name(name: &str) -> PyResult<System> {
        match name {
            "icd10cm" => Ok(System::Cm),
            "icd10pcs" => Ok(System::Pcs),
            other => Err(native(
                ERR_SYSTEM,
                format!("system {other:?} has no batch functions (icd10cm, icd10pcs)"),
            )),
        }
    }

    fn valid(self, code: &str, date: Date) -> bool {
        match self {
            System::Cm => IcdCm::parse(code).is_ok_and(|c| c.valid_on(date)),
            System::Pcs => IcdPcs::parse(code).is_ok_and(|c| c.valid_on(date)),
        }
    }

    /// The title official on `date`, else the newest one; `None` when the
    /// text is not a code of the bundled tables.
    fn title(self, code: &str, date: Date) -> Option<&'static str> {
        match self {
            System::Cm => {
                let info = IcdCm::parse(code).ok()?.info()?;
                info.title_on(date).or_else(|| info.title())
            }
            System::Pcs => {
                let info = IcdPcs::parse(code).ok()?.info()?;
                info.title_on(date).or_else(|| info.title())
            }
        }
    }

    /// Strict validity of one code: `Err((code, message))` when it is not a
    /// code of the system's syntax.
    fn check(self, code: &str, date: Date) -> Result<bool, (i32, String)> {
        let r = match self {
            System::Cm => IcdCm::parse(code).map(|c| c.valid_on(date)),
            System::Pcs => IcdPcs::parse(code).map(|c| c.valid_on(date)),
        };
        r.map_err(|e| (ERR_SYNTAX, e.to_string()))
    }
}

/// A code argument's text: a `str` that is Unicode, has no NUL and is at
/// most `MAX_INPUT_LEN` bytes (the C ABI's rules, so errors match it).
fn code_text<'a>(obj: &'a Bound<'_, PyAny>, what: &str) -> PyResult<Cow<'a, str>> {
    let s = obj.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a str, not {}",
            obj.get_type()
                .name()
                .map_or_else(|_| "?".into(), |n| n.to_string())
        ))
    })?;
    let text = s.to_cow().map_err(|_| {
        native(
            ERR_UTF8,
            format!("{what} is not valid Unicode (a lone surrogate)"),
        )
    })?;
    if text.len() > MAX_INPUT_LEN {
        return Err(native(
            ERR_TOO_LONG,
            format!(
                "{what} is {} bytes long; at most {MAX_INPUT_LEN} are accepted",
                text.len()
            ),
        ));
    }
    if text.contains('\0') {
        return Err(native(ERR_NUL, format!("{what} contains a NUL character")));
    }
    Ok(text)
}

/// Is one code valid? Text that is not a code gives false, or raises
/// `NativeError` when `strict`.
#[pyfunction]
#[pyo3(signature = (system, code, yyyymmdd, strict=false))]
fn is_valid(system: &str, code: &Bound<'_, PyAny>, yyyymmdd: u32, strict: bool) -> PyResult<bool> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    let text = match code_text(code, "code") {
        Ok(t) => t,
        Err(e) if e.is_instance_of::<NativeError>(code.py()) && !strict => return Ok(false),
        Err(e) => return Err(e),
    };
    match system.check(&text, date) {
        Ok(v) => Ok(v),
        Err(_) if !strict => Ok(false),
        Err((c, m)) => Err(native(c, m)),
    }
}

/// The texts of a list or tuple, `None` where an item is not a `str` (None,
/// NaN, a number) or not Unicode.
fn texts_of(seq: &Bound<'_, PyAny>) -> PyResult<Vec<Option<String>>> {
    let mut out = Vec::with_capacity(seq.len().unwrap_or(0));
    for item in seq.try_iter()? {
        let item = item?;
        out.push(
            item.cast::<PyString>()
                .ok()
                .and_then(|s| s.to_cow().ok().map(Cow::into_owned)),
        );
    }
    Ok(out)
}

/// `joined` split at `\n` into `n` texts, or `None` when it does not split
/// into exactly `n` (a code held a line break: the caller takes the slow path).
fn split_joined(joined: &str, n: usize) -> Option<Vec<&str>> {
    let parts: Vec<&str> = if n == 0 {
        Vec::new()
    } else {
        joined.split('\n').collect()
    };
    (parts.len() == n).then_some(parts)
}

fn bools_out<'py>(
    py: Python<'py>,
    values: Vec<bool>,
    as_bytes: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if as_bytes {
        let raw: Vec<u8> = values.into_iter().map(u8::from).collect();
        Ok(PyBytes::new(py, &raw).into_any())
    } else {
        Ok(PyList::new(py, values)?.into_any())
    }
}

/// Validity of `n` codes joined with `\n` (one `str`, read without a Python
/// object per code); `None` when the text does not split into `n` codes.
/// Answers a list of bool, or bytes of 0/1 with `as_bytes`.
#[pyfunction]
#[pyo3(signature = (system, joined, n, yyyymmdd, as_bytes=false))]
fn valid_joined<'py>(
    py: Python<'py>,
    system: &str,
    joined: &str,
    n: usize,
    yyyymmdd: u32,
    as_bytes: bool,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    let values = py.detach(|| split_joined(joined, n).map(|parts| valid_all(system, &parts, date)));
    values.map(|v| bools_out(py, v, as_bytes)).transpose()
}

/// Validity of the items of a list or tuple (anything not a `str` is false).
#[pyfunction]
#[pyo3(signature = (system, items, yyyymmdd, as_bytes=false))]
fn valid_items<'py>(
    py: Python<'py>,
    system: &str,
    items: &Bound<'py, PyAny>,
    yyyymmdd: u32,
    as_bytes: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    let texts = texts_of(items)?;
    let values = py.detach(|| {
        par_map(&texts, |t| {
            t.as_deref()
                .is_some_and(|c| c.len() <= MAX_INPUT_LEN && system.valid(c, date))
        })
    });
    bools_out(py, values, as_bytes)
}

fn titles_out<'py>(
    py: Python<'py>,
    titles: Vec<Option<&'static str>>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyList::new(py, titles)?.into_any())
}

/// Titles of `n` codes joined with `\n`; `None` when it does not split into `n`.
#[pyfunction]
fn title_joined<'py>(
    py: Python<'py>,
    system: &str,
    joined: &str,
    n: usize,
    yyyymmdd: u32,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    let titles = py
        .detach(|| split_joined(joined, n).map(|parts| par_map(&parts, |c| system.title(c, date))));
    titles.map(|t| titles_out(py, t)).transpose()
}

/// Titles of the items of a list or tuple (None where not a code).
#[pyfunction]
fn title_items<'py>(
    py: Python<'py>,
    system: &str,
    items: &Bound<'py, PyAny>,
    yyyymmdd: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    let texts = texts_of(items)?;
    let titles = py.detach(|| {
        par_map(&texts, |t| {
            t.as_deref()
                .filter(|c| c.len() <= MAX_INPUT_LEN)
                .and_then(|c| system.title(c, date))
        })
    });
    titles_out(py, titles)
}

/// One code's title (None where not a code).
#[pyfunction]
fn title_one(
    system: &str,
    code: &Bound<'_, PyAny>,
    yyyymmdd: u32,
) -> PyResult<Option<&'static str>> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    Ok(code_text(code, "code")
        .ok()
        .and_then(|c| system.title(&c, date)))
}

/// Every code valid on the date (ICD-10-CM: billable codes, dotted).
#[pyfunction]
fn codes(py: Python<'_>, system: &str, yyyymmdd: u32) -> PyResult<Vec<String>> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    Ok(py.detach(|| match system {
        System::Cm => medcode::icd10cm::valid_on(date)
            .map(|i| i.code().dotted().to_string())
            .collect(),
        System::Pcs => medcode::icd10pcs::valid_on(date)
            .map(|i| i.code().text().to_string())
            .collect(),
    }))
}

// ---------------------------------------------------------------- Arrow columns

/// A string column's values, `None` for nulls; other types are cast to
/// UTF-8 first (dictionary, large, view, binary); a null column is all `None`.
fn arrow_texts(array: &ArrayRef) -> PyResult<Vec<Option<&str>>> {
    Ok(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
        DataType::Utf8View => array.as_string_view().iter().collect(),
        DataType::Null => vec![None; array.len()],
        DataType::Dictionary(key, value) if **value == DataType::Utf8 => match **key {
            DataType::Int32 => {
                let d = array.as_dictionary::<Int32Type>();
                let values = d.values().as_string::<i32>();
                d.keys()
                    .iter()
                    .map(|k| k.map(|k| values.value(k as usize)))
                    .collect()
            }
            DataType::Int64 => {
                let d = array.as_dictionary::<Int64Type>();
                let values = d.values().as_string::<i32>();
                d.keys()
                    .iter()
                    .map(|k| k.map(|k| values.value(k as usize)))
                    .collect()
            }
            _ => return Err(unsupported(array.data_type())),
        },
        other => return Err(unsupported(other)),
    })
}

fn unsupported(t: &DataType) -> PyErr {
    PyTypeError::new_err(format!(
        "expected an Arrow string column (utf8, large_utf8, string_view or a dictionary of utf8), not {t}"
    ))
}

/// `f` over one Arrow chunk of codes.
fn map_chunk<R: Send>(array: &ArrayRef, f: impl Fn(Option<&str>) -> R + Sync) -> PyResult<Vec<R>> {
    let texts = arrow_texts(array)?;
    Ok(par_map(&texts, |t| f(*t)))
}

/// Applies `f` to every chunk of an Arrow array or stream, without the GIL,
/// and answers the same kind (pyarrow Array or ChunkedArray).
fn arrow_map<'py>(
    py: Python<'py>,
    codes: AnyArray,
    out_type: DataType,
    f: impl Fn(&ArrayRef) -> PyResult<ArrayRef> + Send + Sync,
) -> PyResult<Bound<'py, PyAny>> {
    let single = matches!(codes, AnyArray::Array(_));
    let chunked = codes.into_chunked_array()?;
    let (chunks, field) = chunked.into_inner();
    let out: PyResult<Vec<ArrayRef>> = py.detach(|| chunks.iter().map(&f).collect());
    let out = out?;
    let field: FieldRef = Arc::new(Field::new(field.name(), out_type, true));
    if single && out.len() == 1 {
        let array = out.into_iter().next().expect("one chunk");
        let array =
            PyArray::try_new(array, field).map_err(|e| PyValueError::new_err(e.to_string()))?;
        py.import("pyarrow")?.getattr("array")?.call1((array,))
    } else {
        PyChunkedArray::try_new(out, field)?.into_pyarrow(py)
    }
}

/// Validity of one string column through the core's `valid_arrow` (values
/// read in place from the Arrow buffers, table loads overlapped).
fn valid_typed<'a, A: ArrayAccessor<Item = &'a str>>(
    system: System,
    codes: A,
    date: Date,
) -> BooleanArray {
    match system {
        System::Cm => medcode::icd10cm::valid_arrow(codes, date),
        System::Pcs => medcode::icd10pcs::valid_arrow(codes, date),
    }
}

/// Validity of one Arrow chunk of any string type [`arrow_texts`] accepts.
fn valid_column(system: System, array: &ArrayRef, date: Date) -> PyResult<BooleanArray> {
    Ok(match array.data_type() {
        DataType::Utf8 => valid_typed(system, array.as_string::<i32>(), date),
        DataType::LargeUtf8 => valid_typed(system, array.as_string::<i64>(), date),
        DataType::Utf8View => valid_typed(system, array.as_string_view(), date),
        DataType::Null => BooleanArray::from(vec![false; array.len()]),
        DataType::Dictionary(key, value) if **value == DataType::Utf8 => match **key {
            DataType::Int32 => valid_typed(system, dict_strings::<Int32Type>(array)?, date),
            DataType::Int64 => valid_typed(system, dict_strings::<Int64Type>(array)?, date),
            _ => return Err(unsupported(array.data_type())),
        },
        other => return Err(unsupported(other)),
    })
}

fn dict_strings<K: ArrowDictionaryKeyType>(
    array: &ArrayRef,
) -> PyResult<TypedDictionaryArray<'_, K, StringArray>> {
    array
        .as_dictionary::<K>()
        .downcast_dict::<StringArray>()
        .ok_or_else(|| unsupported(array.data_type()))
}

/// Validity over an Arrow array (pyarrow Array, ChunkedArray or anything
/// with `__arrow_c_array__` / `__arrow_c_stream__`): a boolean array, false
/// for nulls.
#[pyfunction]
fn valid_arrow<'py>(
    py: Python<'py>,
    system: &str,
    codes: AnyArray,
    yyyymmdd: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    arrow_map(py, codes, DataType::Boolean, |chunk| {
        // Zero-copy slices of the chunk, one a thread.
        let n = chunk.len();
        let part = n.div_ceil(threads_for(n)).max(1);
        let parts: Vec<ArrayRef> = (0..n)
            .step_by(part)
            .map(|at| chunk.slice(at, part.min(n - at)))
            .collect();
        let answers: Vec<PyResult<BooleanArray>> = if parts.len() < 2 {
            parts
                .iter()
                .map(|p| valid_column(system, p, date))
                .collect()
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = parts
                    .iter()
                    .map(|p| s.spawn(move || valid_column(system, p, date)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a medcode worker thread panicked"))
                    .collect()
            })
        };
        // The core answers null for a null; here a null is false, as
        // `valid` answers for it (its value bit is already false).
        let mut values = BooleanBufferBuilder::new(n);
        for answer in answers {
            values.append_buffer(answer?.values());
        }
        if n == 0 {
            valid_column(system, chunk, date)?; // the type error, if any
        }
        Ok(Arc::new(BooleanArray::new(values.finish(), None)) as ArrayRef)
    })
}

/// Titles over an Arrow array: a string array, null where not a code.
#[pyfunction]
fn title_arrow<'py>(
    py: Python<'py>,
    system: &str,
    codes: AnyArray,
    yyyymmdd: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let system = System::from_name(system)?;
    let date = date_arg(yyyymmdd)?;
    arrow_map(py, codes, DataType::Utf8, |chunk| {
        let titles = map_chunk(chunk, |t| {
            t.filter(|c| c.len() <= MAX_INPUT_LEN)
                .and_then(|c| system.title(c, date))
        })?;
        Ok(Arc::new(StringArray::from(titles)) as ArrayRef)
    })
}

// ---------------------------------------------------------------- lookup

/// `medcode lookup --json`'s answer for one code, as JSON text.
#[pyfunction]
#[pyo3(signature = (code, system=None, date=None))]
fn lookup_json(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    system: Option<&Bound<'_, PyAny>>,
    date: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    use medcode::lookup::{self, LookupAnswer};
    let code = code_text(code, "code")?;
    let system = match system {
        None => None,
        Some(s) => match code_text(s, "system")?.trim() {
            "" => None,
            s => Some(
                s.parse::<lookup::System>()
                    .map_err(|e| native(ERR_SYSTEM, e.to_string()))?,
            ),
        },
    };
    let date = match date {
        None => Date::today(),
        Some(d) => {
            let d = code_text(d, "date")?;
            match d.trim() {
                "" => Date::today(),
                t => t
                    .parse::<Date>()
                    .map_err(|e| native(ERR_DATE, format!("date {t:?}: {e}")))?,
            }
        }
    };
    let code = code.into_owned();
    py.detach(|| {
        let answer = match system {
            Some(s) => LookupAnswer::One(lookup::lookup_in(s, &code, date)),
            None => lookup::lookup(&code, date),
        };
        serde_json::to_string(&answer).map_err(|e| native(ERR_INTERNAL, e.to_string()))
    })
}

#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

// ---------------------------------------------------------------- the engine

/// A built engine and the configuration it came from (so tables can be added).
struct Built {
    config: EngineConfig,
    engine: Engine,
}

/// The claims engine. Calls take a reference-counted handle to the built
/// engine and run without the GIL; `close()` drops this object's handle, so
/// the engine is freed by whichever finishes last: never under a running
/// call. `load_table` builds a new engine and swaps it in; calls already
/// running finish on the old one.
#[pyclass(frozen, module = "medcode._medcode")]
struct NativeEngine {
    built: Mutex<Option<Arc<Built>>>,
}

fn build(config: EngineConfig) -> PyResult<Built> {
    let engine = Engine::from_config(&config).map_err(|e| native(ERR_CONFIG, e.to_string()))?;
    Ok(Built { config, engine })
}

/// The report of one claim text as `medcode check` reads a line.
fn check_text(engine: &Engine, text: &str) -> Report {
    if text.len() > MAX_CLAIM_LEN {
        engine.line_too_long(MAX_CLAIM_LEN)
    } else {
        engine.check_json(text.strip_suffix('\r').unwrap_or(text))
    }
}

fn finding_dict<'py>(py: Python<'py>, f: &Finding) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(pyo3::intern!(py, "rule"), f.rule.as_ref())?;
    d.set_item(pyo3::intern!(py, "severity"), f.severity.as_str())?;
    d.set_item(pyo3::intern!(py, "line"), f.line)?;
    d.set_item(pyo3::intern!(py, "field"), f.field.as_deref())?;
    d.set_item(pyo3::intern!(py, "codes"), &f.codes)?;
    d.set_item(pyo3::intern!(py, "message"), &f.message)?;
    // As the JSON writes it: only where the rule stands for a CMS edit.
    if let Some(cms) = f.cms_edit.as_deref() {
        d.set_item(pyo3::intern!(py, "cms_edit"), cms)?;
    }
    Ok(d)
}

fn report_dict<'py>(
    py: Python<'py>,
    r: &Report,
    line: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    if let Some(n) = line {
        d.set_item(pyo3::intern!(py, "line"), n)?;
    }
    d.set_item(pyo3::intern!(py, "claim_id"), r.claim_id.as_deref())?;
    let findings = PyList::empty(py);
    for f in &r.findings {
        findings.append(finding_dict(py, f)?)?;
    }
    d.set_item(pyo3::intern!(py, "findings"), findings)?;
    Ok(d)
}

/// A claim's text: Unicode, no NUL (else `NativeError`).
fn claim_text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let s = obj
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("{what} must be a dict or a str")))?;
    let text = s.to_cow().map_err(|_| {
        native(
            ERR_UTF8,
            format!("{what} is not valid Unicode (a lone surrogate)"),
        )
    })?;
    if text.contains('\0') {
        return Err(native(ERR_NUL, format!("{what} contains a NUL character")));
    }
    Ok(text.into_owned())
}

fn findings_field() -> FieldRef {
    let codes_item = Arc::new(Field::new("item", DataType::Utf8, true));
    let finding = Fields::from(vec![
        Field::new("rule", DataType::Utf8, false),
        Field::new("severity", DataType::Utf8, false),
        Field::new("line", DataType::Int64, true),
        Field::new("field", DataType::Utf8, true),
        Field::new("codes", DataType::List(codes_item), false),
        Field::new("message", DataType::Utf8, false),
        Field::new("cms_edit", DataType::Utf8, true),
    ]);
    let item = Arc::new(Field::new("item", DataType::Struct(finding), true));
    Arc::new(Field::new("findings", DataType::List(item), true))
}

/// The `findings` column: one list of findings a row, null where the claim was null.
fn findings_array(reports: &[Option<Report>]) -> PyResult<ArrayRef> {
    let DataType::List(item) = findings_field().data_type().clone() else {
        unreachable!("findings is a list")
    };
    let DataType::Struct(fields) = item.data_type().clone() else {
        unreachable!("a finding is a struct")
    };
    let all: Vec<&Finding> = reports.iter().flatten().flat_map(|r| &r.findings).collect();
    let rule = StringArray::from_iter_values(all.iter().map(|f| f.rule.as_ref()));
    let severity = StringArray::from_iter_values(all.iter().map(|f| f.severity.as_str()));
    let line = Int64Array::from_iter(all.iter().map(|f| f.line.map(|l| l as i64)));
    let field = StringArray::from_iter(all.iter().map(|f| f.field.as_deref()));
    let codes_values = StringArray::from(
        all.iter()
            .flat_map(|f| f.codes.iter().map(String::as_str))
            .collect::<Vec<&str>>(),
    );
    let DataType::List(codes_item) = fields[4].data_type().clone() else {
        unreachable!("codes is a list")
    };
    let codes = ListArray::try_new(
        codes_item,
        OffsetBuffer::from_lengths(all.iter().map(|f| f.codes.len())),
        Arc::new(codes_values),
        None,
    )
    .map_err(|e| native(ERR_INTERNAL, e.to_string()))?;
    let message = StringArray::from_iter_values(all.iter().map(|f| f.message.as_str()));
    let cms_edit = StringArray::from_iter(all.iter().map(|f| f.cms_edit.as_deref()));
    let structs = StructArray::try_new(
        fields,
        vec![
            Arc::new(rule),
            Arc::new(severity),
            Arc::new(line),
            Arc::new(field),
            Arc::new(codes),
            Arc::new(message),
            Arc::new(cms_edit),
        ],
        None,
    )
    .map_err(|e| native(ERR_INTERNAL, e.to_string()))?;
    let nulls = NullBuffer::from(reports.iter().map(Option::is_some).collect::<Vec<_>>());
    let list = ListArray::try_new(
        item,
        OffsetBuffer::from_lengths(
            reports
                .iter()
                .map(|r| r.as_ref().map_or(0, |r| r.findings.len())),
        ),
        Arc::new(structs),
        (nulls.null_count() > 0).then_some(nulls),
    )
    .map_err(|e| native(ERR_INTERNAL, e.to_string()))?;
    Ok(Arc::new(list))
}

/// One record batch checked: its columns plus `findings`.
fn check_batch(engine: &Engine, batch: &RecordBatch, claim_col: &str) -> PyResult<RecordBatch> {
    let schema = batch.schema();
    let index = schema.index_of(claim_col).map_err(|_| {
        PyValueError::new_err(format!(
            "no column {claim_col:?} (columns: {})",
            schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let texts = arrow_texts(batch.column(index))?;
    let reports = par_map(&texts, |t| t.map(|c| check_text(engine, c)));
    let mut fields: Vec<FieldRef> = schema
        .fields()
        .iter()
        .filter(|f| f.name() != "findings")
        .cloned()
        .collect();
    let mut columns: Vec<ArrayRef> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(f, _)| f.name() != "findings")
        .map(|(_, c)| c.clone())
        .collect();
    fields.push(findings_field());
    columns.push(findings_array(&reports)?);
    RecordBatch::try_new(
        Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())),
        columns,
    )
    .map_err(|e| native(ERR_INTERNAL, e.to_string()))
}

/// A streaming `check_file`: reads and checks the file in blocks of lines
/// (without the GIL), and hands out one report dict at a time.
#[pyclass(frozen, module = "medcode._medcode")]
struct ReportIter {
    state: Mutex<FileState>,
}

struct FileState {
    built: Arc<Built>,
    input: Option<BufReader<std::fs::File>>,
    line: usize,
    pending: VecDeque<(usize, Report)>,
}

/// Lines read and checked at a time by `check_file`.
const FILE_BLOCK: usize = 8192;

enum Line {
    Text(Vec<u8>),
    TooLong,
}

/// The next line (without its `\n` / `\r\n`), read as `medcode check` reads
/// it: a line longer than `MAX_CLAIM_LEN` is skipped, not held in memory.
fn next_line(input: &mut impl BufRead) -> std::io::Result<Option<Line>> {
    let mut buf = Vec::new();
    Ok(
        read_jsonl_line(input, &mut buf, MAX_CLAIM_LEN)?.map(|line| match line {
            JsonlLine::Read => Line::Text(buf),
            JsonlLine::TooLong => Line::TooLong,
        }),
    )
}

impl FileState {
    fn fill(&mut self) -> std::io::Result<()> {
        let Some(input) = self.input.as_mut() else {
            return Ok(());
        };
        let mut lines = Vec::with_capacity(FILE_BLOCK);
        while lines.len() < FILE_BLOCK {
            match next_line(input)? {
                Some(l) => lines.push(l),
                None => {
                    self.input = None;
                    break;
                }
            }
        }
        let engine = &self.built.engine;
        let reports = par_map(&lines, |l| match l {
            Line::Text(b) => engine.check_json_bytes(b),
            Line::TooLong => engine.line_too_long(MAX_CLAIM_LEN),
        });
        for r in reports {
            self.line += 1;
            self.pending.push_back((self.line, r));
        }
        Ok(())
    }
}

#[pymethods]
impl ReportIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let next = py.detach(|| {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if state.pending.is_empty() {
                state.fill()?;
            }
            Ok::<_, std::io::Error>(state.pending.pop_front())
        });
        match next {
            Ok(Some((line, report))) => report_dict(py, &report, Some(line)),
            Ok(None) => Err(PyStopIteration::new_err(())),
            Err(e) => Err(pyo3::exceptions::PyOSError::new_err(format!(
                "reading claims: {e}"
            ))),
        }
    }
}

// ---------------------------------------------------------------- MS-DRG grouping

/// The grouping options from the keyword arguments (`None`: the default).
fn group_options(
    version: Option<&str>,
    hospital: Option<&str>,
    tie_breaker: Option<&str>,
    affects_drg: bool,
) -> PyResult<GroupOptions> {
    let mut o = GroupOptions {
        affects_drg,
        ..GroupOptions::default()
    };
    if let Some(v) = version {
        o.version = Some(
            v.parse::<MsdrgVersion>()
                .map_err(|e| native(ERR_OPTIONS, format!("version: {e}")))?,
        );
    }
    if let Some(h) = hospital {
        o.hospital = h
            .parse()
            .map_err(|e: medcode::drg::InvalidOption| native(ERR_OPTIONS, e.to_string()))?;
    }
    if let Some(t) = tie_breaker {
        o.tie_breaker = t
            .parse()
            .map_err(|e: medcode::drg::InvalidOption| native(ERR_OPTIONS, e.to_string()))?;
    }
    Ok(o)
}

/// One claim text answered as `medcode group` reads a line: an outpatient
/// claim by the I/OCE, any other by the MS-DRG grouper.
fn group_text(text: &str, options: &GroupOptions) -> Result<Answer, ClaimNotGrouped> {
    if text.len() > MAX_CLAIM_LEN {
        Err(ClaimNotGrouped::line_too_long(MAX_CLAIM_LEN))
    } else {
        ClaimRouter::new().answer_json(text.strip_suffix('\r').unwrap_or(text), options)
    }
}

/// The `grouping` column's fields: the engine that answered, the headline
/// of each grouping (MS-DRG) or I/OCE answer, its `error` when it could not
/// be grouped, and the whole object as JSON.
fn grouping_field() -> FieldRef {
    let fields = Fields::from(vec![
        Field::new("engine", DataType::Utf8, true),
        Field::new("version", DataType::Utf8, true),
        Field::new("initial_drg", DataType::Int32, true),
        Field::new("final_drg", DataType::Int32, true),
        Field::new("final_mdc", DataType::Int32, true),
        Field::new("final_severity", DataType::Utf8, true),
        Field::new("final_type", DataType::Utf8, true),
        Field::new("return_code", DataType::Utf8, true),
        Field::new("final_drg_title", DataType::Utf8, true),
        Field::new("hac_status", DataType::Utf8, true),
        Field::new("hac_categories", DataType::Int32, true),
        Field::new("ioce_return_code", DataType::Int32, true),
        Field::new("claim_disposition", DataType::Int32, true),
        Field::new("error", DataType::Utf8, true),
        Field::new("json", DataType::Utf8, true),
    ]);
    Arc::new(Field::new("grouping", DataType::Struct(fields), true))
}

/// The answer of a row that was answered.
fn answered_row(r: &Option<Result<Answer, ClaimNotGrouped>>) -> Option<&Answer> {
    match r {
        Some(Ok(a)) => Some(a),
        _ => None,
    }
}

/// The `grouping` column: one struct a row, null where the claim was null.
/// An MS-DRG grouping fills the DRG fields, an I/OCE answer
/// `ioce_return_code` and `claim_disposition`; `engine`, `version` and
/// `json` are both's.
fn grouping_array(results: &[Option<Result<Answer, ClaimNotGrouped>>]) -> PyResult<ArrayRef> {
    let DataType::Struct(fields) = grouping_field().data_type().clone() else {
        unreachable!("grouping is a struct")
    };
    let text = |f: &dyn Fn(&Answer) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from(
            results
                .iter()
                .map(|r| answered_row(r).and_then(f))
                .collect::<Vec<Option<String>>>(),
        ))
    };
    let int = |f: &dyn Fn(&Answer) -> Option<i32>| -> ArrayRef {
        Arc::new(Int32Array::from(
            results
                .iter()
                .map(|r| answered_row(r).and_then(f))
                .collect::<Vec<Option<i32>>>(),
        ))
    };
    // The MS-DRG grouping of an answer, `None` for the I/OCE's, and back.
    fn drg(a: &Answer) -> Option<&medcode::drg::Grouping> {
        match a {
            Answer::Grouped(g) => Some(&g.grouping),
            _ => None,
        }
    }
    fn ioce(a: &Answer) -> Option<&medcode::ioce::Edited> {
        match a {
            Answer::Edited(e) => Some(&e.edited),
            _ => None,
        }
    }
    let columns: Vec<ArrayRef> = vec![
        text(&|a| Some(a.engine().to_owned())),
        text(&|a| match a {
            Answer::Grouped(g) => Some(g.grouping.version.name().to_owned()),
            Answer::Edited(e) => e.edited.version.clone(),
            _ => None,
        }),
        int(&|a| drg(a).map(|g| i32::from(g.initial.drg))),
        int(&|a| drg(a).map(|g| i32::from(g.final_drg.drg))),
        int(&|a| drg(a).map(|g| i32::from(g.final_drg.mdc))),
        text(&|a| drg(a).map(|g| g.final_drg.severity.as_str().to_owned())),
        text(&|a| drg(a).map(|g| g.final_drg.kind.as_str().to_owned())),
        text(&|a| drg(a).map(|g| g.final_drg.return_code.as_str().to_owned())),
        text(&|a| drg(a).and_then(|g| g.final_drg.drg_title.map(str::to_string))),
        text(&|a| drg(a).map(|g| g.hac_status.as_str().to_owned())),
        int(&|a| drg(a).map(|g| i32::from(g.hac_categories))),
        int(&|a| ioce(a).map(|e| i32::from(e.return_code))),
        int(&|a| ioce(a).map(|e| i32::from(e.claim_disposition))),
        Arc::new(StringArray::from(
            results
                .iter()
                .map(|r| match r {
                    Some(Err(e)) => Some(e.message.as_str()),
                    _ => None,
                })
                .collect::<Vec<Option<&str>>>(),
        )),
        text(&|a| Some(a.to_json(None))),
    ];
    let nulls = NullBuffer::from(results.iter().map(Option::is_some).collect::<Vec<_>>());
    let array = StructArray::try_new(fields, columns, (nulls.null_count() > 0).then_some(nulls))
        .map_err(|e| native(ERR_INTERNAL, e.to_string()))?;
    Ok(Arc::new(array))
}

/// One record batch grouped: its columns plus `grouping`.
fn group_batch(
    batch: &RecordBatch,
    claim_col: &str,
    options: &GroupOptions,
) -> PyResult<RecordBatch> {
    let schema = batch.schema();
    let index = schema.index_of(claim_col).map_err(|_| {
        PyValueError::new_err(format!(
            "no column {claim_col:?} (columns: {})",
            schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let texts = arrow_texts(batch.column(index))?;
    let results = par_map(&texts, |t| t.map(|c| group_text(c, options)));
    let mut fields: Vec<FieldRef> = schema
        .fields()
        .iter()
        .filter(|f| f.name() != "grouping")
        .cloned()
        .collect();
    let mut columns: Vec<ArrayRef> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(f, _)| f.name() != "grouping")
        .map(|(_, c)| c.clone())
        .collect();
    fields.push(grouping_field());
    columns.push(grouping_array(&results)?);
    RecordBatch::try_new(
        Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())),
        columns,
    )
    .map_err(|e| native(ERR_INTERNAL, e.to_string()))
}

/// A streaming `group_file`: reads and groups the file in blocks of lines
/// (without the GIL), and hands out one JSON line at a time (the Python
/// layer parses it), as `medcode group` writes it.
#[pyclass(frozen, module = "medcode._medcode")]
struct GroupIter {
    state: Mutex<GroupFileState>,
}

struct GroupFileState {
    options: GroupOptions,
    input: Option<BufReader<std::fs::File>>,
    line: usize,
    pending: VecDeque<String>,
}

impl GroupFileState {
    fn fill(&mut self) -> std::io::Result<()> {
        let Some(input) = self.input.as_mut() else {
            return Ok(());
        };
        let mut lines = Vec::with_capacity(FILE_BLOCK);
        while lines.len() < FILE_BLOCK {
            match next_line(input)? {
                Some(l) => lines.push(l),
                None => {
                    self.input = None;
                    break;
                }
            }
        }
        let router = ClaimRouter::new();
        let options = self.options;
        let first = self.line + 1;
        let numbered: Vec<(usize, Line)> = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| (first + i, l))
            .collect();
        let out = par_map(&numbered, |(n, l)| {
            let mut text = String::new();
            match l {
                Line::Text(b) => {
                    router.write_line(b, *n, &options, &mut text);
                }
                Line::TooLong => {
                    let result = Err(ClaimNotGrouped::line_too_long(MAX_CLAIM_LEN));
                    write_group_result(&result, Some(*n), &mut text);
                }
            }
            text
        });
        self.line += out.len();
        self.pending.extend(out);
        Ok(())
    }
}

#[pymethods]
impl GroupIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<String> {
        let next = py.detach(|| {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if state.pending.is_empty() {
                state.fill()?;
            }
            Ok::<_, std::io::Error>(state.pending.pop_front())
        });
        match next {
            Ok(Some(line)) => Ok(line),
            Ok(None) => Err(PyStopIteration::new_err(())),
            Err(e) => Err(pyo3::exceptions::PyOSError::new_err(format!(
                "reading claims: {e}"
            ))),
        }
    }
}

#[pymethods]
impl NativeEngine {
    #[new]
    #[pyo3(signature = (config_json=None))]
    fn new(py: Python<'_>, config_json: Option<&str>) -> PyResult<Self> {
        let config = match config_json.map(str::trim) {
            None | Some("") => EngineConfig::default(),
            Some(j) => EngineConfig::from_json(j)
                .map_err(|e| native(ERR_CONFIG, format!("config: {e}")))?,
        };
        let built = py.detach(|| build(config))?;
        Ok(NativeEngine {
            built: Mutex::new(Some(Arc::new(built))),
        })
    }

    /// Adds a table (`ncci-ptp`, `mue`, `addon`, `hcpcs`) and swaps in the rebuilt engine.
    fn load_table(&self, py: Python<'_>, kind: &str, path: PathBuf) -> PyResult<()> {
        let built = self.handle()?;
        let mut config = built.config.clone();
        config
            .add_table(kind, path)
            .map_err(|e| native(ERR_KIND, e.to_string()))?;
        let rebuilt = Arc::new(py.detach(|| build(config))?);
        let mut slot = self.built.lock().unwrap_or_else(|e| e.into_inner());
        match slot.as_mut() {
            Some(b) => {
                *b = rebuilt;
                Ok(())
            }
            None => Err(closed()),
        }
    }

    /// One claim's JSON text → its report dict.
    fn check<'py>(
        &self,
        py: Python<'py>,
        claim: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let built = self.handle()?;
        let text = claim_text(claim, "claim")?;
        if text.len() > MAX_CLAIM_LEN {
            return Err(native(
                ERR_TOO_LONG,
                format!(
                    "the claim is {} bytes of JSON; at most {MAX_CLAIM_LEN} are accepted",
                    text.len()
                ),
            ));
        }
        let report = py.detach(|| built.engine.check_json(&text));
        report_dict(py, &report, None)
    }

    /// Many claims' JSON texts (a list) → report dicts with `line` 1, 2, …
    fn check_many<'py>(
        &self,
        py: Python<'py>,
        claims: &Bound<'py, PyList>,
    ) -> PyResult<Bound<'py, PyList>> {
        let built = self.handle()?;
        let mut texts = Vec::with_capacity(claims.len());
        for (i, c) in claims.iter().enumerate() {
            texts.push(claim_text(&c, &format!("claim {}", i + 1))?);
        }
        let reports = py.detach(|| par_map(&texts, |t| check_text(&built.engine, t)));
        let out = PyList::empty(py);
        for (i, r) in reports.iter().enumerate() {
            out.append(report_dict(py, r, Some(i + 1))?)?;
        }
        Ok(out)
    }

    /// A JSON Lines file → an iterator of report dicts (streamed in blocks).
    fn check_file(&self, path: PathBuf) -> PyResult<ReportIter> {
        let built = self.handle()?;
        let file = std::fs::File::open(&path).map_err(|e| {
            pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display()))
        })?;
        Ok(ReportIter {
            state: Mutex::new(FileState {
                built,
                input: Some(BufReader::with_capacity(1 << 16, file)),
                line: 0,
                pending: VecDeque::new(),
            }),
        })
    }

    /// An Arrow table or record batch (or stream) → the same rows and
    /// columns plus `findings`: a pyarrow Table (a RecordBatch for a batch).
    #[pyo3(signature = (data, claim_col="claim"))]
    fn check_arrow<'py>(
        &self,
        py: Python<'py>,
        data: AnyRecordBatch,
        claim_col: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let built = self.handle()?;
        match data {
            AnyRecordBatch::RecordBatch(batch) => {
                let batch = batch.into_inner();
                let out = py.detach(|| check_batch(&built.engine, &batch, claim_col))?;
                PyRecordBatch::new(out).into_pyarrow(py)
            }
            AnyRecordBatch::Stream(stream) => {
                let reader = stream.into_reader()?;
                let schema = reader.schema();
                let out: PyResult<Vec<RecordBatch>> = py.detach(|| {
                    reader
                        .map(|b| {
                            let b = b.map_err(|e| PyValueError::new_err(e.to_string()))?;
                            check_batch(&built.engine, &b, claim_col)
                        })
                        .collect()
                });
                let out = out?;
                let schema = match out.first() {
                    Some(b) => b.schema(),
                    None => {
                        let empty = RecordBatch::new_empty(schema);
                        check_batch(&built.engine, &empty, claim_col)?.schema()
                    }
                };
                PyTable::try_new(out, schema)?.into_pyarrow(py)
            }
        }
    }

    /// The Arrow type of the `findings` column (a pyarrow field).
    #[staticmethod]
    fn findings_field(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let field = pyo3_arrow::PyField::new(findings_field());
        py.import("pyarrow")?.getattr("field")?.call1((field,))
    }

    /// One claim's JSON text → its grouping as JSON text (`medcode group`'s
    /// object without `line`; an outpatient claim's is the I/OCE's); a
    /// claim that cannot be grouped raises `NativeError(ERR_CLAIM, message)`.
    #[pyo3(signature = (claim, version=None, hospital=None, tie_breaker=None, affects_drg=true))]
    fn group(
        &self,
        py: Python<'_>,
        claim: &Bound<'_, PyAny>,
        version: Option<&str>,
        hospital: Option<&str>,
        tie_breaker: Option<&str>,
        affects_drg: bool,
    ) -> PyResult<String> {
        self.handle()?;
        let options = group_options(version, hospital, tie_breaker, affects_drg)?;
        let text = claim_text(claim, "claim")?;
        if text.len() > MAX_CLAIM_LEN {
            return Err(native(
                ERR_TOO_LONG,
                format!(
                    "the claim is {} bytes of JSON; at most {MAX_CLAIM_LEN} are accepted",
                    text.len()
                ),
            ));
        }
        py.detach(|| ClaimRouter::new().answer_json(&text, &options))
            .map(|a| a.to_json(None))
            .map_err(|e| native(ERR_CLAIM, e.to_string()))
    }

    /// A JSON Lines file → an iterator of JSON lines (groupings or errors),
    /// streamed in blocks.
    #[pyo3(signature = (path, version=None, hospital=None, tie_breaker=None, affects_drg=true))]
    fn group_file(
        &self,
        path: PathBuf,
        version: Option<&str>,
        hospital: Option<&str>,
        tie_breaker: Option<&str>,
        affects_drg: bool,
    ) -> PyResult<GroupIter> {
        self.handle()?;
        let options = group_options(version, hospital, tie_breaker, affects_drg)?;
        let file = std::fs::File::open(&path).map_err(|e| {
            pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display()))
        })?;
        Ok(GroupIter {
            state: Mutex::new(GroupFileState {
                options,
                input: Some(BufReader::with_capacity(1 << 16, file)),
                line: 0,
                pending: VecDeque::new(),
            }),
        })
    }

    /// An Arrow table or record batch (or stream) → the same rows and
    /// columns plus `grouping`: a pyarrow Table (a RecordBatch for a batch).
    #[pyo3(signature = (data, claim_col="claim", version=None, hospital=None, tie_breaker=None, affects_drg=true))]
    // One argument per Python keyword argument.
    #[allow(clippy::too_many_arguments)]
    fn group_arrow<'py>(
        &self,
        py: Python<'py>,
        data: AnyRecordBatch,
        claim_col: &str,
        version: Option<&str>,
        hospital: Option<&str>,
        tie_breaker: Option<&str>,
        affects_drg: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.handle()?;
        let options = group_options(version, hospital, tie_breaker, affects_drg)?;
        match data {
            AnyRecordBatch::RecordBatch(batch) => {
                let batch = batch.into_inner();
                let out = py.detach(|| group_batch(&batch, claim_col, &options))?;
                PyRecordBatch::new(out).into_pyarrow(py)
            }
            AnyRecordBatch::Stream(stream) => {
                let reader = stream.into_reader()?;
                let schema = reader.schema();
                let out: PyResult<Vec<RecordBatch>> = py.detach(|| {
                    reader
                        .map(|b| {
                            let b = b.map_err(|e| PyValueError::new_err(e.to_string()))?;
                            group_batch(&b, claim_col, &options)
                        })
                        .collect()
                });
                let out = out?;
                let schema = match out.first() {
                    Some(b) => b.schema(),
                    None => {
                        let empty = RecordBatch::new_empty(schema);
                        group_batch(&empty, claim_col, &options)?.schema()
                    }
                };
                PyTable::try_new(out, schema)?.into_pyarrow(py)
            }
        }
    }

    /// The Arrow type of the `grouping` column (a pyarrow field).
    #[staticmethod]
    fn grouping_field(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let field = pyo3_arrow::PyField::new(grouping_field());
        py.import("pyarrow")?.getattr("field")?.call1((field,))
    }

    /// Drops this object's handle; the engine is freed when no call holds it.
    fn close(&self) {
        self.built.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.built
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }
}

fn closed() -> PyErr {
    native(-1, "the engine is closed")
}

impl NativeEngine {
    fn handle(&self) -> PyResult<Arc<Built>> {
        self.built
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(closed)
    }
}

#[pymodule]
fn _medcode(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("NativeError", py.get_type::<NativeError>())?;
    m.add("MAX_CLAIM_LEN", MAX_CLAIM_LEN)?;
    m.add("MAX_INPUT_LEN", MAX_INPUT_LEN)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(is_valid, m)?)?;
    m.add_function(wrap_pyfunction!(valid_joined, m)?)?;
    m.add_function(wrap_pyfunction!(valid_items, m)?)?;
    m.add_function(wrap_pyfunction!(valid_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(title_one, m)?)?;
    m.add_function(wrap_pyfunction!(title_joined, m)?)?;
    m.add_function(wrap_pyfunction!(title_items, m)?)?;
    m.add_function(wrap_pyfunction!(title_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(codes, m)?)?;
    m.add_function(wrap_pyfunction!(lookup_json, m)?)?;
    m.add_class::<NativeEngine>()?;
    m.add_class::<ReportIter>()?;
    m.add_class::<GroupIter>()?;
    Ok(())
}
