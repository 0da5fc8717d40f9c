"""Migration 0020: research tags already stored at the start of summaries move to
their citations' notes, with the audit trail simple-history would have written,
and nothing else moves; run against the migration's own historical models."""

import importlib

import pytest
from django.db.migrations.loader import MigrationLoader

from incidents.models import Citation, Incident
from incidents.rules.corrections import UNLISTED_REASONS, incident_corrections

migration = importlib.import_module(
    "incidents.migrations.0020_research_tags_to_citation_notes"
)
CLAIM = "[claim/unverified: militia statement or partisan/local media only]"
CENTCOM = "[confirmed: US official/CENTCOM]"


@pytest.fixture(scope="module")
def state_apps():
    # The models as the migration sees them: no save() of ours, no history signals.
    loader = MigrationLoader(None)
    return loader.project_state(
        ("incidents", "0020_research_tags_to_citation_notes")
    ).apps


def test_tags_move_to_the_notes_once_with_history(db, make, state_apps):
    site = make.site()
    first, second = make.source(), make.source()
    tagged = make.incident(
        status=Incident.Status.DRAFT,
        sites=[site],
        summary=f"{CLAIM} IRI claimed a drone on <b>Erbil</b>",
        citations=[(first, "claims"), (second, "claims")],
    )
    Citation.objects.filter(incident=tagged, source=second).update(note="per Sabereen")
    inside = make.incident(
        summary=f"CENTCOM said {CENTCOM} later", citations=[(first, "confirms")]
    )
    uncited = make.incident(summary=f"{CENTCOM} nobody cited")
    # Published as a reviewer would: a historical record with its site.
    tagged.status = Incident.Status.PUBLISHED
    tagged.save()
    before = tagged.history.count()

    migration.move_tags(state_apps, None)

    tagged.refresh_from_db()
    assert tagged.summary == "IRI claimed a drone on <b>Erbil</b>"
    assert "militia" not in tagged.search_text and "erbil" in tagged.search_text
    notes = dict(tagged.citations.values_list("source_id", "note"))
    assert notes == {first.pk: CLAIM, second.pk: f"{CLAIM}; per Sabereen"}
    # Not a leading tag, or nowhere to keep it: left as it was.
    assert Incident.objects.get(pk=inside.pk).summary == f"CENTCOM said {CENTCOM} later"
    assert Incident.objects.get(pk=uncited.pk).summary == f"{CENTCOM} nobody cited"
    assert inside.citations.get().note == ""

    # The audit trail: one record per changed row, from its new state, with why.
    assert tagged.history.count() == before + 1
    record = tagged.history.latest("history_date")
    assert record.summary == tagged.summary
    assert record.history_change_reason == migration.REASON
    assert record.history_user is None
    assert [link.site_id for link in record.sites.all()] == [site.pk]
    cited = Citation.objects.get(incident=tagged, source=second)
    assert cited.history.latest("history_date").note == f"{CLAIM}; per Sabereen"
    # No public correction: the words moved, the facts did not (and the log would
    # show the tag again). A later edit is compared with the moved text.
    assert migration.REASON in UNLISTED_REASONS
    assert incident_corrections(incident=tagged) == []
    tagged.injured = 2
    tagged.save()
    [later] = incident_corrections(incident=tagged)
    assert [(c.field, c.old, c.new) for c in later.changes] == [("injured", None, 2)]

    # Idempotent: a second run writes nothing at all.
    counts = (tagged.history.count(), cited.history.count())
    tagged.refresh_from_db()
    migration.move_tags(state_apps, None)
    tagged.refresh_from_db()
    assert tagged.summary == "IRI claimed a drone on <b>Erbil</b>"
    assert Citation.objects.get(pk=cited.pk).note == f"{CLAIM}; per Sabereen"
    assert (tagged.history.count(), cited.history.count()) == counts
