"""Unfiltered exports kept as files until the data changes
(``incidents/api/export_files.py``): served from the file while the data version
stands, never after a change, only ever complete, and never at the cost of the
download itself."""

import os
from pathlib import Path

import pytest
from django.db import connection
from django.http import FileResponse
from django.test.utils import CaptureQueriesContext

from incidents.api import export_files
from incidents.models import Incident
from incidents.rules.workflow import incident_move

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/incidents/export/"


def kept(settings) -> list[str]:
    directory = Path(settings.BASEWATCH_EXPORT_CACHE_DIR)
    return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []


def download(client, **params) -> tuple[bytes, object]:
    response = client.get(EXPORT, params)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content), response


@pytest.mark.parametrize("fmt", ["csv", "geojson", "acled"])
def test_the_second_download_is_the_kept_file(client, reference_data, settings, fmt):
    first, response = download(client, format=fmt)
    assert not isinstance(response, FileResponse)
    assert [name.endswith(".export") for name in kept(settings)] == [True]
    with CaptureQueriesContext(connection) as queries:
        second, response = download(client, format=fmt)
    assert isinstance(response, FileResponse)
    assert second == first and len(first) > 1000
    # Only the data version was read: no incident was.
    assert not [q for q in queries.captured_queries if "incidents_incident" in q["sql"]]
    assert response["Content-Disposition"] == first_disposition(client, fmt)


def first_disposition(client, fmt: str) -> str:
    return client.get(EXPORT, {"format": fmt, "weapon": "drone"})["Content-Disposition"]


def test_a_change_retires_the_file(client, reference_data, settings, django_user_model):
    before, _ = download(client, format="csv")
    old = kept(settings)
    incident = Incident.objects.published().order_by("pk").first()
    reviewer = django_user_model.objects.create_superuser("rev", password="x-x-x-x")
    incident_move(incident=incident, user=reviewer, move="retract", reason="Dup.")
    after, response = download(client, format="csv")
    assert not isinstance(response, FileResponse)
    assert after != before
    assert f"\r\n{incident.pk}," in before.decode()
    assert f"\r\n{incident.pk}," not in after.decode()
    now = kept(settings)
    assert len(now) == 1 and now != old  # the old version's file is gone


def test_filtered_exports_are_not_kept(client, reference_data, settings):
    download(client, format="csv", weapon="drone")
    download(client, format="csv", date_from="2023-11-01")
    assert kept(settings) == []
    download(client, format="csv", ordering="occurred_on")
    assert len(kept(settings)) == 1


def test_a_download_cut_off_leaves_nothing(client, reference_data, settings):
    response = client.get(EXPORT, {"format": "csv"})
    chunks = iter(response.streaming_content)
    next(chunks)
    response.close()  # what the server does when the reader goes away
    assert kept(settings) == []


def test_no_directory_still_downloads(client, reference_data, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.BASEWATCH_EXPORT_CACHE_DIR = str(blocker / "exports")
    body, _ = download(client, format="csv")
    assert body.count(b"\r\n") == 131  # the header and 130 incidents
    settings.BASEWATCH_EXPORT_CACHE_DIR = ""
    assert not export_files.keeps({"format"})
    assert download(client, format="csv")[0] == body


def test_a_full_disk_still_downloads(client, reference_data, settings, monkeypatch):
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle, mode):
            self.file = real_fdopen(handle, mode)

        def write(self, data):
            raise OSError(28, "No space left on device")

        def close(self):
            self.file.close()

    monkeypatch.setattr(export_files.os, "fdopen", Full)
    body, _ = download(client, format="csv")
    assert body.count(b"\r\n") == 131
    assert kept(settings) == []


def test_each_representation_has_its_own_file(
    client, reference_data, settings, django_user_model
):
    """Format, ordering and who asks (readers or editors) each name a file: an
    editor's copy is never handed to a reader, nor CSV to who asked for GeoJSON."""
    csv_body, _ = download(client, format="csv")
    geojson_body, _ = download(client, format="geojson")
    assert geojson_body.startswith(b"{") and csv_body.startswith(b"id,")
    editor = django_user_model.objects.create_superuser("ed", password="x-x-x-x")
    client.force_login(editor)
    download(client, format="csv")
    assert len(kept(settings)) == 3
    client.logout()
    again, response = download(client, format="geojson")
    assert isinstance(response, FileResponse) and again == geojson_body
