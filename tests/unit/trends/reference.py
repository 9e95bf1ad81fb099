#!/usr/bin/python3
"""Reference values for tests/unit/trends: an implementation independent of src/trends.c.

Run with /usr/bin/python3 (numpy, pandas):  /usr/bin/python3 tests/unit/trends/reference.py
It prints each value with 17 significant digits; the tests paste them with this file named
as the source. Definitions (docs/methods-trends.md):
  CAGR      = (y_last / y_first) ** (1 / (t_last - t_first)) - 1            (in %: x 100)
  slope_pct = numpy.polyfit(t, y, 1)[0] / |mean(y)| * 100                   (OLS by numpy)
  progress  = sdg-build ProgressMeasure.py: R = sign * d * CAGR_obs / |CAGR_req|
Time t is in years: a quarter q adds (q - 1) / 4, a month m adds (m - 1) / 12.
The series are fictional (Testville) except the real one, read from
../shared/data/kz/region_life_expectancy_1999-2022.csv (BNS RK via open-data-kazakhstan).
"""
import math
import os

import numpy as np
import pandas as pd


def g(x):
    return "%.17g" % x


def summary(name, t, y):
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = ~np.isnan(y)
    t, y = t[ok], y[ok]
    cagr = ((y[-1] / y[0]) ** (1.0 / (t[-1] - t[0])) - 1.0) * 100.0
    slope = np.polyfit(t, y, 1)[0]
    slope_pct = slope / abs(y.mean()) * 100.0
    print(f"{name}: n_obs={len(y)} cagr_pct={g(cagr)} slope={g(slope)} slope_pct={g(slope_pct)} "
          f"last_change={g(y[-1] - y[-2])} last_change_pct={g((y[-1] / y[-2] - 1) * 100)}")


def progress(name, base_t, base, cur_t, cur, target, target_t, d):
    sign = -1 if base < 0 else 1
    obs = (cur / base) ** (1.0 / (cur_t - base_t)) - 1.0
    req = (target / base) ** (1.0 / (target_t - base_t)) - 1.0
    r = sign * d * obs / abs(req)
    print(f"{name}: observed_cagr_pct={g(obs * 100)} required_cagr_pct={g(req * 100)} ratio={g(r)}")


# Testville, annual, one gap (2017)
summary("testville", range(2015, 2023), [100, 103, math.nan, 108.5, 110, 112.2, 115, 118.3])
# Testville, quarterly 2020-Q1 .. 2021-Q2
summary("quarterly", [2020, 2020.25, 2020.5, 2020.75, 2021, 2021.25], [50, 51, 51.5, 53, 52, 54])
# Negative values (a balance), both ends < 0
summary("negative", [2018, 2019, 2020, 2021], [-20, -18, -15, -12])

# Progress worked examples (fictional): base 2015 = 100, target 200 by 2030 (d = +1)
progress("on_track", 2015, 100, 2022, 160, 200, 2030, 1)
progress("acceleration", 2015, 100, 2022, 130, 200, 2030, 1)
progress("limited", 2015, 100, 2022, 110, 200, 2030, 1)
progress("deterioration", 2015, 100, 2022, 90, 200, 2030, 1)
# lower is better: 20 % poverty in 2015 to 10 % by 2030 (d = -1)
progress("lower_better", 2015, 20, 2022, 17, 10, 2030, -1)
progress("lower_worse", 2015, 20, 2022, 22, 10, 2030, -1)

# Real data: life expectancy at birth, Akmola region, 1999-2022
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..",
                    "shared", "data", "kz", "region_life_expectancy_1999-2022.csv")
df = pd.read_csv(path, index_col=0, na_values="-")
df.index = df.index.str.strip()
row = df.loc["Акмолинская"]
years = [int(float(c)) for c in row.index]
summary("akmola_life_expectancy", years, row.values.astype(float))
# its progress without a target since 2015 (d = +1): the CAGR 2015 -> 2022
y15, y22 = row["2015"], row["2022"]
print("akmola_since_2015: observed_cagr_pct=" + g(((y22 / y15) ** (1 / 7) - 1) * 100))
