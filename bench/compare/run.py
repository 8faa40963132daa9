#!/usr/bin/env python3
"""Side-by-side ICD-10-CM lookup benchmark; run through run.sh (see README.md).

The same query files (1,000,000 lookups in random order over the FY2026
billable codes, and 1,000,000 over a hot set of 1,000 of them) go through:
medcode in Rust, medcode from Python (ctypes), simple_icd_10_cm's
is_valid_item, a Python set and dict, and a Rust HashMap<String,_>. Each
number is the median over ROUNDS passes of ns per lookup. Start-up is the
time from spawning a fresh process to reading its first answer (median of
STARTS runs).

Claims (100,000 inpatient claims through medcode's C ABI vs msdrg's
MceEditor) wait for medcode's rules engine: see bench_claims() below.
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
    raw = medcode._icd10cm_is_valid_fast  # the function object the wrapper calls

    def med(queries):
        f = medcode.is_valid_icd10cm
        n = 0
        for q in queries:
            n += f(q, date)
        return n

    def med_raw(queries):
        # The bare ctypes call on pre-encoded bytes: what the wrapper costs on top.
        n = 0
        for q in queries:
            n += raw(q, len(q), date) == 1
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
        ("medcode (Python, ctypes)", med, False),
        ("medcode (raw ctypes call)", med_raw, True),
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


def bench_claims(args):
    """TODO (waits for medcode's rules engine, issue 5): the same 100,000
    inpatient claims through medcode's C ABI (medcode_check_json /
    medcode_check_jsonl) and through msdrg's MceEditor (PyPI msdrg) for the
    MCE edits. Add "msdrg" to run.sh's pip install, generate the claims here
    from the exported codes, and return rows like the lookup ones."""
    return []


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
    args = ap.parse_args()
    if args.replot:
        data = json.loads((Path(args.out) / "results.json").read_text())
        by = {(r["tool"], r["set"]): r for r in data["lookups"]}
        tools = list(dict.fromkeys(r["tool"] for r in data["lookups"]))
        chart(Path(args.out), tools, by, data["startup_ms"])
        return
    work, out = Path(args.work), Path(args.out)
    sys.path.insert(0, str(Path(args.root) / "python"))  # the medcode package

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
        "medcode (Python, ctypes)": [py, "-c", f"import medcode; print(medcode.is_valid_icd10cm('E11.9', {DATE}))"],
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


def write_results(out, results, startup, claims, n_codes, rounds):
    by = {(r["tool"], r["set"]): r for r in results}
    tools = list(dict.fromkeys(r["tool"] for r in results))
    base = "medcode (Rust)"
    desc = machine()
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
    lines += ["", "Claims through the C ABI vs msdrg's MceEditor: not yet measured (waits for the rules engine).",
              "", "## Machine", "", "```", desc, "```", ""]
    (out / "results.md").write_text("\n".join(lines))
    (out / "machine.txt").write_text(desc + "\n")
    (out / "results.json").write_text(json.dumps(
        {"n": N, "hot": HOT, "rounds": rounds, "date": DATE, "lookups": results,
         "startup_ms": startup, "claims": claims}, indent=1) + "\n")
    chart(out, tools, by, startup)
    print((out / "results.md").read_text())


def chart(out, tools, by, startup):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
    fig.tight_layout()
    fig.savefig(out / "lookups.png", dpi=110)


if __name__ == "__main__":
    main()
