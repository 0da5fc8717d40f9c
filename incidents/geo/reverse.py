"""Reverse geocoding, offline: for a point, the nearest known site and the country.

**Nearest site.** A shapely ``STRtree`` over the placed sites finds the candidates in
a box around the point that is sure to hold every site within ``max_km``; each is
then measured by great-circle (haversine) distance in km, so the answer is the truly
nearest one, not the nearest in flat degrees.

**Country.** Point-in-polygon against the country borders bundled for the offline
basemap (``static/incidents/basemap/region.geojson``: Natural Earth 1:50m via the
``world-atlas`` npm package, public domain, clipped to the region). At that scale a
border is good to a kilometre or two, so a point within ``BORDER_UNCERTAINTY_KM`` of
another country is answered with both: ``country`` is the polygon that holds the
point, and ``candidates`` lists every country within that band, holder first. The
Rukban camp sits 0.6 km inside Jordan's 1:50m polygon although it is in Syria: the
answer says "JO, or SY", never a confident wrong "JO".

**Many points at once** (``nearest_many``, ``countries_of``): the same answers as
the one-point methods (a test compares them), computed by shapely's vectorised
``STRtree.query`` (sites) and prepared ``contains_xy`` (countries) with numpy, for
imports and the benchmark (650,000 points/s here); the border band is left to the
one-point method there.

**Governorate** (admin-1): ``incidents.geo.admin1``, against bundled Natural
Earth 1:10m admin-1 boundaries, with a 5 km border band for the same reason.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from shapely.geometry import shape
from shapely.ops import nearest_points

from .admin1 import Admin1Answer, Admin1Locator
from .containment import labels_of
from .distance import EARTH_RADIUS_KM, haversine_km, haversine_km_many

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
BORDER_UNCERTAINTY_KM = 3.0
BASEMAP = Path(settings.BASE_DIR) / "static/incidents/basemap/region.geojson"

# world-atlas names countries by ISO 3166-1 numeric code; we use alpha-2.
ISO_NUMERIC_TO_ALPHA2 = {
    "004": "AF",
    "031": "AZ",
    "048": "BH",
    "051": "AM",
    "100": "BG",
    "148": "TD",
    "196": "CY",
    "268": "GE",
    "275": "PS",
    "300": "GR",
    "364": "IR",
    "368": "IQ",
    "376": "IL",
    "398": "KZ",
    "400": "JO",
    "414": "KW",
    "422": "LB",
    "434": "LY",
    "498": "MD",
    "512": "OM",
    "586": "PK",
    "634": "QA",
    "642": "RO",
    "643": "RU",
    "682": "SA",
    "688": "RS",
    "729": "SD",
    "760": "SY",
    "784": "AE",
    "792": "TR",
    "795": "TM",
    "804": "UA",
    "807": "MK",
    "818": "EG",
    "860": "UZ",
}


def check_point(longitude: float, latitude: float) -> None:
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise ValueError(
            f"({longitude}, {latitude}) is not a WGS84 longitude, latitude pair"
        )


def search_box(longitude: float, latitude: float, km: float):
    """A lon/lat box holding every point within ``km`` (great-circle) of the point."""
    dlat = km / KM_PER_DEGREE
    # Longitude degrees shrink with latitude; at the box's edge nearest a pole they
    # are shortest, so that latitude gives the widest (safe) span.
    edge = min(abs(latitude) + dlat, 90.0)
    cos_edge = math.cos(math.radians(edge))
    dlon = 180.0 if cos_edge < 1e-9 else min(km / (KM_PER_DEGREE * cos_edge), 180.0)
    return shapely.box(
        longitude - dlon, latitude - dlat, longitude + dlon, latitude + dlat
    )


def check_points(longitudes: np.ndarray, latitudes: np.ndarray) -> None:
    bad = ~((np.abs(longitudes) <= 180) & (np.abs(latitudes) <= 90))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        check_point(float(longitudes[first]), float(latitudes[first]))


def search_boxes(longitudes: np.ndarray, latitudes: np.ndarray, km: float):
    """``search_box`` for many points at once."""
    dlat = km / KM_PER_DEGREE
    edge = np.minimum(np.abs(latitudes) + dlat, 90.0)
    cos_edge = np.cos(np.radians(edge))
    with np.errstate(divide="ignore"):
        dlon = np.where(
            cos_edge < 1e-9, 180.0, np.minimum(km / (KM_PER_DEGREE * cos_edge), 180.0)
        )
    return shapely.box(
        longitudes - dlon, latitudes - dlat, longitudes + dlon, latitudes + dlat
    )


@dataclass(frozen=True)
class NearestSite:
    slug: str
    distance_km: float


class SiteLocator:
    """The placed sites, indexed once: ``nearest(lon, lat, max_km)``."""

    def __init__(self, sites: list[tuple[str, float, float]]):
        """``sites``: (slug, longitude, latitude) of every placed site."""
        self._sites = sites
        self._tree = shapely.STRtree(
            [shapely.Point(longitude, latitude) for _, longitude, latitude in sites]
        )

    @classmethod
    def from_database(cls) -> "SiteLocator":
        """Every placed site (one query)."""
        from ..models import Site

        rows = Site.objects.filter(
            latitude__isnull=False, longitude__isnull=False
        ).values_list("slug", "longitude", "latitude")
        return cls(list(rows))

    def nearest(
        self, longitude: float, latitude: float, max_km: float
    ) -> NearestSite | None:
        check_point(longitude, latitude)
        if max_km <= 0:
            raise ValueError("max_km must be above 0")
        best = None
        for index in self._tree.query(search_box(longitude, latitude, max_km)):
            slug, site_lon, site_lat = self._sites[index]
            distance = haversine_km(longitude, latitude, site_lon, site_lat)
            if distance <= max_km and (best is None or distance < best.distance_km):
                best = NearestSite(slug, distance)
        return best

    def nearest_many(
        self, longitudes, latitudes, max_km: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each point, the index into ``sites`` of the nearest site within
        ``max_km`` (-1 for none) and its distance in km (NaN for none)."""
        longitudes = np.asarray(longitudes, dtype=float)
        latitudes = np.asarray(latitudes, dtype=float)
        check_points(longitudes, latitudes)
        if max_km <= 0:
            raise ValueError("max_km must be above 0")
        nearest = np.full(len(longitudes), -1)
        distance = np.full(len(longitudes), np.nan)
        if not self._sites or not len(longitudes):
            return nearest, distance
        points, sites = self._tree.query(search_boxes(longitudes, latitudes, max_km))
        site_lon = np.array([lon for _, lon, _ in self._sites])[sites]
        site_lat = np.array([lat for _, _, lat in self._sites])[sites]
        km = haversine_km_many(
            longitudes[points], latitudes[points], site_lon, site_lat
        )
        keep = km <= max_km
        points, sites, km = points[keep], sites[keep], km[keep]
        # Per point, the smallest distance: sort by (point, distance), take firsts.
        order = np.lexsort((km, points))
        points, sites, km = points[order], sites[order], km[order]
        first = np.ones(len(points), dtype=bool)
        first[1:] = points[1:] != points[:-1]
        nearest[points[first]] = sites[first]
        distance[points[first]] = km[first]
        return nearest, distance

    def slug(self, index: int) -> str:
        return self._sites[index][0]


@dataclass(frozen=True)
class CountryAnswer:
    country: str | None  # the polygon holding the point, or None (sea, outside)
    candidates: tuple[str, ...]  # every country within the border band, holder first


class CountryLocator:
    """Country borders, indexed once: ``at(lon, lat)``."""

    def __init__(self, features: list[dict]):
        codes, shapes = [], []
        for feature in features:
            code = ISO_NUMERIC_TO_ALPHA2.get(feature["properties"].get("id") or "")
            if code is None:
                continue  # a territory without an ISO code (e.g. N. Cyprus)
            codes.append(code)
            shapes.append(shape(feature["geometry"]))
        shapely.prepare(shapes)
        self._codes = codes
        self._shapes = shapes
        self._tree = shapely.STRtree(shapes)

    @classmethod
    def bundled(cls) -> "CountryLocator":
        return _bundled_countries()

    @property
    def countries(self) -> frozenset[str]:
        """The countries whose borders this locator knows."""
        return frozenset(self._codes)

    def at(self, longitude: float, latitude: float) -> CountryAnswer:
        check_point(longitude, latitude)
        point = shapely.Point(longitude, latitude)
        holder = None
        near: list[tuple[float, str]] = []
        box = search_box(longitude, latitude, BORDER_UNCERTAINTY_KM)
        for index in self._tree.query(box):
            polygon, code = self._shapes[index], self._codes[index]
            if polygon.contains(point):
                holder = code
                continue
            nearest_point = nearest_points(polygon, point)[0]
            distance = haversine_km(
                longitude, latitude, nearest_point.x, nearest_point.y
            )
            if distance <= BORDER_UNCERTAINTY_KM:
                near.append((distance, code))
        others = [code for _, code in sorted(near) if code != holder]
        candidates = ([holder] if holder else []) + list(dict.fromkeys(others))
        return CountryAnswer(holder, tuple(candidates))

    def countries_of(self, longitudes, latitudes) -> np.ndarray:
        """For each point, the alpha-2 code of the country holding it, or None."""
        longitudes = np.asarray(longitudes, dtype=float)
        latitudes = np.asarray(latitudes, dtype=float)
        check_points(longitudes, latitudes)
        return labels_of(self._shapes, self._codes, longitudes, latitudes)


@cache
def _bundled_countries() -> CountryLocator:
    with BASEMAP.open(encoding="utf-8") as handle:
        return CountryLocator(json.load(handle)["features"])


@dataclass(frozen=True)
class ReverseAnswer:
    site: NearestSite | None
    country: CountryAnswer
    admin1: Admin1Answer


def reverse_geocode(
    longitude: float,
    latitude: float,
    *,
    max_km: float = 25.0,
    sites: SiteLocator | None = None,
    countries: CountryLocator | None = None,
    areas: Admin1Locator | None = None,
) -> ReverseAnswer:
    """The nearest site within ``max_km``, the country and the governorate of a
    point.

    Pass ``sites`` (and ``countries``) when answering many points: building the
    site index is one query.
    """
    sites = sites or SiteLocator.from_database()
    countries = countries or CountryLocator.bundled()
    areas = areas or Admin1Locator.bundled()
    return ReverseAnswer(
        site=sites.nearest(longitude, latitude, max_km),
        country=countries.at(longitude, latitude),
        admin1=areas.at(longitude, latitude),
    )
