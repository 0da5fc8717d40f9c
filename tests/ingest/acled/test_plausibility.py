"""Valid ACLED rows that are probably wrong get a warning each, naming it.

``tests/data/acled/implausible.csv`` is written by hand in ACLED's shape: one row
with latitude and longitude swapped, one at 0, 0, one whose ``iso`` is Syria's
while ``country`` says Iraq, one whose ``year`` is not its date's, one whose
``location`` names Ain al-Asad while its point is in Baghdad, and one clean row.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from incidents.ingest.acled import import_acled
from tests import TEST_DATA

FILE = TEST_DATA / "acled" / "implausible.csv"
CURRENT = TEST_DATA / "acled" / "current-style.csv"


@pytest.fixture
def warnings(reference_data) -> dict[str, list[str]]:
    report = import_acled(FILE, dry_run=True)
    assert report.ok, report.errors
    found: dict[str, list[str]] = {}
    for _line, event_id, message in report.warnings:
        found.setdefault(event_id, []).append(message)
    as_json = report.as_dict()["warnings"]
    assert {w["event_id"] for w in as_json} == set(found)
    assert all(w["line"] > 1 and w["message"] for w in as_json)
    return found


@pytest.mark.django_db
def test_swapped_coordinates(warnings):
    (message,) = warnings["IRQ66001"]
    assert "swapped" in message


@pytest.mark.django_db
def test_a_point_at_zero_zero(warnings):
    (message,) = warnings["IRQ66002"]
    assert "0, 0" in message


@pytest.mark.django_db
def test_iso_against_country(warnings):
    messages = " / ".join(warnings["SYR66003"])
    assert "iso 760 is SY, but country says Iraq (IQ)" in messages


@pytest.mark.django_db
def test_year_against_event_date(warnings):
    (message,) = warnings["IRQ66004"]
    assert "year 2023" in message and "2024-01-08" in message


@pytest.mark.django_db
def test_a_named_site_far_from_the_point(warnings):
    (message,) = warnings["IRQ66005"]
    assert "ain-al-asad" in message and "km from the row's point" in message


@pytest.mark.django_db
def test_a_city_event_is_not_linked_to_its_citys_airport_by_name(reference_data):
    """ "Baghdad" is the city and an alias of Baghdad airport; a protest in the
    city centre, 18 km from the airport, is not an event at the airport, nor,
    3 km away, at the US embassy: even taken with ``take_all`` it links nothing."""
    report = import_acled(CURRENT, dry_run=True, take_all=True)
    linked = {event: slug for _line, event, slug, _how in report.linked}
    assert "IRQ33002" not in linked
    assert ("IRQ33002", "Baghdad") in {(e, loc) for _l, e, loc in report.unlinked}
    # The Ain al-Asad row of the same file names its base at the base: linked.
    assert linked["IRQ33001"] == "ain-al-asad"


@pytest.mark.django_db
def test_a_clean_row_has_none(warnings):
    assert "IRQ66006" not in warnings


@pytest.mark.django_db
def test_the_command_and_the_admin_preview_show_them(reference_data, admin_client):
    out = io.StringIO()
    call_command("import_acled", str(FILE), "--dry-run", stdout=out)
    assert "IRQ66001: warning: latitude and longitude look swapped" in out.getvalue()
    upload = SimpleUploadedFile("implausible.csv", FILE.read_bytes(), "text/csv")
    preview = admin_client.post(
        reverse("admin:incidents_incident_import_acled"),
        {"file": upload, "status": "review"},
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'id="import-warnings"' in html
    assert "look swapped" in html and "IRQ66005" in html
