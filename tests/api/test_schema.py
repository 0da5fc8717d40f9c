"""The OpenAPI schema is valid and complete, and the docs page works offline."""

import json
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from incidents.filters import params as p

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3")


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_incident_parameter_is_documented_with_an_example(schema):
    operation = schema["paths"]["/api/v1/incidents/"]["get"]
    documented = {param["name"]: param for param in operation["parameters"]}
    expected = {x.name for x in (*p.INCIDENT_FILTERS, *p.PAGINATION, p.ORDERING)}
    assert expected | {"format", "status"} == set(documented)
    for name, param in documented.items():
        assert param["description"], name
        assert param.get("examples"), name
    assert documented["date_from"]["schema"]["format"] == "date"
    assert documented["updated_since"]["schema"]["format"] == "date-time"


def test_every_route_is_in_the_schema(schema):
    paths = set(schema["paths"])
    for route in [
        "/api/v1/incidents/",
        "/api/v1/incidents/{incident_id}/",
        "/api/v1/sites/",
        "/api/v1/sites/{slug}/",
        "/api/v1/actors/",
        "/api/v1/actors/{slug}/",
        "/api/v1/sources/",
        "/api/v1/sources/{source_id}/",
        "/api/v1/stats/timeline/",
        "/api/v1/stats/official-totals/",
    ]:
        assert route in paths, route
    assert {"post"} <= set(schema["paths"]["/api/v1/incidents/"])
    assert {"put", "patch"} <= set(schema["paths"]["/api/v1/incidents/{incident_id}/"])


def test_docs_page_loads_only_local_assets(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the docs page references no assets at all?"
    for url in assets:
        assert url.startswith("/"), f"off-site asset {url}"
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"missing {url}"


@pytest.mark.parametrize(
    ("query", "media_type"),
    [
        ({"format": "json"}, "application/vnd.oai.openapi+json"),
        ({"format": "yaml"}, "application/vnd.oai.openapi"),
        ({}, "application/vnd.oai.openapi"),
    ],
)
def test_the_schema_answers_the_format_it_documents(client, query, media_type):
    response = client.get("/api/v1/schema/", query)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == media_type
    parsed = (
        json.loads(response.content)
        if "json" in media_type
        else yaml.safe_load(response.content)
    )
    assert parsed["openapi"].startswith("3")


def test_the_schema_names_an_unknown_format(client):
    response = client.get("/api/v1/schema/", {"format": "xml"})
    assert response.status_code == 400
    assert b"format" in response.content


def test_public_reads_declare_anonymous_access_and_writes_do_not(schema, client):
    """What the schema says about signing in is what the API does: each GET that
    answers an anonymous reader lists ``{}`` in its security; writes never do."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            anonymous = {} in operation.get("security", [])
            if method != "get":
                assert not anonymous, (method, path)
            elif "{" not in path and "merge-proposals" not in path:
                answer = client.get(path, {"zoom": 5} if "clusters" in path else {})
                assert answer.status_code != 401, path
                assert anonymous, path
    assert {} not in schema["paths"]["/api/v1/merge-proposals/"]["get"]["security"]


def _query_parameters(schema):
    for path, operations in schema["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                yield path, parameter


def test_the_documented_ranges_and_choices_are_the_ones_enforced(schema, client):
    """Each range and enum the schema states holds at its edges: the bound is
    accepted, one past it is a 400 naming the parameter (and so for choices)."""
    checked = 0
    for path, parameter in _query_parameters(schema):
        if "merge-proposals" in path:
            continue  # reviewers only
        name, spec = parameter["name"], parameter["schema"]
        base = {"zoom": 3} if "clusters" in path and name != "zoom" else {}
        if spec.get("type") == "integer" and "maximum" in spec:
            edge = {**base, name: spec["maximum"]}
            past = {**base, name: spec["maximum"] + 1}
            below = {**base, name: spec["minimum"] - 1}
            for bad in (past, below):
                answer = client.get(path, bad)
                assert answer.status_code == 400, (path, bad)
                assert name in answer.json()["errors"], (path, bad)
            # The bound itself is no range error (a page past the last is a 404).
            answer = client.get(path, edge)
            assert answer.status_code in (200, 400, 404), (path, edge)
            if answer.status_code == 400:
                assert name not in answer.json()["errors"], (path, edge)
            checked += 1
        if "enum" in spec:
            for value in spec["enum"]:
                answer = client.get(path, {**base, name: value})
                assert answer.status_code == 200, (path, name, value)
            answer = client.get(path, {**base, name: "not-a-choice"})
            assert answer.status_code == 400, (path, name)
            checked += 1
    assert checked >= 10


def test_zoom_is_documented_as_required_and_is(schema, client):
    (zoom,) = [
        prm
        for path, prm in _query_parameters(schema)
        if path == "/api/v1/incidents/clusters/" and prm["name"] == "zoom"
    ]
    assert zoom["required"] is True
    answer = client.get("/api/v1/incidents/clusters/")
    assert answer.status_code == 400
    assert "zoom" in answer.json()["errors"]
