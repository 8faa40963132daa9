"""medcode: US medical billing codes and a claim rules engine, from Rust.

>>> import medcode
>>> medcode.icd10cm.valid("E11.9", "2026-01-01")
True
>>> medcode.icd10cm.valid(["E11.9", "e119", "E11", None], "2026-01-01")
[True, True, False, False]
>>> medcode.lookup("e119", date="2026-01-01")["code"]
'E11.9'

The package wraps the Rust crate ``medcode`` directly (PyO3, one abi3 wheel
for CPython >= 3.9): ``pip install medcode`` (or ``pip install ./python``
from a clone) needs nothing else. Batch work (many codes, many claims, Arrow
columns) runs in Rust without the GIL.

- :mod:`medcode.icd10cm`, :mod:`medcode.icd10pcs`: ``valid``, ``title``,
  ``codes``, vectorised over str, list, tuple, NumPy, pandas, Polars and Arrow.
- :func:`lookup`: everything about one code, as the CLI's ``lookup --json``.
- :class:`Engine`: the claims rules engine (``check``, ``check_many``,
  ``check_file``, ``check_arrow``) and the MS-DRG grouper (``group``,
  ``group_file``, ``group_arrow``; an outpatient claim is edited by CMS's
  I/OCE in its place).
- :mod:`medcode.spark`: the engine and the code checks on Spark DataFrames.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
from typing import Any, Dict, Iterable, Iterator, List, Optional, Union, overload

if sys.version_info >= (3, 11):
    from typing import Literal, TypedDict
else:  # pragma: no cover
    from typing_extensions import Literal, TypedDict

from . import _medcode as _native
from ._dates import DateLike, _date_str, _yyyymmdd
from ._errors import (
    ClaimError,
    ClaimTooLongError,
    CodeSyntaxError,
    ConfigError,
    DateError,
    ErrorCode,
    GroupError,
    GroupOptionsError,
    MedcodeError,
    UnknownSystemError,
    _claim_error,
    _code_error,
)
from . import icd10cm, icd10pcs  # noqa: E402  (submodules: valid/title/codes)

__all__ = [
    "__version__",
    "AmbiguousAnswer",
    "ClaimError",
    "ClaimTooLongError",
    "CodeSyntaxError",
    "ConfigError",
    "DateError",
    "DateLike",
    "Edited",
    "Engine",
    "ErrorCode",
    "Finding",
    "GroupError",
    "GroupOptionsError",
    "Grouping",
    "LookupAnswer",
    "LookupReport",
    "MAX_BATCH_LEN",
    "MAX_CLAIM_LEN",
    "MedcodeError",
    "Report",
    "System",
    "UnknownSystemError",
    "icd10cm",
    "icd10pcs",
    "is_valid_icd10cm",
    "is_valid_icd10pcs",
    "library_path",
    "lookup",
    "version",
]

System = Literal["icd10cm", "icd10pcs", "cpt", "hcpcs"]

#: The longest claim JSON ``Engine.check`` accepts, in UTF-8 bytes (1 MiB);
#: ``check_many``, ``check_file`` and ``check_arrow`` answer a longer claim
#: with one ``malformed-claim`` finding, as ``medcode check`` does.
MAX_CLAIM_LEN: int = _native.MAX_CLAIM_LEN
#: Kept for compatibility with the ctypes package: ``check_many`` has no
#: batch limit any more (claims are not joined into one buffer).
MAX_BATCH_LEN: int = 256 << 20


def library_path() -> pathlib.Path:
    """The path of the compiled extension module in use."""
    return pathlib.Path(_native.__file__)


def version() -> str:
    """The library's version (e.g. ``"0.1.0"``); also ``medcode.__version__``."""
    return _native.version()


#: The library's version, as ``version()`` answers it (e.g. ``"0.1.0"``).
__version__: str = _native.version()


# ---------------------------------------------------------------- one code


def is_valid_icd10cm(code: str, date: DateLike = None, *, strict: bool = False) -> bool:
    """True if ``code`` is a billable ICD-10-CM code valid on ``date`` (default today).

    ``date``: None (today, UTC), a ``datetime.date``, ``"YYYY-MM-DD"`` or an int
    ``YYYYMMDD``. A string that is not an ICD-10-CM code gives ``False``, or
    raises ``CodeSyntaxError`` with ``strict=True``. A bad date raises ``DateError``.
    For many codes at once use :func:`medcode.icd10cm.valid`.
    """
    try:
        return _native.is_valid("icd10cm", code, _yyyymmdd(date), strict)
    except _native.NativeError as e:
        raise _code_error(e) from None


def is_valid_icd10pcs(code: str, date: DateLike = None, *, strict: bool = False) -> bool:
    """True if ``code`` is an ICD-10-PCS code valid on ``date`` (default today); as ``is_valid_icd10cm``."""
    try:
        return _native.is_valid("icd10pcs", code, _yyyymmdd(date), strict)
    except _native.NativeError as e:
        raise _code_error(e) from None


class LookupReport(TypedDict, total=False):
    """One system's answer: the CLI's ``lookup --json`` object."""

    system: System
    input: str
    code: Optional[str]
    in_table: bool
    billable: bool  # on the date
    header: bool  # on the date
    billable_in_some_release: bool
    header_in_some_release: bool
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
    replaces: Dict[str, Any]
    replaced_by: List[Dict[str, Any]]  # only for a code no longer billable on the date
    cases_now_coded_as: List[Dict[str, Any]]  # a code still valid: new codes for some cases
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


@overload
def lookup(code: str, system: None = None, date: DateLike = None) -> LookupAnswer: ...
@overload
def lookup(code: str, system: System, date: DateLike = None) -> LookupReport: ...
def lookup(code: str, system: Optional[str] = None, date: DateLike = None) -> LookupAnswer:
    """Looks ``code`` up: the CLI's ``lookup --json`` object as a dict.

    ``system`` is None to detect it from the syntax (the answer may then be an
    ``AmbiguousAnswer``), or ``"icd10cm"``, ``"icd10pcs"``, ``"cpt"``, ``"hcpcs"``
    (the answer is then one ``LookupReport``). A string that is not a code is
    answered, not raised: ``valid`` is False and ``error`` says why. Raises
    ``UnknownSystemError``, ``DateError``, and ``CodeSyntaxError`` for text
    medcode cannot take (a NUL, a lone surrogate, over 1024 bytes).

    >>> r = lookup("E11.9", system="icd10cm", date="2026-01-01")
    >>> r["title"]
    'Type 2 diabetes mellitus without complications'
    """
    try:
        return json.loads(_native.lookup_json(code, system, _date_str(date)))
    except _native.NativeError as e:
        raise _code_error(e) from None


# ---------------------------------------------------------------- the engine


class _FindingFields(TypedDict):
    rule: str
    severity: Literal["error", "warning", "info"]
    line: Optional[int]
    field: Optional[str]
    codes: List[str]
    message: str


class Finding(_FindingFields, total=False):
    """One finding of the claims engine (rule ids are stable). ``cms_edit``,
    present only where the rule stands for a CMS edit (as ``medcode check``
    writes it): the Medicare Code Editor's edit name (``"SEX_CONFLICT"``) or,
    for an outpatient claim's ``ioce-NNN`` findings, the I/OCE's edit number
    (``"040"``)."""

    cms_edit: str


class Report(TypedDict, total=False):
    """The engine's answer for one claim (``line``: the 1-based input line,
    from ``check_many`` and ``check_file``)."""

    line: int
    claim_id: Optional[str]
    findings: List[Finding]


Claim = Union[Dict[str, Any], str]


class Grouping(TypedDict, total=False):
    """An inpatient claim's MS-DRG grouping: the JSON object ``medcode group``
    writes (``line``: the 1-based input line, from ``group_file``). A line
    ``group_file`` cannot group holds ``claim_id``, ``line`` and ``error``
    instead. The keys not listed here (``initial_mdc``, ``initial_severity``,
    ``final_base_drg``, ``final_mdc_title``, ``admit_dx``, …) are there too:
    see the README."""

    claim_id: Optional[str]
    line: int
    version: str
    initial_drg: int
    final_drg: int
    final_mdc: int
    final_severity: str
    final_type: str
    final_drg_title: Optional[str]
    return_code: str
    hac_status: str
    hac_categories: int
    principal: Optional[Dict[str, Any]]
    secondary: List[Dict[str, Any]]
    procedures: List[Dict[str, Any]]
    error: str


class Edited(TypedDict, total=False):
    """An outpatient claim's answer from CMS's I/OCE (a claim whose
    ``bill_type`` is not 11x), in place of a :class:`Grouping`: the JSON
    object ``medcode group`` writes for it, ``"engine": "ioce"``. Edit numbers
    are three-digit strings (``"040"``), flags text. The keys not listed here
    (the other dispositions, ``claim_denial_edits``, ``reason_for_visit_edits``,
    …) are there too: see the README."""

    claim_id: Optional[str]
    line: int
    engine: Literal["ioce"]
    version: Optional[str]
    internal_version: int
    return_code: int
    claim_disposition: str
    claim_rejection_edits: List[str]
    line_rejection_edits: List[str]
    line_denial_edits: List[str]
    principal_edits: List[str]
    secondary_edits: List[List[str]]
    lines: List[Dict[str, Any]]


MsdrgVersion = Union[str, int, float]
Hospital = Literal["exempt", "not-exempt", "unknown"]
TieBreaker = Literal["clinical", "alphabetical"]


def _version_arg(version: Optional[MsdrgVersion]) -> Optional[str]:
    if version is None or isinstance(version, str):
        return version
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        return str(version)
    raise TypeError(f"version must be a str such as \"43.1\", not {type(version).__name__}")


def _claim_text(claim: Claim) -> str:
    if isinstance(claim, str):
        return claim
    if isinstance(claim, dict):
        return json.dumps(claim)
    raise TypeError(f"a claim must be a dict or a str, not {type(claim).__name__}")


class Engine:
    """medcode's claim rules engine (the Rust engine, in this process).

    >>> engine = Engine({"disabled": ["unspecified-code"]})
    >>> report = engine.check({"id": "C1", "type": "professional",
    ...     "patient": {"sex": "F", "age": 40}, "service_date": "2025-06-02",
    ...     "diagnoses": [{"code": "E11.A"}],
    ...     "lines": [{"code": "99213", "units": 1, "dx_pointers": [1]}]})
    >>> [f["rule"] for f in report["findings"]]
    ['code-not-valid-on-date']

    ``config`` is the engine configuration (``disabled``, ``severity``,
    ``ncci_ptp``, ``mue``, ``addon``, ``hcpcs_file``, ``strict``); an invalid
    one raises ``ConfigError``. ``{"strict": True}``: each field of a claim
    that the claim contract does not have (a misspelt ``"modifer"``) is an
    ``unknown-field`` finding naming it; otherwise such fields are ignored.
    A finding's ``line`` is the claim line it is about, counted from 1 as
    its message counts it (``None`` for the claim as a whole). An engine may be used from many threads at once: every
    call runs without the GIL on a shared, immutable engine. ``close()`` never
    frees the engine under a running call (the last call out frees it);
    calls after it raise ``MedcodeError``.
    """

    def __init__(self, config: Optional[Dict[str, Any]] = None) -> None:
        if config is not None and not isinstance(config, dict):
            raise ConfigError(
                f"config must be a dict (the engine configuration), not {type(config).__name__}",
                ErrorCode.CONFIG,
            )
        try:
            self._native = _native.NativeEngine(json.dumps(config) if config else None)
        except _native.NativeError as e:
            raise _claim_error(e) from None

    def load_table(
        self, kind: Literal["ncci-ptp", "mue", "addon", "hcpcs"], path: Union[str, "os.PathLike[str]"]
    ) -> None:
        """Adds a CMS edit table (or the HCPCS quarterly file) and rebuilds the engine.

        ``path`` may be CMS's ``.zip`` as downloaded. A file that cannot be
        read, has a bad line, holds no record, has another table's headings
        or binary content raises ``ConfigError`` (its message names the file,
        the line and what was expected) and leaves the engine unchanged: a
        table is never loaded empty. Checks already running finish on the
        engine as it was; later ones see the table.
        """
        raw = os.fspath(path)
        if "\0" in str(raw):
            raise ConfigError(f"path {raw!r} contains a NUL character", ErrorCode.NUL)
        try:
            self._native.load_table(kind, raw)
        except _native.NativeError as e:
            raise _claim_error(e) from None

    def check(self, claim: Claim) -> Report:
        """Checks one claim (a dict, or its JSON text) and returns its report.

        A claim that is text but not a claim is answered with a
        ``malformed-claim`` finding. Raises ``ClaimError`` for text with a NUL
        or a lone surrogate and ``ClaimTooLongError`` past ``MAX_CLAIM_LEN`` bytes.
        """
        try:
            return self._native.check(_claim_text(claim))
        except _native.NativeError as e:
            raise _claim_error(e) from None

    def check_many(self, claims: Iterable[Claim]) -> List[Report]:
        """Checks many claims (dicts or JSON texts) in one call, on several
        threads without the GIL; one report each, in order, ``line`` 1, 2, …

        Raises ``ClaimError`` for a claim with a NUL or a lone surrogate; a
        claim over ``MAX_CLAIM_LEN`` bytes gets a ``malformed-claim`` finding.
        """
        texts = [_claim_text(c) for c in claims]
        try:
            return self._native.check_many(texts)
        except _native.NativeError as e:
            raise _claim_error(e) from None

    def check_file(self, path: Union[str, "os.PathLike[str]"]) -> Iterator[Report]:
        """Checks a JSON Lines file (one claim a line), streaming: an iterator
        of reports, one per input line, ``line`` 1, 2, … exactly as
        ``medcode check FILE`` writes them. The file is read and checked in
        blocks of lines without the GIL; memory stays bounded.
        """
        try:
            return self._native.check_file(os.fspath(path))
        except _native.NativeError as e:
            raise _claim_error(e) from None

    def check_arrow(self, data: Any, claim_col: str = "claim") -> Any:
        """Checks the claims in an Arrow column: ``data`` is a pyarrow
        ``Table`` or ``RecordBatch`` (or anything with ``__arrow_c_stream__``
        / ``__arrow_c_array__``: a Polars DataFrame, a RecordBatchReader),
        ``claim_col`` a string column of claim JSON. Answers a pyarrow
        ``Table`` (a ``RecordBatch`` for a batch) with every input row and
        column plus ``findings``: a list of structs (rule, severity, line,
        field, codes, message, cms_edit: null where the rule stands for no
        CMS edit); null where the claim is null. The strings are
        read from the Arrow buffers, without a Python object per claim.
        """
        try:
            return self._native.check_arrow(data, claim_col)
        except _native.NativeError as e:
            raise _claim_error(e) from None

    def group(
        self,
        claim: Claim,
        *,
        version: Optional[MsdrgVersion] = None,
        hospital: Optional[Hospital] = None,
        tie_breaker: Optional[TieBreaker] = None,
        affects_drg: bool = True,
    ) -> Union[Grouping, Edited]:
        """Groups one inpatient claim (a dict, or its JSON text;
        ``"type": "institutional"``) to its MS-DRG, as CMS's grouper does,
        and returns the grouping: the object ``medcode group`` writes. An
        outpatient claim (a ``bill_type`` other than 11x: 13x, 12x, 14x,
        85x, …) is edited by CMS's I/OCE instead, as ``medcode group`` routes
        it, and the answer is the I/OCE's (:class:`Edited`, ``"engine":
        "ioce"``); the options do not apply to it.

        >>> g = Engine().group({"id": "IP1", "type": "institutional",
        ...     "discharge_date": "2026-05-02", "discharge_status": "01",
        ...     "diagnoses": [{"code": "I50.23", "poa": "Y"}, {"code": "N18.4", "poa": "Y"}]})
        >>> g["version"], g["final_drg"], g["final_drg_title"]
        ('43.1', 292, 'Heart Failure and Shock with CC')
        >>> e = Engine().group({"id": "OP1", "bill_type": "131", "from_date": "2025-03-01",
        ...     "diagnoses": [{"code": "N186"}], "lines": [
        ...         {"code": "80053", "revenue_code": "0301", "units": 1, "charge": 50},
        ...         {"code": "82947", "revenue_code": "0301", "units": 1, "charge": 20}]})
        >>> e["engine"], e["lines"][1]["hcpcs_edits"]
        ('ioce', ['040'])

        ``version`` (``"43.1"``, ``"v43.1"``, ``431``): group with that
        version instead of the one in force on the discharge date;
        ``hospital``: ``"not-exempt"`` (the default: HACs apply),
        ``"exempt"`` or ``"unknown"``; ``tie_breaker``: ``"clinical"`` (the
        default) or ``"alphabetical"``; ``affects_drg=False``: do not work
        out which codes affect the DRG (CMS's option; every ``drg_impact``
        is ``"NONE"``, and grouping is faster). A claim CMS's grouper cannot group
        (an invalid principal diagnosis) is grouped to DRG 999 with its
        ``return_code``. Raises ``GroupError`` for a claim that cannot be
        grouped at all (not a claim, a professional claim or an outpatient
        one without its ``bill_type``,
        no discharge date and no ``version``, a discharge before
        2022-10-01), ``GroupOptionsError`` for a bad option, ``ClaimError``
        / ``ClaimTooLongError`` as ``check`` does.
        """
        try:
            text = self._native.group(
                _claim_text(claim), _version_arg(version), hospital, tie_breaker, affects_drg
            )
        except _native.NativeError as e:
            raise _claim_error(e) from None
        return json.loads(text)  # type: ignore[no-any-return]

    def group_file(
        self,
        path: Union[str, "os.PathLike[str]"],
        *,
        version: Optional[MsdrgVersion] = None,
        hospital: Optional[Hospital] = None,
        tie_breaker: Optional[TieBreaker] = None,
        affects_drg: bool = True,
    ) -> Iterator[Union[Grouping, Edited]]:
        """Groups a JSON Lines file (one claim a line), streaming: an
        iterator of groupings, one per input line, ``line`` 1, 2, … exactly
        as ``medcode group FILE`` writes them (an outpatient claim's is the
        I/OCE's answer, as :meth:`group` says). A line that cannot be grouped
        is ``{"claim_id", "line", "error"}`` in its place (never raised).
        The file is read and grouped in blocks of lines without the GIL.
        Options as for :meth:`group`.
        """
        try:
            lines = self._native.group_file(
                os.fspath(path), _version_arg(version), hospital, tie_breaker, affects_drg
            )
        except _native.NativeError as e:
            raise _claim_error(e) from None
        return (json.loads(line) for line in lines)

    def group_arrow(
        self,
        data: Any,
        claim_col: str = "claim",
        *,
        version: Optional[MsdrgVersion] = None,
        hospital: Optional[Hospital] = None,
        tie_breaker: Optional[TieBreaker] = None,
        affects_drg: bool = True,
    ) -> Any:
        """Groups the claims in an Arrow column (as :meth:`check_arrow` reads
        them): the same rows and columns plus ``grouping``, a struct of
        ``engine`` (``"msdrg"``, or ``"ioce"`` for an outpatient claim the
        I/OCE edited), ``version`` (the MS-DRG version, or the I/OCE
        release), ``initial_drg``, ``final_drg``, ``final_mdc``,
        ``final_severity``, ``final_type``, ``return_code``,
        ``final_drg_title``, ``hac_status``, ``hac_categories`` (MS-DRG
        only: null for the I/OCE), ``ioce_return_code`` and
        ``claim_disposition`` (the I/OCE only: null for MS-DRG), ``error``
        (set, and the rest null, where the claim cannot be grouped) and
        ``json`` (the whole answer, as :meth:`group` gives it: the I/OCE's
        edits and lines are there); null where the claim is null. Options as
        for :meth:`group`.
        """
        try:
            return self._native.group_arrow(
                data, claim_col, _version_arg(version), hospital, tie_breaker, affects_drg
            )
        except _native.NativeError as e:
            raise _claim_error(e) from None

    @staticmethod
    def grouping_field() -> Any:
        """The ``grouping`` column's Arrow field (a ``pyarrow.Field``)."""
        return _native.NativeEngine.grouping_field()

    @staticmethod
    def findings_field() -> Any:
        """The ``findings`` column's Arrow field (a ``pyarrow.Field``)."""
        return _native.NativeEngine.findings_field()

    def close(self) -> None:
        """Releases the engine. Calls running on other threads finish first
        (the last one frees it); calls after ``close`` raise ``MedcodeError``."""
        native = getattr(self, "_native", None)
        if native is not None:
            native.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
