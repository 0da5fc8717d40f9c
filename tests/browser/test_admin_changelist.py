"""The incident change list at a desktop width, in Chromium.

With the reference data (long site names, several actors an incident) the table
must fit a 1440 px window: the page does not scroll sideways and the last column's
header is on screen, in English and in Arabic (right to left, so its last column is
at the left edge).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-browser-test-password"  # noqa: S105
WIDTH = 1440


@pytest.fixture
def superuser_page(page, live_server, django_user_model):
    django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password=PASSWORD
    )
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    return page


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_incident_change_list_fits_1440_px(
    superuser_page, live_server, reference_data, language
):
    page = superuser_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("admin:incidents_incident_changelist"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() >= 50  # a full page of the reference incidents

    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"the page scrolls sideways: {scroll_width} px"
    # Django's admin wraps the table in a box that scrolls it sideways instead.
    box = page.locator("#changelist .results")
    overflow = box.evaluate("n => n.scrollWidth - n.clientWidth")
    assert overflow <= 0, f"the table is {overflow} px wider than its box"
    shown = box.bounding_box()
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= WIDTH
    headers = page.locator("#result_list thead th")
    for header in (headers.first, headers.last):
        cell = header.bounding_box()
        assert cell["x"] >= shown["x"] - 0.5
        assert cell["x"] + cell["width"] <= shown["x"] + shown["width"] + 0.5
        expect(header).to_be_visible()
    # Every column is still there: trimming must not hide information.
    expect(headers).to_have_count(11)  # the action checkbox and ten columns
