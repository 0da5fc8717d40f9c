"""Whole-set downloads, streamed: every incident a filter matches, as GeoJSON, CSV
or ACLED-style CSV, in constant memory whatever their number.

Pages of ``IDS_PER_CHUNK`` incidents are built on the same fast path as the paginated
API (``features.incident_features``: four queries a chunk), or for CSV on a leaner one
that skips the features (``csv_stream``), and written out at once; only one chunk is
ever in memory. The ids come from one ordered query read as it
goes (``iterator``), so the order is the list's and no row is read twice.
"""

from collections.abc import Iterator

import orjson
from django.db.models import QuerySet

from ..ingest.acled import export_acled_lines
from ..models import Incident
from .csv_stream import csv_export_stream
from .features import incident_features

IDS_PER_CHUNK = 2000


def _chunks(queryset: QuerySet[Incident]) -> Iterator[QuerySet[Incident]]:
    ordering = queryset.query.order_by
    chunk: list[int] = []
    ids = queryset.values_list("id", flat=True).iterator(chunk_size=IDS_PER_CHUNK)
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == IDS_PER_CHUNK:
            yield Incident.objects.filter(pk__in=chunk).order_by(*ordering)
            chunk = []
    if chunk:
        yield Incident.objects.filter(pk__in=chunk).order_by(*ordering)


def geojson_stream(queryset: QuerySet[Incident]) -> Iterator[bytes]:
    """One RFC 7946 FeatureCollection, written a chunk at a time."""
    yield b'{"type":"FeatureCollection","features":['
    first = True
    for chunk in _chunks(queryset):
        features = incident_features(chunk)
        if not features:
            continue
        body = b",".join(orjson.dumps(feature) for feature in features)
        yield body if first else b"," + body
        first = False
    yield b"]}"


def csv_stream(queryset: QuerySet[Incident]) -> Iterator[str]:
    """The paginated CSV's columns and rows, for the whole set (``csv_stream``)."""
    return csv_export_stream(queryset, chunk_size=IDS_PER_CHUNK)


def acled_stream(queryset: QuerySet[Incident]) -> Iterator[str]:
    return export_acled_lines(queryset)


STREAMS = {
    "geojson": (geojson_stream, "application/geo+json", "incidents.geojson"),
    "csv": (csv_stream, "text/csv; charset=utf-8", "incidents.csv"),
    "acled": (acled_stream, "text/csv; charset=utf-8", "incidents-acled.csv"),
}
