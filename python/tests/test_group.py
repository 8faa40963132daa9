"""Engine.group / group_file / group_arrow: the MS-DRG grouping `medcode
group` writes for the same claims (the CLI binary from MEDCODE_CLI; CI sets
it; without it the comparison skips, which fails under MEDCODE_NO_SKIP=1)."""

import json
import os
import pathlib
import subprocess

import pytest

import medcode

ROOT = pathlib.Path(__file__).resolve().parents[2]
INPATIENT = ROOT / "examples" / "inpatient.jsonl"

HEART_FAILURE = {
    "id": "IP1",
    "type": "institutional",
    "discharge_date": "2026-05-02",
    "discharge_status": "01",
    "diagnoses": [{"code": "I50.23", "poa": "Y"}, {"code": "N18.4", "poa": "Y"}],
}


def cli_groupings(path, *args):
    cli = os.environ.get("MEDCODE_CLI")
    if not cli:
        pytest.skip("MEDCODE_CLI (the medcode binary) not set")
    out = subprocess.run([cli, "group", str(path), *args], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def awkward_file(tmp_path):
    lines = INPATIENT.read_text().splitlines()
    extra = [
        "",
        "[]",
        "{not json",
        '{"id": "P1", "type": "professional"}\r',
        '{"id": "NODATE", "type": "institutional", "diagnoses": [{"code": "I21.4"}]}',
        " " * ((1 << 20) + 10),
    ]
    path = tmp_path / "inpatient.jsonl"
    path.write_bytes(("\n".join(lines + extra) + "\n").encode() + b'{"id": "\xff"}')
    return path


def test_group_one_claim():
    engine = medcode.Engine()
    g = engine.group(HEART_FAILURE)
    assert (g["claim_id"], g["version"], g["final_drg"], g["return_code"]) == ("IP1", "43.1", 292, "OK")
    assert "line" not in g
    assert g["final_drg_title"] == "Heart Failure and Shock with CC"
    assert engine.group(json.dumps(HEART_FAILURE)) == g
    assert engine.group(HEART_FAILURE, version="42.0")["version"] == "42.0"
    assert engine.group(HEART_FAILURE, version=431)["version"] == "43.1"
    assert engine.group(HEART_FAILURE, version=40.1)["version"] == "40.1"
    assert engine.group(HEART_FAILURE, hospital="exempt", tie_breaker="alphabetical")["final_drg"] == 292
    # CMS's affects-DRG option off: the same DRG, no code marked.
    quick = engine.group(HEART_FAILURE, affects_drg=False)
    assert quick["final_drg"] == 292
    assert g["principal"]["drg_impact"] == "BOTH"
    assert quick["principal"]["drg_impact"] == "NONE"
    assert all(d["drg_impact"] == "NONE" for d in quick["secondary"])


def test_group_errors():
    engine = medcode.Engine()
    with pytest.raises(medcode.GroupError, match="not institutional") as e:
        engine.group({"id": "P1", "type": "professional"})
    assert e.value.code == medcode.ErrorCode.CLAIM
    with pytest.raises(medcode.GroupError, match="no discharge date"):
        engine.group({"type": "institutional", "diagnoses": [{"code": "I21.4"}]})
    with pytest.raises(medcode.GroupError, match="not valid JSON"):
        engine.group("{not json")
    with pytest.raises(medcode.GroupOptionsError, match="hospital"):
        engine.group(HEART_FAILURE, hospital="maybe")
    with pytest.raises(medcode.GroupOptionsError, match="39"):
        engine.group(HEART_FAILURE, version="39.0")
    with pytest.raises(ValueError):
        engine.group(HEART_FAILURE, tie_breaker="random")
    with pytest.raises(TypeError):
        engine.group(HEART_FAILURE, version=[43])
    with pytest.raises(medcode.ClaimError):
        engine.group("{\0}")


def test_group_file_equals_the_cli(tmp_path):
    path = awkward_file(tmp_path)
    want = cli_groupings(path)
    got = list(medcode.Engine().group_file(path))
    assert len(got) == len(want) == len(path.read_bytes().splitlines())
    assert got == want
    assert [g["line"] for g in got] == list(range(1, len(got) + 1))
    assert "error" in got[-1] and "UTF-8" in got[-1]["error"]
    assert got[-2]["error"] == f"line longer than {1 << 20} bytes: not read"
    # Options, as the CLI's.
    got = list(medcode.Engine().group_file(path, version="v43.1", hospital="exempt"))
    assert got == cli_groupings(path, "--version", "v43.1", "--hospital", "exempt")


def test_group_arrow():
    pa = pytest.importorskip("pyarrow")
    lines = INPATIENT.read_text().splitlines() + ['{"type": "professional"}', None]
    table = pa.table({"n": list(range(len(lines))), "claim": lines})
    engine = medcode.Engine()
    out = engine.group_arrow(table)
    assert out.column_names == ["n", "claim", "grouping"]
    assert out.schema.field("grouping") == medcode.Engine.grouping_field()
    rows = out.column("grouping").to_pylist()
    assert rows[-1] is None
    assert rows[-2]["error"].startswith('claim type "professional" is not institutional')
    assert rows[-2]["final_drg"] is None and rows[-2]["json"] is None
    for line, row in zip(lines[:-2], rows):
        g = engine.group(line)
        assert json.loads(row["json"]) == g
        assert (row["version"], row["final_drg"], row["final_mdc"], row["return_code"]) == (
            g["version"],
            g["final_drg"],
            g["final_mdc"],
            g["return_code"],
        )
        assert (row["hac_status"], row["hac_categories"], row["error"]) == (g["hac_status"], g["hac_categories"], None)
    assert [r["final_drg"] for r in rows[:6]] == [292, 470, 983, 870, 283, 999]
    # A record batch answers a batch; options apply; a stream answers a table.
    batch = engine.group_arrow(table.to_batches()[0], version="43.1")
    assert isinstance(batch, pa.RecordBatch)
    assert {r["version"] for r in batch.column("grouping").to_pylist()[:6]} == {"43.1"}
    again = engine.group_arrow(out, claim_col="claim")
    assert again.column_names == ["n", "claim", "grouping"]
    with pytest.raises(ValueError, match="no column"):
        engine.group_arrow(table, claim_col="nope")
    with pytest.raises(medcode.GroupOptionsError):
        engine.group_arrow(table, hospital="maybe")


OUTPATIENT = ROOT / "examples" / "outpatient.jsonl"


def test_outpatient_claims_get_the_ioce_answer(tmp_path):
    """A claim with a bill type other than 11x is edited by the I/OCE, in
    every interface, beside inpatient claims in the same batch."""
    pa = pytest.importorskip("pyarrow")
    engine = medcode.Engine()
    first = OUTPATIENT.read_text().splitlines()[0]
    e = engine.group(first)
    assert (e["claim_id"], e["engine"]) == ("OP-001", "ioce")
    assert "line" not in e and "final_drg" not in e
    # NCCI edit 040: glucose (line 3) is a component of the panel (line 2).
    assert e["lines"][2]["hcpcs_edits"] == ["040"]
    assert e["line_rejection_edits"] == ["040"]
    assert engine.group(json.loads(first)) == e
    # The grouper's options do not apply to it.
    assert engine.group(first, version="43.1", hospital="exempt") == e

    inpatient = json.dumps(HEART_FAILURE)
    path = tmp_path / "mixed.jsonl"
    path.write_text(first + "\n" + inpatient + "\n" + OUTPATIENT.read_text())
    got = list(engine.group_file(path))
    assert [g.get("engine") for g in got[:2]] == ["ioce", None]
    assert got[0] == {**e, "line": 1}
    assert got[1]["final_drg"] == 292 and got[1]["line"] == 2
    assert all(g["engine"] == "ioce" for g in got[2:])
    if os.environ.get("MEDCODE_CLI"):
        assert got == cli_groupings(path)

    table = pa.table({"claim": [first, inpatient, None]})
    out = engine.group_arrow(table)
    assert out.schema.field("grouping") == medcode.Engine.grouping_field()
    op, ip, null = out.column("grouping").to_pylist()
    assert null is None
    assert (op["engine"], op["final_drg"], op["return_code"], op["error"]) == ("ioce", None, None, None)
    assert (op["version"], op["ioce_return_code"]) == (e["version"], e["return_code"])
    assert op["claim_disposition"] == int(e["claim_disposition"])
    assert json.loads(op["json"]) == e
    assert (ip["engine"], ip["final_drg"], ip["ioce_return_code"], ip["claim_disposition"]) == ("msdrg", 292, None, None)
    assert json.loads(ip["json"]) == engine.group(inpatient)
