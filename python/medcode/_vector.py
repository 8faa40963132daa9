"""The vectorised ``valid`` / ``title`` behind :mod:`medcode.icd10cm` and
:mod:`medcode.icd10pcs`: one code, or many of any common column kind,
answered in the same kind.

Each kind reaches Rust without a Python object per code where it can:

- Arrow (pyarrow Array / ChunkedArray, anything with ``__arrow_c_array__``
  or ``__arrow_c_stream__``), Polars Series (``to_arrow()``, no copy) and
  Arrow-backed pandas Series: the string buffers are read in Rust.
- list / tuple / NumPy / other pandas Series: the codes are joined into one
  ``str`` in C (``"\\n".join``) and split in Rust; when an item is not a
  ``str`` (None, NaN) the items are read one by one.

None, NaN, the empty string and anything that is not a code answer
``False`` (``valid``) or ``None`` (``title``), never an exception.
"""

from __future__ import annotations

import math
from typing import Any, List

from . import _medcode as _native
from ._dates import DateLike, _yyyymmdd
from ._errors import _code_error


def _module_of(obj: Any) -> str:
    return type(obj).__module__.split(".", 1)[0]


def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _valid_list(system: str, items: Any, d: int, as_bytes: bool = False) -> Any:
    if not isinstance(items, (list, tuple)):
        items = list(items)
    try:
        joined = "\n".join(items)
    except TypeError:
        joined = None  # an item is not a str: read them one by one
    if joined is not None:
        try:
            out = _native.valid_joined(system, joined, len(items), d, as_bytes)
        except UnicodeError:
            out = None  # a lone surrogate somewhere
        if out is not None:
            return out
    return _native.valid_items(system, items, d, as_bytes)


def _title_list(system: str, items: Any, d: int) -> List[Any]:
    if not isinstance(items, (list, tuple)):
        items = list(items)
    try:
        joined = "\n".join(items)
    except TypeError:
        joined = None
    if joined is not None:
        try:
            out = _native.title_joined(system, joined, len(items), d)
        except UnicodeError:
            out = None
        if out is not None:
            return out
    return _native.title_items(system, items, d)


def _arrow_backed_pandas(series: Any) -> bool:
    dtype = series.dtype
    return getattr(dtype, "storage", None) in ("pyarrow", "pyarrow_numpy") or type(dtype).__name__ == "ArrowDtype"


def _answer(system: str, codes: Any, date: DateLike, title: bool) -> Any:
    d = _yyyymmdd(date)
    try:
        return _dispatch(system, codes, d, title)
    except _native.NativeError as e:
        raise _code_error(e) from None


def _dispatch(system: str, codes: Any, d: int, title: bool) -> Any:
    if isinstance(codes, str):
        if title:
            return _native.title_one(system, codes, d)
        return _native.is_valid(system, codes, d, False)
    if _is_missing(codes):
        return None if title else False
    if isinstance(codes, list):
        return _title_list(system, codes, d) if title else _valid_list(system, codes, d)
    if isinstance(codes, tuple):
        return tuple(_title_list(system, codes, d) if title else _valid_list(system, codes, d))
    lib = _module_of(codes)
    if lib == "pandas" and hasattr(codes, "index"):
        import pandas as pd

        if _arrow_backed_pandas(codes):
            import pyarrow as pa

            out = _arrow(system, pa.array(codes), d, title)
            values = out.to_pylist() if title else out.to_numpy(zero_copy_only=False)
        elif title:
            values = _title_list(system, codes.tolist(), d)
        else:
            values = _bools_numpy(_valid_list(system, codes.tolist(), d, as_bytes=True))
        return pd.Series(values, index=codes.index, name=codes.name, dtype=object if title else bool)
    if lib == "polars" and hasattr(codes, "to_arrow"):
        import polars as pl

        out = _arrow(system, codes.to_arrow(), d, title)
        return pl.Series(codes.name, out)
    if lib == "numpy" and hasattr(codes, "tolist"):
        import numpy as np

        items = codes.ravel().tolist()
        if title:
            return np.array(_title_list(system, items, d), dtype=object).reshape(codes.shape)
        return _bools_numpy(_valid_list(system, items, d, as_bytes=True)).reshape(codes.shape)
    if hasattr(codes, "__arrow_c_array__") or hasattr(codes, "__arrow_c_stream__"):
        return _arrow(system, codes, d, title)
    if hasattr(codes, "__iter__"):
        items = list(codes)
        return _title_list(system, items, d) if title else _valid_list(system, items, d)
    return None if title else False


def _bools_numpy(raw: bytes) -> Any:
    import numpy as np

    return np.frombuffer(raw, dtype=np.bool_)


def _arrow(system: str, codes: Any, d: int, title: bool) -> Any:
    if title:
        return _native.title_arrow(system, codes, d)
    return _native.valid_arrow(system, codes, d)


def valid(system: str, codes: Any, date: DateLike = None) -> Any:
    return _answer(system, codes, date, title=False)


def title(system: str, codes: Any, date: DateLike = None) -> Any:
    return _answer(system, codes, date, title=True)


def codes(system: str, date: DateLike = None) -> List[str]:
    try:
        return _native.codes(system, _yyyymmdd(date))
    except _native.NativeError as e:
        raise _code_error(e) from None
