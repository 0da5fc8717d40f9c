"""The point map on the admin change forms, driven in Chromium.

The map and the latitude/longitude inputs must agree both ways: a click or a drag
writes the inputs, typing moves the marker, out-of-range text leaves it alone,
clearing removes it. ``window.basewatchAdminMap.markerLatLng()`` (exposed by
admin/point_map.js) reads the marker.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from incidents.models import Site

from .waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-browser-test-password"  # noqa: S105


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


def _open(page, url: str) -> None:
    page.goto(url)
    # The map is created on window load; the callback then exposes the handle.
    wait_until(page, "() => window.basewatchAdminMap != null")


def _marker(page):
    return page.evaluate("window.basewatchAdminMap.markerLatLng()")


def _inputs(page) -> tuple[str, str]:
    return page.input_value("#id_latitude"), page.input_value("#id_longitude")


def test_click_on_map_fills_the_inputs_and_saves(logged_in, live_server):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_site_add"))
    assert _marker(page) is None
    assert page.locator(".leaflet-marker-icon").count() == 0

    page.locator("#point-map").click(position={"x": 250, "y": 180})

    latitude, longitude = _inputs(page)
    assert -90 <= float(latitude) <= 90
    assert -180 <= float(longitude) <= 180
    assert len(latitude.split(".")[1]) == 6
    assert len(longitude.split(".")[1]) == 6
    assert _marker(page) == [float(latitude), float(longitude)]
    assert page.locator(".leaflet-marker-icon").count() == 1

    page.fill("#id_name", "Clicked base")
    page.select_option("#id_kind", "base")
    page.fill("#id_country", "IQ")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:incidents_site_changelist"))
    site = Site.objects.get(slug="clicked-base")
    assert (site.latitude, site.longitude) == (float(latitude), float(longitude))


def test_typing_moves_the_marker_and_clearing_removes_it(logged_in, live_server):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_site_add"))

    page.fill("#id_latitude", "33.8")
    assert _marker(page) is None  # half a point is no point
    page.fill("#id_longitude", "42.433")
    assert _marker(page) == [33.8, 42.433]
    first_box = page.locator(".leaflet-marker-icon").bounding_box()

    page.fill("#id_latitude", "34.5")
    assert _marker(page) == [34.5, 42.433]
    moved_box = page.locator(".leaflet-marker-icon").bounding_box()
    assert moved_box["y"] < first_box["y"]  # further north is higher up

    # Out of range, or not a number: the marker stays where it was.
    for bad in ("95", "-90.1"):
        page.fill("#id_latitude", bad)
        assert _marker(page) == [34.5, 42.433], bad
    # A number input shows unparsable text as value "": still not a cleared field.
    page.fill("#id_latitude", "")
    page.fill("#id_latitude", "34.5")
    page.focus("#id_latitude")
    page.keyboard.type("e")
    assert page.input_value("#id_latitude") == ""
    assert _marker(page) == [34.5, 42.433]
    page.fill("#id_latitude", "34.5")
    page.fill("#id_longitude", "181")
    assert _marker(page) == [34.5, 42.433]

    page.fill("#id_longitude", "")
    assert _marker(page) is None
    assert page.locator(".leaflet-marker-icon").count() == 0


def test_existing_point_is_shown_and_the_marker_drags(logged_in, live_server, make):
    site = make.site(latitude=33.8, longitude=42.433)
    page = logged_in
    _open(
        page, live_server.url + reverse("admin:incidents_site_change", args=[site.pk])
    )
    assert _marker(page) == [33.8, 42.433]
    assert page.locator("#point-map-note").count() == 0

    marker = page.locator(".leaflet-marker-icon")
    marker.scroll_into_view_if_needed()  # the mouse works in viewport coordinates
    icon = marker.bounding_box()
    x, y = icon["x"] + icon["width"] / 2, icon["y"] + icon["height"] - 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=8)
    page.mouse.up()

    latitude, longitude = _inputs(page)
    assert float(latitude) < 33.8
    assert float(longitude) > 42.433
    assert _marker(page) == [float(latitude), float(longitude)]


def test_site_without_point_says_why(logged_in, live_server, make):
    site = make.site(
        latitude=None, longitude=None, location_source="<b>No</b> gazetteer entry"
    )
    page = logged_in
    _open(
        page, live_server.url + reverse("admin:incidents_site_change", args=[site.pk])
    )
    assert _marker(page) is None
    note = page.locator("#point-map-note")
    assert "<b>No</b> gazetteer entry" in note.inner_text()
    assert note.locator("b").count() == 0


def test_incident_form_has_the_same_map(logged_in, live_server):
    page = logged_in
    _open(page, live_server.url + reverse("admin:incidents_incident_add"))
    page.locator("#point-map").click(position={"x": 120, "y": 120})
    latitude, longitude = _inputs(page)
    assert -90 <= float(latitude) <= 90
    assert -180 <= float(longitude) <= 180
    assert _marker(page) == [float(latitude), float(longitude)]


@pytest.mark.parametrize("form", ["site", "incident"])
def test_the_bundled_basemap_shows_when_tiles_fail(logged_in, live_server, make, form):
    # The public map's borders (common/basemap.js), so an editor does not place a
    # point on grey. The page fixture answers tiles with a blank one: refuse them.
    page = logged_in
    page.route(re.compile(r"tile\.openstreetmap\.org"), lambda route: route.abort())
    site = make.site(latitude=33.8, longitude=42.433)
    if form == "site":
        url = reverse("admin:incidents_site_change", args=[site.pk])
    else:
        url = reverse("admin:incidents_incident_add")
    _open(page, live_server.url + url)

    expect(page.locator("[data-point-map]")).to_have_attribute("data-basemap", "ready")
    countries = page.locator(
        "#point-map .leaflet-bw-basemap-pane path.bw-basemap-country"
    )
    assert countries.count() > 10
    # Leaflet draws the countries outside the view as an empty "M0 0".
    in_view = countries.locator('xpath=self::*[not(@d="M0 0")]')
    expect(in_view.first).to_be_visible()
    fill = in_view.first.evaluate("n => getComputedStyle(n).fill")
    assert fill == "rgb(244, 241, 234)"  # the land colour, not Leaflet's blue
    assert page.locator("#point-map .leaflet-tile-loaded").count() == 0
    # The refused tiles are the only errors allowed; wait until none is in flight.
    page.wait_for_load_state("networkidle")
    tile_errors = [e for e in page.errors if "Failed to load resource" in e]
    assert tile_errors
    page.errors[:] = [e for e in page.errors if e not in tile_errors]
