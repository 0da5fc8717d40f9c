"""A newest-first page of a box with many matches reads the date index on SQLite
(``incidents.clusters.list_pages``), and gives exactly the rows the plain query
gives."""

import datetime

import pytest
from django.db import connection

import incidents.clusters.list_pages as list_pages
from incidents.models import Incident

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"
BOX = {"bbox": "39.0,34.0,42.0,36.0"}


@pytest.fixture
def spread(make):
    for n in range(40):
        make.incident(
            status="published",
            occurred_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 9),
            latitude=34.0 + (n % 7) * 0.4,  # some outside the box
            longitude=39.0 + (n % 5) * 0.9,
        )


def _pages(client, params):
    pages = []
    for page in (1, 2, 3):
        response = client.get(URL, {**BOX, **params, "page_size": 7, "page": page})
        if response.status_code == 404:
            break
        body = response.json()
        pages.append((body["count"], [f["id"] for f in body["features"]]))
    return pages


@pytest.mark.parametrize(
    "params", [{}, {"ordering": "occurred_on"}, {"ordering": "-updated_at"}]
)
def test_the_date_walk_gives_the_same_pages(client, spread, monkeypatch, params):
    plain = _pages(client, params)
    monkeypatch.setattr(list_pages, "MANY_MATCHES", 0)
    walked = _pages(client, params)
    assert walked == plain
    assert plain and plain[0][0] == sum(
        1
        for i in Incident.objects.all()
        if 39.0 <= i.longitude <= 42.0 and 34.0 <= i.latitude <= 36.0
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite planner choice")
def test_with_many_matches_the_page_reads_the_date_index(spread, monkeypatch):
    from incidents.selectors import IncidentFilters, incident_list

    monkeypatch.setattr(list_pages, "MANY_MATCHES", 0)
    filters = IncidentFilters(bbox=(39.0, 34.0, 42.0, 36.0))
    queryset = list_pages.page_queryset(
        lambda wanted: incident_list(user=None, filters=wanted),
        filters=filters,
        count=40,
        ordering=["-occurred_on", "-id"],
    )
    sql, params = queryset[:7].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "incident_status_date_cover" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort: the index gives the order
