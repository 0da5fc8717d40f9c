"""The whole-set CSV export (``/api/v1/incidents/export/?format=csv``), row by row
from the database to ``csv.writer``, byte for byte the paginated CSV.

The paginated CSV goes through GeoJSON features (``features.incident_features``)
and turns each into a row (``csv_rows.incident_csv_row``): right for a page, but for
a million rows most of the time went on what the CSV then throws away (nested
dicts per site, actor and source, every source's title and publisher, Django's
type converters). Here the incident columns the CSV has are read in one ordered
query through the DB-API cursor, without Django's converters, and per chunk of rows
only the slugs, roles, URLs and stances of the related rows, in link order.
``bench/scale.py`` measures it against reading the incident columns alone; a test
holds its bytes to the paginated CSV's.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache

from django.db import connection
from django.db.models import QuerySet

from ..models import Citation, Incident, Involvement
from ..rules.confidence import derive_confidence
from ..sql_ids import column_in_ids
from .csv_rows import INCIDENT_CSV_COLUMNS, csv_lines
from .formula_guard import guarded

# The CSV's columns that are the incident's own, in the CSV's order; the others
# come from its citations, sites and actors.
DERIVED = ("confidence", "sites", "actors", "source_urls")
COLUMNS = tuple(column for column in INCIDENT_CSV_COLUMNS if column not in DERIVED)
COORDINATE_DECIMALS = 6  # as ``geojson.point``
TOMBSTONES = frozenset({Incident.Status.RETRACTED.value, Incident.Status.MERGED.value})
_AT = {column: i for i, column in enumerate(INCIDENT_CSV_COLUMNS)}


@lru_cache(maxsize=1024)
def _confidence(cited: tuple[tuple[str, str], ...]) -> str:
    """``derive_confidence`` of (stance, source kind) pairs; few distinct tuples
    recur across a million incidents, so each is derived once."""
    return derive_confidence(cited).value


def _iso_datetime(value) -> str:
    """``updated_at`` as the API writes it: ISO 8601 in UTC with its offset.
    SQLite hands back the stored text (UTC, no offset), PostgreSQL an aware
    datetime in the connection's time zone, UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _iso_date(value) -> str:
    return value.isoformat() if isinstance(value, date) else value


def _rounded(value: float | None):
    return None if value is None else round(value, COORDINATE_DECIMALS)


def _of(model, ids: Sequence[int]):
    return column_in_ids(model._meta.db_table, "incident_id", ids)


def _related(ids: Sequence[int]) -> tuple[dict, dict, dict]:
    """Per incident id: site slugs, ``slug:role`` of actors, and (url, kind,
    stance) of citations, each in link order."""
    sites, actors, cited = defaultdict(list), defaultdict(list), defaultdict(list)
    through = Incident.sites.through
    for incident_id, slug in (
        through.objects.filter(
            column_in_ids(through._meta.db_table, "incident_id", ids)
        )
        .order_by("id")
        .values_list("incident_id", "site__slug")
    ):
        sites[incident_id].append(slug)
    for incident_id, slug, role in (
        Involvement.objects.filter(_of(Involvement, ids))
        .order_by("id")
        .values_list("incident_id", "actor__slug", "role")
    ):
        actors[incident_id].append(f"{slug}:{role}")
    for incident_id, *citation in (
        Citation.objects.filter(_of(Citation, ids))
        .order_by("id")
        .values_list("incident_id", "source__url", "source__kind", "stance")
    ):
        cited[incident_id].append(citation)
    return sites, actors, cited


def _csv_rows(rows: list[tuple]) -> list[list]:
    """Rows in ``INCIDENT_CSV_COLUMNS`` order, as ``csv_rows.incident_csv_row``
    writes a feature (a retracted or merged incident as its tombstone: id,
    status, ``updated_at`` and a merged one's ``merged_into`` only)."""
    live = [row[0] for row in rows if row[12] not in TOMBSTONES]
    sites, actors, cited = _related(live) if live else ({}, {}, {})
    out = []
    for (
        pk,
        occurred_on,
        date_precision,
        event_type,
        weapon,
        longitude,
        latitude,
        precision_m,
        country,
        admin1,
        injured,
        killed,
        status,
        summary,
        external_id,
        updated_at,
        merged_into,
    ) in rows:
        if status in TOMBSTONES:
            tombstone: list[object] = [None] * len(INCIDENT_CSV_COLUMNS)
            tombstone[_AT["id"]], tombstone[_AT["status"]] = pk, status
            tombstone[_AT["updated_at"]] = _iso_datetime(updated_at)
            tombstone[_AT["merged_into"]] = merged_into
            out.append(tombstone)
            continue
        citations = cited.get(pk, ())
        out.append(
            [
                pk,
                _iso_date(occurred_on),
                date_precision,
                event_type,
                weapon,
                _rounded(longitude),
                _rounded(latitude),
                precision_m,
                country,
                guarded(admin1),
                injured,
                killed,
                _confidence(tuple((stance, kind) for _u, kind, stance in citations)),
                status,
                # Every text cell guarded (slugs may start with "-"), as csv_rows.
                guarded(" ; ".join(sites.get(pk, ()))),
                guarded(" ; ".join(actors.get(pk, ()))),
                guarded(" ; ".join(url for url, _k, _s in citations if url)),
                guarded(summary),
                guarded(external_id),
                _iso_datetime(updated_at),
                None,
            ]
        )
    return out


def csv_export_stream(
    queryset: QuerySet[Incident], *, chunk_size: int
) -> Iterator[str]:
    """The header, then every incident of ``queryset`` (filtered and ordered) in
    its order, ``chunk_size`` rows at a time."""
    yield csv_lines([list(INCIDENT_CSV_COLUMNS)])
    # Through the DB-API cursor: Django's converters would parse every date and
    # timestamp only for them to be written out as text again. A chunked cursor
    # (server-side on PostgreSQL) keeps one chunk in memory.
    sql, params = queryset.values_list(*COLUMNS).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield csv_lines(_csv_rows(rows))
