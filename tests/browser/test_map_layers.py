"""The map's own layers in a real browser: the bundled basemap and site labels when
tiles fail, sites sized by their incidents under the filters, the faint circle of a
coarse location, and the way from a site to its page.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from incidents.models import Incident, OfficialTotal, Source
from tests.browser.reach import click_incident
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
    click_incident(page, drone)
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
    expect(chart.locator("svg[role=img]")).to_be_visible()

    official = page.request.get(f"{live_server.url}/api/v1/stats/official-totals/")
    body = official.json()
    with_totals = [r for r in body["results"] if r["total_attacks"]]
    latest = with_totals[-1]
    expect(chart.locator("circle.bw-official-point")).to_have_count(len(with_totals))
    documented = {r["date"]: r for r in body["documented"]}[latest["as_of"]]
    attacks = page.request.get(
        f"{live_server.url}/api/v1/incidents/?event_type=attack"
        f"&date_from=2023-10-17&date_to={latest['as_of']}&page_size=1"
    ).json()["count"]
    assert documented["cumulative_incidents"] == attacks
    expect(chart).to_have_attribute(
        "data-latest-official", str(latest["total_attacks"])
    )
    expect(chart).to_have_attribute("data-documented", str(attacks))
    for level, count in documented["by_confidence"].items():
        expect(chart).to_have_attribute(f"data-{level}", str(count))
    expect(chart.locator(".bw-official-summary")).to_contain_text(
        f"By {latest['as_of']}, {latest['reported_by']} counted "
        f"{latest['total_attacks']} attacks. Documented here by then: {attacks}, "
        f"of which {documented['by_confidence']['confirmed']} confirmed"
    )
    # Filters change what the map shows, not this comparison.
    page.get_by_role("checkbox", name="drone", exact=True).check()
    wait_ready(page)
    expect(chart).to_have_attribute("data-documented", str(attacks))


@pytest.fixture
def cited_attacks(make):
    """Seven published attacks by 14 November: 2 confirmed, 3 claimed only, 1
    reported, 1 disputed; an unpublished confirmed one; and two official totals."""
    official = make.source(kind=Source.Kind.OFFICIAL, publisher="CENTCOM")
    news = make.source(kind=Source.Kind.NEWS, publisher="Wire")
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL, publisher="Channel")
    for day, citations in (
        (20, [(official, "confirms")]),
        (24, [(news, "reports"), (official, "confirms")]),
        (25, [(channel, "claims")]),
        (28, [(channel, "claims")]),
        (30, [(channel, "claims"), (news, "claims")]),
        (30, [(news, "reports")]),
        (31, [(official, "confirms"), (news, "denies")]),
    ):
        make.incident(occurred_on=datetime.date(2023, 10, day), citations=citations)
    make.incident(
        occurred_on=datetime.date(2023, 10, 21),
        citations=[(official, "confirms")],
        status=Incident.Status.DRAFT,
    )
    for day, total in (
        (datetime.date(2023, 10, 24), 13),
        (datetime.date(2023, 11, 14), 55),
    ):
        OfficialTotal.objects.create(
            as_of=day, reported_by="Pentagon", total_attacks=total
        )


SPLIT_SENTENCE = {
    "en": (
        "By 2023-11-14, Pentagon counted 55 attacks. Documented here by then: 7, of "
        "which 2 confirmed by an official or independent source, 3 claimed only by "
        "the attackers' side, 1 reported otherwise and 1 disputed (a source denies "
        "them). A claim is not a confirmation."
    ),
    "ar": (
        "حتى 2023-11-14 أحصى Pentagon 55 هجومًا. والموثَّق هنا حتى ذلك التاريخ: 7، "
        "منها 2 أكّدها مصدر رسمي أو مستقل، و3 لم يُعلن تبنّيها إلا الطرف المهاجم، "
        "و1 مُبلَّغ عنها دون تأكيد، و1 متنازع عليها (ينفيها مصدر). والادعاء ليس "
        "تأكيدًا."
    ),
}
KEY = {
    "en": [
        "Official running total of attacks",
        "Documented here: all attacks",
        "Documented here: confirmed",
        "Documented here: claimed only",
    ],
    "ar": [
        "الحصيلة الرسمية التراكمية للهجمات",
        "الموثَّق هنا: كل الهجمات",
        "الموثَّق هنا: المؤكَّدة",
        "الموثَّق هنا: المُعلَن تبنّيها فقط",
    ],
}
LINES = [
    "bw-official-published",
    "bw-official-documented",
    "bw-official-confirmed",
    "bw-official-claimed",
]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_documented_count_is_split_by_confidence(
    page, live_server, cited_attacks, language
):
    """Confirmed and claimed-only attacks are lines of their own beside the
    official line, told apart by dashes as well as colour, each named in the
    legend; the sentence under the chart gives all four numbers, in Latin digits,
    and time runs left to right in Arabic too."""
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    open_map(page, live_server)
    expect(page.locator("html")).to_have_attribute("lang", language)
    chart = page.locator("#bw-official-chart")
    for level, count in (("confirmed", 2), ("claimed", 3), ("reported", 1)):
        expect(chart).to_have_attribute(f"data-{level}", str(count))
    expect(chart).to_have_attribute("data-disputed", "1")
    expect(chart).to_have_attribute("data-documented", "7")

    svg = chart.locator("svg[role=img]")
    dashes = {}
    for line in LINES:
        path = svg.locator(f"path.{line}")
        expect(path).to_have_count(1)
        expect(path).to_be_visible()
        style = path.evaluate(
            "n => [getComputedStyle(n).stroke, getComputedStyle(n).strokeDasharray]"
        )
        dashes[line] = style
    # Four colours and three dash patterns: no two lines alike without colour
    # but the official one, which carries its points.
    assert len({stroke for stroke, _dash in dashes.values()}) == 4
    assert dashes["bw-official-published"][1] == "none"
    assert dashes["bw-official-documented"][1] == "none"
    assert dashes["bw-official-confirmed"][1] not in (
        "none",
        dashes["bw-official-claimed"][1],
    )
    assert dashes["bw-official-claimed"][1] != "none"

    key = chart.locator(".bw-official-key li")
    expect(key).to_have_text(KEY[language])
    for index, line in enumerate(LINES):
        swatch = key.nth(index).locator(f"svg.bw-key-swatch line.{line}")
        expect(swatch).to_have_count(1)
        assert (
            swatch.evaluate("n => getComputedStyle(n).strokeDasharray")
            == dashes[line][1]
        )

    summary = chart.locator(".bw-official-summary")
    expect(summary).to_have_text(SPLIT_SENTENCE[language])
    expect(svg).to_have_attribute("aria-label", SPLIT_SENTENCE[language])

    # Time runs left to right: the earlier total's point is left of the later one,
    # and the first date is written at the left end of the axis.
    points = {
        point.get_attribute("data-as-of"): point.bounding_box()["x"]
        for point in svg.locator("circle.bw-official-point").all()
    }
    assert points["2023-10-24"] < points["2023-11-14"]
    first = svg.get_by_text("2023-10-24", exact=True).bounding_box()
    last = svg.get_by_text("2023-11-14", exact=True).bounding_box()
    assert first["x"] < last["x"]
