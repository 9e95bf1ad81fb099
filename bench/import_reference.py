#!/usr/bin/python3
"""bench/import_reference.py — the pandas reference for bench/run_import.sh: read the
long CSV, validate keys (units and indicators in the known sets, periods in range, no
duplicate key) and numbers, and pivot to a units x (indicator, period) table, as
qala's import does. Prints key=value lines: seconds and peak resident memory.
Usage: import_reference.py FILE N K"""
import resource
import sys
import time

import pandas as pd

path, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
units = {f"U{u:06d}" for u in range(1, n + 1)}
indicators = {f"I{i:03d}" for i in range(1, k + 1)}
t0 = time.perf_counter()
df = pd.read_csv(path, dtype={"unit": "category", "indicator": "category", "period": "int32"})
values = pd.to_numeric(df["value"], errors="coerce")
errors = int(values.isna().sum())
errors += int((~df["unit"].isin(units)).sum()) + int((~df["indicator"].isin(indicators)).sum())
errors += int(((df["period"] < 1900) | (df["period"] > 2100)).sum())
errors += int(df.duplicated(["unit", "indicator", "period"]).sum())
df["value"] = values
wide = df.pivot(index="unit", columns=["indicator", "period"], values="value")
t1 = time.perf_counter()
assert errors == 0, errors
print(f"observations={len(df)}")
print(f"pandas_seconds={t1 - t0:.3f}")
print(f"pandas_peak_kib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
print(f"pandas_cells={wide.size}")
