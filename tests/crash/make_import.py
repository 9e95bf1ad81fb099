#!/usr/bin/python3
"""tests/crash/make_import.py — writes the large import of the crash-safety test.

Usage: make_import.py REPO_DIR OUT_DIR [YEARS]

Writes OUT_DIR/big.csv: every unit of the shipped registry that exists throughout
(data/registry/units.csv without valid_from/valid_to) × every indicator of the shipped
framework (data/framework/indicators.csv) × YEARS years (default 201: 1900 to 2100, the
importer's default period range), long layout, with values inside each indicator's
declared [min, max] so that the file has no error and `qala import` stores all of it.
About 60 × 44 × 201 = 530,000 observations (about 22 MB). Also OUT_DIR/part1.csv,
part2.csv, part3.csv: the same rows split by indicator into three files, for the
multi-file import (one transaction for all files). The values are made from a fixed
seed: the files are the same on every run. Synthetic figures, for the test only.
"""
import csv
import os
import random
import sys


def main():
    repo, out = sys.argv[1], sys.argv[2]
    years = int(sys.argv[3]) if len(sys.argv) > 3 else 201
    with open(os.path.join(repo, 'data/registry/units.csv'), newline='', encoding='utf-8') as f:
        units = [r['code'] for r in csv.DictReader(f) if not r['valid_from'] and not r['valid_to']]
    with open(os.path.join(repo, 'data/framework/indicators.csv'), newline='', encoding='utf-8') as f:
        inds = [(r['code'], r['min'], r['max']) for r in csv.DictReader(f)]
    rng = random.Random(20240601)
    parts = [open(os.path.join(out, 'part%d.csv' % (k + 1)), 'w', encoding='utf-8') for k in range(3)]
    big = open(os.path.join(out, 'big.csv'), 'w', encoding='utf-8')
    header = 'unit,indicator,period,value\n'
    big.write(header)
    for p in parts:
        p.write(header)
    for u in units:
        for k, (code, lo, hi) in enumerate(inds):
            lo_v = float(lo) if lo else 0.0
            hi_v = float(hi) if hi else lo_v + 1000.0
            for y in range(1900, 1900 + years):
                v = lo_v + (hi_v - lo_v) * rng.random()
                line = '%s,%s,%d,%.3f\n' % (u, code, y, v)
                big.write(line)
                parts[k % 3].write(line)
    big.close()
    for p in parts:
        p.close()


main()
