"""The site page in a real browser: the small map, the timeline chart, the incidents.

The ``page`` fixture answers every off-site request itself (tiles get a blank tile)
and fails the test on any page error, console error or other off-site request; so a
test here that passes is also a page that works offline and raised no error.
"""

import datetime

import pytest
from playwright.sync_api import expect

from incidents.models import Citation, Incident, Involvement, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_SUMMARY = '<img src=x onerror="window.__xss=1">'


@pytest.fixture
def world(make):
    """A coarsely placed site with 3 published incidents in 2 months and a draft."""
    al_omar = make.site(
        slug="al-omar",
        name="Al-Omar",
        name_ar="حقل العمر",
        aliases=["Omar oil field"],
        kind="oil_field",
        latitude=35.15167,
        longitude=40.57583,
        precision_m=3000,
        location_source="gazetteer",
    )
    iri = make.actor(slug="iri", name="Islamic Resistance in Iraq")
    centcom = make.source(
        url="https://www.centcom.mil/statement",
        publisher="CENTCOM",
        kind=Source.Kind.OFFICIAL,
    )
    hostile_source = make.source(
        url="javascript:alert(1)", publisher="Hostile", title="click me"
    )
    newest = make.incident(
        sites=[al_omar],
        occurred_on=datetime.date(2023, 11, 20),
        weapon=Incident.Weapon.DRONE,
        injured=None,
        killed=0,
        summary=HOSTILE_SUMMARY,
        citations=[
            (centcom, Citation.Stance.CONFIRMS),
            (hostile_source, Citation.Stance.CLAIMS),
        ],
        involvements=[(iri, Involvement.Role.CLAIMED_BY)],
    )
    middle = make.incident(
        sites=[al_omar],
        occurred_on=datetime.date(2023, 11, 5),
        date_precision=Incident.DatePrecision.MONTH,
        weapon=Incident.Weapon.ROCKET,
        injured=4,
    )
    oldest = make.incident(
        sites=[al_omar],
        occurred_on=datetime.date(2023, 10, 18),
        weapon=Incident.Weapon.ROCKET,
    )
    draft = make.incident(
        sites=[al_omar],
        status=Incident.Status.DRAFT,
        occurred_on=datetime.date(2023, 12, 1),
        summary="DRAFT must not be seen",
    )
    return {
        "site": al_omar,
        "newest": newest,
        "middle": middle,
        "oldest": oldest,
        "draft": draft,
    }


def open_site(page, live_server, slug):
    page.goto(f"{live_server.url}/sites/{slug}/")
    expect(page.locator("#bw-site")).to_have_attribute("data-state", "ready")


def test_lists_published_incidents_newest_first(page, live_server, world):
    open_site(page, live_server, "al-omar")

    items = page.locator("#bw-incident-list > li")
    expect(items).to_have_count(3)
    ids = items.evaluate_all("nodes => nodes.map(n => n.dataset.incidentId)")
    assert ids == [str(world[k].pk) for k in ("newest", "middle", "oldest")]
    assert "DRAFT must not be seen" not in page.content()
    expect(page.locator("#bw-status")).to_be_hidden()


def test_incident_shows_date_casualties_confidence_actors_and_sources(
    page, live_server, world
):
    open_site(page, live_server, "al-omar")

    newest = page.locator(f'[data-incident-id="{world["newest"].pk}"]')
    expect(newest.locator(".bw-date")).to_have_text("2023-11-20")
    expect(newest.locator(".bw-event dd")).to_have_text("attack")
    expect(newest.locator(".bw-weapon dd")).to_have_text("drone")
    # null and 0 read differently.
    expect(newest.locator(".bw-injured dd")).to_have_text("not reported")
    expect(newest.locator(".bw-killed dd")).to_have_text("none reported")
    expect(newest.locator(".bw-confidence")).to_have_text("confirmed")
    expect(newest.locator(".bw-actors li")).to_have_text(
        "Islamic Resistance in Iraq (claimed by)"
    )
    sources = newest.locator(".bw-source")
    expect(sources).to_have_count(2)
    expect(sources.nth(0).locator(".bw-publisher")).to_have_text("CENTCOM")
    expect(sources.nth(0).locator(".bw-stance")).to_have_text("confirms")
    link = sources.nth(0).locator("a")
    expect(link).to_have_attribute("href", "https://www.centcom.mil/statement")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    # A javascript: URL is shown as text, never as a link.
    expect(sources.nth(1).locator("a")).to_have_count(0)
    expect(sources.nth(1).locator(".bw-unlinked")).to_have_text("click me")

    middle = page.locator(f'[data-incident-id="{world["middle"].pk}"]')
    expect(middle.locator(".bw-date")).to_have_text("2023-11-05 (known to the month)")
    expect(middle.locator(".bw-injured dd")).to_have_text("4")
    expect(middle.locator(".bw-confidence")).to_have_text("reported")


def test_hostile_summary_is_text_not_html(page, live_server, world):
    open_site(page, live_server, "al-omar")

    summary = page.locator(f'[data-incident-id="{world["newest"].pk}"] .bw-summary')
    expect(summary).to_have_text(HOSTILE_SUMMARY)
    expect(page.locator("#bw-incident-list img")).to_have_count(0)
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_chart_has_a_bar_per_month(page, live_server, world):
    open_site(page, live_server, "al-omar")

    bars = page.locator("#bw-chart svg rect.bw-bar")
    expect(bars).to_have_count(2)
    months = bars.evaluate_all(
        "nodes => nodes.map(n => [n.dataset.month, n.dataset.count])"
    )
    assert months == [["2023-10", "1"], ["2023-11", "2"]]
    heights = bars.evaluate_all("nodes => nodes.map(n => n.getBBox().height)")
    assert 0 < heights[0] < heights[1]
    # Built in the SVG namespace, or the browser would draw nothing.
    namespace = bars.first.evaluate("n => n.namespaceURI")
    assert namespace == "http://www.w3.org/2000/svg"


def test_chart_fills_empty_months_with_zero(page, live_server, make):
    site = make.site(slug="gaps")
    make.incident(sites=[site], occurred_on=datetime.date(2023, 11, 2))
    make.incident(sites=[site], occurred_on=datetime.date(2024, 2, 2))

    open_site(page, live_server, "gaps")

    counts = page.locator("#bw-chart rect.bw-bar").evaluate_all(
        "nodes => nodes.map(n => n.dataset.count)"
    )
    assert counts == ["1", "0", "0", "1"]


def test_map_is_centred_on_the_site_with_a_precision_circle(page, live_server, world):
    open_site(page, live_server, "al-omar")

    expect(page.locator("#bw-site")).to_have_attribute("data-map", "ready")
    expect(page.locator("#site-map .bw-site-point")).to_have_count(1)
    expect(page.locator("#site-map .bw-precision-circle")).to_have_count(1)


def test_precise_site_has_no_circle(page, live_server, make):
    make.site(slug="precise", precision_m=200)

    open_site(page, live_server, "precise")

    expect(page.locator("#bw-site")).to_have_attribute("data-map", "ready")
    expect(page.locator("#site-map .bw-site-point")).to_have_count(1)
    expect(page.locator("#site-map .bw-precision-circle")).to_have_count(0)


def test_unplaced_site_says_location_unknown(page, live_server, make):
    qasrak = make.site(
        slug="qasrak",
        name="Qasrak",
        latitude=None,
        longitude=None,
        precision_m=None,
        location_source="Named by the seed article; no published coordinates.",
    )
    make.incident(
        sites=[qasrak],
        latitude=None,
        longitude=None,
        occurred_on=datetime.date(2023, 11, 2),
    )

    open_site(page, live_server, "qasrak")

    expect(page.locator(".bw-location-unknown dd")).to_have_text("location unknown")
    expect(page.locator(".bw-location-source dd")).to_have_text(
        "Named by the seed article; no published coordinates."
    )
    expect(page.locator("#site-map")).to_have_count(0)
    expect(page.locator("#bw-incident-list > li")).to_have_count(1)
    expect(page.locator("#bw-chart rect.bw-bar")).to_have_count(1)


def test_site_without_incidents_says_so(page, live_server, make):
    make.site(slug="quiet")

    open_site(page, live_server, "quiet")

    expect(page.locator("#bw-incident-list > li")).to_have_count(0)
    expect(page.locator(".bw-no-incidents")).to_be_visible()
    expect(page.locator("#bw-chart rect")).to_have_count(0)


def test_link_back_to_the_map(page, live_server, world):
    open_site(page, live_server, "al-omar")

    # Checked by its href, not followed: the map page has tests of its own.
    expect(page.locator(".bw-back a")).to_have_attribute("href", "/")


# --- issue 20: every bar's count, names not codes, directions in Arabic -------------


@pytest.fixture
def busy_site(make):
    """Fourteen months (the narrowest bars) with 1 to 14 incidents, and none in one."""
    site = make.site(slug="busy", name="Conoco", name_ar="كونيكو", admin1="Deir ez-Zor")
    counts = {}
    for index in range(15):
        year, month = 2023 + (9 + index) // 12, (9 + index) % 12 + 1
        count = 0 if index == 7 else index + 1
        counts[f"{year}-{month:02d}"] = count
        for day in range(count):
            make.incident(sites=[site], occurred_on=datetime.date(year, month, 1 + day))
    return counts


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_bar_has_its_count_and_no_two_overlap(
    page, live_server, busy_site, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    open_site(page, live_server, "busy")
    expect(page.locator("html")).to_have_attribute("lang", language)
    values = page.locator("#bw-chart .bw-chart-value")
    shown = dict(
        values.evaluate_all("nodes => nodes.map(n => [n.dataset.month, n.textContent])")
    )
    # Every month that has a bar has its count; the empty month has neither.
    assert shown == {m: str(c) for m, c in busy_site.items() if c}
    boxes = values.evaluate_all(
        "nodes => nodes.map(n => { const b = n.getBoundingClientRect();"
        " return [b.left, b.right, b.top, b.bottom]; })"
    )
    bars = page.locator("#bw-chart .bw-bar").evaluate_all(
        "nodes => Object.fromEntries(nodes.map(n => [n.dataset.month,"
        " n.getBoundingClientRect().top]))"
    )
    for month, box in zip(shown, boxes, strict=True):
        assert box[3] <= bars[month] + 1, month  # its bottom above its own bar
    for first, second in zip(boxes, boxes[1:], strict=False):
        assert first[1] <= second[0], (first, second)  # left to right, apart


def test_arabic_site_page_names_the_country_and_keeps_coordinates_in_order(
    page, live_server, world
):
    page.context.add_cookies(
        [{"name": "django_language", "value": "ar", "url": live_server.url}]
    )
    open_site(page, live_server, "al-omar")
    expect(page.locator("#bw-region")).to_have_text("سوريا")
    coordinates = page.locator(".bw-coordinates")
    expect(coordinates).to_have_text("35.15167, 40.57583")
    # Drawn in that order: the latitude left of the longitude, inside an RTL page.
    left_to_right = coordinates.evaluate(
        "n => { const r = document.createRange(); const t = n.firstChild;"
        " r.setStart(t, 0); r.setEnd(t, 1); const first = r.getBoundingClientRect();"
        " r.setStart(t, t.length - 1); r.setEnd(t, t.length);"
        " return first.left < r.getBoundingClientRect().left; }"
    )
    assert left_to_right
    expect(page.locator(".bw-precision-m dd")).to_contain_text("م")
    expect(page.locator("main#bw-site")).to_have_count(1)
