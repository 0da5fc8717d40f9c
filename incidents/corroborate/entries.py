"""A second report through the doors where an editor enters one: an incident on
record cited once more (an accepted article that reports it again), and a new
incident's candidates recorded as proposed merges (the admin's add form, the
API's create). Writes, so each is one transaction and obeys ``rules``; built on
``services`` (which imports nothing of this package).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import rules
from ..models import Citation, Incident, MergeProposal, Site
from ..requester import Requester, author
from ..services import CitationInput, InvolvementInput, incident_create
from .proposals import merge_proposals_record
from .records import find_candidates
from .reports import report_for_incident


@transaction.atomic
def incident_add_citation(
    *, incident: Incident, user: Requester, citation: CitationInput
) -> tuple[Citation, bool]:
    """Cite one more source on an incident on record (an accepted article that
    reports it again); the citation, and whether anything was written.

    A new citation changes the incident (its sources, its confidence), so
    ``rules`` decide who may: an editor on a draft or an incident in review, a
    reviewer on a published one too. A merged tombstone takes none: its survivor
    holds its reports. A source the incident already cites keeps its citation,
    its quote extended by a passage it does not hold yet (a second sentence of the
    same article). The incident's ``updated_at`` moves, so a mirror syncing by it
    learns of the source, and both its history and the citation's name ``user``.
    """
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == Incident.Status.MERGED:
        raise ValidationError(
            {
                "incident": f"incident #{incident.pk} is merged into "
                f"#{incident.merged_into_id}: cite its survivor"
            }
        )
    rules.require_may_change_incident(
        user, status=incident.status, incident_id=incident.pk
    )
    source = citation.resolve_source()
    row = Citation.objects.filter(incident=incident, source=source).first()
    if row is None:
        row = Citation(
            incident=incident,
            source=source,
            stance=citation.stance,
            quote=citation.quote,
            note=citation.note,
        )
        row.full_clean()
    elif citation.quote and citation.quote not in row.quote:
        row.quote = f"{row.quote}\n\n{citation.quote}".strip()
    else:
        return row, False
    row._history_user = author(user)
    row.save()
    incident.updated_by = author(user)
    incident._history_user = author(user)
    incident.save(update_fields=["updated_by", "updated_at"])
    return row, True


def incident_record_candidates(*, incident: Incident, user: Requester, origin: str):
    """Find the incidents on record that a newly entered ``incident`` may repeat
    and propose each to a reviewer as a merge (``MergeProposal`` of ``origin``).

    The candidates (``corroborate.Candidate``, best first), every one of them:
    whoever shows them chooses what its reader may see
    (``selectors.candidates_visible_to``)."""
    candidates = find_candidates(report_for_incident(incident))
    merge_proposals_record(
        incident_id=incident.pk, candidates=candidates, origin=origin, user=user
    )
    return candidates


@dataclass(frozen=True)
class Entered:
    """A new incident, and the incidents on record it may repeat (best first)."""

    incident: Incident
    candidates: list


@transaction.atomic
def incident_create_matched(
    *,
    user: Requester,
    fields: dict,
    sites: Sequence[Site] = (),
    citations: Sequence[CitationInput] = (),
    involvements: Sequence[InvolvementInput] = (),
    retraction_reason: str | None = None,
) -> Entered:
    """``incident_create``, then the incidents on record it may repeat, each
    proposed to a reviewer as a merge (origin *new incident*), in the same
    transaction: the API's create, which answers with the candidates."""
    incident = incident_create(
        user=user,
        fields=fields,
        sites=sites,
        citations=citations,
        involvements=involvements,
        retraction_reason=retraction_reason,
    )
    candidates = incident_record_candidates(
        incident=incident, user=user, origin=MergeProposal.Origin.ENTRY
    )
    return Entered(incident=incident, candidates=candidates)
