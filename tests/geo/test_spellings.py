"""Names as outlets really write them: the spelling corpus, the skeleton and
partial ranks, candidates for an ambiguous name, and how sure an answer is.

``tests/data/geocode/spellings.csv`` was written by hand from the kinds of spelling
the gazetteer's aliases do not hold (Kurdish and Persian script, Arabic-Indic
digits, diacritics, transliteration variants, descriptive forms) and places
elsewhere in the theatre that must match nothing; no row is a listed name.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from incidents.geo.certainty import CERTAIN, LIKELY, POSSIBLE
from incidents.geo.gazetteer import GazetteerGeocoder
from incidents.geo.matching import APPROXIMATE, NameIndex, match_name
from incidents.geo.skeleton import skeleton_key
from incidents.geo.spellings import NO_SITE, Spelling, grade, load_spellings
from tests import TEST_DATA

from .test_matching import EVERY_NAME, SITES

CORPUS = TEST_DATA / "geocode" / "spellings.csv"
SPELLINGS = load_spellings(CORPUS)
KINDS = {
    "kurdish-persian",
    "digits",
    "diacritics",
    "transliteration",
    "partial",
    "elsewhere",
}


@pytest.fixture(scope="module")
def index():
    return NameIndex(
        (site["slug"], [site["name"], site["name_ar"], *site["aliases"]])
        for site in SITES
    )


def describe_misses(grades) -> str:
    return "; ".join(
        f"{s.spelling!r}: {got} for {s.expected}" for s, got in grades.misses
    )


# --- the corpus -----------------------------------------------------------------------


def test_the_corpus_is_of_our_own_and_covers_every_kind():
    assert len(SPELLINGS) >= 60
    assert {s.kind for s in SPELLINGS} == KINDS
    listed = {name.casefold() for _, name in EVERY_NAME}
    assert [s.spelling for s in SPELLINGS if s.spelling.casefold() in listed] == []
    slugs = {site["slug"] for site in SITES}
    assert {s.expected for s in SPELLINGS} - slugs == {NO_SITE}
    assert len({s.spelling for s in SPELLINGS}) == len(SPELLINGS)


def test_the_index_is_right_on_95_percent_and_never_wrong(index):
    grades = grade(lambda q: getattr(index.match(q), "slug", None), SPELLINGS)
    assert grades.wrong == 0, describe_misses(grades)
    assert grades.right_share >= 0.95, describe_misses(grades)


def test_the_geocoder_from_the_database_grades_the_same(reference_data):
    geocoder = GazetteerGeocoder()
    grades = grade(lambda q: getattr(geocoder.match(q), "slug", None), SPELLINGS)
    assert grades.wrong == 0, describe_misses(grades)
    assert grades.right_share >= 0.95, describe_misses(grades)


def test_grading_counts_right_wrong_and_none():
    answers = {"a": "x", "b": "y", "c": None, "d": None, "e": "x"}
    spellings = [
        Spelling("a", "x", "k"),  # right
        Spelling("b", "x", "k"),  # wrong: another site
        Spelling("c", "x", "k"),  # none: no answer
        Spelling("d", NO_SITE, "k"),  # right: nothing expected, nothing given
        Spelling("e", NO_SITE, "k"),  # wrong: a site where none is
    ]
    grades = grade(answers.get, spellings)
    assert (grades.right, grades.wrong, grades.none) == (2, 2, 1)
    assert grades.by_kind["k"] == {"right": 2, "wrong": 2, "none": 1}
    assert [s.spelling for s, _ in grades.misses] == ["b", "c", "e"]


# --- the consonant skeleton -----------------------------------------------------------


@pytest.mark.parametrize(
    ("variants", "skeleton"),
    [
        (["conoco", "konico", "kuniku", "qoniqo"], "knk"),
        (["shadadi", "shadada", "shedadah"], "shdd"),
        (["mayadin", "miyadin", "meyadin"], "mydn"),  # y between vowels stays
        (["tal baidar", "tel bidar"], "tl bdr"),
        (["ain asad", "ein asad"], "an asd"),  # a leading vowel leaves a mark
        (["tower 22", "tuwer 22"], "twr 22"),
    ],
)
def test_transliterations_share_a_skeleton(variants, skeleton):
    assert {skeleton_key(v) for v in variants} == {skeleton}


@pytest.mark.parametrize(
    "key", ["omar", "umar", "hit", "عين اسد", "", "tanf حقل", "knk", "vbc 22"]
)
def test_no_skeleton_for_short_or_arabic_keys(key):
    assert skeleton_key(key) == ""


def test_s_and_sh_stay_apart_but_kurdish_s_cedilla_is_sh(index):
    assert skeleton_key("basra") != skeleton_key("bashur")
    assert index.match("Basra") is None  # not Bashur (Harir)
    assert index.match("Al-Busayrah") is None
    assert index.match("Şeddadî").slug == "shaddadi"


def test_skeleton_ranks_below_exact_and_normalised():
    candidates = [("conoco", ["Conoco"]), ("koniko", ["Koniko"])]
    assert match_name("Koniko", candidates).slug == "koniko"  # exact wins
    # Both have the skeleton k-n-k: "Kuniku" is ambiguous, not a guess.
    assert match_name("Kuniku", candidates) is None
    found = match_name("Kuniku", candidates[:1])
    assert (found.slug, found.method, found.score) == ("conoco", "skeleton", 0.8)


def test_skeleton_keeps_numbers():
    candidates = [("t22", ["Tower 22"])]
    assert match_name("Tuwer 22", candidates).slug == "t22"
    assert match_name("Tuwer 23", candidates) is None


# --- partial names --------------------------------------------------------------------


def test_a_facility_word_with_part_of_a_name_is_partial(index):
    found = index.match("قاعدة الأسد الجوية")
    assert (found.slug, found.method, found.score) == ("ain-al-asad", "partial", 0.7)
    assert index.match("الأسد") is None  # no facility word: a lion, a surname


def test_partial_needs_half_the_name_and_one_site():
    candidates = [("a", ["Tal Abu Hamid Rashid"]), ("b", ["Tal Rashid Kabir"])]
    assert match_name("Rashid base", candidates) is None  # part of two names
    assert match_name("Hamid base", candidates[:1]) is None  # 1 word of 4
    found = match_name("Hamid Rashid base", candidates[:1])
    assert (found.slug, found.method) == ("a", "partial")


# --- fuzzy: an added consonant is another name ----------------------------------------


@pytest.mark.parametrize("query", ["Rumaila oil field", "Al-Kasra", "Kasra"])
def test_an_added_final_consonant_is_another_place(index, query):
    assert index.match(query) is None


def test_an_added_final_vowel_is_a_spelling(index):
    assert index.match("Mayadine").slug == "al-mayadin"


def test_the_approximate_methods():
    assert APPROXIMATE == {"fuzzy", "skeleton", "partial"}


# --- candidates -----------------------------------------------------------------------


def test_an_ambiguous_name_has_candidates():
    index = NameIndex(
        [("north", ["Tal Hamid"]), ("south", ["Tall Hamid"]), ("x", ["Conoco"])]
    )
    assert index.match("Tel Hamid") is None
    assert index.candidates("Tel Hamid") == ["north", "south"]
    assert index.candidates("Conoco") == []  # one site: a match, no candidates
    assert index.candidates("Paris") == []


# --- how sure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug", "sure"),
    [
        ("Tanf", "al-tanf", CERTAIN),
        ("البرج ٢٢", "tower-22", CERTAIN),
        ("Harab al-Jir", "kharab-al-jir", LIKELY),  # kh as h
        ("Konico", "conoco", LIKELY),  # skeleton
        ("Albukamal", "al-bukamal", POSSIBLE),  # fuzzy
        ("قاعدة الأسد الجوية", "ain-al-asad", POSSIBLE),  # partial
    ],
)
def test_every_answer_says_how_sure_it_is(reference_data, query, slug, sure):
    found = GazetteerGeocoder().match(query)
    assert (found.slug, found.certainty, found.caution) == (slug, sure, "")


def test_a_town_that_names_a_base_comes_with_a_caution(reference_data):
    geocoder = GazetteerGeocoder()
    erbil = geocoder.match("Erbil")  # the city; the site is its airport
    assert (erbil.slug, erbil.certainty) == ("erbil-air-base", POSSIBLE)
    assert "may be the place of that name" in erbil.caution
    airport = geocoder.match("مطار دير الزور العسكري")  # a base near the town
    assert (airport.slug, airport.certainty) == ("deir-ez-zor", POSSIBLE)
    assert "names a facility" in airport.caution
    # Named as the facility, or by an alias the gazetteer lists: no caution.
    assert geocoder.match("Erbil airport").caution == ""
    assert geocoder.match("Irbil").certainty == CERTAIN


def run_geocode(*args):
    out = StringIO()
    call_command("geocode", *args, stdout=out)
    return out.getvalue()


def test_geocode_json_says_how_sure(reference_data):
    result = json.loads(run_geocode("Erbil", "--json", "--offline"))
    assert result["slug"] == "erbil-air-base"
    assert result["certainty"] == POSSIBLE
    assert "town" in result["caution"]
    assert json.loads(run_geocode("Tanf", "--json"))["certainty"] == CERTAIN
    text = run_geocode("Konico")
    assert "method: skeleton (score 0.80" in text
    assert "certainty: likely" in text


def test_geocode_names_the_candidates_of_an_ambiguous_name(reference_data, make):
    make.site(slug="tal-hamid-north", name="Tal Hamid", kind="town")
    make.site(slug="tal-hamid-south", name="Tall Hamid", kind="town")
    with pytest.raises(CommandError, match="could be any of: tal-hamid-north, tal-h"):
        run_geocode("Tel Hamid")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("geocode", "Tel Hamid", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["slug"] is None
    assert result["certainty"] == "ambiguous"
    assert result["candidates"] == ["tal-hamid-north", "tal-hamid-south"]
