"""Arabic in a real browser: right to left, mirrored, Arabic labels and names.

The ``page`` fixture answers every off-site request itself and fails the test on
any page error, console error or other off-site request.
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from incidents.models import Citation, Incident, Involvement, Source

from .reach import click_incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AL_OMAR_AR = "حقل العمر"
IRI_AR = "المقاومة الإسلامية في العراق"


@pytest.fixture
def world(make):
    """Two placed sites with Arabic names, one without; an actor with one."""
    al_omar = make.site(
        slug="al-omar",
        name="Al-Omar",
        name_ar=AL_OMAR_AR,
        kind="oil_field",
        latitude=35.15167,
        longitude=40.57583,
    )
    conoco = make.site(
        slug="conoco",
        name="Conoco",
        name_ar="حقل كونوكو",
        kind="oil_field",
        latitude=35.33611,
        longitude=40.30944,
    )
    tanf = make.site(
        slug="al-tanf", name="Al-Tanf", name_ar="", latitude=33.506, longitude=38.618
    )
    iri = make.actor(slug="iri", name="Islamic Resistance in Iraq", name_ar=IRI_AR)
    centcom = make.source(
        url="https://www.centcom.mil/statement",
        publisher="CENTCOM",
        kind=Source.Kind.OFFICIAL,
    )
    rockets = make.incident(
        sites=[al_omar],
        occurred_on=datetime.date(2023, 11, 15),
        weapon=Incident.Weapon.ROCKET,
        latitude=al_omar.latitude,
        longitude=al_omar.longitude,
        injured=None,
        killed=0,
        involvements=[(iri, Involvement.Role.CLAIMED_BY)],
    )
    drones = make.incident(
        sites=[conoco, tanf],
        occurred_on=datetime.date(2023, 10, 26),
        weapon=Incident.Weapon.DRONE,
        latitude=conoco.latitude,
        longitude=conoco.longitude,
        injured=4,
        citations=[(centcom, Citation.Stance.CONFIRMS)],
    )
    return {"al_omar": al_omar, "rockets": rockets, "drones": drones}


def wait_ready(page):
    expect(page.locator("#bw-app")).to_have_attribute("data-state", "ready")


def params(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def switch_language(page, code: str):
    """Choose a language in the switch, as a reader does: it switches at once."""
    with page.expect_navigation():
        page.locator("#bw-lang-select").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def open_site_popup(page, slug: str):
    # An incident's circle is drawn over its site's icon, so a real click would hit
    # the circle: the click goes to the icon itself, as a keyboard user's would.
    page.locator(f'.bw-site-marker[data-site-slug="{slug}"]').dispatch_event("click")
    expect(page.locator(".leaflet-popup-content .bw-site")).to_be_visible()


def panel_side(page) -> str:
    """Which side of the map the panel is on."""
    map_box = page.locator("#map").bounding_box()
    panel_box = page.locator(".bw-panel").bounding_box()
    if panel_box["x"] >= map_box["x"] + map_box["width"] - 1:
        return "right"
    if panel_box["x"] + panel_box["width"] <= map_box["x"] + 1:
        return "left"
    return "overlapping"


def test_switching_to_arabic_mirrors_the_map_and_names_things_in_arabic(
    page, live_server, world
):
    page.goto(f"{live_server.url}/?weapon=rocket,drone")
    wait_ready(page)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert panel_side(page) == "right"

    switch_language(page, "ar")
    wait_ready(page)

    expect(page.locator("html[dir=rtl][lang=ar]")).to_have_count(1)
    assert params(page.url)["weapon"] == "rocket,drone"
    expect(page.locator("#bw-filters-title")).to_have_text("عوامل التصفية")
    expect(page.locator("#bw-filters-title")).to_be_visible()
    expect(page.get_by_role("checkbox", name="طائرة مسيّرة", exact=True)).to_be_checked()
    assert panel_side(page) == "left"
    # Counts stay in Latin digits (see map/dom.js).
    expect(page.locator('.bw-totals [data-total="incidents"]')).to_have_text("2")

    # The list names sites in Arabic, marked as Arabic; a site with no Arabic
    # name keeps its English one, and the names are joined by an Arabic comma.
    rockets = page.locator(f'#bw-list li[data-incident-id="{world["rockets"].pk}"]')
    expect(rockets.locator(".bw-list-sites")).to_have_text(AL_OMAR_AR)
    expect(rockets.locator('.bw-list-sites [lang="ar"][dir="rtl"]')).to_have_text(
        AL_OMAR_AR
    )
    expect(rockets.locator(".bw-list-weapon")).to_have_text("قذيفة صاروخية")
    drones = page.locator(f'#bw-list li[data-incident-id="{world["drones"].pk}"]')
    expect(drones.locator(".bw-list-sites")).to_have_text("حقل كونوكو\u060c Al-Tanf")

    # The filters offer sites and actors by their Arabic names.
    site_option = page.locator('#bw-f-site option[value="al-omar"]')
    expect(site_option).to_have_text(AL_OMAR_AR)
    expect(site_option).to_have_attribute("lang", "ar")
    expect(page.locator('#bw-f-site option[value="al-tanf"]')).to_have_text("Al-Tanf")
    expect(page.locator('#bw-f-actor option[value="iri"]')).to_have_text(IRI_AR)

    # The site's label on the map is its Arabic name, and reads away from the icon
    # to its left (Leaflet leaves a tooltip's left unset, which RTL would move).
    label = page.locator(".bw-site-label").filter(has_text=AL_OMAR_AR)
    expect(label).to_be_visible()
    # Sized by its count once the counts are in (after the first draw): then measure.
    icon = page.locator('.bw-site-marker[data-site-slug="al-omar"]')
    expect(icon).to_have_attribute("data-count", "1")
    label_box = label.bounding_box()
    icon_box = icon.bounding_box()
    assert abs(label_box["x"] + label_box["width"] - icon_box["x"]) < 6
    assert (
        abs(
            (label_box["y"] + label_box["height"] / 2)
            - (icon_box["y"] + icon_box["height"] / 2)
        )
        < icon_box["height"]
    )

    # A site's popup: the Arabic name first, then the English one.
    open_site_popup(page, "al-omar")
    popup = page.locator(".leaflet-popup-content")
    title = popup.locator(".bw-popup-title")
    expect(title).to_have_text(f"{AL_OMAR_AR} Al-Omar")
    expect(title.locator("> span").first).to_have_attribute("lang", "ar")
    expect(popup.locator(".bw-kind dt")).to_have_text("النوع")
    page.keyboard.press("Escape")

    # An incident's popup: Arabic site and actor names and Arabic labels.
    click_incident(page, world["rockets"].pk)  # fanned out from under its site
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".bw-sites dd")).to_have_text(AL_OMAR_AR)
    expect(popup.locator(".bw-actors li")).to_have_text(f"{IRI_AR} (الجهة المتبنّية)")
    expect(popup.locator(".bw-actors li [lang=ar]")).to_have_text(IRI_AR)
    expect(popup.locator(".bw-weapon dd")).to_have_text("قذيفة صاروخية")
    expect(popup.locator(".bw-injured dd")).to_have_text("غير مُعلَن")
    expect(popup.locator(".bw-confidence")).to_have_text("مُبلَّغ عنه")


def test_switching_back_to_english_keeps_filters_set_after_the_page_loaded(
    page, live_server, world
):
    page.context.add_cookies(
        [{"name": "django_language", "value": "ar", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/?weapon=rocket")
    wait_ready(page)
    expect(page.locator("html[dir=rtl][lang=ar]")).to_have_count(1)

    # A filter chosen now is in the address, not in the page as it was served.
    page.get_by_role("checkbox", name="طائرة مسيّرة", exact=True).check()
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"weapon=rocket,drone"))
    before = params(page.url)

    switch_language(page, "en")
    wait_ready(page)
    expect(page.locator("html[dir=ltr][lang=en]")).to_have_count(1)
    expect(page.locator("#bw-filters-title")).to_have_text("Filters")
    assert params(page.url) == before
    expect(page.get_by_role("checkbox", name="drone", exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name="rocket", exact=True)).to_be_checked()
    assert panel_side(page) == "right"
    open_site_popup(page, "al-omar")
    expect(page.locator(".leaflet-popup-content .bw-popup-title")).to_have_text(
        f"Al-Omar {AL_OMAR_AR}"
    )


def test_arrowing_through_the_languages_does_not_reload_until_enter(
    page, live_server, world
):
    """WCAG 3.2.2: a keyboard user's arrows only choose; Enter (or the button) goes."""
    page.goto(f"{live_server.url}/?weapon=drone")
    expect(page.locator("#bw-app")).to_have_attribute("data-state", "ready")
    select = page.locator("#bw-lang-select")
    select.focus()
    select.press("ArrowDown")
    expect(select).to_have_value("ar")
    page.wait_for_timeout(500)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        select.press("Enter")
    expect(page.locator("html[dir=rtl][lang=ar]")).to_have_count(1)
    assert params(page.url)["weapon"] == "drone"  # the filters survive the switch


def test_the_switch_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    try:
        page = context.new_page()
        page.route(lambda url: not url.startswith(live_server.url), lambda r: r.abort())
        page.goto(f"{live_server.url}/?weapon=drone")
        page.locator("#bw-lang-select").select_option("ar")
        with page.expect_navigation():
            page.get_by_role("button", name="Switch language").click()
        expect(page.locator("html[dir=rtl][lang=ar]")).to_have_count(1)
        assert params(page.url) == {"weapon": "drone"}
        expect(page.locator("#bw-filters-title")).to_have_text("عوامل التصفية")
    finally:
        context.close()


def test_the_site_page_in_arabic(page, live_server, world):
    page.context.add_cookies(
        [{"name": "django_language", "value": "ar", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/sites/al-omar/")
    expect(page.locator("#bw-site")).to_have_attribute("data-state", "ready")

    expect(page.locator("html[dir=rtl][lang=ar]")).to_have_count(1)
    expect(page.locator("#bw-site-name > span").first).to_have_text(AL_OMAR_AR)
    expect(page.locator("#bw-about-title")).to_have_text("عن هذا الموقع")
    # The incident list names the actor in Arabic.
    item = page.locator(f'li[data-incident-id="{world["rockets"].pk}"]')
    expect(item.locator(".bw-actors li")).to_have_text(f"{IRI_AR} (الجهة المتبنّية)")
    # The nav mirrors: the way back on the right, the switch on the left.
    back = page.locator(".bw-back > a").bounding_box()
    switch = page.locator(".bw-back .bw-lang").bounding_box()
    assert switch["x"] + switch["width"] <= back["x"] + 1

    switch_language(page, "en")
    expect(page).to_have_url(f"{live_server.url}/sites/al-omar/")
    expect(page.locator("#bw-site-name > span").first).to_have_text("Al-Omar")
