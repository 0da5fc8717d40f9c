"""Every read the reader-facing views (and later the API) need.

Incidents come from ``Incident.objects.published()`` and nowhere else: drafts, rows in
review and retracted rows never reach a reader. Each selector returns a queryset that
already carries what its callers will touch (annotations, ``select_related``,
``prefetch_related``), so rendering a thousand rows costs the same handful of SQL
queries as rendering ten.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db.models import (
    Q,
    QuerySet,
)

from .filters.spatial import incidents_in_bbox, incidents_near, incidents_within
from .geo.names import normalize_name
from .models import (
    Citation,
    Incident,
    IncidentQuerySet,
    Involvement,
    Site,
    Source,
)
from .place_selectors import UnknownReference, actor_with_members, public_sites
from .requester import Requester, user_sees_unpublished

# --- incident filters, shared by the API, the map and exports -------------------------


def incidents_matching_text(queryset: IncidentQuerySet, text: str) -> IncidentQuerySet:
    """Incidents whose text, site names or actor names contain every word of ``text``.

    Words are folded like the stored ``search_text`` (Arabic diacritics and letter
    variants, case, accents, punctuation), so "عين الأسد", "عين الاسد" and "Ain
    al-Asad" all find Ain al-Asad. Each word may match in a different place.
    """
    words = normalize_name(text).split()
    for word in words:
        queryset = queryset.filter(
            Q(search_text__contains=word)
            | Q(
                pk__in=Incident.sites.through.objects.filter(
                    site__search_text__contains=word
                ).values("incident_id")
            )
            | Q(
                pk__in=Involvement.objects.filter(
                    actor__search_text__contains=word
                ).values("incident_id")
            )
        )
    return queryset


def incidents_involving(
    queryset: IncidentQuerySet, actor_slugs: list[str], *, every_place: bool
) -> IncidentQuerySet:
    """Incidents involving any of the actors, or any group under their umbrella.
    Raises ``UnknownReference`` for a slug unknown (to readers, unless
    ``every_place``)."""
    ids = actor_with_members(actor_slugs, every_place=every_place)
    return queryset.filter(
        pk__in=Involvement.objects.filter(actor_id__in=ids).values("incident_id")
    )


def incidents_at_sites(
    queryset: IncidentQuerySet, site_slugs: list[str]
) -> IncidentQuerySet:
    return queryset.filter(
        pk__in=Incident.sites.through.objects.filter(site__slug__in=site_slugs).values(
            "incident_id"
        )
    )


@dataclass(frozen=True)
class IncidentFilters:
    """Every filter a reader can combine; ``None`` or empty means "not filtered"."""

    bbox: tuple[float, float, float, float] | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sites: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    confidence: tuple[str, ...] = ()
    text: str = ""
    near: tuple[float, float] | None = None  # (longitude, latitude)
    radius_km: float | None = None
    updated_since: datetime.datetime | None = None
    statuses: tuple[str, ...] = ()
    located: bool | None = None  # True: with a point; False: without one
    within: object | None = None  # a prepared shapely (Multi)Polygon


# Filters that are one ORM lookup each: (IncidentFilters field, lookup).
_PLAIN_LOOKUPS = (
    ("date_from", "occurred_on__gte"),
    ("date_to", "occurred_on__lte"),
    ("weapons", "weapon__in"),
    ("event_types", "event_type__in"),
    ("countries", "country__in"),
    ("statuses", "status__in"),
    ("updated_since", "updated_at__gte"),
)


def _require_existing(known: QuerySet, field: str, slugs: tuple[str, ...]) -> None:
    found = set(known.filter(slug__in=slugs).values_list("slug", flat=True))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise UnknownReference(field, missing)


def incident_filter(
    *, queryset: IncidentQuerySet, filters: IncidentFilters, every_place: bool = False
) -> IncidentQuerySet:
    """Apply every filter that is set. Unknown site or actor slugs raise, so that a
    typo is an error rather than an empty answer that looks like "no incidents".

    Known means known to readers (``place_selectors``) unless ``every_place``:
    a site made for a draft answers as a typo would, not with an empty list that
    says it exists. Editors' lists and the commands pass ``every_place=True``;
    the public figures and clusters, cached alike for everyone, do not."""
    f = filters
    if f.sites:
        sites = Site.objects.all() if every_place else public_sites()
        _require_existing(sites, "site", f.sites)
        queryset = incidents_at_sites(queryset, list(f.sites))
    if f.actors:
        queryset = incidents_involving(
            queryset, list(f.actors), every_place=every_place
        )
    if f.bbox:
        queryset = incidents_in_bbox(queryset, f.bbox)
    plain = {
        lookup: getattr(f, name) for name, lookup in _PLAIN_LOOKUPS if getattr(f, name)
    }
    if plain:
        queryset = queryset.filter(**plain)
    if f.text:
        queryset = incidents_matching_text(queryset, f.text)
    if f.near and f.radius_km is not None:
        longitude, latitude = f.near
        queryset = incidents_near(
            queryset, longitude=longitude, latitude=latitude, radius_km=f.radius_km
        )
    if f.confidence:
        queryset = queryset.with_confidence_in(f.confidence)
    if f.within is not None:
        queryset = incidents_within(queryset, f.within)
    if f.located is not None:
        # The model keeps latitude and longitude both set or both empty.
        queryset = queryset.filter(latitude__isnull=not f.located)
    return queryset


# What readers see or saw: a published incident, or the notice of a retracted one.
ON_THE_RECORD = (Incident.Status.PUBLISHED, Incident.Status.RETRACTED)


class UnpublishedForbidden(PermissionError):
    """Someone without editor rights asked for drafts, review items or retractions."""


def candidates_visible_to(*, user: Requester, candidates: Sequence) -> list:
    """The candidates (anything with ``status``: ``corroborate.Candidate``, an
    article's ``ProposalMatch``) that ``user`` may be told of: every one for those
    who see unpublished incidents, the published ones for anyone else. A door that
    answers with the incidents a new entry may repeat must not reveal a draft."""
    if user_sees_unpublished(user):
        return list(candidates)
    return [c for c in candidates if c.status == Incident.Status.PUBLISHED]


def incident_list(*, user: Requester, filters: IncidentFilters) -> IncidentQuerySet:
    """Incidents a user may list, filtered.

    ``published()`` is the gate for readers. The one exception is the sync feed: with
    ``updated_since`` set and no explicit status, incidents retracted since then are
    added so a mirror learns to delete them, and so are incidents merged since
    then into one on the public record (published, or retracted since), so it
    learns to follow the survivor; a merge among drafts is no reader's business.
    They are added whatever the other filters say, because filtering them by
    their text, place or sources would let a reader probe what they held; the
    API renders them as tombstones (id, status, updated_at, and a merged one's
    ``merged_into``) only. Only editors may ask for statuses.
    """
    if filters.statuses and not user_sees_unpublished(user):
        raise UnpublishedForbidden("only editors may filter by status")
    if filters.statuses:
        base = Incident.objects.filter(status__in=filters.statuses)
    else:
        base = Incident.objects.published()
    listed = incident_filter(
        queryset=base,
        filters=replace(filters, statuses=()),
        every_place=user_sees_unpublished(user),
    )
    if not filters.updated_since or filters.statuses:
        return listed
    gone = Incident.objects.filter(updated_at__gte=filters.updated_since).filter(
        Q(status=Incident.Status.RETRACTED)
        | Q(status=Incident.Status.MERGED, merged_into__status__in=ON_THE_RECORD)
    )
    return Incident.objects.filter(
        Q(pk__in=listed.values("pk")) | Q(pk__in=gone.values("pk"))
    )


def incident_survivor(
    *, user: Requester, incident_id: int, page: bool = False
) -> int | None:
    """The id of the incident ``incident_id`` was merged into, if it is a merged
    tombstone and the asker may see the survivor: its old links lead there.

    Readers see a published survivor (on the public page, a retracted one too:
    the page shows its notice); editors see any. None otherwise, so that an old
    link to a draft's tombstone is a 404 like any id a reader may not see.
    """
    row = (
        Incident.objects.filter(pk=incident_id, status=Incident.Status.MERGED)
        .values_list("merged_into_id", "merged_into__status")
        .first()
    )
    if row is None:
        return None
    survivor_id, status = row
    if not page and user_sees_unpublished(user):
        return survivor_id
    visible = ON_THE_RECORD if page else (Incident.Status.PUBLISHED,)
    return survivor_id if status in visible else None


def incident_get(*, user: Requester, incident_id: int) -> Incident | None:
    """One incident if this user may see it; readers only ever get published ones."""
    queryset = (
        Incident.objects.all()
        if user_sees_unpublished(user)
        else (Incident.objects.published())
    )
    return queryset.filter(pk=incident_id).first()


def incident_public(*, incident_id: int) -> Incident | None:
    """An incident's public page: a published one with its sites, actors and
    sources, or a retracted one (only its date of withdrawal and public reason are
    shown); drafts and review items do not exist for readers."""
    return (
        Incident.objects.filter(
            pk=incident_id,
            status__in=[Incident.Status.PUBLISHED, Incident.Status.RETRACTED],
        )
        .prefetch_related("sites", "involvements__actor", "citations__source")
        .first()
    )


def source_list(*, user: Requester) -> QuerySet:
    """Sources; readers see only those cited by a published incident, so a draft's
    sources cannot reveal that the draft exists."""
    queryset = Source.objects.order_by("id")
    if user_sees_unpublished(user):
        return queryset
    return queryset.filter(
        pk__in=Citation.objects.filter(
            incident__status=Incident.Status.PUBLISHED
        ).values("source_id")
    )
