#!/usr/bin/env bash
# bench/run_sensitivity.sh — the sensitivity benchmark (issue 7 target): COINr's ASEM
# example with its four factors, a Saltelli design of N = 1000 rows and d = 4 (6,000 runs
# of the index) on 2 threads in <= 1 s (COINr: about 0.1 s per run, one after another).
# Not done yet: the synthetic 10,000 x 50 uncertainty runs against a numpy reference.
# Usage: bench/run_sensitivity.sh BUILD_DIR [N THREADS]   (default 1000 2)
set -euo pipefail
build=${1:?usage: run_sensitivity.sh BUILD_DIR [N THREADS]}
n=${2:-1000} threads=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
shared=${QALA_SHARED_DIR:-$here/../../shared}
get() { echo "$1" | sed -n "s/^$2=//p"; }
out=$("$build/bench/bench_sensitivity" asem "$shared" "$n" "$threads")
echo "$out"
/usr/bin/python3 - "$(get "$out" asem_runs)" "$(get "$out" asem_seconds)" "$threads" <<'PY'
import sys
runs, secs, threads = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"ASEM Sobol design: {runs} runs in {secs:.3f} s on {threads} threads "
      f"({secs/runs*1e3:.3f} ms per run; COINr ~0.1 s per run: {0.1*runs/secs:.0f}x); "
      f"target <= 1 s {'OK' if secs <= 1 else 'MISSED'}")
PY
