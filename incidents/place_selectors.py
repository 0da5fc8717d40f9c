"""Reads of sites and actors: which of them a reader may know of, their lists, one
site's page row, the map's first view, and their published counts.

A reader (anyone ``user_sees_unpublished`` says no to) knows of a site from the
reference gazetteer (``Site.reference``) and of any site a published incident
names; likewise of actors, and of the umbrella of any actor they know of (its
slug is in that actor's record). Any other site or actor was created for a
draft, an incident in review or one since withdrawn, and naming it would tell of
that work, its target or its suspect. For readers it does not exist: it is left
out of lists, counts and the map's bounds, its address is a 404 and its slug in
a filter is an unknown one (``selectors.incident_filter``). Editors see them all.

May import: ``models``, ``requester``. Imported by ``selectors`` (the filters'
slug check), the API, the pages and ``upkeep.visibility``.
"""

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from .models import Actor, Incident, Involvement, Site
from .requester import Requester, user_sees_unpublished

# --- what readers may know of ---------------------------------------------------------


def public_sites() -> QuerySet[Site]:
    """Sites of the reference gazetteer, and those a published incident names.

    One EXISTS per site, through the link table's site index: it stops at the
    first published incident, so a site's many incidents cost it nothing.
    """
    named = Incident.sites.through.objects.filter(
        site=OuterRef("pk"), incident__status=Incident.Status.PUBLISHED
    )
    return Site.objects.filter(Q(reference=True) | Exists(named))


def _named_or_reference_actors() -> QuerySet[Actor]:
    named = Involvement.objects.filter(
        actor=OuterRef("pk"), incident__status=Incident.Status.PUBLISHED
    )
    return Actor.objects.filter(Q(reference=True) | Exists(named))


def public_actor_ids() -> set[int]:
    """Ids of the actors of the reference data, those a published incident names,
    and every umbrella above one of them (one query per level of the tree)."""
    ids = set(_named_or_reference_actors().values_list("pk", flat=True))
    frontier = ids
    while frontier:
        frontier = (
            set(
                Actor.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                    "parent_id", flat=True
                )
            )
            - ids
        )
        ids |= frontier
    return ids


def public_actors() -> QuerySet[Actor]:
    return Actor.objects.filter(pk__in=public_actor_ids())


def sites_for(user: Requester) -> QuerySet[Site]:
    return Site.objects.all() if user_sees_unpublished(user) else public_sites()


def actors_for(user: Requester) -> QuerySet[Actor]:
    return Actor.objects.all() if user_sees_unpublished(user) else public_actors()


class UnknownReference(ValueError):
    """A filter names a site or actor that does not exist (for its asker)."""

    def __init__(self, field: str, missing: list[str]):
        self.field, self.missing = field, missing
        super().__init__(f"unknown {field}: {', '.join(missing)}")


def actor_with_members(slugs: list[str], *, every_place: bool) -> list[int]:
    """Ids of the named actors and everyone under them, at any depth (one query
    per level of the umbrella tree).

    Raises ``UnknownReference`` for a slug that names no actor, or, unless
    ``every_place``, none a reader may know of. That costs nothing more for
    actors of the reference data, and one query otherwise: an umbrella is known
    if something in its tree is (``public_actor_ids``).
    """
    rows = list(
        Actor.objects.filter(slug__in=slugs).values_list(
            "slug", "id", "reference", "parent_id"
        )
    )
    found = {slug: (pk, reference) for slug, pk, reference, _ in rows}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise UnknownReference("actor", missing)
    # Child to parent, for the climb in _unknown_to_readers (a named umbrella of
    # another named actor is reached through it).
    parent_of: dict[int, int | None] = {pk: parent for _, pk, _, parent in rows}
    frontier = set(parent_of)
    while frontier:
        members = list(
            Actor.objects.filter(parent_id__in=frontier).values_list("id", "parent_id")
        )
        frontier = {pk for pk, _ in members if pk not in parent_of}
        parent_of.update((pk, parent) for pk, parent in members if pk in frontier)
    if not every_place and not all(reference for _, reference in found.values()):
        hidden = _unknown_to_readers(found, parent_of)
        if hidden:
            raise UnknownReference("actor", [s for s in slugs if s in hidden])
    return sorted(parent_of)


def _unknown_to_readers(
    found: dict[str, tuple[int, bool]], parent_of: dict[int, int | None]
) -> set[str]:
    """The named slugs with nothing known to readers in their tree: climb from
    every directly known actor of the trees to the named roots."""
    known: set[int] = set()
    for pk in (
        _named_or_reference_actors()
        .filter(pk__in=list(parent_of))
        .values_list("pk", flat=True)
    ):
        step: int | None = pk
        while step is not None and step not in known:
            known.add(step)
            step = parent_of.get(step)
    return {slug for slug, (pk, _) in found.items() if pk not in known}


# --- lists and pages ------------------------------------------------------------------


def site_list(*, user: Requester) -> QuerySet[Site]:
    """The sites ``user`` may know of, placed or not, by name; their counts are
    ``site_attack_counts``. Unplaced sites are kept so the map can say that they
    exist and why they are not drawn."""
    return sites_for(user).order_by("name")


def actor_list(*, user: Requester) -> QuerySet[Actor]:
    """The actors ``user`` may know of, with their parent; their counts are
    ``with_incident_counts``."""
    return actors_for(user).select_related("parent")


def site_get(*, slug: str, user: Requester) -> Site | None:
    """One site ``user`` may know of, with ``attack_count`` (published incidents
    only), or None.

    The site page renders from this single row; its incidents and timeline are
    fetched by the browser from the API, so the page costs one query however many
    incidents the site has.
    """
    # One row, so one correlated count: the same query as the lists' grouped one.
    links = Incident.sites.through.objects.filter(site=OuterRef("pk"))
    count = Subquery(
        _published_per_owner(links, "site").values("n"), output_field=IntegerField()
    )
    return (
        sites_for(user)
        .annotate(attack_count=Coalesce(count, Value(0)))
        .filter(slug=slug)
        .first()
    )


def placed_sites_bounds(*, user: Requester) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of every site with a point that ``user`` may know
    of, or None: a hidden site must not stretch a reader's first view."""
    bounds = (
        sites_for(user)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .aggregate(
            west=Min("longitude"),
            south=Min("latitude"),
            east=Max("longitude"),
            north=Max("latitude"),
        )
    )
    if bounds["west"] is None:
        return None
    return (bounds["west"], bounds["south"], bounds["east"], bounds["north"])


# --- published counts -----------------------------------------------------------------


def site_attack_counts(sites: QuerySet[Site]) -> dict[int, int]:
    """Published incidents at each of ``sites``, by site id (a site with none is
    absent). Published only: the numbers a reader sees are always computed from
    what a reader may see."""
    links = Incident.sites.through.objects.filter(site__in=sites.values("pk"))
    return published_incident_counts(links, "site")


def with_incident_counts(actors) -> list[Actor]:
    """The actors, each with ``incident_count``: published incidents naming the
    actor itself (members of an umbrella are counted under their own slug)."""
    actors = list(actors)
    links = Involvement.objects.filter(actor__in=[actor.pk for actor in actors])
    counts = published_incident_counts(links, "actor")
    for actor in actors:
        actor.incident_count = counts.get(actor.pk, 0)
    return actors


def published_incident_counts(links: QuerySet, owner: str) -> dict[int, int]:
    """How many published incidents the link rows (``incident`` plus ``owner``)
    name per owner id, in one grouped pass over the links.

    Not a correlated subquery per site or actor: PostgreSQL planned each as a
    hash join over every incident, so at a million incidents the 26 sites took
    6 s and 13 actors 3.5 s; grouping the links once reads the incidents once.
    Nor a JOIN grouped over the outer table's columns, which on SQLite sorted
    every link row in a temporary B-tree.
    """
    return dict(_published_per_owner(links, owner).values_list(owner, "n"))


def _published_per_owner(links: QuerySet, owner: str) -> QuerySet:
    return (
        links.filter(incident__status=Incident.Status.PUBLISHED)
        .order_by()
        .values(owner)
        .annotate(n=Count("incident", distinct=True))
    )
