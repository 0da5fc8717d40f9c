"""The clustered map in a real browser: past the detail limit the map draws the
server's clusters, zooming into one brings back single incidents, and links to an
incident still open it.

The limit is lowered to 2 here (``BASEWATCH_MAP_DETAIL_LIMIT``), so the `world` of
test_map.py (3 placed published incidents, one unplaced) is "many"; the code path is
the one 100,000 incidents take.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_map import build_world, open_map, url_params, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture(autouse=True)
def low_detail_limit(settings):
    settings.BASEWATCH_MAP_DETAIL_LIMIT = 2


DRAWN = "#map .bw-cluster, #map .bw-single-incident"


def cluster_counts(page) -> list[int]:
    """The counts of what the server's clusters drew: groups, and clusters of one
    drawn as their incident."""
    return page.locator(DRAWN).evaluate_all(
        "nodes => nodes.map(n => Number(n.dataset.count))"
    )


def test_many_incidents_are_drawn_as_server_clusters(page, live_server, world):
    open_map(page, live_server)

    expect(page.locator("#bw-app")).to_have_attribute("data-mode", "clustered")
    expect(page.locator(DRAWN).first).to_be_visible()
    expect(page.locator(".bw-incident-marker")).to_have_count(0)
    assert sum(cluster_counts(page)) == 3  # the placed published ones
    expect(page.locator('[data-total="incidents"]')).to_have_text("4")
    expect(page.locator('[data-total="incidents-unplaced"]').first).to_have_text("1")
    expect(page.locator("#bw-shown-note")).to_be_visible()
    # The list still names the newest incidents in view.
    expect(page.locator("#bw-list li[data-incident-id]")).to_have_count(3)
    assert "DRAFT must not be seen" not in page.content()


def test_a_cluster_of_one_is_drawn_as_its_incident_and_opens_it(
    page, live_server, world
):
    open_map(page, live_server)
    rockets = world["rockets"].pk
    # At this zoom each incident has a cell of its own: no "1" in a bubble, but a
    # dot in its weapon's colour, named for the reader and the keyboard.
    single = page.locator(f'#map .bw-single-incident[data-incident-id="{rockets}"]')
    expect(single).to_have_attribute("data-count", "1")
    expect(single).to_have_class(re.compile(r"\bbw-weapon-rocket\b"))
    expect(single).to_have_attribute("aria-label", re.compile("rocket"))
    expect(page.locator("#map .bw-cluster")).to_have_count(0)
    zoom_before = url_params(page.url)["z"]
    single.focus()
    page.keyboard.press("Enter")

    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".bw-date time")).to_have_text("2023-11-15")
    page.wait_for_url(lambda url: url_params(url).get("incident") == str(rockets))
    assert url_params(page.url)["z"] == zoom_before  # opened where it is


def test_choosing_a_cluster_zooms_in_to_single_incidents(page, live_server, world):
    # Zoomed out over the whole region, Al-Omar and Conoco share a cell.
    page.goto(f"{live_server.url}/?lat=34&lon=41&z=3")
    wait_ready(page)
    cluster = page.locator("#map .bw-cluster").first
    expect(cluster).to_be_visible()
    assert int(cluster.get_attribute("data-count")) >= 2
    zoom_before = float(url_params(page.url)["z"])
    cluster.focus()
    page.keyboard.press("Enter")  # clusters are reachable by keyboard too

    # Zoomed to the cluster's members: each now has a cell of its own, drawn as
    # the incident it is.
    rockets = world["rockets"].pk
    single = page.locator(f'#map .bw-single-incident[data-incident-id="{rockets}"]')
    expect(single).to_be_visible()
    wait_ready(page)
    assert float(url_params(page.url)["z"]) > zoom_before
    expect(page.locator("#map .bw-cluster")).to_have_count(0)
    assert sum(cluster_counts(page)) == 3
    # On Al-Omar's point, under the site's icon (sites stay on top): by keyboard.
    single.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".bw-date time")).to_have_text("2023-11-15")
    page.wait_for_url(lambda url: url_params(url).get("incident") == str(rockets))


def test_a_link_to_an_incident_opens_it_on_a_clustered_map(page, live_server, world):
    drones = world["drones"].pk
    page.goto(f"{live_server.url}/?incident={drones}")
    wait_ready(page)

    popup = page.locator(f'.leaflet-popup [data-incident-id="{drones}"]')
    expect(popup).to_be_visible()
    expect(popup.locator(".bw-weapon dd")).to_have_text("drone")
    page.keyboard.press("Escape")
    expect(popup).to_be_hidden()
    page.wait_for_url(lambda url: "incident=" not in urlsplit(url).query)


def test_a_narrow_filter_goes_back_to_single_incidents(page, live_server, world):
    open_map(page, live_server)
    expect(page.locator("#bw-app")).to_have_attribute("data-mode", "clustered")

    page.get_by_role("checkbox", name="drone", exact=True).check()
    wait_ready(page)

    expect(page.locator("#bw-app")).to_have_attribute("data-mode", "detail")
    expect(page.locator(".bw-incident-marker")).to_have_count(1)
    expect(page.locator("#map .bw-cluster")).to_have_count(0)


def test_incidents_without_a_point_are_all_listed_when_clustered(
    page, live_server, world, make
):
    # Older than every placed one, so none is among the first page's newest two.
    qasrak = world["sites"]["qasrak"]
    older = [
        make.incident(
            sites=[qasrak],
            occurred_on=datetime.date(2023, 9, day),
            latitude=None,
            longitude=None,
        )
        for day in (1, 2, 3)
    ]
    open_map(page, live_server)
    expect(page.locator("#bw-app")).to_have_attribute("data-mode", "clustered")

    expected = {world["unplaced"].pk, *(incident.pk for incident in older)}
    section = page.locator("#bw-unplaced-incidents li[data-incident-id]")
    expect(section).to_have_count(4)
    listed = section.evaluate_all("ns => ns.map(n => Number(n.dataset.incidentId))")
    assert set(listed) == expected
    expect(page.locator("#bw-list-unplaced li[data-incident-id]")).to_have_count(4)
    expect(page.locator('[data-total="incidents-unplaced"]').first).to_have_text("4")
