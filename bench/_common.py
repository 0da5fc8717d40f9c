"""Helpers shared by the API benchmarks (``api.py``, ``scale.py``, ``figures.py``):
Django set up on a throwaway database with production-like settings, the machine's
description, one timed call, a measuring child process, and the floor of a GeoJSON
page of incidents (plain DB-API and orjson).
"""

import gc
import json
import os
import platform
import secrets
import sqlite3
import subprocess
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def configure(database_url: str) -> None:
    """Point Django at the throwaway database; must run before ``django.setup()``."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "localhost"
    # The test client speaks plain HTTP, and one client asks many times: neither
    # the HTTPS redirect nor the anonymous throttle is what this measures.
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["BASEWATCH_ANON_RATE"] = "100000000/minute"
    # No kept export files unless a benchmark says where (scale.py times both).
    os.environ.setdefault("BASEWATCH_EXPORT_CACHE_DIR", "")
    sys.path.insert(0, str(ROOT))
    # WhiteNoise warns that STATIC_ROOT does not exist; the API serves no files.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "django": django.get_version(),
    }


def timed(run, prepare=None) -> float:
    """Milliseconds of one ``run()``; ``prepare()`` (untimed) first, then a GC."""
    if prepare is not None:
        prepare()
    gc.collect()
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


# --- the floor of a page of incidents: DB-API and orjson, nothing else -------------

PAGE_COLUMNS = (
    "id",
    "occurred_on",
    "occurred_at",
    "date_precision",
    "event_type",
    "weapon",
    "latitude",
    "longitude",
    "precision_m",
    "country",
    "admin1",
    "injured",
    "killed",
    "damage",
    "summary",
    "status",
    "external_id",
    "updated_at",
)
BOX_WHERE = "longitude >= ? AND longitude <= ? AND latitude >= ? AND latitude <= ?"
PAGE_SQL = """
SELECT {columns}
FROM incidents_incident
WHERE status = 'published' AND {where}
ORDER BY occurred_on DESC, id DESC
LIMIT ?
"""
COUNT_SQL = """
SELECT COUNT(*) FROM incidents_incident WHERE status = 'published' AND {where}
"""
SITES_SQL = """
SELECT l.incident_id, s.slug, s.name, s.name_ar
FROM incidents_incident_sites l JOIN incidents_site s ON s.id = l.site_id
WHERE l.incident_id IN ({}) ORDER BY l.id
"""
ACTORS_SQL = """
SELECT i.incident_id, a.slug, a.name, a.name_ar, i.role, i.note
FROM incidents_involvement i JOIN incidents_actor a ON a.id = i.actor_id
WHERE i.incident_id IN ({}) ORDER BY i.id
"""
SOURCES_SQL = """
SELECT c.incident_id, s.id, s.url, s.publisher, s.title, s.language, s.published_on,
       s.kind, c.stance, c.quote, c.note
FROM incidents_citation c JOIN incidents_source s ON s.id = c.source_id
WHERE c.incident_id IN ({}) ORDER BY c.id
"""


def page_sql(where: str = BOX_WHERE) -> str:
    return PAGE_SQL.format(columns=", ".join(PAGE_COLUMNS), where=where)


def count_sql(where: str = BOX_WHERE) -> str:
    return COUNT_SQL.format(where=where)


class QmarkPsycopg:
    """A psycopg connection that takes the ``?`` placeholders of the SQL above."""

    def __init__(self, url: str):
        import psycopg

        self.connection = psycopg.connect(
            url.replace("postgres://", "postgresql://", 1), autocommit=True
        )

    def execute(self, sql: str, params=()):
        return self.connection.execute(sql.replace("?", "%s"), params)

    def close(self) -> None:
        self.connection.close()


def floor_page(
    db, params: tuple, page_size: int, *, where: str = BOX_WHERE, with_count: bool
) -> bytes:
    """The same page as ``GET /api/v1/incidents/?…``: ``db`` is a ``sqlite3``
    connection or ``QmarkPsycopg``; ``params`` bind ``where``."""
    import orjson

    from incidents.rules.confidence import derive_confidence

    count = None
    if with_count:
        count = db.execute(count_sql(where), params).fetchone()[0]
    rows = db.execute(page_sql(where), (*params, page_size)).fetchall()
    ids = [row[0] for row in rows]
    marks = ",".join("?" * len(ids)) or "NULL"
    sites, actors, sources = defaultdict(list), defaultdict(list), defaultdict(list)
    for incident_id, slug, name, name_ar in db.execute(SITES_SQL.format(marks), ids):
        sites[incident_id].append({"slug": slug, "name": name, "name_ar": name_ar})
    for incident_id, slug, name, name_ar, role, note in db.execute(
        ACTORS_SQL.format(marks), ids
    ):
        actors[incident_id].append(
            {"slug": slug, "name": name, "name_ar": name_ar, "role": role, "note": note}
        )
    for r in db.execute(SOURCES_SQL.format(marks), ids):
        sources[r[0]].append(
            {
                "id": r[1],
                "url": r[2],
                "publisher": r[3],
                "title": r[4],
                "language": r[5],
                "published_on": r[6],
                "kind": r[7],
                "stance": r[8],
                "quote": r[9],
                "note": r[10],
            }
        )
    features = []
    for row in rows:
        properties = dict(zip(PAGE_COLUMNS, row, strict=True))
        longitude = properties.pop("longitude")
        latitude = properties.pop("latitude")
        incident_id = row[0]
        cited = sources.get(incident_id, [])
        properties["confidence"] = derive_confidence(
            (c["stance"], c["kind"]) for c in cited
        ).value
        properties["sites"] = sites.get(incident_id, [])
        properties["actors"] = actors.get(incident_id, [])
        properties["sources"] = cited
        features.append(
            {
                "type": "Feature",
                "id": incident_id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(longitude, 6), round(latitude, 6)],
                },
                "properties": properties,
            }
        )
    return orjson.dumps(
        {
            "type": "FeatureCollection",
            "count": count,
            "next": None,
            "previous": None,
            "features": features,
        }
    )


def postgres_prepare(url: str) -> tuple[str, bool, str]:
    """Create the database if missing; the URL to use and whether we created it."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "basewatch_scale"
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
        version = admin.execute("SHOW server_version").fetchone()[0]
    return urlunsplit(parts._replace(path=f"/{name}")), not exists, version


def postgres_drop(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(script: str, *args: str) -> dict:
    """Run ``script`` (a benchmark's own file) in a fresh Python with ``args`` and
    return the JSON its last line of output holds; exit with its errors if it fails."""
    child = subprocess.run(
        [sys.executable, script, *args], capture_output=True, text=True, cwd=ROOT
    )
    if child.returncode:
        sys.exit(f"child {args[:2]} failed:\n{child.stderr[-4000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])
