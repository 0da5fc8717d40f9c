"""Incidents grouped on a grid for the map, so a browser never receives 100,000
points to draw (``GET /api/v1/incidents/clusters/``).

The grid is square in degrees, about ``CELL_PIXELS`` screen pixels wide at the
requested Web Mercator zoom (a tile is 256 pixels and spans 360 / 2**zoom degrees of
longitude), and anchored at longitude -180 and latitude -90 rather than at the view:
a cell's index depends only on the zoom and the point, so panning never reshuffles
which incidents share a cell. Cells are square in degrees, so they look taller than
wide away from the equator (1.2 times at Iraq's and Syria's latitudes); that is
enough to stop markers overlapping and keeps the SQL trivial.

Grouping, counting, the mean point and each cell's extent are one SQL query,
whatever the number of rows: nothing is done per incident in Python. For a request
filtered by box and dates only, ``from_rollup`` merges the same groups
from per-day counts kept on write instead, to the same answer. The members
are then exactly those the given queryset selects inside ``bbox``, so the counts add
up to what ``/api/v1/incidents/`` counts for the same filters. A cell cut by the
edge of ``bbox`` holds only its members inside it; a client that wants clusters at
the edge of its view not to change while panning asks for a box a little larger
than the view.

Incidents without a point cannot lie in any box; they are counted apart, in the same
query, as ``unplaced``, whatever ``bbox`` says, so a map can say how many matching
incidents it cannot draw.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Func, IntegerField, Max, Min, Q, QuerySet, Sum
from django.db.models.expressions import Value

from ..models import Incident

CELL_PIXELS = 60
TILE_PIXELS = 256
MIN_ZOOM = 0
MAX_ZOOM = 20
WORLD = (-180.0, -90.0, 180.0, 90.0)
DECIMALS = 6  # about 0.1 m, as the incidents API


# The most clusters one answer may hold: several times the cells of any screen
# (a 4K view holds about 2,300 cells of CELL_PIXELS), and every cell of the
# whole world up to zoom 5. It bounds the answer whatever the data: at zoom 20
# over the world, each of a million incidents would be a cluster of its own.
MAX_CLUSTERS = 10_000


class TooManyCells(ValueError):
    """The answer would hold more than ``MAX_CLUSTERS`` clusters."""


def cell_size(zoom: int) -> float:
    """Width and height of a grid cell in degrees at this zoom."""
    return CELL_PIXELS * 360 / (TILE_PIXELS * 2**zoom)


class CellIndex(Func):
    """The whole number of cells below a non-negative coordinate offset.

    ``floor`` and a cast to integer agree here because the offset (longitude + 180,
    latitude + 90) is never negative. SQLite's ``CAST(x AS INTEGER)`` truncates, so
    it needs neither its optional maths functions (3.35+) nor Django's Python
    fallback for ``FLOOR``, which would be called once per row. PostgreSQL's cast
    rounds to nearest, so it takes ``FLOOR`` first.
    """

    template = "CAST(FLOOR(%(expressions)s) AS INTEGER)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(%(expressions)s AS INTEGER)",
            **extra_context,
        )


def _index(field: str, offset: float, cell: float) -> CellIndex:
    shifted = (F(field) + Value(offset)) / Value(cell)
    return CellIndex(shifted, output_field=IntegerField())


def _round(value: float) -> float:
    return round(value, DECIMALS)


@dataclass
class CellGroup:
    """The members of one cell: what a cluster is built from, and what two partial
    groups of the same cell merge into (sums add, extents widen)."""

    cell_x: int
    cell_y: int
    members: int
    sum_lon: float
    sum_lat: float
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    first_id: int
    # The weapon of a group of one, when the query that built it read it
    # (``cell_groups``); None otherwise, and once groups merge.
    weapon: str | None = None

    def merge(self, other: "CellGroup") -> None:
        self.weapon = None
        self.members += other.members
        self.sum_lon += other.sum_lon
        self.sum_lat += other.sum_lat
        self.min_lon = min(self.min_lon, other.min_lon)
        self.min_lat = min(self.min_lat, other.min_lat)
        self.max_lon = max(self.max_lon, other.max_lon)
        self.max_lat = max(self.max_lat, other.max_lat)
        self.first_id = min(self.first_id, other.first_id)


def cell_groups(queryset: QuerySet[Incident], zoom: int, *, limit: int) -> list[dict]:
    """``queryset`` grouped by cell at ``zoom``, at most ``limit`` groups, in one
    SQL query. Rows without a point form one group whose cell is None."""
    cell = cell_size(zoom)
    rows = (
        queryset.annotate(
            cell_x=_index("longitude", 180.0, cell),
            cell_y=_index("latitude", 90.0, cell),
        )
        .values("cell_x", "cell_y")
        .annotate(
            members=Count("id"),
            first_id=Min("id"),
            sum_lon=Sum("longitude"),
            sum_lat=Sum("latitude"),
            min_lon=Min("longitude"),
            min_lat=Min("latitude"),
            max_lon=Max("longitude"),
            max_lat=Max("latitude"),
            # Of a group of one, its incident's weapon: in the same query, where
            # ``describe_singles`` would need another.
            weapon=Max("weapon"),
        )
        .order_by("cell_y", "cell_x")
    )
    return list(rows[:limit])


def feature_collection(
    groups: Iterable[CellGroup], *, unplaced: int, zoom: int
) -> dict:
    """The clusters answer: one Point feature per group, south to north, then west
    to east. Raises ``TooManyCells`` past ``MAX_CLUSTERS`` groups."""
    groups = sorted(groups, key=lambda group: (group.cell_y, group.cell_x))
    if len(groups) > MAX_CLUSTERS:
        raise TooManyCells(
            f"more than {MAX_CLUSTERS:,} clusters at zoom {zoom} in this box: "
            "narrow the bbox or lower the zoom"
        )
    features = []
    for group in groups:
        properties = {
            "count": group.members,
            "bbox": [
                _round(group.min_lon),
                _round(group.min_lat),
                _round(group.max_lon),
                _round(group.max_lat),
            ],
        }
        if group.members == 1:
            properties["incident"] = group.first_id
            if group.weapon is not None:
                properties["weapon"] = group.weapon
        mean = [group.sum_lon / group.members, group.sum_lat / group.members]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_round(v) for v in mean]},
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "count": sum(group.members for group in groups),
        "unplaced": unplaced,
        "zoom": zoom,
        "cell_deg": cell_size(zoom),
        "features": features,
    }


def incident_clusters(
    *,
    queryset: QuerySet[Incident],
    zoom: int,
    bbox: tuple[float, float, float, float] | None = None,
) -> dict:
    """The incidents of ``queryset`` placed in ``bbox`` (default: the whole world),
    grouped on the grid of ``zoom``, as an RFC 7946 FeatureCollection with
    ``count``, ``unplaced``, ``zoom`` and ``cell_deg``, computed from the rows.

    ``queryset`` must not already be limited to ``bbox``, or ``unplaced`` would be
    0: the box is applied here, to placed incidents only.
    """
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise ValueError(f"zoom {zoom} is outside {MIN_ZOOM}..{MAX_ZOOM}")
    if bbox is not None:
        # A point needs both coordinates; an incident missing either is unplaced.
        # Its cell index is NULL (arithmetic on NULL), so all unplaced rows form one
        # group. The table's constraint (``coordinates_paired``) keeps both set or
        # both empty, so testing longitude alone is the same test, and unlike
        # "latitude or longitude is NULL" it is one more range of the (status,
        # longitude, latitude) index: the box and the unplaced rows are read from
        # that index, not from the whole table.
        queryset = queryset.filter(in_box(bbox) | Q(longitude__isnull=True))
    # Without a box (the whole WORLD) every row qualifies, placed or not: the
    # table's constraints keep coordinates in range or empty. No condition is
    # added, so a date range alone is answered from the (status, occurred_on, ...,
    # longitude, latitude) index.
    # One more than allowed, plus the unplaced group: enough to know it is too many
    # without building them all.
    rows = cell_groups(queryset, zoom, limit=MAX_CLUSTERS + 2)
    placed = [CellGroup(**row) for row in rows if row["cell_x"] is not None]
    unplaced = sum(row["members"] for row in rows if row["cell_x"] is None)
    return feature_collection(placed, unplaced=unplaced, zoom=zoom)


def describe_singles(collection: dict, queryset: QuerySet[Incident]) -> dict:
    """Give each one-incident cluster of ``collection`` its incident's ``weapon``
    (as ``/api/v1/incidents/`` spells it, "" for none), so that a map draws it as
    that incident, in its weapon's colour, rather than as a cell of one. One query
    by primary key among ``queryset`` (the published incidents) for at most
    ``MAX_CLUSTERS`` ids, and only for those the grouping did not already name
    (the rollup's cells know counts, not weapons); a cluster whose incident is not
    there keeps no weapon.
    """
    singles = {
        feature["properties"]["incident"]: feature["properties"]
        for feature in collection["features"]
        if "incident" in feature["properties"] and "weapon" not in feature["properties"]
    }
    if singles:
        found = queryset.filter(pk__in=list(singles)).values_list("pk", "weapon")
        for pk, weapon in found:
            singles[pk]["weapon"] = weapon
    return collection


def in_box(bbox: tuple[float, float, float, float]) -> Q:
    """Placed incidents in ``bbox``, edges included."""
    min_lon, min_lat, max_lon, max_lat = bbox
    return Q(
        longitude__gte=min_lon,
        longitude__lte=max_lon,
        latitude__gte=min_lat,
        latitude__lte=max_lat,
    )
