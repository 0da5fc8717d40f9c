"""The timeline under the map, in a real browser: its histogram follows the filters,
and brushing across it filters map, list, totals and the address bar together.

Expected numbers come from the API in the same test, never from constants.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.test_map import api_features, open_map, url_params, wait_ready
from tests.browser.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BARS = "#bw-timeline-chart rect.bw-tl-bar"


def bar_counts(page) -> dict[str, int]:
    pairs = page.locator(BARS).evaluate_all(
        "nodes => nodes.map(n => [n.dataset.start, Number(n.dataset.count)])"
    )
    return dict(pairs)


def brush(page, start_day: str, end_day: str) -> None:
    """Drag with the mouse from the bar of one day to the bar of another."""
    first = page.locator(f'{BARS}[data-start="{start_day}"]').bounding_box()
    last = page.locator(f'{BARS}[data-start="{end_day}"]').bounding_box()
    y = first["y"] + first["height"] / 2 if first["height"] else first["y"] - 5
    page.mouse.move(first["x"] + first["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, y, steps=8)
    page.mouse.up()


def test_histogram_counts_every_published_incident_per_day(
    page, live_server, reference_data
):
    open_map(page, live_server)
    everything = api_features(page, live_server, "")

    expect(page.locator(BARS).first).to_be_attached()
    counts = bar_counts(page)
    assert sum(counts.values()) == everything["count"]
    # Days without incidents are drawn as empty bars, so the axis is true to time.
    assert 0 in counts.values()
    per_day = {}
    for feature in everything["features"]:
        day = feature["properties"]["occurred_on"]
        per_day[day] = per_day.get(day, 0) + 1
    assert {day: n for day, n in counts.items() if n} == per_day
    assert page.locator("#bw-timeline-chart").get_attribute("data-interval") == "day"


def test_histogram_follows_the_other_filters(page, live_server, reference_data):
    open_map(page, live_server)
    expect(page.locator(BARS).first).to_be_attached()

    page.get_by_role("checkbox", name="drone", exact=True).check()
    wait_ready(page)

    drones = api_features(page, live_server, "weapon=drone")
    expect(page.locator(f"{BARS}:not([data-count='0'])").first).to_be_attached()
    wait_until(
        page,
        """expected => [...document.querySelectorAll('#bw-timeline-chart rect')]
             .reduce((sum, n) => sum + Number(n.dataset.count || 0), 0) === expected""",
        drones["count"],
    )


def test_brushing_filters_map_list_totals_and_address(
    page, live_server, reference_data
):
    open_map(page, live_server)
    expect(page.locator(BARS).first).to_be_attached()

    brush(page, "2023-11-01", "2023-11-10")
    wait_ready(page)

    expect(page.locator("#bw-f-date-from")).to_have_value("2023-11-01")
    expect(page.locator("#bw-f-date-to")).to_have_value("2023-11-10")
    params = url_params(page.url)
    assert (params["date_from"], params["date_to"]) == ("2023-11-01", "2023-11-10")
    chosen = api_features(page, live_server, "date_from=2023-11-01&date_to=2023-11-10")
    placed = [f for f in chosen["features"] if f["geometry"]]
    assert 0 < chosen["count"] < api_features(page, live_server, "")["count"]
    expect(page.locator('[data-total="incidents"]')).to_have_text(str(chosen["count"]))
    expect(page.locator(".bw-incident-marker")).to_have_count(len(placed))
    expect(page.locator("#bw-list-unplaced li[data-incident-id]")).to_have_count(
        chosen["count"] - len(placed)
    )
    # The histogram still shows every day, with the chosen ones marked.
    selection = page.locator("#bw-timeline-chart .bw-tl-selection")
    expect(selection).to_have_attribute("data-from", "2023-11-01")
    expect(selection).to_have_attribute("data-to", "2023-11-10")
    expect(page.locator(f"{BARS}.bw-tl-in")).to_have_count(10)
    assert bar_counts(page).get("2023-10-18", 0) > 0

    # Back restores the whole range; forward brings the brush back.
    page.go_back()
    wait_ready(page)
    expect(page.locator("#bw-f-date-from")).to_have_value("")
    expect(selection).not_to_have_attribute("data-from", "2023-11-01")
    page.go_forward()
    wait_ready(page)
    expect(selection).to_have_attribute("data-from", "2023-11-01")


def test_a_click_on_the_timeline_clears_the_dates(page, live_server, reference_data):
    page.goto(f"{live_server.url}/?date_from=2023-11-01&date_to=2023-11-05")
    wait_ready(page)
    selection = page.locator("#bw-timeline-chart .bw-tl-selection")
    expect(selection).to_have_attribute("data-to", "2023-11-05")

    box = page.locator("#bw-timeline-chart svg").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
    wait_ready(page)

    expect(page.locator("#bw-f-date-from")).to_have_value("")
    assert "date_from" not in url_params(page.url)
    everything = api_features(page, live_server, "")
    expect(page.locator('[data-total="incidents"]')).to_have_text(
        str(everything["count"])
    )
