"""Place-name matching and the offline gazetteer geocoder (``incidents.geo``)."""

import json
import socket
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from geopy.exc import GeocoderServiceError
from geopy.location import Location

from incidents.geo.gazetteer import GazetteerGeocoder, OfflineAdapter
from incidents.geo.matching import Match, NameIndex, match_key, match_name
from tests import ROOT

FIXTURE = ROOT / "fixtures" / "sites.json"
SITES = [row["fields"] for row in json.loads(FIXTURE.read_text(encoding="utf-8"))]
EVERY_NAME = [
    (site["slug"], name)
    for site in SITES
    for name in [site["name"], site["name_ar"], *site["aliases"]]
    if name
]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the gazetteer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def geocoder(reference_data, no_network):
    return GazetteerGeocoder()


@pytest.fixture(scope="module")
def index():
    """The reference sites indexed straight from fixtures/sites.json: the same
    matching as the geocoder's, without loading the database for each case."""
    return NameIndex(
        (site["slug"], [site["name"], site["name_ar"], *site["aliases"]])
        for site in SITES
    )


# --- match_key ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (
            ["عين الأسد", "عَيْن الأَسَد", "قاعدة عين الاسد", "قاعدة عين الأسد الجوية"],
            "عين اسد",
        ),
        (["Al-Tanf", "at-Tanf", "At Tanf", "al Tanf garrison", "Tanf base"], "tanf"),
        (["Ain al-Asad Air Base", "Ain Al Assad", "ain-al-asad airbase"], "ain asad"),
        (["Al-Shaddadi", "ash-Shaddadi", "Ash Shaddadi", "Shadadi"], "shadadi"),
        (["Deir ez-Zor", "Deir al-Zor", "Dayr az-Zor", "Dair Ez Zor"], "dair zor"),
        (["Ayn al-Asad", "Ain al-Asad"], "ain asad"),
        (["Mayadeen", "Mayadin", "al-Mayadin city"], "mayadin"),
        (["حقل كونيكو للغاز", "حقل كونيكو", "كونيكو"], "كونيكو"),
    ],
)
def test_spellings_of_one_place_share_a_key(variants, key):
    assert {match_key(v) for v in variants} == {key}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Base", "base"),  # a generic word alone stays: it names nothing
        ("قاعدة", "قاعده"),
        ("Union III", "union iii"),  # Roman numerals are not doubled letters
        ("International Zone", "international zone"),
        ("Baghdad International Airport", "baghdad"),
        ("at the base", "at the"),  # English "at" is no article before "the"
        ("", ""),
        (" -- ", ""),
    ],
)
def test_match_key_edge_cases(text, key):
    assert match_key(text) == key


# --- match_name on hand-made candidates ---------------------------------------


def test_exact_beats_a_normalised_tie():
    candidates = [("a", ["Qaim"]), ("b", ["Al-Qaim base"])]
    assert match_name("qaim", candidates) == Match("a", "exact", 1.0, "Qaim")
    # Without the exact spelling both sites are equally good: no guess.
    assert match_name("al qaim", candidates) is None


def test_the_same_name_for_two_sites_is_ambiguous():
    candidates = [("a", ["Green Zone"]), ("b", ["green zone"])]
    assert match_name("Green Zone", candidates) is None


def test_fuzzy_needs_a_clear_winner():
    candidates = [("a", ["Tal Hamid"]), ("b", ["Tal Hamad"])]
    assert match_name("Tal Hamud", candidates) is None
    assert match_name("Tal Hamidd", [("a", ["Tal Hamid"])]).method == "normalised"
    found = match_name("Tal Hamit", [("a", ["Tal Hamid"])])
    assert found.slug == "a"
    assert found.method == "fuzzy"
    assert 0.85 <= found.score < 1


def test_fuzzy_never_changes_a_number():
    candidates = [("t22", ["Tower 22"]), ("u3", ["Union III"])]
    assert match_name("Tower 23", candidates) is None
    assert match_name("Union II", candidates) is None
    assert match_name("Towr 22", candidates).slug == "t22"


def test_a_shortened_name_does_not_steal_another_sites_name():
    # "Green Zone (al-Omar)" also yields "Green Zone", unless another site owns it.
    candidates = [("omar", ["Green Zone (al-Omar)"]), ("embassy", ["Green Zone"])]
    assert match_name("green-zone", candidates).slug == "embassy"
    assert match_name("green-zone", candidates[:1]).slug == "omar"


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "x" * 201])
def test_empty_or_absurd_query_is_an_error(query):
    with pytest.raises(ValueError, match="place name"):
        match_name(query, [("a", ["Tanf"])])


def test_punctuation_only_query_matches_nothing():
    assert match_name("!!!", [("a", ["Tanf"])]) is None


def test_index_ignores_blank_names():
    index = NameIndex([("a", ["", "  ", "Tanf"])])
    assert index.match("tanf").slug == "a"


# --- the reference gazetteer ------------------------------------------------------


@pytest.mark.parametrize(("slug", "name"), EVERY_NAME)
def test_every_name_and_alias_resolves_to_its_own_site(index, slug, name):
    found = index.match(name)
    assert found is not None, name
    assert (found.slug, found.method) == (slug, "exact")


def test_the_geocoder_resolves_every_name_from_the_database(geocoder):
    wrong = []
    for slug, name in EVERY_NAME:
        found = geocoder.match(name)
        if found is None or (found.slug, found.method) != (slug, "exact"):
            wrong.append((name, slug, found))
    assert wrong == []
    wrong = []
    for query, slug, method in VARIANTS:
        found = geocoder.match(query)
        if found is None or (found.slug, found.method) != (slug, method):
            wrong.append((query, slug, found))
    assert wrong == []


def test_every_site_is_covered():
    assert len(SITES) == 26
    assert {slug for slug, _ in EVERY_NAME} == {site["slug"] for site in SITES}


VARIANTS = [
    # Arabic: diacritics, hamza, clitics, articles, generic words
    ("حَقْل العُمَر", "al-omar", "normalised"),
    ("وحقل العمر", "al-omar", "normalised"),
    ("عين الاسد", "ain-al-asad", "normalised"),
    ("وقاعدة عين الأسد", "ain-al-asad", "normalised"),
    ("بقاعدة عين الأسد", "ain-al-asad", "normalised"),
    ("بعين الأسد", "ain-al-asad", "normalised"),
    ("قاعدة التنف", "al-tanf", "normalised"),
    ("قاعدة التَّنف", "al-tanf", "normalised"),
    ("قاعدة حرير", "harir", "normalised"),
    ("الحسكه", "hasakah", "normalised"),
    ("ركبان", "rukban", "normalised"),
    ("حقل كونيكو", "conoco", "normalised"),
    ("معمل الطابية", "conoco", "normalised"),
    ("برج 22", "tower-22", "normalised"),
    ("خراب الجير", "kharab-al-jir", "normalised"),
    ("قاعدة التوحيد الثالث", "union-iii", "normalised"),
    ("مطار اربيل", "erbil-air-base", "normalised"),
    ("مطار بغداد", "baghdad-airport-vbc", "normalised"),
    ("قاعدة قسرك", "qasrak", "normalised"),
    # Latin: articles, generic words, transliteration
    ("at-Tanf", "al-tanf", "normalised"),
    ("Al Tanf", "al-tanf", "normalised"),
    ("Tanf garrison", "al-tanf", "normalised"),
    ("Ain Al-Asad", "ain-al-asad", "normalised"),
    ("Ayn al Asad", "ain-al-asad", "normalised"),
    ("Ain al Assad", "ain-al-asad", "normalised"),
    ("Al Shaddadi", "shaddadi", "normalised"),
    ("Ash-Shaddadi", "shaddadi", "normalised"),
    ("Shaddadi base", "shaddadi", "normalised"),
    ("Shaddadah", "shaddadi", "normalised"),
    ("Harir airbase", "harir", "normalised"),
    ("Bashur", "harir", "normalised"),
    ("al-Omar oilfield", "al-omar", "normalised"),
    ("Conoco field", "conoco", "normalised"),
    ("Deir al-Zor", "deir-ez-zor", "normalised"),
    ("Dair az-Zor", "deir-ez-zor", "normalised"),
    ("Dayr al-Zur", "deir-ez-zor", "normalised"),
    ("Tell Beidar", "tal-baydar", "normalised"),
    ("Rumeilan", "rmelan", "normalised"),
    ("Hasakeh", "hasakah", "normalised"),
    ("Al Hassakah", "hasakah", "normalised"),
    ("Mayadeen city", "al-mayadin", "normalised"),
    ("Kharab al Jeer", "kharab-al-jir", "normalised"),
    ("Abu Hajar", "kharab-al-jir", "normalised"),
    ("Abu Kamal city", "al-bukamal", "normalised"),
    ("Tel Tamer", "tal-tamr", "normalised"),
    ("Rmeilan base", "rmelan", "normalised"),
    ("Union III", "union-iii", "normalised"),
    ("Tower-22", "tower-22", "normalised"),
    ("Baghdad airport", "baghdad-airport-vbc", "normalised"),
    ("Qasrak airbase", "qasrak", "normalised"),
    ("Euphrates", "mss-euphrates", "normalised"),
    ("Malikiyah", "al-malikiyah", "normalised"),
    ("Lafarge base", "lafarge", "normalised"),
    ("green-zone", "us-embassy-baghdad", "normalised"),
    # fuzzy: one letter or so off every key, and no other site close
    ("Khirbet Adana", "khirbat-adana", "fuzzy"),
    ("Albukamal", "al-bukamal", "fuzzy"),
    ("Tal Bayder", "tal-baydar", "fuzzy"),
    ("Tell Tamr", "tal-tamr", "fuzzy"),
    ("Mayadine", "al-mayadin", "fuzzy"),
    ("Shadadie", "shaddadi", "fuzzy"),
    ("Kharab al-Jeir", "kharab-al-jir", "fuzzy"),
    ("Hassake", "hasakah", "fuzzy"),
]


@pytest.mark.parametrize(("query", "slug", "method"), VARIANTS)
def test_variants_resolve(index, query, slug, method):
    found = index.match(query)
    assert found is not None, query
    assert (found.slug, found.method) == (slug, method)
    if method == "fuzzy":
        assert 0.85 <= found.score < 1
    else:
        assert found.score in (1.0, 0.9)


def test_variants_are_not_literal_names():
    literal = {name.casefold() for _, name in EVERY_NAME}
    assert len(VARIANTS) >= 40
    assert not [q for q, _, _ in VARIANTS if q.casefold() in literal]


def test_kh_h_is_only_a_fallback(geocoder):
    found = geocoder.match("Harab al-Jir")
    assert (found.slug, found.method, found.score) == (
        "kharab-al-jir",
        "normalised",
        0.9,
    )


def test_case_and_spacing_still_count_as_exact(geocoder):
    found = geocoder.match("  AIN AL-ASAD   air base ")
    assert (found.slug, found.method) == ("ain-al-asad", "exact")
    assert geocoder.match("Camp Victory").slug == "baghdad-airport-vbc"


@pytest.mark.parametrize(
    "query",
    [
        "Paris",
        "Mosul",
        "Qamishli",
        "Al-Qaim",
        "Kirkuk air base",
        "Camp Lemonnier",
        "al-Hol camp",
        "Tower 23",
        "Union II",
        "Base",
        "Air Base",
        "قاعدة",
        "حقل",
        "مطار الموصل",
    ],
)
def test_unknown_names_match_nothing(index, query):
    assert index.match(query) is None


def test_the_geocoder_finds_no_unknown_name(geocoder):
    assert geocoder.geocode("Paris") is None
    assert geocoder.match("قاعدة") is None


# --- the geopy geocoder -------------------------------------------------------------


def test_geocode_returns_a_geopy_location(geocoder):
    location = geocoder.geocode("قاعدة عين الأسد")
    assert isinstance(location, Location)
    assert location.address == "Ain al-Asad Air Base"
    assert (location.latitude, location.longitude) == (33.8, 42.433)
    assert location.raw["slug"] == "ain-al-asad"
    assert location.raw["method"] == "normalised"
    assert location.raw["score"] == 1.0
    assert location.raw["precision_m"] == 3000
    assert isinstance(location.raw["site_id"], int)
    assert geocoder.geocode("Tanf", exactly_one=False)[0].raw["slug"] == "al-tanf"


def test_a_site_without_a_point_matches_but_has_no_location(geocoder):
    assert geocoder.geocode("Qasrak") is None
    found = geocoder.match("Qasrak")
    assert found.slug == "qasrak"
    assert not found.has_location
    assert found.latitude is None and found.longitude is None


def test_empty_query_is_an_error(geocoder):
    with pytest.raises(ValueError, match="empty"):
        geocoder.geocode("  ")


def test_the_adapter_refuses_every_request():
    adapter = OfflineAdapter(proxies={}, ssl_context=None)
    with pytest.raises(GeocoderServiceError, match="offline"):
        adapter.get_json("https://example.org/", timeout=1, headers={})
    assert isinstance(GazetteerGeocoder().adapter, OfflineAdapter)


def test_one_query_builds_the_index_for_many_lookups(
    geocoder, django_assert_num_queries
):
    queries = [q for q, _, _ in VARIANTS] + [name for _, name in EVERY_NAME]
    queries += ["Paris", "Mosul", "Camp Lemonnier"]
    started = time.perf_counter()
    with django_assert_num_queries(1):
        for i in range(10_000):
            geocoder.match(queries[i % len(queries)])
    # Generous: dict lookups and a fuzzy scan of ~250 keys on a miss.
    assert time.perf_counter() - started < 10


def test_refresh_sees_new_sites(geocoder, make):
    assert geocoder.match("Girê Spî") is None
    make.site(slug="tal-abyad", name="Tell Abyad", aliases=["Girê Spî"])
    assert geocoder.match("Girê Spî") is None  # the index is per instance
    geocoder.refresh()
    assert geocoder.match("Girê Spî").slug == "tal-abyad"


# --- the command ----------------------------------------------------------------------


def run_geocode(*args):
    out = StringIO()
    call_command("geocode", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_site_and_how_it_matched(reference_data, no_network):
    output = run_geocode("وقاعدة عين الأسد")
    assert "slug: ain-al-asad" in output
    assert "name: Ain al-Asad Air Base" in output
    assert "latitude: 33.8" in output
    assert "longitude: 42.433" in output
    assert "precision: 3000 m" in output
    assert "geocoder: gazetteer" in output
    assert "method: normalised (score 1.00" in output


def test_command_json(reference_data, no_network):
    result = json.loads(run_geocode("Tanf garrison", "--json"))
    assert result["slug"] == "al-tanf"
    assert result["geocoder"] == "gazetteer"
    assert result["method"] == "normalised"
    assert (result["latitude"], result["longitude"]) == (33.50583, 38.61778)
    assert result["precision_m"] == 3000


def test_command_site_without_a_point(reference_data, no_network):
    output = run_geocode("Hemo")
    assert "slug: hemo" in output
    assert "latitude: unknown" in output
    result = json.loads(run_geocode("Hemo", "--json"))
    assert result["latitude"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Paris", "No site matches 'Paris'"),
        ("   ", "empty"),
        ("x" * 201, "at most 200"),
    ],
)
def test_command_fails_clearly(reference_data, no_network, query, message):
    with pytest.raises(CommandError, match=message):
        run_geocode(query)
