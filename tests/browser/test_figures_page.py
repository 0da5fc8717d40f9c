"""The figures page (/stats/) in a real browser: the official totals table with the
documented count split by confidence, in English and Arabic, on a desktop and on a
phone, where the wide tables scroll inside their own box and the page does not.
"""

import datetime

import pytest
from playwright.sync_api import expect

from incidents.models import Incident, OfficialTotal, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPLIT_NOTE = {
    "en": "claimed only by the attackers' side (their statements or channels), which "
    "is a claim, not a confirmation",
    "ar": "وهذا ادعاء لا تأكيد",
}
LEVELS = {
    "en": ["confirmed", "claimed only", "reported, not confirmed", "disputed"],
    "ar": ["مؤكَّد", "مُعلَن التبنّي فقط", "مُبلَّغ عنه، غير مؤكَّد", "متنازع عليه"],
}


@pytest.fixture
def totals(make):
    official = make.source(kind=Source.Kind.OFFICIAL)
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL)
    on = datetime.date(2023, 11, 1)
    for citations in (
        [(official, "confirms")],
        [(channel, "claims")],
        [(channel, "claims")],
        [],
    ):
        make.incident(occurred_on=on, citations=citations)
    make.incident(
        occurred_on=on,
        citations=[(official, "confirms")],
        status=Incident.Status.RETRACTED,
        retraction_reason="Duplicate.",
    )
    OfficialTotal.objects.create(
        as_of=datetime.date(2023, 11, 14),
        reported_by="Pentagon",
        scope="since Oct 17, US and coalition forces in Iraq and Syria",
        total_attacks=55,
        source_urls=["https://example.org/briefing"],
    )


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_official_table_shows_the_split_on_desktop_and_phone(
    page, live_server, totals, language, width
):
    page.set_viewport_size({"width": width, "height": 844})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/stats/")
    expect(page.locator("html")).to_have_attribute("lang", language)

    expect(page.locator("#bw-stats-official-split")).to_contain_text(
        SPLIT_NOTE[language]
    )
    table = page.locator("#bw-stats-official")
    expect(table.locator("thead tr").nth(1).locator("th")).to_have_text(
        LEVELS[language]
    )
    row = table.locator("tbody tr").first
    cells = {
        level: row.locator(f'td[data-confidence="{level}"]')
        for level in ("confirmed", "claimed", "reported", "disputed")
    }
    for level, count in (("confirmed", 1), ("claimed", 2), ("reported", 1)):
        expect(cells[level]).to_have_text(str(count))  # Latin digits in Arabic too
    expect(cells["disputed"]).to_have_text("0")

    # The page never scrolls sideways; a table wider than the screen scrolls in its
    # own box, and the split is reached there.
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    box = table.locator("xpath=..")
    expect(box).to_have_class("bw-table-wrap")
    box.evaluate(
        "n => { n.scrollLeft = getComputedStyle(n).direction === 'rtl'"
        " ? -n.scrollWidth : n.scrollWidth; }"
    )
    cells["disputed"].scroll_into_view_if_needed()
    expect(cells["disputed"]).to_be_in_viewport()
    # The date stays in view beside it.
    expect(row.locator("th[scope=row]")).to_be_in_viewport()
