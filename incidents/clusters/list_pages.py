"""One page of a long, newest-first incident list in a box, read the way SQLite
does it fast.

The list beside the map asks for the newest incidents in its view. With many
matches SQLite's planner takes the (status, longitude, latitude) index for the box
and then sorts every match: 1.3 s for the 890,000 of a region-wide view at a
million incidents (bench/scale.py). Walking the (status, occurred_on, …,
longitude, latitude) index newest first and checking the box from that index's own
columns stops after one page: 0.4 ms. The ORM cannot name an index, so for the
page the longitude bounds are written as ``longitude + 0``, which no index serves,
and the planner takes the date walk.

Only for the page (the count keeps the box index, 52 ms for the same view), only
above ``MANY_MATCHES`` (with few matches it is the other way round: the date walk
would read the whole index to find them, 69 ms for an empty box, against 0 ms),
only when the order is by date, and only on SQLite: PostgreSQL's planner finds
the date walk by itself.
"""

from collections.abc import Callable
from dataclasses import replace

from django.db import connection
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.expressions import ExpressionWrapper

from ..models import Incident
from ..selectors import IncidentFilters

MANY_MATCHES = 1_000


def page_queryset(
    build: Callable[[IncidentFilters], QuerySet[Incident]],
    *,
    filters: IncidentFilters,
    count: int,
    ordering: list[str],
) -> QuerySet[Incident]:
    """The queryset to slice one page from: ``build(filters)`` ordered by
    ``ordering``, or the same rows with the box written to read the date index."""
    walk_dates = (
        connection.vendor == "sqlite"
        and filters.bbox is not None
        and count > MANY_MATCHES
        and ordering[0].lstrip("-") == "occurred_on"
    )
    if not walk_dates or filters.bbox is None:
        return build(filters).order_by(*ordering)
    min_lon, min_lat, max_lon, max_lat = filters.bbox
    unindexed = ExpressionWrapper(
        F("longitude") + Value(0.0), output_field=FloatField()
    )
    return (
        build(replace(filters, bbox=None))
        .alias(longitude_unindexed=unindexed)
        .filter(
            longitude_unindexed__gte=min_lon,
            longitude_unindexed__lte=max_lon,
            latitude__gte=min_lat,
            latitude__lte=max_lat,
        )
        .order_by(*ordering)
    )
