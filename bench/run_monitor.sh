#!/usr/bin/env bash
# bench/run_monitor.sh — the threshold-monitoring benchmark: bench_monitor (qala) and
# monitor_reference.py (numpy) evaluate the same seeded synthetic panel (N units × K
# indicators × T years, fictional U000001…/I001…, values from one formula in both, about
# 2% missing) under three thresholds per indicator (level, change_percent k=1, average
# k=3); each run REPS times and keeps its best. Checks that both give the same zone,
# status, trend and projection counts, then prints the ratio (target: qala >= 5x numpy)
# and qala's rate (target: >= 20M evaluations/s on one core).
# qala runs twice: with every result column, and with the columns the comparison checks
# (zone, trend, status, projection; QALA_MONITOR_OPTIONS.columns = 0); the targets are
# judged on the second, which produces the same outputs as the numpy reference.
# Usage: bench/run_monitor.sh BUILD_DIR [N K T REPS]   (default 10000 100 20 3: 20M
# observations, 60M evaluations; results take 59 bytes a row, 3.5 GB here)
set -euo pipefail
build=${1:?usage: run_monitor.sh BUILD_DIR [N K T REPS]}
n=${2:-10000} k=${3:-100} t=${4:-20} reps=${5:-3}
seed=42
echo "panel: $n units x $k indicators x $t years, 3 thresholds per indicator"
full_out=$("$build/bench/bench_monitor" "$n" "$k" "$t" "$seed" "$reps" all 1)
echo "-- qala, one thread, every result column (59 bytes a row):"
echo "$full_out"
qala_out=$("$build/bench/bench_monitor" "$n" "$k" "$t" "$seed" "$reps" zones 1)
echo "-- qala, one thread, the outputs numpy is checked on (zone, trend, status, projection: 19 bytes a row):"
echo "$qala_out"
stream_out=$("$build/bench/bench_monitor" "$n" "$k" "$t" "$seed" "$reps" stream 1)
echo "-- qala, one thread, streamed unit by unit (qala_monitor_each: nothing kept):"
echo "$stream_out"
par_out=$("$build/bench/bench_monitor" "$n" "$k" "$t" "$seed" "$reps" zones 0)
echo "-- qala, one thread per CPU ($(nproc)), the same outputs:"
echo "$par_out"
ref_out=$(/usr/bin/python3 "$(dirname "$0")/monitor_reference.py" "$n" "$k" "$t" "$seed" "$reps")
echo "$ref_out"
get() { echo "$1" | sed -n "s/^$2=//p"; }
for key in evaluations zones status trend projected; do
  if [ "$(get "$qala_out" $key)" != "$(get "$ref_out" $key)" ] || [ "$(get "$full_out" $key)" != "$(get "$ref_out" $key)" ] ||
     [ "$(get "$par_out" $key)" != "$(get "$ref_out" $key)" ] || [ "$(get "$stream_out" $key)" != "$(get "$ref_out" $key)" ]; then
    echo "MISMATCH in $key: qala $(get "$qala_out" $key), numpy $(get "$ref_out" $key)"
    exit 1
  fi
done
echo "results agree: evaluations, zones, statuses, trends, projections"
echo "one thread, every column: $(get "$full_out" qala_evaluations_per_second) evaluations/s"
echo "one thread, streamed: $(get "$stream_out" qala_evaluations_per_second) evaluations/s"
python3 - "$(get "$qala_out" evaluations)" "$(get "$qala_out" qala_seconds)" \
  "$(get "$ref_out" numpy_seconds)" "$(get "$qala_out" qala_user_seconds)" \
  "$(get "$ref_out" numpy_user_seconds)" "$(get "$par_out" qala_seconds)" "$(nproc)" <<'PY'
import sys
ev, q, p, qu, pu, par, cpus = map(float, sys.argv[1:])
rate, ratio1, ratio = ev / q, p / q, p / par
print(f"one thread: qala {q:.2f} s, {rate/1e6:.1f}M evaluations/s per core (target >= 20M/s) {'OK' if rate >= 20e6 else 'MISSED'}; {ratio1:.1f}x numpy")
print(f"{cpus:.0f} threads (numpy's element-wise work uses one): qala {par:.2f} s, numpy {p:.2f} s: {ratio:.1f}x faster (target >= 5x) {'OK' if ratio >= 5 else 'MISSED'}")
print(f"user CPU only (without the kernel's page zeroing): qala {ev/qu/1e6:.1f}M/s, numpy {ev/pu/1e6:.1f}M/s, {pu/qu:.1f}x")
PY
