"""Benchmark: importing a 100,000-row ACLED file, against two references.

Run from the project root: ``.venv/bin/python bench/acled_import.py [--rows 100000]
[--seed 1] [--orm-rows 5000]``. Prints a Markdown table for ``bench/README.md``.

It writes a seeded ACLED file (realistic in shape: the reference sites under
their names and spelling variants, points scattered around them and far from any,
both date styles, several actors and publishers per row, a few new actors) into a
temporary directory. Each variant then runs in a fresh child process with its own
throwaway SQLite database (migrate + reference data), so peak RSS
(``ru_maxrss``) is that variant's alone:

- **import**: ``import_acled`` on the whole file (two passes, one transaction);
  the rows about no tracked site (those at Raqqa and Jurf al-Sakhar, and the
  clashes and interceptions the relevance rule finds at no site) are skipped;
- **import --all**: the same with ``take_all``: every row written, as every
  import did before rows were skipped;
- **re-import**: the same file again into the same database: every row unchanged;
- **dry run**: ``import_acled(..., dry_run=True)``;
- **import (traced)**: the import again under ``tracemalloc`` for Python's peak
  heap (tracing slows it down, so it is timed apart);
- **(a) csv floor**: ``csv.reader`` alone over the file: the cost of reading;
- **(b) ORM one by one**: ``--orm-rows`` rows through ``Incident.objects.create``
  plus its site link, involvements and citations, one row at a time, as a simple
  importer would do it (actors and sources already resolved: only the writes).

Settings are production-like (``DJANGO_DEBUG=0``).
"""

import argparse
import csv
import datetime
import json
import os
import platform
import random
import resource
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type "
    "sub_event_type actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 "
    "interaction civilian_targeting iso region country admin1 admin2 admin3 location "
    "latitude longitude geo_precision source source_scale notes fatalities tags "
    "timestamp"
).split()
# (location as ACLED might write it, latitude, longitude, iso, admin1)
PLACES = [
    ("Al Omar Oil Field", 35.1517, 40.5758, "760", "Deir ez Zor"),
    ("Koniko", 35.3361, 40.3094, "760", "Deir ez Zor"),
    ("Al Tanf", 33.5058, 38.6178, "760", "Homs"),
    ("Al Shaddadi", 36.0561, 40.7303, "760", "Al Hasakeh"),
    ("Rumaylan", 37.0, 41.95, "760", "Al Hasakeh"),
    ("Ain Al Asad Airbase", 33.8, 42.433, "368", "Al Anbar"),
    ("Harir", 36.5306, 44.3417, "368", "Erbil"),
    ("Erbil", 36.2375, 43.9631, "368", "Erbil"),
    ("Ghuraybah", 35.12, 40.6, "760", "Deir ez Zor"),
    ("Raqqa", 35.95, 39.0167, "760", "Ar-Raqqa"),
    ("Jurf al-Sakhar", 32.88, 44.12, "368", "Babil"),
]
SUB_EVENTS = [
    ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
    (
        "Political violence",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    ("Political violence", "Battles", "Armed clash"),
    ("Strategic developments", "Strategic developments", "Disrupted weapons use"),
]
ACTORS = [
    ("Islamic Resistance in Iraq", "3"),
    ("Kataib Hezbollah", "3"),
    ("Harakat al-Nujaba", "3"),
    ("Unidentified Armed Group (Syria)", "3"),
    ("Military Forces of the United States (2021-)", "8"),
]
PUBLISHERS = ["Al Mayadeen", "Sabereen News", "Reuters", "Rudaw", "SOHR", "SANA"]
NOTES = [
    "rockets were fired at the base",
    "a drone targeted the base",
    "mortar shells landed near the base",
    "هجوم بطائرة مسيّرة على القاعدة",
    "قصف بالصواريخ",
]


def write_file(path: Path, rows: int, seed: int) -> None:
    """A seeded ACLED file of ``rows`` rows (UTF-8 with BOM, ACLED's order)."""
    rng = random.Random(seed)
    first = datetime.date(2023, 10, 17)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(rows):
            place, lat, lon, iso, admin1 = rng.choice(PLACES)
            day = first + datetime.timedelta(days=rng.randrange(800))
            disorder, event_type, sub = rng.choice(SUB_EVENTS)
            actor1, inter1 = rng.choice(ACTORS[:4])
            assoc = "; ".join(a for a, _ in rng.sample(ACTORS[:3], rng.randrange(3)))
            date = day.isoformat() if n % 2 else f"{day.day} {day:%B %Y}"
            sources = "; ".join(rng.sample(PUBLISHERS, rng.randrange(1, 3)))
            writer.writerow(
                [
                    f"BENCH{n:07d}",
                    date,
                    day.year,
                    rng.choice("1112"),
                    disorder,
                    event_type,
                    sub,
                    actor1,
                    assoc,
                    inter1,
                    ACTORS[4][0],
                    "",
                    "8",
                    f"{inter1}8",
                    "",
                    iso,
                    "Middle East",
                    "Syria" if iso == "760" else "Iraq",
                    admin1,
                    "",
                    "",
                    place,
                    f"{lat + rng.gauss(0, 0.02):.4f}",
                    f"{lon + rng.gauss(0, 0.02):.4f}",
                    rng.choice("112"),
                    sources,
                    "National",
                    f"On {day.isoformat()}, {rng.choice(NOTES)} ({n}).",
                    rng.choice("0000013"),
                    "",
                    1_700_000_000 + n,
                ]
            )


def configure(database: Path) -> None:
    """Point Django at the throwaway database; must run before ``django.setup()``."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "localhost"
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    from incidents.services import reference_data_load

    call_command("migrate", verbosity=0)
    reference_data_load()


def run_variant(variant: str, file: Path, orm_rows: int) -> dict:
    """One variant in this (child) process; returns its measurements."""
    if variant == "csv":
        started = time.perf_counter()
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle)) - 1
        return {"rows": rows, "seconds": time.perf_counter() - started}
    configure(file.parent / f"{variant}.sqlite3")
    from incidents.ingest.acled import import_acled

    if variant == "orm":
        return _orm_one_by_one(file, orm_rows)
    if variant == "reimport":
        import_acled(file)
    if variant == "traced":
        tracemalloc.start()
    started = time.perf_counter()
    report = import_acled(file, dry_run=variant == "dry", take_all=variant == "all")
    seconds = time.perf_counter() - started
    result = {
        "rows": report.rows,
        "seconds": seconds,
        "created": report.created,
        "unchanged": report.unchanged,
        "skipped": len(getattr(report, "skipped", ())),
        "ok": report.ok,
    }
    if variant == "traced":
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


def _orm_one_by_one(file: Path, limit: int) -> dict:
    """The straightforward way: one ``create`` per row and per related row."""
    from django.db import transaction

    from incidents.ingest.acled.columns import HeaderMap, parse_row
    from incidents.models import Actor, Citation, Incident, Involvement, Site, Source

    actor = Actor.objects.create(slug="bench-actor", name="Bench", kind="armed_group")
    source = Source.objects.create(publisher="Bench", title="ACLED: Bench")
    site = Site.objects.get(slug="al-omar")
    started = time.perf_counter()
    with file.open(encoding="utf-8-sig", newline="") as handle, transaction.atomic():
        reader = csv.reader(handle)
        header = HeaderMap(next(reader))
        for n, values in enumerate(reader):
            if n == limit:
                break
            row = parse_row(values, n + 2, header)
            incident = Incident.objects.create(
                occurred_on=row.occurred_on,
                event_type="attack",
                weapon="rocket",
                latitude=row.latitude,
                longitude=row.longitude,
                summary=row.cells["notes"],
                killed=row.fatalities,
                external_id=row.event_id,
                external_timestamp=row.timestamp,
                external_data={"acled": row.cells},
                status="review",
            )
            incident.sites.add(site)
            Involvement.objects.create(incident=incident, actor=actor, role="target")
            Citation.objects.create(incident=incident, source=source)
    return {"rows": limit, "seconds": time.perf_counter() - started}


VARIANTS = [
    ("import", "import_acled"),
    ("all", "import_acled --all (take_all)"),
    ("reimport", "re-import (all unchanged)"),
    ("dry", "import_acled dry run"),
    ("traced", "import_acled under tracemalloc"),
    ("csv", "(a) csv.reader alone (floor)"),
    ("orm", "(b) ORM create() one by one"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orm-rows", type=int, default=5_000)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:  # a child: one variant, JSON out
        result = run_variant(args.variant, Path(args.file), args.orm_rows)
        result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="acled-bench-") as tmp:
        file = Path(tmp) / "acled.csv"
        write_file(file, args.rows, args.seed)
        size_mb = file.stat().st_size / 2**20
        print(
            f"{args.rows:,} rows, {size_mb:.1f} MB, seed {args.seed}; "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}\n"
        )
        print(
            "| variant | rows | skipped | seconds | rows/s | peak RSS MB "
            "| tracemalloc MB |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for variant, label in VARIANTS:
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--variant",
                    variant,
                    "--file",
                    str(file),
                    "--orm-rows",
                    str(args.orm_rows),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            if child.returncode:
                sys.exit(f"{label} failed:\n{child.stderr}")
            result = json.loads(child.stdout.strip().splitlines()[-1])
            traced = result.get("traced_peak_mb")
            print(
                f"| {label} | {result['rows']:,} | {result.get('skipped', '')} | "
                f"{result['seconds']:.2f} | "
                f"{result['rows'] / result['seconds']:,.0f} | "
                f"{result['rss_mb']:.0f} | "
                f"{'' if traced is None else f'{traced:.0f}'} |"
            )


if __name__ == "__main__":
    main()
