"""Geocoding on the admin change forms, driven in Chromium.

Site form: "Find this place" geocodes the names typed in the form and fills the
point for the editor to check and save. Incident form: whenever the point changes,
the server says which country and governorate hold it and which site is nearest.

Online geocoders answer from canned JSON at geopy's boundary
(``tests/fake_geocoders.py``). The live server runs in this process, so the
settings and the monkeypatched geopy transport apply to its threads too.
"""

import re

import geopy.geocoders
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from incidents.geo import chain as chain_module
from incidents.geo.chain import precision_from_raw
from incidents.geo.placing import point_describe
from incidents.models import Incident, Site

from ..fake_geocoders import NOMINATIM_HAJIN, CannedAdapter, reset_canned
from .waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-browser-test-password"  # noqa: S105
HAJIN = NOMINATIM_HAJIN[0]
HAJIN_LAT, HAJIN_LON = float(HAJIN["lat"]), float(HAJIN["lon"])
HOSTILE_NAME = '<img src=x onerror="window.__xss=1">Evil'


@pytest.fixture
def logged_in(page, live_server, django_user_model):
    django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password=PASSWORD
    )
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    return page


@pytest.fixture
def configured(monkeypatch, settings):
    """Settings name Nominatim and Photon; geopy's transport is the canned one."""
    reset_canned()
    settings.BASEWATCH_GEOCODERS = ["nominatim", "photon"]
    settings.BASEWATCH_GEOCODER_MIN_DELAY = 0
    monkeypatch.setattr(
        geopy.geocoders.options, "default_adapter_factory", CannedAdapter
    )
    chain_module._rate_limited.cache_clear()
    yield CannedAdapter
    chain_module._rate_limited.cache_clear()
    reset_canned()


@pytest.fixture
def unconfigured(monkeypatch, settings):
    """No online geocoder; any attempt to reach one through geopy is recorded."""
    reset_canned()
    settings.BASEWATCH_GEOCODERS = []
    monkeypatch.setattr(
        geopy.geocoders.options, "default_adapter_factory", CannedAdapter
    )
    chain_module._rate_limited.cache_clear()
    yield CannedAdapter
    chain_module._rate_limited.cache_clear()
    reset_canned()


def _open(page, url: str) -> None:
    page.goto(url)
    # The map is created on window load; the callback then exposes the handle.
    wait_until(page, "() => window.basewatchAdminMap != null")


def _marker(page):
    return page.evaluate("window.basewatchAdminMap.markerLatLng()")


def _selected_sites(page) -> list[str]:
    return page.evaluate(
        "Array.from(document.getElementById('id_sites').selectedOptions,"
        " (o) => o.value)"
    )


def _find_place(page) -> None:
    """Click "Find this place" and wait for its answer (not the busy state)."""
    page.click("#find-place")
    expect(page.locator("#place-lookup-result")).to_have_attribute(
        "data-state", re.compile(r"^(found|not-found|error)$")
    )


def _wait_for_suggestion(page, *fragments: str) -> str:
    """Wait until #point-suggestion is ready and shows every fragment; its text."""
    box = page.locator("#point-suggestion")
    expect(box).to_have_attribute("data-state", "ready")
    for fragment in fragments:
        expect(box).to_contain_text(fragment)
    return box.inner_text()


# --- the site form: "Find this place" ------------------------------------------------


def test_find_this_place_fills_the_point_and_the_form_saves_it(
    logged_in, live_server, reference_data, configured
):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_site_add"))
    page.fill("#id_name", "Hajin town")  # no site is called that
    page.select_option("#id_kind", "base")
    _find_place(page)

    result = page.locator("#place-lookup-result")
    expect(result).to_have_attribute("data-state", "found")
    expect(result).to_contain_text(f"nominatim: {HAJIN['display_name']}")
    assert float(page.input_value("#id_latitude")) == HAJIN_LAT
    assert float(page.input_value("#id_longitude")) == HAJIN_LON
    precision = precision_from_raw("nominatim", HAJIN_LAT, HAJIN_LON, HAJIN)
    assert 6500 < precision < 7500
    assert int(page.input_value("#id_precision_m")) == precision
    source = page.input_value("#id_location_source")
    assert source.startswith("nominatim: 'Hajin town' on ")
    assert source.endswith(HAJIN["display_name"])
    assert page.input_value("#id_country") == "SY"
    assert page.input_value("#id_admin1") == "Deir ez-Zor"
    assert _marker(page) == [HAJIN_LAT, HAJIN_LON]
    assert page.locator(".leaflet-marker-icon").count() == 1
    # Only the first geocoder was needed, asked about the name typed.
    assert [r["host"] for r in configured.requests] == ["nominatim.openstreetmap.org"]
    assert configured.requests[0]["query"]["q"] == ["Hajin town"]
    # Nothing is saved by the lookup itself.
    assert not Site.objects.filter(name="Hajin town").exists()

    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:incidents_site_changelist"))
    site = Site.objects.get(slug="hajin-town")
    assert (site.latitude, site.longitude) == (HAJIN_LAT, HAJIN_LON)
    assert site.precision_m == precision
    assert site.location_source == source
    assert (site.country, site.admin1) == ("SY", "Deir ez-Zor")


def test_find_this_place_keeps_a_country_the_editor_typed(
    logged_in, live_server, reference_data, configured
):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_site_add"))
    page.fill("#id_name", "Hajin town")
    page.fill("#id_country", "SY")
    page.fill("#id_admin1", "My own governorate")
    _find_place(page)
    expect(page.locator("#place-lookup-result")).to_have_attribute(
        "data-state", "found"
    )
    assert page.input_value("#id_country") == "SY"
    assert page.input_value("#id_admin1") == "My own governorate"


def test_a_name_of_another_site_is_not_geocoded(
    logged_in, live_server, reference_data, configured
):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_site_add"))
    page.fill("#id_name", "Koniko")  # an alias of Conoco
    _find_place(page)

    result = page.locator("#place-lookup-result")
    expect(result).to_have_attribute("data-state", "not-found")
    expect(result).to_contain_text("Conoco gas field base")
    expect(result).to_contain_text("Koniko")
    for field in ("latitude", "longitude", "precision_m", "location_source"):
        assert page.input_value(f"#id_{field}") == "", field
    assert page.input_value("#id_country") == ""
    assert _marker(page) is None
    assert configured.requests == []


def test_a_site_s_own_name_does_not_block_its_own_lookup(
    logged_in, live_server, reference_data, configured
):
    qasrak = Site.objects.get(slug="qasrak")  # no point yet
    assert not qasrak.has_location
    page = logged_in
    _open(
        page, live_server.url + reverse("admin:incidents_site_change", args=[qasrak.pk])
    )
    _find_place(page)
    expect(page.locator("#place-lookup-result")).to_have_attribute(
        "data-state", "found"
    )
    assert configured.requests[0]["query"]["q"] == [qasrak.name]
    assert _marker(page) == [HAJIN_LAT, HAJIN_LON]
    # The stored country and governorate are the editor's: kept.
    assert page.input_value("#id_country") == "SY"
    assert page.input_value("#id_admin1") == "Hasakah"
    qasrak.refresh_from_db()
    assert not qasrak.has_location


def test_without_geocoders_the_button_says_what_to_configure(
    logged_in, live_server, reference_data, unconfigured
):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_site_add"))
    page.fill("#id_name", "Hajin town")
    _find_place(page)

    result = page.locator("#place-lookup-result")
    expect(result).to_have_attribute("data-state", "not-found")
    expect(result).to_contain_text("BASEWATCH_GEOCODERS")
    assert page.input_value("#id_latitude") == ""
    assert page.input_value("#id_longitude") == ""
    assert _marker(page) is None
    assert unconfigured.requests == []


def test_without_a_name_the_button_reports_an_error(logged_in, live_server):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_site_add"))
    _find_place(page)
    result = page.locator("#place-lookup-result")
    expect(result).to_have_attribute("data-state", "error")
    expect(result).to_contain_text("Give the site a name first.")
    expect(page.locator("#find-place")).to_be_enabled()
    # Chromium logs the lookup's 400 as a console error: expected here, only here.
    bad_request = "the server responded with a status of 400"
    assert sum(bad_request in error for error in page.errors) == 1
    page.errors[:] = [error for error in page.errors if bad_request not in error]


# --- the incident form: what the point is in and near --------------------------------


def test_incident_point_fills_country_and_governorate_and_offers_the_site(
    logged_in, live_server, reference_data
):
    al_omar = Site.objects.get(slug="al-omar")
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_incident_add"))
    expect(page.locator("#point-suggestion")).to_be_empty()

    page.fill("#id_latitude", "35.16")
    page.fill("#id_longitude", "40.58")
    text = _wait_for_suggestion(
        page, "Country: SY", "Governorate: Deir ez-Zor", f"Nearest site: {al_omar.name}"
    )
    km = float(re.search(r"\(([\d.]+) km\)", text).group(1))
    assert 0 < km < 2
    expect(page.locator("#id_country")).to_have_value("SY")
    expect(page.locator("#id_admin1")).to_have_value("Deir ez-Zor")
    assert _marker(page) == [35.16, 40.58]

    add = page.locator("#point-suggestion button")
    expect(add).to_have_text(f"Add to sites: {al_omar.name}")
    add.click()
    expect(add).to_have_count(0)
    assert _selected_sites(page) == [str(al_omar.pk)]
    expect(page.locator(".field-sites .select2-selection__choice")).to_contain_text(
        al_omar.name
    )

    page.fill("#id_occurred_on", "2024-01-20")
    page.select_option("#id_event_type", "attack")
    # "Save and continue": the change page, not the list, is what comes next.
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/admin/incidents/incident/\d+/change/$"))
    incident = Incident.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    assert list(incident.sites.values_list("slug", flat=True)) == ["al-omar"]
    assert (incident.latitude, incident.longitude) == (35.16, 40.58)
    assert (incident.country, incident.admin1) == ("SY", "Deir ez-Zor")


def test_a_click_on_the_map_updates_the_suggestion(
    logged_in, live_server, reference_data
):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_incident_add"))
    page.fill("#id_latitude", "35.16")
    page.fill("#id_longitude", "40.58")
    before = _wait_for_suggestion(page, "Nearest site: Al-Omar")

    page.locator("#point-map").click(position={"x": 200, "y": 150})
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert (latitude, longitude) != (35.16, 40.58)
    facts = point_describe(longitude=longitude, latitude=latitude)
    site = facts.nearest_site
    expected = (
        f"Nearest site: {site['name']} ({site['distance_km']} km)"
        if site
        else "No site within 25 km."
    )
    after = _wait_for_suggestion(page, expected)
    assert after != before
    # The country and governorate were ours: refilled from the new point when it
    # names them, kept otherwise.
    expect(page.locator("#id_country")).to_have_value(facts.country or "SY")
    expect(page.locator("#id_admin1")).to_have_value(facts.admin1 or "Deir ez-Zor")


def test_a_governorate_the_editor_typed_is_never_overwritten(
    logged_in, live_server, reference_data
):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_incident_add"))
    page.fill("#id_latitude", "35.16")
    page.fill("#id_longitude", "40.58")
    _wait_for_suggestion(page, "Governorate: Deir ez-Zor")
    expect(page.locator("#id_admin1")).to_have_value("Deir ez-Zor")

    page.fill("#id_admin1", "Hajin district")  # the editor's own value
    page.fill("#id_latitude", "36.0561")  # Al-Shaddadi, in Hasakah
    page.fill("#id_longitude", "40.7303")
    _wait_for_suggestion(page, "Governorate: Hasakah", "Nearest site: Al-Shaddadi")
    assert page.input_value("#id_admin1") == "Hajin district"
    assert page.input_value("#id_country") == "SY"

    # Emptied by the editor, the input is filled again.
    page.fill("#id_admin1", "")
    page.fill("#id_latitude", "36.056")
    _wait_for_suggestion(page, "Governorate: Hasakah")
    expect(page.locator("#id_admin1")).to_have_value("Hasakah")


def test_an_editor_s_country_is_kept_too(logged_in, live_server, reference_data):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_incident_add"))
    page.fill("#id_country", "IQ")
    page.fill("#id_latitude", "35.16")
    page.fill("#id_longitude", "40.58")
    _wait_for_suggestion(page, "Country: SY")
    assert page.input_value("#id_country") == "IQ"
    expect(page.locator("#id_admin1")).to_have_value("Deir ez-Zor")


def test_hostile_site_names_are_shown_as_text(logged_in, live_server, make):
    make.site(slug="evil", name=HOSTILE_NAME, latitude=35.0, longitude=40.0)
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_incident_add"))
    page.fill("#id_latitude", "35.01")
    page.fill("#id_longitude", "40.01")
    _wait_for_suggestion(page, f"Nearest site: {HOSTILE_NAME}")
    box = page.locator("#point-suggestion")
    expect(box.locator("button")).to_have_text(f"Add to sites: {HOSTILE_NAME}")
    assert box.locator("img").count() == 0
    assert page.evaluate("window.__xss") is None

    box.locator("button").click()
    assert len(_selected_sites(page)) == 1
    expect(page.locator(".field-sites .select2-selection__choice")).to_contain_text(
        HOSTILE_NAME
    )
    assert page.locator(".field-sites img[src=x]").count() == 0
    assert page.evaluate("window.__xss") is None


def test_an_answer_for_a_point_since_cleared_is_dropped(
    logged_in, live_server, reference_data
):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_incident_add"))
    held = []
    page.route("**/point-lookup/**", lambda route: held.append(route))  # held

    page.fill("#id_latitude", "35.16")
    page.fill("#id_longitude", "40.58")
    page.evaluate("() => true")  # a round trip, for the route handler to run
    for _ in range(100):  # the lookup leaves after its 300 ms delay
        if held:
            break
        page.wait_for_timeout(20)
    assert len(held) == 1
    box = page.locator("#point-suggestion")
    # Mark the box, to see when the form has taken the cleared input in.
    page.evaluate("document.getElementById('point-suggestion').dataset.state = 'x'")
    page.fill("#id_latitude", "")  # no point any more
    expect(box).to_have_attribute("data-state", "empty")

    # The answer for the point that is gone arrives late.
    with page.expect_response("**/point-lookup/**"):
        held[0].continue_()
    page.wait_for_timeout(300)  # time for a (wrong) render to happen
    assert box.get_attribute("data-state") == "empty"
    assert box.inner_text() == ""
    assert page.input_value("#id_country") == ""
    assert page.input_value("#id_admin1") == ""
