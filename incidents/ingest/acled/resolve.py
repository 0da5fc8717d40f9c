"""Actors, sources and sites for ACLED's names, each looked up once per import.

Every table is read once into memory (a few hundred rows here, small anywhere) and
every answer is cached by the name as written, so 100,000 rows cost a dict lookup
each, not a query.

- **Actors** match by name, Arabic name or alias through ``NameIndex``, exact or
  normalised only: an approximate match (fuzzy, skeleton, partial) is refused,
  because actor names that differ by one word or one vowel are different actors
  ("Military Forces of Iraq" / "... of Iran"); then ACLED's standard name for one
  of ours (``actor_names``). An
  actor nobody knows is created (slug from the name, made unique), its kind from
  ACLED's inter code (``mapping.actor_kind``).
- **Sources**: ACLED names publishers, not reports. One Source per publisher stands
  for "what ACLED cites from this publisher": URL empty, title ``ACLED: <name>``,
  kind news. Only such rows are reused, never a real article of that publisher
  (which would then seem to report events it never mentioned).
- **Sites**: by ACLED's ``location`` through the gazetteer, or the nearest placed
  site within ``mapping.NEAREST_SITE_KM`` of the point for its geo_precision
  (which applies when: ``relevance``).

In a dry run nothing is created: new actors and sources get negative stand-in ids.
"""

import itertools
from dataclasses import dataclass

from django.utils.text import slugify

from incidents.geo.gazetteer import GazetteerGeocoder
from incidents.geo.matching import APPROXIMATE, NameIndex, match_key
from incidents.geo.reverse import SiteLocator
from incidents.models import Actor, Site, Source

from .actor_names import canonical_slug
from .mapping import NEAREST_SITE_KM, actor_kind
from .tags import SourceFact

ACLED_TITLE = "ACLED: {}"


class ActorResolver:
    def __init__(self, *, dry_run: bool):
        self.dry_run = dry_run
        rows = list(
            Actor.objects.values_list("pk", "slug", "name", "name_ar", "aliases")
        )
        self._index = NameIndex(
            (slug, [name, name_ar, *(aliases or [])])
            for _pk, slug, name, name_ar, aliases in rows
        )
        self._pk = {slug: pk for pk, slug, *_rest in rows}
        self._slugs = set(self._pk)
        self._cache: dict[str, int] = {}
        self._new_by_key: dict[str, int] = {}
        self._stand_in = itertools.count(-1, -1)
        self.created: list[str] = []

    def resolve(self, name: str, inter: str) -> int:
        """The actor's id; a new actor when no known one has this name."""
        found = self._cache.get(name)
        if found is None:
            found = self._find(name)
            if found is None:
                found = self._create(name, inter)
            self._cache[name] = found
        return found

    def _find(self, name: str) -> int | None:
        key = match_key(name)
        if key in self._new_by_key:
            return self._new_by_key[key]
        try:
            match = self._index.match(name)
        except ValueError:  # longer than any name: matches nothing
            return None
        if match is not None and match.method not in APPROXIMATE:
            return self._pk[match.slug]
        return self._pk.get(canonical_slug(name))  # ACLED's own name for it

    def _create(self, name: str, inter: str) -> int:
        base = slugify(name)[:70] or "actor"
        slug = base
        for n in itertools.count(2):
            if slug not in self._slugs:
                break
            slug = f"{base}-{n}"
        self._slugs.add(slug)
        self.created.append(name)
        if self.dry_run:
            pk = next(self._stand_in)
        else:
            actor = Actor(slug=slug, name=name[:200], kind=actor_kind(inter))
            actor.save()  # save() fills search_text
            pk = actor.pk
        self._new_by_key[match_key(name)] = pk
        return pk


class SourceResolver:
    def __init__(self, *, dry_run: bool):
        self.dry_run = dry_run
        self._pk: dict[str, int] = {}
        for pk, publisher in Source.objects.filter(
            url="", title__startswith=ACLED_TITLE.format("")
        ).values_list("pk", "publisher"):
            self._pk.setdefault(publisher.casefold(), pk)
        self._stand_in = itertools.count(-1, -1)
        self.created: list[str] = []

    def resolve(self, publisher: str) -> int:
        key = publisher.casefold()
        found = self._pk.get(key)
        if found is None:
            self.created.append(publisher)
            if self.dry_run:
                found = next(self._stand_in)
            else:
                found = Source.objects.create(
                    url="",
                    publisher=publisher[:200],
                    title=ACLED_TITLE.format(publisher)[:500],
                    kind=Source.Kind.NEWS,
                ).pk
            self._pk[key] = found
        return found


class CitedSourceResolver:
    """Sources as Basewatch's own tags describe them (``tags.SourceFact``): the
    source with that URL, or without a URL the one with that publisher and
    title, else a new one with what the tag says. Unlike ``SourceResolver``'s
    publisher stand-ins these are real reports, so a real one is reused."""

    def __init__(self, *, dry_run: bool):
        self.dry_run = dry_run
        self._cache: dict[tuple, int] = {}
        self._stand_in = itertools.count(-1_000_000, -1)
        self.created: list[str] = []

    def resolve(self, fact: SourceFact) -> int:
        key = (fact.url,) if fact.url else ("", fact.publisher, fact.title)
        found = self._cache.get(key)
        if found is None:
            found = self._find(fact)
            if found is None:
                found = self._create(fact)
            self._cache[key] = found
        return found

    def _find(self, fact: SourceFact) -> int | None:
        rows = Source.objects.filter(url=fact.url)
        if not fact.url:
            rows = rows.filter(publisher=fact.publisher, title=fact.title)
        return rows.order_by("pk").values_list("pk", flat=True).first()

    def _create(self, fact: SourceFact) -> int:
        self.created.append(fact.url or fact.publisher)
        if self.dry_run:
            return next(self._stand_in)
        return Source.objects.create(
            url=fact.url[:1000],
            publisher=fact.publisher[:200],
            title=fact.title[:500],
            kind=fact.kind,
            published_on=fact.published_on,
            archived_url=fact.archived_url[:1000],
            language=fact.language,
        ).pk


@dataclass(frozen=True)
class SiteLink:
    site_id: int
    slug: str
    how: str  # "tag", "name" or "nearest (x.x km)"
    matched_name: str = ""  # for "name": the site's name or alias it matched


class SiteResolver:
    """Sites by ACLED's ``location`` (``named``) or by distance (``nearest``);
    which of them an import may use is ``relevance``'s and the importer's call."""

    def __init__(self) -> None:
        self._gazetteer = GazetteerGeocoder()
        self._locator = SiteLocator.from_database()
        self._pk = dict(Site.objects.values_list("slug", "pk"))
        self._kind = dict(Site.objects.values_list("pk", "kind"))
        self._by_name: dict[str, SiteLink | None] = {}

    def kind(self, site_id: int) -> str:
        return self._kind[site_id]

    def named(self, location: str) -> SiteLink | None:
        """The site ``location`` names, by the gazetteer; None for no single one."""
        link = self._by_name.get(location, ...)
        if link is ...:
            link = self._by_name[location] = self._named(location)
        return link

    def nearest(
        self, longitude: float, latitude: float, geo_precision: str
    ) -> SiteLink | None:
        """The nearest placed site within the radius for ``geo_precision``."""
        nearest = self._locator.nearest(
            longitude, latitude, NEAREST_SITE_KM[geo_precision]
        )
        if nearest is None:
            return None
        return SiteLink(
            self._pk[nearest.slug],
            nearest.slug,
            f"nearest ({nearest.distance_km:.1f} km)",
        )

    def _named(self, location: str) -> SiteLink | None:
        try:
            match = self._gazetteer.match(location)
        except ValueError:  # empty or absurdly long: names no site
            return None
        if match is None:
            return None
        return SiteLink(match.site_id, match.slug, "name", match.matched_name)
