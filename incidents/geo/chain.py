"""Geocoding a place name through a chain: the offline gazetteer first, then the
online geocoders ``BASEWATCH_GEOCODERS`` names, in that order, and only those.

Decisions:

- **Nothing online unless configured.** With ``BASEWATCH_GEOCODERS`` empty (the
  default) the chain is the gazetteer alone and no code path opens a socket. The
  names allowed are the keys of ``ONLINE_GEOCODERS`` (keyless services); an unknown
  name is a configuration error, reported by ``manage.py check`` and on first use.
- **Polite by construction.** Each online geocoder is wrapped once per process in
  geopy's ``RateLimiter`` (``BASEWATCH_GEOCODER_MIN_DELAY`` seconds between calls,
  1 s by default as Nominatim's usage policy asks) and identifies itself with
  ``BASEWATCH_GEOCODER_USER_AGENT``. Nominatim is asked only about the countries in
  ``BASEWATCH_GEOCODER_COUNTRIES`` (the region by default), so "Conoco" finds the
  gas field, not a filling station in Texas.
- **Every answer is kept** (``GeocodeAnswer``): found or not, with the service, the
  query and when, and a kept answer is reused instead of asking again. Errors are
  not kept: a timeout today says nothing about tomorrow.
- **Precision** of an online answer is the distance from its point to the farthest
  corner of the bounding box the service returns (a town's answer is good to a few
  km, a building's to metres); None when the service gives no box.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, Photon
from geopy.location import Location

from .distance import haversine_km
from .gazetteer import GazetteerGeocoder, SiteMatch
from .matching import check_query

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "Basewatch (self-hosted conflict-incident map)"
DEFAULT_COUNTRIES = "sy,iq,jo,lb,tr,ir,sa,kw,il,ps"
ONLINE_TIMEOUT_S = 10


def _nominatim(adapter_factory) -> Callable[[str], Location | None]:
    geocoder = Nominatim(
        user_agent=_user_agent(),
        timeout=ONLINE_TIMEOUT_S,
        adapter_factory=adapter_factory,
    )
    countries = getattr(settings, "BASEWATCH_GEOCODER_COUNTRIES", DEFAULT_COUNTRIES)
    codes = [c.strip().lower() for c in countries.split(",") if c.strip()]
    return lambda query: geocoder.geocode(query, country_codes=codes or None)


def _photon(adapter_factory) -> Callable[[str], Location | None]:
    geocoder = Photon(
        user_agent=_user_agent(),
        timeout=ONLINE_TIMEOUT_S,
        adapter_factory=adapter_factory,
    )
    return geocoder.geocode


# Keyless services only: a key would be one more secret to manage for little gain.
ONLINE_GEOCODERS: dict[str, Callable] = {"nominatim": _nominatim, "photon": _photon}


def _user_agent() -> str:
    return getattr(settings, "BASEWATCH_GEOCODER_USER_AGENT", "") or DEFAULT_USER_AGENT


def check_geocoder_names(names: list[str]) -> None:
    unknown = [name for name in names if name not in ONLINE_GEOCODERS]
    if unknown:
        raise ImproperlyConfigured(
            f"BASEWATCH_GEOCODERS names unknown geocoder(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(ONLINE_GEOCODERS))}."
        )


def query_key(query: str) -> str:
    """The cache key: Unicode form, case and spacing folded; nothing else."""
    folded = " ".join(unicodedata.normalize("NFC", query).split()).casefold()
    return folded[:300]


@dataclass(frozen=True)
class GeocodeResult:
    """A point for a name, and where it came from."""

    query: str
    geocoder: str
    latitude: float
    longitude: float
    precision_m: int | None
    address: str
    answered_at: datetime | None  # None for the gazetteer, which is not a service
    cached: bool
    site: SiteMatch | None = None  # the gazetteer's site, when it answered

    def location_source(self) -> str:
        """A line for ``Site.location_source``: which service, what was asked, when."""
        if self.site is not None:
            return f"gazetteer: site {self.site.slug} (query {self.query!r})"
        when = self.answered_at.date().isoformat() if self.answered_at else "?"
        return f"{self.geocoder}: {self.query!r} on {when} -> {self.address}"


@dataclass
class ChainOutcome:
    """What a lookup found, and what it tried on the way."""

    query: str
    result: GeocodeResult | None = None
    site_without_point: SiteMatch | None = None  # the name is a known, unplaced site
    candidates: list[str] = field(default_factory=list)  # sites it could be, equally
    tried: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def precision_from_raw(
    geocoder: str, latitude: float, longitude: float, raw
) -> int | None:
    """Metres from the point to the farthest corner of the service's bounding box,
    or None when it gives none."""
    try:
        if geocoder == "nominatim":
            south, north, west, east = (float(v) for v in raw["boundingbox"])
        elif geocoder == "photon":
            west, north, east, south = (float(v) for v in raw["properties"]["extent"])
        else:
            return None
    except (KeyError, TypeError, ValueError):
        return None
    corners = [(west, south), (west, north), (east, south), (east, north)]
    km = max(haversine_km(longitude, latitude, lon, lat) for lon, lat in corners)
    return math.ceil(km * 1000) if math.isfinite(km) else None


class DatabaseAnswers:
    """The kept answers (``GeocodeAnswer``)."""

    def get(self, geocoder: str, query: str):
        from ..models import GeocodeAnswer

        return GeocodeAnswer.objects.filter(
            geocoder=geocoder, query_key=query_key(query)
        ).first()

    def put(self, geocoder: str, query: str, location: Location | None):
        from ..models import GeocodeAnswer

        values = {"found": location is not None, "answered_at": timezone.now()}
        if location is not None:
            values.update(
                latitude=location.latitude,
                longitude=location.longitude,
                address=location.address or "",
                raw=location.raw if isinstance(location.raw, dict) else {},
                precision_m=precision_from_raw(
                    geocoder, location.latitude, location.longitude, location.raw
                ),
            )
        try:
            with transaction.atomic():
                answer, _ = GeocodeAnswer.objects.update_or_create(
                    geocoder=geocoder,
                    query_key=query_key(query),
                    defaults={"query": query, **values},
                )
        except IntegrityError:  # another process kept the same answer first
            answer = self.get(geocoder, query)
        return answer


class GeocoderChain:
    """The gazetteer, then each configured online geocoder, with kept answers."""

    def __init__(
        self,
        *,
        gazetteer: GazetteerGeocoder | None = None,
        online: list[tuple[str, Callable[[str], Location | None]]] | None = None,
        answers: DatabaseAnswers | None = None,
    ):
        self.gazetteer = gazetteer or GazetteerGeocoder()
        self.online = online if online is not None else configured_online_geocoders()
        self.answers = answers or DatabaseAnswers()

    @property
    def names(self) -> list[str]:
        return [self.gazetteer.name, *(name for name, _ in self.online)]

    def geocode(self, query: str) -> GeocodeResult | None:
        return self.lookup(query).result

    def lookup(self, query: str, *, use_gazetteer: bool = True) -> ChainOutcome:
        """Ask each geocoder in turn until one places the name. ValueError for an
        empty or absurdly long query."""
        query = check_query(query)
        outcome = ChainOutcome(query=query)
        if use_gazetteer:
            outcome.tried.append(self.gazetteer.name)
            found = self.gazetteer.match(query)
            if (
                found is not None
                and found.latitude is not None
                and found.longitude is not None
            ):
                outcome.result = GeocodeResult(
                    query=query,
                    geocoder=self.gazetteer.name,
                    latitude=found.latitude,
                    longitude=found.longitude,
                    precision_m=found.precision_m,
                    address=found.name,
                    answered_at=None,
                    cached=False,
                    site=found,
                )
                return outcome
            outcome.site_without_point = found
            if found is None:
                outcome.candidates = self.gazetteer.candidates(query)
        for name, geocode in self.online:
            outcome.tried.append(name)
            result = self._ask(name, geocode, query, outcome)
            if result is not None:
                outcome.result = result
                return outcome
        return outcome

    def _ask(self, name, geocode, query, outcome) -> GeocodeResult | None:
        kept = self.answers.get(name, query)
        cached = kept is not None
        if kept is None:
            try:
                location = geocode(query)
            except GeopyError as error:
                logger.warning("geocoder %s failed for %r: %s", name, query, error)
                outcome.errors.append(f"{name}: {error.__class__.__name__}: {error}")
                return None
            kept = self.answers.put(name, query, location)
        if kept is None or not kept.found:
            return None
        return GeocodeResult(
            query=query,
            geocoder=name,
            latitude=kept.latitude,
            longitude=kept.longitude,
            precision_m=kept.precision_m,
            address=kept.address,
            answered_at=kept.answered_at,
            cached=cached,
        )


def configured_online_geocoders() -> list[tuple[str, Callable]]:
    """The online geocoders settings allow, each rate-limited, built once."""
    names = tuple(getattr(settings, "BASEWATCH_GEOCODERS", ()))
    delay = float(getattr(settings, "BASEWATCH_GEOCODER_MIN_DELAY", 1.0))
    return list(_rate_limited(names, delay, None))


def build_online_geocoders(
    names: list[str], *, min_delay_seconds: float = 1.0, adapter_factory=None
) -> list[tuple[str, Callable]]:
    """Online geocoders by name, each behind its own ``RateLimiter``.

    ``adapter_factory`` is geopy's transport: tests pass one that answers from
    canned responses, which is the only place a network is ever faked.
    """
    check_geocoder_names(list(names))
    built = []
    for name in names:
        limited = RateLimiter(
            ONLINE_GEOCODERS[name](adapter_factory),
            min_delay_seconds=min_delay_seconds,
            max_retries=1,
            error_wait_seconds=min(5.0, max(min_delay_seconds, 0.0)),
            # Errors must reach the chain: swallowed, a timeout would be kept as
            # "not found".
            swallow_exceptions=False,
        )
        built.append((name, limited))
    return built


@cache
def _rate_limited(names: tuple[str, ...], delay: float, adapter_factory):
    # One RateLimiter per process and service: a new one per lookup would forget
    # when it last called and could hammer the service.
    return tuple(
        build_online_geocoders(
            list(names), min_delay_seconds=delay, adapter_factory=adapter_factory
        )
    )
