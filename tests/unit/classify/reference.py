#!/usr/bin/python3
"""Reference values for tests/unit/classify (run with /usr/bin/python3: numpy, scipy).

Prints C initialisers that the tests paste, each with its source:
- the data: 3 Gaussian blobs in 2-d (numpy seed 20240501), 24 points, printed to 17 digits;
- Ward: scipy.cluster.hierarchy.linkage(X, method="ward") (scipy's merge heights and ids),
  and fcluster(Z, 3, "maxclust") for the cut;
- k-means: scikit-learn is not installed here, so an independent numpy Lloyd's algorithm
  from 200 random starts (uniformly chosen distinct points) gives the lowest WCSS for k = 3
  (and k = 4); qala's k-means++ with a few restarts must reach the same optimum;
- the adjusted Rand index from its formula on the contingency table (Hubert & Arabie
  1985), on the examples of scikit-learn's documentation of adjusted_rand_score.
"""
import numpy as np
from math import comb
from scipy.cluster.hierarchy import linkage, fcluster

rng = np.random.default_rng(20240501)
centres = np.array([[0.0, 0.0], [6.0, 1.0], [2.0, 7.0]])
X = np.vstack([c + rng.normal(scale=0.8, size=(8, 2)) for c in centres])
perm = rng.permutation(len(X))
X = X[perm]
truth = np.repeat([0, 1, 2], 8)[perm]

def c_array(name, a, fmt="%.17g"):
    flat = ", ".join(fmt % v for v in np.ravel(a))
    print(f"static const double {name}[] = {{{flat}}};")

c_array("blobs", X)
print("static const size_t blob_truth[] = {%s};" % ", ".join(str(v) for v in truth))

Z = linkage(X, method="ward")
print("/* scipy linkage(X, method='ward'): a, b, height, size */")
print("static const double ward_ref[][4] = {")
for row in Z:
    print("    {%d, %d, %.17g, %d}," % (row[0], row[1], row[2], row[3]))
print("};")
print("static const size_t ward_cut3_ref[] = {%s};" % ", ".join(str(v - 1) for v in fcluster(Z, 3, "maxclust")))

# a second, messier data set for Ward heights: 12 points uniform in [0,1]^3
Y = rng.uniform(size=(12, 3))
c_array("cube", Y)
ZY = linkage(Y, method="ward")
print("static const double ward_cube_ref[][4] = {")
for row in ZY:
    print("    {%d, %d, %.17g, %d}," % (row[0], row[1], row[2], row[3]))
print("};")
print("static const size_t ward_cube_cut4_ref[] = {%s};" % ", ".join(str(v - 1) for v in fcluster(ZY, 4, "maxclust")))

def lloyd(X, C, iters=300):
    for _ in range(iters):
        d = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
        lab = d.argmin(1)
        newC = np.array([X[lab == j].mean(0) if np.any(lab == j) else C[j] for j in range(len(C))])
        if np.allclose(newC, C, rtol=0, atol=0):
            break
        C = newC
    d = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
    return d.min(1).sum(), d.argmin(1)

def best_wcss(X, k, starts=200, seed=7):
    r = np.random.default_rng(seed)
    best = np.inf
    for _ in range(starts):
        C = X[r.choice(len(X), size=k, replace=False)]
        w, _ = lloyd(X, C)
        best = min(best, w)
    return best

print("/* numpy Lloyd, best of 200 random starts */")
print("static const double blobs_wcss_k3 = %.17g;" % best_wcss(X, 3))
print("static const double cube_wcss_k4 = %.17g;" % best_wcss(Y, 4))

def ari(a, b):
    a = np.asarray(a); b = np.asarray(b)
    ua, ia = np.unique(a, return_inverse=True)
    ub, ib = np.unique(b, return_inverse=True)
    t = np.zeros((len(ua), len(ub)), dtype=int)
    for i, j in zip(ia, ib):
        t[i, j] += 1
    sij = sum(comb(int(v), 2) for v in t.ravel())
    sa = sum(comb(int(v), 2) for v in t.sum(1))
    sb = sum(comb(int(v), 2) for v in t.sum(0))
    n2 = comb(len(a), 2)
    exp = sa * sb / n2
    mx = (sa + sb) / 2
    return 1.0 if mx == exp else (sij - exp) / (mx - exp)

print("/* ARI from the contingency-table formula */")
for a, b in [([0, 0, 1, 1], [0, 0, 1, 1]), ([0, 0, 1, 1], [1, 1, 0, 0]),
             ([0, 0, 1, 2], [0, 0, 1, 1]), ([0, 0, 1, 1], [0, 0, 1, 2]),
             ([0, 0, 0, 0], [0, 1, 2, 3]), ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]),
             ([0, 0, 1, 1], [0, 1, 0, 1])]:
    print("/* %s vs %s */ %.17g" % (a, b, ari(a, b)))
