#!/usr/bin/python3
"""Reference values for tests/unit/check/test_kernels.c: Pearson's chi-square of
first-digit counts against Benford's proportions log10(1 + 1/d) and its p-value with
8 degrees of freedom, computed by scipy.stats.chisquare. Run with /usr/bin/python3
(numpy and scipy); the printed numbers are pasted into the test."""
import numpy as np
from scipy.stats import chisquare

benford = np.log10(1 + 1 / np.arange(1, 10))
cases = {
    "skewed": [30, 20, 12, 10, 8, 6, 6, 5, 3],
    "uniform": [20, 20, 20, 20, 20, 20, 20, 20, 20],
    "moderate": [22, 14, 12, 8, 12, 6, 4, 10, 12],
}
for name, counts in cases.items():
    counts = np.array(counts, dtype=float)
    stat, p = chisquare(counts, counts.sum() * benford)
    print(f"{name}: chi2 = {stat:.12g}, p = {p:.12g}")
