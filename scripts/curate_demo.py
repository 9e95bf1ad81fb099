#!/usr/bin/env python3
"""Curate qala's demo statistics (data/demo/*.csv) from third-party open data.

Reads the BNS tables republished by the open-data-kazakhstan organisation (PDDL) and the
sourced city-population table from ../shared/data/kz (relative to the repository root), or
from the directory given as the first argument, and writes one long-format file per source
table:

    unit,indicator,period,value,flag

unit is a code of data/registry/units.csv, indicator a code of
data/framework/indicators.csv, period a year, value a plain number ('.' decimal point, no
thousands separators), flag empty or one of provisional, estimated, break, confidential,
imputed. What is changed, dropped or flagged, and why, is in data/demo/SOURCES.md.

Standard library only:  /usr/bin/python3 scripts/curate_demo.py [SOURCE_DIR]
"""
import csv
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SRC = os.path.join(REPO, "..", "shared", "data", "kz")
OUT = os.path.join(REPO, "data", "demo")

HEADER = ["unit", "indicator", "period", "value", "flag"]
FLAGS = {"", "provisional", "estimated", "break", "confidential", "imputed"}
NO_DATA = {"", "-", "–", "—", "…", "..."}

# Last year of observed (not projected) figures in region_population_by_year.csv.
LAST_OBSERVED_POPULATION_YEAR = 2023
# First year after the 2022 reform: East Kazakhstan, Almaty and Karaganda regions lose
# the territories of Abai, Zhetisu and Ulytau.
SPLIT_YEAR = 2022
SPLIT_PARENTS = {"KZ-VOS", "KZ-ALM", "KZ-KAR"}
# Population at 1 January of these years is the first estimate based on a new census
# (2009, 2021): most regions jump by 4-18% in one year.
CENSUS_REBASE_YEARS = {2009, 2022}
# Almaty city grew in 2014 by territory taken from Almaty Region: city population +8.9% and
# region -3.2% at 1 January 2015 (sum +2.1%), city emissions x3.5 in 2014.
ALMATY_2014 = {"KZ-ALA", "KZ-ALM"}

# ------------------------------------------------------------------ region labels
# Every spelling of a first-level unit found in the source tables (after stripping
# surrounding spaces). Labels that cover South Kazakhstan before 2018 and Turkistan after
# it are resolved by year in unit_for().
LABELS = {
    # country
    "Республика Казахстан": "KZ", "The Republic Of Kazakhstan": "KZ",
    "The Republic of Kazakhstan": "KZ", "The Republic Kazakhstan": "KZ",
    # English
    "Abai Region": "KZ-ABA", "Abay Region": "KZ-ABA",
    "Akmola Region": "KZ-AKM", "Aktobe Region": "KZ-AKT", "Almaty Region": "KZ-ALM",
    "Atyrau Region": "KZ-ATY", "West Kazakhstan Region": "KZ-ZAP",
    "Jambyl Region": "KZ-ZHA", "Zhambyl Region": "KZ-ZHA",
    "Jetisu Region": "KZ-ZHT", "Zhetysu Region": "KZ-ZHT",
    "Karaganda Region": "KZ-KAR", "Kostanay Region": "KZ-KUS", "Kyzylorda Region": "KZ-KZY",
    "Mangystau Region": "KZ-MAN", "Pavlodar Region": "KZ-PAV",
    "North Kazakhstan Region": "KZ-SEV", "Turkistan Region": "KZ-TUR",
    "Turkestan Region": "KZ-TUR", "Ulytau Region": "KZ-ULT",
    "East Kazakhstan Region": "KZ-VOS", "Astana city": "KZ-AST", "Almaty city": "KZ-ALA",
    "Shymkent city": "KZ-SHY", "South Kazakhstan Region": "KZ-YUZ",
    # Russian short forms, Kazakh short forms of the 2022 regions
    "Абай": "KZ-ABA",  # region tables only: the town Abay (KZ-ABAY) has the same name
    "Акмолинская": "KZ-AKM", "Актюбинская": "KZ-AKT", "Алматинская": "KZ-ALM",
    "Атырауская": "KZ-ATY", "Западно-Казахстанская": "KZ-ZAP", "Жамбылская": "KZ-ZHA",
    "Жетісу": "KZ-ZHT", "Карагандинская": "KZ-KAR", "Костанайская": "KZ-KUS",
    "Кызылординская": "KZ-KZY", "Мангистауская": "KZ-MAN", "Павлодарская": "KZ-PAV",
    "Северо-Казахстанская": "KZ-SEV", "Ұлытау": "KZ-ULT", "Восточно-Казахстанская": "KZ-VOS",
    "Южно-Казахстанская": "KZ-YUZ",
    "Туркестанская": "SOUTH/TURKISTAN", "Туркестанская*": "SOUTH/TURKISTAN",
    "Туркестанская 1": "SOUTH/TURKISTAN",
    "г. Астана": "KZ-AST", "город Нур-Султан": "KZ-AST",
    "г. Алматы": "KZ-ALA", "город Алматы": "KZ-ALA",
    "г.Шымкент": "KZ-SHY", "г. Шымкент": "KZ-SHY", "город Шымкент": "KZ-SHY",
}

# City labels of city_population_sourced.csv -> unit codes.
CITY_LABELS = {
    "Stepnogorsk": "KZ-STEPNOGORSK", "Khromtau": "KZ-KHROMTAU", "Tekeli": "KZ-TEKELI",
    "Kulsary": "KZ-KULSARY", "Aksay": "KZ-AKSAY", "Karatau": "KZ-KARATAU",
    "Zhanatas": "KZ-ZHANATAS", "Balkhash": "KZ-BALKHASH", "Zhezkazgan": "KZ-ZHEZKAZGAN",
    "Karazhal": "KZ-KARAZHAL", "Saran": "KZ-SARAN", "Satpayev": "KZ-SATPAYEV",
    "Temirtau": "KZ-TEMIRTAU", "Shakhtinsk": "KZ-SHAKHTINSK", "Abay": "KZ-ABAY",
    "Arkalyk": "KZ-ARKALYK", "Zhitikara": "KZ-ZHITIKARA", "Lisakovsk": "KZ-LISAKOVSK",
    "Rudny": "KZ-RUDNY", "Zhanaozen": "KZ-ZHANAOZEN", "Aksu": "KZ-AKSU",
    "Ekibastuz": "KZ-EKIBASTUZ", "Altai (Zyryanovsk)": "KZ-ALTAI", "Kurchatov": "KZ-KURCHATOV",
    "Ridder": "KZ-RIDDER", "Serebryansk": "KZ-SEREBRYANSK", "Kentau": "KZ-KENTAU",
    "Astana": "KZ-AST", "Almaty": "KZ-ALA", "Shymkent": "KZ-SHY", "Aktobe": "KZ-AKTOBE",
    "Karaganda": "KZ-KARAGANDA", "Atyrau": "KZ-ATYRAU", "Oskemen": "KZ-OSKEMEN",
    "Oral": "KZ-ORAL", "Kyzylorda": "KZ-KYZYLORDA", "Taldykorgan": "KZ-TALDYKORGAN",
    "Kokshetau": "KZ-KOKSHETAU", "Kostanay": "KZ-KOSTANAY", "Turkistan": "KZ-TURKISTAN",
    "Petropavl": "KZ-PETROPAVL", "Taraz": "KZ-TARAZ", "Aktau": "KZ-AKTAU",
    "Pavlodar": "KZ-PAVLODAR",
}

# City figures that the curator treats individually (city, period) -> (action, reason).
# "drop": an isolated figure whose scope the source itself doubts; "break": the first
# figure of a series whose scope appears to change from there on (kept, flagged).
CITY_OVERRIDES = {
    ("Kostanay", "2018"): ("drop", "isolated figure below both 2009 and 2021; the source "
                                   "notes the scope differs or is not stated"),
    ("Pavlodar", "2018"): ("drop", "higher than the 2021 and 2023 city figures; the source "
                                   "notes it is probably the city administration"),
    ("Zhanaozen", "2009"): ("drop", "the 48,871 comes from the page whose census figures the "
                                    "source judges swapped/garbled; the other 2009 figure "
                                    "(113,014) is probably the city administration"),
    ("Aksu", "2023"): ("break", "jump from 40,299 (2021) to 51,614 not explained; the source "
                                "suspects a scope change, and 2024 stays at the new level"),
    ("Lisakovsk", "2023"): ("break", "drop from 36,622 (2009) to 31,178; the source suspects "
                                     "a scope change"),
    ("Kurchatov", "2023"): ("break", "drop from 12,317 (2020) to 10,457 not explained; the "
                                     "source suspects a scope change"),
}


class Output:
    """Rows of one output file, with duplicate detection."""

    def __init__(self, name):
        self.name = name
        self.rows = {}

    def add(self, unit, indicator, period, value, flag=""):
        assert flag in FLAGS, flag
        key = (unit, indicator, str(period))
        if key in self.rows:
            if self.rows[key][0] != value:
                raise SystemExit(f"{self.name}: conflicting values for {key}: "
                                 f"{self.rows[key][0]} vs {value}")
            return
        self.rows[key] = (value, flag)

    def write(self):
        path = os.path.join(OUT, self.name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADER)
            for (unit, ind, period), (value, flag) in sorted(self.rows.items(),
                                                             key=lambda kv: (kv[0][1], kv[0][0],
                                                                             kv[0][2])):
                w.writerow([unit, ind, period, value, flag])
        print(f"  {self.name}: {len(self.rows)} rows")
        return len(self.rows)


def number(text):
    """Source cell -> canonical number string, or None for 'no data'.

    Keeps the source precision but removes binary float noise: 2346.2999999999997 ->
    2346.3, 736735.0 -> 736735. Decimal commas and trailing footnote asterisks are undone.
    """
    t = text.strip().rstrip("*").strip()
    if t in NO_DATA:
        return None
    t = t.replace("\u00a0", "").replace(" ", "")
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    x = float(t)
    s = f"{x:.15g}"
    if "e" in s or "E" in s:
        raise SystemExit(f"unexpected magnitude: {text!r}")
    return s


def year(text):
    return str(int(float(text.strip())))


def unit_for(label, yr=None):
    """Region label of a source table -> unit code (None = drop the figure)."""
    lab = label.strip()
    if lab not in LABELS:
        raise SystemExit(f"unknown region label {label!r}")
    code = LABELS[lab]
    if code == "SOUTH/TURKISTAN":
        # BNS shows one line: South Kazakhstan (with Shymkent) up to 2016, then figures
        # recalculated for Turkistan's borders (without Shymkent) from 2017.
        if yr is None:
            raise SystemExit(f"{label!r} needs a year")
        if int(yr) <= 2016:
            return "KZ-YUZ"
        if int(yr) == 2017:
            return None  # Turkistan-border figure for a year before KZ-TUR existed
        return "KZ-TUR"
    return code


def read_rows(src, name):
    with open(os.path.join(src, name), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def split_flag(unit, yr, first_year):
    """'break' on the first year of new borders in an annual series: the three parent
    regions in 2022, Almaty city and Almaty Region in 2014."""
    if int(first_year) >= int(yr):
        return ""
    if unit in SPLIT_PARENTS and int(yr) == SPLIT_YEAR:
        return "break"
    if unit in ALMATY_2014 and int(yr) == 2014:
        return "break"
    return ""


# ---------------------------------------------------------------------- tables
def population_regions(src, out):
    rows = read_rows(src, "region_population_by_year.csv")
    assert rows[0][1:] == ["Область", "Год", "Население"], rows[0]
    dropped_proj = 0
    series = {}
    for r in rows[1:]:
        yr = year(r[2])
        if int(yr) > LAST_OBSERVED_POPULATION_YEAR:
            dropped_proj += 1
            continue
        unit = unit_for(r[1], yr)
        if unit is None:
            continue
        v = number(r[3])
        if v is None:
            continue
        series.setdefault(unit, {})[int(yr)] = v
    for unit, s in series.items():
        first = min(s)
        for yr, v in s.items():
            # 1 January 2009 and 2022: first estimates on a new census (2022 is also the
            # first year in the post-split borders of the three parent regions);
            # 1 January 2015: first estimate after Almaty city's 2014 enlargement.
            brk = yr > first and (yr in CENSUS_REBASE_YEARS
                                  or (unit in ALMATY_2014 and yr == 2015))
            out.add(unit, "population", str(yr), v, "break" if brk else "")
    print(f"    projections after {LAST_OBSERVED_POPULATION_YEAR} dropped: {dropped_proj}")


def population_sex_2023(src, out, totals_by_year):
    rows = read_rows(src, "region_population_2023-01-01.csv")
    assert rows[0] == ["Region", "Total", "Males", "Females"], rows[0]
    diffs = []
    for r in rows[1:]:
        unit = unit_for(r[0])
        total, m, f = number(r[1]), number(r[2]), number(r[3])
        assert int(total) == int(m) + int(f), r
        other = totals_by_year.get(unit)
        if other is not None:
            diffs.append(abs(int(other) - int(total)))
        out.add(unit, "population_male", "2023", m)
        out.add(unit, "population_female", "2023", f)
    print(f"    totals differ from region_population_by_year 2023 by up to {max(diffs)} "
          f"persons; only the sex split is kept")


def unemployment_2022(src, out):
    rows = read_rows(src, "region_unemployment_rate_2022.csv")
    assert rows[0] == ["Region", "rate", "year"], rows[0]
    for r in rows[1:]:
        out.add(unit_for(r[0]), "unemployment_ilo_pct", year(r[2]), number(r[1]))


def wages_2022(src, out):
    rows = read_rows(src, "region_avg_monthly_wage_2022_by_occupation.csv")
    assert rows[0][:2] == ["regions", "avg_salary"], rows[0]
    for r in rows[1:]:
        if r[0].strip() == "South Kazakhstan Region":
            continue  # junk row: shifted values, region abolished in 2018
        out.add(unit_for(r[0]), "wage_nominal_kzt", "2022", number(r[1]))


def wide_by_year(src, name, indicator, out):
    """Tables with one row per region and one column per year (2005.0, ...)."""
    rows = read_rows(src, name)
    years = [year(c) for c in rows[0][1:]]
    for r in rows[1:]:
        first = None
        for yr, cell in zip(years, r[1:]):
            v = number(cell)
            if v is None:
                continue
            unit = unit_for(r[0], yr)
            if unit is None:
                continue
            if first is None:
                first = yr
            out.add(unit, indicator, yr, v, split_flag(unit, yr, first))


def grp_2022(src, out):
    rows = read_rows(src, "region_grp_per_capita_2022.csv")
    assert rows[0] == ["regions", "Year 2022 ₸", "Year 2022 $"], rows[0]
    for r in rows[1:]:
        unit = unit_for(r[0])
        out.add(unit, "grp_per_capita_kzt_thousand", "2022", number(r[1]))
        out.add(unit, "grp_per_capita_usd", "2022", number(r[2]))


def region2022(src, out, others):
    """Keep the columns of clear definition that no other table has; check the rest."""
    rows = read_rows(src, "region2022_17indicators_cleaned.csv")
    h = rows[0]
    col = {name: i for i, name in enumerate(h)}
    checks = {  # column -> (file key, indicator, period) it duplicates
        "avg_salary": ("wages", "wage_nominal_kzt", "2022"),
        "life_expectancy": ("life", "life_expectancy_years", "2022"),
        "unemployment-rate": ("unemp", "unemployment_ilo_pct", "2022"),
        # mislabelled: the column equals the 2022 emissions in thousand tonnes
        "air_pollution_index": ("emis", "emissions_stationary_kt", "2022"),
    }
    grp_extra = []
    for r in rows[1:]:
        unit = unit_for(r[col["Region"]])
        for c, (key, ind, per) in checks.items():
            have = others[key].rows.get((unit, ind, per))
            if have is None:
                raise SystemExit(f"region2022: {unit} {c} has no counterpart")
            if float(have[0]) != float(number(r[col[c]])):
                raise SystemExit(f"region2022: {unit} {c} {r[col[c]]} != {have[0]}")
        pop = others["sex"].rows
        m = pop.get((unit, "population_male", "2023"))
        fm = pop.get((unit, "population_female", "2023"))
        if int(float(r[col["Population"]])) != int(m[0]) + int(fm[0]):
            raise SystemExit(f"region2022: {unit} Population differs from the 1 Jan 2023 table")
        g = others["grp"].rows.get((unit, "grp_per_capita_kzt_thousand", "2022"))
        gv = number(r[col["gdp_per_capita"]])
        if g is None:
            grp_extra.append(f"{unit}={gv}")
        elif float(g[0]) != float(gv):
            raise SystemExit(f"region2022: {unit} gdp_per_capita {gv} != {g[0]}")
        out.add(unit, "crimes_count", "2022", number(r[col["crime_amount"]]))
        out.add(unit, "household_spending_month_kzt", "2022",
                number(r[col["household_spending_per_month"]]))
    print("    duplicate columns checked equal: avg_salary, life_expectancy, unemployment-rate, "
          "air_pollution_index (= emissions, kt), Population (= 1 Jan 2023), gdp_per_capita")
    print(f"    gdp_per_capita values not in the BNS GRP table, not kept: {', '.join(grp_extra)}")


def city_population(src, out, regional):
    path = os.path.join(src, "city_population_sourced.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    covered = {(u, p) for (u, ind, p) in regional.rows if ind == "population"}
    stats = {"undated": 0, "admin": 0, "doubtful": 0, "regional": 0, "override": 0,
             "conflict": 0}
    candidates = {}  # (unit, period) -> list of (rank, order, row)
    for order, r in enumerate(rows):
        city, kind, scope, note = r["city"], r["kind"], r["scope"], r["note"]
        unit = CITY_LABELS[city]
        if kind.startswith("census"):
            period, is_census = kind.split()[1], True
            assert r["date"] == period
        elif kind.startswith("estimate 1 Jan"):
            period, is_census = r["date"][:4], False
            assert r["date"].endswith("-01-01"), r
        else:
            stats["undated"] += 1  # day of the estimate not stated: period unknown
            continue
        if (scope.startswith("city administration") or "municipality level" in scope
                or ("probably" in scope and ("administration" in scope
                                             or "subordinate" in scope))):
            stats["admin"] += 1  # city administration (with villages), not the city
            continue
        if "probably wrong" in note or "garbled" in note:
            stats["doubtful"] += 1
            continue
        action = CITY_OVERRIDES.get((city, period), (None, ""))[0]
        if action == "drop":
            stats["override"] += 1  # see CITY_OVERRIDES
            continue
        if (unit, period) in covered:
            stats["regional"] += 1  # BNS regional series already has this city-year
            continue
        proper = scope.startswith("city proper") or scope.startswith("city;") \
            or scope.startswith("city (")
        rank = (0 if proper else 1, 0 if is_census else 1)
        candidates.setdefault((unit, period), []).append((rank, order, r, city))
    for (unit, period), cands in candidates.items():
        cands.sort(key=lambda c: (c[0], c[1]))
        rank, order, r, city = cands[0]
        stats["conflict"] += len(cands) - 1
        action = CITY_OVERRIDES.get((city, period), (None, ""))[0]
        out.add(unit, "population", period, number(r["population"]),
                "break" if action == "break" else "")
    print("    not kept: {undated} undated estimates, {admin} city-administration figures, "
          "{doubtful} figures the source marks as wrong, {override} curator drops, "
          "{regional} city-years already in population_regions.csv; {conflict} "
          "same-year alternatives resolved (city proper > census > first)".format(**stats))


def main():
    src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SRC)
    if not os.path.isdir(src):
        raise SystemExit(f"source directory not found: {src}")
    os.makedirs(OUT, exist_ok=True)
    print(f"reading {src}")
    files = {
        "pop": Output("population_regions.csv"),
        "sex": Output("population_sex_2023.csv"),
        "unemp": Output("unemployment_2022.csv"),
        "wages": Output("wages_2022.csv"),
        "life": Output("life_expectancy.csv"),
        "emis": Output("air_emissions.csv"),
        "env": Output("env_spending.csv"),
        "grp": Output("grp_per_capita_2022.csv"),
        "r2022": Output("region2022_indicators.csv"),
        "city": Output("city_population.csv"),
    }
    population_regions(src, files["pop"])
    totals_2023 = {u: v for (u, ind, p), (v, _f) in files["pop"].rows.items() if p == "2023"}
    population_sex_2023(src, files["sex"], totals_2023)
    unemployment_2022(src, files["unemp"])
    wages_2022(src, files["wages"])
    wide_by_year(src, "region_life_expectancy_1999-2022.csv", "life_expectancy_years",
                 files["life"])
    wide_by_year(src, "region_air_emissions_kt_2005-2022.csv", "emissions_stationary_kt",
                 files["emis"])
    wide_by_year(src, "region_env_protection_spending_2005-2022.csv",
                 "env_protection_spending_kzt_thousand", files["env"])
    grp_2022(src, files["grp"])
    region2022(src, files["r2022"], files)
    city_population(src, files["city"], files["pop"])
    # one figure per unit, indicator and period across all files
    seen = {}
    for o in files.values():
        for key, (v, _f) in o.rows.items():
            if key in seen and seen[key][1] != v:
                raise SystemExit(f"{key} in {seen[key][0]} and {o.name} with different values")
            if key in seen:
                raise SystemExit(f"{key} in both {seen[key][0]} and {o.name}")
            seen[key] = (o.name, v)
    print(f"writing {OUT}")
    total = sum(o.write() for o in files.values())
    print(f"  total: {total} rows")


if __name__ == "__main__":
    main()
