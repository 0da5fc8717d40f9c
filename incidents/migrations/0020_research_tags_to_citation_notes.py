"""Move the reference rows' research tags out of summaries already in a database
(issue 20), as the reference loader now does for new loads: an incident whose
summary starts with one of the tags below loses it from the summary, and each of
its citations gains it at the start of its note (provenance; a note already there
follows after "; "). The confidence a reader sees already says the rest in words.

Only summaries that start with a known tag are touched, and a citation whose note
already starts with the tag is left alone, so running it twice changes nothing. An
incident without a citation keeps its tag: there is nowhere else to keep it.

Historical models have no ``save()`` of ours and no django-simple-history signals,
so the audit trail is written here the way simple-history would on a service's
save: one historical record per changed incident and citation, from the row as it
now is (with the incident's site links), authored by nobody, with the reason
recorded. ``updated_at`` moves, so a sync client fetches the new text. The reason
is one of ``rules.corrections.UNLISTED_REASONS``: the words moved, the facts did
not, so the public corrections log does not list it (it would show the tag again).

Reversing is a no-op on purpose: the tags stay in the notes, and putting them
back into summaries would undo a reader-facing fix, not a schema change.
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

# Frozen copy of catalog.NOTE_TAG_STANCES's keys: a migration must not change its
# meaning when the catalogue does.
TAGS = (
    "[confirmed: US official/CENTCOM]",
    "[confirmed: Iraqi/Kurdish officials, SDF or SOHR; not US]",
    "[claim/unverified: militia statement or partisan/local media only]",
)
REASON = "Research tag moved from the summary to the citations' notes (issue 20)"
_HISTORY_OWN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def _record(history_model, row, when):
    """A historical record of ``row`` as it now is, like simple-history's own."""
    values = {
        field.attname: getattr(row, field.attname)
        for field in history_model._meta.concrete_fields
        if field.name not in _HISTORY_OWN
    }
    return history_model.objects.create(
        **values,
        history_date=when,
        history_type="~",
        history_user=None,
        history_change_reason=REASON,
    )


def move_tags(apps, schema_editor):
    from incidents.models import incident_search_text

    Incident = apps.get_model("incidents", "Incident")
    Citation = apps.get_model("incidents", "Citation")
    HistoricalIncident = apps.get_model("incidents", "HistoricalIncident")
    HistoricalSites = apps.get_model("incidents", "HistoricalIncident_sites")
    HistoricalCitation = apps.get_model("incidents", "HistoricalCitation")
    SiteLink = Incident.sites.through
    tagged = Q()
    for tag in TAGS:
        tagged |= Q(summary__startswith=tag)
    for incident in Incident.objects.filter(tagged).order_by("pk"):
        tag = next(t for t in TAGS if incident.summary.startswith(t))
        citations = list(Citation.objects.filter(incident=incident).order_by("pk"))
        if not citations:
            continue
        now = timezone.now()
        for citation in citations:
            if citation.note.startswith(tag):
                continue
            citation.note = "; ".join(filter(None, [tag, citation.note.strip()]))
            citation.save(update_fields=["note"])
            _record(HistoricalCitation, citation, now)
        incident.summary = incident.summary.removeprefix(tag).strip()
        incident.search_text = incident_search_text(
            incident.summary, incident.damage, incident.external_id
        )
        incident.updated_at = now
        incident.save(update_fields=["summary", "search_text", "updated_at"])
        record = _record(HistoricalIncident, incident, now)
        links = SiteLink.objects.filter(incident=incident).order_by("pk")
        HistoricalSites.objects.bulk_create(
            HistoricalSites(
                id=link.pk,
                history=record,
                incident_id=incident.pk,
                site_id=link.site_id,
            )
            for link in links
        )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0019_refold_search_text"),
    ]

    operations = [
        migrations.RunPython(move_tags, migrations.RunPython.noop),
    ]
