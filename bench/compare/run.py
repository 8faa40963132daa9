#!/usr/bin/env python3
"""Side-by-side ICD-10-CM lookup benchmark; run through run.sh (see README.md).

The same query files (1,000,000 lookups in random order over the FY2026
billable codes, and 1,000,000 over a hot set of 1,000 of them) go through:
medcode in Rust, medcode from Python (ctypes), simple_icd_10_cm's
is_valid_item, a Python set and dict, and a Rust HashMap<String,_>. Each
number is the median over ROUNDS passes of ns per lookup. Start-up is the
time from spawning a fresh process to reading its first answer (median of
STARTS runs).

Claims: 100,000 synthetic inpatient claims through medcode's C ABI (Python
Engine.check_many / check) and msdrg's MceEditor: see bench_claims() below
(--claims-only runs that half alone and keeps the lookup numbers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

N = 1_000_000
HOT = 1_000
SEED = 20251001
DATE = 20251001  # FY2026
STARTS = 5


def timed(rounds, queries, fn):
    """Median ns per lookup over `rounds` passes of `fn` over `queries`; hit count."""
    per, hits = [], 0
    for _ in range(rounds):
        t = time.perf_counter_ns()
        hits = fn(queries)
        per.append((time.perf_counter_ns() - t) / len(queries))
    return statistics.median(per), hits


def python_tools(codes, date):
    """name -> function(queries) -> hits; each loops in plain Python."""
    import medcode
    import simple_icd_10_cm as cm

    code_set = set(codes)
    code_dict = {c: i for i, c in enumerate(codes)}
    raw = medcode._medcode.is_valid  # the extension's function the wrapper calls

    def med(queries):
        f = medcode.is_valid_icd10cm
        n = 0
        for q in queries:
            n += f(q, date)
        return n

    def med_raw(queries):
        # The bare extension call: what the Python wrapper costs on top.
        n = 0
        for q in queries:
            n += raw("icd10cm", q, date, False)
        return n

    def simple(queries):
        f = cm.is_valid_item
        n = 0
        for q in queries:
            n += f(q)
        return n

    def pyset(queries):
        n = 0
        for q in queries:
            n += q in code_set
        return n

    def pydict(queries):
        get = code_dict.get
        n = 0
        for q in queries:
            n += get(q) is not None
        return n

    return [
        ("medcode (Python, PyO3)", med, False),
        ("medcode (raw PyO3 call)", med_raw, True),
        ("simple_icd_10_cm", simple, False),
        ("Python set", pyset, False),
        ("Python dict", pydict, False),
    ]


def first_answer_ms(cmd, env=None):
    """Median ms from spawning `cmd` to reading its first line of output."""
    times = []
    for _ in range(STARTS):
        t = time.perf_counter_ns()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, text=True)
        line = p.stdout.readline()
        elapsed = (time.perf_counter_ns() - t) / 1e6
        p.wait()
        if p.returncode != 0 or line.strip() not in ("True", "true"):
            raise SystemExit(f"start-up run failed: {cmd} -> {line!r} rc={p.returncode}")
        times.append(elapsed)
    return statistics.median(times)


CLAIMS = 100_000
CLAIM_SEED = 20260101
CLAIM_ROUNDS = 3
BATCH = 1_000
FY_START, FY_DAYS = (2025, 10, 1), 365  # FY2026: 2025-10-01 .. 2026-09-30
# medcode restricted to what the MCE edits: code validity + the MCE family
# (malformed-claim stays on); the ICD-10-CM conventions, line checks,
# CMS edit-table rules and the MS-DRG grouper's rules are disabled.
MCE_DISABLED = [
    "excludes1-conflict", "code-first-sequence", "duplicate-diagnosis", "too-many-diagnoses",
    "dx-pointer-invalid", "primary-pointer-invalid", "units-invalid", "modifier-invalid",
    "too-many-modifiers", "modifier-conflict", "laterality-mismatch", "duplicate-line",
    "service-date-invalid", "em-with-procedure-missing-25",
    "ncci-ptp", "mue-exceeded", "addon-without-primary",
    "drg-ungroupable", "hospital-acquired-condition", "cc-excluded-by-principal",
]


def make_claims(work):
    """CLAIMS deterministic inpatient claims, as (medcode dicts, msdrg dicts): the same claims."""
    import datetime as dt

    cm = [l.split("\t") for l in (work / "export.tsv").read_text().splitlines()[1:]]
    dx = [r[0] for r in cm if r[1] == "1"]
    pcs_rows = [l.split("\t") for l in (work / "export_pcs.tsv").read_text().splitlines()[1:]]
    pcs = [r[0] for r in pcs_rows if len(r) < 2 or r[1] == "1"]
    rng = random.Random(CLAIM_SEED)
    fy0 = dt.date(*FY_START)
    med, ms = [], []
    for i in range(CLAIMS):
        los = rng.randint(0, 10)
        admit = fy0 + dt.timedelta(days=rng.randrange(FY_DAYS - los))
        disch = admit + dt.timedelta(days=los)
        age = rng.randint(0, 99)
        sex = rng.choice("MF")
        codes = rng.sample(dx, rng.randint(1, 12))  # principal + 0-11 secondary
        procs = rng.sample(pcs, rng.randint(0, 6))
        pdates = [admit + dt.timedelta(days=rng.randint(0, los)) for _ in procs]
        med.append({
            "id": f"C{i:06d}", "type": "institutional",
            "patient": {"sex": sex, "age": age},
            "service_date": disch.isoformat(),
            "admission_date": admit.isoformat(), "discharge_date": disch.isoformat(),
            "discharge_status": "01",
            "diagnoses": [{"code": c, "poa": "Y"} for c in codes],
            "procedures": [{"code": p, "date": d.isoformat()} for p, d in zip(procs, pdates)],
        })
        und = [c.replace(".", "") for c in codes]
        ms.append({
            "discharge_date": int(disch.strftime("%Y%m%d")), "icd_version": 10,
            "age": age, "sex": 0 if sex == "M" else 1, "discharge_status": 1,
            "pdx": {"code": und[0], "poa": "Y"},
            "sdx": [{"code": c, "poa": "Y"} for c in und[1:]],
            "procedures": [{"code": p} for p in procs],
        })
    return med, ms, len(dx), len(pcs)


def bench_claims(args):
    """The same CLAIMS inpatient claims through medcode's C ABI (Python package:
    Engine.check_many in batches of BATCH, and Engine.check per claim) and
    msdrg's MceEditor.edit per claim. Median of CLAIM_ROUNDS passes of the
    whole set; start-up = fresh process to the first claim's answer."""
    import medcode
    import msdrg

    work = Path(args.work)
    med, ms, n_dx, n_pcs = make_claims(work)
    (work / "claims.jsonl").write_text("\n".join(json.dumps(c) for c in med) + "\n")
    print(f"{CLAIMS:,} claims ({n_dx:,} billable ICD-10-CM, {n_pcs:,} ICD-10-PCS codes to draw from)", flush=True)
    config = {"disabled": MCE_DISABLED}
    engine = medcode.Engine(config)
    editor = msdrg.MceEditor()

    def med_batch():
        out = []
        for i in range(0, len(med), BATCH):
            out.extend(engine.check_many(med[i:i + BATCH]))
        return sum(1 for r in out if r["findings"]), out

    def med_one():
        check = engine.check
        out = [check(c) for c in med]
        return sum(1 for r in out if r["findings"]), out

    def ms_one():
        edit = editor.edit
        out = [edit(c) for c in ms]
        return sum(1 for r in out if r["edits"]), out

    tools = [
        ("medcode C ABI (check_many, batches of 1,000)", med_batch),
        ("medcode C ABI (check, per claim)", med_one),
        ("msdrg MceEditor (edit, per claim)", ms_one),
    ]
    rows, answers = [], {}
    for name, fn in tools:
        times = []
        for _ in range(CLAIM_ROUNDS):
            t = time.perf_counter_ns()
            flagged, out = fn()
            times.append((time.perf_counter_ns() - t) / 1e9)
        answers[name] = out
        sec = statistics.median(times)
        rows.append({"tool": name, "claims": CLAIMS, "seconds": round(sec, 3),
                     "claims_per_s": round(CLAIMS / sec), "us_per_claim": round(sec / CLAIMS * 1e6, 2),
                     "passes_s": [round(x, 3) for x in times], "flagged": flagged})
        print(rows[-1], flush=True)
    editor.close()
    engine.close()

    # What each flagged, by rule / edit name (a cross-check, not a conformance test).
    from collections import Counter
    med_rules = Counter(f["rule"] for r in answers[tools[0][0]] for f in r["findings"])
    ms_edits = Counter()
    for r in answers[tools[2][0]]:
        for e in r["edits"]:
            ms_edits[e["name"]] += e.get("count", 1)
    both = sum(1 for a, b in zip(answers[tools[0][0]], answers[tools[2][0]])
               if bool(a["findings"]) == bool(b["edits"]))

    py = sys.executable
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(args.root) / "python")
    c0 = json.dumps(med[0])
    m0 = json.dumps(ms[0])
    starts = {
        tools[0][0]: [py, "-c", f"import json, medcode; e = medcode.Engine({config!r}); "
                      f"print(len(e.check_many([json.loads({c0!r})])) == 1)"],
        tools[1][0]: [py, "-c", f"import json, medcode; e = medcode.Engine({config!r}); "
                      f"print('findings' in e.check(json.loads({c0!r})))"],
        tools[2][0]: [py, "-W", "ignore", "-c", f"import json, msdrg; m = msdrg.MceEditor(); "
                      f"print('edits' in m.edit(json.loads({m0!r}))); m.close()"],
    }
    for r in rows:
        r["startup_ms"] = round(first_answer_ms(starts[r["tool"]], env), 2)
        print(f"start-up {r['tool']}: {r['startup_ms']} ms", flush=True)
    try:
        load = open("/proc/loadavg").read().strip()
    except OSError:
        load = None
    return {"n": CLAIMS, "rounds": CLAIM_ROUNDS, "loadavg_end": load, "batch": BATCH, "seed": CLAIM_SEED,
            "medcode_disabled": MCE_DISABLED, "rows": rows,
            "agree_flagged": both, "medcode_rules": dict(med_rules.most_common()),
            "msdrg_edits": dict(ms_edits.most_common())}


def machine():
    out = [f"uname: {' '.join(platform.uname())}", f"python: {sys.version.split()[0]}"]
    try:
        out.append("load average at the end of the run (1/5/15 min): " + open("/proc/loadavg").read().strip())
    except OSError:
        pass
    try:
        out.append(subprocess.run(["lscpu"], capture_output=True, text=True).stdout.strip())
    except OSError:
        pass
    try:
        out.append(subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip())
    except OSError:
        pass
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rust-bench", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--replot", action="store_true", help="redraw the chart from results.json only")
    ap.add_argument("--claims-only", action="store_true",
                    help="run the claims half only; keep the lookup numbers already in results.json")
    args = ap.parse_args()
    if args.replot:
        data = json.loads((Path(args.out) / "results.json").read_text())
        by = {(r["tool"], r["set"]): r for r in data["lookups"]}
        tools = list(dict.fromkeys(r["tool"] for r in data["lookups"]))
        chart(Path(args.out), tools, by, data["startup_ms"], data.get("claims"))
        return
    work, out = Path(args.work), Path(args.out)
    # The medcode package is installed in the bench venv (pip install ./python).
    if args.claims_only:
        data = json.loads((out / "results.json").read_text())
        claims = bench_claims(args)
        n_codes = sum(1 for l in (work / "export.tsv").read_text().splitlines()[1:] if l.split("\t")[1] == "1")
        write_results(out, data["lookups"], data["startup_ms"], claims, n_codes, data["rounds"],
                      machine_desc=(out / "machine.txt").read_text().rstrip("\n"))
        return

    rows = [l.split("\t") for l in (work / "export.tsv").read_text().splitlines()[1:]]
    codes = [r[0] for r in rows if r[1] == "1"]
    (work / "codes.txt").write_text("\n".join(codes) + "\n")
    rng = random.Random(SEED)
    random_q = [rng.choice(codes) for _ in range(N)]
    hot_codes = rng.sample(codes, HOT)
    hot_q = [rng.choice(hot_codes) for _ in range(N)]
    (work / "queries_random.txt").write_text("\n".join(random_q) + "\n")
    (work / "queries_hot.txt").write_text("\n".join(hot_q) + "\n")
    print(f"{len(codes):,} billable codes; {N:,} random and {N:,} hot-set queries", flush=True)

    results = []  # dicts: tool, set, ns, hits
    # Rust first, alone on the machine as far as this script is concerned.
    p = subprocess.run(
        [args.rust_bench, "bench", str(work / "codes.txt"), str(work / "queries_random.txt"),
         str(work / "queries_hot.txt"), str(args.rounds), str(DATE)],
        capture_output=True, text=True, check=True)
    for line in p.stdout.splitlines():
        results.append(json.loads(line))
        print(results[-1], flush=True)

    for name, fn, wants_bytes in python_tools(codes, DATE):
        for set_name, qs in (("random", random_q), ("hot", hot_q)):
            data = [q.encode() for q in qs] if wants_bytes else qs
            ns, hits = timed(args.rounds, data, fn)
            results.append({"tool": name, "set": set_name, "ns": round(ns, 2), "hits": hits})
            print(results[-1], flush=True)

    # Start-up: a fresh process to its first answer.
    py = sys.executable
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(args.root) / "python")
    codes_file = str(work / "codes.txt")
    starts = {
        "medcode (Rust)": [args.rust_bench, "first", "E11.9", str(DATE)],
        "Rust HashMap<String,_>": [args.rust_bench, "first-hashmap", codes_file, "E11.9"],
        "medcode (Python, PyO3)": [py, "-c", f"import medcode; print(medcode.is_valid_icd10cm('E11.9', {DATE}))"],
        "simple_icd_10_cm": [py, "-c", "import simple_icd_10_cm as c; print(c.is_valid_item('E11.9'))"],
        "Python set": [py, "-c", f"s = set(open({codes_file!r}).read().split()); print('E11.9' in s)"],
        "Python dict": [py, "-c", f"d = {{c: i for i, c in enumerate(open({codes_file!r}).read().split())}}; print(d.get('E11.9') is not None)"],
        "(Python interpreter alone)": [py, "-c", "print(True)"],
    }
    startup = {}
    for name, cmd in starts.items():
        startup[name] = round(first_answer_ms(cmd, env), 2)
        print(f"start-up {name}: {startup[name]} ms", flush=True)

    claims = bench_claims(args)
    write_results(out, results, startup, claims, len(codes), args.rounds)


def write_results(out, results, startup, claims, n_codes, rounds, machine_desc=None):
    by = {(r["tool"], r["set"]): r for r in results}
    tools = list(dict.fromkeys(r["tool"] for r in results))
    base = "medcode (Rust)"
    desc = machine_desc or machine()
    lines = [
        "# Side-by-side ICD-10-CM lookups",
        "",
        f"{N:,} lookups of FY2026 billable ICD-10-CM codes ({n_codes:,} codes; date 2025-10-01), "
        f"random order over all of them and over a hot set of {HOT:,}; median of {rounds} passes, "
        "ns per lookup (lower is better). Ratio = tool / medcode (Rust). Hits = lookups answered "
        "'valid' (all queries are valid FY2026 codes, so a tool whose table differs shows it here). "
        "Start-up = spawning a fresh process to reading its first answer (median of "
        f"{STARTS}). Reproduce: `bash bench/compare/run.sh`.",
        "",
        "| tool | random ns | ratio | hot ns | ratio | hits (random) | start-up ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for t in tools:
        r, h = by[(t, "random")], by[(t, "hot")]
        rr = r["ns"] / by[(base, "random")]["ns"]
        hr = h["ns"] / by[(base, "hot")]["ns"]
        s = startup.get(t)
        lines.append(
            f"| {t} | {r['ns']:,.1f} | {rr:,.1f}× | {h['ns']:,.1f} | {hr:,.1f}× | {r['hits']:,} | "
            f"{'' if s is None else f'{s:,.1f}'} |")
    for t, s in startup.items():
        if t not in tools:
            lines.append(f"| {t} | | | | | | {s:,.1f} |")
    lines += [""] + claims_md(claims) + ["", "## Machine", "", "```", desc, "```", ""]
    (out / "results.md").write_text("\n".join(lines))
    if machine_desc is None:
        (out / "machine.txt").write_text(desc + "\n")
    (out / "results.json").write_text(json.dumps(
        {"n": N, "hot": HOT, "rounds": rounds, "date": DATE, "lookups": results,
         "startup_ms": startup, "claims": claims}, indent=1) + "\n")
    chart(out, tools, by, startup, claims)
    print((out / "results.md").read_text())


def claims_md(claims):
    if not claims:
        return ["Claims through the C ABI vs msdrg's MceEditor: not measured in this run."]
    rows = claims["rows"]
    base = rows[0]["seconds"]
    lines = [
        "## Claims: medcode's C ABI vs msdrg's MceEditor",
        "",
        f"The same {claims['n']:,} synthetic FY2026 inpatient claims (seed {claims['seed']}: random "
        "billable ICD-10-CM diagnoses, 1–12 per claim, POA Y; 0–6 random ICD-10-PCS procedures; "
        "age 0–99, sex M/F, discharge in FY2026, status 01) through medcode's Python package over "
        "the C ABI (`Engine.check_many` in batches of "
        f"{claims['batch']:,} → `medcode_check_jsonl`; `Engine.check` per claim → `medcode_check_json`) "
        "and through msdrg 1.2.0's `MceEditor.edit` per claim (its own ctypes API). Each call includes "
        "the package's own work: dict → JSON, the foreign call, JSON → dict. medcode runs the "
        "code-validity and MCE rule families only (the conventions, line, edit-table and DRG rules are "
        f"disabled in its config); median of {claims['rounds']} passes over all claims. Start-up = "
        "fresh process to the first claim's answer (import, build the engine/editor, one claim; "
        f"median of {STARTS}). Reproduce: `bash bench/compare/run.sh` "
        "(`CLAIMS_ONLY=1` for this half alone).",
        "",
        "| tool | total s | claims/s | µs per claim | ratio | claims flagged | start-up ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['tool']} | {r['seconds']:,.2f} | {r['claims_per_s']:,} | {r['us_per_claim']:,.1f} | "
                     f"{r['seconds'] / base:,.1f}× | {r['flagged']:,} | {r.get('startup_ms', 0):,.1f} |")
    lines += [
        "",
        f"Ratio = total time / medcode's batch row. Claims flagged = claims with at least one "
        f"finding (medcode) or edit (msdrg); the two agree on flagged / not flagged for "
        f"{claims['agree_flagged']:,} of {claims['n']:,} claims, and below the counts by rule / edit "
        "(a cross-check of the same work, not a conformance test). Load average (1/5/15 min) at the "
        f"end of the claims run: {claims.get('loadavg_end') or 'n/a'} on 2 cores — a shared, noisy VM.",
        "",
        "medcode findings by rule: " + ", ".join(f"`{k}` {v:,}" for k, v in claims["medcode_rules"].items()),
        "",
        "msdrg edits by name (summing each edit's `count`): " + ", ".join(f"`{k}` {v:,}" for k, v in claims["msdrg_edits"].items()),
    ]
    return lines


def chart(out, tools, by, startup, claims=None):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if claims:
        fig, (a, b, c) = plt.subplots(1, 3, figsize=(18, 5.2), gridspec_kw={"width_ratios": [3, 2, 2]})
    else:
        fig, (a, b) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [3, 2]})
    x = range(len(tools))
    w = 0.38
    ra = [by[(t, "random")]["ns"] for t in tools]
    ho = [by[(t, "hot")]["ns"] for t in tools]
    a.bar([i - w / 2 for i in x], ra, w, label="random over all billable codes")
    a.bar([i + w / 2 for i in x], ho, w, label="hot set of 1,000")
    for i, (r, h) in enumerate(zip(ra, ho)):
        a.text(i - w / 2, r, f"{r:,.0f}", ha="center", va="bottom", fontsize=7)
        a.text(i + w / 2, h, f"{h:,.0f}", ha="center", va="bottom", fontsize=7)
    a.set_yscale("log")
    a.set_ylabel("ns per lookup (median, log scale)")
    a.set_xticks(list(x))
    a.set_xticklabels(tools, fontsize=8, rotation=25, ha="right")
    a.set_title("1,000,000 ICD-10-CM lookups (FY2026)")
    a.legend(fontsize=8)
    names = list(startup)
    vals = [startup[n] for n in names]
    b.barh(range(len(names)), vals, color="tab:gray")
    for i, v in enumerate(vals):
        b.text(v, i, f" {v:,.1f}", va="center", fontsize=7)
    b.set_xscale("log")
    b.set_yticks(range(len(names)))
    b.set_yticklabels(names, fontsize=8)
    b.invert_yaxis()
    b.set_xlabel("ms from process spawn to first answer (log scale)")
    b.set_title("Start-up")
    if claims:
        rows = claims["rows"]
        names = [r["tool"] for r in rows]
        vals = [r["claims_per_s"] for r in rows]
        c.barh(range(len(rows)), vals, color=["tab:blue", "tab:cyan", "tab:orange"][:len(rows)])
        for i, r in enumerate(rows):
            c.text(r["claims_per_s"], i, f" {r['claims_per_s']:,}/s\n start-up {r.get('startup_ms', 0):,.0f} ms",
                   va="center", fontsize=7)
        c.set_yticks(range(len(rows)))
        c.set_yticklabels([n.replace(" (", "\n(") for n in names], fontsize=8)
        c.invert_yaxis()
        c.set_xlim(0, max(vals) * 1.45)
        c.set_xlabel("claims per second (median of passes; higher is better)")
        c.set_title(f"{claims['n']:,} inpatient claims, MCE edits")
    fig.tight_layout()
    fig.savefig(out / "lookups.png", dpi=110)


if __name__ == "__main__":
    main()
