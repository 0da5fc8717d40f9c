"""Benchmark: one big GeoJSON page of incidents, against its floor and the usual way.

Run from the project root: ``.venv/bin/python bench/api.py [--count 100000]
[--repeat 7] [--profile]``. See ``bench/README.md`` for recorded results.

It builds its own throwaway SQLite database in a temporary directory (migrate, the
reference data, then ``--count`` synthetic incidents from ``incidents.synthetic``),
so it never touches ``db.sqlite3``. Then it times, on the same data and in the same
run, three ways of answering ``bbox=35.5,29.0,48.8,37.4&page_size=10000`` (Syria and
Iraq, newest first):

- **ours**: ``GET /api/v1/incidents/?…`` through Django's test ``Client``, so the
  middleware, DRF's view machinery, parameter parsing, the count for pagination and
  the fast path in ``incidents/exports/features.py`` are all in the time;
- **(a) floor**: the stdlib ``sqlite3`` module selecting the same page (same filter,
  same order, ``LIMIT 10000``, same columns), the same related rows (sites,
  involvements with actors, citations with sources) for those ids, building the same
  features as plain dicts and one ``orjson.dumps``: what the answer costs without
  Django. ``(a)+count`` adds the ``COUNT(*)`` that ours needs for ``count``/``next``;
- **(b) DRF**: a straightforward nested ``ModelSerializer`` over a queryset with the
  same filter and order and ``prefetch_related`` as one would normally write it,
  rendered with ``JSONRenderer`` (no HTTP, no count: that only flatters it).

All three must return the same incidents in the same order (asserted). Each variant is
run once to warm up, then ``--repeat`` times, round-robin so that noise from other
processes spreads over all of them; the table shows median and minimum.

``--analyze`` runs SQLite's ``ANALYZE`` first: the planner then picks other plans,
which changes all three variants (see the README).

Settings are production-like (``DJANGO_DEBUG=0``): with DEBUG on, Django formats
every SQL statement with its parameters for ``connection.queries``, which is not
what a deployment pays.
"""

import argparse
import cProfile
import pstats
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import _common  # noqa: E402

BBOX = (35.5, 29.0, 48.8, 37.4)  # minlon, minlat, maxlon, maxlat, as in the URL
# The same box in the order the SQL below binds it.
BOX_PARAMS = (BBOX[0], BBOX[2], BBOX[1], BBOX[3])
PAGE_SIZE = 10_000
URL = "/api/v1/incidents/?bbox={}&page_size={}".format(
    ",".join(f"{v:g}" for v in BBOX), PAGE_SIZE
)


def configure(database: Path) -> None:
    """Point Django at the throwaway database; must run before ``django.setup()``."""
    _common.configure(f"sqlite:///{database}")


def build_database(count: int, seed: int, *, analyze: bool = False) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from incidents.services import reference_data_load
    from incidents.synthetic import generate_synthetic

    call_command("migrate", verbosity=0)
    reference_data_load()
    result = generate_synthetic(count=count, seed=seed)
    with connection.cursor() as cursor:
        # Fold the write-ahead log into the file so its size is the database's.
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if analyze:
            # Statistics for the query planner, as ``PRAGMA optimize`` would gather;
            # nothing in the project runs it, hence off by default.
            cursor.execute("ANALYZE")
    connection.close()
    return {
        "generated": result.incidents,
        "seconds": result.seconds,
        "per_second": result.incidents_per_second,
        "rows": result.rows,
    }


# --- ours -------------------------------------------------------------------------


def ours_run(client) -> bytes:
    response = client.get(URL, HTTP_HOST="localhost")
    assert response.status_code == 200, response.content[:500]
    return response.content


# --- (a) the floor: sqlite3 and orjson, nothing else (``_common.floor_page``) ------

PAGE_SQL = _common.page_sql()
COUNT_SQL = _common.count_sql()
PAGE_COLUMNS = _common.PAGE_COLUMNS


def floor_run(db: sqlite3.Connection, *, with_count: bool) -> bytes:
    return _common.floor_page(db, BOX_PARAMS, PAGE_SIZE, with_count=with_count)


# --- (b) the usual way: a nested ModelSerializer ------------------------------------


def drf_serializer():
    """What one would write first: nested serializers, ``prefetch_related``."""
    from rest_framework import serializers

    from incidents.models import Citation, Incident, Involvement, Site

    class SiteSerializer(serializers.ModelSerializer):
        class Meta:
            model = Site
            fields = ["slug", "name", "name_ar"]

    class InvolvementSerializer(serializers.ModelSerializer):
        slug = serializers.CharField(source="actor.slug")
        name = serializers.CharField(source="actor.name")
        name_ar = serializers.CharField(source="actor.name_ar")

        class Meta:
            model = Involvement
            fields = ["slug", "name", "name_ar", "role", "note"]

    class CitationSerializer(serializers.ModelSerializer):
        id = serializers.IntegerField(source="source.id")
        url = serializers.CharField(source="source.url")
        publisher = serializers.CharField(source="source.publisher")
        title = serializers.CharField(source="source.title")
        language = serializers.CharField(source="source.language")
        published_on = serializers.DateField(source="source.published_on")
        kind = serializers.CharField(source="source.kind")

        class Meta:
            model = Citation
            fields = [
                "id",
                "url",
                "publisher",
                "title",
                "language",
                "published_on",
                "kind",
                "stance",
                "quote",
                "note",
            ]

    class IncidentSerializer(serializers.ModelSerializer):
        confidence = serializers.CharField(read_only=True)
        sites = SiteSerializer(many=True, read_only=True)
        actors = InvolvementSerializer(source="involvements", many=True)
        sources = CitationSerializer(source="citations", many=True)

        class Meta:
            model = Incident
            fields = [*PAGE_COLUMNS, "confidence", "sites", "actors", "sources"]

    return IncidentSerializer


def drf_run(serializer_class) -> bytes:
    from rest_framework.renderers import JSONRenderer

    from incidents.models import Incident
    from incidents.selectors import incidents_in_bbox

    queryset = (
        incidents_in_bbox(Incident.objects.published(), BBOX)
        .order_by("-occurred_on", "-id")
        .prefetch_related("sites", "involvements__actor", "citations__source")
    )[:PAGE_SIZE]
    return JSONRenderer().render(serializer_class(queryset, many=True).data)


# --- running ----------------------------------------------------------------------


def ids_of(payload: bytes) -> list[int]:
    import orjson

    document = orjson.loads(payload)
    if isinstance(document, list):  # (b): a plain list of incidents
        return [item["id"] for item in document]
    return [feature["id"] for feature in document["features"]]


timed = _common.timed
machine = _common.machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="incidents")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs each")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run SQLite's ANALYZE after generating (planner statistics)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print a cProfile of one request of ours (by cumulative time)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="basewatch-bench-") as tmp:
        database = Path(tmp) / "bench.sqlite3"
        configure(database)
        info = machine()
        print(
            f"machine: {info['cpus']} CPUs, {info['cpu']}; Python {info['python']}, "
            f"SQLite {info['sqlite']}, Django {info['django']}"
        )
        built = build_database(args.count, args.seed, analyze=args.analyze)
        size_mb = database.stat().st_size / 1e6
        print(
            f"database: N={built['generated']:,} synthetic incidents "
            f"({built['rows']:,} rows with links, involvements and citations) "
            f"generated in {built['seconds']:.1f} s ({built['per_second']:,.0f} "
            f"incidents/s); file {size_mb:.1f} MB; "
            + ("ANALYZE run" if args.analyze else "no ANALYZE (planner statistics)")
        )

        from django.test import Client

        client = Client()
        floor_db = sqlite3.connect(database)
        plan = floor_db.execute(
            "EXPLAIN QUERY PLAN " + PAGE_SQL, (*BOX_PARAMS, PAGE_SIZE)
        )
        print("page query plan: " + "; ".join(row[-1] for row in plan))
        serializer_class = drf_serializer()
        variants = {
            "ours": lambda: ours_run(client),
            "(a) sqlite3 + orjson": lambda: floor_run(floor_db, with_count=False),
            "(a)+count": lambda: floor_run(floor_db, with_count=True),
            "(b) DRF ModelSerializer": lambda: drf_run(serializer_class),
        }

        # Warm-up, and the check that all return the same incidents in order.
        payloads = {name: run() for name, run in variants.items()}
        orders = {name: ids_of(payload) for name, payload in payloads.items()}
        reference = orders["ours"]
        matched = floor_db.execute(COUNT_SQL, BOX_PARAMS).fetchone()[0]
        assert len(reference) == min(PAGE_SIZE, matched), (len(reference), matched)
        for name, order in orders.items():
            assert len(order) == len(reference), (name, len(order), len(reference))
            assert order == reference, f"{name} returns other incidents or order"
        print(
            f"request: GET {URL}  ->  {len(reference):,} features "
            f"(of {matched:,} matching); payload "
            + ", ".join(
                f"{name.split(' ')[0]} {len(p) / 1e6:.1f} MB"
                for name, p in payloads.items()
            )
        )

        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.repeat):
            for name, run in variants.items():
                times[name].append(timed(run))

        medians = {name: statistics.median(t) for name, t in times.items()}
        print()
        print(f"| variant | median ms | min ms | runs: {args.repeat} |")
        print("| --- | ---: | ---: | --- |")
        ours = medians["ours"]
        for name, t in times.items():
            if name == "ours":
                note = ""
            elif name.startswith("(b)"):
                note = f"(b)/ours = **{medians[name] / ours:.1f}×** (goal ≥ 10×)"
            elif name == "(a)+count":
                note = f"ours/(a)+count = {ours / medians[name]:.2f}×"
            else:
                note = f"ours/(a) = **{ours / medians[name]:.2f}×** (goal ≤ 2×)"
            print(f"| {name} | {medians[name]:.0f} | {min(t):.0f} | {note} |")

        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            ours_run(client)
            profile.disable()
            print()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        floor_db.close()


if __name__ == "__main__":
    main()
