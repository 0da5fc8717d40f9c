"""The map's clusters of published incidents, from the rollup when it can answer.

``published_clusters`` is what the clusters endpoint asks. A request filtered by box
and dates only, at a zoom up to ``rollup.BASE_ZOOM``, is merged from
``ClusterCell`` (per-day counts per base cell) instead of grouping every matching
incident: at a million incidents, the whole region at zoom 5 reads about 60,000
rollup rows instead of 900,000 incidents. Any other filter (site, actor, weapon,
text, near, …) is not in the rollup, so those requests group the incidents
themselves (``grid.incident_clusters``). Both give the same answer; the tests
compare them on random data, boxes, dates and zooms.

Exactness at the box's edge: a base cell whose members (in the date range) all lie
inside the box is taken whole from the rollup, and one whose members all lie
outside is left out, both judged from its stored extent. A cell the box cuts is
counted from the incidents themselves, reading only the rectangle where its members
and the box overlap. The cell index is monotonic in each coordinate, so every point
inside a cell's extent belongs to that cell: the rectangle holds no other cell's
incidents, and no member in the box lies outside it.
"""

import math
from dataclasses import replace
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Max, Min, Q, Sum

from .. import selectors
from ..models import UNPLACED_CELL, ClusterCell, Incident
from ..upkeep.rollup import BASE_CELL, BASE_ZOOM
from .grid import (
    MAX_CLUSTERS,
    MAX_ZOOM,
    MIN_ZOOM,
    CellGroup,
    cell_groups,
    describe_singles,
    feature_collection,
    in_box,
    incident_clusters,
)

# More cut cells than this and one query over the incidents in the box is simpler
# than one rectangle each (a view at BASE_ZOOM has about 130 along its edges).
MAX_CUT_CELLS = 300

Box = tuple[float, float, float, float]


def published_clusters(*, filters: selectors.IncidentFilters, zoom: int) -> dict:
    """Published incidents matching ``filters`` grouped on the grid of ``zoom``
    (see ``grid.incident_clusters`` for the answer's shape); a cluster of one also
    names its incident's weapon (``grid.describe_singles``)."""
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise ValueError(f"zoom {zoom} is outside {MIN_ZOOM}..{MAX_ZOOM}")
    published = Incident.objects.published()
    clusters = None
    if rollup_can_answer(filters, zoom):
        clusters = rollup_clusters(
            zoom=zoom,
            bbox=filters.bbox,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
    if clusters is None:
        # The box is applied by incident_clusters, to placed incidents only, so
        # that the unplaced ones can still be counted.
        queryset = selectors.incident_filter(
            queryset=published, filters=replace(filters, bbox=None)
        )
        clusters = incident_clusters(queryset=queryset, zoom=zoom, bbox=filters.bbox)
    return describe_singles(clusters, published)


# A box narrower than this (degrees, either side) has few base cells inside it:
# its count is cheaper from the (status, longitude, latitude) index than from the
# rollup plus a query for every cell its edges cut.
COUNT_MIN_BOX_DEG = 1.0


def listed_count(filters: selectors.IncidentFilters) -> int | None:
    """What ``selectors.incident_list`` counts for ``filters``, from the rollup,
    when it can say and it pays: box and dates only, and no box or a wide one
    (the map's whole-region views). None means "count the rows"."""
    if not rollup_can_answer(filters, MIN_ZOOM):
        return None
    if filters.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = filters.bbox
        if min(max_lon - min_lon, max_lat - min_lat) < COUNT_MIN_BOX_DEG:
            return None
    answer = rollup_clusters(
        zoom=MIN_ZOOM,
        bbox=filters.bbox,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    if answer is None:
        return None
    # The list's box holds placed incidents only; without one it lists all.
    return answer["count"] + (answer["unplaced"] if filters.bbox is None else 0)


def rollup_can_answer(filters: selectors.IncidentFilters, zoom: int) -> bool:
    """Box and dates are all the rollup knows, and it holds cells down to
    ``BASE_ZOOM``."""
    rest = replace(filters, bbox=None, date_from=None, date_to=None)
    return zoom <= BASE_ZOOM and rest == selectors.IncidentFilters()


def base_index(coordinate: float, offset: float) -> int:
    """A coordinate's base cell index, as the rollup's SQL computes it (the same
    IEEE double operations, then floor)."""
    return math.floor((coordinate + offset) / BASE_CELL)


def rollup_clusters(
    *,
    zoom: int,
    bbox: Box | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict | None:
    """Clusters merged from the rollup (published incidents only), or None when
    the box cuts more than ``MAX_CUT_CELLS`` base cells."""
    if not MIN_ZOOM <= zoom <= BASE_ZOOM:
        raise ValueError(f"zoom {zoom} is outside {MIN_ZOOM}..{BASE_ZOOM}")
    shift = BASE_ZOOM - zoom
    cells = ClusterCell.objects.all()
    if date_from is not None:
        cells = cells.filter(day__gte=date_from)
    if date_to is not None:
        cells = cells.filter(day__lte=date_to)
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        window = Q(
            cell_x__range=(base_index(min_lon, 180.0), base_index(max_lon, 180.0)),
            cell_y__range=(base_index(min_lat, 90.0), base_index(max_lat, 90.0)),
        )
        cells = cells.filter(window | Q(cell_x=UNPLACED_CELL))
    per_cell = (
        cells.values("cell_x", "cell_y")
        .annotate(
            members=Sum("members"),
            sum_lon=Sum("sum_longitude"),
            sum_lat=Sum("sum_latitude"),
            min_lon=Min("min_longitude"),
            min_lat=Min("min_latitude"),
            max_lon=Max("max_longitude"),
            max_lat=Max("max_latitude"),
            first_id=Min("first_id"),
        )
        .order_by()
    )
    merged: dict[tuple[int, int], CellGroup] = {}
    unplaced, cut = 0, []
    for row in per_cell:
        if row["cell_x"] == UNPLACED_CELL:
            unplaced += row["members"]
            continue
        group = CellGroup(**row)
        if bbox is None or _inside(group, bbox):
            _add(merged, group, shift)
        elif not _outside(group, bbox):
            cut.append(group)
    if len(cut) > MAX_CUT_CELLS:
        return None
    if cut and bbox is not None:
        for row in _cut_rows(cut, zoom, bbox, date_from, date_to):
            _add(merged, CellGroup(**row), 0)
    return feature_collection(merged.values(), unplaced=unplaced, zoom=zoom)


def _add(merged: dict, group: CellGroup, shift: int) -> None:
    key = (group.cell_x >> shift, group.cell_y >> shift)
    group.cell_x, group.cell_y = key
    if key in merged:
        merged[key].merge(group)
    else:
        merged[key] = group


def _inside(group: CellGroup, bbox: Box) -> bool:
    min_lon, min_lat, max_lon, max_lat = bbox
    return (
        group.min_lon >= min_lon
        and group.max_lon <= max_lon
        and group.min_lat >= min_lat
        and group.max_lat <= max_lat
    )


def _outside(group: CellGroup, bbox: Box) -> bool:
    min_lon, min_lat, max_lon, max_lat = bbox
    return (
        group.max_lon < min_lon
        or group.min_lon > max_lon
        or group.max_lat < min_lat
        or group.min_lat > max_lat
    )


def _cut_rows(
    cut: list[CellGroup],
    zoom: int,
    bbox: Box,
    date_from: date | None,
    date_to: date | None,
) -> list[dict]:
    """The members in ``bbox`` of the cut base cells, grouped at ``zoom``."""
    min_lon, min_lat, max_lon, max_lat = bbox
    rectangles = [
        in_box(
            (
                max(group.min_lon, min_lon),
                max(group.min_lat, min_lat),
                min(group.max_lon, max_lon),
                min(group.max_lat, max_lat),
            )
        )
        for group in cut
    ]
    queryset = selectors.incident_filter(
        queryset=Incident.objects.published(),
        filters=selectors.IncidentFilters(date_from=date_from, date_to=date_to),
    ).filter(reduce(or_, rectangles))
    return cell_groups(queryset, zoom, limit=MAX_CLUSTERS + 1)
