"""Benchmark: the figures page (``/stats/``) with many incidents, against the
aggregates it shows computed alone.

Run from the project root: ``.venv/bin/python bench/figures.py [--count 1000000]
[--repeat 7] [--seed 1] [--db PATH]``. Prints a Markdown table for
``bench/README.md``.

The database is built as ``scale.py`` builds it (its ``child_build``: migrate, the
reference data, ``--count`` synthetic incidents, ``ANALYZE``), in a temporary
directory, or kept at / reused from ``--db PATH``; ``collectstatic`` into the
temporary directory, since pages name their files through its manifest with DEBUG
off. Then, round-robin, median of
``--repeat``, through Django's test ``Client`` with production-like settings:

- **page, cold**: ``GET /stats/`` and ``GET /stats/?weapon=drone&country=SY``,
  Django's cache cleared before each (untimed), so every table is counted;
- **(ref) its aggregates alone**: the six ``stats.aggregates`` calls the page makes
  (summary, per month, weapon, site, actor and role, official totals) over the same
  published incidents, no HTTP, no template: the database's and ``stats``'s share;
- **page, warm**: the same request again, its tables from the cache.

The ratio cold / reference is what the page adds (parsing, links, labels, the
template); warm is what a repeated question costs until the data changes.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import _common  # noqa: E402
from scale import child_build  # noqa: E402

PAGES = {"all": "/stats/", "filtered": "/stats/?weapon=drone&country=SY"}


def child_measure(url: str, repeat: int) -> dict:
    _common.configure(url)
    from django.core.cache import cache
    from django.core.management import call_command
    from django.http import QueryDict
    from django.test import Client

    from incidents import selectors
    from incidents.filters import params as p
    from incidents.filters.query import incident_filters
    from incidents.models import Incident
    from incidents.stats import aggregates as stats

    # DEBUG off: pages name their static files through collectstatic's manifest.
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()

    def get(path: str):
        response = client.get(path, HTTP_HOST="localhost")
        assert response.status_code == 200, (path, response.content[:300])

    def aggregates(path: str):
        query = QueryDict(path.partition("?")[2])
        filters = incident_filters(p.parse_query(query, p.INCIDENT_FILTERS))
        incidents = selectors.incident_filter(
            queryset=Incident.objects.published(), filters=filters
        )
        stats.stats_summary(queryset=incidents)
        stats.stats_timeline(queryset=incidents, interval="month")
        stats.stats_by_weapon(queryset=incidents)
        stats.stats_by_site(queryset=incidents)
        stats.stats_by_actor(queryset=incidents)
        stats.official_totals_with_documented()

    times: dict[str, list[float]] = {}
    for path in PAGES.values():  # warm-up: the database's pages into memory
        get(path)
    for _ in range(repeat):
        for name, path in PAGES.items():
            times.setdefault(f"{name} cold", []).append(
                _common.timed(lambda path=path: get(path), prepare=cache.clear)
            )
            times.setdefault(f"{name} warm", []).append(
                _common.timed(lambda path=path: get(path))
            )
            times.setdefault(f"{name} ref", []).append(
                _common.timed(lambda path=path: aggregates(path))
            )
    return {
        "medians": {key: statistics.median(values) for key, values in times.items()},
        "mins": {key: min(values) for key, values in times.items()},
        "published": Incident.objects.published().count(),
        "machine": _common.machine(),
    }


def run_child(*args: str) -> dict:
    return _common.run_child(__file__, *args)


def report(built: dict, measured: dict, repeat: int) -> None:
    m, low = measured["medians"], measured["mins"]
    print(
        f"{built['incidents']:,} incidents ({measured['published']:,} published), "
        f"{measured['machine']['cpus']} CPUs, {measured['machine']['cpu']}, "
        f"SQLite {measured['machine']['sqlite']}; ms, median (min) of {repeat}; "
        f"load average {os.getloadavg()[0]:.1f} after:\n"
    )
    print("| page | cold | (ref) its aggregates alone | cold / ref | warm |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, path in PAGES.items():
        cold, ref, warm = m[f"{name} cold"], m[f"{name} ref"], m[f"{name} warm"]
        print(
            f"| `{path}` | {cold:,.0f} ({low[f'{name} cold']:,.0f}) "
            f"| {ref:,.0f} ({low[f'{name} ref']:,.0f}) | {cold / ref:.2f}× "
            f"| {warm:,.1f} ({low[f'{name} warm']:,.1f}) |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", metavar="PATH", help="SQLite file to keep or reuse")
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(child_build(args.build, args.count, args.seed)))
        return
    if args.measure:
        print(json.dumps(child_measure(args.measure, args.repeat)))
        return
    with tempfile.TemporaryDirectory(prefix="basewatch-figures-") as scratch:
        os.environ["DJANGO_STATIC_ROOT"] = str(Path(scratch) / "static")
        path = Path(args.db) if args.db else Path(scratch) / "figures.sqlite3"
        url = f"sqlite:///{path.resolve()}"
        print(f"building or reusing {path} …", file=sys.stderr)
        built = run_child(
            "--build", url, "--count", str(args.count), "--seed", str(args.seed)
        )
        print(f"timing ({args.repeat} runs) …", file=sys.stderr)
        measured = run_child("--measure", url, "--repeat", str(args.repeat))
    report(built, measured, args.repeat)


if __name__ == "__main__":
    main()
