#!/usr/bin/env bash
# bench/run_import.sh — the import benchmark: generates a seeded synthetic long CSV
# (N units × K indicators × T years; fictional names), then runs qala (bench_import)
# and the pandas reference (import_reference.py) on the same file and prints the
# ratios against the targets:
#   parse + validate into memory >= 5x faster than pandas, peak memory <= CSV size,
#   into the SQLite store >= 1M observations/s.
# Usage: bench/run_import.sh BUILD_DIR [N K T]   (default 20000 25 20: 10M observations)
set -euo pipefail
build=${1:?usage: run_import.sh BUILD_DIR [N K T]}
n=${2:-20000} k=${3:-25} t=${4:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv=$work/panel.csv
"$build/bench/gen_long_csv" "$n" "$k" "$t" 42 > "$csv"
csv_kib=$(( $(stat -c %s "$csv") / 1024 ))
echo "file: $n units x $k indicators x $t years = $((n * k * t)) observations, $((csv_kib / 1024)) MiB"
qala_out=$("$build/bench/bench_import" "$csv" "$n" "$k" "$work/bench.db")
echo "$qala_out"
ref_out=$(/usr/bin/python3 "$(dirname "$0")/import_reference.py" "$csv" "$n" "$k")
echo "$ref_out"
get() { echo "$1" | sed -n "s/^$2=//p"; }
python3 - "$(get "$qala_out" parse_seconds)" "$(get "$ref_out" pandas_seconds)" \
  "$(get "$qala_out" parse_peak_kib)" "$csv_kib" "$(get "$qala_out" store_obs_per_second)" <<'PY'
import sys
q, p, peak, csv, store = map(float, sys.argv[1:])
speed = p / q
print(f"parse+validate: qala {q:.2f} s, pandas {p:.2f} s: {speed:.1f}x faster (target >= 5x) {'OK' if speed >= 5 else 'MISSED'}")
print(f"peak memory: {peak/1024:.0f} MiB for a {csv/1024:.0f} MiB CSV: {peak/csv:.2f} of the file (target <= 1) {'OK' if peak <= csv else 'MISSED'}")
print(f"store: {store/1e6:.2f}M observations/s (target >= 1M/s) {'OK' if store >= 1e6 else 'MISSED'}")
PY
