"""Keeping ``ClusterCell``, the per-day, per-cell counts of published incidents,
equal to what the incidents say, in the same transaction as every write.

Why: clusters of the whole region at a low zoom read every published incident (at a
million, 0.3–0.6 s on this machine whatever the index); the rollup holds about one
row per (day, cell) with incidents, some 60,000 at a million incidents, and clusters
at any zoom up to ``BASE_ZOOM`` are merged from it exactly (``clusters.from_rollup``).

How it stays right, per write path:

- the ORM's per-row saves and deletes (admin, API, workflow, articles): model
  signals recompute the rows of the day the incident had before the save and the
  day it has after, from the incidents table, by the (status, occurred_on, …)
  index: one day is about 1,000 incidents at a million over three years;
- bulk writers call ``refresh_days`` (ACLED import: the days it touched;
  ``remove_synthetic``: the days removed) or ``add_incidents`` (synthetic data:
  new rows only, merged into the existing counts, so a million rows in chunks cost
  as much as the rows, not chunks × table);
- ``restore`` and migrations ``rebuild()`` the whole table, with per-row upkeep
  paused (``rebuilt_after``).

A cell is the clusters' own grid cell (``clusters.grid``), computed by the same
SQL expression at ``BASE_ZOOM``. The grid at a coarser zoom z is the same grid with
cells 2**(BASE_ZOOM - z) times wider, and since scaling by a power of two is exact
in binary floating point, floor(x / (c * 2**k)) = floor(x / c) >> k holds exactly:
a base cell lies in exactly the coarse cell the clusters' own query would give its
members.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save

from ..clusters.grid import cell_size
from ..models import UNPLACED_CELL, ClusterCell, Incident
from ..sql_ids import column_in_ids

BASE_ZOOM = 10
BASE_CELL = cell_size(BASE_ZOOM)  # 0.0823974609375°, exactly; about 9 km
# Days per statement: far below SQLite's parameter limit.
DAYS_PER_STATEMENT = 500

_paused: ContextVar[bool] = ContextVar("basewatch_rollup_paused", default=False)
# PostgreSQL advisory lock key ("bw_rollup" as a number): see ``_serialized``.
LOCK_KEY = 0x62775F726F6C6C75


def _serialized(cursor) -> None:
    """On PostgreSQL, hold one lock from here to the end of the transaction, so
    that rollup upkeep runs one transaction at a time. Without it, two writers of
    the same day each delete and recompute the day's rows from a snapshot without
    the other's incident: a lost count, a duplicate key or a deadlock. Once the
    first commits, the second's statements (READ COMMITTED: a new snapshot each)
    see its incidents and rows. SQLite lets one writer at a time in anyway."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _cell_sql(column: str, offset: float) -> str:
    """The clusters' cell index of ``column`` at ``BASE_ZOOM`` (see
    ``clusters.grid.CellIndex``: SQLite's cast truncates, PostgreSQL's rounds), or the
    unplaced cell for a missing coordinate."""
    shifted = f"({column} + {offset!r}) / {BASE_CELL!r}"
    if connection.vendor == "sqlite":
        index = f"CAST({shifted} AS INTEGER)"
    else:
        index = f"CAST(FLOOR({shifted}) AS INTEGER)"
    return f"COALESCE({index}, {UNPLACED_CELL})"


_COLUMNS = (
    "day, cell_x, cell_y, members, sum_longitude, sum_latitude, "
    "min_longitude, min_latitude, max_longitude, max_latitude, first_id"
)


def _aggregate_sql(condition: str) -> str:
    """SELECT of rollup rows for the published incidents matching ``condition``.
    Table and column names come from model metadata and constants only."""
    return (
        f"SELECT occurred_on, {_cell_sql('longitude', 180.0)}, "  # noqa: S608
        f"{_cell_sql('latitude', 90.0)}, COUNT(*), "
        "COALESCE(SUM(longitude), 0), COALESCE(SUM(latitude), 0), "
        "MIN(longitude), MIN(latitude), MAX(longitude), MAX(latitude), MIN(id) "
        f"FROM {Incident._meta.db_table} "
        f"WHERE status = %s AND {condition} "
        "GROUP BY 1, 2, 3"
    )


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def refresh_days(days: Iterable[date | str | None]) -> None:
    """Recompute the rollup rows of these days from the incidents table."""
    to_date = Incident._meta.get_field("occurred_on").to_python
    wanted = [
        connection.ops.adapt_datefield_value(day)
        for day in sorted({to_date(day) for day in days if day is not None})
    ]
    table = ClusterCell._meta.db_table
    if not wanted:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _serialized(cursor)
        for start in range(0, len(wanted), DAYS_PER_STATEMENT):
            chunk = wanted[start : start + DAYS_PER_STATEMENT]
            marks = _placeholders(len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE day IN ({marks})", chunk)  # noqa: S608
            cursor.execute(
                f"INSERT INTO {table} ({_COLUMNS}) "  # noqa: S608
                + _aggregate_sql(f"occurred_on IN ({marks})"),
                [Incident.Status.PUBLISHED, *chunk],
            )


def rebuild() -> None:
    """Recompute the whole rollup from the incidents table."""
    table = ClusterCell._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        _serialized(cursor)
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({_COLUMNS}) " + _aggregate_sql("1 = 1"),  # noqa: S608
            [Incident.Status.PUBLISHED],
        )


def _merge_sql() -> str:
    """Upsert that adds new rows' counts to existing ones (insert-only writers)."""
    table = ClusterCell._meta.db_table
    least, greatest = (
        ("min", "max") if connection.vendor == "sqlite" else ("LEAST", "GREATEST")
    )
    added = ", ".join(
        f"{column} = {table}.{column} + excluded.{column}"
        for column in ("members", "sum_longitude", "sum_latitude")
    )
    kept = ", ".join(
        f"{column} = {pick}({table}.{column}, excluded.{column})"
        for column, pick in (
            ("min_longitude", least),
            ("min_latitude", least),
            ("max_longitude", greatest),
            ("max_latitude", greatest),
            ("first_id", least),
        )
    )
    return f"ON CONFLICT (day, cell_x, cell_y) DO UPDATE SET {added}, {kept}"


def add_incidents(ids: Iterable[int]) -> None:
    """Count newly inserted incidents (ids not counted before) into the rollup.

    Only for rows that did not exist before: counts and sums add up, and the
    extent and first id only widen. An unplaced cell has no extent, and both
    SQLite's ``min`` and PostgreSQL's ``LEAST`` keep NULL there.
    """
    ids = sorted(ids)
    if not ids:
        return
    if ids[-1] - ids[0] + 1 == len(ids):
        # A block of ids (what synthetic data reserves): a range of the primary
        # key, and no other row can be in it.
        condition, params = "id BETWEEN %s AND %s", [ids[0], ids[-1]]
    else:
        some = column_in_ids(Incident._meta.db_table, "id", ids)
        condition, params = some.sql, list(some.params)
    with transaction.atomic(), connection.cursor() as cursor:
        _serialized(cursor)
        cursor.execute(
            f"INSERT INTO {ClusterCell._meta.db_table} ({_COLUMNS}) "  # noqa: S608
            + _aggregate_sql(condition)
            + " "
            + _merge_sql(),
            [Incident.Status.PUBLISHED, *params],
        )


@contextmanager
def rebuilt_after() -> Iterator[None]:
    """Pause per-row upkeep for a bulk load, then rebuild everything once (call
    inside the load's transaction, so the rollup commits with it)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)
    rebuild()


# --- per-row upkeep (connected in ``incidents.upkeep.signals``) ----------------------


def _remember_day(sender, instance: Incident, **kwargs) -> None:
    """Before a save: the day the stored row has now, which may be about to change."""
    if _paused.get() or instance.pk is None:
        instance._rollup_day_before = None
        return
    instance._rollup_day_before = (
        Incident.objects.filter(pk=instance.pk)
        .values_list("occurred_on", flat=True)
        .first()
    )


def _saved(sender, instance: Incident, **kwargs) -> None:
    if not _paused.get():
        before = getattr(instance, "_rollup_day_before", None)
        refresh_days([before, instance.occurred_on])


def _deleted(sender, instance: Incident, **kwargs) -> None:
    if not _paused.get():
        refresh_days([instance.occurred_on])


def connect() -> None:
    uid = "basewatch-rollup-incident"
    pre_save.connect(_remember_day, sender=Incident, dispatch_uid=f"{uid}-pre")
    post_save.connect(_saved, sender=Incident, dispatch_uid=f"{uid}-save")
    post_delete.connect(_deleted, sender=Incident, dispatch_uid=f"{uid}-delete")
