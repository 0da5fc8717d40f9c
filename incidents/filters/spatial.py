"""Incidents in a box, in a polygon or within a radius of a point: the spatial
filters of the incident list (``selectors.incident_filter``), on plain latitude and
longitude columns, so they work on SQLite and PostgreSQL without a spatial
extension. Each returns a queryset that still pages, counts and combines with
every other filter.
"""

import math
from typing import TypeVar

from django.db.models import ExpressionWrapper, F, FloatField, QuerySet, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from ..geo.distance import EARTH_RADIUS_KM
from ..models import Incident

# Each filter returns the queryset's own class (an IncidentQuerySet stays one).
_Incidents = TypeVar("_Incidents", bound="QuerySet[Incident]")


def incidents_in_bbox(
    queryset: _Incidents, bbox: tuple[float, float, float, float]
) -> _Incidents:
    """Incidents whose point lies in ``(min_lon, min_lat, max_lon, max_lat)``."""
    min_lon, min_lat, max_lon, max_lat = bbox
    return queryset.filter(
        longitude__gte=min_lon,
        longitude__lte=max_lon,
        latitude__gte=min_lat,
        latitude__lte=max_lat,
    )


def incidents_within(queryset: _Incidents, polygon) -> _Incidents:
    """Incidents whose point lies in ``polygon`` (a shapely (Multi)Polygon), edges
    included.

    Without a spatial database the SQL can only narrow to the polygon's bounding
    box; shapely's vectorised ``intersects_xy`` then tests those points, and the
    ones inside go back to SQL as one bound list of ids, so the result is still a
    queryset that pages, counts and combines with every other filter.
    """
    import numpy as np
    import shapely

    from ..sql_ids import ids_subquery

    candidates = np.array(
        incidents_in_bbox(queryset, polygon.bounds).values_list(
            "id", "longitude", "latitude"
        ),
        dtype=float,
    ).reshape(-1, 3)
    inside = shapely.intersects_xy(polygon, candidates[:, 1], candidates[:, 2])
    ids = candidates[inside, 0].astype(int).tolist()
    return queryset.filter(pk__in=ids_subquery(ids))


def incidents_near(
    queryset: _Incidents, *, longitude: float, latitude: float, radius_km: float
) -> _Incidents:
    """Incidents within ``radius_km`` of a point, by great-circle (haversine) distance.

    A bounding box around the circle narrows the rows first, so the latitude and
    longitude indexes do the work; the exact distance then decides. Where the box
    would cross the antimeridian or a pole, longitude is left to the distance alone.
    Annotates ``distance_km``.
    """
    angular = radius_km / EARTH_RADIUS_KM  # the radius as an angle, in radians
    dlat = math.degrees(angular)
    queryset = queryset.filter(
        latitude__gte=latitude - dlat, latitude__lte=latitude + dlat
    )
    # The circle's widest longitude span is asin(sin(r) / cos(lat)), not r / cos(lat);
    # when sin(r) >= cos(lat) the circle holds a pole and spans every longitude.
    sin_r, cos_lat = math.sin(angular), math.cos(math.radians(latitude))
    if sin_r < cos_lat and abs(latitude) + dlat < 90:
        dlon = math.degrees(math.asin(sin_r / cos_lat))
        if -180 <= longitude - dlon and longitude + dlon <= 180:
            queryset = queryset.filter(
                longitude__gte=longitude - dlon, longitude__lte=longitude + dlon
            )
    lat0 = math.radians(latitude)
    lat = Radians(F("latitude"))
    haversine = Power(Sin((lat - lat0) / 2), 2) + Value(math.cos(lat0)) * Cos(
        lat
    ) * Power(Sin((Radians(F("longitude")) - math.radians(longitude)) / 2), 2)
    distance = Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(haversine))
    return queryset.annotate(
        distance_km=ExpressionWrapper(distance, output_field=FloatField())
    ).filter(distance_km__lte=radius_km)
