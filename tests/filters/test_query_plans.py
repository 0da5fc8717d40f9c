"""Query plans of the common reader queries: no full scan of the incident table.

Each case sends a real request through the test client (the list's page and its
``COUNT(*)``, the clusters, the weekly timeline), records every SQL statement the
API runs with its parameters, and asks the database how it would run each one that
reads ``incidents_incident``. So the test follows the code: a change to a selector
that makes a filter unindexable fails here, whatever the change was.

- SQLite: ``EXPLAIN QUERY PLAN``; no ``SCAN incidents_incident`` line unless it
  reads an index (``USING INDEX`` / ``USING COVERING INDEX``); ``SEARCH`` lines are
  fine. ``ANALYZE`` runs after the rows are made, so the planner has statistics,
  as it has in production (``generate_incidents`` and imports run it).
- PostgreSQL: ``EXPLAIN (FORMAT JSON)``; no ``Seq Scan`` on ``incidents_incident``.
  With a table of a few hundred rows the planner rightly prefers reading it
  whole, so the EXPLAIN runs with ``SET LOCAL enable_seqscan = off`` in its own
  transaction: the question asked is "can an index serve this query", which is the
  property, not "would the planner pick it for 300 rows".

The same goes for the link tables the site and actor filters read
(``incidents_incident_sites``, ``incidents_involvement``).

"No full scan" alone would be weak: every reader query says ``status =
'published'``, and an index on status alone "serves" it while reading nine rows in
ten. So a case may also name ``served_by``: columns of which at least one must be
in the condition of an index search on the incident table (SQLite: the ``(...)``
of a ``SEARCH`` line; PostgreSQL: an ``Index Cond`` or ``Recheck Cond``). The
timings on 200,000 incidents are in bench/README.md, "Indexes (issue 8)".
"""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from incidents.models import Incident, Involvement

pytestmark = pytest.mark.django_db

TABLE = "incidents_incident"
ROLLUP = "incidents_clustercell"  # what clusters by box and dates read instead
LINK_TABLES = ("incidents_incident_sites", "incidents_involvement")
BBOX = "40.0,34.0,42.0,36.0"
SMALL_BBOX = "41.3,35.0,41.8,35.5"
CUT_BBOX = "40.55,35.1,40.75,35.3"  # its edges cut cells around "omar"

# name: (url, params, served_by[, table served_by is about])
CASES = {
    "list, bbox + date range": (
        "/api/v1/incidents/",
        {"bbox": BBOX, "date_from": "2024-01-01", "date_to": "2024-03-31"},
        {"occurred_on", "longitude", "latitude"},
    ),
    "list, site": ("/api/v1/incidents/", {"site": "omar"}, None),
    "list, actor": ("/api/v1/incidents/", {"actor": "umbrella"}, None),
    "list, date range": (
        "/api/v1/incidents/",
        {"date_from": "2024-01-01", "date_to": "2024-01-31"},
        {"occurred_on"},
    ),
    "list, everything (newest first)": ("/api/v1/incidents/", {}, None),
    "clusters, bbox at zoom 5": (
        "/api/v1/incidents/clusters/",
        {"zoom": "5", "bbox": BBOX},
        None,
    ),
    "clusters, small bbox at zoom 11": (
        "/api/v1/incidents/clusters/",
        {"zoom": "11", "bbox": SMALL_BBOX},
        {"longitude"},
    ),
    "clusters, 30-day window": (
        "/api/v1/incidents/clusters/",
        {"zoom": "5", "date_from": "2024-01-01", "date_to": "2024-01-30"},
        {"day"},
        ROLLUP,
    ),
    "clusters, a weapon and a 30-day window": (
        "/api/v1/incidents/clusters/",
        {
            "zoom": "5",
            "weapon": "rocket",
            "date_from": "2024-01-01",
            "date_to": "2024-01-30",
        },
        {"occurred_on"},
    ),
    "clusters, small bbox at zoom 10 (cut cells)": (
        "/api/v1/incidents/clusters/",
        {"zoom": "10", "bbox": CUT_BBOX},
        {"longitude"},
    ),
    "timeline per week": ("/api/v1/stats/timeline/", {"interval": "week"}, None),
    "timeline per week, date range": (
        "/api/v1/stats/timeline/",
        {"interval": "week", "date_from": "2024-01-01", "date_to": "2024-03-31"},
        {"occurred_on"},
    ),
}


@pytest.fixture
def spread(make):
    """A few hundred incidents spread like the real ones: over two years, around
    several sites, one in ten unpublished, a few without a point; then ANALYZE."""
    sites = [
        make.site(slug=slug, latitude=lat, longitude=lon)
        for slug, lat, lon in (
            ("omar", 35.15, 40.58),
            ("tanf", 33.50, 38.62),
            ("asad", 33.80, 42.44),
            ("harir", 36.52, 44.25),
            ("kharab", 36.87, 41.50),
        )
    ]
    umbrella = make.actor(slug="umbrella")
    members = [make.actor(slug=f"member-{i}", parent=umbrella) for i in range(3)]
    others = [make.actor(slug=f"other-{i}") for i in range(3)]
    statuses = ["draft", "review", "retracted"]
    start = datetime.date(2023, 10, 17)
    for i in range(400):
        site = sites[i % len(sites)]
        placed = i % 37 != 0
        actor = (members + others)[(i * 7) % 6]
        make.incident(
            sites=[site],
            occurred_on=start + datetime.timedelta(days=(i * 53) % 800),
            status=statuses[i % 3] if i % 10 == 0 else Incident.Status.PUBLISHED,
            latitude=site.latitude + (i % 11 - 5) * 0.02 if placed else None,
            longitude=site.longitude + (i % 13 - 6) * 0.02 if placed else None,
            involvements=[(actor, Involvement.Role.CLAIMED_BY)],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def captured(client, url: str, params: dict) -> list[tuple[str, object]]:
    """(sql, params) of every statement the request runs that reads the incident
    table, as the database received them."""
    statements = []

    def record(execute, sql, sql_params, many, context):
        statements.append((sql, sql_params))
        return execute(sql, sql_params, many, context)

    cache.clear()  # clusters and stats are cached; ask the database every time
    with connection.execute_wrapper(record):
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    reads = re.compile(rf'"({TABLE}|{ROLLUP})"(?!_)')
    return [(sql, p) for sql, p in statements if reads.search(sql)]


def sqlite_plan(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[3] for row in cursor.fetchall()]


def sqlite_problems(plan: list[str], served_by, table_served=TABLE) -> list[str]:
    problems = []
    for table in (TABLE, *LINK_TABLES):
        for line in plan:
            if re.match(rf"SCAN {table}\b(?!_)", line) and "INDEX" not in line:
                problems.append(f"full scan of {table}: {line}")
    if served_by:
        searched = " ".join(
            line[line.index("(") :]
            for line in plan
            if re.match(rf"SEARCH {table_served}\b(?!_).*INDEX", line) and "(" in line
        )
        # A lookup by primary key (the few rows an earlier query named, such as a
        # cluster of one's incident) reads only those rows.
        by_key = any(
            re.match(rf"SEARCH {table_served}\b(?!_) USING INTEGER PRIMARY KEY", line)
            for line in plan
        )
        if not by_key and not any(
            re.search(rf"\b{col}\b", searched) for col in served_by
        ):
            problems.append(f"no index search on {sorted(served_by)} of {table_served}")
    return problems


def postgres_plan(sql: str, params) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    return plan if isinstance(plan, list) else json.loads(plan)


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def postgres_problems(
    plan: list, served_by, served_indexes: set, table_served=TABLE
) -> list[str]:
    problems = []
    conditions = []
    for node in _nodes(plan[0]["Plan"]):
        relation = node.get("Relation Name")
        if node["Node Type"] == "Seq Scan" and relation in (TABLE, *LINK_TABLES):
            problems.append(f"Seq Scan on {relation}")
        on_served = relation == table_served or node.get("Index Name") in served_indexes
        if on_served:
            conditions += [node.get("Index Cond", ""), node.get("Recheck Cond", "")]
    if served_by and not any(
        re.search(rf"\b{col}\b", cond)
        for cond in conditions
        for col in (*served_by, "id")  # id: a lookup by primary key, as above
    ):
        problems.append(f"no index condition on {sorted(served_by)} of {table_served}")
    return problems


@pytest.mark.parametrize("name", list(CASES))
def test_common_query_reads_no_whole_incident_table(client, spread, name):
    url, params, served_by, *rest = CASES[name]
    table = rest[0] if rest else TABLE
    statements = captured(client, url, params)
    assert statements, f"{name}: no query read {TABLE} or {ROLLUP}"
    if served_by:
        statements = [(sql, p) for sql, p in statements if f'"{table}"' in sql]
        assert statements, f"{name}: no query read {table}"
    postgres = connection.vendor == "postgresql"
    assert postgres or connection.vendor == "sqlite", connection.vendor
    if postgres:
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        served_indexes = {n for n, c in constraints.items() if c["index"]}
    failures = []
    for sql, sql_params in statements:
        if postgres:
            plan = postgres_plan(sql, sql_params)
            problems = postgres_problems(plan, served_by, served_indexes, table)
            shown = json.dumps(plan, indent=1)
        else:
            plan = sqlite_plan(sql, sql_params)
            problems = sqlite_problems(plan, served_by, table)
            shown = "\n".join(plan)
        if problems:
            failures.append(f"{'; '.join(problems)}\nSQL: {sql}\nplan:\n{shown}")
    assert not failures, f"{name} ({connection.vendor}):\n\n" + "\n\n".join(failures)


def test_the_checks_catch_a_full_scan():
    """The plan readers themselves: a full scan and an index search on status
    alone are caught, a ranged index search passes."""
    assert sqlite_problems([f"SCAN {TABLE}"], None)
    assert not sqlite_problems([f"SCAN {TABLE} USING COVERING INDEX x"], None)
    assert sqlite_problems(
        [f"SEARCH {TABLE} USING INDEX by_status (status=?)"], {"occurred_on"}
    )
    assert not sqlite_problems(
        [f"SEARCH {TABLE} USING INDEX d (status=? AND occurred_on>?)"], {"occurred_on"}
    )
    assert not sqlite_problems(
        [f"SEARCH {TABLE} USING INTEGER PRIMARY KEY (rowid=?)"], {"longitude"}
    )
    seq = [{"Plan": {"Node Type": "Seq Scan", "Relation Name": TABLE}}]
    assert postgres_problems(seq, None, set())
    ranged = [
        {
            "Plan": {
                "Node Type": "Bitmap Heap Scan",
                "Relation Name": TABLE,
                "Plans": [
                    {
                        "Node Type": "Bitmap Index Scan",
                        "Index Name": "d",
                        "Index Cond": "((status = 'published') AND (occurred_on >= x))",
                    }
                ],
            }
        }
    ]
    assert not postgres_problems(ranged, {"occurred_on"}, {"d"})
    assert postgres_problems(ranged, {"longitude"}, {"d"})
