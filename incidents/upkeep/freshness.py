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


def data_changed(*, public: bool = True) -> None:
    """Mark that data has changed (call inside the write's transaction).
    ``public=False`` when readers cannot see the change (a draft's edit): only the
    editors' version moves. In doubt, a writer leaves it True: an ETag that moves
    for nothing costs a re-download, one that stays leaks nothing but serves stale
    data."""
    now = timezone.now()
    changes = {"version": F("version") + 1, "changed_at": now}
    if public:
        changes.update(public_version=F("public_version") + 1, public_changed_at=now)
    with transaction.atomic():
        bumped = DataVersion.objects.filter(pk=SINGLETON).update(**changes)
        if not bumped:
            # A database flushed by tests or restored from an old backup has no
            # row; the first change makes it.
            DataVersion.objects.get_or_create(
                pk=SINGLETON,
                defaults={
                    "version": 1,
                    "changed_at": now,
                    "public_version": 1,
                    "public_changed_at": now,
                },
            )


_EPOCH = datetime.fromtimestamp(0, tz=UTC)


def data_freshness(*, public: bool = False) -> Freshness:
    """The current version and when it last changed (version 0, at the epoch, on a
    database nothing has been written to): of everything, or with ``public`` of
    what anonymous readers can see."""
    fields = (
        ("public_version", "public_changed_at") if public else ("version", "changed_at")
    )
    row = DataVersion.objects.filter(pk=SINGLETON).values_list(*fields).first()
    if row is None:
        return Freshness(0, _EPOCH)
    version, changed_at = row
    return Freshness(version, changed_at or _EPOCH)
