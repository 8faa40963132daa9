"""medcode: US medical billing codes, over medcode's C ABI (ctypes).

>>> import medcode
>>> medcode.is_valid_icd10cm("E11.9", "2026-01-01")
True
>>> medcode.lookup("e119", date="2026-01-01")["code"]
'E11.9'

The shared library (``libmedcode.so``, built with ``cargo build --release
--features ffi``) is found at ``$MEDCODE_LIB``, else in ``../target/release``
or ``../target/debug`` beside this package's folder.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import enum
import json
import os
import pathlib
import sys
import threading
from typing import Any, Dict, List, Optional, Union

if sys.version_info >= (3, 8):
    from typing import Literal, TypedDict
else:  # pragma: no cover
    from typing_extensions import Literal, TypedDict

__all__ = [
    "AmbiguousAnswer",
    "ClaimError",
    "ClaimTooLongError",
    "CodeSyntaxError",
    "ConfigError",
    "Finding",
    "Report",
    "DateError",
    "Engine",
    "ErrorCode",
    "LookupAnswer",
    "LookupReport",
    "MAX_BATCH_LEN",
    "MAX_CLAIM_LEN",
    "MedcodeError",
    "UnknownSystemError",
    "is_valid_icd10cm",
    "is_valid_icd10pcs",
    "library_path",
    "lookup",
    "version",
]

System = Literal["icd10cm", "icd10pcs", "cpt", "hcpcs"]
DateLike = Union[None, _dt.date, str, int]


class ErrorCode(enum.IntEnum):
    """The C ABI's ``MEDCODE_ERR_*`` codes (see include/medcode.h)."""

    NULL = -1
    UTF8 = -2
    SYNTAX = -3
    DATE = -4
    PANIC = -5
    TOO_LONG = -6
    NUL = -7
    SYSTEM = -8
    INTERNAL = -9
    CONFIG = -10
    KIND = -11


class MedcodeError(Exception):
    """An error reported by medcode, with its message and ``code``."""

    def __init__(self, message: str, code: Optional[ErrorCode] = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class CodeSyntaxError(MedcodeError, ValueError):
    """The string is not a code of the system's syntax (or not UTF-8, has a NUL, is too long)."""


class DateError(MedcodeError, ValueError):
    """The date is not a real date."""


class UnknownSystemError(MedcodeError, ValueError):
    """The system is not one of icd10cm, icd10pcs, cpt, hcpcs."""


class ConfigError(MedcodeError, ValueError):
    """The engine configuration is invalid, or an edit table could not be loaded."""


class ClaimError(MedcodeError, ValueError):
    """A claim's text cannot be handed to medcode: a NUL character, or a lone
    surrogate (not encodable as UTF-8). A claim that is text but not a claim
    is not an error: its report holds a ``malformed-claim`` finding."""


class ClaimTooLongError(ClaimError):
    """A claim's JSON is longer than ``MAX_CLAIM_LEN`` bytes (1 MiB), or a
    ``check_many`` batch longer than ``MAX_BATCH_LEN`` (256 MiB)."""


#: The longest claim JSON ``Engine.check`` accepts, in UTF-8 bytes (the C
#: ABI's ``MEDCODE_MAX_CLAIM_LEN``).
MAX_CLAIM_LEN = 1 << 20
#: The longest JSON Lines batch ``Engine.check_many`` accepts, in bytes
#: (the C ABI's ``MEDCODE_MAX_BATCH_LEN``).
MAX_BATCH_LEN = 256 << 20


def _claim_bytes(text: str, what: str = "claim") -> bytes:
    """UTF-8 for the C ABI; a NUL or a lone surrogate raises ``ClaimError``."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a dict or a str, not {type(text).__name__}")
    try:
        b = text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ClaimError(f"{what} is not valid Unicode: {e}", ErrorCode.UTF8) from None
    if b"\0" in b:
        raise ClaimError(f"{what} contains a NUL character", ErrorCode.NUL)
    return b


_ERROR_CLASSES = {
    ErrorCode.CONFIG: ConfigError,
    ErrorCode.KIND: ConfigError,
    ErrorCode.SYNTAX: CodeSyntaxError,
    ErrorCode.UTF8: CodeSyntaxError,
    ErrorCode.NUL: CodeSyntaxError,
    ErrorCode.TOO_LONG: CodeSyntaxError,
    ErrorCode.DATE: DateError,
    ErrorCode.SYSTEM: UnknownSystemError,
}




class LookupReport(TypedDict, total=False):
    """One system's answer: the CLI's ``lookup --json`` object."""

    system: System
    input: str
    code: Optional[str]
    in_table: bool
    billable: bool
    header: bool
    valid: bool
    date: str
    release: Optional[Dict[str, Any]]
    beyond_horizon: bool
    title: Optional[str]
    short_title: Optional[str]
    parent: Optional[str]
    valid_from: Optional[str]
    valid_to: Optional[str]
    mce: List[str]
    chapter: Dict[str, Any]
    section: Dict[str, Any]
    cc: Dict[str, Any]
    requires_seventh_character: bool
    axes: List[Dict[str, Any]]
    category: str
    release_file: str
    note: str
    error: Optional[str]


class AmbiguousAnswer(TypedDict):
    """The answer when several systems' tables hold the code."""

    input: str
    ambiguous: bool
    matches: List[LookupReport]


LookupAnswer = Union[LookupReport, AmbiguousAnswer]

# ---------------------------------------------------------------- the library

_HERE = pathlib.Path(__file__).resolve().parent


def _candidates() -> List[pathlib.Path]:
    env = os.environ.get("MEDCODE_LIB")
    if env:
        return [pathlib.Path(env)]
    names = {"darwin": "libmedcode.dylib", "win32": "medcode.dll"}
    name = names.get(sys.platform, "libmedcode.so")
    root = _HERE.parent.parent  # the repository: python/medcode/ -> python/ -> root
    return [root / "target" / profile / name for profile in ("release", "debug")]


def _load() -> "tuple[ctypes.CDLL, pathlib.Path]":
    tried = []
    for path in _candidates():
        if not path.exists():
            tried.append(f"{path} (missing)")
            continue
        lib = ctypes.CDLL(str(path))
        if not hasattr(lib, "medcode_lookup"):
            tried.append(f"{path} (built without --features ffi)")
            continue
        return lib, path
    raise ImportError(
        "medcode: no usable libmedcode found; build it with "
        "`cargo build --release --features ffi` or set MEDCODE_LIB. Tried: " + "; ".join(tried)
    )


_lib, _path = _load()

_lib.medcode_version.argtypes = []
_lib.medcode_version.restype = ctypes.c_char_p
_lib.medcode_last_error.argtypes = []
_lib.medcode_last_error.restype = ctypes.c_char_p
_lib.medcode_last_error_code.argtypes = []
_lib.medcode_last_error_code.restype = ctypes.c_int
_lib.medcode_string_free.argtypes = [ctypes.c_void_p]
_lib.medcode_string_free.restype = None
_lib.medcode_lookup.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
_lib.medcode_lookup.restype = ctypes.c_void_p  # freed by us, so not c_char_p
for _fn in (_lib.medcode_icd10cm_is_valid, _lib.medcode_icd10pcs_is_valid):
    _fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32]
    _fn.restype = ctypes.c_int

_icd10cm_is_valid = _lib.medcode_icd10cm_is_valid
_icd10pcs_is_valid = _lib.medcode_icd10pcs_is_valid

# The fast paths' hot loop: ctypes' `argtypes` conversions (c_size_t,
# c_uint32) cost about as much as the call itself (~400 ns on our VMs), so
# short inputs go through second function objects without argtypes. ctypes
# then passes each Python int as a C int, which libffi widens to the full
# register on every 64-bit ABI; we only pass values below 2**31 that way
# (a length <= MEDCODE_MAX_INPUT_LEN, a date <= 99991231). Anything else
# takes the declared functions above.
_MAX_INPUT_LEN = 1024
_icd10cm_is_valid_fast = _lib["medcode_icd10cm_is_valid"]
_icd10pcs_is_valid_fast = _lib["medcode_icd10pcs_is_valid"]
for _fn in (_icd10cm_is_valid_fast, _icd10pcs_is_valid_fast):
    _fn.restype = ctypes.c_int


def library_path() -> pathlib.Path:
    """The path of the shared library in use."""
    return _path


def version() -> str:
    """The library's version (e.g. ``"0.1.0"``)."""
    return _lib.medcode_version().decode()


def _raise_last(fallback: int) -> "None":
    code = _lib.medcode_last_error_code() or fallback
    raw = _lib.medcode_last_error()
    message = raw.decode("utf-8", "replace") if raw else f"medcode error {code}"
    try:
        kind = ErrorCode(code)
    except ValueError:
        kind = None
    cls = _ERROR_CLASSES.get(kind, MedcodeError) if kind is not None else MedcodeError
    raise cls(message, kind)


def _yyyymmdd(date: DateLike) -> int:
    if date is None:
        return 0
    if isinstance(date, bool):
        raise TypeError("date must be None, a datetime.date, 'YYYY-MM-DD' or an int YYYYMMDD")
    if isinstance(date, int):
        if date <= 0 or date > 99991231:
            raise DateError(f"date {date} is not a date YYYYMMDD", ErrorCode.DATE)
        return date
    if isinstance(date, _dt.date):
        return date.year * 10000 + date.month * 100 + date.day
    if isinstance(date, str):
        s = date.strip()
        digits = s.replace("-", "") if len(s) == 10 and s[4] == "-" and s[7] == "-" else s
        if len(digits) == 8 and digits.isascii() and digits.isdigit():
            return int(digits)
        raise DateError(f"date {date!r}: expected a date as YYYY-MM-DD", ErrorCode.DATE)
    raise TypeError("date must be None, a datetime.date, 'YYYY-MM-DD' or an int YYYYMMDD")


def _date_str(date: DateLike) -> Optional[bytes]:
    if date is None:
        return None
    if isinstance(date, _dt.date):
        return date.isoformat().encode()
    if isinstance(date, int) and not isinstance(date, bool):
        return str(date).encode()
    if isinstance(date, str):
        return _encode(date, "date")
    raise TypeError("date must be None, a datetime.date, 'YYYY-MM-DD' or an int YYYYMMDD")


def _encode(s: str, what: str) -> bytes:
    if not isinstance(s, str):
        raise TypeError(f"{what} must be a str, not {type(s).__name__}")
    try:
        b = s.encode("utf-8")
    except UnicodeEncodeError as e:
        raise CodeSyntaxError(f"{what} is not valid Unicode: {e}", ErrorCode.UTF8) from None
    if b"\0" in b:
        raise CodeSyntaxError(f"{what} contains a NUL character", ErrorCode.NUL)
    return b


def _is_valid_function(fn: Any, fast: Any, name: str, doc: str) -> Any:
    # One Python frame per call: the ctypes call itself costs most of the time.
    def is_valid(code: str, date: DateLike = None, *, strict: bool = False) -> bool:
        if type(code) is not str:
            if not isinstance(code, str):
                raise TypeError(f"code must be a str, not {type(code).__name__}")
        b = code.encode("utf-8", "surrogatepass")
        d = date if type(date) is int and 0 < date <= 99991231 else _yyyymmdd(date)
        n = len(b)
        r = fast(b, n, d) if n <= _MAX_INPUT_LEN else fn(b, n, d)
        if r >= 0:
            return r == 1
        if r == ErrorCode.DATE or strict or r not in _NOT_A_CODE:
            _raise_last(r)
        return False

    is_valid.__name__ = is_valid.__qualname__ = name
    is_valid.__doc__ = doc
    return is_valid


_NOT_A_CODE = frozenset((ErrorCode.SYNTAX, ErrorCode.UTF8, ErrorCode.NUL, ErrorCode.TOO_LONG))

is_valid_icd10cm = _is_valid_function(
    _icd10cm_is_valid,
    _icd10cm_is_valid_fast,
    "is_valid_icd10cm",
    """True if ``code`` is a billable ICD-10-CM code valid on ``date`` (default today).

    ``date``: None (today, UTC), a ``datetime.date``, ``"YYYY-MM-DD"`` or an int
    ``YYYYMMDD``. A string that is not an ICD-10-CM code gives ``False``, or
    raises ``CodeSyntaxError`` with ``strict=True``. A bad date raises ``DateError``.
    """,
)

is_valid_icd10pcs = _is_valid_function(
    _icd10pcs_is_valid,
    _icd10pcs_is_valid_fast,
    "is_valid_icd10pcs",
    """True if ``code`` is an ICD-10-PCS code valid on ``date`` (default today); as ``is_valid_icd10cm``.""",
)


def lookup(code: str, system: Optional[str] = None, date: DateLike = None) -> LookupAnswer:
    """Looks ``code`` up: the CLI's ``lookup --json`` object as a dict.

    ``system`` is None to detect it from the syntax (the answer may then be an
    ``AmbiguousAnswer``), or ``"icd10cm"``, ``"icd10pcs"``, ``"cpt"``, ``"hcpcs"``.
    A string that is not a code is answered, not raised: ``valid`` is False and
    ``error`` says why.
    """
    c = _encode(code, "code")
    s = _encode(system, "system") if system is not None else None
    ptr = _lib.medcode_lookup(s, c, _date_str(date))
    if not ptr:
        _raise_last(ErrorCode.INTERNAL)
    try:
        text = ctypes.string_at(ptr).decode("utf-8")
    finally:
        _lib.medcode_string_free(ptr)
    return json.loads(text)


class Finding(TypedDict):
    """One finding of the claims engine (rule ids are stable)."""

    rule: str
    severity: Literal["error", "warning", "info"]
    line: Optional[int]
    field: Optional[str]
    codes: List[str]
    message: str


class Report(TypedDict, total=False):
    """The engine's answer for one claim (``line`` only from ``check_many``)."""

    line: int
    claim_id: Optional[str]
    findings: List[Finding]


class _EngineHandle(ctypes.Structure):
    pass


_EnginePtr = ctypes.POINTER(_EngineHandle)
_lib.medcode_engine_new.argtypes = [ctypes.c_char_p]
_lib.medcode_engine_new.restype = _EnginePtr
_lib.medcode_engine_free.argtypes = [_EnginePtr]
_lib.medcode_engine_free.restype = None
_lib.medcode_engine_load_table.argtypes = [_EnginePtr, ctypes.c_char_p, ctypes.c_char_p]
_lib.medcode_engine_load_table.restype = ctypes.c_int
_lib.medcode_check_json.argtypes = [_EnginePtr, ctypes.c_char_p]
_lib.medcode_check_json.restype = ctypes.c_void_p
_lib.medcode_check_jsonl.argtypes = [_EnginePtr, ctypes.c_char_p, ctypes.c_size_t]
_lib.medcode_check_jsonl.restype = ctypes.c_void_p


def _take_string(ptr: Optional[int]) -> str:
    if not ptr:
        _raise_last(ErrorCode.INTERNAL)
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        _lib.medcode_string_free(ptr)


class Engine:
    """medcode's claim rules engine over the C ABI.

    >>> engine = Engine({"disabled": ["unspecified-code"]})
    >>> report = engine.check({"id": "C1", "type": "professional",
    ...     "patient": {"sex": "F", "age": 40}, "service_date": "2025-06-02",
    ...     "diagnoses": [{"code": "E11.A"}],
    ...     "lines": [{"code": "99213", "units": 1, "dx_pointers": [1]}]})
    >>> [f["rule"] for f in report["findings"]]
    ['code-not-valid-on-date']

    ``config`` is the engine configuration (``disabled``, ``severity``,
    ``ncci_ptp``, ``mue``, ``addon``, ``hcpcs_file``); invalid ones raise
    ``ConfigError``. The engine is immutable once built (after ``load_table``
    calls) and may be used from several threads.
    """

    def __init__(self, config: Optional[Dict[str, Any]] = None) -> None:
        # Calls in flight are counted: close() never frees the engine under
        # a running call (the last call out frees it), and load_table, which
        # rebuilds the engine, waits until no call is running.
        self._cond = threading.Condition()
        self._inflight = 0
        self._rebuilding = False
        self._closed = False
        self._handle: Any = None
        raw = json.dumps(config).encode("utf-8") if config else None
        handle = _lib.medcode_engine_new(raw)
        if not handle:
            _raise_last(ErrorCode.CONFIG)
        self._handle = handle

    def load_table(self, kind: Literal["ncci-ptp", "mue", "addon", "hcpcs"], path: Union[str, os.PathLike]) -> None:
        """Adds a CMS edit table (or the HCPCS quarterly file) and rebuilds the engine.

        ``path`` may be CMS's ``.zip`` as downloaded. A file that cannot be
        read, has a bad line, holds no record, has another table's headings
        or binary content raises ``ConfigError`` (its message names the file,
        the line and what was expected) and leaves the engine unchanged: a
        table is never loaded empty.

        Waits for checks running on other threads; checks started meanwhile wait for it.
        """
        raw_path = os.fsencode(path)
        if b"\0" in raw_path:
            raise ConfigError(f"path {os.fsdecode(raw_path)!r} contains a NUL character", ErrorCode.NUL)
        raw_kind = _encode(kind, "kind")
        handle = self._acquire(exclusive=True)
        try:
            rc = _lib.medcode_engine_load_table(handle, raw_kind, raw_path)
        finally:
            self._release(exclusive=True)
        if rc != 0:
            _raise_last(rc)

    def check(self, claim: Union[Dict[str, Any], str]) -> Report:
        """Checks one claim (a dict, or its JSON text) and returns its report.

        Raises ``ClaimError`` for text with a NUL or a lone surrogate and
        ``ClaimTooLongError`` past ``MAX_CLAIM_LEN`` bytes.
        """
        text = claim if isinstance(claim, str) else json.dumps(claim)
        b = _claim_bytes(text)
        if len(b) > MAX_CLAIM_LEN:
            raise ClaimTooLongError(
                f"the claim is {len(b)} bytes of JSON; at most {MAX_CLAIM_LEN} are accepted",
                ErrorCode.TOO_LONG,
            )
        handle = self._acquire()
        try:
            ptr = _lib.medcode_check_json(handle, b)
        finally:
            self._release()
        return json.loads(_take_string(ptr))

    def check_many(self, claims: List[Union[Dict[str, Any], str]]) -> List[Report]:
        """Checks many claims in one call (JSON Lines through the C ABI); one report each, in order."""
        lines = [c if isinstance(c, str) else json.dumps(c) for c in claims]
        if any("\n" in line for line in lines):
            raise ValueError("a claim's JSON text must not contain a line break")
        if not lines:
            return []
        buf = _claim_bytes("\n".join(lines) + "\n", "a claim")
        if len(buf) > MAX_BATCH_LEN:
            raise ClaimTooLongError(
                f"the claims are {len(buf)} bytes of JSON Lines; at most {MAX_BATCH_LEN} are accepted in one call",
                ErrorCode.TOO_LONG,
            )
        handle = self._acquire()
        try:
            ptr = _lib.medcode_check_jsonl(handle, buf, len(buf))
        finally:
            self._release()
        out = _take_string(ptr)
        return [json.loads(line) for line in out.split("\n")]

    def close(self) -> None:
        """Frees the engine (also done when the object is collected). Calls
        running on other threads finish first: the last one frees it. Calls
        after ``close`` raise ``MedcodeError``."""
        cond = getattr(self, "_cond", None)
        if cond is None:
            return
        with cond:
            self._closed = True
            self._free_if_idle()

    def _free_if_idle(self) -> None:
        # Called with self._cond held.
        if self._closed and self._handle and not self._inflight and not self._rebuilding:
            handle, self._handle = self._handle, None
            _lib.medcode_engine_free(handle)

    def _acquire(self, exclusive: bool = False) -> Any:
        with self._cond:
            while self._rebuilding or (exclusive and self._inflight):
                self._cond.wait()
            if self._closed or not self._handle:
                raise MedcodeError("the engine is closed", ErrorCode.NULL)
            if exclusive:
                self._rebuilding = True
            else:
                self._inflight += 1
            return self._handle

    def _release(self, exclusive: bool = False) -> None:
        with self._cond:
            if exclusive:
                self._rebuilding = False
            else:
                self._inflight -= 1
            self._free_if_idle()
            self._cond.notify_all()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()
