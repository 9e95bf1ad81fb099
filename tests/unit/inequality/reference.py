#!/usr/bin/python3
"""Reference values for tests/unit/inequality and tests/unit/convergence.

Run with Debian's python3 (numpy, pandas, scipy):  /usr/bin/python3 reference.py [SHARED_DIR]

Every measure here is written straight from its textbook definition, independently of
src/inequality*.c and src/convergence.c, and deliberately by other routes:
  Gini        the double sum  sum_i sum_j w_i w_j |y_i - y_j| / (2 W^2 mu)  (O(n^2), no sort)
  top/bottom  from the Lorenz curve: np.interp of cumulative value share over cumulative
              population share at 0.2 and 0.8 (the curve is linear inside a unit)
  CV, SD log  numpy's weighted average (population variance)
  Theil T, L  T = sum s_i ln(y_i/mu), L = sum p_i ln(mu/y_i), per group on the subset
  nested      Akita (2003) eq. (4)-(6): each term computed on its own subset
  sigma, beta scipy.stats.linregress (slope, its standard error, r, two-sided p)
The printed figures (17 significant digits) are pasted into the C tests with this file
named as their source. The data sets are fictional (units Testville-1...), except the
last one, read from ../shared/data/kz/region2022_17indicators_cleaned.csv (BNS RK via
open-data-kazakhstan, PDDL).
"""
import math
import sys

import numpy as np
import pandas as pd
from scipy import stats


def p(name, v):
    print(f"{name} = {v:.17g}")


def gini(y, w):
    y, w = np.asarray(y, float), np.asarray(w, float)
    W = w.sum()
    mu = (w * y).sum() / W
    s = 0.0
    for i in range(len(y)):
        for j in range(len(y)):
            s += w[i] * w[j] * abs(y[i] - y[j])
    return s / (2 * W * W * mu)


def cv(y, w):
    mu = np.average(y, weights=w)
    return math.sqrt(np.average((np.asarray(y) - mu) ** 2, weights=w)) / mu


def sd_log(y, w):
    ly = np.log(y)
    m = np.average(ly, weights=w)
    return math.sqrt(np.average((ly - m) ** 2, weights=w))


def top_bottom(y, w):
    order = np.argsort(y, kind="stable")
    y, w = np.asarray(y, float)[order], np.asarray(w, float)[order]
    F = np.concatenate([[0], np.cumsum(w) / w.sum()])
    L = np.concatenate([[0], np.cumsum(w * y) / (w * y).sum()])
    l20, l80 = np.interp(0.2, F, L), np.interp(0.8, F, L)
    return (1 - l80) / l20


def theil_t(y, w):
    y, w = np.asarray(y, float), np.asarray(w, float)
    mu = (w * y).sum() / w.sum()
    s = w * y / (w * y).sum()
    return float((s * np.log(y / mu)).sum())


def theil_l(y, w):
    y, w = np.asarray(y, float), np.asarray(w, float)
    mu = (w * y).sum() / w.sum()
    pp = w / w.sum()
    return float((pp * np.log(mu / y)).sum())


def summary(tag, y, w):
    y, w = np.asarray(y, float), np.asarray(w, float)
    p(f"{tag}.mean", np.average(y, weights=w))
    p(f"{tag}.gini", gini(y, w))
    p(f"{tag}.cv", cv(y, w))
    p(f"{tag}.maxmin", y.max() / y.min())
    p(f"{tag}.top_bottom_20", top_bottom(y, w))
    p(f"{tag}.theil_t", theil_t(y, w))
    p(f"{tag}.theil_l", theil_l(y, w))
    p(f"{tag}.sd_log", sd_log(y, w))


def decomposition(tag, y, w, g):
    y, w, g = np.asarray(y, float), np.asarray(w, float), np.asarray(g)
    Y, W = (w * y).sum(), w.sum()
    mu = Y / W
    wt = wl = bt = bl = 0.0
    for k in sorted(set(g)):
        m = g == k
        Yk, Wk = (w[m] * y[m]).sum(), w[m].sum()
        muk = Yk / Wk
        wt += Yk / Y * theil_t(y[m], w[m])
        wl += Wk / W * theil_l(y[m], w[m])
        bt += Yk / Y * math.log(muk / mu)
        bl += Wk / W * math.log(mu / muk)
    p(f"{tag}.t.within", wt)
    p(f"{tag}.t.between", bt)
    p(f"{tag}.l.within", wl)
    p(f"{tag}.l.between", bl)


def nested(tag, y, w, inner, outer_of):
    """Akita 2003: T = sum_i sum_j (Y_ij/Y) T_ij + sum_i (Y_i/Y) T_pi + T_BR."""
    y, w, inner = np.asarray(y, float), np.asarray(w, float), np.asarray(inner)
    outer = np.asarray([outer_of[j] for j in inner])
    Y, W = (w * y).sum(), w.sum()
    wr_t = wr_l = wp_t = wp_l = 0.0
    for i in sorted(set(outer)):
        mi = outer == i
        Yi, Wi = (w[mi] * y[mi]).sum(), w[mi].sum()
        for j in sorted(set(inner[mi])):
            mj = inner == j
            wr_t += (w[mj] * y[mj]).sum() / Y * theil_t(y[mj], w[mj])
            wr_l += w[mj].sum() / W * theil_l(y[mj], w[mj])
        # between the regions of macro-region i: the Theil of the regions' means
        regions = sorted(set(inner[mi]))
        ry = np.array([(w[inner == j] * y[inner == j]).sum() / w[inner == j].sum() for j in regions])
        rw = np.array([w[inner == j].sum() for j in regions])
        wp_t += Yi / Y * theil_t(ry, rw)
        wp_l += Wi / W * theil_l(ry, rw)
    macros = sorted(set(outer))
    my = np.array([(w[outer == i] * y[outer == i]).sum() / w[outer == i].sum() for i in macros])
    mw = np.array([w[outer == i].sum() for i in macros])
    p(f"{tag}.t.within_inner", wr_t)
    p(f"{tag}.t.between_inner", wp_t)
    p(f"{tag}.t.between_outer", theil_t(my, mw))
    p(f"{tag}.l.within_inner", wr_l)
    p(f"{tag}.l.between_inner", wp_l)
    p(f"{tag}.l.between_outer", theil_l(my, mw))


# ---- Data set A: 1..5, unweighted (textbook: Gini 4/15) ----
A = [1, 2, 3, 4, 5]
summary("A", A, np.ones(5))

# ---- Data set B: ten fictional towns (Testville-1..10), populations, 4 regions, 2 macro ----
B_y = [412.5, 388.0, 1210.75, 265.2, 530.0, 298.4, 745.9, 180.3, 955.0, 602.6]
B_w = [120000, 45500, 310250, 80000, 15400, 60800, 225000, 33300, 150700, 98100]
B_inner = [0, 0, 1, 1, 1, 2, 2, 3, 3, 3]
B_outer_of = [0, 0, 1, 1]
summary("B", B_y, B_w)
summary("Bu", B_y, np.ones(10))
decomposition("B.by_inner", B_y, B_w, B_inner)
decomposition("B.by_outer", B_y, B_w, [B_outer_of[j] for j in B_inner])
nested("B.nested", B_y, B_w, B_inner, B_outer_of)

# ---- Data set C: a panel of 6 fictional towns x 5 years (2010, 2012, ..., 2018) ----
C_t = [2010, 2012, 2014, 2016, 2018]
C_y = np.array([
    [100, 150, 220, 80, 300, 120],
    [115, 160, 230, 98, 310, 138],
    [131, 171, 243, 117, 318, 159],
    [150, 180, 251, 139, 330, 180],
    [168, 192, 262, 160, 341, 205],
], float)
C_w = np.array([
    [50, 20, 10, 70, 5, 30],
    [51, 21, 10, 71, 5, 31],
    [52, 21, 11, 72, 6, 31],
    [53, 22, 11, 73, 6, 32],
    [54, 22, 12, 74, 6, 33],
], float)
cvs = [cv(C_y[k], C_w[k]) for k in range(5)]
for k, v in enumerate(cvs):
    p(f"C.cv[{k}]", v)
r = stats.linregress(C_t, cvs)
p("C.sigma_cv.slope", r.slope)
p("C.sigma_cv.slope_se", r.stderr)
p("C.sigma_cv.intercept", r.intercept)
p("C.sigma_cv.r2", r.rvalue ** 2)
sdl = [sd_log(C_y[k], np.ones(6)) for k in range(5)]
r = stats.linregress(C_t, sdl)
p("C.sigma_sdlog_unweighted.slope", r.slope)
p("C.sigma_sdlog_unweighted.slope_se", r.stderr)
p("C.sigma_sdlog_unweighted.r2", r.rvalue ** 2)
T = 8.0
x = np.log(C_y[0])
g = np.log(C_y[4] / C_y[0]) / T
r = stats.linregress(x, g)
p("C.beta.beta", r.slope)
p("C.beta.beta_se", r.stderr)
p("C.beta.alpha", r.intercept)
p("C.beta.alpha_se", r.intercept_stderr)
p("C.beta.r2", r.rvalue ** 2)
p("C.beta.p_value", r.pvalue)
speed = -math.log(1 + T * r.slope) / T
p("C.beta.speed", speed)
p("C.beta.half_life", math.log(2) / speed)

# ---- Real data: regions of Kazakhstan in 2022 ----
shared = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared"
df = pd.read_csv(f"{shared}/data/kz/region2022_17indicators_cleaned.csv")
city = df["Region"].str.endswith(" city").astype(int).to_numpy()
for col, tag in (("avg_salary", "KZ.wage"), ("gdp_per_capita", "KZ.grp")):
    y, w = df[col].to_numpy(float), df["Population"].to_numpy(float)
    print(f"# {tag}: {len(y)} regions, column {col}, weights Population")
    summary(tag, y, w)
    summary(tag + "_unweighted", y, np.ones(len(y)))
    decomposition(tag + ".by_city", y, w, city)
