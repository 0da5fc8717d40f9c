"""The reference fixtures: built from ../shared by project code, loaded only into an
empty database, and faithful to every caveat of the data."""

import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from incidents.ingest.reference import (
    ATTACKS_CSV,
    SITES_CSV,
    build_reference_fixtures,
)
from incidents.ingest.reference_records import ReferenceDataError, source_fields
from incidents.models import Actor, Citation, Incident, Involvement, Site, Source
from incidents.services import reference_data_load

SHARED = Path(settings.BASE_DIR).parent / "shared"
needs_shared = pytest.mark.skipif(
    not (SHARED / "data" / SITES_CSV).is_file(),
    reason="../shared/data is not beside the repo",
)


@needs_shared
def test_committed_fixtures_match_a_fresh_build():
    call_command("build_fixtures", "--check")


@needs_shared
def test_build_is_deterministic():
    first = build_reference_fixtures(data_dir=SHARED / "data", seed_dir=SHARED / "seed")
    second = build_reference_fixtures(
        data_dir=SHARED / "data", seed_dir=SHARED / "seed"
    )
    assert first == second


@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(SHARED / "data", tmp_path / "data")
    shutil.copytree(SHARED / "seed", tmp_path / "seed")
    return tmp_path


def _corrupt(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@needs_shared
@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            SITES_CSV,
            "35.15167",
            "95.15167",
            "sites.csv:2: latitude 95.15167 is outside",
        ),
        (
            SITES_CSV,
            "35.15167,40.57583",
            "abc,40.57583",
            "latitude 'abc' is not a number",
        ),
        (ATTACKS_CSV, "2023-10-17,ain-al-asad", "2023-13-17,ain-al-asad", ":2: date"),
        (
            ATTACKS_CSV,
            "2023-10-17,ain-al-asad",
            "2023-10-17,atlantis",
            "site 'atlantis'",
        ),
        (
            ATTACKS_CSV,
            ",drone,Islamic Resistance in Iraq,4,0",
            ",drone,Someone New,4,0",
            "claimant",
        ),
        (
            ATTACKS_CSV,
            "IQ,drone,Islamic Resistance in Iraq,4,0",
            "IQ,drone,Islamic Resistance in Iraq,-4,0",
            "us_injured",
        ),
        (ATTACKS_CSV, "date,site,", "day,site,", "missing columns date"),
    ],
)
def test_malformed_data_is_refused_with_file_line_and_reason(
    data_copy, tmp_path, file, old, new, message
):
    _corrupt(data_copy / "data" / file, old, new)
    out = tmp_path / "out"
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command(
            "build_fixtures",
            data=data_copy / "data",
            seed=data_copy / "seed",
            output=out,
        )
    assert not out.exists(), "a failed build must write nothing"


@needs_shared
def test_seed_quote_must_be_in_the_article(data_copy):
    _corrupt(
        next((data_copy / "seed").glob("000_*.txt")), "بقذائف صاروخية", "بالطائرات"
    )
    with pytest.raises(ReferenceDataError, match="BW-SEED-1: quote not in article"):
        build_reference_fixtures(
            data_dir=data_copy / "data", seed_dir=data_copy / "seed"
        )


def test_source_fields_read_only_what_the_url_says():
    fields = source_fields("https://www.defense.gov/News/2023/10/30/transcript")
    assert fields["publisher"] == "defense.gov"
    assert fields["kind"] == "official"
    assert fields["published_on"] == "2023-10-30"
    assert source_fields("http://en.people.cn/n3/2023/1119/c9.html")[
        "published_on"
    ] == ("2023-11-19")
    plain = source_fields("https://example.com/story")
    assert (plain["language"], plain["published_on"], plain["kind"]) == (
        "",
        None,
        "news",
    )


def test_loaded_reference_data_counts(reference_data):
    assert Site.objects.count() == 26
    assert Site.objects.filter(latitude__isnull=False).count() == 19
    unplaced = set(
        Site.objects.filter(latitude__isnull=True).values_list("slug", flat=True)
    )
    assert unplaced == {
        "qasrak",
        "union-iii",
        "mss-euphrates",
        "lafarge",
        "khirbat-adana",
        "al-malikiyah",
        "hemo",
    }
    assert all(
        "NO COORDINATE FOUND" in s.location_source
        for s in Site.objects.filter(latitude__isnull=True)
    )
    assert Incident.objects.published().count() == 64
    assert Incident.objects.filter(event_type="attack").count() == 61


def test_sites_keep_arabic_names_aliases_and_precision(reference_data):
    omar = Site.objects.get(slug="al-omar")
    assert omar.name_ar == "حقل العمر النفطي"
    assert "Green Village" in omar.aliases
    assert omar.precision_m == 5000
    assert "Wikipedia" in omar.location_source
    assert list(Site.objects.matching("كونيكو")) == [Site.objects.get(slug="conoco")]
    assert Site.objects.get(slug="kharab-al-jir").precision_m == 2000


def test_attack_rows_keep_casualties_null_versus_zero(reference_data):
    counts = Counter(
        Incident.objects.filter(external_id__startswith="BW-REF-").values_list(
            "injured", "killed"
        )
    )
    assert counts[(None, None)] == 35
    assert counts[(0, 0)] == 20
    tanf = Incident.objects.get(external_id="BW-REF-004")
    assert (tanf.occurred_on.isoformat(), tanf.injured, tanf.killed) == (
        "2023-10-18",
        20,
        0,
    )


def test_stances_follow_the_notes_tag_and_give_confidence(reference_data):
    levels = Counter(
        Incident.objects.filter(external_id__startswith="BW-REF-")
        .with_confidence()
        .values_list("confidence_level", flat=True)
    )
    # 21 CENTCOM + 13 Iraqi/Kurdish/SDF/SOHR confirmations; 26 claims only.
    assert levels == {"confirmed": 34, "claimed": 26}


def test_claimants_are_mapped_never_invented(reference_data):
    iri = Actor.objects.get(slug="islamic-resistance-in-iraq")
    assert Actor.objects.get(slug="kataib-hezbollah").parent == iri
    assert Actor.objects.get(slug="tashkil-al-waritheen").parent == iri
    claims = Involvement.objects.filter(role="claimed_by")
    # Blank and "unclaimed in source" rows have no claimant at all.
    unclaimed = Incident.objects.filter(external_id__startswith="BW-REF-").exclude(
        involvements__role__in=["claimed_by", "attributed_to"]
    )
    assert unclaimed.count() == 15
    tanf = Incident.objects.get(external_id="BW-REF-004")
    assert not tanf.involvements.exclude(role="target").exists()
    assert "unclaimed in source" in tanf.citations.first().note
    # "claim expected per Sabereen": an expectation is an attribution, not a claim.
    expected = Involvement.objects.get(note__contains="claim expected per Sabereen")
    assert (expected.actor, expected.role) == (iri, "attributed_to")
    assert claims.filter(note__contains="per Al Mayadeen").count() == 1
    assert Citation.objects.filter(note__contains="per Al Mayadeen reports").exists()


def test_seed_events_cite_the_article(reference_data):
    article = Source.objects.get(publisher="Political Keys")
    assert article.language == "ar"
    assert article.title.startswith("بماذا بررت")
    seeds = Incident.objects.filter(external_id__startswith="BW-SEED-").order_by(
        "occurred_on"
    )
    assert [(i.occurred_on.isoformat(), i.event_type) for i in seeds] == [
        ("2023-11-15", "attack"),
        ("2023-11-16", "meeting"),
        ("2023-11-17", "sanction"),
        ("2023-11-18", "statement"),
    ]
    omar_attack = seeds[0]
    assert list(omar_attack.sites.values_list("slug", flat=True)) == ["al-omar"]
    assert omar_attack.weapon == "rocket"
    assert list(omar_attack.sources.all()) == [article]
    assert (omar_attack.latitude, omar_attack.longitude) == (35.15167, 40.57583)
    assert "حقل العمر" in omar_attack.citations.get().quote
    assert seeds[1].sites.get().slug == "al-mayadin"
    sanctions = seeds[2]
    assert set(
        sanctions.involvements.filter(role="target").values_list(
            "actor__slug", flat=True
        )
    ) == {"kataib-hezbollah", "kataib-sayyid-al-shuhada"}


def test_unplaced_sites_leave_their_incidents_without_a_point(reference_data):
    unplaced = Incident.objects.filter(latitude__isnull=True)
    assert unplaced.count() == 7  # 5 attacks on unplaced sites + sanctions + statement
    assert not unplaced.filter(sites__latitude__isnull=False).exists()


@pytest.mark.django_db
def test_loading_never_touches_a_database_that_holds_data(make):
    site = make.site(slug="al-omar", name="Edited by an editor")
    result = reference_data_load()
    assert not result.loaded
    site.refresh_from_db()
    assert site.name == "Edited by an editor"
    assert Site.objects.count() == 1


@pytest.mark.django_db
def test_loading_is_all_or_nothing(tmp_path):
    for name in ("sites.json", "actors.json"):
        shutil.copy(Path(settings.BASE_DIR) / "fixtures" / name, tmp_path / name)
    (tmp_path / "incidents.json").write_text("[{broken", encoding="utf-8")
    with pytest.raises(Exception, match="incidents"):
        reference_data_load(fixture_dir=tmp_path)
    assert not Site.objects.exists()


def test_official_totals_are_a_separate_series(reference_data):
    from incidents.models import OfficialTotal

    assert OfficialTotal.objects.count() == 37
    nov14 = OfficialTotal.objects.get(
        as_of="2023-11-14", reported_by="Pentagon (Singh)"
    )
    assert (nov14.total_attacks, nov14.iraq, nov14.syria, nov14.us_injured) == (
        55,
        27,
        28,
        59,
    )
    month_only = OfficialTotal.objects.get(as_of_precision="month")
    assert month_only.as_of.isoformat() == "2024-04-01"
    sohr = OfficialTotal.objects.filter(reported_by="SOHR").first()
    assert sohr.total_attacks is None  # not given, not zero


def test_incident_text_is_searchable_folded(reference_data):
    seed = Incident.objects.get(external_id="BW-SEED-1")
    assert "al omar oil field" in seed.search_text
    assert Incident.objects.filter(search_text__contains="bw seed 1").get() == seed
