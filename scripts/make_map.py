#!/usr/bin/python3
"""scripts/make_map.py — writes data/report/kz-regions.json, the region outlines of the
report's map, from Natural Earth's admin-1 boundaries of Kazakhstan (public domain) as
../shared/data/kz/kaz_adm1_naturalearth10m_pre2022.geojson holds them.

What it does to them (the result is qala's own derivative, not a copy):
- keys each feature on the registry's unit code (Natural Earth's code_hasc: Almaty city
  and Almaty region share iso_3166_2 KZ-ALA), Baikonur as KZ-BAYKONUR (no registry unit);
- simplifies every ring with Douglas–Peucker at TOLERANCE degrees and drops rings left
  with fewer than 4 points (small islands of the Caspian);
- rounds coordinates to 3 decimals (about 100 m) and keeps only code, name_en and the
  layout mark "pre-2018" in the properties.
Run: /usr/bin/python3 scripts/make_map.py [SOURCE] [OUT]   (standard library only)
"""
import json
import os
import sys

TOLERANCE = 0.02
HASC_TO_CODE = {
    "KZ.EK": "KZ-VOS", "KZ.AA": "KZ-ALM", "KZ.ZM": "KZ-ZHA", "KZ.SK": "KZ-YUZ",
    "KZ.MG": "KZ-MAN", "KZ.QO": "KZ-KZY", "KZ.AT": "KZ-AKT", "KZ.NK": "KZ-SEV",
    "KZ.QS": "KZ-KUS", "KZ.PA": "KZ-PAV", "KZ.WK": "KZ-ZAP", "KZ.AR": "KZ-ATY",
    "KZ-KAB": "KZ-BAYKONUR", "KZ.AM": "KZ-AKM", "KZ.QG": "KZ-KAR", "KZ.AC": "KZ-ALA",
    "KZ.AS": "KZ-AST",
}


def perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def douglas_peucker(points, tol):
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, k = -1.0, -1
        for m in range(i + 1, j):
            d = perpendicular(points[m], points[i], points[j])
            if d > best:
                best, k = d, m
        if k >= 0 and best > tol:
            keep[k] = True
            stack += [(i, k), (k, j)]
    return [p for p, f in zip(points, keep) if f]


def ring(points):
    out = douglas_peucker(points, TOLERANCE)
    out = [[round(x, 3), round(y, 3)] for x, y in out]
    dedup = [p for n, p in enumerate(out) if n == 0 or p != out[n - 1]]
    return dedup if len(dedup) >= 4 else None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "..", "shared", "data", "kz", "kaz_adm1_naturalearth10m_pre2022.geojson")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "data", "report", "kz-regions.json")
    with open(src, encoding="utf-8") as f:
        data = json.load(f)
    features = []
    for feat in data["features"]:
        props, geom = feat["properties"], feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out = []
        for poly in polys:
            rings = [r for r in (ring(x) for x in poly) if r]
            if rings:
                out.append(rings)
        features.append({
            "type": "Feature",
            "properties": {"code": HASC_TO_CODE[props["code_hasc"]], "name_en": props["name_en"],
                           "layout": "pre-2018"},
            "geometry": {"type": "MultiPolygon", "coordinates": out},
        })
    features.sort(key=lambda f: f["properties"]["code"])
    result = {"type": "FeatureCollection",
              "source": "Natural Earth 1:10m admin-1 (public domain), simplified by scripts/make_map.py",
              "layout": "pre-2018", "features": features}
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"{dst}: {len(features)} regions, {os.path.getsize(dst)} bytes")


if __name__ == "__main__":
    main()
