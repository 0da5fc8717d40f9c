"""The review workflow: draft → review → published → retracted, and who may move an
incident along it.

- **Editors** (``change_incident``) submit drafts for review.
- **Reviewers** (``publish_incident``) publish, send back to draft, and retract a
  published incident with a public reason. A retraction is the only way out of
  the public record: mirrors learn of it from the sync feed's tombstones.
- **Deleting is retracting** for everyone but superusers, who alone hard-delete.

Every move is one transaction on a locked row, and is recorded in the incident's
history (django-simple-history) with who made it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Incident

S = Incident.Status
PUBLISH = "incidents.publish_incident"
CHANGE = "incidents.change_incident"


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
}


def may_move(user, move: str) -> bool:
    return bool(user and user.is_active and user.has_perm(MOVES[move].permission))


@transaction.atomic
def incident_move(*, incident: Incident, user, move: str, reason: str = "") -> Incident:
    """Move ``incident`` along the workflow. PermissionDenied when ``user`` may
    not; ValidationError when the incident is not where the move starts, or a
    retraction has no reason."""
    if move not in MOVES:
        raise ValueError(f"unknown move {move!r}; known: {', '.join(MOVES)}")
    step = MOVES[move]
    if not may_move(user, move):
        raise PermissionDenied(_("You may not %(move)s incidents.") % {"move": move})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status not in step.sources:
        raise ValidationError(
            _("Incident #%(id)s is %(status)s: it cannot be %(move)s.")
            % {"id": incident.pk, "status": incident.status, "move": move}
        )
    changed = ["status", "updated_by", "updated_at"]
    if move == "retract":
        reason = reason.strip()
        if not reason:
            raise ValidationError(_("A retraction needs a public reason."))
        incident.retraction_reason = reason
        incident.retracted_at = timezone.now()
        changed += ["retraction_reason", "retracted_at"]
    incident.status = step.target
    incident.updated_by = user
    incident._history_user = user  # django-simple-history records who
    incident.save(update_fields=changed)
    return incident


@dataclass
class BatchOutcome:
    moved: list[int]
    refused: list[tuple[int, str]]


def incidents_move(*, incidents, user, move: str, reason: str = "") -> BatchOutcome:
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
