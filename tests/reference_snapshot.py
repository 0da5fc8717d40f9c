"""The reference data, loaded once per test session and copied into each test.

``load_reference_data`` saves some 3,000 rows one at a time (``loaddata``, with
every signal), which costs 1 s a test on SQLite and 2-3 s on PostgreSQL; some 300
tests ask for it. So the ``reference_data`` fixture runs the real command once,
inside a transaction it rolls back, records every row the command wrote
(``capture``), and gives each test the same rows with one ``bulk_create`` per
table (``restore``), then does what the command does after its load (timestamps
to now) and what its signals do (the data version moves).

What the command wrote is found by comparing every table before and after it,
so a table the command comes to write later (a new model, a signal's side table)
is copied too, with nothing here to update. ``tests/ingest/reference/test_fixtures.py``
holds the copy to the command's own result, row for row.
"""

import contextlib
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone

from incidents.models import DataVersion, Incident
from incidents.services import database_has_content
from incidents.upkeep.freshness import SINGLETON


@dataclass(frozen=True)
class Snapshot:
    rows: tuple[tuple[type[Model], tuple[dict, ...]], ...]  # in the command's order
    versions: int  # how far the command moved the data version


def _models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model is not DataVersion
    ]


def _version() -> int:
    row = DataVersion.objects.filter(pk=SINGLETON).values_list("version", flat=True)
    return row.first() or 0


def _rows(model: type[Model]) -> dict:
    names = [field.attname for field in model._meta.concrete_fields]
    return {row["pk"]: row for row in model.objects.values("pk", *names).order_by("pk")}


def table_rows() -> dict[type[Model], dict]:
    """Every row of every table, by model and primary key."""
    return {model: _rows(model) for model in _models()}


def capture() -> Snapshot:
    """Run the real command in a transaction rolled back after, and keep what it
    wrote. Call with database access and an empty reference state."""
    with transaction.atomic():
        before, version = table_rows(), _version()
        call_command("load_reference_data", verbosity=0)
        after, moved = table_rows(), _version() - version
        transaction.set_rollback(True)
    rows = []
    for model, now in after.items():
        new = tuple(
            {k: v for k, v in row.items() if k != "pk"}
            for pk, row in now.items()
            if pk not in before[model]
        )
        if new:
            rows.append((model, new))
    return Snapshot(tuple(rows), moved)


@contextlib.contextmanager
def _as_written(model: type[Model]):
    """``loaddata`` saves rows raw, with the dates they carry; ``bulk_create``
    would set ``auto_now``/``auto_now_add`` fields to now, so they are off here."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    flags = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, flags, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def restore(snapshot: Snapshot) -> None:
    """Write the snapshot's rows, as the command would have: not over data (the
    command then skips), timestamps to now, the data version moved."""
    with transaction.atomic():
        if database_has_content():
            return
        for model, rows in snapshot.rows:
            with _as_written(model):
                model.objects.bulk_create([model(**row) for row in rows])
        # Rows came with their primary keys: the next insert must not reuse one.
        statements = connection.ops.sequence_reset_sql(
            no_style(), [model for model, _rows in snapshot.rows]
        )
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        now = timezone.now()
        Incident.objects.update(created_at=now, updated_at=now)
        # The command's signals write history rows dated when they ran.
        for model, _rows in snapshot.rows:
            if any(f.name == "history_date" for f in model._meta.concrete_fields):
                model.objects.update(history_date=now)
        bumped = DataVersion.objects.filter(pk=SINGLETON).update(
            version=F("version") + snapshot.versions,
            changed_at=now,
            public_version=F("public_version") + snapshot.versions,
            public_changed_at=now,
        )
        if not bumped:
            DataVersion.objects.create(
                pk=SINGLETON,
                version=snapshot.versions,
                changed_at=now,
                public_version=snapshot.versions,
                public_changed_at=now,
            )
