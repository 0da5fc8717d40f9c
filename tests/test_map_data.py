"""The map page and its JSON endpoint, without a browser.

What a reader could be shown is decided here, so these tests pin it: published
incidents only, every row kept (unplaced ones with a null geometry), null casualties
distinct from 0, confidence from the SQL rule, hostile text passed through as data,
and a query count that does not grow with the number of rows.
"""

import datetime
from html.parser import HTMLParser

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.confidence import derive_confidence
from incidents.models import Citation, Incident, Involvement, Source

pytestmark = pytest.mark.django_db

SITE_PROPERTIES = {
    "slug",
    "name",
    "name_ar",
    "kind",
    "country",
    "admin1",
    "precision_m",
    "location_source",
    "attack_count",
}
INCIDENT_PROPERTIES = {
    "id",
    "occurred_on",
    "date_precision",
    "event_type",
    "weapon",
    "country",
    "injured",
    "killed",
    "summary",
    "confidence",
    "sites",
    "actors",
    "sources",
}
HOSTILE_SUMMARY = "<img src=x onerror=alert(1)>"


def fetch(client) -> dict:
    response = client.get(reverse("incidents:map-data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return orjson.loads(response.content)


def by_id(collection: dict) -> dict:
    return {f["id"]: f for f in collection["features"]}


def assert_feature_collection(collection: dict, properties: set[str]) -> None:
    assert collection["type"] == "FeatureCollection"
    assert isinstance(collection["features"], list)
    for feature in collection["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) == properties
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point"
            longitude, latitude = geometry["coordinates"]
            assert -180 <= longitude <= 180
            assert -90 <= latitude <= 90


def test_endpoint_answers_two_feature_collections(client, make):
    site = make.site()
    make.site(latitude=None, longitude=None)
    make.incident(sites=[site])
    make.incident(latitude=None, longitude=None)

    data = fetch(client)

    assert set(data) == {"sites", "incidents"}
    assert_feature_collection(data["sites"], SITE_PROPERTIES)
    assert_feature_collection(data["incidents"], INCIDENT_PROPERTIES)
    assert len(data["sites"]["features"]) == 2
    assert len(data["incidents"]["features"]) == 2


def test_empty_database_gives_empty_collections(client):
    data = fetch(client)
    assert data == {
        "sites": {"type": "FeatureCollection", "features": []},
        "incidents": {"type": "FeatureCollection", "features": []},
    }


def test_coordinates_are_longitude_latitude_with_six_decimals(client, make):
    # Latitude and longitude far apart, so a swap cannot go unnoticed.
    site = make.site(slug="ain-al-asad", latitude=33.7856249, longitude=42.4412501)
    incident = make.incident(sites=[site], latitude=36.1234567, longitude=44.0000004)

    data = fetch(client)

    site_feature = by_id(data["sites"])["ain-al-asad"]
    assert site_feature["geometry"] == {
        "type": "Point",
        "coordinates": [42.44125, 33.785625],
    }
    incident_feature = by_id(data["incidents"])[incident.pk]
    assert incident_feature["geometry"]["coordinates"] == [44.0, 36.123457]


def test_unplaced_rows_are_kept_with_null_geometry(client, make):
    placed = make.site(slug="placed")
    make.site(
        slug="qasrak",
        name="Qasrak",
        latitude=None,
        longitude=None,
        precision_m=None,
        location_source="Named in reports; no published coordinates.",
    )
    unplaced = make.incident(sites=[placed], latitude=None, longitude=None)

    data = fetch(client)

    qasrak = by_id(data["sites"])["qasrak"]
    assert qasrak["geometry"] is None
    assert qasrak["properties"]["name"] == "Qasrak"
    assert qasrak["properties"]["location_source"].startswith("Named in reports")
    assert by_id(data["sites"])["placed"]["geometry"] is not None
    assert by_id(data["incidents"])[unplaced.pk]["geometry"] is None


def test_only_published_incidents_are_served(client, make):
    site = make.site(slug="al-omar")
    published = make.incident(sites=[site], summary="published")
    hidden = [
        make.incident(sites=[site], status=status, summary=status)
        for status in (
            Incident.Status.DRAFT,
            Incident.Status.REVIEW,
            Incident.Status.RETRACTED,
        )
    ]

    data = fetch(client)

    served = by_id(data["incidents"])
    assert set(served) == {published.pk}
    assert not {i.pk for i in hidden} & set(served)
    summaries = [f["properties"]["summary"] for f in data["incidents"]["features"]]
    assert summaries == ["published"]
    # Counts a reader sees come from published incidents only.
    assert by_id(data["sites"])["al-omar"]["properties"]["attack_count"] == 1


def test_attack_count_counts_published_incidents_per_site(client, make):
    busy, quiet, untouched = make.site(), make.site(), make.site()
    make.incident(sites=[busy, quiet])
    make.incident(sites=[busy])
    make.incident(sites=[busy], status=Incident.Status.DRAFT)

    sites = by_id(fetch(client)["sites"])

    assert sites[busy.slug]["properties"]["attack_count"] == 2
    assert sites[quiet.slug]["properties"]["attack_count"] == 1
    assert sites[untouched.slug]["properties"]["attack_count"] == 0


def test_null_and_zero_casualties_stay_distinct(client, make):
    not_reported = make.incident(injured=None, killed=None)
    none_reported = make.incident(injured=0, killed=0)
    some = make.incident(injured=4, killed=0)

    incidents = by_id(fetch(client)["incidents"])

    assert incidents[not_reported.pk]["properties"]["injured"] is None
    assert incidents[not_reported.pk]["properties"]["killed"] is None
    assert incidents[none_reported.pk]["properties"]["injured"] == 0
    assert incidents[none_reported.pk]["properties"]["killed"] == 0
    assert incidents[some.pk]["properties"]["injured"] == 4
    assert incidents[some.pk]["properties"]["killed"] == 0


def test_incident_properties_carry_sites_actors_and_sources(client, make):
    site = make.site(slug="al-omar", name="Al-Omar")
    group = make.actor(slug="iri", name="Islamic Resistance in Iraq")
    article = make.source(
        url="https://politicalkeys.com/x",
        publisher="Political Keys",
        title="بماذا بررت",
        language="ar",
    )
    incident = make.incident(
        sites=[site],
        occurred_on=datetime.date(2023, 11, 15),
        date_precision=Incident.DatePrecision.WEEK,
        weapon=Incident.Weapon.ROCKET,
        summary="Rocket shells hit the base.",
        citations=[(article, Citation.Stance.REPORTS)],
        involvements=[(group, Involvement.Role.CLAIMED_BY)],
    )
    Citation.objects.filter(incident=incident).update(note="relays a claim")

    props = by_id(fetch(client)["incidents"])[incident.pk]["properties"]

    assert props["id"] == incident.pk
    assert props["occurred_on"] == "2023-11-15"
    assert props["date_precision"] == "week"
    assert props["event_type"] == "attack"
    assert props["weapon"] == "rocket"
    assert props["country"] == "SY"
    assert props["sites"] == [{"slug": "al-omar", "name": "Al-Omar"}]
    assert props["actors"] == [
        {"slug": "iri", "name": "Islamic Resistance in Iraq", "role": "claimed_by"}
    ]
    assert props["sources"] == [
        {
            "url": "https://politicalkeys.com/x",
            "publisher": "Political Keys",
            "title": "بماذا بررت",
            "language": "ar",
            "stance": "reports",
            "note": "relays a claim",
        }
    ]


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        ([], "reported"),
        ([("reports", Source.Kind.NEWS)], "reported"),
        ([("confirms", Source.Kind.OFFICIAL)], "confirmed"),
        ([("claims", Source.Kind.NEWS)], "claimed"),
        ([("reports", Source.Kind.CLAIM_CHANNEL)], "claimed"),
        ([("confirms", Source.Kind.CLAIM_CHANNEL)], "claimed"),
        ([("claims", Source.Kind.NEWS), ("reports", Source.Kind.NEWS)], "reported"),
        (
            [("confirms", Source.Kind.OFFICIAL), ("denies", Source.Kind.NEWS)],
            "disputed",
        ),
    ],
)
def test_confidence_is_derived_from_citations(client, make, citations, expected):
    incident = make.incident(
        citations=[(make.source(kind=kind), stance) for stance, kind in citations]
    )

    props = by_id(fetch(client)["incidents"])[incident.pk]["properties"]

    assert props["confidence"] == expected
    # The SQL rule the endpoint uses and the Python rule agree.
    assert derive_confidence((s, k) for s, k in citations) == expected


def _rich_incidents(make, count: int) -> None:
    sites = [make.site(), make.site(latitude=None, longitude=None)]
    actors = [make.actor(), make.actor()]
    for n in range(count):
        make.incident(
            sites=sites,
            citations=[
                (make.source(kind=Source.Kind.OFFICIAL), Citation.Stance.CONFIRMS),
                (make.source(), Citation.Stance.REPORTS),
            ],
            involvements=[
                (actors[0], Involvement.Role.CLAIMED_BY),
                (actors[1], Involvement.Role.TARGET),
            ],
            injured=n % 3 or None,
        )
    make.incident(sites=sites, status=Incident.Status.DRAFT)


def _queries_for_map_data(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        data = fetch(client)
    assert data["incidents"]["features"]
    return len(queries)


def test_query_count_does_not_grow_with_rows(
    client, make, django_assert_max_num_queries
):
    _rich_incidents(make, 5)
    few = _queries_for_map_data(client)

    _rich_incidents(make, 45)
    assert Incident.objects.published().count() == 50
    with django_assert_max_num_queries(few):
        data = fetch(client)

    assert len(data["incidents"]["features"]) == 50
    # Sites, incidents (with confidence), and one prefetch each for sites,
    # involvements+actors and citations+sources.
    assert few == 5


def test_hostile_text_is_passed_through_as_data(client, make):
    site = make.site(name='<script>alert("site")</script>', name_ar="</script>")
    hostile_source = make.source(
        url="javascript:alert(1)",
        publisher="<b>Evil</b>",
        title='"><svg onload=alert(1)>',
    )
    actor = make.actor(name="<iframe src=javascript:alert(1)>")
    incident = make.incident(
        sites=[site],
        summary=HOSTILE_SUMMARY,
        citations=[(hostile_source, Citation.Stance.REPORTS)],
        involvements=[(actor, Involvement.Role.PERPETRATOR)],
    )

    response = client.get(reverse("incidents:map-data"))
    data = orjson.loads(response.content)

    # JSON, labelled as such and not sniffable as HTML: the strings arrive verbatim
    # for map.js to insert as text.
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    props = by_id(data["incidents"])[incident.pk]["properties"]
    assert props["summary"] == HOSTILE_SUMMARY
    assert props["sites"][0]["name"] == '<script>alert("site")</script>'
    assert props["actors"][0]["name"] == "<iframe src=javascript:alert(1)>"
    assert props["sources"][0]["url"] == "javascript:alert(1)"
    assert props["sources"][0]["publisher"] == "<b>Evil</b>"
    assert by_id(data["sites"])[site.slug]["properties"]["name_ar"] == "</script>"


def test_map_data_refuses_writes(client):
    assert client.post(reverse("incidents:map-data")).status_code == 405


class _Scripts(HTMLParser):
    """Collects <script> elements and the data URLs named in data- attributes."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.data_urls: list[str] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("data-incidents-url", "data-sites-url", "data-actors-url"):
            if name in attributes:
                self.data_urls.append(attributes[name])
        if tag == "script":
            self._current = {"attrs": attributes, "text": ""}
            self.scripts.append(self._current)

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None


def test_map_page_names_the_api_urls_and_embeds_no_data(client, make):
    make.site(name="Tal Baydar <b>", latitude=36.7, longitude=40.6)
    make.incident(summary=HOSTILE_SUMMARY)

    response = client.get(reverse("incidents:map"))

    assert response.status_code == 200
    html = response.content.decode()
    parser = _Scripts()
    parser.feed(html)
    # The map reads the REST API (URLs from {% url %}), never data in the page.
    assert parser.data_urls == [
        reverse("api:incident-list"),
        reverse("api:site-list"),
        reverse("api:actor-list"),
    ]
    # Nothing from the database is in the page: map.js fetches it.
    assert "Tal Baydar" not in html
    assert "onerror" not in html
    # Our code arrives as a module file; the only inline executable script is
    # django-leaflet's loader, built from settings, not from data.
    modules = [s for s in parser.scripts if s["attrs"].get("type") == "module"]
    # (lang_switch.js, from base.html, only keeps the language form's "next" current.)
    assert [s["attrs"]["src"] for s in modules] == [
        "/static/incidents/js/map.js",
        "/static/incidents/js/lang_switch.js",
    ]
    inline = [
        s
        for s in parser.scripts
        if "src" not in s["attrs"] and s["attrs"].get("type") != "application/json"
    ]
    assert len(inline) == 1
    assert "L.Map.djangoMap" in inline[0]["text"]
    assert "window.basewatchMapInit" in inline[0]["text"]
    # Leaflet itself is served locally, never from a CDN.
    external = [
        s["attrs"]["src"]
        for s in parser.scripts
        if s["attrs"].get("src", "").startswith(("http:", "https:", "//"))
    ]
    assert external == []


def test_map_page_labels_are_inert_json(client):
    response = client.get(reverse("incidents:map"))
    parser = _Scripts()
    parser.feed(response.content.decode())

    (labels,) = [s for s in parser.scripts if s["attrs"].get("id") == "bw-labels"]
    assert labels["attrs"]["type"] == "application/json"
    decoded = orjson.loads(labels["text"])
    assert decoded["weapon"]["small_arms"] == "small arms"
    assert decoded["date_precision"] == {
        "week": "known to the week",
        "month": "known to the month",
    }
    assert decoded["text"]["not_reported"] != decoded["text"]["none_reported"]


def test_map_scripts_use_no_html_sinks():
    """Incident text is untrusted: the map's modules never parse strings as HTML."""
    from pathlib import Path

    from django.conf import settings

    js = Path(settings.BASE_DIR) / "static" / "incidents" / "js"
    files = [js / "map.js", *sorted((js / "map").glob("*.js"))]
    assert len(files) > 1
    sinks = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
    for path in files:
        code = "\n".join(
            line
            for line in path.read_text().splitlines()
            if not line.lstrip().startswith(("*", "/*", "//"))
        )
        for sink in sinks:
            assert sink not in code, f"{path.name} uses {sink}"
