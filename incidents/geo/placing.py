"""Placing sites and incidents on the map: geocoding a site by its names, and saying
what a point is near (country, governorate, nearest site).

The admin's "geocode selected sites" action, the site form's "Find this place"
button and the incident form's suggestions all call these, so they agree.

Decisions:

- **A site is geocoded by the online geocoders only.** The gazetteer *is* the
  Site table: asked about a site's own names it finds the site itself. It is still
  asked by the form button, but to warn that the name already belongs to another
  site, never to copy that site's point.
- **An online answer in another country than the site's is refused**, not used:
  "Conoco" answering from Texas must not move a Syrian site. The refusal is
  reported.
- **Editors' values win.** Country and governorate are filled only where empty; a
  stored country that disagrees with the point is reported, never overwritten.
- **One spelling per governorate.** The boundaries say "Al-Hasakah" and "Al Anbar"
  where the stored sites say "Hasakah" and "Anbar"; a filled-in governorate takes
  the spelling already stored for the same country when the two fold to the same
  name (``match_key``), so filters and counts by governorate do not split.
- **Not found is written down.** A site still without a point after a lookup keeps
  any explanation already in ``location_source``; an empty one gets what was
  tried, by whom and when, so the site form can show why there is no point.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Site
from .chain import GeocoderChain, GeocodeResult
from .matching import APPROXIMATE, match_key
from .reverse import CountryLocator, reverse_geocode

# Each name is one call to each online service (1 s apart): a handful is enough.
MAX_NAMES_PER_SITE = 4
NEAREST_SITE_KM = 25.0


@dataclass(frozen=True)
class PointFacts:
    """What a point is in and near."""

    country: str | None
    country_candidates: tuple[str, ...]
    admin1: str | None
    admin1_ar: str | None
    admin1_candidates: tuple[str, ...]
    nearest_site: dict | None  # id, slug, name, distance_km

    def as_dict(self) -> dict:
        return asdict(self)


def point_describe(
    *, longitude: float, latitude: float, max_km: float = NEAREST_SITE_KM
) -> PointFacts:
    """Country, governorate and nearest placed site within ``max_km`` of a point.
    ValueError for a point outside WGS84."""
    answer = reverse_geocode(longitude, latitude, max_km=max_km)
    country, area, nearest = answer.country, answer.admin1, answer.site
    site = None
    if nearest is not None:
        row = Site.objects.values("id", "slug", "name").get(slug=nearest.slug)
        site = {**row, "distance_km": round(nearest.distance_km, 2)}
    spelling = _stored_spellings()
    return PointFacts(
        country=country.country,
        country_candidates=country.candidates,
        admin1=_spelled(area.area, spelling) if area.area else None,
        admin1_ar=area.area.name_ar if area.area else None,
        admin1_candidates=tuple(_spelled(a, spelling) for a in area.candidates),
        nearest_site=site,
    )


def _stored_spellings() -> dict[tuple[str, str], str]:
    """(country, folded name) -> the governorate's spelling among stored sites."""
    rows = (
        Site.objects.exclude(admin1="")
        .values_list("country", "admin1")
        .distinct()
        .order_by("country", "admin1")
    )
    return {(country, match_key(name)): name for country, name in rows}


def _spelled(area, spelling: dict[tuple[str, str], str]) -> str:
    return spelling.get((area.country, match_key(area.name)), area.name)


def _site_names(site: Site) -> list[str]:
    names = [site.name, site.name_ar, *(site.aliases or [])]
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


@dataclass
class NamesLookup:
    """The form button's answer: a point for the names, or why there is none."""

    result: GeocodeResult | None = None
    country: str | None = None
    admin1: str | None = None
    other_site: dict | None = None  # another site already called by one of the names
    tried: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _refusal(result: GeocodeResult, country: str) -> str | None:
    """Why an online answer is not used (it lies outside ``country`` and its border
    band), or None when it may be."""
    if not country:
        return None
    found = CountryLocator.bundled().at(result.longitude, result.latitude)
    if country in found.candidates:
        return None
    return _(
        "%(geocoder)s placed %(query)r in %(found)s, not %(country)s: not used."
    ) % {
        "geocoder": result.geocoder,
        "query": result.query,
        "found": found.country or _("no country"),
        "country": country,
    }


def names_geocode(
    *,
    names: list[str],
    country: str = "",
    exclude_site_id: int | None = None,
    chain: GeocoderChain | None = None,
) -> NamesLookup:
    """Find a point for a site being edited, from the names in its form.

    ValueError when no name is given; each name must pass the geocoder's checks.
    """
    names = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if not names:
        raise ValueError(_("Give the site a name first."))
    chain = chain or GeocoderChain()
    lookup = NamesLookup()
    for name in names:
        found = chain.gazetteer.match(name)
        if found is None or found.site_id == exclude_site_id:
            continue
        if found.method in APPROXIMATE:
            # Spelt like another site's name, not that name: "Tal Hamad" beside
            # "Tal Hamid" may well be another place. Said, and looked up.
            lookup.notes.append(
                _(
                    "%(name)r is spelt like a name of the site %(site)s; check "
                    "that it is another place."
                )
                % {"name": name, "site": found.name}
            )
            continue
        lookup.other_site = {"id": found.site_id, "slug": found.slug}
        lookup.other_site["name"] = found.name
        lookup.notes.append(
            _("%(name)r already names the site %(site)s.")
            % {"name": name, "site": found.name}
        )
        return lookup
    for name in names[:MAX_NAMES_PER_SITE]:
        outcome = chain.lookup(name, use_gazetteer=False)
        lookup.tried = [n for n in chain.names if n != chain.gazetteer.name]
        lookup.notes.extend(outcome.errors)
        if outcome.result is None:
            continue
        refusal = _refusal(outcome.result, country)
        if refusal is not None:
            lookup.notes.append(refusal)
            continue
        lookup.result = outcome.result
        facts = point_describe(
            longitude=outcome.result.longitude, latitude=outcome.result.latitude
        )
        lookup.country, lookup.admin1 = facts.country, facts.admin1
        return lookup
    if not chain.online:
        lookup.notes.append(
            _(
                "No online geocoder is configured (BASEWATCH_GEOCODERS), and the "
                "gazetteer only knows sites that are already saved."
            )
        )
    else:
        lookup.notes.append(_("No geocoder found any of these names."))
    return lookup


@dataclass
class SiteGeocodeOutcome:
    site: Site
    placed: bool = False
    filled: list[str] = field(default_factory=list)  # field names written
    notes: list[str] = field(default_factory=list)


def site_geocode(
    *, site: Site, chain: GeocoderChain | None = None
) -> SiteGeocodeOutcome:
    """Place a site without a point by its names, and fill an empty country or
    governorate from its point. One transaction per site."""
    chain = chain or GeocoderChain()
    with transaction.atomic():
        site = Site.objects.select_for_update().get(pk=site.pk)
        outcome = SiteGeocodeOutcome(site=site)
        if not site.has_location:
            _place(site, chain, outcome)
        if site.has_location:
            _fill_regions(site, outcome)
        if outcome.filled:
            site.save(update_fields=[*outcome.filled, "search_text"])
    return outcome


def _place(site: Site, chain: GeocoderChain, outcome: SiteGeocodeOutcome) -> None:
    lookup = names_geocode(
        names=_site_names(site),
        country=site.country,
        exclude_site_id=site.pk,
        chain=chain,
    )
    outcome.notes.extend(lookup.notes)
    result = lookup.result
    if result is None:
        if not site.location_source.strip():
            tried = ", ".join(lookup.tried) or _("no online geocoder configured")
            site.location_source = _(
                "No point: not found by %(tried)s on %(date)s."
            ) % {"tried": tried, "date": timezone.now().date().isoformat()}
            outcome.filled.append("location_source")
        return
    site.latitude, site.longitude = result.latitude, result.longitude
    site.precision_m = result.precision_m
    site.location_source = result.location_source()
    outcome.placed = True
    outcome.filled += ["latitude", "longitude", "precision_m", "location_source"]


def _fill_regions(site: Site, outcome: SiteGeocodeOutcome) -> None:
    if site.latitude is None or site.longitude is None:
        return
    facts = point_describe(longitude=site.longitude, latitude=site.latitude)
    if not site.country and facts.country:
        site.country = facts.country
        outcome.filled.append("country")
    elif site.country and site.country not in facts.country_candidates:
        outcome.notes.append(
            _("Its point lies in %(found)s, but its country is %(country)s.")
            % {"found": facts.country or _("no country"), "country": site.country}
        )
    if not site.admin1 and facts.admin1 and site.country == facts.country:
        site.admin1 = facts.admin1
        outcome.filled.append("admin1")
