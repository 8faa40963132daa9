#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each) and prints
# the executions each ran clean. Needs cargo-fuzz (`cargo install cargo-fuzz`)
# and a nightly toolchain:
#   bash fuzz/run.sh            # 60 s per target
#   SECONDS_EACH=10 bash fuzz/run.sh icdcm date
# Seeds: the reader fixtures in tests/fixtures/ and a few codes; the corpus
# grows in fuzz/corpus/ (git-ignored); crashes land in fuzz/artifacts/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/../target/fuzz}"
secs="${SECONDS_EACH:-60}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(icdcm icdpcs cpt hcpcs modifier date hcpcs_file cpt_descriptors ffi_is_valid ffi_lookup claim_json edit_tables ffi_check claim_bytes large_claim cli)

seed() { mkdir -p "corpus/$1"; shift; for s in "$@"; do printf '%s' "$s" > "corpus/${t}/seed-$(printf '%s' "$s" | md5sum | cut -c1-8)"; done; }
cargo +nightly fuzz build -O
# The cli target runs the release binary: built into the project's own
# target directory (not the fuzzers' one above) and named by MEDCODE_BIN.
(cd .. && CARGO_TARGET_DIR="$here/../target" cargo build --quiet --release --features cli --bin medcode)
export MEDCODE_BIN="$here/../target/release/medcode"
[ -n "${KEEP_RESULTS:-}" ] || printf '| target | seconds | executions | result |\n|---|---:|---:|---|\n' > results.md
for t in "${targets[@]}"; do
  case "$t" in
    icdcm|ffi_is_valid|ffi_lookup) seed "$t" "E11.9" "S72.001A" "e119" "QA0" "Z00.00" ;;
    icdpcs) seed "$t" "0SRD0JZ" "B2151ZZ" ;;
    cpt) seed "$t" "99213" "0001F" "0042T" ;;
    hcpcs) seed "$t" "J3490" "A0425" "D0120" ;;
    modifier) seed "$t" "25" "LT" "59" "XE" ;;
    date) seed "$t" "2025-10-01" "20240229" ;;
    hcpcs_file) mkdir -p "corpus/$t"; cp ../tests/fixtures/hcpcs_*.txt "corpus/$t/" ;;
    cpt_descriptors) mkdir -p "corpus/$t"; cp ../tests/fixtures/cpt_descriptors* "corpus/$t/" ;;
    claim_json|ffi_check|claim_bytes) mkdir -p "corpus/$t"; split -l 1 ../examples/claims.jsonl "corpus/$t/claim-" ;;
    # (printf straight to files: a command substitution would drop the NUL bytes)
    large_claim) mkdir -p "corpus/$t"; printf '\x03\xe8\x00\x02\x01\x03' > "corpus/$t/seed-1000"
                 printf '\x4e\x20\x01\x03\x05' > "corpus/$t/seed-20000" ;;
    cli) mkdir -p "corpus/$t"; printf '\x00lookup\0E11.9' > "corpus/$t/seed-lookup"
         printf '\x00check\0--max-line-bytes\0009' > "corpus/$t/seed-args"
         printf '\x01\x20{"id":1}\n[]\n' > "corpus/$t/seed-input" ;;
    edit_tables) mkdir -p "corpus/$t"; cp ../tests/fixtures/*ptp* ../tests/fixtures/*mue* ../tests/fixtures/*addon* "corpus/$t/" 2>/dev/null || true ;;
  esac
  # Large claims: inputs up to the CLI's 1 MiB line; a quadratic rule shows as a timeout.
  case "$t" in
    claim_bytes) extra=(-max_len=1048576 -timeout=10) ;;
    large_claim) extra=(-timeout=10) ;;
    cli) extra=(-timeout=20) ;;
    *) extra=() ;;
  esac
  log="$(mktemp)"
  if cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -print_final_stats=1 "${extra[@]}" > "$log" 2>&1; then
    result=clean
  else
    result="CRASH (see fuzz/artifacts/$t)"
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n1)
  printf '| %s | %s | %s | %s |\n' "$t" "$secs" "${runs:-?}" "$result" | tee -a results.md
  [ "$result" = clean ] || tail -n 40 "$log"
  rm -f "$log"
done
cat results.md
