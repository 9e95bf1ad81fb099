#!/usr/bin/python3
"""bench/index_reference.py — the numpy reference for bench/run_index.sh.

Builds the same synthetic table as bench/bench_index.c (N fictional units × 50
indicators from one formula of unit, indicator and seed), then does what the qala run
does: min-max to [0,100] per indicator, the weighted arithmetic mean of each pillar's 10
indicators (weights 1 + j % 3), the weighted mean of the 5 pillars (weights 1 + p), and
the ranks of the index (1 = highest, ties min). Only that work is timed, REPS times, the
best counting. Then it reads qala's scores and ranks (OUT, float64) and compares: scores
to 1e-12 relative, ranks exactly.
Prints key=value lines. Usage: index_reference.py N SEED REPS OUT
"""
import sys
import time

import numpy as np

n, seed, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
out_path = sys.argv[4]
K, P = 50, 5

u = np.arange(n, dtype=np.uint64)[:, None]
j = np.arange(K, dtype=np.uint64)[None, :]
h = ((u + np.uint64(1)) * np.uint64(73856093)) ^ ((j + np.uint64(1)) * np.uint64(19349663)) \
    ^ np.uint64(seed)
h = (h * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
x = (j % np.uint64(7)).astype(np.float64) * 10.0 + (h % np.uint64(100000)).astype(np.float64) / 1000.0
x = np.ascontiguousarray(x.T)  # indicator-major, as qala's columns
del h
w_ind = 1.0 + (np.arange(K) % 3).astype(np.float64)
w_pil = 1.0 + np.arange(P, dtype=np.float64)


def build(x):
    lo = x.min(axis=1, keepdims=True)
    hi = x.max(axis=1, keepdims=True)
    norm = (x - lo) / (hi - lo) * 100.0
    per = K // P
    pillars = np.empty((P, x.shape[1]))
    for p in range(P):
        w = w_ind[p * per:(p + 1) * per]
        pillars[p] = w @ norm[p * per:(p + 1) * per] / w.sum()
    index = w_pil @ pillars / w_pil.sum()
    # ranks, 1 = highest, ties min: 1 + count of strictly greater scores
    order = np.sort(index)
    rank = (index.size - np.searchsorted(order, index, side="right") + 1).astype(np.float64)
    return index, rank


best = float("inf")
for _ in range(reps):
    t0 = time.perf_counter()
    index, rank = build(x)
    best = min(best, time.perf_counter() - t0)

q = np.fromfile(out_path, dtype=np.float64)
q_index, q_rank = q[:n], q[n:2 * n]
rel = np.abs(q_index - index) / np.maximum(np.abs(index), 1e-300)
print(f"numpy_best_seconds={best:.6f}")
print(f"max_relative_difference={rel.max():.3e}")
print(f"scores_agree={int(rel.max() <= 1e-12)}")
print(f"ranks_agree={int(np.array_equal(q_rank, rank))}")
