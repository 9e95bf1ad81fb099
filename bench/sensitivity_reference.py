#!/usr/bin/python3
"""bench/sensitivity_reference.py — the numpy reference for bench/run_sensitivity.sh.

Builds the same synthetic table as bench/bench_sensitivity.c (N fictional units × 50
indicators from bench_index.c's formula of unit, indicator and seed) and does the same
uncertainty runs: for each run, the weights and the aggregation method that qala used
(read from OUT, written by `bench_sensitivity synth`), min-max to [1, 100] per indicator,
the weighted mean (arithmetic or geometric, as the run chose) of each pillar's 10
indicators, the weighted mean of the 5 pillars, the ranks of the index (1 = highest,
ties min). Two ways, both timed:
  rebuild: every run from the raw table, as COINr does (normalise, aggregate, rank);
  reuse:   the normalisation (and its logarithms) once, then per run aggregate and rank —
           the same algorithm as qala's re-aggregating path.
Then per unit the median, 5 % and 95 % ranks (type 7, np.quantile's default; timed and
added to both figures, as qala's time includes its summaries) against qala's. Prints key=value lines. Usage: sensitivity_reference.py N RUNS SEED OUT [MAXRUNS]
(MAXRUNS: time only the first MAXRUNS runs of `rebuild` and scale, when it is slow).
"""
import sys
import time

import numpy as np

n, runs, seed, out_path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
max_rebuild = int(sys.argv[5]) if len(sys.argv) > 5 else runs
K, P, NODES = 50, 5, 56

u = np.arange(n, dtype=np.uint64)[:, None]
j = np.arange(K, dtype=np.uint64)[None, :]
h = ((u + np.uint64(1)) * np.uint64(73856093)) ^ ((j + np.uint64(1)) * np.uint64(19349663)) \
    ^ np.uint64(seed)
h = (h * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
x = (j % np.uint64(7)).astype(np.float64) * 10.0 + (h % np.uint64(100000)).astype(np.float64) / 1000.0
x = np.ascontiguousarray(x.T)  # indicator-major, as qala's columns
del h

q = np.fromfile(out_path, dtype=np.float64)
per_run = q[:runs * (1 + NODES)].reshape(runs, 1 + NODES)
method = per_run[:, 0].astype(int)        # 0 arithmetic, 1 geometric
weights = per_run[:, 1:]
summ = q[runs * (1 + NODES):].reshape(n, 4)  # nominal, median, q05, q95
per = K // P


def normalise(x):
    lo = x.min(axis=1, keepdims=True)
    hi = x.max(axis=1, keepdims=True)
    return 1.0 + (x - lo) / (hi - lo) * 99.0


def rank_desc(index):
    order = np.sort(index)
    return (index.size - np.searchsorted(order, index, side="right") + 1).astype(np.int32)


def aggregate(norm, lognorm, w, geo):
    wi, wp = w[:K], w[K:K + P]
    pillars = np.empty((P, norm.shape[1]))
    for p in range(P):
        ww = wi[p * per:(p + 1) * per]
        if geo:
            pillars[p] = np.exp(ww @ lognorm[p * per:(p + 1) * per] / ww.sum())
        else:
            pillars[p] = ww @ norm[p * per:(p + 1) * per] / ww.sum()
    if geo:
        return np.exp(wp @ np.log(pillars) / wp.sum())
    return wp @ pillars / wp.sum()


# rebuild: every run from the raw table
ranks = np.empty((runs, n), dtype=np.int32)
t0 = time.perf_counter()
for r in range(min(runs, max_rebuild)):
    norm = normalise(x)
    geo = method[r] == 1
    lognorm = np.log(norm) if geo else None
    ranks[r] = rank_desc(aggregate(norm, lognorm, weights[r], geo))
rebuild = (time.perf_counter() - t0) * runs / min(runs, max_rebuild)

# reuse: normalise once
t0 = time.perf_counter()
norm = normalise(x)
lognorm = np.log(norm)
for r in range(runs):
    ranks[r] = rank_desc(aggregate(norm, lognorm, weights[r], method[r] == 1))
reuse = time.perf_counter() - t0

# the summaries (qala's time includes them): counted in both figures
t0 = time.perf_counter()
med, q05, q95 = np.quantile(ranks, [0.5, 0.05, 0.95], axis=0)
summaries = time.perf_counter() - t0
rebuild += summaries
reuse += summaries
agree = (np.abs(med - summ[:, 1]) < 1e-9) & (np.abs(q05 - summ[:, 2]) < 1e-9) & \
        (np.abs(q95 - summ[:, 3]) < 1e-9)
print(f"numpy_rebuild_seconds={rebuild:.4f}")
print(f"numpy_rebuild_runs_timed={min(runs, max_rebuild)}")
print(f"numpy_reuse_seconds={reuse:.4f}")
print(f"units_agreeing={int(agree.sum())}")
print(f"max_median_difference={np.abs(med - summ[:, 1]).max():.3f}")
