"""CMS's own MS-DRG grouper against msdrg, field by field, on generated claims.

Generates inpatient claims (MS-DRG v40.0 ... v43.1, the versions CMS's jar has)
from medcode's grouper tables (crates/medcode-grouper-data/data/*.tsv) in the JSON shape
tests/drg_conformance.rs gives msdrg (`msdrg_line`), runs
tests/conformance/MsdrgCmsDriver.java (CMS's grouper, msdrg-core 43.1) and
tests/conformance/msdrg_group_driver.py (msdrg 1.2.0) on them, and reports how
often each output field agrees, with examples of every kind of disagreement.

Needs Java 11+ and CMS's jars outside the repository ($MEDCODE_CMS_JARS, default
$HOME/.cache/medcode/cms-jars: msdrg-core-43.1.0.0.jar and its libraries, see
../shared/oracles/cms-msdrg/README.md for their sha256). The jars, and anything
built from them, are never committed: the driver is compiled into a temporary
folder. Needs a Python with msdrg 1.2.0 ($MEDCODE_MSDRG_PYTHON, default
target/tmp/msdrg-venv/bin/python, the venv tests/drg_conformance.rs makes).

Run from the repository root:

    python3 tests/conformance/compare_cms_msdrg.py [--claims 3000] [--seed 1]
        [--examples 3] [--save DIR]   # DIR: claims.jsonl, cms.jsonl, msdrg.jsonl

Field paths are normalised: `sdx_output[].severity` counts every secondary
diagnosis. Secondary diagnoses and procedures are matched by position in the
input (CMS keeps the input order; msdrg sorts them under CLINICAL_SIGNIFICANCE),
so the lists are compared code by code, not position by position.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "crates" / "medcode-grouper-data" / "data"
VERSIONS = [400, 401, 410, 411, 420, 421, 430, 431]


def rows(name):
    with open(DATA / name, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line.split("\t")


def vnum(s):  # "43.1" -> 431
    a, b = s.split(".")
    return int(a) * 10 + int(b)


def in_range(lo, hi):
    return [v for v in VERSIONS if vnum(lo) <= v <= vnum(hi)]


class Pool:
    def __init__(self):
        self.dx, self.principal, self.ecode, self.cc_mcc, self.hac = [], [], [], [], []
        self.special, self.gender, self.procedures, self.or_procedures = [], [], [], []
        self.dx_by_attr = collections.defaultdict(list)
        self.proc_by_attr = collections.defaultdict(list)
        self.clusters = []


def pools():
    schemes = {r[0]: r for r in rows("dx_schemes.tsv")}
    formula_attrs = set()
    for r in rows("formulas.tsv"):
        tok = ""
        for c in r[10] + " ":
            if c in "()&|~ ":
                if tok:
                    formula_attrs.add(tok.rsplit(":", 1)[-1])
                tok = ""
            else:
                tok += c
    by_v = {v: Pool() for v in VERSIONS}
    for r in rows("diagnoses.tsv"):
        s = schemes[r[3]]
        get = lambda i: s[i] if i < len(s) else ""
        attrs = [a for i in (3, 4, 5) for a in get(i).split(",") if a]
        for v in in_range(r[1], r[2]):
            p, code = by_v[v], r[0]
            p.dx.append(code)
            (p.principal if s[1] != "0" else p.ecode).append(code)
            if s[2] != "NCC":
                p.cc_mcc.append(code)
            if get(4):
                p.hac.append(code)
            if any(a in ("mccalive", "incident", "hiv", "strauma") for a in attrs):
                p.special.append(code)
            for a in attrs:
                if a in formula_attrs:
                    p.dx_by_attr[a].append(code)
    for r in rows("gender_mdcs.tsv"):
        for v in in_range(r[1], r[2]):
            by_v[v].gender.append(r[0])
    patterns = {r[0]: (r[1].split(",") if len(r) > 1 and r[1] else []) for r in rows("pcs_patterns.tsv")}
    for r in rows("procedures.tsv"):
        if r[0].startswith("Z@"):
            continue
        attrs = patterns[r[3]]
        for v in in_range(r[1], r[2]):
            p, code = by_v[v], r[0]
            p.procedures.append(code)
            if "d468" in attrs or "d477" in attrs:
                p.or_procedures.append(code)
            for a in attrs:
                if a in formula_attrs or a.startswith("hac"):
                    p.proc_by_attr[a].append(code)
    for r in rows("clusters.tsv"):
        choices = [c.split(",")[0] for c in r[4].split(";")]
        for v in in_range(r[1], r[2]):
            by_v[v].clusters.append(choices)
    for p in by_v.values():
        p.dx_attrs = sorted(p.dx_by_attr)
        p.proc_attrs = sorted(p.proc_by_attr)
    return by_v


INVALID_DX = ["ZZZZ", "A00", "I509", "S72001"]
POAS = list("YYYYYNNNUW1") + [None, "E", "X"]


def count(rng, mx):
    r = rng.randrange(10)
    return 0 if r <= 2 else 1 + rng.randrange(4) if r <= 7 else rng.randrange(mx + 1)


def dx_from(rng, p, principal):
    roll = rng.randrange(100)
    if roll < 3:
        return rng.choice(INVALID_DX)
    if principal:
        if roll < 6:
            return rng.choice(p.ecode)
        if roll < 12:
            return rng.choice(p.gender)
        if roll < 55:
            return rng.choice(p.dx_by_attr[rng.choice(p.dx_attrs)])
        return rng.choice(p.principal)
    if roll <= 35:
        return rng.choice(p.cc_mcc)
    if roll <= 55:
        return rng.choice(p.hac)
    if roll <= 62:
        return rng.choice(p.special)
    if roll <= 80:
        return rng.choice(p.dx_by_attr[rng.choice(p.dx_attrs)])
    return rng.choice(p.dx)


def generate(rng, by_v):
    version = rng.choice(VERSIONS)
    p = by_v[version]
    sdx = [{"code": dx_from(rng, p, False), "poa": rng.choice(POAS)} for _ in range(count(rng, 24))]
    if sdx and rng.randrange(100) < 3:
        sdx.append(dict(sdx[0]))  # a repeated secondary diagnosis
    procs = []
    n = count(rng, 24)
    while len(procs) < n:
        roll = rng.randrange(100)
        if roll <= 1:
            procs.append("ZZZZZZZ")
        elif roll <= 35:
            procs.append(rng.choice(p.or_procedures))
        elif roll <= 70:
            procs.append(rng.choice(p.proc_by_attr[rng.choice(p.proc_attrs)]))
        elif roll <= 82:
            procs.extend(rng.choice(p.clusters))
        else:
            procs.append(rng.choice(p.procedures))
    procs = procs[:25]
    r = rng.randrange(100)
    discharge = (1 if r < 45 else 20 if r < 60 else 7 if r < 65
                 else rng.choice([2, 5, 66, 82, 85, 94]) if r < 80
                 else rng.choice([3, 4, 6, 21, 30, 43, 50, 51, 61, 62, 63, 64, 65, 69, 70, 81, 95]) if r < 95
                 else rng.choice([0, 8, 99]))
    r = rng.randrange(100)
    claim = {
        "version": version,
        "age": 65,
        "sex": 0 if r < 45 else 1 if r < 90 else 2,
        "discharge_status": discharge,
        "hospital_status": rng.choice(["NOT_EXEMPT"] * 8 + ["EXEMPT", "UNKNOWN"]),
        "tie_breaker": "ALPHABETICAL" if rng.randrange(100) < 10 else "CLINICAL_SIGNIFICANCE",
        "pdx": {"code": dx_from(rng, p, True), "poa": rng.choice(POAS)},
        "sdx": sdx,
        "procedures": [{"code": c} for c in procs],
    }
    r = rng.randrange(100)
    if r >= 50:
        claim["admit_dx"] = {"code": rng.choice(p.dx) if r < 95 else "ZZZZ"}
    return claim


def run(cmd, text, **kw):
    res = subprocess.run(cmd, input=text, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {res.stderr[-2000:]}")
    out = {}
    for line in res.stdout.splitlines():
        i, j = line.split("\t", 1)
        out[int(i)] = None if j == "null" else ("ERROR", j) if j.startswith("ERROR") else json.loads(j)
    return out


def cms_answers(text):
    jars = Path(os.environ.get("MEDCODE_CMS_JARS", Path.home() / ".cache/medcode/cms-jars"))
    if not (jars / "msdrg-core-43.1.0.0.jar").exists():
        sys.exit(f"CMS's jars are not in {jars} (set MEDCODE_CMS_JARS)")
    cp = f"{jars}/*"
    with tempfile.TemporaryDirectory(prefix="cms-msdrg-driver-") as build:
        src = ROOT / "tests/conformance/MsdrgCmsDriver.java"
        subprocess.run(["javac", "-nowarn", "-cp", cp, "-d", build, str(src)], check=True)
        return run(["java", "-cp", f"{cp}:{build}", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "MsdrgCmsDriver"], text)


def msdrg_answers(text):
    py = os.environ.get("MEDCODE_MSDRG_PYTHON", str(ROOT / "target/tmp/msdrg-venv/bin/python"))
    if not Path(py).exists():
        py = "/work/main/target/tmp/msdrg-venv/bin/python"
    return run([py, str(ROOT / "tests/conformance/msdrg_group_driver.py")], text)


# Fields CMS's public output has no counterpart for (see MsdrgCmsDriver.java).
NOT_IN_CMS = {"mdc", "conversions"}
EXTRA_IN_CMS = {"cms", "initial_severity_usage", "final_severity_usage", "legacy_flags"}


def diff(path, a, b, out):
    """Every leaf field, as (normalised path, equal?, cms value, msdrg value)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k in NOT_IN_CMS or k in EXTRA_IN_CMS:
                continue
            diff(f"{path}.{k}", a.get(k), b.get(k), out)
    elif isinstance(a, list) and isinstance(b, list) and path.endswith(("_output", "hacs")):
        if len(a) != len(b):
            out.append((path + ".len", False, len(a), len(b)))
            return
        if path.endswith("_output"):
            # Match by code: msdrg may re-order (tie-breaker); repeated codes keep their order.
            rest = list(b)
            for x in a:
                j = next((k for k, y in enumerate(rest) if y.get("code") == x.get("code")), None)
                if j is None:
                    out.append((path + "[].code", False, x.get("code"), None))
                    continue
                diff(path + "[]", x, rest.pop(j), out)
        else:
            for x, y in zip(a, b):
                diff(path + "[]", x, y, out)
    else:
        out.append((path, a == b, a, b))


def kind(path, x, y):
    """A disagreement's kind: titles by how they differ, other fields by value."""
    if path.endswith("description") and isinstance(x, str) and isinstance(y, str):
        if y == "":
            return (path, '"<title>"' if x else '""', '""')
        if x.lower() == y.lower():
            return (path, "<title>", "<same title, other case>")
        return (path, json.dumps(x), json.dumps(y))
    return (path, json.dumps(x), json.dumps(y))


def order(claim, cms, ms):
    """How each side orders sdx / procedures relative to the input."""
    res = {}
    for key, out_key in (("sdx", "sdx_output"), ("procedures", "proc_output")):
        given = [x["code"] for x in claim[key]]
        for name, ans in (("cms", cms), ("msdrg", ms)):
            got = [x["code"] for x in ans.get(out_key, [])]
            res[f"{name}.{key}"] = ("input" if got == given else "sorted" if got == sorted(given)
                                    else "other")
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--kinds", type=int, default=8, help="kinds shown per field")
    ap.add_argument("--save")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    by_v = pools()
    claims = [generate(rng, by_v) for _ in range(args.claims)]
    text = "".join(json.dumps({"id": i, "claim": c}) + "\n" for i, c in enumerate(claims))
    cms = cms_answers(text)
    ms = msdrg_answers(text)
    if args.save:
        d = Path(args.save)
        d.mkdir(parents=True, exist_ok=True)
        (d / "claims.jsonl").write_text(text)
        for name, ans in (("cms", cms), ("msdrg", ms)):
            (d / f"{name}.jsonl").write_text("".join(f"{i}\t{json.dumps(a)}\n" for i, a in sorted(ans.items())))

    agree = collections.Counter()
    total = collections.Counter()
    kinds = collections.defaultdict(list)  # (path, cms value, msdrg value) -> claim ids
    orders = collections.Counter()
    whole = 0
    for i, c in enumerate(claims):
        a, b = cms.get(i), ms.get(i)
        if not isinstance(a, dict) or not isinstance(b, dict):
            kinds[("<answer>", str(a)[:80], str(b)[:80])].append(i)
            continue
        for k, v in order(c, a, b).items():
            orders[(k, v, c["tie_breaker"])] += 1
        out = []
        diff("", a, b, out)
        ok = True
        for path, eq, x, y in out:
            total[path] += 1
            if eq:
                agree[path] += 1
            else:
                ok = False
                kinds[kind(path, x, y)].append(i)
        whole += ok
    print(f"CMS msdrg-core 43.1 vs msdrg 1.2.0: {whole} of {len(claims)} claims agree on every compared field (seed {args.seed})")
    print("\nper field: agree / compared")
    for path in sorted(total):
        mark = "" if agree[path] == total[path] else "   <-- differs"
        print(f"  {agree[path]:6} / {total[path]:6}  {path}{mark}")
    print("\noutput order of secondary diagnoses / procedures (side.list, order, tie-breaker): claims")
    for k, n in sorted(orders.items()):
        print(f"  {k}: {n}")
    print(f"\nkinds of disagreement (path: CMS != msdrg): claims; {args.examples} examples each")
    by_path = collections.defaultdict(list)
    for (path, x, y), ids in kinds.items():
        by_path[path].append((len(ids), x, y, ids))
    for path in sorted(by_path):
        ks = sorted(by_path[path], key=lambda k: (-k[0], k[1], k[2]))
        for n, x, y, ids in ks[:args.kinds]:
            print(f"  {path}: {x} != {y}: {n} claims, e.g. {ids[:args.examples]}")
        if len(ks) > args.kinds:
            rest = ks[args.kinds:]
            print(f"  {path}: ... {len(rest)} more kinds, {sum(k[0] for k in rest)} claims")


if __name__ == "__main__":
    main()
