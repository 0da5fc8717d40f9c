"""The map a reader can read (issue 20), on the reference data, in English and
Arabic: site labels never collide and stay on the map, a site opens from the
middle of its icon, and every incident sharing a point can be opened from the
map by click and by keyboard (its stack badge fans them out).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from incidents.models import Incident, Site

from .conftest import BLANK_TILE
from .waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGS = ["en", "ar"]


@pytest.fixture
def reader(browser, live_server):
    """A page in a given language and viewport; any page error fails the test."""
    contexts = []
    errors: list[str] = []

    def open_page(lang: str, width: int = 1440, height: int = 900, query: str = ""):
        context = browser.new_context(
            locale="ar" if lang == "ar" else "en-US",
            viewport={"width": width, "height": height},
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type == "error" else None,
        )
        page.route(
            lambda url: not url.startswith(live_server.url),
            lambda route: (
                route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
                if route.request.resource_type == "image"
                else route.abort()
            ),
        )
        page.goto(f"{live_server.url}/{query}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("#bw-app")).to_have_attribute("data-state", "ready")
        # The counts have come (the sites are sized and labelled with them).
        expect(page.locator(".bw-site-marker[data-count='']")).to_have_count(0)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, "\n".join(errors)


def visible_labels(page) -> list[dict]:
    """The boxes of the site labels a reader sees, and the map's box."""
    return page.evaluate(
        """() => {
          const box = (n) => { const r = n.getBoundingClientRect();
            return {x: r.left, y: r.top, w: r.width, h: r.height}; };
          const labels = [...document.querySelectorAll('#map .bw-site-label')]
            .filter((n) => getComputedStyle(n).visibility === 'visible')
            .map((n) => ({text: n.textContent, ...box(n)}));
          return {labels, map: box(document.getElementById('map'))};
        }"""
    )


def assert_readable(page, least: int):
    settle_labels(page)
    found = visible_labels(page)
    labels, area = found["labels"], found["map"]
    assert len(labels) >= least, labels
    for i, a in enumerate(labels):
        assert a["x"] >= area["x"] - 0.5 and a["y"] >= area["y"] - 0.5, a
        assert a["x"] + a["w"] <= area["x"] + area["w"] + 0.5, (a, area)
        assert a["y"] + a["h"] <= area["y"] + area["h"] + 0.5, (a, area)
        for b in labels[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"]
                or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"]
                or b["y"] + b["h"] <= a["y"]
            )
            assert apart, f"{a['text']!r} overlaps {b['text']!r}: {a} {b}"
    return labels


def settle_labels(page):
    """Wait until the labels were placed after the map's last move."""
    previous = None
    for _attempt in range(20):
        current = page.locator("#map").get_attribute("data-labels-placed")
        if current is not None and current == previous:
            return
        previous = current
        page.wait_for_timeout(250)
    raise AssertionError("the labels kept moving")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [1440, 390])
def test_site_labels_never_collide_at_the_default_view(
    reader, reference_data, lang, width
):
    page = reader(lang, width=width, height=900 if width > 400 else 844)
    labels = assert_readable(page, least=5 if width > 400 else 2)
    # Some labels had to give way: the reference sites crowd at this view.
    hidden = page.locator("#map .bw-site-label.bw-label-hidden")
    assert hidden.count() > 0
    placed = Site.objects.filter(latitude__isnull=False).count()
    assert len(labels) + hidden.count() == placed


@pytest.mark.parametrize("lang", LANGS)
def test_site_labels_never_collide_at_zoom_8_around_deir_ez_zor(
    reader, reference_data, lang
):
    page = reader(lang, query="?lat=35.33&lon=40.14&z=8")
    assert_readable(page, least=4)


@pytest.mark.parametrize("lang", LANGS)
def test_a_hidden_label_keeps_its_name_and_shows_on_hover(reader, reference_data, lang):
    page = reader(lang)
    settle_labels(page)
    hidden = page.locator("#map .bw-site-label.bw-label-hidden").first
    expect(hidden).to_be_hidden()
    slug = hidden.get_attribute("data-site-slug")
    marker = page.locator(f'.bw-site-marker[data-site-slug="{slug}"]')
    name = marker.get_attribute("alt")
    assert name and hidden.text_content().startswith(name)
    expect(marker).to_have_attribute("title", name)
    marker.focus()  # a keyboard reader's tab onto the site
    expect(hidden).to_be_visible()
    marker.blur()
    expect(hidden).to_be_hidden()
    marker.dispatch_event("mouseover")  # the mouse, whatever lies above the icon
    expect(hidden).to_be_visible()
    marker.dispatch_event("click")
    expect(page.locator(".leaflet-popup-content .bw-site")).to_contain_text(name)


@pytest.mark.parametrize("lang", LANGS)
def test_a_site_opens_from_the_middle_of_its_icon(reader, reference_data, lang):
    page = reader(lang, query="?lat=33.8&lon=42.433&z=9")
    icon = page.locator('.bw-site-marker[data-site-slug="ain-al-asad"]')
    box = icon.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".bw-site")).to_be_visible()
    expect(popup.locator("a.bw-site-page-link")).to_have_attribute(
        "href", re.compile(r"/sites/ain-al-asad/$")
    )
    assert "incident=" not in page.url


def ain_al_asad_incidents() -> set[int]:
    ids = set(
        Incident.objects.published()
        .filter(sites__slug="ain-al-asad", latitude__isnull=False)
        .values_list("pk", flat=True)
    )
    assert len(ids) >= 5  # the issue counts ten
    return ids


def ain_al_asad_badge(page):
    site = Site.objects.get(slug="ain-al-asad")
    badge = page.locator(
        f'.bw-stack[data-point="{site.latitude:.5f},{site.longitude:.5f}"]'
    )
    expect(badge).to_have_count(1)
    return badge


def opened_incident(page) -> str:
    wait_until(page, "() => new URL(location.href).searchParams.has('incident')")
    return page.evaluate("() => new URL(location.href).searchParams.get('incident')")


def centre_of_uncertainty_is_the_true_point(page):
    """A fanned circle is drawn off its point: its uncertainty is not."""
    # Both read at once: the popup may still be panning the map.
    offset = page.evaluate(
        """() => {
          const circle = document.querySelector('.bw-uncertainty');
          if (!circle) return null;
          const icon = document.querySelector(
            '.bw-site-marker[data-site-slug="ain-al-asad"]');
          const mid = (n) => { const r = n.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2]; };
          const [a, b] = [mid(circle), mid(icon)];
          return Math.hypot(a[0] - b[0], a[1] - b[1]);
        }"""
    )
    assert offset is None or offset < 2, offset


@pytest.mark.parametrize("lang", LANGS)
def test_every_incident_at_ain_al_asad_opens_by_click(reader, reference_data, lang):
    expected = ain_al_asad_incidents()
    page = reader(lang, query="?lat=33.8&lon=42.433&z=9")
    badge = ain_al_asad_badge(page)
    badge.click()
    expect(badge).to_have_attribute("aria-expanded", "true")
    fanned = page.locator(".bw-incident-marker.bw-fanned")
    ids = fanned.evaluate_all("ns => ns.map(n => n.dataset.incidentId)")
    at_site = {int(i) for i in ids}
    assert expected <= at_site
    popup = page.locator(".leaflet-popup-content")
    for pk in sorted(expected):
        # A real click, at the circle's middle: nothing covers it once fanned.
        page.locator(f'.bw-incident-marker[data-incident-id="{pk}"]').click()
        expect(popup.locator(".bw-date")).to_be_visible()
        assert opened_incident(page) == str(pk)
        centre_of_uncertainty_is_the_true_point(page)
        page.keyboard.press("Escape")  # closes the popup, not the ring
        expect(page.locator(".leaflet-popup")).to_have_count(0)
        expect(badge).to_have_attribute("aria-expanded", "true")
    # A click on the map elsewhere puts them back.
    map_box = page.locator("#map").bounding_box()
    page.mouse.click(map_box["x"] + 30, map_box["y"] + map_box["height"] - 30)
    expect(badge).to_have_attribute("aria-expanded", "false")
    expect(fanned).to_have_count(0)


@pytest.mark.parametrize("lang", LANGS)
def test_every_incident_at_ain_al_asad_opens_by_keyboard(reader, reference_data, lang):
    expected = ain_al_asad_incidents()
    page = reader(lang, query="?lat=33.8&lon=42.433&z=9")
    badge = ain_al_asad_badge(page)
    assert badge.get_attribute("aria-label")
    badge.focus()
    page.keyboard.press("Enter")
    expect(badge).to_have_attribute("aria-expanded", "true")
    opened = set()
    for _step in range(len(expected) + 5):
        focused = page.evaluate(
            "() => document.activeElement.classList.contains('bw-fanned')"
            " && document.activeElement.dataset.incidentId"
        )
        if not focused:
            break
        assert page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        page.keyboard.press("Enter")
        expect(page.locator(".leaflet-popup-content .bw-date")).to_be_visible()
        assert opened_incident(page) == focused
        opened.add(int(focused))
        page.keyboard.press("Escape")  # closes the popup; focus back on its circle
        expect(page.locator(".leaflet-popup")).to_have_count(0)
        wait_until(
            page,
            f"() => document.activeElement.dataset.incidentId === '{focused}'",
        )
        page.keyboard.press("Tab")
    assert expected <= opened
    page.locator(".bw-incident-marker.bw-fanned").first.focus()
    page.keyboard.press("Escape")  # no popup open: the ring closes
    expect(badge).to_have_attribute("aria-expanded", "false")
    expect(badge).to_be_focused()


@pytest.mark.parametrize("lang", LANGS)
def test_clusters_never_hide_a_site_label(reader, make, settings, lang):
    # A row of incidents on both sides of Al-Omar, where its label reads in
    # either language: past the detail limit they are drawn as clusters.
    settings.BASEWATCH_MAP_DETAIL_LIMIT = 10
    site = make.site(slug="al-omar", name="Al-Omar", latitude=35.15, longitude=40.5)
    for i in range(-12, 13):
        for j in (-1, 0, 1):
            make.incident(
                sites=[site],
                occurred_on=datetime.date(2023, 11, 13 + i),
                latitude=35.15 + 0.0004 * j,
                longitude=40.5 + 0.003 * i,
            )
    page = reader(lang, query="?lat=35.15&lon=40.5&z=12")
    expect(page.locator("#bw-app")).to_have_attribute("data-mode", "clustered")
    expect(page.locator("#map .bw-cluster").first).to_be_visible()
    labels = assert_readable(page, least=1)
    # What is drawn at each point of each visible label is the label itself.
    covered = page.evaluate(
        """() => [...document.querySelectorAll('#map .bw-site-label')]
          .filter((n) => getComputedStyle(n).visibility === 'visible')
          .flatMap((n) => { const r = n.getBoundingClientRect();
            n.style.pointerEvents = 'auto';  // tooltips let clicks through
            const hits = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) =>
              n.contains(document.elementFromPoint(r.left + r.width * f,
                                                   r.top + r.height / 2)));
            n.style.pointerEvents = '';
            return hits; })"""
    )
    assert len(covered) == 5 * len(labels) and all(covered), covered
