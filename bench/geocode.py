"""Benchmark: offline geocoding of place names, and reverse geocoding of points.

Run from the project root: ``.venv/bin/python bench/geocode.py [--names 10000]
[--points 1000000] [--repeat 5]``. See ``bench/README.md`` for recorded results.

- **spellings**: right / wrong / none on the hand-written corpus
  ``tests/data/geocode/spellings.csv`` (names as outlets write them that the
  gazetteer does not list, and places elsewhere that must match nothing), by kind.
  Reference in the same run: ``difflib.get_close_matches`` against every name
  (its default cutoff, 0.6), the site of the name it returns.

Needs no database: the gazetteer is read from ``fixtures/sites.json`` (the 26
reference sites, their Arabic names and aliases).

- **names**: ``NameIndex.match`` over ``--names`` queries drawn (seeded) from every
  name and alias, half of them respelt (case, hyphens, diacritics, the article, a
  generic word) so that the normalised path is exercised, plus unknown names that go
  through the fuzzy path. Reference in the same run: ``difflib.get_close_matches``
  against every name, what a naive matcher does, on a tenth of the queries.
- **points**: ``SiteLocator.nearest_many`` (nearest site within 25 km),
  ``CountryLocator.countries_of`` and ``Admin1Locator.areas_of`` (governorate) over
  ``--points`` random points in and around the region. Reference in the same
  run: the one-point methods in a Python loop, on a hundredth of the points.

Medians of ``--repeat`` runs; only the table goes to stdout.
"""

import argparse
import difflib
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # no server here: settings only

import django  # noqa: E402

django.setup()

from incidents.geo.admin1 import Admin1Locator  # noqa: E402
from incidents.geo.matching import NameIndex  # noqa: E402
from incidents.geo.reverse import CountryLocator, SiteLocator  # noqa: E402
from incidents.geo.spellings import grade, load_spellings  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "geocode" / "spellings.csv"

UNKNOWN = ["Paris", "Mosul dam", "Kirkuk air base", "مطار الموصل", "Camp Lemonnier"]


def gazetteer() -> list[dict]:
    rows = json.loads((ROOT / "fixtures/sites.json").read_text(encoding="utf-8"))
    return [row["fields"] for row in rows if row["model"] == "incidents.site"]


def respell(name: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return name.upper()
    if choice == 1:
        return name.replace("-", " ").replace("al ", "Al-")
    if choice == 2:
        return "\u0648" + name if not name.isascii() else "the " + name
    return name + (" base" if name.isascii() else "\u064e")


def name_queries(sites: list[dict], count: int) -> list[str]:
    rng = random.Random(1)
    names = [n for s in sites for n in [s["name"], s["name_ar"], *s["aliases"]] if n]
    queries = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.45:
            queries.append(rng.choice(names))
        elif roll < 0.9:
            queries.append(respell(rng.choice(names), rng))
        else:
            queries.append(rng.choice(UNKNOWN))
    return queries


def spelling_table(candidates: list[tuple[str, list[str]]]) -> list[str]:
    """Right / wrong / none on the corpus, ours and difflib's, by kind."""
    index = NameIndex(candidates)
    owner = {name: slug for slug, names in candidates for name in names}

    def naive(query: str) -> str | None:
        close = difflib.get_close_matches(query, list(owner), n=1)
        return owner[close[0]] if close else None

    spellings = load_spellings(CORPUS)
    ours = grade(lambda q: getattr(index.match(q), "slug", None), spellings)
    theirs = grade(naive, spellings)
    lines = [
        "| spellings | kind | n | right | wrong | none |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for label, grades in (("NameIndex", ours), ("difflib (reference)", theirs)):
        for kind, counts in sorted(grades.by_kind.items()):
            n = sum(counts.values())
            lines.append(
                f"| {label} | {kind} | {n} | {counts['right']} | "
                f"{counts['wrong']} | {counts['none']} |"
            )
        lines.append(
            f"| **{label}** | **all** | **{grades.total}** | "
            f"**{grades.right} ({grades.right_share:.1%})** | **{grades.wrong}** | "
            f"**{grades.none}** |"
        )
    lines += ["", "Missed by NameIndex:"]
    lines += [
        f"- {s.spelling} ({s.kind}): {got}, not {s.expected}" for s, got in ours.misses
    ]
    return lines


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    sites = gazetteer()
    candidates = [
        (s["slug"], [n for n in [s["name"], s["name_ar"], *s["aliases"]] if n])
        for s in sites
    ]
    queries = name_queries(sites, args.names)
    index = NameIndex(candidates)
    all_names = [n for _, names in candidates for n in names]
    naive = queries[: max(1, args.names // 10)]
    ours_names = timed(lambda: [index.match(q) for q in queries], args.repeat)
    naive_names = timed(
        lambda: [difflib.get_close_matches(q, all_names, n=1) for q in naive],
        args.repeat,
    )

    placed = [
        (s["slug"], s["longitude"], s["latitude"]) for s in sites if s["latitude"]
    ]
    locator, countries = SiteLocator(placed), CountryLocator.bundled()
    areas = Admin1Locator.bundled()
    rng = np.random.default_rng(1)
    lons = rng.uniform(34.0, 49.0, args.points)
    lats = rng.uniform(29.0, 38.0, args.points)
    loop_n = max(1, args.points // 100)

    def vectorised():
        locator.nearest_many(lons, lats, max_km=25)
        countries.countries_of(lons, lats)
        areas.areas_of(lons, lats)

    def one_by_one():
        for lon, lat in zip(lons[:loop_n], lats[:loop_n], strict=True):
            locator.nearest(float(lon), float(lat), max_km=25)
            countries.at(float(lon), float(lat))
            areas.at(float(lon), float(lat))

    ours_points = timed(vectorised, args.repeat)
    loop_points = timed(one_by_one, args.repeat)

    rate = [
        args.names / ours_names,
        len(naive) / naive_names,
        args.points / ours_points,
        loop_n / loop_points,
    ]
    print(f"| median of {args.repeat} | items | per second | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| names: NameIndex.match | {args.names:,} | {rate[0]:,.0f} | |")
    print(
        f"| names: difflib over every name (reference) | {len(naive):,} | "
        f"{rate[1]:,.0f} | ours {rate[0] / rate[1]:.0f}× |"
    )
    print(
        "| points: nearest site + country + governorate, vectorised | "
        f"{args.points:,} | {rate[2]:,.0f} | |"
    )
    print(
        f"| points: one at a time (reference) | {loop_n:,} | {rate[3]:,.0f} | "
        f"ours {rate[2] / rate[3]:.0f}× |"
    )
    print(
        f"\nGoals: names over 5,000/s: {'met' if rate[0] > 5000 else 'missed'}; "
        f"points over 200,000/s: {'met' if rate[2] > 200_000 else 'missed'}.\n"
    )
    print("\n".join(spelling_table(candidates)))


if __name__ == "__main__":
    main()
