"""medcode.icd10cm / medcode.icd10pcs: valid, title and codes over every
kind of input, answered in the same kind; missing values never raise."""

import datetime
import math

import pytest

import medcode
from medcode import icd10cm, icd10pcs

D = "2026-01-01"
CODES = ["E11.9", "e119", " E11.9 ", "E11", "E11.A", "Z99.99", "", "E1!", "x" * 2000, "E11.9\nX", "\ud800", "E11\0.9"]
WANT = [True, True, True, False, True, False, False, False, False, False, False, False]
TITLE = "Type 2 diabetes mellitus without complications"


def test_scalars():
    assert icd10cm.valid("E11.9", D) is True
    assert icd10cm.valid("E11", D) is False
    assert icd10cm.valid(None, D) is False
    assert icd10cm.valid(float("nan"), D) is False
    assert icd10cm.valid("", D) is False
    assert icd10cm.title("e119") == TITLE
    assert icd10cm.title(None) is None
    assert icd10cm.title("not a code") is None
    assert icd10cm.title("E11") == "Type 2 diabetes mellitus"  # a header has a title
    assert icd10pcs.valid("0SRD0JZ", datetime.date(2026, 1, 1)) is True
    assert icd10pcs.valid("0SRD0J", 20260101) is False
    assert icd10pcs.title("0srd0jz").startswith("Replacement of Left Knee Joint")


def test_dates():
    assert icd10cm.valid(["E11.A"], "2025-06-01") == [False]
    assert icd10cm.valid(["E11.A"], "2025-10-01") == [True]
    with pytest.raises(medcode.DateError):
        icd10cm.valid(["E11.9"], "2026-02-30")
    with pytest.raises(medcode.DateError):
        icd10cm.title("E11.9", "tomorrow")
    with pytest.raises(TypeError):
        icd10cm.valid("E11.9", 2026.0)


def test_lists_and_tuples():
    assert icd10cm.valid(CODES, D) == WANT
    assert icd10cm.valid(tuple(CODES), D) == tuple(WANT)
    assert icd10cm.valid([], D) == []
    mixed = ["E11.9", None, float("nan"), 42, "E11"]
    assert icd10cm.valid(mixed, D) == [True, False, False, False, False]
    assert icd10cm.title(["E11.9", None, "E1!", float("nan")], D) == [TITLE, None, None, None]
    assert icd10cm.valid(iter(["E11.9"]), D) == [True]  # any iterable: a list back


def test_numpy():
    np = pytest.importorskip("numpy")
    arr = np.array(CODES[:8])
    out = icd10cm.valid(arr, D)
    assert isinstance(out, np.ndarray) and out.dtype == np.bool_
    assert out.tolist() == WANT[:8]
    two_d = np.array([["E11.9", "E11"], ["E11.A", ""]])
    assert icd10cm.valid(two_d, D).tolist() == [[True, False], [True, False]]
    obj = np.array(["E11.9", None, np.nan], dtype=object)
    assert icd10cm.valid(obj, D).tolist() == [True, False, False]
    assert icd10cm.title(obj, D).tolist() == [TITLE, None, None]


def test_pandas_keeps_the_index():
    pd = pytest.importorskip("pandas")
    s = pd.Series(["E11.9", None, float("nan"), "E11"], index=[10, 20, 30, 40], name="dx")
    out = icd10cm.valid(s, D)
    assert isinstance(out, pd.Series) and out.dtype == bool
    assert out.index.tolist() == [10, 20, 30, 40] and out.name == "dx"
    assert out.tolist() == [True, False, False, False]
    titles = icd10cm.title(s, D)
    assert titles.index.tolist() == [10, 20, 30, 40]
    assert titles.tolist()[0] == TITLE and titles.tolist()[1] is None


def test_pandas_arrow_backed_keeps_the_index():
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    arrow_backed = pd.Series(["E11.9", None, "E11"], index=["a", "b", "c"], dtype="string[pyarrow]")
    out = icd10cm.valid(arrow_backed, D)
    assert out.index.tolist() == ["a", "b", "c"] and out.tolist() == [True, False, False]


def test_polars():
    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")
    s = pl.Series("dx", ["E11.9", None, "E11"])
    out = icd10cm.valid(s, D)
    assert isinstance(out, pl.Series) and out.name == "dx"
    assert out.to_list() == [True, False, False]
    assert icd10cm.title(s, D).to_list() == [TITLE, None, "Type 2 diabetes mellitus"]


def test_arrow():
    pa = pytest.importorskip("pyarrow")
    arr = pa.array(CODES[:8] + [None])
    out = icd10cm.valid(arr, D)
    assert isinstance(out, pa.BooleanArray)
    assert out.to_pylist() == WANT[:8] + [False]
    assert out.null_count == 0
    titles = icd10cm.title(arr, D)
    assert isinstance(titles, pa.StringArray) and titles[0].as_py() == TITLE and titles[8].as_py() is None
    chunked = pa.chunked_array([["E11.9", None], ["E11"]])
    out = icd10cm.valid(chunked, D)
    assert isinstance(out, pa.ChunkedArray) and out.num_chunks == 2
    assert out.to_pylist() == [True, False, False]
    for typ in (pa.large_string(), pa.string_view()):
        assert icd10cm.valid(pa.array(["E11.9", None], type=typ), D).to_pylist() == [True, False]
    dictionary = pa.array(["E11.9", "E11", "E11.9"]).dictionary_encode()
    assert icd10cm.valid(dictionary, D).to_pylist() == [True, False, True]
    assert icd10cm.valid(pa.nulls(3), D).to_pylist() == [False] * 3
    assert icd10pcs.valid(pa.array(["0SRD0JZ", "E11.9"]), D).to_pylist() == [True, False]
    with pytest.raises(TypeError):
        icd10cm.valid(pa.array([1, 2]), D)


def test_large_batches_match_one_by_one():
    codes = icd10cm.codes(D)
    sample = codes[::7] + [c.replace(".", "") for c in codes[::11]] + ["E11", "", "Z99.99"] * 1000
    got = icd10cm.valid(sample, D)
    assert got == [medcode.is_valid_icd10cm(c, D) for c in sample]
    pa = pytest.importorskip("pyarrow")
    assert icd10cm.valid(pa.array(sample), D).to_pylist() == got
    assert icd10cm.title(sample[:5000], D) == [icd10cm.title(c, D) for c in sample[:5000]]


def test_large_arrow_columns_match_one_by_one():
    """Every Arrow string type, nulls and a sliced (offset) column, over
    more codes than one thread takes (the column is split between threads)."""
    pa = pytest.importorskip("pyarrow")
    for mod, is_valid in ((icd10cm, medcode.is_valid_icd10cm), (icd10pcs, medcode.is_valid_icd10pcs)):
        codes = mod.codes(D)
        sample = codes[::3] + [c.lower() for c in codes[::13]] + ["E11", "", "0SRD0J", "x"] * 500
        sample = [None if i % 17 == 0 else c for i, c in enumerate(sample)]
        want = [c is not None and is_valid(c, D) for c in sample]
        assert sum(want) > 10_000
        arr = pa.array(sample)
        for column in (arr, arr.cast(pa.large_string()), arr.cast(pa.string_view()), arr.dictionary_encode()):
            out = mod.valid(column, D)
            assert out.null_count == 0
            assert out.to_pylist() == want
            assert mod.valid(column.slice(5, 40_000), D).to_pylist() == want[5:40_005]
        assert mod.valid(sample, D) == want


def test_codes():
    cm = icd10cm.codes("2026-01-01")
    # CMS's FY2026 count of billable ICD-10-CM codes (../shared/DATA-SOURCES.md).
    assert len(cm) == 74_719 and cm == sorted(cm)
    assert "E11.9" in cm and "E11" not in cm  # billable only
    assert all(icd10cm.valid(cm, "2026-01-01"))
    assert "E11.A" not in icd10cm.codes("2025-06-01")
    pcs = icd10pcs.codes("2026-01-01")
    assert "0SRD0JZ" in pcs and all(len(c) == 7 for c in pcs)
    # CMS's FY2026 count of ICD-10-PCS codes, each once.
    assert len(pcs) == 79_115 and len(set(pcs)) == len(pcs)
