#!/usr/bin/env bash
# bench/run_sensitivity.sh — the sensitivity benchmarks (issue 7 targets):
#  1. COINr's ASEM example with its four factors, a Saltelli design of N = 1000 rows and
#     d = 4 (6,000 runs of the index) on 2 threads in <= 1 s (COINr: about 0.1 s per run,
#     one after another); also with every run through the whole pipeline (before the
#     re-aggregating path) for comparison.
#  2. Synthetic 10,000 units x 50 indicators, N = 1000 uncertainty runs (noisy weights
#     +-25 % at levels 1 and 2, arithmetic vs geometric means): qala against a numpy
#     reference doing the same runs in bench/sensitivity_reference.py, which also checks
#     that every unit's median and 5-95 % ranks agree; target >= 15x numpy.
#  3. Synthetic 100,000 x 50, N = 1000 in <= 30 s (qala only; COINr ~2.6 hours).
# Usage: bench/run_sensitivity.sh BUILD_DIR [THREADS]   (default: one per CPU)
set -euo pipefail
build=${1:?usage: run_sensitivity.sh BUILD_DIR [THREADS]}
threads=${2:-$(nproc)}
here=$(cd "$(dirname "$0")" && pwd)
shared=${QALA_SHARED_DIR:-$here/../../shared}
get() { echo "$1" | sed -n "s/^$2=//p"; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

a=$("$build/bench/bench_sensitivity" asem "$shared" 1000 "$threads")
af=$("$build/bench/bench_sensitivity" asem "$shared" 1000 "$threads" full)
echo "$a"
s=$("$build/bench/bench_sensitivity" synth 10000 1000 "$threads" 42 "$out")
echo "$s"
r=$(/usr/bin/python3 "$here/sensitivity_reference.py" 10000 1000 42 "$out")
echo "$r"
[ "$(get "$r" units_agreeing)" = 10000 ] || { echo "MISMATCH: $(get "$r" units_agreeing) of 10000 units agree"; exit 1; }
b=$("$build/bench/bench_sensitivity" synth 100000 1000 "$threads" 42 -)
echo "$b"
/usr/bin/python3 - "$(get "$a" asem_runs)" "$(get "$a" asem_seconds)" "$(get "$af" asem_seconds)" \
  "$(get "$a" asem_configs)" "$threads" "$(get "$s" synth_seconds)" "$(get "$r" numpy_rebuild_seconds)" \
  "$(get "$r" numpy_reuse_seconds)" "$(get "$b" synth_seconds)" "$(get "$b" synth_peak_rss_mb)" <<'PY'
import sys
runs, secs, full, configs, threads, q, nrb, nru, big, rss = sys.argv[1:]
runs, secs, full, q, nrb, nru, big = int(runs), float(secs), float(full), float(q), float(nrb), float(nru), float(big)
print(f"ASEM Sobol design: {runs} runs in {secs:.3f} s on {threads} threads ({configs} normalised "
      f"configurations re-aggregated; every run through the whole pipeline: {full:.3f} s); "
      f"COINr ~0.1 s per run: {0.1*runs/secs:.0f}x; target <= 1 s {'OK' if secs <= 1 else 'MISSED'}")
print(f"synthetic 10,000 x 50, 1000 runs: qala {q:.2f} s; numpy rebuilding every run {nrb:.2f} s "
      f"({nrb/q:.1f}x, target >= 15x {'OK' if nrb/q >= 15 else 'MISSED'}); numpy normalising once "
      f"{nru:.2f} s ({nru/q:.1f}x); every unit's median and 5-95 % ranks agree")
print(f"synthetic 100,000 x 50, 1000 runs: qala {big:.1f} s, peak memory {rss} MB; "
      f"target <= 30 s {'OK' if big <= 30 else 'MISSED'}")
PY
