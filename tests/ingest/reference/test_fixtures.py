"""The reference fixtures: built by project code from the repository's own copy of
the reference data (``data/``, made by ``import_reference_data``), loaded only into
an empty database, and faithful to every caveat of the data. Nothing here reads a
folder beside the repository, and nothing skips for want of one."""

import csv
import datetime
import hashlib
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from incidents.ingest.reference import catalog
from incidents.ingest.reference import data_copy as reference_copy
from incidents.ingest.reference.data_copy import (
    PROVENANCE,
    provenance_problems,
    reference_data_copy,
)
from incidents.ingest.reference.fixtures import (
    ATTACKS_CSVS,
    SITES_CSV,
    build_reference_fixtures,
)
from incidents.ingest.reference.records import ReferenceDataError, source_fields
from incidents.models import (
    Actor,
    Citation,
    Incident,
    Involvement,
    MergeProposal,
    Site,
    Source,
)
from incidents.services import REFERENCE_FIXTURES, reference_data_load
from tests.reference_snapshot import restore, table_rows

ROOT = Path(settings.BASE_DIR)
DATA = ROOT / "data"
FIRST, SECOND = ATTACKS_CSVS


def test_the_repository_holds_its_reference_data():
    for name in (SITES_CSV, "aggregates.csv", *ATTACKS_CSVS, "README.md"):
        assert (DATA / name).is_file(), name
    assert (DATA / "seed" / catalog.SEED_ARTICLE["file"]).is_file()
    assert (DATA / "seed" / "README.md").is_file()


def test_the_copy_in_data_matches_its_provenance():
    assert provenance_problems(DATA) == []
    text = (DATA / PROVENANCE).read_text(encoding="utf-8")
    assert "import_reference_data --from" in text
    assert "shared reference folder" in text


def test_committed_fixtures_match_a_fresh_build():
    call_command("build_fixtures", "--check")


def test_build_is_deterministic():
    first = build_reference_fixtures(data_dir=DATA, seed_dir=DATA / "seed")
    second = build_reference_fixtures(data_dir=DATA, seed_dir=DATA / "seed")
    assert first == second


def test_every_fixture_file_is_loaded_proposals_after_incidents():
    built = build_reference_fixtures(data_dir=DATA, seed_dir=DATA / "seed")
    assert set(REFERENCE_FIXTURES) == set(built)
    order = list(REFERENCE_FIXTURES)
    assert order.index("merge_proposals.json") > order.index("incidents.json")


@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path


def _corrupt(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


TOWER_22 = "2024-01-28,tower-22,JO,drone,Islamic Resistance in Iraq (US: Kataib"


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
        (FIRST, "2023-10-17,ain-al-asad", "2023-13-17,ain-al-asad", f"{FIRST}:2: date"),
        (
            FIRST,
            "2023-10-17,ain-al-asad",
            "2023-10-17,atlantis",
            "site 'atlantis'",
        ),
        (
            FIRST,
            ",drone,Islamic Resistance in Iraq,4,0",
            ",drone,Someone New,4,0",
            "claimant",
        ),
        (
            FIRST,
            "IQ,drone,Islamic Resistance in Iraq,4,0",
            "IQ,drone,Islamic Resistance in Iraq,-4,0",
            "us_injured",
        ),
        (FIRST, "date,site,", "day,site,", "missing columns date"),
        # The second file is checked as strictly, with its own name and lines.
        (
            SECOND,
            "2023-12-01,shaddadi",
            "2023-12-32,shaddadi",
            f"{SECOND}:2: date '2023-12-32' is not YYYY-MM-DD",
        ),
        (
            SECOND,
            TOWER_22,
            TOWER_22.replace("tower-22", "tower-23"),
            f"{SECOND}:61: site 'tower-23' is not in sites.csv",
        ),
        (
            SECOND,
            "Shiite militias (per TASS)",
            "Sunni militias (per TASS)",
            f"{SECOND}:62: claimant 'Sunni militias (per TASS)' has no mapping",
        ),
        (
            SECOND,
            ",47,3,",
            ",47,three,",
            f"{SECOND}:61: us_killed 'three' is not a whole number",
        ),
        (SECOND, "date,site,", "day,site,", f"{SECOND}: missing columns date"),
        # A probable duplicate the catalogue links must still be in the notes.
        (
            FIRST,
            "may be the same event the Pentagon dated Oct 18",
            "dated Oct 18 by the Pentagon",
            f"{FIRST}:8: probable duplicate 2023-10-19 al-tanf drone ~ "
            "2023-10-18 al-tanf drone: the notes no longer say",
        ),
        # ... and so must both its rows, exactly once.
        (
            FIRST,
            "2023-11-20,ain-al-asad,IQ,missile",
            "2023-11-21,ain-al-asad,IQ,missile",
            "probable duplicate 2023-11-20 ain-al-asad drone ~ 2023-11-20 "
            "ain-al-asad missile: 0 rows",
        ),
        (
            FIRST,
            "2023-10-18,ain-al-asad,IQ,drone",
            "2023-10-17,ain-al-asad,IQ,drone",
            f"2 rows of {FIRST} or {SECOND} are 2023-10-17 ain-al-asad drone "
            f"({FIRST}:2, {FIRST}:4); expected exactly one",
        ),
    ],
)
def test_malformed_data_is_refused_with_file_line_and_reason(
    data_copy, tmp_path, file, old, new, message
):
    _corrupt(data_copy / "data" / file, old, new)
    out = tmp_path / "out"
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(
            "build_fixtures",
            data=data_copy / "data",
            seed=data_copy / "data" / "seed",
            output=out,
        )
    assert not out.exists(), "a failed build must write nothing"


@pytest.mark.parametrize("which", ["itself", "twice"])
def test_a_pair_must_be_two_rows_listed_once(monkeypatch, which):
    first = catalog.PROBABLE_DUPLICATES[0]
    bad = (
        catalog.ProbableDuplicate(first.row, first.row, first.phrase)
        if which == "itself"
        else catalog.ProbableDuplicate(first.candidate, first.row, "Two separate")
    )
    monkeypatch.setattr(catalog, "PROBABLE_DUPLICATES", (first, bad))
    with pytest.raises(ReferenceDataError, match="a row with itself, or a pair"):
        build_reference_fixtures(data_dir=DATA, seed_dir=DATA / "seed")


def test_a_missing_second_file_is_refused(data_copy):
    (data_copy / "data" / SECOND).unlink()
    with pytest.raises(ReferenceDataError, match=f"{SECOND}: cannot read"):
        build_reference_fixtures(
            data_dir=data_copy / "data", seed_dir=data_copy / "data" / "seed"
        )


def test_seed_quote_must_be_in_the_article(data_copy):
    _corrupt(
        next((data_copy / "data" / "seed").glob("000_*.txt")),
        "بقذائف صاروخية",
        "بالطائرات",
    )
    with pytest.raises(ReferenceDataError, match="BW-SEED-1: quote not in article"):
        build_reference_fixtures(
            data_dir=data_copy / "data", seed_dir=data_copy / "data" / "seed"
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
    # 60 + 66 attacks of the two files, and the seed article's four events.
    assert Incident.objects.published().count() == 130
    assert Incident.objects.filter(external_id__startswith="BW-REF-").count() == 126
    assert Incident.objects.filter(event_type="attack").count() == 127


def test_attacks_are_numbered_across_both_files(reference_data):
    ids = list(
        Incident.objects.filter(external_id__startswith="BW-REF-")
        .order_by("pk")
        .values_list("external_id", "occurred_on")
    )
    assert [external_id for external_id, _ in ids] == [
        f"BW-REF-{n:03d}" for n in range(1, 127)
    ]
    # The first file keeps its ids; the second continues them, in date order.
    assert ids[0] == ("BW-REF-001", datetime.date(2023, 10, 17))
    assert ids[59] == ("BW-REF-060", datetime.date(2023, 11, 29))
    assert ids[60] == ("BW-REF-061", datetime.date(2023, 12, 1))
    assert ids[-1] == ("BW-REF-126", datetime.date(2024, 2, 4))
    assert [d for _, d in ids] == sorted(d for _, d in ids)
    # Seed events come after every attack.
    seed_pks = Incident.objects.filter(external_id__startswith="BW-SEED-")
    assert min(seed_pks.values_list("pk", flat=True)) == 127


def test_tower_22_the_deadliest_attack(reference_data):
    tower = Incident.objects.get(sites__slug="tower-22")
    assert tower.external_id == "BW-REF-120"
    assert (tower.occurred_on, tower.country, tower.weapon) == (
        datetime.date(2024, 1, 28),
        "JO",
        "drone",
    )
    assert (tower.injured, tower.killed) == (47, 3)
    assert (tower.latitude, tower.longitude) == (33.31417, 38.70333)
    assert Incident.objects.filter(killed__gt=0).get() == tower
    levels = Incident.objects.filter(pk=tower.pk).with_confidence()
    assert levels.get().confidence_level == "confirmed"


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
    assert counts[(None, None)] == 87
    assert counts[(0, 0)] == 31
    assert counts[(47, 3)] == 1
    # "Minor injuries reported, number not given": not reported, not zero.
    minor = Incident.objects.get(external_id="BW-REF-114")
    assert "number not given" in minor.summary
    assert (minor.injured, minor.killed) == (None, None)
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
    # First file: 21 CENTCOM + 13 Iraqi/Kurdish/SDF/SOHR confirmations, 26 claims;
    # second: 9 + 13 confirmations, 44 claims.
    assert levels == {"confirmed": 56, "claimed": 70}
    second = Incident.objects.filter(external_id__gte="BW-REF-061").filter(
        external_id__startswith="BW-REF-"
    )
    assert Counter(
        second.with_confidence().values_list("confidence_level", flat=True)
    ) == {"confirmed": 22, "claimed": 44}


def test_research_tags_leave_the_summary_for_every_citations_note(reference_data):
    rows = [
        row
        for name in ATTACKS_CSVS
        for row in csv.DictReader((DATA / name).open(encoding="utf-8-sig"))
    ]
    tags = Counter(re.match(r"\[[^\]]*\]", row["notes"]).group() for row in rows)
    # Every tag shape in the data is one the catalogue knows.
    assert set(tags) == set(catalog.NOTE_TAG_STANCES)
    loaded = Incident.objects.filter(external_id__startswith="BW-REF-")
    assert loaded.count() == len(rows) == sum(tags.values())
    assert not Incident.objects.filter(summary__startswith="[").exists()
    assert not Incident.objects.filter(summary__startswith=" ").exists()
    for tag, count in tags.items():
        # Each tagged row's citations all carry its tag, first, as provenance.
        cited = loaded.filter(citations__note__startswith=tag).distinct()
        assert cited.count() == count, tag
        assert not loaded.filter(summary__contains=tag).exists()
    for incident in loaded.prefetch_related("citations"):
        notes = [c.note for c in incident.citations.all()]
        assert notes and all(n.startswith("[") for n in notes), incident.external_id
    # A note that said something already keeps it after the tag.
    harir = Incident.objects.get(external_id="BW-REF-002")
    assert harir.summary.startswith("Northern Iraq: one drone engaged")
    assert Citation.objects.filter(
        incident=harir,
        note="[confirmed: US official/CENTCOM]; Militia Spotlight IRI profile; "
        "claimed_by as recorded: Tashkil al-Waritheen (claim later superseded by "
        "Islamic Resistance in Iraq)",
    ).exists()
    # The words of the summary are still found by search; the tag's are not.
    assert "northern iraq" in harir.search_text
    assert "centcom]" not in harir.search_text


def test_claimants_are_mapped_never_invented(reference_data):
    iri = Actor.objects.get(slug="islamic-resistance-in-iraq")
    assert Actor.objects.get(slug="kataib-hezbollah").parent == iri
    assert Actor.objects.get(slug="tashkil-al-waritheen").parent == iri
    claims = Involvement.objects.filter(role="claimed_by")
    # Blank and "unclaimed in source" rows have no claimant at all.
    unclaimed = Incident.objects.filter(external_id__startswith="BW-REF-").exclude(
        involvements__role__in=["claimed_by", "attributed_to"]
    )
    assert unclaimed.count() == 26
    tanf = Incident.objects.get(external_id="BW-REF-004")
    assert not tanf.involvements.exclude(role="target").exists()
    assert "unclaimed in source" in tanf.citations.first().note
    # "claim expected per Sabereen": an expectation is an attribution, not a claim.
    expected = Involvement.objects.get(note__contains="claim expected per Sabereen")
    assert (expected.actor, expected.role) == (iri, "attributed_to")
    assert claims.filter(note__contains="per Al Mayadeen").count() == 1
    assert Citation.objects.filter(note__contains="per Al Mayadeen reports").exists()


def _roles(external_id: str) -> set[tuple[str, str]]:
    return set(
        Involvement.objects.filter(incident__external_id=external_id)
        .exclude(role="target")
        .values_list("actor__slug", "role")
    )


IRI = "islamic-resistance-in-iraq"
KH = "kataib-hezbollah"
UNIDENTIFIED = "unidentified-iraqi-armed-group"


@pytest.mark.parametrize(
    ("external_id", "recorded", "roles"),
    [
        # A monitor's attribution is not the group's claim.
        (
            "BW-REF-061",
            "Islamic Resistance in Iraq (attributed by SOHR)",
            {(IRI, "attributed_to")},
        ),
        # The US blamed Kataib Hezbollah: attributed, neither claimed nor done.
        (
            "BW-REF-085",
            "Kataib Hezbollah (per US; IRI brand)",
            {(KH, "attributed_to")},
        ),
        (
            "BW-REF-114",
            "Kataib Hezbollah / Iran-backed militia (per US)",
            {(KH, "attributed_to")},
        ),
        # Tower 22: the umbrella claimed it, the US pointed at Kataib Hezbollah.
        (
            "BW-REF-120",
            "Islamic Resistance in Iraq (US: Kataib Hezbollah 'footprints')",
            {(IRI, "claimed_by"), (KH, "attributed_to")},
        ),
        # Unnamed groups: the explicit unidentified actor, never a guessed name.
        ("BW-REF-094", "Iraqi resistance groups", {(UNIDENTIFIED, "claimed_by")}),
        # A news agency's description of the attackers is an attribution.
        (
            "BW-REF-121",
            "Shiite militias (per TASS)",
            {(UNIDENTIFIED, "attributed_to")},
        ),
    ],
)
def test_second_files_claimants_are_mapped_as_decided(
    reference_data, external_id, recorded, roles
):
    assert _roles(external_id) == roles
    incident = Incident.objects.get(external_id=external_id)
    # The raw text, qualifier and all, stays on every involvement and citation.
    for involvement in incident.involvements.exclude(role="target"):
        assert involvement.note == recorded
    for citation in incident.citations.all():
        assert f"claimed_by as recorded: {recorded}" in citation.note


def test_blame_by_others_is_never_a_claim_or_a_deed(reference_data):
    """Whom US officials, SOHR or TASS blamed is *attributed to*; only the group
    that spoke is *claimed by*, and nobody is a perpetrator on others' word."""
    blame = re.compile(r"\((per US|attributed by SOHR|per TASS)\b")
    blamed_values = [value for value in catalog.CLAIMANTS if blame.search(value)]
    assert len(blamed_values) == 4
    for value in blamed_values:
        assert {role for _slug, role in catalog.CLAIMANTS[value]} == {
            "attributed_to"
        }, value
    # "(US: Kataib Hezbollah …)": the umbrella claimed, the US blamed KH.
    for value, roles in catalog.CLAIMANTS.items():
        if "(US: Kataib Hezbollah" in value:
            assert (KH, "attributed_to") in roles
            assert (KH, "claimed_by") not in roles
    qualified = r"\((per US|attributed by SOHR|per TASS|US: )"
    loaded = Involvement.objects.filter(note__regex=qualified)
    assert loaded.count() == 6
    assert not loaded.filter(role="perpetrator").exists()
    assert not loaded.filter(actor__slug=KH).exclude(role="attributed_to").exists()
    # Kataib Hezbollah claimed none of the campaign's attacks in the data.
    assert not Involvement.objects.filter(
        actor__slug=KH, role__in=["claimed_by", "perpetrator"]
    ).exists()


def test_probable_duplicates_are_kept_and_proposed(reference_data):
    proposals = MergeProposal.objects.open().order_by("pk")
    pairs = [
        (p.incident.external_id, p.candidate.external_id, p.origin, p.proposed_by)
        for p in proposals
    ]
    assert pairs == [
        ("BW-REF-001", "BW-REF-003", "reference", None),  # Asad, Oct 17 ~ Oct 18
        ("BW-REF-007", "BW-REF-004", "reference", None),  # Tanf, Oct 19 ~ Oct 18
        ("BW-REF-054", "BW-REF-053", "reference", None),  # Asad drone ~ missile
    ]
    for proposal, duplicate in zip(proposals, catalog.PROBABLE_DUPLICATES, strict=True):
        # Both stay published incidents; the reason quotes the notes' words.
        assert proposal.incident.status == proposal.candidate.status == "published"
        assert f"“{duplicate.phrase}”" in proposal.reason
        assert duplicate.phrase in proposal.incident.summary
        assert (proposal.incident.occurred_on, proposal.incident.weapon) == (
            duplicate.row.date,
            duplicate.row.weapon,
        )
        assert proposal.candidate.sites.get().slug == duplicate.candidate.site
        assert proposal.created_at.isoformat() == "2023-12-01T00:00:00+00:00"
    assert "possible duplicate of next-day row" in proposals[0].reason
    assert "may be the same event the Pentagon dated Oct 18" in proposals[1].reason
    assert "may overlap with the ballistic-missile attack" in proposals[2].reason


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
    # 12 attacks on unplaced sites (5 in the first file) + sanctions + statement
    assert unplaced.count() == 14
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


# --- the copy of the shared reference folder into data/ ---------------------------


@pytest.fixture
def shared(tmp_path):
    """A stand-in for the project's shared reference folder: data/ and seed/."""
    folder = tmp_path / "shared"
    shutil.copytree(DATA, folder / "data", ignore=shutil.ignore_patterns("seed"))
    (folder / "data" / PROVENANCE).unlink()
    shutil.copytree(DATA / "seed", folder / "seed")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_copy_command_copies_with_provenance(shared, tmp_path):
    target = tmp_path / "repo" / "data"
    out = call_command_output(
        "import_reference_data", "--from", str(shared), "--to", str(target), "--json"
    )
    copied = {f["path"]: f for f in json.loads(out)}
    assert set(copied) == {
        "README.md",
        "aggregates.csv",
        *ATTACKS_CSVS,
        SITES_CSV,
        "seed/README.md",
        f"seed/{catalog.SEED_ARTICLE['file']}",
    }
    for name, entry in copied.items():
        content = (target / name).read_bytes()
        source = shared / ("" if "/" in name else "data") / name
        assert content == source.read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["source"] == str(source.resolve())
    provenance = (target / PROVENANCE).read_text(encoding="utf-8")
    assert f"import_reference_data --from {shared.resolve()}" in provenance
    assert datetime.date.today().isoformat()[:4] in provenance
    for name, entry in copied.items():
        assert f"| `{name}` | {entry['size']} | `{entry['sha256']}` |" in provenance
    assert provenance_problems(target) == []
    # What was copied builds the same fixtures as the repository's data/.
    assert build_reference_fixtures(
        data_dir=target, seed_dir=target / "seed"
    ) == build_reference_fixtures(data_dir=DATA, seed_dir=DATA / "seed")
    assert [p.name for p in target.parent.iterdir()] == ["data"]


def call_command_output(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_provenance_notices_a_changed_or_unlisted_file(shared, tmp_path):
    target = tmp_path / "data"
    reference_data_copy(source=shared, target=target)
    _corrupt(target / SECOND, "47,3", "48,3")
    (target / "extra.csv").write_text("x\n", encoding="utf-8")
    (target / "seed" / "README.md").unlink()
    assert provenance_problems(target) == [
        "extra.csv: not in PROVENANCE.md",
        f"{SECOND}: differs from the copy PROVENANCE.md records",
        "seed/README.md: listed in PROVENANCE.md but missing",
    ]


def test_a_copy_replaces_the_old_data_whole(shared, tmp_path):
    target = tmp_path / "data"
    target.mkdir()
    (target / "stale.csv").write_text("old\n", encoding="utf-8")
    reference_data_copy(
        source=shared,
        target=target,
        now=datetime.datetime(2024, 2, 5, 12, 0, tzinfo=datetime.UTC),
    )
    assert not (target / "stale.csv").exists()
    assert "Copied on 2024-02-05 12:00:00 UTC" in (target / PROVENANCE).read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "shared"]


@pytest.mark.parametrize(
    "break_it",
    [
        lambda shared: (shared / "data" / SECOND).unlink(),
        lambda shared: (shared / "seed" / catalog.SEED_ARTICLE["file"]).unlink(),
        lambda shared: shutil.rmtree(shared / "seed"),
        lambda shared: (shared / "data" / "more").mkdir(),
    ],
    ids=["second-file-missing", "seed-missing", "no-seed-folder", "a-sub-folder"],
)
def test_a_bad_source_copies_nothing(shared, tmp_path, break_it):
    target = tmp_path / "repo" / "data"
    reference_data_copy(source=shared, target=target)
    before = _tree(target)
    break_it(shared)
    with pytest.raises(CommandError):
        call_command("import_reference_data", "--from", str(shared), "--to", target)
    assert _tree(target) == before
    assert [p.name for p in target.parent.iterdir()] == ["data"]


def test_a_copy_failing_midway_leaves_data_as_it_was(shared, tmp_path, monkeypatch):
    target = tmp_path / "repo" / "data"
    reference_data_copy(source=shared, target=target)
    before = _tree(target)
    _corrupt(shared / "data" / SECOND, "47,3", "48,3")  # a newer file, say
    real_copy = reference_copy._copy
    calls = []

    def copy_then_fail(path, staging, relative):
        calls.append(relative)
        if len(calls) == 4:  # a full disk, an unreadable file
            raise OSError(28, "No space left on device")
        return real_copy(path, staging, relative)

    monkeypatch.setattr(reference_copy, "_copy", copy_then_fail)
    with pytest.raises(CommandError, match="copy failed.*unchanged"):
        call_command("import_reference_data", "--from", str(shared), "--to", target)
    assert _tree(target) == before
    assert [p.name for p in target.parent.iterdir()] == ["data"]


def test_a_failed_swap_puts_the_old_data_back(shared, tmp_path, monkeypatch):
    target = tmp_path / "data"
    reference_data_copy(source=shared, target=target)
    before = _tree(target)
    real_rename = Path.rename

    def rename(self, to):
        if self.name.startswith(".data.new-"):
            raise OSError(5, "Input/output error")
        return real_rename(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        reference_data_copy(source=shared, target=target)
    assert _tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "shared"]


def test_the_copy_refuses_a_source_that_is_not_the_shared_folder(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(ReferenceDataError, match="no data/ folder"):
        reference_data_copy(source=tmp_path / "elsewhere", target=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(ReferenceDataError, match="is inside the source"):
        reference_data_copy(source=tmp_path, target=tmp_path / "out")


def _loaded_rows(load) -> tuple[dict, int]:
    """Every table's rows after ``load``, and the primary key a new site gets
    then; rolled back after. (The incidents' two timestamps and the history's
    dates are the moment of loading, so they are left out.)"""
    with transaction.atomic():
        load()
        rows = table_rows()
        new_site = Site.objects.create(slug="after-the-load", name="After the load")
        transaction.set_rollback(True)
    for model, table in rows.items():
        for row in table.values():
            for moment in ("created_at", "updated_at", "history_date"):
                if model is Incident or moment == "history_date":
                    row.pop(moment, None)
    # Rows the fixtures give keep their keys; the others (history, links, the
    # rollup) get theirs from a sequence, which PostgreSQL never rolls back:
    # those are compared as a set of rows without their keys.
    fixed = _fixture_models()
    compared = {}
    for model, table in rows.items():
        if model._meta.label_lower in fixed:
            compared[model] = table
        else:
            # Its key, its links to other rows keyed by a sequence, and "id",
            # which in a history row is the tracked row's (a link table's is
            # from a sequence too).
            drop = {"pk", "id"} | {
                f.attname
                for f in model._meta.concrete_fields
                if f.primary_key
                or (f.is_relation and f.related_model._meta.label_lower not in fixed)
            }
            compared[model] = sorted(
                json.dumps(
                    {k: v for k, v in row.items() if k not in drop},
                    sort_keys=True,
                    default=str,
                )
                for row in table.values()
            )
    return compared, new_site.pk


def _fixture_models() -> set[str]:
    directory = Path(settings.BASE_DIR) / "fixtures"
    return {
        entry["model"]
        for name in REFERENCE_FIXTURES
        for entry in json.loads((directory / name).read_text(encoding="utf-8"))
    }


def test_the_fixtures_copy_is_what_the_command_loads(db, reference_snapshot):
    """The ``reference_data`` fixture copies the command's rows in (it is faster);
    the copy must be the command's result, row for row, and the next row must
    get the primary key it would after the command."""
    copied, copied_next = _loaded_rows(lambda: restore(reference_snapshot))
    loaded, loaded_next = _loaded_rows(
        lambda: call_command("load_reference_data", verbosity=0)
    )
    assert sum(len(rows) for rows in loaded.values()) > 1_000
    assert copied == loaded
    assert copied_next == loaded_next
