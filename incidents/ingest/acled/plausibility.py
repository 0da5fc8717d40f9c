"""Warnings about ACLED rows that are valid but probably wrong.

A row can pass every check of ``columns`` and still be a mistake a reviewer
should see before confirming: coordinates typed the wrong way round, a missing
point written as 0, 0, a point outside the country the row names, a ``year``
that is not the event date's, an ``iso`` code of another country than the
``country`` name, or a ``location`` that names a site far from the row's own
point. None of these stops an import (ACLED's own data has such rows, and the
reviewer may know better); each is reported with the row's line, in the dry run
and the import alike (``AcledReport.warnings``).

The borders are the bundled basemap's (``geo.reverse.CountryLocator``), with
its 3 km border band; a country it does not hold is not checked.
"""

from django.utils.translation import gettext as _

from incidents.geo.distance import haversine_km
from incidents.geo.reverse import CountryLocator

from .columns import AcledRow
from .mapping import NEAREST_SITE_KM, country_from_iso, country_from_name

# A site named in ``location`` this many times farther from the point than the
# nearest-site radius (for its geo_precision) is worth a look.
FAR_FACTOR = 2.0


class PlausibilityCheck:
    def __init__(self) -> None:
        self._countries = CountryLocator.bundled()
        self._known = self._countries.countries

    def row(self, row: AcledRow) -> list[str]:
        """What looks wrong in the row itself ([] when nothing does)."""
        found = []
        cells = row.cells
        from_iso = country_from_iso(cells["iso"])
        from_name = country_from_name(cells["country"])
        if from_iso and from_name and from_iso != from_name:
            found.append(
                _("iso %(iso)s is %(by_iso)s, but country says %(name)s (%(by_name)s)")
                % {
                    "iso": cells["iso"].strip(),
                    "by_iso": from_iso,
                    "name": cells["country"].strip(),
                    "by_name": from_name,
                }
            )
        year = cells["year"].strip()
        if year and year != str(row.occurred_on.year):
            found.append(
                _("year %(year)s is not the year of event_date %(date)s")
                % {"year": year, "date": row.occurred_on.isoformat()}
            )
        if row.latitude is not None and row.longitude is not None:
            found += self._point(row.longitude, row.latitude, from_iso or from_name)
        return found

    def _point(self, longitude: float, latitude: float, country: str) -> list[str]:
        if longitude == 0 and latitude == 0:
            return [_("the point is 0, 0: a missing point written as zeros?")]
        if country not in self._known:
            return []
        if country in self._countries.at(longitude, latitude).candidates:
            return []
        swapped = (
            -90 <= longitude <= 90
            and country in self._countries.at(latitude, longitude).candidates
        )
        if swapped:
            return [
                _(
                    "latitude and longitude look swapped: %(lat)s, %(lon)s is "
                    "outside %(country)s, the other way round it is inside"
                )
                % {"lat": latitude, "lon": longitude, "country": country}
            ]
        return [
            _("the point %(lat)s, %(lon)s is outside %(country)s, the row's country")
            % {"lat": latitude, "lon": longitude, "country": country}
        ]

    def name_link(
        self, row: AcledRow, site: str, site_point: tuple[float, float] | None
    ) -> str | None:
        """A warning when ``location`` named a site far from the row's point."""
        if site_point is None or row.latitude is None or row.longitude is None:
            return None
        km = haversine_km(row.longitude, row.latitude, *site_point)
        if km <= FAR_FACTOR * NEAREST_SITE_KM[row.geo_precision]:
            return None
        return _(
            "location %(location)r names %(site)s, %(km).0f km from the row's "
            "point: not linked by that name"
        ) % {"location": row.cell("location"), "site": site, "km": km}
