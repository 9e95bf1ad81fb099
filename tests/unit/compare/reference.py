#!/usr/bin/python3
"""Reference values for tests/unit/compare: independent of src/compare.c.

Run with /usr/bin/python3 (numpy):  /usr/bin/python3 tests/unit/compare/reference.py
Group summaries use numpy (quartiles: numpy.percentile(method="linear") = R's type 7);
the exact permutation p-values enumerate every relabelling with itertools and compare the
statistics in exact rational arithmetic (fractions.Fraction), so that ties are exact.
All data are fictional (Testville units); printed with 17 significant digits.
"""
import itertools
import math
from fractions import Fraction

import numpy as np


def g(x):
    return "%.17g" % x


# Fictional values of 12 units in three groups (0 monocities, 1 agglomerations, 2 the rest);
# the same layout as the C test (NAN = missing, skipped).
x = [12.5, 9.75, math.nan, 14.0, 11.25, 30.5, 28.0, 35.25, 26.0, 18.0, 21.5, 19.75]
grp = [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
for k in range(3):
    v = np.array([xi for xi, gi in zip(x, grp) if gi == k and not math.isnan(xi)])
    q1, med, q3 = np.percentile(v, [25, 50, 75], method="linear")
    print(f"group {k}: count={len(v)} mean={g(v.mean())} median={g(med)} q1={g(q1)} q3={g(q3)} "
          f"iqr={g(q3 - q1)} min={g(v.min())} max={g(v.max())}")


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def exact(name, a, b):
    a = [Fraction(s) for s in a]
    b = [Fraction(s) for s in b]
    pool = a + b
    na = len(a)
    obs_mean = sum(a) / na - sum(b) / len(b)
    obs_med = median(a) - median(b)
    total = hit_mean = hit_med = 0
    for idx in itertools.combinations(range(len(pool)), na):
        sa = [pool[i] for i in idx]
        sb = [pool[i] for i in range(len(pool)) if i not in idx]
        total += 1
        hit_mean += abs(sum(sa) / na - sum(sb) / len(sb)) >= abs(obs_mean)
        hit_med += abs(median(sa) - median(sb)) >= abs(obs_med)
    print(f"{name}: relabellings={total} diff_mean={g(float(obs_mean))} "
          f"diff_median={g(float(obs_med))} p_mean={g(hit_mean / total)} p_median={g(hit_med / total)}")


# Tiny cases where all relabellings can be enumerated
exact("integers", ["1", "2", "4"], ["5", "7", "8", "10"])
exact("decimals", ["0.1", "0.2", "0.7", "0.3"], ["0.4", "0.6", "0.9", "0.8"])
