#!/usr/bin/env bash
# tests/xlsx/run.sh QALA — `qala export --format xlsx` on the demo data, read back twice:
# as the zip of XML parts it is (python's zipfile: the sheets exist, the zone symbols
# are in the styles) and with openpyxl (Debian's python3-openpyxl): cells, fills, number
# formats, the index ranking and every stored observation with its flag.
set -uo pipefail
QALA=$(realpath "${1:?usage: run.sh QALA}")
PY=/usr/bin/python3
dir=$(mktemp -d /tmp/qala-xlsx-test-XXXXXX)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$QALA" demo --db demo.db >/dev/null 2>&1 || { echo "qala demo failed"; exit 1; }
# one flagged observation, so that the flags column has something to show
printf 'unit,indicator,period,value,flag\nKZ-AKM,unemployment_ilo_pct,2023,4.9,p\n' > flag.csv
"$QALA" import flag.csv --db demo.db >/dev/null 2>&1 || { echo "import failed"; exit 1; }
fails=0
"$QALA" export --db demo.db --format xlsx --out out.xlsx 2>err.txt; rc=$?
[[ $rc == 0 && -s out.xlsx && ! -e out.xlsx.tmp ]] && echo "ok   export wrote out.xlsx" || { echo "FAIL export: $rc $(cat err.txt)"; exit 1; }
obs=$("$QALA" export --db demo.db --format csv | tail -n +2 | wc -l)
flags=$("$QALA" export --db demo.db --format csv | tail -n +2 | awk -F, '$5 != ""' | wc -l)

$PY - "$obs" "$flags" <<'PYEOF' || fails=$((fails + 1))
import re, sys, zipfile
n_obs, n_flags = int(sys.argv[1]), int(sys.argv[2])
fails = 0
def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    fails += not cond

z = zipfile.ZipFile("out.xlsx")
names = z.namelist()
check(all(f"xl/worksheets/sheet{i}.xml" in names for i in (1, 2, 3, 4)), "four worksheets in the zip")
wbxml = z.read("xl/workbook.xml").decode()
check(re.findall(r'<sheet name="([^"]+)"', wbxml) == ["Scoreboard", "Thresholds", "Index", "Observations"], "sheet names and order")
styles = z.read("xl/styles.xml").decode()
check(all(s in styles for s in ("● ", "▲ ", "■ ")), "the zone symbols are number formats in styles.xml")
check("FFD55E00" in styles.upper(), "the crisis fill (Okabe-Ito vermillion) is in styles.xml")

import openpyxl
wb = openpyxl.load_workbook("out.xlsx")
sb = wb["Scoreboard"]
check(sb["A1"].value.startswith("Scoreboard") and "2022" in sb["A1"].value, "scoreboard title names the period: %r" % sb["A1"].value)
check(sb["A3"].value == "Code" and sb["B3"].value == "Unit", "scoreboard headings")
zones = {"● ": "normal", "▲ ": "warning", "■ ": "crisis"}
fills = {"normal": "FFC6E2F5", "warning": "FFF9D9A0", "crisis": "FFD55E00"}
seen, numeric = {}, True
units = []
for row in sb.iter_rows(min_row=4):
    if row[0].value is None:
        break
    units.append(row[0].value)
    for c in row[2:]:
        for sym, zone in zones.items():
            if c.number_format.startswith('"' + sym):
                seen[zone] = seen.get(zone, 0) + 1
                numeric &= isinstance(c.value, (int, float))
                check(c.fill.fgColor.rgb == fills[zone], f"{c.coordinate} {zone} fill {c.fill.fgColor.rgb}") if seen[zone] == 1 else None
check(set(seen) == {"normal", "warning", "crisis"}, "cells in all three zones: %r" % seen)
check(numeric, "zone cells hold numbers (the symbol is only in the format)")
check("KZ-AKM" in units and "KZ" not in units[:0] and len(units) >= 17, "a row per unit with data: %d" % len(units))
# a cell compared with the monitor: Akmola's unemployment 2022 (data/demo/unemployment_2022.csv: 4.8)
heads = [c.value for c in sb[3]]
col = heads.index("Unemployment rate (ILO definition)")
akm = sb[4 + units.index("KZ-AKM")]
check(akm[col].value == 4.8 and akm[col].number_format.startswith('"●'), "Akmola unemployment 2022 = 4.8, normal")
th = wb["Thresholds"]
check(th["A1"].value == "column" and th["B2"].value == "unemployment_ilo_pct" and th["G2"].value == 5 and th["H2"].value == 7,
      "the thresholds sheet gives warning 5 and crisis 7 for unemployment")
ix = wb["Index"]
check(ix["A1"].value.startswith("City development index"), "index title: %r" % ix["A1"].value)
ranks = []
for row in ix.iter_rows(min_row=4):
    if not isinstance(row[0].value, (int, float)):
        break
    ranks.append(row[0].value)
    check(0 <= row[3].value <= 100, "index score in 0..100") if len(ranks) == 1 else None
check(len(ranks) >= 10 and ranks == sorted(ranks) and ranks[0] == 1, "index rows sorted by rank from 1: %d rows" % len(ranks))
ob = wb["Observations"]
check(ob.max_row == n_obs + 1, "every observation is a row: %d of %d" % (ob.max_row - 1, n_obs))
flagged = [r for r in ob.iter_rows(min_row=2) if r[5].value]
mine = [r for r in flagged if r[0].value == "KZ-AKM" and r[3].value == "2023" and r[2].value == "unemployment_ilo_pct"]
check(len(flagged) == n_flags > 1, "every flagged observation has its flag: %d of %d" % (len(flagged), n_flags))
check(len(mine) == 1 and mine[0][5].value == "provisional" and mine[0][4].value == 4.9, "the imported provisional value")
check(all(r[0].fill.fgColor.rgb == "FFFFF3C4" for r in flagged), "flagged rows are highlighted")
check(all(r[0].fill.fill_type is None for r in ob.iter_rows(min_row=2, max_row=200) if not r[5].value), "unflagged rows are not")
check(ob.auto_filter.ref is not None and ob.auto_filter.ref.startswith("A1:H"), "observations have an autofilter")
sys.exit(1 if fails else 0)
PYEOF

# Russian headings
"$QALA" export --db demo.db --format xlsx --out ru.xlsx --lang ru 2>/dev/null
$PY -c "import openpyxl,sys; ws=openpyxl.load_workbook('ru.xlsx')['Scoreboard']; sys.exit(0 if ws['B3'].value == 'Территория' else 1)" \
    && echo "ok   --lang ru headings" || { echo "FAIL --lang ru"; fails=$((fails + 1)); }
# bad use
"$QALA" export --db demo.db --format xlsx 2>err.txt; rc=$?
[[ $rc == 2 ]] && grep -q "needs --out" err.txt && echo "ok   --format xlsx without --out: exit 2" || { echo "FAIL no --out: $rc"; fails=$((fails + 1)); }
"$QALA" export --db demo.db --format xlsx --out bad.xlsx --spec nosuch 2>err.txt; rc=$?
[[ $rc == 1 && ! -e bad.xlsx && ! -e bad.xlsx.tmp ]] && grep -q "unknown spec 'nosuch'" err.txt && echo "ok   unknown spec: exit 1, no file" \
    || { echo "FAIL unknown spec: $rc $(cat err.txt)"; fails=$((fails + 1)); }
"$QALA" export --db demo.db --format xlsx --out /nonexistent/dir/x.xlsx 2>err.txt; rc=$?
[[ $rc == 3 ]] && echo "ok   unwritable path: exit 3" || { echo "FAIL unwritable: $rc $(cat err.txt)"; fails=$((fails + 1)); }
"$QALA" export --db nosuch.db --format xlsx --out x.xlsx 2>err.txt; rc=$?
[[ $rc == 3 && ! -e x.xlsx ]] && echo "ok   no database: exit 3" || { echo "FAIL no database: $rc"; fails=$((fails + 1)); }
echo "$fails failures"
[[ $fails == 0 ]]
