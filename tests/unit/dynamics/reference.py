#!/usr/bin/python3
"""Reference values for tests/unit/dynamics (the panel and the dynamics reports) on the
embedded demo statistics.

Run from the repository root with Debian's python3 (numpy):
    /usr/bin/python3 tests/unit/dynamics/reference.py

Reads the project's own CSV files (data/demo/*.csv: BNS RK figures via
open-data-kazakhstan, PDDL, and census counts for cities; data/registry/*.csv) with the
csv module and computes everything from the textbook definitions with numpy, independently
of src/panel*.c and src/dynamics*.c and by other routes:
  units       first-level = rows of parents.csv whose parent is KZ, alive in the year
              (valid_from <= 31 Dec and valid_to empty or > 1 Jan); cities = kind city
  Gini        the double sum  sum_i sum_j w_i w_j |y_i - y_j| / (2 W^2 mu)  (no sort)
  CV          numpy weighted average (population variance)
  Theil T/L   T = sum s_i ln(y_i/mu), L = sum p_i ln(mu/y_i); between = sum over groups
  sigma       np.polyfit of the yearly unweighted CV (population SD) on the year
  beta        np.polyfit of ln(y_T/y_0)/T on ln y_0
  quantiles   np.percentile (method "linear" = R type 7)
  CAGR        (last/first)^(1/years) - 1
Each printed line (17 significant digits) is pasted into test_reference.c with its name.
"""
import csv
import math
import os

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")


def read(path):
    with open(os.path.join(ROOT, path), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


obs = {}
for name in os.listdir(os.path.join(ROOT, "data", "demo")):
    if name.endswith(".csv"):
        for r in read(os.path.join("data", "demo", name)):
            obs[(r["unit"], r["indicator"], int(r["period"]))] = float(r["value"])

units = {r["code"]: r for r in read("data/registry/units.csv")}
parents = read("data/registry/parents.csv")
members = read("data/registry/memberships.csv")


def alive(code, year):
    u = units[code]
    start = u["valid_from"] or "0000-00-00"
    end = u["valid_to"] or "9999-99-99"
    return start <= f"{year}-12-31" and end > f"{year}-01-01"


first_level = sorted({r["unit_code"] for r in parents if r["parent_code"] == "KZ"})
cities = sorted(c for c, u in units.items() if u["kind"] == "city")


def p(name, v):
    print(f"{name} = {v:.17g}")


def gini(y, w):
    y, w = np.asarray(y, float), np.asarray(w, float)
    W, mu = w.sum(), (w * y).sum() / w.sum()
    return sum(w[i] * w[j] * abs(y[i] - y[j]) for i in range(len(y)) for j in range(len(y))) / (2 * W * W * mu)


def cv(y, w):
    y = np.asarray(y, float)
    mu = np.average(y, weights=w)
    return math.sqrt(np.average((y - mu) ** 2, weights=w)) / mu


def theil_t(y, w):
    y, w = np.asarray(y, float), np.asarray(w, float)
    mu = np.average(y, weights=w)
    s = w * y / (w * y).sum()
    return float((s * np.log(y / mu)).sum())


def theil_l(y, w):
    y, w = np.asarray(y, float), np.asarray(w, float)
    mu = np.average(y, weights=w)
    return float((w / w.sum() * np.log(mu / y)).sum())


# ---- inequality of wages across first-level units, 2022, weighted by population 2022
ys, ws, kinds = [], [], []
for c in first_level:
    if alive(c, 2022) and (c, "wage_nominal_kzt", 2022) in obs:
        ys.append(obs[(c, "wage_nominal_kzt", 2022)])
        ws.append(obs[(c, "population", 2022)])
        kinds.append(units[c]["kind"])
print(f"# wages 2022: {len(ys)} first-level units")
p("wage_gini_w", gini(ys, ws))
p("wage_gini_u", gini(ys, [1] * len(ys)))
p("wage_cv_w", cv(ys, ws))
p("wage_theil_t_w", theil_t(ys, ws))
p("wage_theil_l_w", theil_l(ys, ws))
# between part by kind (region / city): sum_g s_g ln(mu_g/mu)
y, w, k = np.array(ys), np.array(ws), np.array(kinds)
mu = np.average(y, weights=w)
between = 0.0
for g in ("region", "city"):
    m = k == g
    s_g = (w[m] * y[m]).sum() / (w * y).sum()
    between += s_g * math.log(np.average(y[m], weights=w[m]) / mu)
p("wage_theil_t_between_kind", between)

# ---- GRP per capita 2022: how many first-level units have a value
n_grp = sum(1 for c in first_level if alive(c, 2022) and (c, "grp_per_capita_kzt_thousand", 2022) in obs)
n_alive = sum(1 for c in first_level if alive(c, 2022))
print(f"# grp 2022: {n_grp} of {n_alive} first-level units alive in 2022 have a value")

# ---- sigma-convergence of life expectancy 1999-2022, balanced, unweighted CV
years = list(range(1999, 2023))
bal = [c for c in first_level if all((c, "life_expectancy_years", t) in obs for t in years)]
print(f"# life expectancy: {len(bal)} units in every year 1999-2022")
disp = [cv([obs[(c, "life_expectancy_years", t)] for c in bal], [1] * len(bal)) for t in years]
p("le_cv_1999", disp[0])
p("le_cv_2022", disp[-1])
slope, intercept = np.polyfit(years, disp, 1)
p("le_sigma_slope", slope)
# beta over the units with values in 1999 and 2022 (alive at both ends)
b_units = [c for c in first_level if alive(c, 1999) and alive(c, 2022)
           and (c, "life_expectancy_years", 1999) in obs and (c, "life_expectancy_years", 2022) in obs]
y0 = np.array([obs[(c, "life_expectancy_years", 1999)] for c in b_units])
yT = np.array([obs[(c, "life_expectancy_years", 2022)] for c in b_units])
g = np.log(yT / y0) / 23
beta, alpha = np.polyfit(np.log(y0), g, 1)
print(f"# beta: {len(b_units)} units")
p("le_beta", beta)

# ---- trend of life expectancy in Akmola region 1999-2022
a0, a1 = obs[("KZ-AKM", "life_expectancy_years", 1999)], obs[("KZ-AKM", "life_expectancy_years", 2022)]
p("akm_cagr_pct", 100 * ((a1 / a0) ** (1 / 23) - 1))

# ---- population 2023 of monocities vs the other cities
mono = {r["unit_code"] for r in members if r["group_code"] == "monocity"}
pm = [obs[(c, "population", 2023)] for c in cities if c in mono and (c, "population", 2023) in obs]
po = [obs[(c, "population", 2023)] for c in cities if c not in mono and (c, "population", 2023) in obs]
print(f"# population 2023: {len(pm)} monocities, {len(po)} other cities")
p("mono_mean", np.mean(pm))
p("mono_median", np.median(pm))
p("mono_iqr", np.percentile(pm, 75) - np.percentile(pm, 25))
p("other_mean", np.mean(po))
