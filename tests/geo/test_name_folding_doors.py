"""The same name folding (``geo.names``, ``geo.matching``) at every door a name
comes in by: text search (``q=``), the article extractor and the ACLED import,
and the migration that refolds what is already stored.

Each case uses a spelling the old folding missed: Arabic-Indic digits, Kurdish
letters, a transliteration that differs in its vowels.
"""

import datetime as dt
import importlib

import orjson
import pytest
from django.apps import apps

from incidents.ingest.acled import import_acled
from incidents.ingest.acled.resolve import ActorResolver
from incidents.ingest.article import extract_article
from incidents.models import Incident, Site

pytestmark = pytest.mark.django_db

LIST = "/api/v1/incidents/"


def found_ids(client, q: str) -> set[int]:
    response = client.get(LIST, {"q": q, "page_size": 1000})
    assert response.status_code == 200, response.content[:300]
    return {f["id"] for f in orjson.loads(response.content)["features"]}


# --- text search ----------------------------------------------------------------------


def test_search_folds_digits_kurdish_and_persian_letters(client, make):
    tower = make.incident(summary="طائرة مسيرة استهدفت البرج 22 شمال شرقي الأردن").pk
    rmelan = make.site(slug="rmelan-x", name="Rmelan", name_ar="رميلان", kind="town")
    at_rmelan = make.incident(summary="Rockets", sites=[rmelan]).pk
    peshmerga = make.actor(slug="pesh", name="Peshmerga", name_ar="البيشمركة")
    by_peshmerga = make.incident(
        summary="Clash", involvements=[(peshmerga, "blamed_on")]
    ).pk
    make.incident(summary="هجوم على حقل العمر")
    assert found_ids(client, "البرج ٢٢") == {tower}  # Arabic-Indic digits
    assert found_ids(client, "برج ۲۲") == {tower}  # Persian digits
    assert found_ids(client, "ڕمێلان") == {at_rmelan}  # Sorani letters, site name
    assert found_ids(client, "البێشمەرگە") == {by_peshmerga}  # actor name


def test_search_folds_latin_transliteration_letters(client, make):
    # As academic and Turkish transliteration write them: ḫ is kh, ı a dotless i.
    hit = make.incident(summary="Drones hit Ḫarāb al-Jīr, not Diyarbakır").pk
    make.incident(summary="Rockets at Tanf")
    assert found_ids(client, "Kharab al-Jir") == {hit}
    assert found_ids(client, "Diyarbakir") == {hit}
    assert found_ids(client, "Diyarbakır") == {hit}


# --- the article extractor ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("استهدفت طائرة مسيرة البرج ٢٢ في الأردن فجر اليوم.", "tower-22"),
        ("Drones struck the Konico gas field on Monday, the Pentagon said.", "conoco"),
        ("Rockets hit the Shadadah base in Hasakah on Sunday.", "shaddadi"),
    ],
)
def test_the_extractor_finds_the_site_however_spelt(reference_data, text, slug):
    result = extract_article(text, published=dt.date(2024, 1, 22))
    assert slug in result.site_slugs
    (proposal,) = result.proposals
    assert proposal.sites == [slug]


# --- the ACLED import -----------------------------------------------------------------

HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
    "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,"
    "fatalities,tags,timestamp"
)
ROWS = [
    # ACLED's location in a spelling the gazetteer does not list; the point is
    # the field's own, so the row also checks the name is what linked it.
    "SYR56001,2024-01-25,2024,1,Political violence,Explosions/Remote violence,"
    "Air/drone strike,Islamic Resistance in Iraq,,Political militia,"
    "Military Forces of the United States (2021-),,External/Other forces,"
    "Political militia-External/Other forces,,760,Middle East,Syria,Deir ez Zor,"
    "Deir ez Zor,,Konico Gas Field,35.3361,40.3097,1,SANA; SOHR,National,"
    '"On 25 January 2024, the Islamic Resistance in Iraq launched drones at the '
    'US base at the Konico gas field. No casualties reported.",0,,1706227200',
    # A village name for a site with no point: linked by its name alone, since the
    # notes speak of the base there.
    "SYR56002,2024-01-26,2024,1,Political violence,Explosions/Remote violence,"
    "Shelling/artillery/missile attack,Islamic Resistance in Iraq,,Political "
    "militia,Military Forces of the United States (2021-),,External/Other forces,"
    "Political militia-External/Other forces,,760,Middle East,Syria,Al Hasakeh,"
    "Al Hasakeh,,Qasrouk,36.5500,40.5000,2,Syria TV,National,"
    '"On 26 January 2024, rockets were fired at the US base in Qasrouk '
    'village. No casualties reported.",0,,1706313600',
]


def test_the_import_links_sites_however_acled_spells_them(reference_data, tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    report = import_acled(path)
    assert report.ok, report.errors
    assert report.skipped == []
    assert [(event, slug, how) for _line, event, slug, how in report.linked] == [
        ("SYR56001", "conoco", "name"),
        ("SYR56002", "qasrak", "name"),
    ]
    assert set(
        Incident.objects.filter(external_id="SYR56002").values_list(
            "sites__slug", flat=True
        )
    ) == {"qasrak"}


def test_acled_actors_fold_kurdish_letters_but_refuse_a_guess(reference_data, make):
    peshmerga = make.actor(slug="peshmerga", name="Peshmerga", name_ar="البيشمركة")
    baqir = make.actor(slug="liwa-al-baqir", name="Liwa al-Baqir")
    resolver = ActorResolver(dry_run=True)
    assert resolver.resolve("البێشمەرگە", "3") == peshmerga.pk  # folded: normalised
    # "Baker" has Baqir's consonants: a skeleton match, a guess an import refuses.
    assert resolver.resolve("Liwa al-Baker", "3") not in (baqir.pk,)
    assert resolver.created == ["Liwa al-Baker"]


# --- the migration that refolds stored text -------------------------------------------


def test_the_migration_refolds_stored_search_text(make):
    site = make.site(slug="t22", name="Tower 22", name_ar="البرج ٢٢")
    incident = make.incident(summary="هجوم على البرج ٢٢")
    # As the old folding stored them: the digits left as written.
    Site.objects.filter(pk=site.pk).update(search_text="البرج ٢٢")
    Incident.objects.filter(pk=incident.pk).update(search_text="هجوم علي البرج ٢٢")
    migration = importlib.import_module("incidents.migrations.0019_refold_search_text")
    migration.refold(apps, None)
    site.refresh_from_db()
    incident.refresh_from_db()
    assert "البرج 22" in site.search_text.splitlines()
    assert incident.search_text == "هجوم علي البرج 22"
    assert Site.objects.matching("البرج ٢٢").get() == site
