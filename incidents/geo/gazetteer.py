"""An offline geocoder over the project's own sites: a geopy ``Geocoder`` that looks
names up in the Site table (English name, Arabic name, every alias) and never opens
a network connection.

Decisions:

- **A site without a point** (seven reference sites are known by name only) still
  matches, but a geopy ``Location`` needs a point, so ``geocode`` returns None for
  it, as for an unknown name. ``match(query)`` tells the two apart: it returns a
  ``SiteMatch`` (slug, name, how it matched, and the point or None) whenever a site
  matches, with or without a point.
- **The index is built once per instance**, from one query, on the first lookup:
  exact and normalised names are dict lookups; the fuzzy scan runs only on a miss.
  Sites saved afterwards are not seen until ``refresh()`` or a new instance, so
  keep an instance for a batch (an import), not for the life of a process.
- **No network, by construction**: the geopy adapter is ``OfflineAdapter``, which
  refuses every request, so even a geopy code path that wanted one cannot.
- An empty or over-long query raises ``ValueError`` (from ``matching``); an
  ambiguous one (the same name for two sites) matches nothing, and
  ``candidates(query)`` names the sites it could be.
- Every match says how sure it is (``certainty``: certain, likely, possible) and
  carries a caution where a town and a base share the name.
"""

from dataclasses import asdict, dataclass

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from .certainty import certainty
from .matching import Match, Method, NameIndex


class OfflineAdapter(BaseSyncAdapter):
    """A geopy adapter that refuses every request: the gazetteer is offline."""

    def get_json(self, url, *, timeout, headers):
        raise GeocoderServiceError(f"The gazetteer geocoder is offline: {url}")

    def get_text(self, url, *, timeout, headers):
        raise GeocoderServiceError(f"The gazetteer geocoder is offline: {url}")


@dataclass(frozen=True)
class SiteMatch:
    """A site a query matched, how, and its point (None when it has none)."""

    site_id: int
    slug: str
    name: str
    latitude: float | None
    longitude: float | None
    precision_m: int | None
    method: Method
    score: float
    matched_name: str
    certainty: str = ""  # certain, likely or possible (``certainty``)
    caution: str = ""

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _SiteRow:
    site_id: int
    name: str
    latitude: float | None
    longitude: float | None
    precision_m: int | None
    kind: str


class GazetteerGeocoder(Geocoder):
    """geopy's interface over the Site table, offline.

    >>> GazetteerGeocoder().geocode("قاعدة عين الأسد").raw["slug"]
    'ain-al-asad'
    """

    name = "gazetteer"

    def __init__(self, queryset=None):
        super().__init__(adapter_factory=OfflineAdapter)
        self._queryset = queryset
        self._index: NameIndex | None = None
        self._sites: dict[str, _SiteRow] = {}

    def refresh(self) -> None:
        """Forget the index: the next lookup reads the sites again."""
        self._index = None
        self._sites = {}

    def _load(self) -> NameIndex:
        if self._index is None:
            from ..models import Site  # geo stays importable without the app

            queryset = self._queryset if self._queryset is not None else Site.objects
            rows = queryset.values_list(
                "pk",
                "slug",
                "name",
                "name_ar",
                "aliases",
                "latitude",
                "longitude",
                "precision_m",
                "kind",
            )
            candidates = []
            sites = {}
            for pk, slug, name, name_ar, aliases, lat, lon, precision, kind in rows:
                sites[slug] = _SiteRow(pk, name, lat, lon, precision, kind)
                candidates.append((slug, [name, name_ar, *(aliases or [])]))
            self._index = NameIndex(candidates)
            self._sites = sites
        return self._index

    def match(self, query: str) -> SiteMatch | None:
        """The site ``query`` names, with or without a point; None if no (single)
        site matches. Raises ValueError for an empty or absurdly long query."""
        found: Match | None = self._load().match(query)
        if found is None:
            return None
        site = self._sites[found.slug]
        sure, caution = certainty(query, found, site.kind)
        return SiteMatch(
            site_id=site.site_id,
            slug=found.slug,
            name=site.name,
            latitude=site.latitude,
            longitude=site.longitude,
            precision_m=site.precision_m,
            method=found.method,
            score=found.score,
            matched_name=found.matched_name,
            certainty=sure,
            caution=caution,
        )

    def candidates(self, query: str) -> list[str]:
        """The slugs of the sites an ambiguous ``query`` could name equally well;
        [] when it names one site or none."""
        return self._load().candidates(query)

    def geocode(self, query, *, exactly_one=True, timeout=None):
        """A geopy ``Location`` for the site ``query`` names, or None when no site
        matches or the matched site has no point. ``timeout`` is accepted for
        geopy compatibility and ignored: nothing here waits on a network."""
        found = self.match(query)
        if found is None or not found.has_location:
            return None
        location = Location(
            found.name,
            (found.latitude, found.longitude),
            {
                "slug": found.slug,
                "site_id": found.site_id,
                "method": found.method,
                "score": found.score,
                "matched_name": found.matched_name,
                "precision_m": found.precision_m,
                "certainty": found.certainty,
                "caution": found.caution,
            },
        )
        return location if exactly_one else [location]
