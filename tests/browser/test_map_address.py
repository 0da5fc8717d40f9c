"""The map's address and legend in a real browser, in English and Arabic (issue 20).

A bad filter in the address is named in the status line, in the API's words, and
stays in the address while the map shows the incidents without it; ``bbox`` (the
API's own parameter) fits the view; the legend on the map says what every mark
means, folds with a button (pointer or keyboard), and starts folded on a phone.

The ``page`` fixture answers every off-site request itself and fails the test on
any page error or console error.
"""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from incidents.models import Incident
from incidents.pages.views import map_labels

from .waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "ar"]

# django-leaflet announces its map on window ("map:init"); the test keeps it, so
# it can ask the map for its bounds. An init script is the test's, not the page's,
# so the page's Content-Security-Policy does not govern it.
KEEP_MAP = """
window.addEventListener("map:init", (event) => {
  window.__testMap = event.detail.map;
});
"""


@pytest.fixture
def world(make):
    """Three placed sites far apart, an incident at each (rocket, drone, none)."""
    al_omar = make.site(
        slug="al-omar", name="Al-Omar", latitude=35.152, longitude=40.576
    )
    tanf = make.site(slug="al-tanf", name="Al-Tanf", latitude=33.506, longitude=38.618)
    asad = make.site(
        slug="ain-al-asad", name="Ain al-Asad", latitude=33.8, longitude=42.44
    )
    for site, weapon, day in [
        (al_omar, Incident.Weapon.ROCKET, 15),
        (tanf, Incident.Weapon.DRONE, 16),
        (asad, "", 17),
    ]:
        make.incident(
            sites=[site],
            occurred_on=datetime.date(2023, 11, day),
            weapon=weapon,
            latitude=site.latitude,
            longitude=site.longitude,
        )


def open_map(page, live_server, lang: str, query: str = ""):
    page.context.add_cookies(
        [{"name": "django_language", "value": lang, "url": live_server.url}]
    )
    page.add_init_script(KEEP_MAP)
    page.goto(f"{live_server.url}/{query}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#bw-app")).to_have_attribute("data-state", "ready")


def params(url: str) -> dict:
    return {k: v for k, v in parse_qs(urlsplit(url).query).items()}


def filter_error(lang: str) -> str:
    from django.utils import translation

    with translation.override(lang):
        return str(map_labels()["text"]["filter_error"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bad_weapon_is_named_and_kept_in_the_address(page, live_server, world, lang):
    open_map(page, live_server, lang, "?weapon=laser&q=")
    status = page.locator("#bw-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text(filter_error(lang))
    expect(status).to_contain_text("weapon:")
    expect(status).to_contain_text("laser")
    # The map shows the incidents without the bad filter (the status says so).
    expect(page.locator(".bw-incident-marker")).to_have_count(3)
    assert params(page.url)["weapon"] == ["laser"]
    # Moving the map rewrites the address: the bad value stays in it.
    page.locator("#map").focus()
    page.keyboard.press("ArrowDown")
    wait_until(page, "() => new URL(location.href).searchParams.has('lat')")
    assert params(page.url)["weapon"] == ["laser"]
    expect(page.locator("#bw-permalink")).to_have_value(page.url)
    # Another filter changed: still named, still kept.
    page.locator("#bw-f-date-from").fill("2023-11-16")
    wait_until(page, "() => new URL(location.href).searchParams.has('date_from')")
    assert params(page.url)["weapon"] == ["laser"]
    expect(status).to_contain_text("weapon:")
    expect(page.locator(".bw-incident-marker")).to_have_count(2)
    # The reader chooses a weapon: the bad value goes, and so does the message.
    page.locator('#bw-filters input[name="weapon"][value="drone"]').check()
    wait_until(
        page, "() => new URL(location.href).searchParams.get('weapon') === 'drone'"
    )
    expect(status).not_to_contain_text("weapon:")
    expect(page.locator(".bw-incident-marker")).to_have_count(1)
    # Back: the address with the bad value, named again.
    page.go_back()
    wait_until(
        page, "() => new URL(location.href).searchParams.get('weapon') === 'laser'"
    )
    expect(status).to_contain_text("weapon:")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bad_date_is_named_and_kept_until_cleared(page, live_server, world, lang):
    open_map(page, live_server, lang, "?date_from=2023-13-45&weapon=rocket")
    status = page.locator("#bw-status")
    expect(status).to_contain_text(filter_error(lang))
    expect(status).to_contain_text("date_from:")
    expect(status).not_to_contain_text("weapon:")
    # The good filter applies.
    expect(page.locator(".bw-incident-marker")).to_have_count(1)
    assert params(page.url)["date_from"] == ["2023-13-45"]
    assert params(page.url)["weapon"] == ["rocket"]
    page.locator('[data-action="clear-filters"]').click()
    wait_until(page, "() => !new URL(location.href).searchParams.has('date_from')")
    expect(status).to_be_hidden()
    assert "weapon" not in params(page.url)
    expect(page.locator(".bw-incident-marker")).to_have_count(3)


def test_an_inverted_date_range_is_named_as_the_api_names_it(page, live_server, world):
    open_map(page, live_server, "en", "?date_from=2023-12-01&date_to=2023-11-01")
    expect(page.locator("#bw-status")).to_contain_text("date_from:")
    api = page.request.get(
        f"{live_server.url}/api/v1/incidents/?date_from=2023-12-01&date_to=2023-11-01"
    )
    assert api.status == 400 and "date_from" in api.json()["errors"]
    assert params(page.url)["date_from"] == ["2023-12-01"]


def map_bounds(page) -> dict:
    return page.evaluate(
        """() => {
          const b = window.__testMap.getBounds();
          return {west: b.getWest(), south: b.getSouth(), east: b.getEast(),
                  north: b.getNorth(), zoom: window.__testMap.getZoom()};
        }"""
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_bbox_in_the_address_fits_the_view(page, live_server, world, lang):
    box = (40.3, 35.0, 40.8, 35.3)  # around Al-Omar only
    open_map(page, live_server, lang, "?bbox=" + ",".join(map(str, box)))
    bounds = map_bounds(page)
    west, south, east, north = box
    # The whole box is in view, and the view is not much larger (the zoom that
    # fits it, not the sites' extent).
    assert bounds["west"] <= west and bounds["east"] >= east
    assert bounds["south"] <= south and bounds["north"] >= north
    assert bounds["east"] - bounds["west"] < 4 * (east - west)
    assert bounds["zoom"] >= 9
    expect(page.locator("#bw-status")).to_be_hidden()
    # Al-Omar's incident is in view, the other two are not.
    expect(page.locator("#bw-list li[data-incident-id]")).to_have_count(1)
    # The box stays in the address until the reader moves the map.
    (kept,) = params(page.url)["bbox"]
    assert tuple(float(x) for x in kept.split(",")) == box
    page.locator("#map").focus()
    page.keyboard.press("ArrowDown")
    wait_until(page, "() => new URL(location.href).searchParams.has('lat')")
    assert "bbox" not in params(page.url)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bad_bbox_is_named(page, live_server, world, lang):
    open_map(page, live_server, lang, "?bbox=41,35,40,36")
    status = page.locator("#bw-status")
    expect(status).to_contain_text(filter_error(lang))
    expect(status).to_contain_text("bbox:")
    expect(page.locator(".bw-incident-marker")).to_have_count(3)
    assert params(page.url)["bbox"] == ["41,35,40,36"]


def legend_parts(page):
    legend = page.locator(".leaflet-control-container .bw-map-legend")
    return (
        legend,
        legend.locator(".bw-map-legend-toggle"),
        legend.locator("#bw-map-legend-body"),
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_legend_is_on_the_map_and_folds(page, live_server, world, lang):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_map(page, live_server, lang)
    wait_until(
        page, "() => document.querySelector('#bw-permalink').value === location.href"
    )
    settled = page.url
    legend, button, body = legend_parts(page)
    expect(legend).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(body).to_be_visible()
    # Every weapon colour, named in the page's language.
    from django.utils import translation

    from incidents.pages.views import incident_labels

    with translation.override(lang):
        names = {str(v) for v in incident_labels()["weapon"].values()}
        none = str(incident_labels()["text"]["no_weapon"])
    items = body.locator(".bw-map-legend-weapon")
    expect(items).to_have_count(len(names) + 1)  # and "none" (a statement)
    shown = set(items.all_inner_texts())
    assert shown == names | {none}
    colours = items.locator(".bw-legend-swatch").evaluate_all(
        "nodes => nodes.map(n => getComputedStyle(n).backgroundColor)"
    )
    assert len(set(colours)) == len(colours)
    for mark in ["site", "uncertainty", "cluster"]:
        expect(body.locator(f".bw-map-legend-{mark}")).to_be_visible()
    # No longer said twice: the panel has no legend.
    expect(page.locator(".bw-panel .bw-map-legend, #bw-legend")).to_have_count(0)

    # It does not cover the zoom buttons or the attribution.
    box = legend.bounding_box()
    for other in [".leaflet-control-zoom", ".leaflet-control-attribution"]:
        o = page.locator(other).bounding_box()
        apart = (
            box["x"] + box["width"] <= o["x"]
            or o["x"] + o["width"] <= box["x"]
            or box["y"] + box["height"] <= o["y"]
            or o["y"] + o["height"] <= box["y"]
        )
        assert apart, other
    # On the side the page reads from: right in English, left in Arabic.
    map_box = page.locator("#map").bounding_box()
    centre = box["x"] + box["width"] / 2
    on_right = centre > map_box["x"] + map_box["width"] / 2
    assert on_right == (lang == "en")

    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(body).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(body).to_be_visible()
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(body).to_be_hidden()
    # Clicking the legend does not move the map.
    assert page.url == settled


@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_the_legend_starts_folded_and_fits(page, live_server, world, lang):
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, live_server, lang)
    legend, button, body = legend_parts(page)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(body).to_be_hidden()
    button.click()
    expect(body).to_be_visible()
    map_box = page.locator("#map").bounding_box()
    box = legend.bounding_box()
    assert box["x"] >= map_box["x"] and box["x"] + box["width"] <= map_box["width"] + 1
    assert box["y"] + box["height"] <= map_box["y"] + map_box["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Its weapons are all there, none cut off sideways.
    overflowing = body.locator(".bw-map-legend-weapon").evaluate_all(
        "nodes => nodes.filter(n => n.scrollWidth > n.clientWidth + 1).length"
    )
    assert overflowing == 0
