"""Every public URL the URLconf defines, walked as an anonymous reader: none may
show anything of a draft, an incident in review, or a retracted incident's content.

The walk is driven by the URLconf itself, so a new route is covered the day it is
added: a route whose parameters the walker cannot fill fails this test until it is
taught (``VALUES``) or excluded with a reason (``NOT_PUBLIC``).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .test_visibility import HIDDEN, STATUSES, marker, world  # noqa: F401

pytestmark = pytest.mark.django_db

# Route prefixes readers cannot use, and why.
NOT_PUBLIC = {
    "admin/": "staff only: the admin's own login wall (tested in admin/test_editing)",
    "i18n/": "POST-only language switch; shows no data",
}
QUERY_VARIANTS = [
    "",
    "?format=csv",
    "?format=acled",
    "?format=geojson",
    "?q=MARKER",
    "?updated_since=2000-01-01T00:00:00Z",
    "?site=the-base&actor=the-group",
]


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _values(world) -> dict[str, list[str]]:  # noqa: F811
    incident_ids = [str(world[status].pk) for status in STATUSES]
    source_ids = [str(world[f"source_{status}"].pk) for status in STATUSES]
    return {
        "slug": ["the-base", "the-group"],
        "incident_id": incident_ids,
        "source_id": source_ids,
        # Proposed merges are for editors only; a guessed id must say nothing.
        "proposal_id": ["1"],
    }


def _urls(route: str, values: dict[str, list[str]]) -> list[str]:
    route = route.lstrip("^").rstrip("$")
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    unknown = [name for name in names if name not in values]
    assert not unknown, f"teach the walker values for {unknown} in {route!r}"
    urls = ["/" + route]
    for name in names:
        urls = [
            re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
            for url in urls
            for value in values[name]
        ]
    return urls


def test_every_public_url_hides_unpublished_content(client, world):  # noqa: F811
    values = _values(world)
    walked = 0
    for route in _routes(get_resolver().url_patterns):
        if any(route.startswith(prefix) for prefix in NOT_PUBLIC):
            continue
        for url in _urls(route, values):
            for query in QUERY_VARIANTS:
                response = client.get(url + query)
                assert response.status_code < 500, (url + query, response.status_code)
                body = response.getvalue()
                for status in HIDDEN:
                    assert marker(status).encode() not in body, (url + query, status)
                walked += 1
    # The published incident's marker is reachable, so the scan could find text.
    assert marker("published").encode() in client.get("/api/v1/incidents/").content
    assert walked > 100


def test_the_walker_sees_the_routes_that_matter():
    routes = list(_routes(get_resolver().url_patterns))
    assert "" in routes  # the map
    for expected in [
        "sites/<slug:slug>/",
        "incidents/<int:incident_id>/",
        "api/v1/incidents/",
        "api/v1/incidents/export/",
        "api/v1/incidents/<str:incident_id>/",
        "api/v1/stats/timeline/",
    ]:
        assert any(route.endswith(expected) for route in routes), expected
