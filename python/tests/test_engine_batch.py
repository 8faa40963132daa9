"""Engine.check_many / check_file / check_arrow answer what `medcode check`
writes for the same lines (the CLI binary from MEDCODE_CLI; CI sets it;
without it these tests skip, which fails under MEDCODE_NO_SKIP=1)."""

import json
import os
import pathlib
import subprocess

import pytest

import medcode

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "examples" / "claims.jsonl"


def cli_reports(path):
    cli = os.environ.get("MEDCODE_CLI")
    if not cli:
        pytest.skip("MEDCODE_CLI (the medcode binary) not set")
    out = subprocess.run([cli, "check", str(path)], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def awkward_file(tmp_path):
    lines = CLAIMS.read_text().splitlines()
    extra = ["", "[]", "{not json", '{"id": "W1"}\r', " " * ((1 << 20) + 10)]
    path = tmp_path / "claims.jsonl"
    path.write_bytes(("\n".join(lines + extra) + "\n").encode() + b'{"id": "\xff"}')
    return path


def test_check_file_equals_the_cli(tmp_path):
    path = awkward_file(tmp_path)
    want = cli_reports(path)
    with medcode.Engine() as engine:
        got = list(engine.check_file(path))
    assert len(got) == len(want)
    assert got == want


def test_check_file_streams_in_blocks(tmp_path):
    line = CLAIMS.read_text().splitlines()[0]
    path = tmp_path / "many.jsonl"
    path.write_text((line + "\n") * 20000)
    it = medcode.Engine().check_file(path)
    first = next(it)
    assert first["line"] == 1
    assert sum(1 for _ in it) == 19999


def test_check_many_equals_the_cli():
    lines = CLAIMS.read_text().splitlines()
    want = cli_reports(CLAIMS)
    got = medcode.Engine().check_many(lines)
    assert got == want
    objects = [i for i, l in enumerate(lines) if l.lstrip().startswith("{") and parses(l)]
    dicts = [json.loads(lines[i]) for i in objects]
    got = medcode.Engine().check_many(iter(dicts))  # any iterable of dicts
    assert [r["findings"] for r in got] == [want[i]["findings"] for i in objects]


def parses(line):
    try:
        json.loads(line)
        return True
    except ValueError:
        return False


def with_null_cms_edit(reports):
    """The reports as the Arrow column gives them: every finding's struct has
    ``cms_edit``, null where the JSON leaves it out."""
    for r in reports:
        for f in r["findings"]:
            f.setdefault("cms_edit", None)
    return reports


def test_check_arrow_equals_the_cli():
    pa = pytest.importorskip("pyarrow")
    lines = CLAIMS.read_text().splitlines()
    want = with_null_cms_edit(cli_reports(CLAIMS))
    table = pa.table({"id": list(range(len(lines))), "claim": lines})
    engine = medcode.Engine()
    out = engine.check_arrow(table)
    assert isinstance(out, pa.Table)
    assert out.column_names == ["id", "claim", "findings"]
    assert out.column("id").to_pylist() == list(range(len(lines)))
    assert out.column("findings").to_pylist() == [r["findings"] for r in want]
    assert out.schema.field("findings").type == medcode.Engine.findings_field().type
    # A batch answers a batch; several batches, a null claim and another column name.
    batch = pa.record_batch({"c": [lines[0], None]})
    got = engine.check_arrow(batch, claim_col="c")
    assert isinstance(got, pa.RecordBatch)
    assert got.column(1).to_pylist() == [want[0]["findings"], None]
    chunked = pa.Table.from_batches([table.slice(0, 3).to_batches()[0], table.slice(3).to_batches()[0]])
    assert engine.check_arrow(chunked).column("findings").to_pylist() == [r["findings"] for r in want]
    with pytest.raises(ValueError, match="no column"):
        engine.check_arrow(table, claim_col="nope")
    empty = engine.check_arrow(table.slice(0, 0))
    assert empty.num_rows == 0 and "findings" in empty.column_names


def test_check_arrow_from_polars():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    lines = CLAIMS.read_text().splitlines()
    df = pl.DataFrame({"claim": lines})
    out = medcode.Engine().check_arrow(df.to_arrow())
    assert out.num_rows == len(lines)
    assert isinstance(out, pa.Table)
