"""The Python package's speed rows, side by side in one run (README table):

  python bench/compare/python_speed.py --cli target/release/medcode [--spark] [--rounds 5]

1. medcode.icd10cm.valid over 1,000,000 codes from a list vs ``[c in s for c in codes]``
   (s: a Python set of the valid codes), and from a pyarrow array.
2. Engine.check_arrow / Engine.check_file vs ``medcode check`` on the same claims.
3. With --spark: medcode.spark.check_claims on local[2], claims/s.
Each row is the median of --rounds runs; ratios are within this run.
"""

import argparse
import json
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time

import medcode
from medcode import icd10cm

ROOT = pathlib.Path(__file__).resolve().parents[2]


def median_time(fn, rounds):
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--claims", type=int, default=200_000)
    ap.add_argument("--spark", action="store_true")
    args = ap.parse_args()
    import pyarrow as pa

    date = "2026-01-01"
    valid = icd10cm.codes(date)
    rng = random.Random(7)
    codes = [rng.choice(valid) if rng.random() < 0.9 else rng.choice(["E11", "Z99.99", "E1!", ""]) for _ in range(1_000_000)]
    s = set(valid)
    arr = pa.array(codes)
    assert icd10cm.valid(codes, date) == [c in s for c in codes]
    t_set = median_time(lambda: [c in s for c in codes], args.rounds)
    t_list = median_time(lambda: icd10cm.valid(codes, date), args.rounds)
    t_arrow = median_time(lambda: icd10cm.valid(arr, date), args.rounds)
    rows = [
        ("`[c in python_set for c in codes]` (1,000,000 codes)", t_set, 1_000_000, "codes"),
        ("`medcode.icd10cm.valid(list)`", t_list, 1_000_000, "codes"),
        ("`medcode.icd10cm.valid(pyarrow.array)`", t_arrow, 1_000_000, "codes"),
    ]

    lines = (ROOT / "examples" / "claims.jsonl").read_text().splitlines()
    claims = [lines[i % len(lines)] for i in range(args.claims)]
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "claims.jsonl"
        path.write_text("\n".join(claims) + "\n")
        out = pathlib.Path(tmp) / "out.jsonl"

        def cli():
            with open(out, "wb") as f:
                subprocess.run([args.cli, "check", str(path)], check=True, stdout=f)

        t_cli = median_time(cli, args.rounds)
        engine = medcode.Engine()
        table = pa.table({"claim": claims})
        t_carrow = median_time(lambda: engine.check_arrow(table), args.rounds)
        t_cfile = median_time(lambda: sum(1 for _ in engine.check_file(path)), args.rounds)
        rows += [
            (f"`medcode check FILE > out.jsonl` ({args.claims:,} claims)", t_cli, args.claims, "claims"),
            ("`Engine.check_arrow(table)`", t_carrow, args.claims, "claims"),
            ("`Engine.check_file(path)` (dicts, iterated)", t_cfile, args.claims, "claims"),
        ]
        if args.spark:
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            from pyspark.sql import SparkSession

            from medcode.spark import check_claims

            spark = (
                SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
            )
            df = spark.read.text(str(path)).withColumnRenamed("value", "claim").cache()
            df.count()
            t_spark = median_time(lambda: check_claims(df).write.format("noop").mode("overwrite").save(), max(1, args.rounds // 2))
            rows.append(("`medcode.spark.check_claims` on local[2] (noop sink)", t_spark, args.claims, "claims"))
            spark.stop()

    print("| what | time (median) | per second | vs first row of its group |")
    print("| --- | ---: | ---: | ---: |")
    base = {}
    for name, t, n, unit in rows:
        base.setdefault(unit, t)
        print(f"| {name} | {t * 1000:.0f} ms | {n / t / 1e6:.2f} M {unit}/s | {base[unit] / t:.2f}× |")


if __name__ == "__main__":
    main()
