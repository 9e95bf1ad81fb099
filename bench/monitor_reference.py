#!/usr/bin/python3
"""bench/monitor_reference.py — the numpy reference for bench/run_monitor.sh.

Builds the same synthetic panel as bench/bench_monitor.c (same formula of unit,
indicator, year and seed; about 2% of the cells missing), then does what
qala_monitor_evaluate does for the same three thresholds per indicator (level;
change_percent k=1; average k=3 — boundaries as in bench_monitor.c, inclusive): the
transform, the zone, the distance, the OLS trend over 3 periods and its class, the
status against the previous period and the projected periods until a breach, with the
operations in the same order as src/monitor_series.c so that the checksums match
exactly. Vectorised over the whole units × indicators × years array, one pass per
threshold kind; results are kept as compressed columns (one row per observed cell and
threshold), as qala returns them. Only the evaluation is timed, not the data generation;
it runs REPS times and the best time counts, as in bench_monitor.c.
Prints key=value lines. Usage: monitor_reference.py N K T SEED [REPS]
"""
import resource
import sys
import time

import numpy as np

n, k, T, seed = (int(a) for a in sys.argv[1:5])
reps = int(sys.argv[5]) if len(sys.argv) > 5 else 3
TOL = 0.005  # QALA_MONITOR_OPTIONS_INIT: stable_tolerance
NO_DATA, NORMAL, WARNING, CRISIS = 0, 1, 2, 3
NONE, IMPROVING, STABLE, WORSENING = 0, 1, 2, 3

# ---- the panel (not timed): value = f(unit, indicator, year) as in bench_monitor.c ----
u = np.arange(n, dtype=np.uint64)[:, None, None]
i = np.arange(k, dtype=np.uint64)[None, :, None]
t = np.arange(T, dtype=np.uint64)[None, None, :]
h = ((u + np.uint64(1)) * np.uint64(73856093)) ^ ((i + np.uint64(1)) * np.uint64(19349663)) \
    ^ ((t + np.uint64(1)) * np.uint64(83492791)) ^ np.uint64(seed)
h = (h * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
missing = h % np.uint64(50) == 0
x = 50.0 + (i % np.uint64(10)).astype(np.float64) * 5.0 \
    + t.astype(np.float64) * 0.5 * ((u % np.uint64(3)).astype(np.int64) - 1).astype(np.float64) \
    + (h % np.uint64(1000)).astype(np.float64) / 100.0
x = np.broadcast_to(x, (n, k, T)).copy()
x[missing] = np.nan
del h, missing
base = 50.0 + (np.arange(k) % 10).astype(np.float64)[None, :, None] * 5.0  # per indicator


def shift(a, by):
    """a at t - by (NAN before the first year)."""
    out = np.full_like(a, np.nan)
    out[..., by:] = a[..., :-by]
    return out


def zones(y, high, w, c):
    if high:
        z = np.where(y >= c, CRISIS, np.where(y >= w, WARNING, NORMAL))
    else:
        z = np.where(y <= c, CRISIS, np.where(y <= w, WARNING, NORMAL))
    return np.where(np.isnan(y), NO_DATA, z).astype(np.uint8)


def evaluate(y, high, w, c):
    """Every column qala returns, for the transformed values y (n, k, T)."""
    w = np.broadcast_to(w, y.shape)
    c = np.broadcast_to(c, y.shape)
    z = zones(y, high, w, c)
    normal = z == NORMAL
    bound = np.where(normal, w, c)
    d = (bound - y) if high else (y - bound)
    pct = np.where(bound != 0, d / np.abs(bound) * 100, np.nan)
    # trend over the window t-2 .. t (x = 0, 1, 2), points present, as monitor_series.c
    ys = [shift(y, 2), shift(y, 1), y]
    ms = [~np.isnan(v) for v in ys]
    cnt = ms[0].astype(np.float64) + ms[1] + ms[2]
    sx = np.zeros_like(y)
    sy = np.zeros_like(y)
    for j in range(3):
        sx = sx + np.where(ms[j], float(j), 0.0)
        sy = sy + np.where(ms[j], ys[j], 0.0)
    mx = sx / cnt
    my = sy / cnt
    sxy = np.zeros_like(y)
    sxx = np.zeros_like(y)
    for j in range(3):
        dx = float(j) - mx
        sxy = sxy + np.where(ms[j], dx * (ys[j] - my), 0.0)
        sxx = sxx + np.where(ms[j], dx * dx, 0.0)
    has = cnt >= 2
    b = np.where(has, sxy / sxx, np.nan)
    stable = np.abs(b) <= TOL * np.where(my == 0, 1.0, np.abs(my))
    up = b > 0
    moving = np.where(up, WORSENING, IMPROVING) if high else np.where(up, IMPROVING, WORSENING)
    trend = np.where(has, np.where(stable, STABLE, moving), NONE).astype(np.uint8)
    # status against the previous year's zone
    zp = np.zeros_like(z)
    zp[..., 1:] = z[..., :-1]
    breach = (z == WARNING) | (z == CRISIS)
    status = np.where(zp <= NORMAL, 1,
             np.where((z > zp) | ((z == zp) & (trend == WORSENING)), 3,
             np.where((z < zp) | ((z == zp) & (trend == IMPROVING)), 4, 2)))
    status = np.where(breach, status, 0).astype(np.uint8)
    # projection: 3 points, normal, slope toward the warning boundary
    toward = (b > 0) if high else (b < 0)
    q = np.abs(w - y) / np.abs(b)
    cand = normal & (cnt >= 3) & toward & (q < 2e9)
    hh = np.maximum(np.floor(np.where(cand, q, 0.0)) - 1, 1.0)
    for _ in range(8):
        v = y + hh * b
        still = cand & ((v < w) if high else (v > w))
        if not still.any():
            break
        hh = np.where(still, hh + 1, hh)
    ptb = np.where(cand, hh, -1).astype(np.int32)
    return z, d, pct, b, trend, status, ptb


def run():
    obs = ~np.isnan(x)
    kinds = [
        ("level", True, base + 8, base + 12),
        ("change_percent", True, np.full_like(base, 8.0), np.full_like(base, 15.0)),
        ("average", False, base + 2, base - 2),
    ]
    rows = []
    with np.errstate(all="ignore"):
        for name, high, w, c in kinds:
            if name == "level":
                y = x
            elif name == "change_percent":
                prev = shift(x, 1)
                y = np.where(prev != 0, (x / prev - 1) * 100, np.nan)
            else:
                y = (shift(x, 2) + shift(x, 1) + x) / 3.0
            z, d, pct, b, trend, status, ptb = evaluate(y, high, w, c)
            rows.append({"value": x[obs], "transformed": y[obs], "zone": z[obs], "distance": d[obs],
                         "distance_pct": pct[obs], "slope": b[obs], "trend": trend[obs],
                         "status": status[obs], "periods_to_breach": ptb[obs]})
    return rows


best, user, system = float("inf"), 0.0, 0.0
rows = None
for rep in range(reps):
    rows = None
    a = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    rows = run()
    secs = time.perf_counter() - t0
    b = resource.getrusage(resource.RUSAGE_SELF)
    us, ss = b.ru_utime - a.ru_utime, b.ru_stime - a.ru_stime
    print(f"run{rep + 1}_seconds={secs:.3f} (user {us:.3f}, system {ss:.3f})")
    if secs < best:
        best, user, system = secs, us, ss

evaluations = sum(len(r["zone"]) for r in rows)
zone = np.concatenate([r["zone"] for r in rows])
status = np.concatenate([r["status"] for r in rows])
trend = np.concatenate([r["trend"] for r in rows])
ptb = np.concatenate([r["periods_to_breach"] for r in rows])
proj = ptb[ptb >= 0]
print(f"evaluations={evaluations}")
print(f"numpy_seconds={best:.3f}")
print(f"numpy_evaluations_per_second={evaluations / best:.0f}")
print(f"numpy_user_seconds={user:.3f}")
print(f"numpy_system_seconds={system:.3f}")
print("zones=" + ",".join(str(int((zone == z).sum())) for z in range(4)))
print("status=" + ",".join(str(int((status == s).sum())) for s in range(5)))
print("trend=" + ",".join(str(int((trend == s).sum())) for s in range(4)))
print(f"projected={len(proj)},{int(proj.astype(np.int64).sum())}")
print(f"numpy_peak_kib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
