"""Proposals to merge: two incidents that may be one event, for a reviewer to decide.

Every door that finds candidates it will not attach to on its own (an ACLED row
with several candidates or only near ones, an article's draft, a new incident
entered in the admin or the API) records them here, and so does an editor who
spots a duplicate. A pair is proposed once, whichever way round; a decided pair
is not proposed again.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import Incident, MergeProposal
from ..requester import Requester, author
from .matching import Candidate


def _proposed_pairs(pairs: set[tuple[int, int]]) -> set[frozenset[int]]:
    """The pairs among ``pairs`` that already have a proposal, either way round."""
    if not pairs:
        return set()
    ids = {pk for pair in pairs for pk in pair}
    found = MergeProposal.objects.filter(
        Q(incident_id__in=ids) & Q(candidate_id__in=ids)
    ).values_list("incident_id", "candidate_id")
    return {frozenset(pair) for pair in found}


def merge_proposals_record(
    *,
    incident_id: int,
    candidates: Sequence[Candidate],
    origin: str,
    user: Requester,
) -> list[MergeProposal]:
    """Propose ``incident_id`` as a possible repeat of each candidate (the
    matching's reasons as the proposal's why). Pairs already proposed are left as
    they are; the new proposals are returned."""
    return merge_proposals_record_many(
        [(incident_id, candidates)], origin=origin, user=user
    )


def merge_proposals_record_many(
    items: Sequence[tuple[int, Sequence[Candidate]]],
    *,
    origin: str,
    user: Requester,
) -> list[MergeProposal]:
    """``merge_proposals_record`` for many incidents in one insert (an import)."""
    wanted = {
        (incident_id, c.incident_id): c.how
        for incident_id, candidates in items
        for c in candidates
        if c.incident_id != incident_id
    }
    known = _proposed_pairs(set(wanted))
    user_id = getattr(user, "pk", None)
    new = [
        MergeProposal(
            incident_id=incident_id,
            candidate_id=candidate_id,
            origin=origin,
            reason=how,
            proposed_by_id=user_id,
        )
        for (incident_id, candidate_id), how in wanted.items()
        if frozenset((incident_id, candidate_id)) not in known
    ]
    return MergeProposal.objects.bulk_create(new)


@transaction.atomic
def merge_proposal_create(
    *, incident: Incident, candidate: Incident, user: Requester, reason: str = ""
) -> MergeProposal:
    """An editor's proposal that ``incident`` and ``candidate`` are one event.

    Writes no incident, so any editor may; merging itself is a reviewer's."""
    if not rules.may_propose_merge(user):
        raise PermissionDenied(_("You may not propose merges."))
    if incident.pk == candidate.pk:
        raise ValidationError({"candidate": _("An incident is not its own repeat.")})
    for which, row in (("incident", incident), ("candidate", candidate)):
        if row.status == Incident.Status.MERGED:
            raise ValidationError(
                {
                    which: _(
                        "Incident #%(id)s is already merged into #%(into)s; "
                        "propose its survivor instead."
                    )
                    % {"id": row.pk, "into": row.merged_into_id}
                }
            )
    if _proposed_pairs({(incident.pk, candidate.pk)}):
        raise ValidationError(
            {"candidate": _("These two incidents are already proposed.")}
        )
    return MergeProposal.objects.create(
        incident=incident,
        candidate=candidate,
        origin=MergeProposal.Origin.EDITOR,
        reason=reason,
        proposed_by=author(user),
    )


@transaction.atomic
def merge_proposal_dismiss(
    *, proposal: MergeProposal, user: Requester, note: str = ""
) -> MergeProposal:
    """Decide that the two are different events. A reviewer's decision, like a
    merge: an editor could otherwise bury a duplicate by dismissing it."""
    if not rules.may_merge(user):
        raise PermissionDenied(_("Only a reviewer may dismiss a proposed merge."))
    proposal = MergeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != MergeProposal.Status.OPEN:
        raise ValidationError(_("This proposal was already decided."))
    proposal.status = MergeProposal.Status.DISMISSED
    proposal.decided_by = author(user)
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return proposal
