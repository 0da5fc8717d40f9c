"""``GET /api/v1/incidents/?format=acled``: the filtered set as ACLED-style CSV,
streamed, published only, and readable by the ACLED importer."""

import csv
import io
import json

import pytest
from django.urls import reverse

from incidents.ingest.acled import ACLED_COLUMNS, import_acled
from incidents.models import Incident

pytestmark = pytest.mark.django_db

URL = reverse("api:incident-list")


def _rows(response) -> list[dict]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_every_published_incident_streams_as_acled(client, reference_data, make):
    make.incident(status=Incident.Status.DRAFT, external_id="SECRET-DRAFT")
    response = client.get(URL, {"format": "acled"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "incidents-acled.csv" in response["Content-Disposition"]
    rows = _rows(response)
    assert list(rows[0]) == list(ACLED_COLUMNS)
    ids = {row["event_id_cnty"] for row in rows}
    assert len(rows) == Incident.objects.published().count() == 130
    assert "SECRET-DRAFT" not in ids
    assert "BW-REF-001" in ids


def test_filters_apply_to_the_export(client, reference_data):
    geojson = client.get(URL, {"weapon": "drone", "page_size": 1000}).json()
    rows = _rows(client.get(URL, {"weapon": "drone", "format": "acled"}))
    assert len(rows) == geojson["count"] > 0
    expected = {f["properties"]["external_id"] for f in geojson["features"]}
    assert {row["event_id_cnty"] for row in rows} == expected


def test_pages_do_not_apply(client, reference_data):
    response = client.get(URL, {"format": "acled", "page": "2"})
    assert response.status_code == 400
    assert "pages do not apply" in response.json()["errors"]["page"]


def test_the_export_reads_back_without_change(client, reference_data, tmp_path):
    response = client.get(URL, {"format": "acled"})
    path = tmp_path / "export.csv"
    path.write_bytes(b"".join(response.streaming_content))
    report = import_acled(path, dry_run=False)
    assert report.ok, report.errors[:3]
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == 130
    assert Incident.objects.count() == 130


# --- the streamed whole-set export (incidents/export/) ---------------------------

EXPORT = reverse("api:incident-export")


def test_export_streams_every_match_as_geojson(client, reference_data, monkeypatch):
    from incidents.exports import streams as exports

    monkeypatch.setattr(exports, "IDS_PER_CHUNK", 7)  # many chunks, joined right
    response = client.get(EXPORT, {"weapon": "drone"})
    assert response.streaming
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(b"".join(response.streaming_content))
    page = client.get(URL, {"weapon": "drone", "page_size": 1000}).json()
    assert [f["id"] for f in document["features"]] == [
        f["id"] for f in page["features"]
    ]
    assert document["features"] == page["features"]


def test_export_csv_matches_the_paginated_csv(client, reference_data, monkeypatch):
    from incidents.exports import streams as exports

    monkeypatch.setattr(exports, "IDS_PER_CHUNK", 5)
    streamed = b"".join(client.get(EXPORT, {"format": "csv"}).streaming_content)
    paged = client.get(URL, {"format": "csv", "page_size": 1000}).content
    assert streamed == paged
    assert streamed.count(b"\r\n") == 131  # the header and 130 incidents


def test_export_of_nothing_is_an_empty_collection(client, reference_data):
    response = client.get(EXPORT, {"date_from": "2030-01-01"})
    assert json.loads(b"".join(response.streaming_content)) == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_export_rejects_bad_and_paging_parameters(client, reference_data):
    assert client.get(EXPORT, {"format": "xml"}).status_code == 400
    response = client.get(EXPORT, {"page_size": "10"})
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]
