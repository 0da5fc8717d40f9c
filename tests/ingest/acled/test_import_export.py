"""ACLED CSV import and export (``incidents.ingest.acled``) and their commands.

``tests/data/acled/syria-iraq-2023.csv`` is a hand-written ACLED export of 13 rows
about the reference sites: UTF-8 with BOM, columns in reverse order, both date
styles, several actors and publishers per cell, a quoted note over two lines, a
location spelled as no site is ("Koniko", "Ain Al Asad Airbase"), one next to a
site under another name, two far from every site and an unknown sub-event type.
``broken.csv`` has ten different bad rows between two good ones.
"""

import csv
import datetime
import io
import json
import random
import tracemalloc
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation

from incidents.exports.formula_guard import guarded, unguarded
from incidents.ingest.acled import (
    ACLED_COLUMNS,
    export_acled_lines,
    import_acled,
    write_acled_csv,
)
from incidents.ingest.acled.columns import parse_date
from incidents.ingest.acled.mapping import (
    event_type_and_weapon,
    geo_precision_code,
    weapon_from_notes,
)
from incidents.models import (
    Actor,
    Citation,
    ExternalReport,
    Incident,
    Involvement,
    Source,
)
from tests import ROOT, TEST_DATA

DATA = TEST_DATA / "acled"
SAMPLE = DATA / "syria-iraq-2023.csv"
BROKEN = DATA / "broken.csv"
SAMPLE_IDS = {
    "SYR12001",
    "SYR12002",
    "SYR12003",
    "SYR12004",
    "SYR12005",
    "SYR12006",
    "SYR12007",
    "SYR12008",
    "SYR12009",
    "IRQ34001",
    "IRQ34002",
    "IRQ34003",
    "IRQ34004",
}
US = "Military Forces of the United States (2021-)"  # ACLED's name for...
OUR_US = "United States Armed Forces"  # ...the actor the reference data holds


def table_counts(*, history: bool = True) -> dict[str, int]:
    """Rows in every table of the app, link tables included; ``history=False``
    leaves out the history tables, which an update rightly adds to."""
    return {
        model._meta.db_table: model.objects.count()
        for model in apps.get_app_config("incidents").get_models(
            include_auto_created=True
        )
        if history or not model.__name__.startswith("Historical")
    }


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def normalised(row: dict[str, str]) -> dict[str, str]:
    """A row with the date in ISO form and the coordinates as numbers."""
    return {
        **row,
        "event_date": parse_date(row["event_date"]).isoformat(),
        "latitude": float(row["latitude"]),
        "longitude": float(row["longitude"]),
    }


def rewrite(path: Path, change) -> None:
    """Apply ``change(row)`` to every row of ``path`` (a copy of the sample)."""
    rows = read_rows(path.read_text(encoding="utf-8-sig"))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            change(row)
            writer.writerow(row)


@pytest.fixture
def imported(reference_data):
    report = import_acled(SAMPLE, take_all=True)
    assert report.ok, report.summary_lines()
    return report


def sample_incidents():
    return Incident.objects.filter(external_id__in=SAMPLE_IDS)


# --- import ---------------------------------------------------------------------


def test_import_creates_the_incidents(imported):
    assert (imported.created, imported.updated, imported.unchanged) == (13, 0, 0)
    assert imported.rows == 13
    incidents = {i.external_id: i for i in sample_incidents()}
    assert set(incidents) == SAMPLE_IDS
    assert {i.status for i in incidents.values()} == {"review"}

    omar = incidents["SYR12001"]
    assert (omar.event_type, omar.weapon) == ("attack", "rocket")
    assert (omar.date_precision, omar.precision_m) == ("day", 2000)
    # fatalities 0 and "No casualties reported.": a reported none, of both.
    assert (omar.country, omar.admin1, omar.killed, omar.injured) == (
        "SY",
        "Deir ez Zor",
        0,
        0,
    )
    # fatalities 0 with "Minor injuries reported": ACLED's 0 is "none reported",
    # so not reported, and injuries without a number are not a count.
    tanf = incidents["SYR12003"]
    assert (tanf.killed, tanf.injured) == (None, None)
    assert (omar.latitude, omar.longitude) == (35.1517, 40.5758)
    assert omar.external_timestamp == 1698105600
    assert omar.external_data["acled"]["source_scale"] == "National-Regional"
    assert list(omar.sites.values_list("slug", flat=True)) == ["al-omar"]
    roles = set(omar.involvements.values_list("actor__name", "role"))
    assert roles == {
        ("Islamic Resistance in Iraq", "perpetrator"),
        ("Kataib Hezbollah", "perpetrator"),
        (OUR_US, "target"),
    }
    citations = set(omar.citations.values_list("source__publisher", "stance"))
    assert citations == {("Al Mayadeen", "reports"), ("Sabereen News", "reports")}

    # "15 November 2023" style dates, other precisions, other mappings.
    assert incidents["IRQ34001"].occurred_on == datetime.date(2023, 10, 25)
    assert incidents["IRQ34001"].country == "IQ"
    assert incidents["SYR12005"].date_precision == "week"
    assert (incidents["SYR12005"].weapon, incidents["SYR12004"].weapon) == (
        "mortar",
        "mortar",
    )
    assert incidents["SYR12006"].precision_m == 50_000
    assert (incidents["SYR12006"].weapon, incidents["SYR12006"].killed) == (
        "small_arms",
        3,
    )
    assert incidents["IRQ34003"].event_type == "interception"
    # A state force's air strike is a strike; the notes name missiles.
    assert (incidents["IRQ34004"].event_type, incidents["IRQ34004"].weapon) == (
        "strike",
        "missile",
    )
    assert incidents["SYR12007"].summary.endswith(
        "near Al Mayadin.\nAt least 7 killed."
    )
    # An unknown sub-event type is kept, not refused.
    unknown = incidents["SYR12008"]
    assert (unknown.event_type, unknown.weapon) == ("other", "unknown")
    assert unknown.external_data["acled"]["sub_event_type"] == "Drone swarm"
    # Arabic notes: "هجوم بطائرة مسيّرة" is a drone attack.
    assert incidents["SYR12009"].weapon == "drone"


def test_import_creates_unknown_actors_and_sources(imported):
    # ACLED's standard name for US forces is the actor we hold (``actor_names``).
    assert US not in imported.actors_created
    assert not Actor.objects.filter(name=US).exists()
    assert Actor.objects.get(name="Harakat al-Nujaba").kind == "armed_group"
    assert Actor.objects.get(name="Military Forces of Syria (2000-2024)").kind == (
        "state_force"
    )
    # Known actors were found by name, not duplicated.
    assert Actor.objects.filter(name="Kataib Hezbollah").count() == 1
    assert "Kataib Hezbollah" not in imported.actors_created
    assert Involvement.objects.filter(
        incident__external_id="SYR12003", actor__name="Harakat al-Nujaba"
    ).get().role == ("perpetrator")
    source = Source.objects.get(publisher="Al Mayadeen")
    assert (source.url, source.title, source.kind) == ("", "ACLED: Al Mayadeen", "news")
    assert Citation.objects.filter(source=source).count() == 3


def test_import_links_sites_by_name_and_by_distance(imported):
    linked = {
        event_id: (line, slug, how) for line, event_id, slug, how in imported.linked
    }
    assert linked["SYR12002"] == (3, "conoco", "name")  # "Koniko"
    assert linked["IRQ34001"] == (5, "ain-al-asad", "name")  # "Ain Al Asad Airbase"
    assert linked["IRQ34002"][1:] == ("harir", "name")
    assert linked["IRQ34003"][1:] == ("erbil-air-base", "name")
    assert linked["SYR12003"][1:] == ("al-tanf", "name")
    # "Ghuraybah" is no site, but its point is 4.2 km from Al-Omar.
    assert linked["SYR12004"] == (8, "al-omar", "nearest (4.2 km)")
    assert sorted(imported.unlinked) == [
        (10, "SYR12006", "Raqqa"),
        (13, "IRQ34004", "Jurf al-Sakhar"),
    ]
    # The multi-line note in line 11 does not shift the lines after it.
    assert linked["SYR12008"][0] == 14
    ghuraybah = Incident.objects.get(external_id="SYR12004")
    assert (ghuraybah.latitude, ghuraybah.longitude) == (35.12, 40.6)  # its own point
    assert not Incident.objects.get(external_id="SYR12006").sites.exists()


def test_import_sets_the_given_status_and_user(reference_data, django_user_model):
    user = django_user_model.objects.create(username="analyst")
    report = import_acled(SAMPLE, status="draft", user=user, take_all=True)
    assert report.created == 13
    assert set(
        sample_incidents().values_list("status", "created_by", "updated_by")
    ) == {("draft", user.pk, user.pk)}
    with pytest.raises(ValueError):
        import_acled(SAMPLE, status="retracted")
    with pytest.raises(PermissionDenied):
        import_acled(SAMPLE, status="published", user=user)


def test_reimport_changes_nothing(imported):
    before = table_counts()
    stamps = dict(sample_incidents().values_list("pk", "updated_at"))
    again = import_acled(SAMPLE, take_all=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 13)
    assert (again.linked, again.unlinked, again.actors_created) == ([], [], [])
    assert table_counts() == before
    assert dict(sample_incidents().values_list("pk", "updated_at")) == stamps


def test_newer_timestamp_updates_exactly_that_row(imported, tmp_path):
    copy = tmp_path / "newer.csv"
    copy.write_bytes(SAMPLE.read_bytes())

    def change(row):
        if row["event_id_cnty"] == "SYR12002":
            row["timestamp"] = str(int(row["timestamp"]) + 1)
            row["notes"] = "Corrected: two drones targeted the Conoco base."
            # Moved: a named site far from the row's point links nothing
            # (test_plausibility), so the point moves with the name.
            row["location"] = "Al Tanf"
            row["latitude"], row["longitude"] = "33.4976", "38.6307"
            row["actor1"] = "Kataib Hezbollah"
        elif row["event_id_cnty"] == "SYR12001":  # changed, but not newer: ignored
            row["notes"] = "An edit without a newer timestamp."

    rewrite(copy, change)
    before = table_counts(history=False)
    report = import_acled(copy, take_all=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 12)
    assert table_counts(history=False) == before
    conoco = Incident.objects.get(external_id="SYR12002")
    assert conoco.summary.startswith("Corrected")
    assert conoco.external_timestamp == 1698192001
    assert list(conoco.sites.values_list("slug", flat=True)) == ["al-tanf"]
    assert set(conoco.involvements.values_list("actor__name", "role")) == {
        ("Kataib Hezbollah", "perpetrator"),
        (OUR_US, "target"),
    }
    assert conoco.status == "review"
    assert not Incident.objects.get(external_id="SYR12001").summary.startswith("An")
    # The update is in the history, with its new links.
    latest = conoco.history.latest()
    assert (latest.history_type, latest.history_change_reason) == ("~", "ACLED import")
    assert latest.summary.startswith("Corrected")
    assert [link.site.slug for link in latest.sites.all()] == ["al-tanf"]


def test_the_import_is_in_the_history_with_who_and_what(
    reference_data, django_user_model
):
    user = django_user_model.objects.create_user("importer")
    report = import_acled(SAMPLE, user=user, take_all=True)
    assert report.ok
    for incident in sample_incidents():
        (record,) = incident.history.all()
        assert (
            record.history_type,
            record.history_user,
            record.history_change_reason,
        ) == (
            "+",
            user,
            "ACLED import",
        )
        assert (record.summary, record.occurred_on, record.status) == (
            incident.summary,
            incident.occurred_on,
            incident.status,
        )
        assert [link.site_id for link in record.sites.all()] == list(
            incident.sites.values_list("pk", flat=True)
        )
        for related in (*incident.citations.all(), *incident.involvements.all()):
            (added,) = related.history.all()
            assert (added.history_type, added.history_user) == ("+", user)


def test_broken_file_imports_nothing_and_names_every_bad_line(reference_data):
    before = table_counts()
    report = import_acled(BROKEN)
    assert not report.ok
    assert table_counts() == before
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "event_date"),
        (4, "latitude"),
        (5, "time_precision"),
        (6, "event_id_cnty"),
        (7, "event_id_cnty"),
        (8, "fatalities"),
        (9, "timestamp"),
        (10, None),
        (11, "geo_precision"),  # its notes run on to line 12
        (13, "longitude"),
    ]
    messages = {e.line: e.message for e in report.errors}
    assert messages[7] == "'SYR12001' repeats line 2"
    assert messages[10] == "the row has 5 cells, the header 31"
    assert (report.created, report.linked) == (0, [])
    assert report.as_dict()["errors"][0] == {
        "line": 3,
        "column": "event_date",
        "message": "'2023-13-45' is not a date like 2023-11-15 or 15 November 2023",
    }


def test_problems_are_written_in_the_active_language(reference_data):
    """An Arabic editor's dry run reads in Arabic; values, lines and column names
    from the file stay as written."""
    with translation.override("ar"):
        report = import_acled(BROKEN)
        empty = import_acled(io.BytesIO(b""))
    messages = {e.line: e.message for e in report.errors}
    assert messages[7] == "'SYR12001' يكرر السطر 2"
    assert messages[10] == "في الصف 5 خلية، وفي سطر العناوين 31"
    assert messages[3].startswith("'2023-13-45' ليس تاريخًا")
    assert (report.errors[0].line, report.errors[0].column) == (3, "event_date")
    assert empty.file_error == "الملف فارغ"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\n\nSYR1,2023-10-19\n", "no header: line 1 must name the columns"),
        ("event_id_cnty,notes\nSYR1,caf\xe9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unreadable_files_are_a_file_error(db, content, expected):
    report = import_acled(io.BytesIO(content))
    assert not report.ok
    assert expected in report.file_error
    assert report.as_dict()["file_error"] == report.file_error


def test_a_nul_character_is_an_error_naming_its_line_and_column(reference_data):
    """PostgreSQL cannot store NUL in text; the row is refused before any write."""
    text = SAMPLE.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert ",Koniko," in text[2]
    text[2] = text[2].replace(",Koniko,", ",Kon\x00iko,", 1)
    before = table_counts()
    report = import_acled(io.BytesIO("".join(text).encode()))
    assert not report.ok
    assert table_counts() == before
    assert [(e.line, e.column) for e in report.errors] == [(3, "location")]
    assert "NUL" in report.errors[0].message


def test_missing_required_columns_are_reported_on_line_1(db):
    report = import_acled(
        io.BytesIO(b"event_id_cnty,event_date,notes\nX,2023-10-19,n\n")
    )
    missing = {e.column for e in report.errors}
    assert {e.line for e in report.errors} == {1}
    # What places the event and says what it was; the rest may be left out, as
    # ACLED's API leaves out the columns not asked for (test_current_style).
    assert missing == {"sub_event_type", "latitude", "longitude"}


def test_dry_run_writes_nothing_and_predicts_the_import(reference_data):
    before = table_counts()
    dry = import_acled(SAMPLE, dry_run=True, take_all=True)
    assert table_counts() == before
    real = import_acled(SAMPLE, take_all=True)
    expected = real.as_dict() | {"dry_run": True}
    assert dry.as_dict() == expected


def test_a_file_object_is_read_twice_and_left_open(reference_data):
    handle = io.BytesIO(SAMPLE.read_bytes())
    report = import_acled(handle, take_all=True)
    assert report.created == 13
    assert not handle.closed


# --- export -----------------------------------------------------------------------


def test_export_import_round_trip(imported, tmp_path):
    exported = "".join(export_acled_lines(sample_incidents()))
    assert exported.startswith(",".join(ACLED_COLUMNS) + "\r\n")
    original = {r["event_id_cnty"]: r for r in read_rows(SAMPLE.read_text("utf-8-sig"))}
    rows = read_rows(exported)
    assert len(rows) == 13
    for row in rows:
        assert normalised(row) == normalised(original[row["event_id_cnty"]])

    path = tmp_path / "export.csv"
    path.write_text(exported, encoding="utf-8", newline="")
    before = table_counts()
    report = import_acled(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 13)
    assert table_counts() == before
    assert "".join(export_acled_lines(sample_incidents())) == exported


def test_export_derives_changed_columns(imported):
    incident = Incident.objects.get(external_id="SYR12001")
    incident.occurred_on = datetime.date(2023, 10, 20)
    incident.weapon = "drone"
    incident.save()
    incident.involvements.filter(actor__name="Kataib Hezbollah").delete()
    (row,) = read_rows(
        "".join(export_acled_lines(Incident.objects.filter(pk=incident.pk)))
    )
    assert (row["event_date"], row["year"]) == ("2023-10-20", "2023")
    assert row["sub_event_type"] == "Air/drone strike"
    # Derived from the incident's actors, by our names.
    assert (row["actor1"], row["assoc_actor_1"], row["actor2"]) == (
        "Islamic Resistance in Iraq",
        "",
        OUR_US,
    )
    assert row["source"] == "Al Mayadeen; Sabereen News"  # unchanged: as written
    assert row["admin2"] == "Al Mayadin"


def test_exported_reference_data_imports_as_unchanged(reference_data, tmp_path):
    path = tmp_path / "reference.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        assert write_acled_csv(Incident.objects.all(), handle) == 130
    rows = read_rows(path.read_text("utf-8"))
    assert rows[0]["event_id_cnty"].startswith("BW-")
    before = table_counts()
    report = import_acled(path)
    assert report.ok, report.summary_lines()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 130)
    assert table_counts() == before


def test_own_incidents_without_external_id_round_trip(db, make, tmp_path):
    site = make.site(name="Test Base")
    actor = make.actor(name="Some Group")
    incident = make.incident(
        sites=[site],
        involvements=[(actor, "claimed_by")],
        citations=[(make.source(publisher="example.org"), "reports")],
        killed=None,
        precision_m=3000,
    )
    (row,) = read_rows("".join(export_acled_lines(Incident.objects.all())))
    assert row["event_id_cnty"] == f"BW-{incident.pk}"
    assert (row["actor1"], row["inter1"], row["location"]) == (
        "Some Group",
        "3",
        "Test Base",
    )
    assert (row["fatalities"], row["geo_precision"], row["iso"]) == ("0", "2", "760")
    assert row["timestamp"] == str(int(incident.updated_at.timestamp()))
    path = tmp_path / "own.csv"
    path.write_text("".join(export_acled_lines(Incident.objects.all())), "utf-8")
    report = import_acled(path)
    assert (report.created, report.unchanged) == (0, 1)
    assert Incident.objects.count() == 1


def test_formula_text_is_guarded_in_the_file_and_imports_unchanged(db, make, tmp_path):
    """Hostile text must not run as a formula when an analyst opens the file in a
    spreadsheet, and the apostrophe that stops it must not creep into the data."""
    hostile = '=HYPERLINK("http://evil.example","x")'
    site = make.site(name="@Base", latitude=35.0, longitude=-40.5)
    actor = make.actor(name="+Group")
    make.incident(
        sites=[site],
        involvements=[(actor, "perpetrator")],
        citations=[(make.source(publisher="-example.org"), "reports")],
        summary=hostile,
        external_id="-X1",
        external_data={"acled": {"admin2": "=2+2"}},
        latitude=35.0,
        longitude=-40.5,
    )
    exported = "".join(export_acled_lines(Incident.objects.all()))
    (row,) = read_rows(exported)
    assert row["notes"] == "'" + hostile
    assert (row["event_id_cnty"], row["actor1"], row["location"]) == (
        "'-X1",
        "'+Group",
        "'@Base",
    )
    assert row["source"] == "'-example.org"
    assert row["longitude"] == "-40.5"  # a number, not a formula
    assert row["admin2"] == "'=2+2"  # kept ACLED cells too

    # As an ACLED file from elsewhere, into a database without the original (else
    # it is a second report of it, and attached): the importer takes the
    # apostrophe off.
    Incident.objects.all().delete()
    path = tmp_path / "guarded.csv"
    path.write_text(exported.replace("-X1", "-X2"), encoding="utf-8", newline="")
    report = import_acled(path)
    assert (report.ok, report.created) == (True, 1), report.summary_lines()
    imported = Incident.objects.get(external_id="-X2")
    assert imported.summary == hostile
    assert imported.external_data["acled"]["admin2"] == "=2+2"
    assert imported.involvements.get().actor.name == "+Group"
    again = "".join(export_acled_lines(Incident.objects.filter(pk=imported.pk)))
    assert read_rows(again)[0]["notes"] == "'" + hostile


def test_guarding_is_undone_exactly():
    for text in ["=1", "+1", "-1", "@x", "\tx", "\rx", "plain", "'quoted", "'", ""]:
        assert unguarded(guarded(text)) == text
    assert guarded("-40.5") == "'-40.5"  # hence numeric columns are never guarded
    assert unguarded("'=x") == "=x" and unguarded("'x") == "'x"


def test_export_streams(imported):
    lines = export_acled_lines(sample_incidents())
    assert next(lines).startswith("event_id_cnty,")  # before any incident is read
    assert sum(1 for _ in lines) >= 13


# --- vocabularies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-15", datetime.date(2023, 11, 15)),
        ("15 November 2023", datetime.date(2023, 11, 15)),
        ("5 nov 2023", datetime.date(2023, 11, 5)),
        ("15-November-2023", datetime.date(2023, 11, 15)),
        ("31 November 2023", None),
        ("2023/11/15", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_weapons_from_notes_and_sub_event_types():
    assert weapon_from_notes("Katyusha rockets hit", "unknown") == "rocket"
    assert weapon_from_notes("قصف بالصواريخ", "unknown") == "rocket"
    assert weapon_from_notes("a drone and a missile", "unknown") == "mixed"
    assert weapon_from_notes("no weapon named", "unknown") == "unknown"
    assert weapon_from_notes("dronescape", "x") == "x"  # whole words only
    assert event_type_and_weapon("Air/drone strike", "", "3") == ("attack", "drone")
    assert event_type_and_weapon("Air/drone strike", "", "8") == ("strike", "unknown")
    assert event_type_and_weapon("Agreement", "", "1") == ("meeting", "")
    assert event_type_and_weapon("Something New", "", "1") == ("other", "unknown")
    assert [geo_precision_code(m) for m in (1000, 2000, 3000, 50_000, None)] == [
        "1",
        "1",
        "2",
        "3",
        "3",
    ]


# --- commands ---------------------------------------------------------------------


def test_import_command_prints_a_summary(reference_data):
    out = io.StringIO()
    call_command("import_acled", str(SAMPLE), "--dry-run", "--all", stdout=out)
    assert "13 created" in out.getvalue()
    assert "line 10: SYR12006: no site fits 'Raqqa'" in out.getvalue()
    assert not sample_incidents().exists()


def test_import_command_fails_on_a_bad_file(reference_data):
    out = io.StringIO()
    with pytest.raises(CommandError, match="10 bad row"):
        call_command("import_acled", str(BROKEN), stdout=out)
    assert "line 4: latitude: 'abc' is not a number" in out.getvalue()
    with pytest.raises(CommandError, match="cannot open"):
        call_command("import_acled", "/nonexistent/acled.csv", stdout=io.StringIO())


def test_import_command_json(reference_data):
    out = io.StringIO()
    call_command(
        "import_acled", str(SAMPLE), "--json", "--status", "draft", "--all", stdout=out
    )
    report = json.loads(out.getvalue())
    assert (report["ok"], report["created"]) == (True, 13)
    assert {
        "line": 8,
        "event_id": "SYR12004",
        "site": "al-omar",
        "how": "nearest (4.2 km)",
    } in report["linked"]
    assert set(sample_incidents().values_list("status", flat=True)) == {"draft"}


def test_export_command(imported, tmp_path):
    sample_incidents().update(status="published")
    out = io.StringIO()
    call_command(
        "export_acled",
        "--date-from",
        "2023-10-19",
        "--date-to",
        "2023-10-25",
        "--site",
        "al-omar",
        stdout=out,
    )
    rows = read_rows(out.getvalue())
    assert [r["event_id_cnty"] for r in rows] == ["SYR12001"]
    path = tmp_path / "all.csv"
    call_command("export_acled", "--output", str(path), stderr=io.StringIO())
    assert (
        len(read_rows(path.read_text("utf-8"))) == Incident.objects.published().count()
    )
    with pytest.raises(CommandError, match="no site"):
        call_command("export_acled", "--site", "nowhere", stdout=io.StringIO())
    # ACLED cannot say "withdrawn", so asking for retracted incidents is refused
    # rather than answered with an empty file.
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export_acled", "--status", "retracted", stdout=io.StringIO())


# --- streaming ---------------------------------------------------------------------


def write_generated(path: Path, rows: int) -> None:
    """A seeded ACLED file about the reference sites, ``rows`` rows long."""
    rng = random.Random(7)
    places = [
        ("Koniko", 35.3361, 40.3094),
        ("Harir", 36.5306, 44.3417),
        ("Raqqa", 35.95, 39.0167),
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACLED_COLUMNS)
        for n in range(rows):
            place, lat, lon = rng.choice(places)
            cells = dict.fromkeys(ACLED_COLUMNS, "")
            cells |= {
                "event_id_cnty": f"GEN{n}",
                "event_date": f"{1 + n % 28} October 2023",
                "time_precision": "1",
                "sub_event_type": "Air/drone strike",
                "actor1": "Islamic Resistance in Iraq",
                "assoc_actor_1": "Kataib Hezbollah",
                "inter1": "3",
                "actor2": US,
                "iso": "760",
                "location": place,
                "latitude": f"{lat + rng.uniform(-0.01, 0.01):.4f}",
                "longitude": f"{lon:.4f}",
                "geo_precision": "1",
                "source": "Sabereen News; Al Mayadeen",
                "notes": f"Drones targeted the base at {place}, attack number {n}. "
                * 3,
                "fatalities": "0",
                "timestamp": str(1_700_000_000 + n),
            }
            writer.writerow(cells.values())


def test_import_streams_in_bounded_memory(reference_data, tmp_path):
    """20,000 rows (8 MB) import with Python's heap peaking well under 40 MB.

    Held in memory at once, the parsed rows alone would take about 100 MB (31
    cells and their dict, ~5 KB a row); streaming keeps one batch of 2,000 rows,
    the set of ids and the report's link list. Measured: about 15 MB.
    """
    path = tmp_path / "big.csv"
    write_generated(path, 20_000)
    tracemalloc.start()
    try:
        report = import_acled(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Rows on the day and at the site of a reference attack are second reports
    # of it: attached, not created. The Raqqa rows concern no site: skipped, and
    # their list is in the memory measured.
    assert report.ok
    assert report.created + len(report.matched) + len(report.skipped) == 20_000
    raqqa = {event for _line, event, why in report.skipped if "'Raqqa'" in why}
    assert len(raqqa) == len(report.skipped) > 6_000
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.1f} MB"
    created = Incident.objects.filter(external_id__startswith="GEN").count()
    attached = ExternalReport.objects.filter(external_id__startswith="GEN").count()
    assert (created, attached) == (report.created, len(report.matched))


@pytest.mark.parametrize(
    "summary",
    [
        "On 19 October 2023, the IRI fired rockets (3) at Al-Omar; no casualties.",
        "Kata'ib Hezbollah`s  claim -- 'unverified'   ",
        "Tabs\tand\nnew lines, under_scores & symbols: $%^!",
        "",
        "...",
        "هجوم بطائرة مسيّرة على قاعدة الرميلان",
        "Café in Ḥasakah",
    ],
)
def test_fast_search_text_agrees_with_the_model(summary):
    # The ASCII short cut now lives in normalize_name itself (one folding for
    # every search_text); it must agree with the full folding.
    from incidents.geo.names import _fold_any, normalize_name

    for external_id in ("SYR12001", "BW-REF-001", ""):
        for text in (summary, external_id):
            assert normalize_name(text) == (_fold_any(text) if text else "")


def test_command_line_exit_status():
    """Through manage.py, as an analyst runs it: a bad file fails with status 1
    (pass 1 reads no table, so no database is touched), a bad option with 2."""
    import subprocess
    import sys

    root = ROOT
    run = [sys.executable, "manage.py", "import_acled", str(BROKEN)]
    done = subprocess.run(run, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "line 13: longitude: '200' is outside -180..180" in done.stdout
    assert "10 bad row(s); nothing was imported" in done.stderr
    done = subprocess.run(
        [*run, "--status", "retracted"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "invalid choice: 'retracted'" in done.stderr


def test_rows_far_from_every_site_are_skipped_by_default(reference_data):
    """The sample's clash in the Raqqa desert and strikes on Jurf al-Sakhar
    concern no tracked site: skipped, listed with why, nothing written for them."""
    report = import_acled(SAMPLE)
    assert report.ok, report.summary_lines()
    assert [(line, event) for line, event, _why in report.skipped] == [
        (10, "SYR12006"),
        (13, "IRQ34004"),
    ]
    assert "'Jurf al-Sakhar' names none" in report.skipped[1][2]
    assert report.unlinked == []
    assert report.created + len(report.matched) == 11
    assert not Incident.objects.filter(external_id__in=["SYR12006", "IRQ34004"])
    assert not Actor.objects.filter(name="National Defence Forces").exists()
