"""The import's database side: which incidents exist, and fast inserts
(``executemany``, each value prepared by one function chosen per field).

``bulk_create`` was measured at about 2,200 ACLED rows per second (each row is an
incident plus ~5 related rows): Django's insert compiler builds every value of
every row through several layers of Python (``prepare_value``, ``pre_save``,
``get_db_prep_save``), and that, not the database, took two thirds of the time.
Here the SQL is built once per table and each value is adapted by one function
chosen per field (dates, times, JSON), or passed as is; the database driver does
the rest. Columns come from the model's own metadata and values go through the
backend's own adapters, so this runs on SQLite and PostgreSQL alike, and a field
added to the model later gets its default without a change here.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models

from incidents.models import Incident

_MISSING = object()


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.TimeField):
        return ops.adapt_timefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


class TableWriter:
    """``INSERT`` of many rows of ``model``, each given as ``{attname: value}``;
    a field not given gets its model default."""

    def __init__(self, model: type[models.Model]):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self._fields = [(f.attname, f.get_default, _adapter(f)) for f in fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        # Only names from the model's metadata, quoted: no outside text in the SQL.
        self._sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        )

    def insert(self, rows: Iterable[dict[str, Any]]) -> None:
        # Dates and timestamps repeat (one "now" for every row, a few hundred
        # days): adapting each distinct value once saves a third of the loop.
        adapted: dict[tuple, Any] = {}
        values = []
        for row in rows:
            get = row.get
            prepared = []
            for attname, default, adapt in self._fields:
                value = get(attname, _MISSING)
                if value is _MISSING:
                    value = default()
                if adapt is not None and value is not None:
                    if isinstance(value, dict):
                        value = adapt(value)
                    else:
                        key = (attname, value)
                        if key in adapted:
                            value = adapted[key]
                        else:
                            value = adapted[key] = adapt(value)
                prepared.append(value)
            values.append(prepared)
        if values:
            with connection.cursor() as cursor:
                cursor.executemany(self._sql, values)


def incident_ids(external_ids: list[str]) -> dict[str, int]:
    """external_id -> pk, for ids just inserted (external ids are unique when set).

    The ``exclude`` repeats the unique index's own condition, so that the
    database can use that partial index for the lookup.
    """
    return dict(
        Incident.objects.filter(external_id__in=external_ids)
        .exclude(external_id="")
        .order_by()
        .values_list("external_id", "pk")
    )
