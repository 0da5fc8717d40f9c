"""``GET /api/v1/incidents/clusters/``: published incidents grouped on a grid for
the map at a given zoom (the grouping is ``incidents.clusters.grid``, or merged from the
per-day rollup by ``incidents.clusters.from_rollup`` when it can answer).

Like the stats endpoints, it counts **published incidents only**, for every caller,
and has no ``status`` parameter: a map of clusters is a public figure. It takes every
incident filter that ``/api/v1/incidents/`` takes, plus the required ``zoom``.
``bbox`` limits the placed incidents only; ``unplaced`` counts the matching
incidents without a point whatever the box. Bodies are cached under the data
version, as the stats' are (``caching``): readers looking at the same view of the
map share one grouping until the data changes.
"""

from dataclasses import replace

from django.http import HttpResponse
from rest_framework.request import Request
from rest_framework.views import APIView

from ..clusters.from_rollup import published_clusters
from ..clusters.grid import (
    CELL_PIXELS,
    MAX_CLUSTERS,
    MAX_ZOOM,
    MIN_ZOOM,
    TILE_PIXELS,
    TooManyCells,
)
from ..filters import params as p
from ..filters import parsers as pp
from ..filters.query import incident_filters
from .caching import CachedAggregateMixin
from .schema import document
from .schema_shapes import BAD_INPUT
from .stats_views import STATS_FILTERS
from .views import geojson_response

ZOOM = p.Param(
    "zoom",
    pp.whole_number(MIN_ZOOM, MAX_ZOOM),
    f"Required. Web Mercator zoom level, {MIN_ZOOM} to {MAX_ZOOM}: cells are "
    f"{CELL_PIXELS} × 360 / ({TILE_PIXELS} × 2^zoom) degrees square, about "
    f"{CELL_PIXELS} pixels wide on a map at that zoom, anchored at longitude -180 "
    f"and latitude -90. An answer holds at most {MAX_CLUSTERS:,} clusters; more "
    "is a 400 (narrow the bbox or lower the zoom).",
    "5",
    required=True,
)
CLUSTER_FILTERS = tuple(
    replace(
        param,
        description="Only incidents placed in this box `minlon,minlat,maxlon,maxlat` "
        "(WGS84 degrees, edges included); default the whole world. Cells cut by the "
        "edge hold only their members inside it.",
    )
    if param.name == "bbox"
    else param
    for param in STATS_FILTERS
)
CLUSTER_PARAMS = (ZOOM, *CLUSTER_FILTERS)

_NUMBER = {"type": "number"}
CLUSTERS = {
    "type": "object",
    "description": "RFC 7946 FeatureCollection: one Point feature per grid cell "
    "with matching incidents, ordered south to north, then west to east.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "count": {
            "type": "integer",
            "description": "Matching published incidents placed in the box: the sum "
            "of the features' counts.",
        },
        "unplaced": {
            "type": "integer",
            "description": "Matching published incidents without a point (never "
            "limited by bbox; always 0 with near).",
        },
        "zoom": {"type": "integer"},
        "cell_deg": {**_NUMBER, "description": "Cell width and height in degrees."},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "description": "geometry: the mean of the members' points "
                "[longitude, latitude], 6 decimals.",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": {"type": "object"},
                    "properties": {
                        "type": "object",
                        "properties": {
                            "count": {"type": "integer", "minimum": 1},
                            "bbox": {
                                "type": "array",
                                "items": _NUMBER,
                                "minItems": 4,
                                "maxItems": 4,
                                "description": "[minlon, minlat, maxlon, maxlat] "
                                "of the members, to zoom to.",
                            },
                            "incident": {
                                "type": "integer",
                                "description": "The incident's id; only when "
                                "count is 1.",
                            },
                            "weapon": {
                                "type": "string",
                                "description": "The incident's weapon, as "
                                "/api/v1/incidents/ gives it (empty for none); "
                                "only when count is 1.",
                            },
                        },
                    },
                },
            },
        },
    },
}


class IncidentClustersView(CachedAggregateMixin, APIView):
    """GET: published incidents grouped on a zoom-dependent grid, as GeoJSON."""

    @document(
        "incident_clusters",
        spec={
            "summary": "Published incidents grouped into map clusters for a zoom",
            "parameters": list(CLUSTER_PARAMS),
            "responses": {200: CLUSTERS, 400: BAD_INPUT},
            "media_types": ["application/geo+json"],
        },
    )
    def get(self, request: Request) -> HttpResponse:
        parsed = p.parse_query(request.query_params, CLUSTER_PARAMS)
        if "zoom" not in parsed:
            raise pp.ParamError(
                {"zoom": f"required: a whole number from {MIN_ZOOM} to {MAX_ZOOM}"}
            )
        try:
            clusters = published_clusters(
                filters=incident_filters(parsed), zoom=parsed["zoom"]
            )
        except TooManyCells as refused:
            raise pp.ParamError({"zoom": str(refused), "bbox": str(refused)}) from None
        return geojson_response(clusters)
