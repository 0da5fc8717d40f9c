"""Basewatch's own truth through ACLED's CSV and back (``incidents.ingest.acled``).

The whole reference data set is exported as ACLED, the database emptied of
incidents and sources (the gazetteer's sites stay, as on any installation), and
the file imported: every incident must come back as it was, its casualties ("not
reported" is not 0), who claimed it and who is blamed, what each source says
(so its confidence), weapon, sites and sources. What ACLED's columns cannot hold
travels in ``bw:`` tags; a tool that ignores them still reads ordinary ACLED rows.

The ACLED rows here are written in ACLED's own note style ("On 28 January 2024,
... This follows ..."), to test what its fields mean when imported.
"""

import csv
import io
from pathlib import Path

import pytest

from incidents.ingest.acled import ACLED_COLUMNS, export_acled_lines, import_acled
from incidents.ingest.acled.mapping import SUB_EVENT_TYPES
from incidents.models import (
    Actor,
    Citation,
    Incident,
    Involvement,
    MergeProposal,
    Source,
)
from incidents.rules.confidence import derive_confidence


def snapshot(*, actor_key: str = "slug") -> dict:
    """Every incident's facts, keyed by what identifies it in both databases."""
    facts = {}
    incidents = Incident.objects.prefetch_related(
        "sites", "involvements__actor", "citations__source"
    )
    for i in incidents:
        key = (i.occurred_on, tuple(sorted(s.slug for s in i.sites.all())), i.summary)
        assert key not in facts, key
        citations = list(i.citations.all())
        facts[key] = {
            "date": (i.occurred_on, i.occurred_at, i.date_precision),
            "event": (i.event_type, i.weapon),
            "casualties": (i.killed, i.injured),
            "place": (i.latitude, i.longitude, i.precision_m, i.country, i.admin1),
            "status": i.status,
            "roles": sorted(
                (getattr(v.actor, actor_key), v.role, v.note)
                for v in i.involvements.all()
            ),
            "confidence": derive_confidence(
                (c.stance, c.source.kind) for c in citations
            ),
            "sources": sorted(
                (
                    c.source.url,
                    c.source.publisher,
                    c.source.kind,
                    c.source.title,
                    c.source.language,
                    c.source.published_on,
                    c.source.archived_url,
                    c.stance,
                    c.quote,
                    c.note,
                )
                for c in citations
            ),
        }
    return facts


def export_all(path: Path) -> list[dict]:
    text = "".join(export_acled_lines(Incident.objects.all()))
    path.write_text(text, encoding="utf-8", newline="")
    return list(csv.DictReader(io.StringIO(text)))


def empty_of_incidents(*, actors: bool = False) -> None:
    MergeProposal.objects.all().delete()
    Incident.objects.all().delete()
    Source.objects.all().delete()
    if actors:
        Actor.objects.update(parent=None)  # a parent is protected from deletion
        Actor.objects.all().delete()
    assert Incident.objects.count() == Citation.objects.count() == 0
    assert Involvement.objects.count() == Source.objects.count() == 0


def test_the_reference_data_survives_export_and_import(reference_data, tmp_path):
    before = snapshot()
    # The data is worth the test: claims, blame, unknown tolls, several stances.
    roles = {role for f in before.values() for _a, role, _n in f["roles"]}
    assert {"claimed_by", "attributed_to", "target"} <= roles
    assert sum(f["casualties"][0] is None for f in before.values()) > 30
    assert sum(f["casualties"][1] is not None for f in before.values()) > 20
    assert len({f["confidence"] for f in before.values()}) >= 3

    rows = export_all(tmp_path / "reference.csv")
    assert len(rows) == len(before) == 130
    empty_of_incidents()
    report = import_acled(tmp_path / "reference.csv", status="published")
    assert report.ok, report.summary_lines()
    assert report.created == 130

    after = snapshot()
    assert set(after) == set(before)
    for key, facts in before.items():
        assert after[key] == facts, key


def test_without_the_actor_catalogue_the_actors_come_back_by_name(
    reference_data, tmp_path
):
    before = snapshot(actor_key="name")
    export_all(tmp_path / "reference.csv")
    empty_of_incidents(actors=True)
    report = import_acled(tmp_path / "reference.csv", status="published")
    assert report.ok, report.summary_lines()
    after = snapshot(actor_key="name")
    for key, facts in before.items():
        assert after[key]["roles"] == facts["roles"], key
        assert after[key]["confidence"] == facts["confidence"], key


def test_the_file_stays_ordinary_acled_for_a_tool_that_ignores_our_tags(
    reference_data, tmp_path
):
    rows = export_all(tmp_path / "reference.csv")
    known_sub_events = {name.lower() for name in SUB_EVENT_TYPES}
    tower = next(r for r in rows if r["event_id_cnty"] == "BW-REF-120")
    for row in rows:
        assert list(row) == list(ACLED_COLUMNS)
        assert row["fatalities"].isdigit()  # ACLED's 0, even where unreported
        assert row["sub_event_type"].lower() in known_sub_events
        assert row["time_precision"] in {"1", "2", "3"}
        assert row["geo_precision"] in {"1", "2", "3"}
    # Tower 22: three killed, forty-seven injured, the claim and the blame.
    tags = [t.strip() for t in tower["tags"].split(";")]
    assert tower["fatalities"] == "3"
    assert "bw:killed=3" in tags and "bw:injured=47" in tags
    # (each with its research note after a "|")
    assert any(t.startswith("bw:claimed_by=Islamic Resistance in Iraq") for t in tags)
    assert any(t.startswith("bw:attributed_to=Kataib Hezbollah") for t in tags)
    assert any(t.startswith("bw:source=confirms|news|en.wikipedia.org|") for t in tags)


def acled_file(path: Path, *rows: dict) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in ACLED_COLUMNS})
    return path


def event(event_id: str, **cells) -> dict:
    row = {
        "event_id_cnty": event_id,
        "event_date": "28 January 2024",
        "year": "2024",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Islamic Resistance in Iraq",
        "inter1": "3",
        "actor2": "Military Forces of the United States (2021-)",
        "inter2": "8",
        "interaction": "38",
        "iso": "400",
        "region": "Middle East",
        "country": "Jordan",
        "admin1": "Mafraq",
        "location": "Tower 22",
        "latitude": "33.3211",
        "longitude": "38.6858",
        "geo_precision": "1",
        "source": "Reuters; CENTCOM",
        "source_scale": "International",
        "fatalities": "0",
        "timestamp": "1706500000",
    }
    row.update(cells)
    return row


def test_acled_fatalities_and_notes_mean_what_acled_says(reference_data, tmp_path):
    empty_of_incidents()  # else these attach to the reference's Tower 22 attack
    path = acled_file(
        tmp_path / "notes.csv",
        event(
            "JOR100",
            notes=(
                "On 28 January 2024, a one-way attack drone launched by the Islamic "
                "Resistance in Iraq struck Tower 22, a U.S. outpost in Rukban, "
                "killing 3 U.S. soldiers and injuring at least 40. This follows "
                "rocket attacks on U.S. bases in Syria on 20 January 2024."
            ),
            fatalities="3",
        ),
        event(
            "JOR101",
            event_date="30 January 2024",
            notes=(
                "On 30 January 2024, a drone was fired at the U.S. outpost. "
                "No casualties were reported."
            ),
        ),
        event(
            "JOR102",
            event_date="31 January 2024",
            notes="On 31 January 2024, a drone targeted the U.S. outpost.",
        ),
        event(
            "SYR200",
            event_date="2 February 2024",
            sub_event_type="Shelling/artillery/missile attack",
            iso="760",
            country="Syria",
            admin1="Deir ez Zor",
            location="Al Omar Oil Field",
            latitude="35.1517",
            longitude="40.5758",
            notes=(
                "On 2 February 2024, militants fired rockets at the U.S. base in the "
                "Al Omar oil field. Earlier, a drone was shot down near the base."
            ),
        ),
    )
    report = import_acled(path)
    assert report.ok, report.summary_lines()
    got = {
        i.external_id: (i.killed, i.injured, i.weapon)
        for i in Incident.objects.filter(external_id__in=["JOR100", "JOR101"])
        | Incident.objects.filter(external_id__in=["JOR102", "SYR200"])
    }
    assert got["JOR100"] == (3, 40, "drone")  # the rockets were another day's
    assert got["JOR101"] == (0, 0, "drone")  # "no casualties": a reported none
    assert got["JOR102"] == (None, None, "drone")  # ACLED's 0: none *reported*
    assert got["SYR200"] == (None, None, "rocket")  # the drone was earlier


def test_an_editors_correction_travels_and_acleds_own_tags_stay(
    reference_data, tmp_path
):
    empty_of_incidents()
    path = acled_file(
        tmp_path / "one.csv",
        event(
            "JOR300",
            notes="On 28 January 2024, a drone struck the U.S. outpost.",
            tags="attack on base; local administrators",
        ),
    )
    assert import_acled(path).ok
    incident = Incident.objects.get(external_id="JOR300")
    # The untouched import exports its tags cell exactly as ACLED wrote it.
    (row,) = list(
        csv.DictReader(
            io.StringIO(
                "".join(export_acled_lines(Incident.objects.filter(pk=incident.pk)))
            )
        )
    )
    assert row["tags"] == "attack on base; local administrators"

    # An editor: the militia only claimed it; the Pentagon confirmed 3 killed.
    iri = Actor.objects.get(name="Islamic Resistance in Iraq")
    incident.involvements.filter(actor=iri).update(role="claimed_by")
    incident.killed, incident.injured = 3, 47
    incident.save()
    pentagon = Source.objects.create(
        url="https://www.defense.gov/News/Releases/Release/Article/0000/",
        publisher="U.S. Department of Defense",
        title="Statement; Tower 22 | attack",
        kind="official",
    )
    Citation.objects.create(
        incident=incident, source=pentagon, stance="confirms", note="3 killed; 47 hurt"
    )
    before = snapshot()
    export_all(tmp_path / "edited.csv")
    (row,) = list(csv.DictReader((tmp_path / "edited.csv").open(encoding="utf-8")))
    assert row["tags"].startswith("attack on base; local administrators; bw:")
    empty_of_incidents()
    assert import_acled(tmp_path / "edited.csv").ok
    after = snapshot()
    ((key, facts),) = before.items()
    assert after[key]["roles"] == facts["roles"]
    assert after[key]["casualties"] == (3, 47)
    assert after[key]["confidence"] == "confirmed"
    assert after[key]["sources"] == facts["sources"]


@pytest.mark.parametrize(
    ("tags", "says"),
    [
        ("bw:killed=many", "'many' is not a whole number"),
        ("bw:weapon=laser", "'laser' is not one of"),
        ("bw:mastermind=Someone", "unknown key"),
        ("bw:source=confirms|official|Evil|javascript:alert(1)", "not an http(s)"),
        ("bw:source=trusts|news|Someone|", "'trusts' is not one of"),
        ("bw:source=reports|news", "a source tag has 4 to 10 parts"),
        ("bw:time=25:00", "not a time"),
    ],
)
def test_a_malformed_tag_is_the_rows_error_and_nothing_is_written(
    reference_data, tmp_path, tags, says
):
    path = acled_file(
        tmp_path / "bad.csv",
        event("JOR400", notes="On 28 January 2024, a drone struck."),
        event("JOR401", notes="On 28 January 2024, a drone struck.", tags=tags),
    )
    before = Incident.objects.count()
    report = import_acled(path)
    assert not report.ok
    ((line, column, message),) = [(e.line, e.column, e.message) for e in report.errors]
    assert (line, column) == (3, "tags")
    assert says in message
    assert Incident.objects.count() == before
