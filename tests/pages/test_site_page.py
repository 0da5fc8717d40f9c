"""The site page at ``/sites/<slug>/``, without a browser.

What Django renders itself is pinned here: every name in its own script, the place
and how well it is known (or why it is not), escaping of hostile names, the data
URLs site/main.js reads, 404s, and a query count that does not grow with incidents.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from incidents.models import Incident, Site

pytestmark = pytest.mark.django_db

HOSTILE = "<script>window.__xss=1</script>"


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def get(client, slug: str):
    return client.get(reverse("incidents:site", kwargs={"slug": slug}))


@pytest.fixture
def ain_al_asad(make):
    return make.site(
        slug="ain-al-asad",
        name="Ain al-Asad",
        name_ar="عين الأسد",
        aliases=["Al Asad Airbase", "قاعدة الأسد"],
        kind=Site.Kind.AIRFIELD,
        country="IQ",
        admin1="Anbar",
        latitude=33.8,
        longitude=42.44,
        precision_m=2500,
        location_source="gazetteer: Wikidata Q1432096",
    )


@pytest.fixture
def qasrak(make):
    return make.site(
        slug="qasrak",
        name="Qasrak",
        latitude=None,
        longitude=None,
        precision_m=None,
        location_source="Named by the seed article; no published coordinates.",
    )


def test_placed_site_shows_names_place_precision_and_source(client, ain_al_asad):
    response = get(client, "ain-al-asad")

    assert response.status_code == 200
    html = response.content.decode()
    page = parse(html)
    arabic = [a for t, a in page.tags if a.get("class") == "bw-name-ar"]
    assert arabic == [{"class": "bw-name-ar", "lang": "ar", "dir": "rtl"}]
    for text in (
        "Ain al-Asad",
        "عين الأسد",
        "Al Asad Airbase",
        "قاعدة الأسد",
        "airfield",
        # The country by name, not its code (issue 20).
        "Iraq",
        "Anbar",
        '<bdi class="bw-coordinates" dir="ltr">33.8, 42.44</bdi>',
        'accurate to about <bdi dir="ltr">2500</bdi> m',
        "gazetteer: Wikidata Q1432096",
    ):
        assert text in html, text
    assert "location unknown" not in html
    # The small map, django-leaflet's way, and the circle flag for a coarse point.
    assert 'id="site-map"' in html
    assert "window.basewatchSiteMapInit" in html
    (app,) = [a for t, a in page.tags if a.get("id") == "bw-site"]
    assert app["data-latitude"] == "33.8"
    assert app["data-longitude"] == "42.44"
    assert app["data-precision-m"] == "2500"
    assert app["data-precision-circle"] == "yes"


def test_data_urls_reach_js_through_data_attributes(client, ain_al_asad):
    page = parse(get(client, "ain-al-asad").content.decode())

    (app,) = [a for t, a in page.tags if a.get("id") == "bw-site"]
    assert app["data-site-slug"] == "ain-al-asad"
    assert app["data-incidents-url"] == reverse("api:incident-list")
    assert app["data-timeline-url"] == reverse("api:stats-timeline")
    scripts = [a for t, a in page.tags if t == "script"]
    assert {"type": "module", "src": "/static/incidents/js/site/main.js"} in scripts
    # Labels reach JS as inert JSON, never as a script built from strings.
    assert {"id": "bw-labels", "type": "application/json"} in scripts
    links = [a["href"] for t, a in page.tags if t == "a"]
    assert reverse("incidents:map") in links


def test_precise_site_gets_no_circle(client, make):
    make.site(slug="precise", precision_m=500)
    page = parse(get(client, "precise").content.decode())
    (app,) = [a for t, a in page.tags if a.get("id") == "bw-site"]
    assert app["data-precision-circle"] == "no"


def test_unplaced_site_says_location_unknown_and_why(client, qasrak):
    response = get(client, "qasrak")

    assert response.status_code == 200
    html = response.content.decode()
    assert "location unknown" in html
    assert "Named by the seed article; no published coordinates." in html
    # No map to draw, so no map and no Leaflet.
    assert 'id="site-map"' not in html
    assert "leaflet.js" not in html
    (app,) = [a for t, a in parse(html).tags if a.get("id") == "bw-site"]
    assert "data-latitude" not in app


def test_unplaced_site_without_reason_says_so(client, make):
    make.site(slug="nowhere", latitude=None, longitude=None, location_source="")
    html = get(client, "nowhere").content.decode()
    assert "location unknown" in html
    assert "No reason recorded." in html


def test_attack_count_counts_published_incidents_only(client, make, ain_al_asad):
    make.incident(sites=[ain_al_asad])
    make.incident(sites=[ain_al_asad], occurred_on=datetime.date(2023, 12, 1))
    make.incident(sites=[ain_al_asad], status=Incident.Status.DRAFT)

    html = get(client, "ain-al-asad").content.decode()

    block = html.split('class="bw-attack-count"', 1)[1].split("</div>", 1)[0]
    assert "Published incidents" in block
    assert "<dd>2</dd>" in block


def test_hostile_names_aliases_and_location_source_are_escaped(client, make):
    make.site(slug="benign", name="Benign")
    make.site(slug="benign-unplaced", latitude=None, longitude=None, precision_m=None)
    make.site(
        slug="hostile",
        name=HOSTILE,
        name_ar=HOSTILE,
        aliases=[HOSTILE, '"><img src=x onerror=alert(1)>'],
        admin1=HOSTILE,
        location_source=HOSTILE,
    )
    make.site(
        slug="hostile-unplaced",
        name="Unplaced",
        latitude=None,
        longitude=None,
        precision_m=None,
        location_source=HOSTILE,
    )

    for slug, benign in (
        ("hostile", "benign"),
        ("hostile-unplaced", "benign-unplaced"),
    ):
        html = get(client, slug).content.decode()
        assert HOSTILE not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
        tags = [t for t, _a in parse(html).tags]
        assert "img" not in tags
        # Exactly the scripts a harmless site's page has: none came from the data.
        benign_tags = [t for t, _a in parse(get(client, benign).content.decode()).tags]
        assert tags.count("script") == benign_tags.count("script")


def test_unknown_slug_is_404(client):
    assert get(client, "no-such-site").status_code == 404


def test_malformed_slug_cannot_match_the_route(client):
    with pytest.raises(NoReverseMatch):
        reverse("incidents:site", kwargs={"slug": "bad slug/<x>"})
    assert client.get("/sites/bad%20slug/").status_code == 404
    assert client.get("/sites/%3Cscript%3E/").status_code == 404


def test_post_is_not_allowed(client, ain_al_asad):
    url = reverse("incidents:site", kwargs={"slug": "ain-al-asad"})
    assert client.post(url).status_code == 405


def test_query_count_does_not_grow_with_incidents(client, make, ain_al_asad):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert get(client, "ain-al-asad").status_code == 200
        return len(captured)

    few = queries()
    for day in range(1, 21):
        make.incident(
            sites=[ain_al_asad],
            occurred_on=datetime.date(2023, 11, day),
            injured=day,
        )
    assert queries() == few == 1


# --- names, not codes; directions for Arabic (issue 20) ------------------------------


def _region(html: str) -> str:
    return html.split('id="bw-region">', 1)[1].split("</dd>", 1)[0]


def test_country_and_governorate_are_named_in_the_readers_language(client, make):
    make.site(slug="conoco", name="Conoco", country="SY", admin1="Deir ez-Zor")
    make.site(slug="tanf", name="Al-Tanf", country="SY", admin1="")
    english = _region(get(client, "conoco").content.decode())
    assert english == '<bdi lang="en">Syria</bdi>, <bdi lang="en">Deir ez-Zor</bdi>'
    arabic = _region(
        client.get("/sites/conoco/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    )
    # The Arabic comma between them, each name isolated, no code in either.
    assert arabic == '<bdi lang="ar">سوريا</bdi>، <bdi lang="ar">دير الزور</bdi>'
    assert _region(get(client, "tanf").content.decode()) == '<bdi lang="en">Syria</bdi>'


def test_an_unknown_governorate_keeps_its_spelling_escaped_in_arabic(client, make):
    make.site(slug="x", name="X", country="IQ", admin1=HOSTILE)
    region = _region(
        client.get("/sites/x/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    )
    assert region == (
        '<bdi lang="ar">العراق</bdi>، '
        '<bdi lang="en">&lt;script&gt;window.__xss=1&lt;/script&gt;</bdi>'
    )


def test_arabic_page_isolates_coordinates_precision_and_lists(client, ain_al_asad):
    html = client.get("/sites/ain-al-asad/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<bdi class="bw-coordinates" dir="ltr">33.8, 42.44</bdi>' in html
    # "m" in Arabic, the number isolated inside the sentence.
    assert 'دقيق في حدود <bdi dir="ltr">2500</bdi> م تقريبًا' in html
    assert '<span class="bw-sep">، </span>' in html
    assert '<span class="bw-sep">, </span>' not in html


def test_the_site_page_is_one_main_landmark(client, ain_al_asad):
    page = parse(get(client, "ain-al-asad").content.decode())
    mains = [a for t, a in page.tags if t == "main"]
    assert [a.get("id") for a in mains] == ["bw-site"]
