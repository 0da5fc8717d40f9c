"""A column is one of many ids, bound as a single SQL parameter.

A 10,000-item ``IN (%s, %s, ...)`` costs Django a parameter per id to prepare, hits
SQLite's variable limit past 32,766, and with planner statistics present led SQLite
into a plan that probed an index for every (row, id) pair. One JSON array (SQLite's
``json_each``) or one array (PostgreSQL's ``ANY``) avoids all three.
"""

from collections.abc import Sequence

import orjson
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def column_in_ids(table: str, column: str, ids: Sequence[int]) -> RawSQL:
    """``table.column`` is one of ``ids``. ``table`` and ``column`` come from model
    metadata, never from input; the ids are a bound parameter."""
    qualified = f'"{table}"."{column}"'
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611
            f"{qualified} = ANY(%s)", [list(ids)], output_field=BooleanField()
        )
    return RawSQL(  # noqa: S611
        f"{qualified} IN (SELECT value FROM json_each(%s))",  # noqa: S608
        [orjson.dumps(list(ids)).decode()],
        output_field=BooleanField(),
    )


def ids_subquery(ids: Sequence[int]) -> RawSQL:
    """The ``ids`` as a one-column subquery bound as one parameter, for
    ``filter(pk__in=ids_subquery(ids))``. Unlike ``column_in_ids`` it names no
    table, so it stays right when Django aliases the table (the queryset used
    inside another query, as the per-actor statistics do)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])  # noqa: S611
    return RawSQL(  # noqa: S611
        "SELECT value FROM json_each(%s)", [orjson.dumps(list(ids)).decode()]
    )
