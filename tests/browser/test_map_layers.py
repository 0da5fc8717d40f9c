"""The map's own layers in a real browser: the bundled basemap and site labels when
tiles fail, sites sized by their incidents under the filters, the faint circle of a
coarse location, and the way from a site to its page.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from incidents.models import Incident
from tests.browser.test_map import open_map, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sites(make):
    """A coarse site with two rocket attacks, a precise one with one drone attack."""
    coarse = make.site(
        slug="al-omar",
        name="Al-Omar",
        latitude=35.15167,
        longitude=40.57583,
        precision_m=3000,
    )
    precise = make.site(
        slug="conoco", name="Conoco", latitude=35.33611, longitude=40.30944
    )
    for day in (3, 9):
        make.incident(
            sites=[coarse],
            occurred_on=datetime.date(2023, 11, day),
            weapon=Incident.Weapon.ROCKET,
            latitude=coarse.latitude,
            longitude=coarse.longitude,
            precision_m=3000,
        )
    drone = make.incident(
        sites=[precise],
        occurred_on=datetime.date(2023, 11, 5),
        weapon=Incident.Weapon.DRONE,
        latitude=precise.latitude,
        longitude=precise.longitude,
        precision_m=100,
    )
    return {"coarse": coarse, "precise": precise, "drone": drone}


def site_marker(page, slug):
    return page.locator(f'.bw-site-marker[data-site-slug="{slug}"]')


def open_site_popup(page, slug):
    """By keyboard: the site's own incidents sit on top of its icon's centre.

    First wait for the site counts (they come after the first draw and resize the
    icon, replacing the element that would have had focus).
    """
    expect(site_marker(page, slug)).to_have_attribute("data-count", re.compile(r"\d+"))
    site_marker(page, slug).focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    return popup


def test_basemap_and_site_labels_draw_when_tiles_fail(page, live_server, sites):
    page.route(re.compile(r"tile\.openstreetmap\.org"), lambda route: route.abort())
    open_map(page, live_server)

    expect(page.locator("#bw-app")).to_have_attribute("data-basemap", "ready")
    countries = page.locator("#map path.bw-basemap-country")
    assert countries.count() > 10
    # Leaflet draws the countries outside the view as an empty "M0 0".
    in_view = page.locator('#map path.bw-basemap-country:not([d="M0 0"])')
    expect(in_view.first).to_be_visible()
    fill = in_view.first.evaluate("n => getComputedStyle(n).fill")
    assert fill == "rgb(244, 241, 234)"  # our land colour, not Leaflet's blue
    labels = page.locator(".bw-site-label")
    expect(labels).to_have_count(2)
    expect(labels.filter(has_text="Al-Omar")).to_be_visible()
    expect(labels.filter(has_text="Conoco")).to_be_visible()
    # The failed tiles are the only errors allowed; wait until none is in flight.
    page.wait_for_load_state("networkidle")
    tile_errors = [e for e in page.errors if "Failed to load resource" in e]
    assert tile_errors
    page.errors[:] = [e for e in page.errors if e not in tile_errors]


def test_sites_are_sized_by_incidents_under_the_filters(page, live_server, sites):
    open_map(page, live_server)
    expect(site_marker(page, "al-omar")).to_have_attribute("data-count", "2")
    expect(site_marker(page, "conoco")).to_have_attribute("data-count", "1")
    width = {
        slug: site_marker(page, slug).bounding_box()["width"]
        for slug in ("al-omar", "conoco")
    }
    assert width["al-omar"] > width["conoco"]
    expect(page.locator(".bw-site-label").filter(has_text="Al-Omar")).to_contain_text(
        "2"
    )

    page.get_by_role("checkbox", name="drone", exact=True).check()
    wait_ready(page)

    expect(site_marker(page, "al-omar")).to_have_attribute("data-count", "0")
    expect(site_marker(page, "conoco")).to_have_attribute("data-count", "1")
    assert (
        site_marker(page, "al-omar").bounding_box()["width"]
        < site_marker(page, "conoco").bounding_box()["width"]
    )


def test_a_coarse_site_shows_its_uncertainty_while_selected(page, live_server, sites):
    open_map(page, live_server)
    expect(page.locator(".bw-uncertainty")).to_have_count(0)

    popup = open_site_popup(page, "al-omar")
    expect(page.locator(".bw-uncertainty")).to_have_count(1)
    expect(popup.locator(".bw-site-in-filter")).to_contain_text("2")
    link = popup.locator("a.bw-site-page-link")
    expect(link).to_have_attribute("href", "/sites/al-omar/")

    page.keyboard.press("Escape")
    expect(popup).to_be_hidden()
    expect(page.locator(".bw-uncertainty")).to_have_count(0)

    # A precise incident has no circle.
    drone = sites["drone"].pk
    page.locator(f'.bw-incident-marker[data-incident-id="{drone}"]').click()
    expect(page.locator(".leaflet-popup-content")).to_be_visible()
    expect(page.locator(".bw-uncertainty")).to_have_count(0)


def test_the_site_link_opens_the_site_page(page, live_server, sites):
    open_map(page, live_server)
    open_site_popup(page, "conoco").locator("a.bw-site-page-link").click()
    expect(page.locator("#bw-site")).to_have_attribute("data-state", "ready")
    assert page.url.endswith("/sites/conoco/")


def test_official_totals_are_drawn_beside_the_documented_count(
    page, live_server, reference_data
):
    open_map(page, live_server)
    chart = page.locator("#bw-official-chart")
    expect(chart.locator("svg")).to_be_visible()

    official = page.request.get(f"{live_server.url}/api/v1/stats/official-totals/")
    with_totals = [r for r in official.json()["results"] if r["total_attacks"]]
    latest = with_totals[-1]
    expect(chart.locator("circle.bw-official-point")).to_have_count(len(with_totals))
    attacks = page.request.get(
        f"{live_server.url}/api/v1/incidents/?event_type=attack"
        f"&date_to={latest['as_of']}&page_size=1"
    ).json()["count"]
    expect(chart).to_have_attribute(
        "data-latest-official", str(latest["total_attacks"])
    )
    expect(chart).to_have_attribute("data-documented", str(attacks))
    expect(chart.locator(".bw-official-summary")).to_contain_text(
        f"{latest['total_attacks']} attacks as of {latest['as_of']}"
    )
    # Filters change what the map shows, not this comparison.
    page.get_by_role("checkbox", name="drone", exact=True).check()
    wait_ready(page)
    expect(chart).to_have_attribute("data-documented", str(attacks))
