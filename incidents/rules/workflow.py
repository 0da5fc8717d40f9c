"""The review workflow: draft → review → published → retracted, and who may move an
incident along it.

- **Editors** (``change_incident``) submit drafts for review.
- **Reviewers** (``publish_incident``) publish, send back to draft, retract a
  published incident with a public reason, and reinstate a retracted one (a
  retraction made in error; the public corrections log keeps both). A retraction
  is the only way out of the public record: mirrors learn of it from the sync
  feed's tombstones.
- **Deleting is retracting** for everyone but superusers, who alone hard-delete.
- **A merged tombstone stays one**: no move starts from ``merged`` and none leads
  to it; merging is its own action (``incidents.corroborate.merge``), and what
  was merged is changed through its survivor.

Every move is one transaction on a locked row, and is recorded in the incident's
history (django-simple-history) with who made it. The admin's actions call
``incident_move``; the API's status changes go through ``move_between`` and
``apply_move`` (``incidents.services.incident_update``), so both obey the same
rules and a retraction needs its reason everywhere.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Incident
from ..requester import Requester, author
from .permissions import CHANGE, PUBLISH

S = Incident.Status


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    permission: str


MOVES = {
    "submit": Move((S.DRAFT,), S.REVIEW, CHANGE),
    "send_back": Move((S.REVIEW,), S.DRAFT, PUBLISH),
    "publish": Move((S.DRAFT, S.REVIEW), S.PUBLISHED, PUBLISH),
    "retract": Move((S.PUBLISHED,), S.RETRACTED, PUBLISH),
    "reinstate": Move((S.RETRACTED,), S.PUBLISHED, PUBLISH),
}


def may_move(user: Requester, move: str) -> bool:
    return bool(user and user.is_active and user.has_perm(MOVES[move].permission))


def move_between(current: str, new: str) -> str:
    """The move that takes an incident from ``current`` to ``new`` status.

    ValidationError (on ``status``) when no move does: a published incident leaves
    the public record only by retraction, and only a published one is retracted,
    because mirrors learn of removals from tombstones, which only retractions make.
    A merged tombstone never moves, and no move merges.
    """
    if current == S.MERGED:
        raise ValidationError({"status": _merged_message()})
    if new == S.MERGED:
        raise ValidationError(
            {
                "status": _(
                    "An incident is merged by the merge action, not by a change "
                    "of status."
                )
            }
        )
    for name, step in MOVES.items():
        if current in step.sources and step.target == new:
            return name
    raise ValidationError(
        {
            "status": _("An incident cannot go from %(current)s to %(new)s.")
            % {"current": current, "new": new}
        }
    )


def _merged_message(incident: Incident | None = None) -> str:
    if incident is None:
        return _("A merged incident cannot change status: change its survivor.")
    return _(
        "Incident #%(id)s is merged into #%(into)s: it cannot change status; "
        "change #%(into)s instead."
    ) % {"id": incident.pk, "into": incident.merged_into_id}


def apply_move(
    *, incident: Incident, user: Requester, move: str, reason: str = ""
) -> list[str]:
    """Check ``move`` and set its fields on ``incident`` without saving; return the
    names of the fields set. PermissionDenied when ``user`` may not make it;
    ValidationError when the incident is not where the move starts, or a
    retraction has no reason (on ``retraction_reason``)."""
    if move not in MOVES:
        raise ValueError(f"unknown move {move!r}; known: {', '.join(MOVES)}")
    step = MOVES[move]
    if not may_move(user, move):
        raise PermissionDenied(_("You may not %(move)s incidents.") % {"move": move})
    if incident.status == S.MERGED:
        raise ValidationError(_merged_message(incident))
    if incident.status not in step.sources:
        raise ValidationError(
            _("Incident #%(id)s is %(status)s: it cannot be %(move)s.")
            % {"id": incident.pk, "status": incident.status, "move": move}
        )
    changed = ["status", "updated_by", "updated_at"]
    if move == "retract":
        reason = reason.strip()
        if not reason:
            raise ValidationError(
                {"retraction_reason": _("A retraction needs a public reason.")}
            )
        incident.retraction_reason = reason
        incident.retracted_at = timezone.now()
        changed += ["retraction_reason", "retracted_at"]
    elif move == "reinstate":
        # Public again: the notice goes; the history keeps the retraction.
        incident.retraction_reason = ""
        incident.retracted_at = None
        changed += ["retraction_reason", "retracted_at"]
    incident.status = step.target
    incident.updated_by = author(user)
    incident._history_user = author(user)  # django-simple-history records who
    return changed


@transaction.atomic
def incident_move(
    *, incident: Incident, user: Requester, move: str, reason: str = ""
) -> Incident:
    """Move ``incident`` along the workflow (``apply_move``, then save)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changed = apply_move(incident=incident, user=user, move=move, reason=reason)
    incident.save(update_fields=changed)
    return incident


@dataclass
class BatchOutcome:
    moved: list[int]
    refused: list[tuple[int, str]]


def incidents_move(
    *, incidents, user: Requester, move: str, reason: str = ""
) -> BatchOutcome:
    """``incident_move`` for each; one refusal never undoes the others' moves."""
    outcome = BatchOutcome(moved=[], refused=[])
    for incident in incidents:
        try:
            incident_move(incident=incident, user=user, move=move, reason=reason)
        except (PermissionDenied, ValidationError) as error:
            message = error.messages[0] if hasattr(error, "messages") else str(error)
            outcome.refused.append((incident.pk, message))
        else:
            outcome.moved.append(incident.pk)
    return outcome
