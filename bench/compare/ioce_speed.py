"""Side by side: medcode's outpatient editor (`medcode group`, one thread)
against pyoce's `process_claim` on the same generated outpatient claims.

    MEDCODE_IOCE_CLAIMS=2000 MEDCODE_IOCE_DUMP=bench/compare/work/ioce \\
      cargo test --release --all-features --test suite -- ioce_conformance::
    python bench/compare/ioce_speed.py target/release/medcode bench/compare/work/ioce [ROUNDS]

(run it with a Python that has pyoce, e.g. target/tmp/pyoce-venv/bin/python).
Each round times medcode on every claim of the dump repeated 25 times (the
process's start-up, reading the tables, measured on one claim and taken
off) and pyoce on the first 300 claims, alternating, so both see the same
machine; it prints each round's microseconds a claim and the ratio, then
the median ratio.
"""
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time

logging.disable(logging.CRITICAL)


def run(binary, path):
    with tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        subprocess.run([binary, "group", "--jobs", "1", path], stdout=out, check=False)
        return time.perf_counter() - t


def main():
    binary, dump = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    import pyoce

    lines = [l for l in open(os.path.join(dump, "claims.jsonl")) if '"bill_type":"111"' not in l.replace(" ", "")]
    pyoce_claims = [json.loads(l)["claim"] for l in open(os.path.join(dump, "pyoce.jsonl"))]
    pyoce_claims = [c for c in pyoce_claims if c["billType"] != "111"][:300]
    with tempfile.TemporaryDirectory() as tmp:
        many, one = os.path.join(tmp, "many.jsonl"), os.path.join(tmp, "one.jsonl")
        with open(many, "w") as f:
            for _ in range(25):
                f.writelines(lines)
        with open(one, "w") as f:
            f.write(lines[0])
        n = 25 * len(lines)
        pyoce.process_claim(pyoce_claims[0])
        ratios = []
        for r in range(rounds):
            start = min(run(binary, one) for _ in range(3))
            ours = (run(binary, many) - start) / n
            t = time.perf_counter()
            for c in pyoce_claims:
                pyoce.process_claim(c)
            theirs = (time.perf_counter() - t) / len(pyoce_claims)
            ratios.append(theirs / ours)
            print(f"round {r + 1}: medcode {ours * 1e6:.1f} us/claim ({n} claims), "
                  f"pyoce {theirs * 1e3:.2f} ms/claim ({len(pyoce_claims)}), x{theirs / ours:.0f}; "
                  f"load {os.getloadavg()[0]:.1f}")
        print(f"median ratio x{statistics.median(ratios):.0f} (start-up {start * 1e3:.0f} ms, not counted)")


if __name__ == "__main__":
    main()
