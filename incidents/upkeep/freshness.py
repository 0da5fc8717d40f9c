"""Bumping and reading the data version (``incidents.models.DataVersion``).

Every write path readers could see calls ``data_changed()`` inside its own
transaction: model signals cover the ORM's saves and deletes (admin, API, workflow,
articles, restore), and the bulk writers (ACLED import, synthetic data) call it
themselves, since ``bulk_create``, ``executemany`` and ``QuerySet.update`` send no
signals. Because the bump commits or rolls back with the change, a reader never
sees new data under an old version, nor a new version over old data for long.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models.freshness import SINGLETON, DataVersion

# How long an aggregate cached under one data version is kept (the API's, the
# figures page's). Old versions' entries are never asked for again; the timeout only
# bounds how long they hold memory (LocMemCache also culls the least recently used
# at MAX_ENTRIES).
AGGREGATE_TIMEOUT = 15 * 60


@dataclass(frozen=True)
class Freshness:
    version: int
    changed_at: datetime

    @property
    def token(self) -> str:
        """What validators and cache keys should use: the version alone repeats
        after a database is rebuilt or restored (it starts again at 1), the
        version with the time of its last change does not."""
        return f"{self.version}.{int(self.changed_at.timestamp() * 1_000_000)}"


def data_changed() -> None:
    """Mark that data readers can see has changed (call inside the write's
    transaction)."""
    now = timezone.now()
    with transaction.atomic():
        bumped = DataVersion.objects.filter(pk=SINGLETON).update(
            version=F("version") + 1, changed_at=now
        )
        if not bumped:
            # A database flushed by tests or restored from an old backup has no
            # row; the first change makes it.
            DataVersion.objects.get_or_create(
                pk=SINGLETON, defaults={"version": 1, "changed_at": now}
            )


def data_freshness() -> Freshness:
    """The current version and when it last changed (version 0, at the epoch, on a
    database nothing has been written to)."""
    row = (
        DataVersion.objects.filter(pk=SINGLETON)
        .values_list("version", "changed_at")
        .first()
    )
    if row is None:
        return Freshness(0, datetime.fromtimestamp(0, tz=UTC))
    return Freshness(*row)
