#!/usr/bin/env bash
# Checks medcode-ffi/include/medcode.h against a built library directory
# (default target/release, built with `cargo build --release -p medcode-ffi`):
#   1. the functions the header declares == the medcode_* symbols `nm -D` lists;
#   2. tests/c/smoke.c compiles against the header (-Wall -Wextra -Werror) and
#      passes, linked to libmedcode_ffi.so and to libmedcode_ffi.a.
# medcode-ffi/src/header_check.rs does the same inside `cargo test -p medcode-ffi`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-$root/../target/release}"
so="$dir/libmedcode_ffi.so"
a="$dir/libmedcode_ffi.a"
test -f "$so" && test -f "$a" || { echo "no $so / $a: cargo build --release -p medcode-ffi" >&2; exit 1; }

declared=$(sed -e 's#/\*.*\*/##g' -e '/\/\*/,/\*\//d' "$root/include/medcode.h" \
  | grep -oE '\bmedcode_[a-z0-9_]+[[:space:]]*\(' | tr -d '( ' | sort -u)
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" && $3 ~ /^medcode_/ {print $3}' | sort -u)
if [ "$declared" != "$exported" ]; then
  echo "header and library disagree:" >&2
  diff <(echo "$declared") <(echo "$exported") >&2 || true
  exit 1
fi
echo "header declares exactly the $(echo "$exported" | wc -l) exported functions: $(echo $exported)"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cflags=(-std=c11 -Wall -Wextra -Werror -pthread -I"$root/include")
cc "${cflags[@]}" -o "$out/smoke_shared" "$root/tests/c/smoke.c" -L"$dir" -Wl,-rpath,"$dir" -lmedcode_ffi
cc "${cflags[@]}" -o "$out/smoke_static" "$root/tests/c/smoke.c" "$a" -ldl -lm
for kind in shared static; do
  echo "--- smoke ($kind)"
  "$out/smoke_$kind" | tail -n 1
done
