"""medcode on Spark DataFrames: the claims engine and the MS-DRG grouper
through ``mapInArrow``, and the ICD-10-CM checks as Arrow-backed UDFs.

Each Python worker builds one engine (per configuration) the first time it
needs it and runs the Rust engine over Spark's Arrow batches: no row is
turned into a Python object. Install the ``medcode`` wheel on every executor
(e.g. ``spark.archives`` / a cluster library / the image), with ``pyarrow``.

>>> from medcode.spark import check_claims, icd10cm_valid  # doctest: +SKIP
>>> checked = check_claims(df, claim_col="claim")          # doctest: +SKIP
>>> grouped = group_claims(df, claim_col="claim")          # doctest: +SKIP
>>> df.select(icd10cm_valid("dx", "2026-01-01"))            # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Dict, Iterator, Optional

__all__ = [
    "check_claims",
    "findings_type",
    "group_claims",
    "grouping_type",
    "icd10cm_title",
    "icd10cm_valid",
]

# One engine per configuration per Python worker, built on first use.
_ENGINES: Dict[Optional[str], Any] = {}


def _engine(config_json: Optional[str]) -> Any:
    engine = _ENGINES.get(config_json)
    if engine is None:
        import medcode

        engine = medcode.Engine(json.loads(config_json) if config_json else None)
        _ENGINES[config_json] = engine
    return engine


def findings_type() -> Any:
    """The Spark type of the ``findings`` column: an array of structs
    (rule, severity, line, field, codes, message, cms_edit)."""
    from pyspark.sql.types import ArrayType, LongType, StringType, StructField, StructType

    finding = StructType(
        [
            StructField("rule", StringType(), True),
            StructField("severity", StringType(), True),
            StructField("line", LongType(), True),
            StructField("field", StringType(), True),
            StructField("codes", ArrayType(StringType(), True), True),
            StructField("message", StringType(), True),
            StructField("cms_edit", StringType(), True),
        ]
    )
    return ArrayType(finding, True)


def check_claims(df: Any, claim_col: str = "claim", config: Optional[Dict[str, Any]] = None) -> Any:
    """Checks the claims (JSON text, one a row) in ``df[claim_col]``: the
    DataFrame with every input row and column plus ``findings`` (an array of
    structs; null where the claim is null), lazily, through ``mapInArrow``.

    ``config`` is the engine configuration (as :class:`medcode.Engine`'s);
    edit-table paths in it must be readable on every executor. An invalid
    configuration raises here, on the driver, before any job runs.
    """
    from pyspark.sql.types import StructField, StructType

    if claim_col not in df.columns:
        raise ValueError(f"no column {claim_col!r} (columns: {', '.join(df.columns)})")
    config_json = json.dumps(config, sort_keys=True) if config else None
    _engine(config_json)  # fail fast on the driver
    fields = [f for f in df.schema.fields if f.name != "findings"]
    schema = StructType(fields + [StructField("findings", findings_type(), True)])
    if "findings" in df.columns:
        df = df.drop("findings")

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        engine = _engine(config_json)
        target: Optional[pa.Schema] = None
        for batch in batches:
            out = engine.check_arrow(batch, claim_col)
            if target is None:
                target = _spark_arrow_schema(schema, out.schema)
            if not out.schema.equals(target):
                out = pa.RecordBatch.from_arrays(
                    [c.cast(f.type) for c, f in zip(out.columns, target)], schema=target
                )
            yield out

    return df.mapInArrow(run, schema)


def grouping_type() -> Any:
    """The Spark type of the ``grouping`` column: a struct of engine
    (``"msdrg"`` or ``"ioce"``), version, initial_drg, final_drg, final_mdc,
    final_severity, final_type, return_code, final_drg_title, hac_status,
    hac_categories, ioce_return_code, claim_disposition, error and json
    (:meth:`medcode.Engine.group_arrow`'s ``grouping``)."""
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    def text(name: str) -> Any:
        return StructField(name, StringType(), True)

    def number(name: str) -> Any:
        return StructField(name, IntegerType(), True)

    return StructType(
        [
            text("engine"),
            text("version"),
            number("initial_drg"),
            number("final_drg"),
            number("final_mdc"),
            text("final_severity"),
            text("final_type"),
            text("return_code"),
            text("final_drg_title"),
            text("hac_status"),
            number("hac_categories"),
            number("ioce_return_code"),
            number("claim_disposition"),
            text("error"),
            text("json"),
        ]
    )


def group_claims(
    df: Any,
    claim_col: str = "claim",
    *,
    version: Any = None,
    hospital: Optional[str] = None,
    tie_breaker: Optional[str] = None,
    affects_drg: bool = True,
) -> Any:
    """Groups the inpatient claims (JSON text, one a row) in ``df[claim_col]``
    to MS-DRGs: the DataFrame with every input row and column plus
    ``grouping`` (a struct, :func:`grouping_type`: the final DRG, MDC,
    severity, return code, title, HAC status, ``error`` where the claim
    cannot be grouped, and the whole grouping as ``json``; null where the
    claim is null), lazily, through ``mapInArrow``. An outpatient claim (a
    ``bill_type`` other than 11x) is edited by CMS's I/OCE instead:
    ``engine`` is ``"ioce"``, the DRG fields are null,
    ``ioce_return_code`` and ``claim_disposition`` are set and ``json``
    holds the I/OCE's whole answer (:meth:`medcode.Engine.group_arrow`).

    ``version``, ``hospital``, ``tie_breaker`` and ``affects_drg`` as for
    :meth:`medcode.Engine.group`; a bad option raises here, on the driver,
    before any job runs.
    """
    from pyspark.sql.types import StructField, StructType

    if claim_col not in df.columns:
        raise ValueError(f"no column {claim_col!r} (columns: {', '.join(df.columns)})")
    import medcode

    options = {
        "version": medcode._version_arg(version),
        "hospital": hospital,
        "tie_breaker": tie_breaker,
        "affects_drg": affects_drg,
    }
    # Fail fast on the driver: a bad option raises GroupOptionsError.
    _engine(None).group_arrow(_empty_claims(claim_col), claim_col, **options)
    fields = [f for f in df.schema.fields if f.name != "grouping"]
    schema = StructType(fields + [StructField("grouping", grouping_type(), True)])
    if "grouping" in df.columns:
        df = df.drop("grouping")

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        engine = _engine(None)
        target: Optional[pa.Schema] = None
        for batch in batches:
            out = engine.group_arrow(batch, claim_col, **options)
            if target is None:
                target = _spark_arrow_schema(schema, out.schema)
            if not out.schema.equals(target):
                out = pa.RecordBatch.from_arrays(
                    [c.cast(f.type) for c, f in zip(out.columns, target)], schema=target
                )
            yield out

    return df.mapInArrow(run, schema)


def _empty_claims(claim_col: str) -> Any:
    import pyarrow as pa

    return pa.RecordBatch.from_arrays([pa.array([], pa.string())], names=[claim_col])


def _spark_arrow_schema(spark_schema: Any, produced: Any) -> Any:
    """The Arrow schema Spark expects (its list items are named "element")."""
    try:
        from pyspark.sql.pandas.types import to_arrow_schema

        return to_arrow_schema(spark_schema)
    except Exception:  # pragma: no cover - older or newer pyspark layouts
        return produced


def _date_arg(date: Any) -> Any:
    if date is None or isinstance(date, (str, int, _dt.date)):
        return date
    return None


def _dated(fn_name: str, col: Any, date: Any, return_type: Any) -> Any:
    """A UDF over a code column and a date (a literal, or a date/string column)."""
    from pyspark.sql import Column
    from pyspark.sql import functions as F

    literal = not isinstance(date, Column)

    # The UDFs have no annotations: Spark reads them to pick the UDF kind.
    def one_date(codes, d):  # type: ignore[no-untyped-def]
        import pyarrow as pa

        from . import icd10cm

        fn = getattr(icd10cm, fn_name)
        if isinstance(codes, pa.ChunkedArray):
            codes = codes.combine_chunks()
        return fn(codes, d)

    def per_row_dates(codes, dates):  # type: ignore[no-untyped-def]
        import pyarrow as pa
        import pyarrow.compute as pc

        if isinstance(codes, pa.ChunkedArray):
            codes = codes.combine_chunks()
        if isinstance(dates, pa.ChunkedArray):
            dates = dates.combine_chunks()
        text = dates.cast(pa.string()) if not pa.types.is_string(dates.type) else dates
        out = [None] * len(codes)
        for d in pc.unique(text).to_pylist():
            if d is None:
                continue
            mask = pc.equal(text, d)
            idx = pc.indices_nonzero(mask)
            answered = one_date(pc.take(codes, idx), d).to_pylist()
            for i, v in zip(idx.to_pylist(), answered):
                out[i] = v
        if fn_name == "valid":
            out = [bool(v) for v in out]
        return pa.array(out, type=pa.bool_() if fn_name == "valid" else pa.string())

    code_col = F.col(col) if isinstance(col, str) else col
    arrow_udf = getattr(F, "arrow_udf", None)
    if arrow_udf is not None:
        if literal:
            d = _date_arg(date)

            def literal_date(codes):  # type: ignore[no-untyped-def]
                return one_date(codes, d)

            return arrow_udf(literal_date, return_type)(code_col)
        return arrow_udf(per_row_dates, return_type)(code_col, date)
    # Spark before 4.1: a pandas UDF, its Series read as Arrow.
    def via_pandas(codes, *dates):  # type: ignore[no-untyped-def]
        import pyarrow as pa

        arr = pa.array(codes, type=pa.string(), from_pandas=True)
        if dates:
            out = per_row_dates(arr, pa.array(dates[0], from_pandas=True))
        else:
            out = one_date(arr, _date_arg(date))
        return out.to_pandas()

    pandas_udf = F.pandas_udf(via_pandas, return_type)
    return pandas_udf(code_col) if literal else pandas_udf(code_col, date)


def icd10cm_valid(col: Any, date: Any = None) -> Any:
    """A boolean Column: is ``col`` a billable ICD-10-CM code valid on ``date``?

    ``date``: None (today), ``"YYYY-MM-DD"``, a ``datetime.date``, or a Column
    of dates (date or string) for a date per row. Nulls answer False.
    Arrow-backed (``arrow_udf`` on Spark >= 4.1, else an Arrow-fed pandas UDF).
    """
    from pyspark.sql.types import BooleanType

    return _dated("valid", col, date, BooleanType())


def icd10cm_title(col: Any, date: Any = None) -> Any:
    """A string Column: the official ICD-10-CM title of ``col`` (null where
    not a code), the one in force on ``date`` (default today)."""
    from pyspark.sql.types import StringType

    return _dated("title", col, date, StringType())
