"""Whether a row's change is one anonymous readers can see, for the public data
version (``freshness.data_changed(public=...)``).

Readers see published incidents and the tombstones of retracted and merged ones
(``updated_since`` lists those for mirrors), never drafts or incidents in review;
sources only once a published incident cites them (``selectors.source_list``).
A change is public if the row is reader-visible after it or was before it: a
draft published, and a published incident sent back to review, both move the
public version. Sites and actors are shown to readers once they are in the
reference data or a published incident names them (``place_selectors``), so a
site made for a draft changes nothing public until the draft is published (and
the incident's change then moves the version). Official totals are shown as they
are, so their every change is public. When a rule cannot tell (a link whose
incident is already gone, a deleted site), the answer is True: an ETag that
moves for nothing costs a re-download, one that stays still serves stale data.
"""

from ..models import Actor, Citation, Incident, Involvement, Site, Source
from ..place_selectors import public_actor_ids, public_sites

HIDDEN = frozenset({Incident.Status.DRAFT, Incident.Status.REVIEW})
_WAS_PUBLIC = "_basewatch_was_public"


def _status_public(status: str | None) -> bool:
    return status not in HIDDEN


def _stored_status(incident_id: int) -> str | None:
    return (
        Incident.objects.filter(pk=incident_id).values_list("status", flat=True).first()
    )


def _incident_public(incident_id: int | None) -> bool:
    if incident_id is None:
        return True  # cannot tell
    status = _stored_status(incident_id)
    return status is None or _status_public(status)


def _place_public(instance: Site | Actor) -> bool:
    if instance.pk is None:
        return False
    if isinstance(instance, Site):
        return public_sites().filter(pk=instance.pk).exists()
    return instance.pk in public_actor_ids()


def remember_before_save(instance) -> None:
    """On ``pre_save``: note whether the stored row was reader-visible, since its
    status (an incident's) or its place in the reference data or the umbrella
    tree (a site's, an actor's) may be about to change."""
    if isinstance(instance, Incident) and instance.pk is not None:
        stored = _stored_status(instance.pk)
        setattr(instance, _WAS_PUBLIC, stored is not None and _status_public(stored))
    elif isinstance(instance, Site | Actor):
        setattr(instance, _WAS_PUBLIC, _place_public(instance))


def change_is_public(instance, *, deleted: bool = False) -> bool:
    """Whether saving (or deleting) ``instance`` changed what readers see."""
    if isinstance(instance, Incident):
        return _status_public(instance.status) or getattr(instance, _WAS_PUBLIC, False)
    if isinstance(instance, Citation | Involvement):
        return _incident_public(instance.incident_id)
    if isinstance(instance, Site | Actor):
        if deleted:
            return True  # its links are gone already: cannot tell
        # Cheapest first: most edits are of rows readers already saw.
        return (
            getattr(instance, _WAS_PUBLIC, False)
            or instance.reference
            or _place_public(instance)
        )
    if isinstance(instance, Source):
        if deleted:
            return True  # its citations are gone already: cannot tell
        return Citation.objects.filter(
            source=instance, incident__status=Incident.Status.PUBLISHED
        ).exists()
    return True


def links_change_is_public(instance, reverse: bool) -> bool:
    """For ``m2m_changed`` on an incident's sites: public if the incident is (from
    the site's side, several incidents may move at once: True)."""
    if reverse or not isinstance(instance, Incident):
        return True
    return _status_public(instance.status)
