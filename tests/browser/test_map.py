"""The public map in a real browser: markers, popups, the side panel, hostile data.

The ``page`` fixture answers every off-site request itself (tiles get a blank tile)
and fails the test on any page error, console error or other off-site request; so a
test here that passes is also a page that works offline and raised no error.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from incidents.models import Citation, Incident, Involvement, Site, Source

from .reach import click_incident
from .waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_SUMMARY = '<img src=x onerror="window.__xss=1">'


@pytest.fixture
def world(make):
    return build_world(make)


def build_world(make):
    """Four placed sites, one unplaced; four published incidents and one draft."""
    al_omar = make.site(
        slug="al-omar", name="Al-Omar", latitude=35.15167, longitude=40.57583
    )
    conoco = make.site(
        slug="conoco", name="Conoco", latitude=35.33611, longitude=40.30944
    )
    al_tanf = make.site(
        slug="al-tanf", name="Al-Tanf", latitude=33.50583, longitude=38.61778
    )
    tal_baydar = make.site(
        slug="tal-baydar", name="Tal Baydar", latitude=36.73, longitude=40.61
    )
    qasrak = make.site(
        slug="qasrak",
        name="Qasrak",
        latitude=None,
        longitude=None,
        precision_m=None,
        location_source="Named by the seed article; no published coordinates.",
    )
    iri = make.actor(slug="iri", name="Islamic Resistance in Iraq")
    political_keys = make.source(
        url="https://politicalkeys.com/news/seed",
        publisher="Political Keys",
        title="بماذا بررت كتائب المقاومة الإسلامية هجماتها",
        language="ar",
    )
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
        summary="Rocket shells hit the coalition base at the Al-Omar oil field.",
        citations=[(political_keys, Citation.Stance.REPORTS)],
        involvements=[(iri, Involvement.Role.CLAIMED_BY)],
    )
    drones = make.incident(
        sites=[conoco],
        occurred_on=datetime.date(2023, 10, 26),
        date_precision=Incident.DatePrecision.WEEK,
        weapon=Incident.Weapon.DRONE,
        latitude=conoco.latitude,
        longitude=conoco.longitude,
        injured=4,
        killed=None,
        citations=[(centcom, Citation.Stance.CONFIRMS)],
    )
    hostile = make.incident(
        sites=[al_tanf],
        occurred_on=datetime.date(2023, 10, 18),
        weapon=Incident.Weapon.MISSILE,
        latitude=al_tanf.latitude,
        longitude=al_tanf.longitude,
        summary=HOSTILE_SUMMARY,
        citations=[
            (
                make.source(
                    url="javascript:alert(1)", publisher="Hostile", title="click me"
                ),
                Citation.Stance.CLAIMS,
            )
        ],
    )
    unplaced = make.incident(
        sites=[qasrak],
        occurred_on=datetime.date(2023, 11, 2),
        weapon=Incident.Weapon.UNKNOWN,
        latitude=None,
        longitude=None,
        citations=[(political_keys, Citation.Stance.REPORTS)],
    )
    draft = make.incident(
        sites=[al_omar],
        status=Incident.Status.DRAFT,
        latitude=34.0,
        longitude=39.0,
        summary="DRAFT must not be seen",
    )
    return {
        "sites": {s.slug: s for s in (al_omar, conoco, al_tanf, tal_baydar, qasrak)},
        "rockets": rockets,
        "drones": drones,
        "hostile": hostile,
        "unplaced": unplaced,
        "draft": draft,
    }


def open_map(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.locator("#bw-app")).to_have_attribute("data-state", "ready")


def open_incident_popup(page, incident_id):
    """Open an incident's popup as a reader does: a real click on its marker
    (fanned out from its point's badge first when it sits under its site's icon)."""
    click_incident(page, incident_id)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    return popup


def test_markers_show_placed_sites_and_published_incidents_only(
    page, live_server, world
):
    open_map(page, live_server)

    placed_sites = Site.objects.filter(latitude__isnull=False).count()
    placed_published = (
        Incident.objects.published().filter(latitude__isnull=False).count()
    )
    assert (placed_sites, placed_published) == (4, 3)
    expect(page.locator(".bw-site-marker")).to_have_count(placed_sites)
    expect(page.locator(".bw-incident-marker")).to_have_count(placed_published)
    draft = page.locator(f'[data-incident-id="{world["draft"].pk}"]')
    expect(draft).to_have_count(0)
    assert "DRAFT must not be seen" not in page.content()

    # Sites look different from incidents: an icon, not a circle.
    site_tags = page.locator(".bw-site-marker").evaluate_all(
        "nodes => nodes.map(n => n.tagName)"
    )
    assert set(site_tags) == {"IMG"}
    incident_tags = page.locator(".bw-incident-marker").evaluate_all(
        "nodes => nodes.map(n => n.tagName)"
    )
    assert set(incident_tags) == {"path"}

    totals = page.locator(".bw-totals")
    expect(totals.locator('[data-total="sites-placed"]')).to_have_text("4")
    expect(totals.locator('[data-total="incidents-placed"]')).to_have_text("3")
    expect(totals.locator('[data-total="incidents-unplaced"]')).to_have_text("1")


def test_incident_popup_shows_date_site_weapon_casualties_and_sources(
    page, live_server, world
):
    open_map(page, live_server)

    popup = open_incident_popup(page, world["rockets"].pk)

    expect(popup.locator(".bw-date")).to_have_text("2023-11-15")
    expect(popup.locator(".bw-sites dd")).to_have_text("Al-Omar")
    expect(popup.locator(".bw-weapon dd")).to_have_text("rocket")
    expect(popup.locator(".bw-event dd")).to_have_text("attack")
    # null and 0 read differently.
    expect(popup.locator(".bw-injured dd")).to_have_text("not reported")
    expect(popup.locator(".bw-killed dd")).to_have_text("none reported")
    expect(popup.locator(".bw-confidence")).to_have_text("reported")
    expect(popup.locator(".bw-actors li")).to_have_text(
        "Islamic Resistance in Iraq (claimed by)"
    )
    expect(popup.locator(".bw-summary")).to_contain_text("Rocket shells")
    source = popup.locator(".bw-source")
    expect(source.locator(".bw-publisher")).to_have_text("Political Keys")
    expect(source.locator(".bw-language")).to_have_text("(ar)")
    expect(source.locator(".bw-stance")).to_have_text("reports")
    link = source.locator("a")
    expect(link).to_have_attribute("href", "https://politicalkeys.com/news/seed")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")
    details = popup.locator(".bw-incident-page a")
    expect(details).to_have_text("Details and corrections")
    expect(details).to_have_attribute("href", f"/incidents/{world['rockets'].pk}/")


def test_popup_says_how_precise_the_date_is(page, live_server, world):
    open_map(page, live_server)

    popup = open_incident_popup(page, world["drones"].pk)

    expect(popup.locator(".bw-date")).to_have_text("2023-10-26 (known to the week)")
    expect(popup.locator(".bw-injured dd")).to_have_text("4")
    expect(popup.locator(".bw-killed dd")).to_have_text("not reported")
    expect(popup.locator(".bw-confidence")).to_have_text("confirmed")


def test_site_popup_counts_published_incidents(page, live_server, world):
    open_map(page, live_server)

    page.locator('.bw-site-marker[data-site-slug="tal-baydar"]').click()
    popup = page.locator(".leaflet-popup-content")

    expect(popup.locator(".bw-popup-title")).to_have_text("Tal Baydar")
    expect(popup.locator(".bw-attack-count dd")).to_have_text("0")


def test_hostile_text_is_shown_as_text_and_never_runs(page, live_server, world):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_map(page, live_server)

    popup = open_incident_popup(page, world["hostile"].pk)

    expect(popup.locator(".bw-summary")).to_have_text(HOSTILE_SUMMARY)
    expect(popup.locator("img")).to_have_count(0)
    assert page.evaluate("typeof window.__xss") == "undefined"
    expect(page.locator('a[href^="javascript:"]')).to_have_count(0)
    # The javascript: URL is kept visible, as text, not as a link.
    expect(popup.locator(".bw-source a")).to_have_count(0)
    expect(popup.locator(".bw-unlinked")).to_have_text("click me")
    # Had the summary been parsed as HTML, the browser would have fetched "x".
    assert not [url for url in requested if url.endswith("/x")]


def test_unplaced_rows_are_listed_under_location_unknown(page, live_server, world):
    open_map(page, live_server)

    section = page.locator("#bw-unplaced")
    expect(section.locator("#bw-unplaced-title")).to_have_text("Location unknown")
    site = section.locator('#bw-unplaced-sites li[data-site-slug="qasrak"]')
    expect(site).to_contain_text("Qasrak")
    expect(site.locator(".bw-why")).to_have_text(
        "Named by the seed article; no published coordinates."
    )
    expect(section.locator('[data-total="sites-unplaced"]')).to_have_text("1")
    # Its page lists what happened there, though it has no point on the map.
    expect(site.locator("a")).to_have_attribute("href", "/sites/qasrak/")

    incident = section.locator(
        f'#bw-unplaced-incidents li[data-incident-id="{world["unplaced"].pk}"]'
    )
    expect(incident.locator("summary")).to_have_text("2023-11-02 · attack · Qasrak")
    incident.locator("summary").click()
    expect(incident.locator(".bw-publisher")).to_have_text("Political Keys")
    expect(incident.locator(".bw-source a")).to_have_attribute(
        "href", "https://politicalkeys.com/news/seed"
    )
    expect(incident.locator(".bw-incident-page a")).to_have_attribute(
        "href", f"/incidents/{world['unplaced'].pk}/"
    )


def test_markers_show_when_tiles_fail(page, live_server, world):
    # Registered after the fixture's route, so it wins: every tile fails.
    page.route(re.compile(r"tile\.openstreetmap\.org"), lambda route: route.abort())
    open_map(page, live_server)

    expect(page.locator(".bw-site-marker")).to_have_count(4)
    expect(page.locator(".bw-incident-marker")).to_have_count(3)
    open_incident_popup(page, world["rockets"].pk)
    # The failed tiles are expected here, and are the only errors allowed.
    tile_errors = [e for e in page.errors if "Failed to load resource" in e]
    assert tile_errors
    page.errors[:] = [e for e in page.errors if e not in tile_errors]


def test_panel_folds_under_the_map_on_a_phone(page, live_server, world):
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, live_server)

    map_box = page.locator("#map").bounding_box()
    panel_box = page.locator(".bw-panel").bounding_box()
    assert map_box["width"] == pytest.approx(390, abs=1)
    assert panel_box["y"] >= map_box["y"] + map_box["height"] - 1
    expect(page.locator(".bw-incident-marker")).to_have_count(3)


def test_reference_data_on_the_map(page, live_server, reference_data):
    open_map(page, live_server)

    expect(page.locator(".bw-site-marker")).to_have_count(19)
    expect(page.locator('[data-total="sites-placed"]')).to_have_text("19")
    expect(page.locator("#bw-unplaced-sites li[data-site-slug]")).to_have_count(7)
    expect(
        page.locator('#bw-unplaced-sites li[data-site-slug="qasrak"]')
    ).to_have_count(1)

    unplaced = Incident.objects.published().filter(latitude__isnull=True).count()
    assert unplaced > 0
    expect(page.locator("#bw-unplaced-incidents li[data-incident-id]")).to_have_count(
        unplaced
    )

    # The attack the project was conceived from: Al-Omar, 15 November 2023, as
    # reported by the Political Keys article. Several incidents may share the
    # Al-Omar point, so each popup is opened on its own marker with a click event
    # at the marker's centre rather than a click on whichever circle is on top.
    candidates = list(
        Incident.objects.published()
        .filter(occurred_on=datetime.date(2023, 11, 15), sites__slug="al-omar")
        .values_list("pk", flat=True)
    )
    assert candidates
    publishers_seen = []
    for pk in candidates:
        marker = page.locator(f'.bw-incident-marker[data-incident-id="{pk}"]')
        expect(marker).to_have_count(1)
        box = marker.bounding_box()
        marker.dispatch_event(
            "click",
            {
                "clientX": box["x"] + box["width"] / 2,
                "clientY": box["y"] + box["height"] / 2,
            },
        )
        popup = page.locator(".leaflet-popup-content")
        expect(popup.locator(".bw-date time")).to_have_text("2023-11-15")
        expect(popup.locator(".bw-sites dd")).to_contain_text("Al-Omar")
        publishers_seen += popup.locator(".bw-publisher").all_text_contents()
        page.keyboard.press("Escape")
    assert "Political Keys" in publishers_seen


# ----- filters, the list, permalinks, downloads (the map reads the REST API) -----


def api_features(page, live_server, query: str) -> dict:
    """What the API answers for ``query``: the test compares the map against it."""
    response = page.request.get(
        f"{live_server.url}/api/v1/incidents/?{query}&page_size=10000"
    )
    assert response.ok
    return response.json()


def wait_ready(page):
    expect(page.locator("#bw-app")).to_have_attribute("data-state", "ready")


def settled_url(page) -> str:
    """The address once the map has stopped moving: choosing an incident flies
    to it, and the view in the address follows the flight. Read mid-flight, the
    address (and the link copied from it) would name a view the map then left."""
    previous = None
    for _attempt in range(100):
        wait_until(
            page,
            "() => document.querySelector('#bw-permalink').value === location.href",
        )
        current = page.url
        if current == previous:
            return current
        previous = current
        page.wait_for_timeout(300)
    raise AssertionError(f"the address kept changing: {previous}")


def url_params(url: str) -> dict:
    from urllib.parse import parse_qs, urlsplit

    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_weapon_filter_matches_the_api(page, live_server, reference_data):
    open_map(page, live_server)
    everything = api_features(page, live_server, "")
    expect(page.locator('[data-total="incidents"]')).to_have_text(
        str(everything["count"])
    )

    page.get_by_role("checkbox", name="drone", exact=True).check()
    wait_ready(page)

    drones = api_features(page, live_server, "weapon=drone")
    placed = [f for f in drones["features"] if f["geometry"]]
    assert 0 < drones["count"] < everything["count"]
    expect(page.locator(".bw-incident-marker")).to_have_count(len(placed))
    expect(page.locator(".bw-weapon-drone")).to_have_count(len(placed))
    expect(page.locator('[data-total="incidents"]')).to_have_text(str(drones["count"]))
    # Every match is listed: the placed ones in view, the rest under "no location".
    listed = page.locator("#bw-list li[data-incident-id]")
    expect(listed).to_have_count(len(placed))
    unplaced = page.locator("#bw-list-unplaced li[data-incident-id]")
    expect(unplaced).to_have_count(drones["count"] - len(placed))
    # Newest first, as the API orders them.
    ids = listed.evaluate_all("nodes => nodes.map(n => Number(n.dataset.incidentId))")
    assert ids == [f["id"] for f in placed]
    assert url_params(page.url)["weapon"] == "drone"


def test_actor_filter_includes_umbrella_members(page, live_server, reference_data):
    open_map(page, live_server)
    select = page.get_by_label("Actor")
    # The actor options arrive after the first draw: wait for them.
    expect(select.locator("option", has_text="Kataib Hezbollah")).to_have_count(1)
    # Members are indented under their umbrella.
    option_texts = select.locator("option").all_text_contents()
    umbrella = option_texts.index("Islamic Resistance in Iraq")
    members = {"Kataib Hezbollah", "Kataib Sayyid al-Shuhada", "Tashkil al-Waritheen"}
    following = option_texts[umbrella + 1 : umbrella + 1 + len(members)]
    assert all(text.startswith("\u00a0") for text in following)
    assert {text.strip() for text in following} == members

    select.select_option("islamic-resistance-in-iraq")
    wait_ready(page)
    expected = api_features(page, live_server, "actor=islamic-resistance-in-iraq")
    expect(page.locator('[data-total="incidents"]')).to_have_text(
        str(expected["count"])
    )
    placed = [f for f in expected["features"] if f["geometry"]]
    expect(page.locator(".bw-incident-marker")).to_have_count(len(placed))


def test_actor_and_site_in_the_address_show_by_name(page, live_server, reference_data):
    # The selects are filled after the page starts: the address's values must end up
    # on the real options, not on stand-ins showing the slug.
    page.goto(f"{live_server.url}/?actor=kataib-hezbollah&site=al-tanf")
    wait_ready(page)
    actor = page.get_by_label("Actor")
    expect(actor.locator("option[data-unlisted]")).to_have_count(0)
    expect(actor).to_have_value("kataib-hezbollah")
    name = actor.evaluate("s => s.selectedOptions[0].textContent.trim()")
    assert name == "Kataib Hezbollah"
    site = page.get_by_label("Site")
    expect(site.locator("option[data-unlisted]")).to_have_count(0)
    assert site.evaluate("s => s.selectedOptions[0].textContent") == "Al-Tanf Garrison"
    expected = api_features(page, live_server, "actor=kataib-hezbollah&site=al-tanf")
    expect(page.locator('[data-total="incidents"]')).to_have_text(
        str(expected["count"])
    )


def test_text_search_is_debounced_and_filters(page, live_server, world):
    open_map(page, live_server)
    page.get_by_label("Search text").fill("Rocket shells")
    expect(page.locator(".bw-incident-marker")).to_have_count(1)
    expect(
        page.locator(f'.bw-incident-marker[data-incident-id="{world["rockets"].pk}"]')
    ).to_have_count(1)
    assert url_params(page.url)["q"] == "Rocket shells"

    page.get_by_role("button", name="Clear filters").click()
    expect(page.locator(".bw-incident-marker")).to_have_count(3)
    expect(page.get_by_label("Search text")).to_have_value("")
    assert "q" not in url_params(page.url)


def test_clicking_a_list_item_opens_its_popup(page, live_server, world):
    open_map(page, live_server)
    rockets = world["rockets"].pk

    item = page.locator(f'#bw-list li[data-incident-id="{rockets}"] button')
    expect(item).to_contain_text("2023-11-15")
    expect(item).to_contain_text("rocket")
    expect(item).to_contain_text("Al-Omar")
    expect(item).to_contain_text("reported")
    item.click()

    popup = page.locator(f'.leaflet-popup-content [data-incident-id="{rockets}"]')
    expect(popup).to_be_visible()
    expect(popup.locator(".bw-summary")).to_contain_text("Rocket shells")
    expect(page).to_have_url(re.compile(rf"[?&]incident={rockets}(&|$)"))

    # Esc closes it, and the address forgets it.
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"incident="))

    # An incident without a point opens its details in the panel instead.
    unplaced = world["unplaced"].pk
    page.locator(f'#bw-list-unplaced li[data-incident-id="{unplaced}"] button').click()
    details = page.locator(f'#bw-unplaced-incidents li[data-incident-id="{unplaced}"]')
    expect(details.locator("details")).to_have_attribute("open", "")
    expect(details.locator(".bw-publisher")).to_be_visible()


def test_list_follows_the_map_bounds(page, live_server, world):
    open_map(page, live_server)
    expect(page.locator("#bw-list li[data-incident-id]")).to_have_count(3)
    # Fly to one incident and zoom in: the others (200 km away) leave the view.
    hostile = world["hostile"].pk  # Al-Tanf, far from the other two
    page.locator(f'#bw-list li[data-incident-id="{hostile}"] button').click()
    expect(page.locator(".leaflet-popup-content")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]z=8(&|$)"))
    page.locator(".leaflet-control-zoom-in").click()
    expect(page).to_have_url(re.compile(r"[?&]z=9(&|$)"))
    page.locator(".leaflet-control-zoom-in").click()
    expect(page).to_have_url(re.compile(r"[?&]z=10(&|$)"))
    expect(page.locator("#bw-list li[data-incident-id]")).to_have_count(1)
    expect(page.locator(f'#bw-list li[data-incident-id="{hostile}"]')).to_have_count(1)
    expect(page.locator("#bw-list-unplaced li[data-incident-id]")).to_have_count(1)


def test_permalink_round_trip(page, live_server, world):
    open_map(page, live_server)
    page.get_by_role("checkbox", name="rocket", exact=True).check()
    page.get_by_role("checkbox", name="drone", exact=True).check()
    page.get_by_label("From").fill("2023-10-20")
    wait_ready(page)
    expect(page.locator(".bw-incident-marker")).to_have_count(2)
    page.locator(".leaflet-control-zoom-in").click()
    drones = world["drones"].pk
    page.locator(f'#bw-list li[data-incident-id="{drones}"] button').click()
    expect(
        page.locator(f'.leaflet-popup [data-incident-id="{drones}"]')
    ).to_be_visible()

    url = settled_url(page)
    params = url_params(url)
    assert params["weapon"] == "rocket,drone"
    assert params["date_from"] == "2023-10-20"
    assert params["incident"] == str(drones)
    assert {"lat", "lon", "z"} <= set(params)
    expect(page.locator("#bw-permalink")).to_have_value(url)

    fresh = page.context.new_page()
    fresh.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    fresh.goto(url)
    wait_ready(fresh)
    expect(fresh.get_by_role("checkbox", name="rocket", exact=True)).to_be_checked()
    expect(fresh.get_by_role("checkbox", name="drone", exact=True)).to_be_checked()
    expect(
        fresh.get_by_role("checkbox", name="missile", exact=True)
    ).not_to_be_checked()
    expect(fresh.get_by_label("From")).to_have_value("2023-10-20")
    expect(fresh.locator(".bw-incident-marker")).to_have_count(2)
    expect(
        fresh.locator(f'.leaflet-popup [data-incident-id="{drones}"]')
    ).to_be_visible()
    restored = url_params(fresh.url)
    assert restored["z"] == params["z"]
    assert restored["incident"] == str(drones)
    assert float(restored["lat"]) == pytest.approx(float(params["lat"]), abs=0.05)
    assert float(restored["lon"]) == pytest.approx(float(params["lon"]), abs=0.05)
    fresh.close()


def test_back_button_restores_the_previous_filter(page, live_server, world):
    open_map(page, live_server)
    rocket = page.get_by_role("checkbox", name="rocket", exact=True)
    missile = page.get_by_role("checkbox", name="missile", exact=True)
    rocket.check()
    expect(page.locator(".bw-incident-marker")).to_have_count(1)
    missile.check()
    expect(page.locator(".bw-incident-marker")).to_have_count(2)

    page.go_back()
    expect(rocket).to_be_checked()
    expect(missile).not_to_be_checked()
    expect(page.locator(".bw-incident-marker")).to_have_count(1)
    assert url_params(page.url)["weapon"] == "rocket"

    page.go_back()
    expect(rocket).not_to_be_checked()
    expect(page.locator(".bw-incident-marker")).to_have_count(3)

    page.go_forward()
    expect(rocket).to_be_checked()
    expect(page.locator(".bw-incident-marker")).to_have_count(1)


def test_download_links_carry_the_filters(page, live_server, world):
    open_map(page, live_server)
    page.get_by_role("checkbox", name="drone", exact=True).check()
    page.get_by_label("Country").select_option("SY")
    wait_ready(page)

    csv = page.locator("#bw-download-csv")
    geojson = page.locator("#bw-download-geojson")
    csv_params = url_params(csv.get_attribute("href"))
    geojson_params = url_params(geojson.get_attribute("href"))
    assert csv_params["weapon"] == geojson_params["weapon"] == "drone"
    assert csv_params["country"] == geojson_params["country"] == "SY"
    assert csv_params["format"] == "csv"
    assert "format" not in geojson_params

    answer = page.request.get(live_server.url + geojson.get_attribute("href"))
    assert answer.ok
    assert [f["id"] for f in answer.json()["features"]] == [world["drones"].pk]
    answer = page.request.get(live_server.url + csv.get_attribute("href"))
    assert answer.ok
    assert answer.headers["content-type"].startswith("text/csv")
    lines = answer.text().strip().splitlines()
    assert len(lines) == 2  # the header and the one drone attack in Syria
    assert lines[1].startswith(f"{world['drones'].pk},")


def test_the_figures_link_carries_the_filters_and_back(page, live_server, world):
    open_map(page, live_server)
    page.get_by_role("checkbox", name="drone", exact=True).check()
    page.get_by_label("Country").select_option("SY")
    wait_ready(page)
    link = page.locator("#bw-stats-link")
    assert url_params(link.get_attribute("href")) == {
        "weapon": "drone",
        "country": "SY",
    }
    link.click()
    expect(page.locator("#bw-stats-summary")).to_contain_text("1")
    summary = page.locator("#bw-stats-summary a").first
    assert summary.inner_text() == "1"  # the one drone attack in Syria
    page.locator("#bw-stats-back").click()
    wait_ready(page)
    expect(page.get_by_role("checkbox", name="drone", exact=True)).to_be_checked()
    expect(page.get_by_label("Country")).to_have_value("SY")


def test_copy_link_falls_back_to_selecting_the_link(page, live_server, world):
    open_map(page, live_server)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#bw-copy-status")).not_to_be_empty()
    value = page.locator("#bw-permalink").input_value()
    assert value == page.url
    # Either copied, or the link is selected for the reader to copy.
    copied = page.locator("#bw-copy-status").text_content() == "Link copied."
    selected = page.evaluate(
        "() => { const i = document.getElementById('bw-permalink');"
        " return i.selectionEnd - i.selectionStart; }"
    )
    assert copied or selected == len(value)


HOSTILE_TITLE = '<img src=x onerror="window.__xss=2"><script>window.__xss=3</script>'


def test_hostile_summary_title_and_names_render_as_text(page, live_server, make):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    site = make.site(slug="evil", name=HOSTILE_TITLE, latitude=35.0, longitude=40.0)
    actor = make.actor(slug="evil-actor", name=HOSTILE_TITLE)
    summary = "<script>window.__xss=4</script>" + HOSTILE_SUMMARY
    incident = make.incident(
        sites=[site],
        summary=summary,
        citations=[
            (
                make.source(url="https://example.org/evil", title=HOSTILE_TITLE),
                Citation.Stance.REPORTS,
            )
        ],
        involvements=[(actor, Involvement.Role.CLAIMED_BY)],
    )
    open_map(page, live_server)

    item = page.locator(f'#bw-list li[data-incident-id="{incident.pk}"]')
    expect(item.locator(".bw-list-sites")).to_have_text(HOSTILE_TITLE)
    expect(page.get_by_label("Site").locator('option[value="evil"]')).to_have_text(
        HOSTILE_TITLE
    )
    expect(
        page.get_by_label("Actor").locator('option[value="evil-actor"]')
    ).to_have_text(HOSTILE_TITLE)
    item.locator("button").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".bw-summary")).to_have_text(summary)
    link = popup.locator(".bw-source a")
    expect(link).to_have_text(HOSTILE_TITLE)
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(popup.locator(".bw-sites dd")).to_have_text(HOSTILE_TITLE)
    # No element was made from the text: the panel has no image, and the only one
    # in the map's controls is the legend's shield.
    expect(page.locator(".leaflet-popup img, .leaflet-popup script")).to_have_count(0)
    expect(page.locator(".bw-panel script")).to_have_count(0)
    expect(page.locator(".bw-panel img")).to_have_count(0)
    expect(page.locator(".leaflet-control-container img")).to_have_count(1)
    expect(page.locator(".bw-map-legend-site img")).to_have_count(1)
    # The site's permanent label on the map is text too.
    label = page.locator(".bw-site-label").filter(has_text=HOSTILE_TITLE)
    expect(label).to_have_count(1)
    expect(page.locator(".bw-site-label img, .bw-site-label script")).to_have_count(0)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not [url for url in requested if url.endswith("/x")]


def test_unusable_values_in_the_address_are_named_and_not_applied(
    page, live_server, world
):
    """A bad filter is the API's 400: named, kept in the address, not applied (the
    whole parameter, as the API refuses it whole); a view or incident that is not
    one is the map's own and simply dropped."""
    page.goto(
        live_server.url
        + "/?weapon=laser,drone&date_from=yesterday&z=99&lat=x&incident=abc"
    )
    wait_ready(page)
    status = page.locator("#bw-status")
    expect(status).to_contain_text("The filters in this address are not valid:")
    expect(status).to_contain_text("weapon:")
    expect(status).to_contain_text("date_from:")
    expect(page.get_by_role("checkbox", name="drone", exact=True)).not_to_be_checked()
    expect(page.get_by_label("From")).to_have_value("")
    expect(page.locator(".bw-incident-marker")).to_have_count(3)
    params = url_params(page.url)
    assert params["weapon"] == "laser,drone"
    assert params["date_from"] == "yesterday"
    assert "incident" not in params
    assert params["z"] != "99"


def test_keyboard_reaches_a_list_item_and_esc_returns_to_it(page, live_server, world):
    open_map(page, live_server)
    rockets = world["rockets"].pk
    button = page.locator(f'#bw-list li[data-incident-id="{rockets}"] button')
    button.focus()
    page.keyboard.press("Enter")
    expect(
        page.locator(f'.leaflet-popup [data-incident-id="{rockets}"]')
    ).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(button).to_be_focused()
