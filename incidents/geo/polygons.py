"""Polygons from untrusted text (the API's ``within``): GeoJSON geometry or WKT,
checked with shapely, prepared for many point tests. Any problem is a
``ValueError`` whose message says what is wrong.
"""

import json

import shapely
from shapely.errors import GeometryTypeError, GEOSException
from shapely.geometry import shape

MAX_POLYGON_LENGTH = 10_000
MAX_POLYGON_VERTICES = 1_000


def parse_polygon(text: str):
    """A Polygon or MultiPolygon, as GeoJSON geometry or WKT, in lon/lat degrees."""
    if len(text) > MAX_POLYGON_LENGTH:
        raise ValueError(f"longer than {MAX_POLYGON_LENGTH:,} characters")
    if not text.strip():
        # shapely.from_wkt("") raises IndexError, not a parse error.
        raise ValueError("empty: give a GeoJSON or WKT polygon")
    try:
        if text.lstrip().startswith("{"):
            geometry = shape(json.loads(text))
        else:
            geometry = shapely.from_wkt(text)
    except RecursionError:
        raise ValueError("nested too deeply to be GeoJSON geometry") from None
    except (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        IndexError,
        GEOSException,
        GeometryTypeError,
    ) as exc:
        # GeometryTypeError: a GeoJSON "type" shapely does not know (a Feature...).
        raise ValueError(f"not GeoJSON or WKT geometry ({str(exc)[:80]})") from None
    if geometry is None or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        kind = geometry.geom_type if geometry is not None else "nothing"
        raise ValueError(f"must be a Polygon or MultiPolygon, not {kind}")
    if geometry.is_empty:
        raise ValueError("the polygon is empty")
    if shapely.get_num_coordinates(geometry) > MAX_POLYGON_VERTICES:
        raise ValueError(f"more than {MAX_POLYGON_VERTICES:,} vertices")
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError("coordinates must be longitude, latitude in WGS84 degrees")
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise ValueError(f"invalid polygon: {reason}")
    shapely.prepare(geometry)
    return geometry
