"""The permission strings, and the rule every door applies before it writes.

- **Editors** (``change_incident``) change drafts and incidents in review.
- **Reviewers** (``publish_incident``) also change what is on the public record:
  a *published* incident (a change is a public correction), a *retracted* one
  (its withdrawal stands until a reviewer reinstates it) and a *merged* tombstone
  (it names its survivor; nothing else about it may change). They alone merge
  two incidents; editors may only propose a merge.
- **The system** (``None``: a command run on the server without ``--user``, a
  migration, the fixtures) is not a person and is not limited: whoever runs
  commands on the server already holds the database.

Statuses are compared as strings so that this module needs no model (the models
import the rules, never the reverse).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..requester import Requester

ADD = "incidents.add_incident"
CHANGE = "incidents.change_incident"
VIEW = "incidents.view_incident"
PUBLISH = "incidents.publish_incident"

# Statuses whose incidents only reviewers change: what readers see or saw.
PUBLIC_RECORD = frozenset({"published", "retracted", "merged"})
# The same words as the model's status labels, so they share their translations.
_STATUS_WORDS = {
    "published": gettext_lazy("published"),
    "retracted": gettext_lazy("retracted"),
    "merged": gettext_lazy("merged"),
}


def _has(user: Requester, permission: str) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.is_authenticated
        and user.has_perm(permission)
    )


def may_publish(user: Requester) -> bool:
    """A reviewer: publishes, retracts, reinstates, changes the public record."""
    return user is None or _has(user, PUBLISH)


def may_change_incident(user: Requester, status: str) -> bool:
    """May ``user`` change an incident that is now in ``status``?

    Any write counts: a field, a site, a citation added by an import or an
    accepted article, an involvement, a merge into or out of it.
    """
    if user is None:
        return True
    if status in PUBLIC_RECORD:
        return _has(user, PUBLISH)
    return _has(user, CHANGE)


def require_may_change_incident(
    user: Requester, *, status: str, incident_id: int | None = None
) -> None:
    """PermissionDenied, naming the incident and why, unless ``may_change_incident``."""
    if may_change_incident(user, status):
        return
    if status in PUBLIC_RECORD:
        message = _(
            "Incident #%(id)s is %(status)s: only a reviewer may change it."
        ) % {"id": incident_id, "status": _STATUS_WORDS[status]}
    else:
        message = _("You may not change incidents.")
    raise PermissionDenied(message)


def may_change_source(user: Requester, *, cited_on_record: bool) -> bool:
    """A source cited by an incident on the public record is part of that record:
    its kind decides the incident's confidence (a claim channel's word is a
    claim), its URL and publisher are what readers check. Only reviewers change
    such a source; any editor may change the others."""
    if not cited_on_record:
        return user is None or _has(user, "incidents.change_source")
    return may_publish(user)


def may_merge(user: Requester) -> bool:
    """Merging rewrites two records at once, at least one usually public."""
    return may_publish(user)


def may_propose_merge(user: Requester) -> bool:
    """Proposing a merge writes no incident: any editor may."""
    return user is None or _has(user, CHANGE)
