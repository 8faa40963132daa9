"""ICD-10-PCS, vectorised: ``valid``, ``title`` and ``codes``.

``codes`` may be one ``str`` (a scalar answer) or many: a list, tuple,
NumPy array, pandas Series (answered with the same index), Polars Series,
pyarrow Array or ChunkedArray (answered as the same kind). Codes may be
dotted or not, in any case, with spaces around. None, NaN, the empty
string and text that is not a code answer ``False`` / ``None``, never an
exception; only a bad ``date`` raises (``DateError``). Batches run in Rust
without the GIL.

>>> from medcode import icd10pcs
>>> icd10pcs.valid("0SRD0JZ", "2026-01-01")
True
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple, overload

from . import _vector
from ._dates import DateLike

__all__ = ["codes", "title", "valid"]


@overload
def valid(codes: Optional[str], date: DateLike = None) -> bool: ...
@overload
def valid(codes: List[Any], date: DateLike = None) -> List[bool]: ...
@overload
def valid(codes: Tuple[Any, ...], date: DateLike = None) -> Tuple[bool, ...]: ...
@overload
def valid(codes: Any, date: DateLike = None) -> Any: ...
def valid(codes: Any, date: DateLike = None) -> Any:
    """True where the code is a ICD-10-PCS code valid on ``date`` (default today, UTC).

    ``date``: None, a ``datetime.date``, ``"YYYY-MM-DD"`` or an int ``YYYYMMDD``.
    Answers a bool for a str (or None), else one bool per code in the
    input's kind (a NumPy bool array for NumPy, a bool Series for pandas,
    a pyarrow BooleanArray / ChunkedArray for Arrow, a Polars Series).
    """
    return _vector.valid("icd10pcs", codes, date)


@overload
def title(codes: Optional[str], date: DateLike = None) -> Optional[str]: ...
@overload
def title(codes: List[Any], date: DateLike = None) -> List[Optional[str]]: ...
@overload
def title(codes: Tuple[Any, ...], date: DateLike = None) -> Tuple[Optional[str], ...]: ...
@overload
def title(codes: Any, date: DateLike = None) -> Any: ...
def title(codes: Any, date: DateLike = None) -> Any:
    """The official title of each code: the one in force on ``date`` (default
    today), else the newest; ``None`` where the text is not a code of the
    bundled tables. Headers have titles too (use ``valid`` for billability).
    Answers in the input's kind, as ``valid``.
    """
    return _vector.title("icd10pcs", codes, date)


def codes(date: DateLike = None) -> List[str]:
    """every ICD-10-PCS code valid on the date (seven characters), in code order."""
    return _vector.codes("icd10pcs", date)
