"""An ACLED import meets the incidents on record: second reports are attached, not
duplicated; an update touches only what its event gave; and no editor changes a
published incident through an import (the rule of ``incidents.rules``).

``tests/data/acled/reference-attacks.csv`` is a hand-written ACLED export (ACLED's
column order, its place names such as "Al Asad Airbase", "At Tanf", "Koniko Gas
Field", "Green Village", its actor names, both of its date styles) of 40 events:
37 attacks of the reference data as ACLED would code them, one ACLED row that
cannot tell the drone from the missile attack on Ain al-Asad on 20 November 2023,
one dated a day off (Erbil, 25 October: the Wall Street Journal's date), and one
known only to the week.
"""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from incidents.ingest.acled import ACLED_COLUMNS, export_acled_lines, import_acled
from incidents.ingest.acled.columns import parse_date
from incidents.models import (
    INCIDENT_CONTENT_FIELDS,
    Citation,
    ExternalReport,
    Incident,
    Involvement,
    MergeProposal,
)
from tests import TEST_DATA

DATA = TEST_DATA / "acled"
REFERENCE_ATTACKS = DATA / "reference-attacks.csv"
# event_id_cnty -> the reference incident it reports (external ids of the
# fixtures: BW-REF-<n> is the n-th attack of the data files, BW-SEED-1 the seed
# article's rocket attack on al-Omar).
EXPECTED = {
    "IRQ31801": "BW-REF-003",
    "SYR20101": "BW-REF-004",
    "IRQ31790": "BW-REF-002",
    "IRQ31822": "BW-REF-005",
    "IRQ31825": "BW-REF-006",
    "SYR20110": "BW-REF-008",
    "SYR20180": "BW-REF-011",
    "IRQ31901": "BW-REF-015",
    "SYR20270": "BW-REF-024",
    "IRQ31955": "BW-REF-025",
    "SYR20301": "BW-REF-028",
    "SYR20331": "BW-REF-030",
    "SYR20341": "BW-REF-032",
    "IRQ32040": "BW-REF-038",
    "IRQ32055": "BW-REF-040",
    "SYR20380": "BW-REF-041",
    "IRQ32066": "BW-REF-042",
    "SYR20451": "BW-REF-045",
    "SYR20460": "BW-SEED-1",
    "SYR20491": "BW-REF-048",
    "IRQ32150": "BW-REF-053",
    "IRQ32190": "BW-REF-056",
    "SYR20540": "BW-REF-058",
    "SYR21001": "BW-REF-061",
    "IRQ32300": "BW-REF-064",
    "SYR21100": "BW-REF-072",
    "IRQ32450": "BW-REF-085",
    "SYR21200": "BW-REF-086",
    "IRQ32501": "BW-REF-097",
    "SYR21301": "BW-REF-103",
    "IRQ32520": "BW-REF-105",
    "IRQ32650": "BW-REF-113",
    "IRQ32680": "BW-REF-114",
    "SYR21450": "BW-REF-117",
    "JOR1201": "BW-REF-120",
    "SYR21500": "BW-REF-122",
    "SYR21600": "BW-REF-126",
}
AMBIGUOUS = "IRQ32151"  # Ain al-Asad, 20 Nov 2023, weapon unknown: two attacks
WEAK = {"IRQ31895", "IRQ32100"}  # a day off; a week-precise date


def person(django_user_model, name: str, group: str | None):
    user = django_user_model.objects.create_user(
        username=name, password="x", is_staff=True
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def editor(db, django_user_model):
    return person(django_user_model, "editor", "Editor")


@pytest.fixture
def reviewer(db, django_user_model):
    return person(django_user_model, "reviewer", "Reviewer")


def write_rows(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in ACLED_COLUMNS})
    return path


def read_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def other_date_style(value: str) -> str:
    day = parse_date(value)
    if value[:4].isdigit():
        return f"{day.day} {day:%B} {day.year}"
    return day.isoformat()


def snapshot() -> dict:
    """Everything an import could change, row by row."""
    return {
        "incidents": {
            i.pk: (model_to_dict(i), i.updated_at) for i in Incident.objects.all()
        },
        "citations": sorted(
            Citation.objects.values_list("incident", "source", "stance", "note")
        ),
        "involvements": sorted(
            Involvement.objects.values_list("incident", "actor", "role", "note")
        ),
        "sites": sorted(Incident.sites.through.objects.values_list("incident", "site")),
        "reports": ExternalReport.objects.count(),
        "proposals": MergeProposal.objects.count(),
        "history": Incident.history.count(),
    }


def content(incident: Incident) -> dict:
    return {name: getattr(incident, name) for name in INCIDENT_CONTENT_FIELDS}


def event_row(**cells) -> dict:
    """One ACLED row, a rocket attack on the base at point 35.0, 40.0."""
    row = {
        "event_id_cnty": "SYR90001",
        "event_date": "15 November 2023",
        "year": "2023",
        "time_precision": "1",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Islamic Resistance in Iraq",
        "inter1": "3",
        "actor2": "Military Forces of the United States (2021-)",
        "inter2": "8",
        "iso": "760",
        "location": "The Base",
        "latitude": "35.0",
        "longitude": "40.0",
        "geo_precision": "1",
        "source": "Al Mayadeen",
        "notes": "On 15 November 2023, rockets hit the base.",
        "fatalities": "0",
        "timestamp": "1700000000",
    }
    row.update(cells)
    return row


# --- one event, many reports ----------------------------------------------------------


def test_an_acled_file_of_attacks_on_record_attaches_to_them(reference_data):
    by_external_id = dict(Incident.objects.values_list("external_id", "pk"))
    report = import_acled(REFERENCE_ATTACKS)
    assert report.ok, report.summary_lines()
    rows = read_rows(REFERENCE_ATTACKS)
    matched = {event_id: pk for _line, event_id, pk, _how in report.matched}
    right = {e for e, pk in matched.items() if by_external_id[EXPECTED.get(e)] == pk}
    assert len(right) / len(rows) >= 0.9, sorted(set(EXPECTED) - right)
    assert right == set(matched)  # none attached to a wrong incident
    assert report.created <= 3 and report.created + len(matched) == len(rows)

    # A row that fits two incidents is flagged with both, not guessed.
    flagged = {event_id: c for _line, event_id, c in report.flagged}
    assert set(flagged) == {AMBIGUOUS} | WEAK
    assert {c["incident"] for c in flagged[AMBIGUOUS]} == {
        by_external_id["BW-REF-053"],  # the ballistic missiles
        by_external_id["BW-REF-054"],  # the drone the militia claimed
    }
    ambiguous = Incident.objects.get(external_id=AMBIGUOUS)
    proposed = MergeProposal.objects.filter(incident=ambiguous, origin="acled")
    assert {p.candidate_id for p in proposed} == {
        c["incident"] for c in flagged[AMBIGUOUS]
    }

    # Tower 22: the one report more, its own numbers untouched.
    tower = Incident.objects.get(external_id="BW-REF-120")
    assert (tower.killed, tower.injured) == (3, 47)
    assert tower.external_reports.get().external_id == "JOR1201"
    assert tower.citations.filter(source__title="ACLED: CENTCOM").exists()
    history = tower.history.first()
    assert history.history_change_reason == "ACLED import"


def test_the_same_file_again_in_either_date_style_changes_nothing(
    reference_data, tmp_path
):
    assert import_acled(REFERENCE_ATTACKS).ok
    before = snapshot()
    again = import_acled(REFERENCE_ATTACKS)
    assert (again.created, again.updated, len(again.matched)) == (0, 0, 0)
    rows = read_rows(REFERENCE_ATTACKS)
    for row in rows:
        row["event_date"] = other_date_style(row["event_date"])
    restyled = import_acled(write_rows(tmp_path / "restyled.csv", rows))
    assert restyled.ok and restyled.unchanged == len(rows)
    assert (restyled.created, restyled.updated, len(restyled.matched)) == (0, 0, 0)
    assert snapshot() == before


def test_an_attached_report_never_makes_a_claimant_a_perpetrator(reference_data):
    claimed = Incident.objects.get(external_id="BW-REF-002")  # Harir, 17 Oct 2023
    claimants = set(claimed.involvements.values_list("actor__slug", "role"))
    assert import_acled(REFERENCE_ATTACKS).ok
    after = set(claimed.involvements.values_list("actor__slug", "role"))
    assert claimants <= after
    assert not any(role == "perpetrator" for _slug, role in after)


def test_a_dry_run_decides_as_the_import_does(reference_data):
    before = snapshot()
    dry = import_acled(REFERENCE_ATTACKS, dry_run=True)
    assert snapshot() == before
    real = import_acled(REFERENCE_ATTACKS)
    assert dry.matched == real.matched
    assert [f[:2] for f in dry.flagged] == [f[:2] for f in real.flagged]


def test_the_command_reports_matched_rows_as_json(reference_data, capsys):
    call_command("import_acled", str(REFERENCE_ATTACKS), "--json", "--dry-run")
    import json

    out = json.loads(capsys.readouterr().out)
    assert {"created", "updated", "unchanged", "matched", "flagged"} <= set(out)
    first = out["matched"][0]
    assert set(first) == {"line", "event_id", "incident", "how"}
    assert first["event_id"] in EXPECTED and "same site" in first["how"]


# --- an update touches only its own ---------------------------------------------------


@pytest.fixture
def base(db, make):
    return make.site(slug="the-base", name="The Base", latitude=35.0, longitude=40.0)


def test_a_newer_row_keeps_what_editors_changed_and_added(base, make, editor, tmp_path):
    assert import_acled(write_rows(tmp_path / "v1.csv", [event_row()])).ok
    incident = Incident.objects.get(external_id="SYR90001")
    acled_source = incident.citations.get().source
    # An editor corrects the summary and adds a source and an actor.
    incident.summary = "Rockets hit the base; the editor checked it."
    incident.save()
    report_source = make.source(url="https://example.org/article")
    Citation.objects.create(incident=incident, source=report_source, stance="confirms")
    other = make.actor(slug="another-group", name="Another group")
    Involvement.objects.create(incident=incident, actor=other, role="attributed_to")

    newer = event_row(
        source="Sabereen News",
        notes="On 15 November 2023, rockets hit the base; two were killed.",
        fatalities="2",
        timestamp="1700000100",
    )
    report = import_acled(write_rows(tmp_path / "v2.csv", [newer]), user=editor)
    assert report.ok and report.updated == 1, report.summary_lines()
    incident.refresh_from_db()
    assert incident.summary == "Rockets hit the base; the editor checked it."
    assert incident.killed == 2  # nobody had changed it
    sources = set(incident.citations.values_list("source__title", "stance"))
    assert sources == {("ACLED: Sabereen News", "reports"), ("", "confirms")}
    assert not incident.citations.filter(source=acled_source).exists()
    assert incident.involvements.filter(actor=other).exists()
    removed = Citation.history.filter(source_id=acled_source.pk, history_type="-")
    assert removed.get().history_user == editor


def test_a_newer_row_of_an_attached_report_changes_only_its_own_rows(
    base, make, reviewer, tmp_path
):
    on_record = make.incident(
        sites=[base],
        occurred_on=datetime.date(2023, 11, 15),
        citations=[(make.source(url="https://example.org/a"), "confirms")],
    )
    fields = content(on_record)
    first = import_acled(
        write_rows(tmp_path / "v1.csv", [event_row(source="Al Mayadeen; Shafaq News")]),
        user=reviewer,
    )
    assert [m[2] for m in first.matched] == [on_record.pk]
    assert on_record.citations.count() == 3
    newer = event_row(source="Shafaq News", timestamp="1700000100")
    report = import_acled(write_rows(tmp_path / "v2.csv", [newer]), user=reviewer)
    assert report.updated == 1, report.summary_lines()
    assert set(on_record.citations.values_list("source__title", flat=True)) == {
        "",
        "ACLED: Shafaq News",
    }
    on_record.refresh_from_db()
    assert content(on_record) == fields  # an attached report has no fields
    stored = ExternalReport.objects.get(external_id="SYR90001")
    assert stored.external_timestamp == 1700000100


def test_an_event_whose_incident_was_merged_updates_the_survivor(base, make, tmp_path):
    assert import_acled(write_rows(tmp_path / "v1.csv", [event_row()])).ok
    created = Incident.objects.get(external_id="SYR90001")
    survivor = make.incident(sites=[base])
    # As a merge leaves them: the rows moved, the incident a tombstone.
    Citation.objects.filter(incident=created).update(incident=survivor)
    Involvement.objects.filter(incident=created).update(incident=survivor)
    Incident.objects.filter(pk=created.pk).update(status="merged", merged_into=survivor)

    newer = event_row(source="Sabereen News", timestamp="1700000100")
    report = import_acled(write_rows(tmp_path / "v2.csv", [newer]))
    assert report.updated == 1 and report.created == 0, report.summary_lines()
    assert set(survivor.citations.values_list("source__title", flat=True)) == {
        "ACLED: Sabereen News"
    }
    assert Incident.objects.get(pk=created.pk).status == "merged"


# --- roles hold on the import path ----------------------------------------------------


def published_from_acled(tmp_path) -> Incident:
    assert import_acled(write_rows(tmp_path / "v1.csv", [event_row()])).ok
    Incident.objects.filter(external_id="SYR90001").update(status="published")
    return Incident.objects.get(external_id="SYR90001")


def test_an_editors_upload_that_touches_a_published_incident_writes_nothing(
    base, editor, tmp_path
):
    published = published_from_acled(tmp_path)
    before = snapshot()
    rows = [
        event_row(event_id_cnty="SYR90002", location="Elsewhere", latitude="30.0"),
        event_row(timestamp="1700000100", fatalities="5"),
    ]
    report = import_acled(write_rows(tmp_path / "v2.csv", rows), user=editor)
    assert not report.ok
    assert report.needs_reviewer == [(3, "SYR90001", published.pk, "published")]
    (error,) = report.errors
    assert error.line == 3 and f"#{published.pk}" in error.message
    assert "reviewer" in error.message
    assert snapshot() == before  # not even the unrelated row


def test_a_reviewers_upload_does(base, reviewer, tmp_path):
    published = published_from_acled(tmp_path)
    rows = [event_row(timestamp="1700000100", fatalities="5")]
    report = import_acled(write_rows(tmp_path / "v2.csv", rows), user=reviewer)
    assert report.ok and report.updated == 1
    published.refresh_from_db()
    assert published.killed == 5 and published.updated_by == reviewer


def test_a_new_report_of_a_published_incident_needs_a_reviewer(
    base, make, editor, reviewer, tmp_path
):
    published = make.incident(sites=[base])
    draft = make.incident(sites=[base], status="draft", weapon="drone")
    path = write_rows(tmp_path / "new.csv", [event_row()])
    refused = import_acled(path, user=editor)
    assert refused.needs_reviewer == [(2, "SYR90001", published.pk, "published")]
    assert not ExternalReport.objects.exists()
    drone = event_row(
        event_id_cnty="SYR90003",
        sub_event_type="Air/drone strike",
        notes="On 15 November 2023, a drone hit the base.",
    )
    allowed = import_acled(write_rows(tmp_path / "drone.csv", [drone]), user=editor)
    assert [m[2] for m in allowed.matched] == [draft.pk]  # editors change drafts
    assert import_acled(path, user=reviewer).matched[0][2] == published.pk


def test_our_own_ids_are_held_to_the_same_rule(base, make, editor, reviewer, tmp_path):
    ours = make.incident(sites=[base], summary="Ours.")
    (row,) = read_rows_of("".join(export_acled_lines(Incident.objects.all())))
    assert row["event_id_cnty"] == f"BW-{ours.pk}"
    row["timestamp"] = str(int(row["timestamp"]) + 1)
    row["notes"] = "Changed in a spreadsheet."
    path = write_rows(tmp_path / "ours.csv", [row])
    assert import_acled(path, user=editor).needs_reviewer[0][2] == ours.pk
    assert Incident.objects.get(pk=ours.pk).summary == "Ours."
    assert import_acled(path, user=reviewer).updated == 1
    assert Incident.objects.get(pk=ours.pk).summary == "Changed in a spreadsheet."


def read_rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_command_imports_as_the_user_it_is_given(base, editor, tmp_path):
    published_from_acled(tmp_path)
    path = write_rows(tmp_path / "v2.csv", [event_row(timestamp="1700000100")])
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_acled", str(path), "--user", "editor")
    with pytest.raises(CommandError, match="no active user 'nobody'"):
        call_command("import_acled", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="only reviewers"):
        call_command(
            "import_acled", str(path), "--user", "editor", "--status", "published"
        )
    call_command("import_acled", str(path))  # the system may


def test_the_90000_row_accident_changes_no_published_incident(
    reference_data, editor, tmp_path
):
    """An editor imports a big country file into which the reference rows were
    pasted (exported, then "edited" so that they look newer)."""
    reference = read_rows_of("".join(export_acled_lines(Incident.objects.published())))
    for row in reference:
        row["timestamp"] = str(int(row["timestamp"]) + 86_400)
    filler = [
        event_row(
            event_id_cnty=f"SYR{100000 + n}",
            event_date=(
                datetime.date(2020, 1, 1) + datetime.timedelta(n % 1000)
            ).isoformat(),
            location="Raqqa",
            latitude="35.95",
            longitude="39.0167",
            notes=f"Event {n} far from any base.",
        )
        for n in range(90_000 - len(reference))
    ]
    path = write_rows(tmp_path / "accident.csv", [*filler, *reference])
    before = snapshot()
    report = import_acled(path, user=editor)
    assert report.rows == 90_000 and not report.ok
    published = set(Incident.objects.published().values_list("pk", flat=True))
    assert {pk for _l, _e, pk, _s in report.needs_reviewer} == published
    assert snapshot() == before


def test_the_admins_import_refuses_an_editor_the_same_way(
    base, editor, client, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    published = published_from_acled(tmp_path)
    before = snapshot()
    path = write_rows(tmp_path / "v2.csv", [event_row(timestamp="1700000100")])
    client.force_login(editor)
    url = reverse("admin:incidents_incident_import_acled")
    upload = SimpleUploadedFile("v2.csv", path.read_bytes(), "text/csv")
    page = client.post(url, {"file": upload, "status": "review"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="import-needs-reviewer"' in html
    assert f"#{published.pk}</a>" in html
    assert 'id="confirm-import"' not in html  # nothing to confirm
    assert snapshot() == before


def test_the_admins_preview_lists_second_reports_and_possible_repeats(
    reference_data, client, reviewer
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(reviewer)
    url = reverse("admin:incidents_incident_import_acled")
    upload = SimpleUploadedFile(
        "attacks.csv", REFERENCE_ATTACKS.read_bytes(), "text/csv"
    )
    html = client.post(url, {"file": upload, "status": "review"}).content.decode()
    assert 'id="import-matched"' in html and 'id="import-flagged"' in html
    assert 'id="confirm-import"' in html


def test_an_event_merged_by_a_reviewer_keeps_updating_the_survivor(
    base, make, reviewer, tmp_path
):
    from incidents.corroborate.merge import incidents_merge

    assert import_acled(write_rows(tmp_path / "v1.csv", [event_row()])).ok
    created = Incident.objects.get(external_id="SYR90001")
    Incident.objects.filter(pk=created.pk).update(status="published")
    survivor = make.incident(
        sites=[base], citations=[(make.source(url="https://example.org/s"), "confirms")]
    )
    incidents_merge(survivor=survivor, merged=created, user=reviewer)
    again = import_acled(write_rows(tmp_path / "v1b.csv", [event_row()]))
    assert again.unchanged == 1 and not again.matched  # the same version
    newer = event_row(source="Sabereen News", timestamp="1700000100")
    report = import_acled(write_rows(tmp_path / "v2.csv", [newer]), user=reviewer)
    assert report.updated == 1 and report.created == 0, report.summary_lines()
    titles = set(survivor.citations.values_list("source__title", flat=True))
    assert titles == {"", "ACLED: Sabereen News"}


def test_reasons_keep_their_values_isolated_and_escaped():
    from incidents.templatetags.bidi import isolate_parentheses

    assert isolate_parentheses("الموقع نفسه (ain-al-asad); x") == (
        "الموقع نفسه (<bdi>ain-al-asad</bdi>); x"
    )
    hostile = isolate_parentheses('(<img src=x onerror="alert(1)">)')
    assert "<img" not in hostile and "&lt;img" in hostile
