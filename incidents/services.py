"""Every write: keyword-only functions, each in one transaction.

Views, admin actions and commands call these and stay thin.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import rules
from .models import (
    INCIDENT_CONTENT_FIELDS,
    Actor,
    Citation,
    Incident,
    Involvement,
    OfficialTotal,
    Site,
    Source,
)
from .requester import Requester, author
from .rules import workflow

# In an order that satisfies every foreign key: the merge proposals name incidents.
REFERENCE_FIXTURES = (
    "sites.json",
    "actors.json",
    "incidents.json",
    "official_totals.json",
    "merge_proposals.json",
)


def incident_apply_site_defaults(*, incident: Incident) -> Incident:
    """Give an incident without a point the point of its first placed site.

    "First" is the order the sites were linked in. Country, governorate and precision
    come along with the point, and only fill what is still empty: an editor's own
    values always win.
    """
    if incident.has_location:
        return incident
    through = Incident.sites.through
    link = (
        through.objects.filter(incident=incident, site__latitude__isnull=False)
        .select_related("site")
        .order_by("pk")
        .first()
    )
    if link is None:
        return incident
    site = link.site
    incident.latitude, incident.longitude = site.latitude, site.longitude
    if incident.precision_m is None:
        incident.precision_m = site.precision_m
    incident.country = incident.country or site.country
    incident.admin1 = incident.admin1 or site.admin1
    incident.save(
        update_fields=["latitude", "longitude", "precision_m", "country", "admin1"]
    )
    return incident


def database_refresh_statistics() -> None:
    """Let the query planner see the data as it now is, after a bulk load.

    Without statistics SQLite guesses, and on a large table it guessed badly enough
    to triple the time of a page of incidents (see bench/README.md).
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@dataclass(frozen=True)
class ReferenceLoadResult:
    loaded: bool
    reason: str


def database_has_content() -> bool:
    return any(
        model.objects.exists()
        for model in (Site, Actor, Source, Incident, OfficialTotal)
    )


def reference_data_load(*, fixture_dir: Path | None = None) -> ReferenceLoadResult:
    """Load the committed reference fixtures, but only into an empty database.

    Fixtures carry primary keys; loading them over an editor's rows would overwrite
    those rows, so any existing site, actor, source or incident means "skip".
    """
    fixture_dir = fixture_dir or Path(settings.BASE_DIR) / "fixtures"
    with transaction.atomic():
        if database_has_content():
            return ReferenceLoadResult(False, "the database already holds data")
        paths = [str(fixture_dir / name) for name in REFERENCE_FIXTURES]
        call_command("loaddata", *paths, verbosity=0)
        # Fixtures carry a fixed timestamp so rebuilds are byte-identical; what a
        # sync client needs is when the rows arrived in *this* database.
        now = timezone.now()
        Incident.objects.update(created_at=now, updated_at=now)
    return ReferenceLoadResult(True, f"loaded {len(paths)} fixture files")


# --- incidents: create and update --------------------------------------------------


@dataclass(frozen=True)
class CitationInput:
    """A citation of an existing ``source``, or of a new one given by ``url``."""

    source: Source | None = None
    url: str = ""
    publisher: str = ""
    source_kind: str = Source.Kind.NEWS
    stance: str = Citation.Stance.REPORTS
    quote: str = ""
    note: str = ""

    def resolve_source(self) -> Source:
        if self.source is not None:
            return self.source
        # The same URL is the same report: reuse the row an earlier citation made.
        source, _created = Source.objects.get_or_create(
            url=self.url,
            defaults={"publisher": self.publisher, "kind": self.source_kind},
        )
        return source


@dataclass(frozen=True)
class InvolvementInput:
    actor: Actor
    role: str
    note: str = ""


def _check_may_set_status(user: Requester, status: str | None) -> None:
    # Publishing is a reviewer's act; an editor's API client must not skip review.
    if status in rules.PUBLIC_RECORD and not rules.may_publish(user):
        raise PermissionDenied(f"you may not set status {status!r}: only reviewers may")


def _replace_relations(
    incident: Incident,
    *,
    user: Requester,
    sites: list[Site] | None,
    citations: list[CitationInput] | None,
    involvements: list[InvolvementInput] | None,
) -> None:
    """Replace the given relation lists, every removal and addition in the history
    with ``user`` as its author (bulk inserts send no signals, so the history is
    written alongside them)."""
    incident._history_user = author(user)
    if sites is not None:
        incident_set_sites(incident=incident, sites=sites, user=user)
    if citations is not None:
        _delete_with_history(incident.citations.all(), user)
        bulk_create_with_history(
            [
                Citation(
                    incident=incident,
                    source=c.resolve_source(),
                    stance=c.stance,
                    quote=c.quote,
                    note=c.note,
                )
                for c in citations
            ],
            Citation,
            default_user=user,
        )
    if involvements is not None:
        _delete_with_history(incident.involvements.all(), user)
        bulk_create_with_history(
            [
                Involvement(incident=incident, actor=i.actor, role=i.role, note=i.note)
                for i in involvements
            ],
            Involvement,
            default_user=user,
        )


def incident_set_sites(
    *, incident: Incident, sites: list[Site], user: Requester
) -> None:
    """Link ``incident`` to exactly ``sites``, in this order ("the first placed
    site" is the first linked; ``sites.set()`` goes through a set and loses it).

    One history record with the new links, and none when nothing changes: the
    corrections log shows a change of sites as one correction.
    """
    through = Incident.sites.through
    unique_sites = list(dict.fromkeys(sites))
    current = list(
        through.objects.filter(incident=incident)
        .order_by("pk")
        .values_list("site_id", flat=True)
    )
    if current == [site.pk for site in unique_sites]:
        return
    through.objects.filter(incident=incident).delete()
    through.objects.bulk_create(
        [through(incident=incident, site=site) for site in unique_sites]
    )
    incident._history_user = author(user)
    # Announced once, as sites.set() would: the incident's history gets one record
    # with its new links, and caches learn of them.
    m2m_changed.send(
        sender=through,
        instance=incident,
        action="post_add" if unique_sites else "post_clear",
        reverse=False,
        model=Site,
        pk_set={site.pk for site in unique_sites},
        using=incident._state.db,
    )


def _delete_with_history(rows, user: Requester) -> None:
    # One by one, so each deletion's history row names who made it.
    for row in rows:
        row._history_user = author(user)
        row.delete()


def _save_by(incident: Incident, user: Requester) -> None:
    """Validate the incident, then save it with ``user`` as its last editor and the
    author of its history record (set here, not left to the middleware, which misses
    token clients)."""
    incident.updated_by = author(user)
    incident.full_clean(validate_constraints=True)
    incident._history_user = author(user)
    incident.save()


@transaction.atomic
def incident_create(
    *,
    user: Requester,
    fields: dict,
    sites: Sequence[Site] = (),
    citations: Sequence[CitationInput] = (),
    involvements: Sequence[InvolvementInput] = (),
    retraction_reason: str | None = None,
) -> Incident:
    """Create an incident with its relations, all or nothing.

    Model validation (``full_clean``) runs before anything is written, so a bad value
    is a ValidationError naming the field, never a half-written incident.
    """
    unknown = set(fields) - set(INCIDENT_CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: "not a writable field" for name in unknown})
    _check_may_set_status(user, fields.get("status"))
    if fields.get("status") == Incident.Status.RETRACTED:
        # A retraction withdraws a published record, with a reason; a new
        # incident has neither.
        raise ValidationError({"status": "a new incident cannot be retracted"})
    if fields.get("status") == Incident.Status.MERGED:
        raise ValidationError(
            {"status": "a new incident cannot be merged: merging is its own action"}
        )
    if retraction_reason is not None:
        raise ValidationError(
            {"retraction_reason": "only given when retracting (status retracted)"}
        )
    incident = Incident(**fields, created_by=author(user))
    _save_by(incident, user)
    _replace_relations(
        incident,
        user=user,
        sites=list(sites),
        citations=list(citations),
        involvements=list(involvements),
    )
    return incident_apply_site_defaults(incident=incident)


@transaction.atomic
def incident_update(
    *,
    incident: Incident,
    user: Requester,
    fields: dict,
    sites: list[Site] | None = None,
    citations: list[CitationInput] | None = None,
    involvements: list[InvolvementInput] | None = None,
    retraction_reason: str | None = None,
) -> Incident:
    """Change the given fields and replace the given relation lists (None = keep).

    A change of ``status`` is a workflow move (``incidents.rules.workflow``), with its
    rules: who may make it, from where, and a ``retraction_reason`` to retract.
    """
    unknown = set(fields) - set(INCIDENT_CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: "not a writable field" for name in unknown})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == Incident.Status.MERGED:
        # A tombstone only names its survivor; whoever asks, it stays as it is.
        raise ValidationError(
            {
                "status": _(
                    "Incident #%(id)s is merged into #%(into)s: it cannot be "
                    "changed; change #%(into)s instead."
                )
                % {"id": incident.pk, "into": incident.merged_into_id}
            }
        )
    new_status = fields.pop("status", incident.status)
    move = None
    if new_status != incident.status:
        move = workflow.move_between(incident.status, new_status)
    if retraction_reason is not None and move != "retract":
        raise ValidationError(
            {"retraction_reason": "only given when retracting (status retracted)"}
        )
    changes_anything = fields or any(
        rel is not None for rel in (sites, citations, involvements)
    )
    if changes_anything:
        # Changing a published record is a correction; only reviewers make those.
        rules.require_may_change_incident(
            user, status=incident.status, incident_id=incident.pk
        )
    for name, value in fields.items():
        setattr(incident, name, value)
    if move is not None:
        workflow.apply_move(
            incident=incident, user=user, move=move, reason=retraction_reason or ""
        )
    _save_by(incident, user)
    _replace_relations(
        incident,
        user=user,
        sites=sites,
        citations=citations,
        involvements=involvements,
    )
    return incident_apply_site_defaults(incident=incident)
