"""Governorate (admin-1) of a point, offline.

Point-in-polygon against the bundled first-level units of Syria, Iraq, Jordan and
their neighbours (``fixtures/boundaries/admin1.geojson``: Natural Earth 1:10m
admin-1, public domain, built by ``scripts/build_admin1.py``; its README says how).

At 1:10m a governorate border is generalised by a few km (measured in that
README), so a point within ``ADMIN1_UNCERTAINTY_KM`` of another unit is answered
with both, as ``reverse.CountryLocator`` does for countries: ``area`` is the
polygon holding the point, ``candidates`` every unit within the band (by
great-circle distance), holder first. Natural Earth keeps the UNDOF area of
separation on the Golan as a unit of its own (code ``SY-X01~``); so does this.

``areas_of`` answers many points at once (codes only, no border band) with
per-polygon bounding-box filtering and prepared ``contains_xy``, as
``CountryLocator.countries_of`` does; a test checks it agrees with ``at``.

This module imports nothing from ``reverse`` at import time, so that ``reverse``
may import it.
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

from .containment import labels_of
from .distance import EARTH_RADIUS_KM, haversine_km

# The 1:10m borders are off by up to a few km (95% of outline vertices within
# about 4 km of the 1:50m country borders): a band of 5 km covers that.
ADMIN1_UNCERTAINTY_KM = 5.0
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def bundled_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "boundaries" / "admin1.geojson"


@dataclass(frozen=True)
class Admin1Area:
    code: str  # ISO 3166-2, e.g. "SY-DY"
    country: str  # ISO 3166-1 alpha-2
    name: str  # English, e.g. "Deir ez-Zor"
    name_ar: str  # Arabic, without a leading "محافظة"


@dataclass(frozen=True)
class Admin1Answer:
    area: Admin1Area | None  # the polygon holding the point, or None (sea, outside)
    candidates: tuple[Admin1Area, ...]  # every area within the band, holder first


def _search_box(longitude: float, latitude: float, km: float):
    """A lon/lat box holding every point within ``km`` of the point.

    The same construction as ``reverse.search_box``, repeated to avoid a cycle.
    """
    dlat = km / KM_PER_DEGREE
    # Longitude degrees are shortest at the box's edge nearest a pole.
    cos_edge = math.cos(math.radians(min(abs(latitude) + dlat, 90.0)))
    dlon = 180.0 if cos_edge < 1e-9 else min(km / (KM_PER_DEGREE * cos_edge), 180.0)
    return shapely.box(
        longitude - dlon, latitude - dlat, longitude + dlon, latitude + dlat
    )


class Admin1Locator:
    """Admin-1 polygons, indexed once: ``at(lon, lat)``, ``areas_of(lons, lats)``."""

    def __init__(self, features: list[dict]):
        areas, shapes = [], []
        for feature in features:
            props = feature["properties"]
            areas.append(
                Admin1Area(
                    code=props["code"],
                    country=props["country"],
                    name=props["name"],
                    name_ar=props["name_ar"],
                )
            )
            shapes.append(shape(feature["geometry"]))
        shapely.prepare(shapes)
        self._areas = areas
        self._shapes = shapes
        self._by_code = {area.code: area for area in areas}
        self._tree = shapely.STRtree(shapes)

    @classmethod
    def bundled(cls) -> "Admin1Locator":
        return _bundled_admin1()

    def area(self, code: str) -> Admin1Area | None:
        return self._by_code.get(code)

    def at(self, longitude: float, latitude: float) -> Admin1Answer:
        from .reverse import check_point  # lazily: reverse may import this module

        check_point(longitude, latitude)
        point = shapely.Point(longitude, latitude)
        holder = None
        near: list[tuple[float, str]] = []
        box = _search_box(longitude, latitude, ADMIN1_UNCERTAINTY_KM)
        # In index order, so that where Natural Earth polygons overlap the last one
        # wins, as in areas_of.
        for index in sorted(self._tree.query(box)):
            polygon, area = self._shapes[index], self._areas[index]
            if polygon.contains(point):
                holder = area
                continue
            nearest_point = nearest_points(polygon, point)[0]
            distance = haversine_km(
                longitude, latitude, nearest_point.x, nearest_point.y
            )
            if distance <= ADMIN1_UNCERTAINTY_KM:
                near.append((distance, area.code))
        others = [self._by_code[code] for _, code in sorted(near)]
        candidates = ([holder] if holder else []) + [a for a in others if a != holder]
        return Admin1Answer(holder, tuple(candidates))

    def areas_of(self, longitudes, latitudes) -> np.ndarray:
        """For each point, the code of the area holding it, or None."""
        from .reverse import check_points  # lazily: reverse may import this module

        longitudes = np.asarray(longitudes, dtype=float)
        latitudes = np.asarray(latitudes, dtype=float)
        check_points(longitudes, latitudes)
        return labels_of(
            self._shapes, [a.code for a in self._areas], longitudes, latitudes
        )


@cache
def _bundled_admin1() -> Admin1Locator:
    with bundled_path().open(encoding="utf-8") as handle:
        return Admin1Locator(json.load(handle)["features"])
