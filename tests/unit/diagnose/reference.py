#!/usr/bin/python3
"""Reference values for tests/unit/diagnose (run with /usr/bin/python3: numpy + pandas).

Prints, with 17 significant digits, what numpy/pandas compute for
  1. the small fictional data set FIX below (written identically in test_reference.c):
     column statistics, Pearson and Spearman matrices (pandas DataFrame.corr, pairwise
     complete), Cronbach's alpha and PCA of the complete rows, strengths and weaknesses;
  2. the ASEM pillar "ConEcFin" (Goods, Services, FDI, PRemit, ForPort; see
     ../shared/data/coinr-asem/expected/ASEM_COIN_Structure.csv) of COINr's normalised
     table ASEM_COIN_Normalised.csv.
The numbers pasted into the tests came from numpy 1.24 / pandas 1.5 on Debian 12.
Usage: /usr/bin/python3 tests/unit/diagnose/reference.py [path/to/shared]
"""
import os
import sys

import numpy as np
import pandas as pd

NAN = float("nan")
# Fictional towns; missing values (NAN) and ties on purpose.
UNITS = ["Aqsu", "Baytal", "Kenes", "Tamar", "Zhaly", "Orken", "Saryn", "Ulan", "Egin", "Myrza"]
FIX = pd.DataFrame({
    "A": [3.0, 1.5, NAN, 4.0, 4.0, 2.5, 7.0, 0.0, 5.5, 2.5],
    "B": [2.0, 1.0, 3.5, NAN, 5.0, 2.0, 6.5, 1.0, 4.0, 3.0],
    "C": [10.0, 12.0, 9.0, 11.0, NAN, 12.0, 8.0, 15.0, 10.0, 13.0],
    "D": [0.5, 0.5, 1.0, 2.0, 2.5, NAN, 3.0, 0.0, 1.5, 0.5],
}, index=UNITS)


def g(v):
    return "NAN" if np.isnan(v) else "%.17g" % v


def cronbach(df):
    x = df.dropna().to_numpy()
    k = x.shape[1]
    c = np.cov(x, rowvar=False, ddof=1)
    return k * k * ((c.sum() - np.trace(c)) / (k * (k - 1))) / c.sum(), x.shape[0]


def pca(df):
    x = df.dropna().to_numpy()
    r = np.corrcoef(x, rowvar=False)
    w, v = np.linalg.eigh(r)          # ascending eigenvalues
    load = v[:, -1]
    if load.sum() < 0:
        load = -load
    return load, load / load.sum(), w[-1] / x.shape[1], x.shape[0]


def strengths(df, unit, k):
    rk = df.rank(method="min", ascending=False)   # 1 = highest score; NaN kept
    row = rk.loc[unit].dropna()
    cols = list(df.columns)
    best = sorted(row.index, key=lambda c: (row[c], cols.index(c)))[:k]
    worst = sorted(row.index, key=lambda c: (-row[c], cols.index(c)))[:k]
    return [cols.index(c) for c in best], [cols.index(c) for c in worst]


def show_matrix(name, m):
    print(name)
    for i in range(m.shape[0]):
        print("  {" + ", ".join(g(v) for v in m[i]) + "},")


def report(title, df):
    print("==", title, "==")
    for c in df.columns:
        s = df[c].dropna()
        print("stats %s: n_present %d mean %s median %s sd %s skew %s kurt %s" %
              (c, s.size, g(s.mean()), g(s.median()), g(s.std()), g(s.skew()), g(s.kurt())))
    show_matrix("pearson", df.corr(method="pearson").to_numpy())
    show_matrix("spearman", df.corr(method="spearman").to_numpy())
    a, n = cronbach(df)
    print("cronbach %s (rows %d)" % (g(a), n))
    load, w, share, n = pca(df)
    print("pca loadings {" + ", ".join(g(v) for v in load) + "}")
    print("pca weights {" + ", ".join(g(v) for v in w) + "}")
    print("pca variance share %s (rows %d)" % (g(share), n))


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "shared")
    print("numpy", np.__version__, "pandas", pd.__version__)
    report("fixture", FIX)
    for u in UNITS:
        b, w = strengths(FIX, u, 2)
        print("strengths %s best %s worst %s" % (u, b, w))
    # a constant column: pandas gives NaN for its correlations
    cst = FIX.assign(E=5.0)
    print("constant column E corr row:", [g(v) for v in cst.corr().to_numpy()[4]])
    # Cronbach: the worked example of thinkdeeply.cc/posts/survey-reliability (alpha 0.674)
    sv = pd.DataFrame({"X1": [3, 3, 3, 5, 2, 4, 3, 3, 4, 3], "X2": [3, 3, 3, 4, 1, 4, 2, 4, 2, 3],
                       "X3": [3, 4, 3, 4, 4, 4, 3, 3, 2, 2], "X4": [3, 3, 1, 5, 4, 5, 3, 3, 3, 3]},
                      dtype=float)
    print("survey cronbach", g(cronbach(sv)[0]))
    path = os.path.join(shared, "data", "coinr-asem", "expected", "ASEM_COIN_Normalised.csv")
    asem = pd.read_csv(path)[["Goods", "Services", "FDI", "PRemit", "ForPort"]]
    report("ASEM ConEcFin (normalised)", asem)


if __name__ == "__main__":
    main()
