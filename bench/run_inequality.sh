#!/usr/bin/env bash
# bench/run_inequality.sh — the inequality benchmark: bench_inequality summarises (Gini,
# CV, top/bottom 20%, Theil T and L in one sort) and decomposes (Theil by 2,000 groups,
# and nested 2,000 → 50) N seeded synthetic units (fictional, log-normal values and
# populations, ~1% missing), and times one qsort of the same N values in the same
# program. Prints the times and the ratio; the target is summary + both decompositions
# ≤ 10 × the sort (O(n log n) with a small constant).
# Usage: bench/run_inequality.sh BUILD_DIR [N SEED REPS]   (default 1000000 42 5)
set -euo pipefail
build=${1:?usage: run_inequality.sh BUILD_DIR [N SEED REPS]}
n=${2:-1000000} seed=${3:-42} reps=${4:-5}
out=$("$build/bench/bench_inequality" "$n" "$seed" "$reps")
echo "$out"
get() { echo "$out" | sed -n "s/^$1=//p"; }
awk -v r="$(get ratio_to_sort)" -v s="$(get sort_seconds)" -v t="$(get total_seconds)" -v n="$n" 'BEGIN {
  printf "%d units: summary + decompositions %.3f s, one qsort %.3f s: %.2fx the sort (target <= 10x) %s\n",
         n, t, s, r, (r <= 10 ? "OK" : "MISSED") }'
