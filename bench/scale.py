"""Benchmark: the API at a million incidents, on SQLite and PostgreSQL (issue 8).

Run from the project root: ``.venv/bin/python bench/scale.py [--count 1000000]
[--repeat 7] [--export-repeat 3] [--seed 1] [--db PATH] [--postgres URL [--keep]]``.
See ``bench/README.md`` for recorded results.

It builds a throwaway SQLite database in a temporary directory (migrate, the
reference data, ``--count`` synthetic incidents through ``generate_synthetic``, then
``ANALYZE`` through ``services.database_refresh_statistics``, as
``generate_incidents`` does). ``--db PATH`` keeps it at PATH, or reuses PATH if it
already holds incidents (whatever their number: the table says how many).
``--postgres URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/basewatch_scale``)
does the same on that PostgreSQL database (created if missing, reused if it holds
incidents, dropped at the end unless ``--keep``) and prints both side by side.

Timed through the real API (Django's test ``Client``, production-like settings,
DEBUG off), each against a reference measured in the same run, round-robin, median
of ``--repeat``:

1. **list**: ``GET /api/v1/incidents/?bbox=<box>&date_from=…&date_to=…&page_size=5000``
   (a box around al-Omar and Deir ez-Zor and 30 days); reference: the same page,
   count and related rows through the DB-API driver and one ``orjson.dumps``
   (``_common.floor_page``, as in ``api.py``);
2. **clusters** ``?zoom=5&bbox=<Syria and Iraq>`` and 3. **timeline**
   ``?interval=week`` over everything, *cold*: Django's cache is cleared before each
   timed request (untimed), so the body is computed; reference: the SQL statements
   that request ran, replayed through Django's raw cursor (the database's share);
   for clusters, grouping the incidents themselves (``clusters.grid.incident_clusters``,
   what the endpoint did before the rollup, called without HTTP; same answer,
   asserted). Also *warm* (the body from the cache) and *304* (``If-None-Match``
   with the ETag), with no reference; 2b. **clusters** ``?zoom=8&bbox=<the list's
   box>``, whose edges cut cells full of incidents, cold, against the same;
4. **export** ``GET /api/v1/incidents/export/?format=csv``, ``streaming_content``
   consumed, in a child process each run (``--export-repeat``): rows/s, the
   process's RSS before the request and its peak (``VmHWM``) after; reference: the
   incident table's own columns for the same rows through a server-side cursor
   (``chunked_cursor``) into ``csv.writer``, no related rows, also in a child.
   Each round starts with no kept export file (``incidents/api/export_files.py``),
   so *ours* computes it and leaves the file; *kept* is the same request again in
   a fresh process, answered from that file.

Only what the goals name is judged: list < 50 ms, clusters < 150 ms, timeline
< 200 ms (cold medians), export > 100,000 rows/s with peak RSS < 300 MB.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import _common  # noqa: E402
from scale_export import child_export  # noqa: E402
from scale_report import HEAD, LABELS, ROWS, cells, describe  # noqa: E402

# 1. A box around al-Omar, al-Mayadin and Deir ez-Zor and 30 days of June 2024:
# 3,561 published incidents at N = 1,000,000 (seed 1), all on the one page.
LIST_BBOX = (40.3, 34.9, 40.8, 35.3)
LIST_DATES = ("2024-06-01", "2024-06-30")
LIST_PAGE = 5000
LIST_URL = (
    f"/api/v1/incidents/?bbox={','.join(f'{v:g}' for v in LIST_BBOX)}"
    f"&date_from={LIST_DATES[0]}&date_to={LIST_DATES[1]}&page_size={LIST_PAGE}"
)
LIST_WHERE = _common.BOX_WHERE + " AND occurred_on >= ? AND occurred_on <= ?"
LIST_PARAMS = (LIST_BBOX[0], LIST_BBOX[2], LIST_BBOX[1], LIST_BBOX[3], *LIST_DATES)
# 2. Syria and Iraq, as in api.py.
REGION = "35.5,29,48.8,37.4"
CLUSTERS_URL = f"/api/v1/incidents/clusters/?zoom=5&bbox={REGION}"
# 2b. The list's box at zoom 8: its edges cut base cells full of incidents, which
# the rollup path counts from the incidents.
CUT_URL = (
    f"/api/v1/incidents/clusters/?zoom=8&bbox={','.join(f'{v:g}' for v in LIST_BBOX)}"
)
# 3.
TIMELINE_URL = "/api/v1/stats/timeline/?interval=week"
# 4.


def _comparable(body: dict) -> tuple:
    """A clusters answer with means to 4 decimals (sums added in another order)."""
    features = [
        (f["properties"], [round(v, 4) for v in f["geometry"]["coordinates"]])
        for f in body["features"]
    ]
    return {k: v for k, v in body.items() if k != "features"}, features


# --- children ----------------------------------------------------------------------


def child_build(url: str, count: int, seed: int) -> dict:
    """Migrate, reference data and synthetic incidents, unless already there."""
    _common.configure(url)
    from django.core.management import call_command
    from django.db import connection

    from incidents.models import Incident
    from incidents.services import database_refresh_statistics, reference_data_load
    from incidents.synthetic import generate_synthetic

    call_command("migrate", verbosity=0)
    if Incident.objects.exists():
        return {"reused": True, "incidents": Incident.objects.count()}
    reference_data_load()
    result = generate_synthetic(count=count, seed=seed)
    started = time.perf_counter()
    database_refresh_statistics()
    analyze_s = time.perf_counter() - started
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "reused": False,
        "incidents": Incident.objects.count(),
        "seconds": result.seconds,
        "per_second": result.incidents_per_second,
        "analyze_s": analyze_s,
    }


def child_measure(url: str, repeat: int) -> dict:
    """Items 1 to 3: every variant round-robin, ``repeat`` times; ms each."""
    _common.configure(url)
    import orjson
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from incidents.models import Incident

    client = Client()

    def get(path: str, **headers):
        response = client.get(path, HTTP_HOST="localhost", **headers)
        assert response.status_code in (200, 304), (path, response.content[:300])
        return response

    if connection.vendor == "sqlite":
        import sqlite3

        floor_db = sqlite3.connect(connection.settings_dict["NAME"])
    else:
        floor_db = _common.QmarkPsycopg(url)

    def replay(statements):
        def run():
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()

        return run

    def grouped(zoom: int, box):
        """The clusters grouped from the incidents, as before the rollup."""
        from incidents.clusters.grid import incident_clusters

        if isinstance(box, str):
            box = tuple(float(v) for v in box.split(","))
        queryset = Incident.objects.published()
        return lambda: orjson.loads(
            orjson.dumps(incident_clusters(queryset=queryset, zoom=zoom, bbox=box))
        )

    def captured(path: str) -> list[str]:
        """The SQL a cold request runs, as executed (parameters in place)."""
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            get(path)
        return [q["sql"] for q in queries.captured_queries]

    # Warm-up, checks and what each request returns.
    page = orjson.loads(get(LIST_URL).content)
    floor = orjson.loads(
        _common.floor_page(
            floor_db, LIST_PARAMS, LIST_PAGE, where=LIST_WHERE, with_count=True
        )
    )
    ours_ids = [f["id"] for f in page["features"]]
    assert ours_ids == [f["id"] for f in floor["features"]], "floor differs"
    assert page["count"] == floor["count"] == len(ours_ids), "page not complete"
    timeline_sql = captured(TIMELINE_URL)
    clusters_sql = captured(CLUSTERS_URL)
    clusters = orjson.loads(get(CLUSTERS_URL).content)
    cut = orjson.loads(get(CUT_URL).content)
    assert _comparable(clusters) == _comparable(grouped(5, REGION)()), "clusters"
    assert _comparable(cut) == _comparable(grouped(8, LIST_BBOX)()), "cut clusters"
    timeline = orjson.loads(get(TIMELINE_URL).content)
    etags = {
        "clusters": get(CLUSTERS_URL)["ETag"],
        "timeline": get(TIMELINE_URL)["ETag"],
    }
    assert get(CLUSTERS_URL, HTTP_IF_NONE_MATCH=etags["clusters"]).status_code == 304
    replay(clusters_sql)()
    replay(timeline_sql)()

    def conditional(path, etag):
        return lambda: get(path, HTTP_IF_NONE_MATCH=etag)

    variants = {
        "list": (lambda: get(LIST_URL), None),
        "list_ref": (
            lambda: _common.floor_page(
                floor_db, LIST_PARAMS, LIST_PAGE, where=LIST_WHERE, with_count=True
            ),
            None,
        ),
        "clusters_cold": (lambda: get(CLUSTERS_URL), cache.clear),
        "clusters_warm": (lambda: get(CLUSTERS_URL), None),
        "clusters_304": (conditional(CLUSTERS_URL, etags["clusters"]), None),
        "clusters_cold_ref": (grouped(5, REGION), None),
        "clusters_cut_cold": (lambda: get(CUT_URL), cache.clear),
        "clusters_cut_cold_ref": (grouped(8, LIST_BBOX), None),
        "timeline_cold": (lambda: get(TIMELINE_URL), cache.clear),
        "timeline_warm": (lambda: get(TIMELINE_URL), None),
        "timeline_304": (conditional(TIMELINE_URL, etags["timeline"]), None),
        "timeline_cold_ref": (replay(timeline_sql), None),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, (run, prepare) in variants.items():
            times[name].append(_common.timed(run, prepare))
    floor_db.close()
    return {
        "times": times,
        "list_count": len(ours_ids),
        "clusters": {
            "features": len(clusters["features"]),
            "count": clusters["count"],
            "statements": len(clusters_sql),
        },
        "cut": {"features": len(cut["features"]), "count": cut["count"]},
        "timeline_points": len(timeline["results"]),
        "timeline_statements": len(timeline_sql),
        "published": Incident.objects.published().count(),
        "incidents": Incident.objects.count(),
    }


def run_child(*args: str) -> dict:
    return _common.run_child(__file__, *args)


# --- the parent --------------------------------------------------------------------


def run_backend(label: str, url: str, args) -> dict:
    load = os.getloadavg()[0]
    print(f"{label}: building or reusing {url} …", file=sys.stderr)
    built = run_child(
        "--build", url, "--count", str(args.count), "--seed", str(args.seed)
    )
    print(f"{label}: {built}", file=sys.stderr)
    print(f"{label}: timing items 1-3 ({args.repeat} runs) …", file=sys.stderr)
    measured = run_child("--measure", url, "--repeat", str(args.repeat))
    exports = {"ours": [], "kept": [], "ref": []}
    with tempfile.TemporaryDirectory(prefix="basewatch-scale-exports-") as kept:
        os.environ["BASEWATCH_EXPORT_CACHE_DIR"] = kept
        for _ in range(args.export_repeat):
            for path in Path(kept).iterdir():  # "ours" computes the export
                path.unlink()
            for variant in exports:  # "kept" then finds the file "ours" left
                print(f"{label}: export {variant} …", file=sys.stderr)
                result = run_child("--export", url, "--variant", variant)
                exports[variant].append(result)
        del os.environ["BASEWATCH_EXPORT_CACHE_DIR"]
    assert not any(r["from_file"] for r in exports["ours"]), "ours was not cold"
    assert all(r["from_file"] for r in exports["kept"]), "kept was computed"
    return {
        "built": built,
        "measured": measured,
        "exports": exports,
        "load_before": load,
        "load_after": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--export-repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", metavar="PATH", help="SQLite file to keep or reuse")
    parser.add_argument("--postgres", metavar="URL", help="also on this database")
    parser.add_argument("--keep", action="store_true", help="keep the PG database")
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--export", help=argparse.SUPPRESS)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(child_build(args.build, args.count, args.seed)))
        return
    if args.measure:
        print(json.dumps(child_measure(args.measure, args.repeat)))
        return
    if args.export:
        print(json.dumps(child_export(args.export, args.variant)))
        return

    import sqlite3

    load_start = os.getloadavg()
    results: dict[str, dict] = {}
    versions = [f"SQLite {sqlite3.sqlite_version}"]
    with tempfile.TemporaryDirectory(prefix="basewatch-scale-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "scale.sqlite3"
        results["SQLite"] = run_backend("SQLite", f"sqlite:///{path.resolve()}", args)
    if args.postgres:
        url, _created, version = _common.postgres_prepare(args.postgres)
        versions.append(f"PostgreSQL {version}")
        try:
            results["PostgreSQL"] = run_backend("PostgreSQL", url, args)
        finally:
            if not args.keep:
                _common.postgres_drop(url)
    load_end = os.getloadavg()

    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    print(
        f"machine: {os.cpu_count()} CPUs ({model}); Python "
        f"{platform.python_version()}; {', '.join(versions)}; load average "
        f"(1/5/15 min) {'/'.join(f'{v:.2f}' for v in load_start)} before, "
        f"{'/'.join(f'{v:.2f}' for v in load_end)} after"
    )
    for label, result in results.items():
        print(describe(label, result))
    print(
        f"\nms unless stated; median of {args.repeat} round-robin runs (export: "
        f"{args.export_repeat} runs, each a fresh process)\n"
    )
    tables = {label: cells(result) for label, result in results.items()}
    keys = [key for key, _l, _r in ROWS] + [
        "export_rate",
        "export_kept",
        "export_memory",
        "export_cpu",
    ]
    names = list(tables)
    head = ["request", "reference is"]
    for name in names:
        head += [f"{h} ({name})" if len(names) > 1 else h for h in HEAD]
    if len(names) > 1:  # side by side: one goal column, then each backend's numbers
        head = ["request", "reference is", "goal"]
        for name in names:
            head += [f"{name} {h}" for h in HEAD[1:]]
    print("| " + " | ".join(head) + " |")
    print("| " + " | ".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + " |")
    for key in keys:
        label, ref = LABELS[key]
        row = [label, ref]
        if len(names) > 1:
            row.append(tables[names[0]][key][0])
            for name in names:
                row += tables[name][key][1:]
        else:
            row += tables[names[0]][key]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
