"""What keeps derived data current: the data version behind every ETag and cache
(``freshness``), the clusters' per-day rollup (``rollup``), and the model signals
that keep both current for the ORM's per-row saves and deletes (``signals``).

**Bulk writers use one entry point, ``bulk_write``.** ``bulk_create``, raw SQL and
``QuerySet.update``/``_raw_delete`` send no signals, so a writer that bypasses the
ORM's per-row path says what it touched and the context does the rest, in the same
transaction, once::

    with upkeep.bulk_write() as write:
        ...  # bulk SQL
        write.days(touched_days)  # or write.added(new_ids), or write.changed()

On leaving the block the rollup is brought up to date (the days recomputed, the new
incidents merged in, or the whole table rebuilt) and the data version bumped, if the
writer recorded anything. An exception rolls all of it back with the write. No
module outside this package calls ``rollup`` or ``data_changed`` itself
(``tests/upkeep/test_bulk_write.py`` fails if one does).

May import: ``models``, ``clusters`` (the grid), ``sql_ids``. Imported by every
writer; imports none of them.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import transaction

from . import rollup
from .freshness import AGGREGATE_TIMEOUT, Freshness, data_changed, data_freshness

__all__ = [
    "AGGREGATE_TIMEOUT",
    "BulkWrite",
    "Freshness",
    "bulk_write",
    "data_freshness",
]


class BulkWrite:
    """What one bulk write touched, recorded by the writer as it goes."""

    def __init__(self, *, rebuild: bool) -> None:
        self.rebuild = rebuild
        self._days: set[date | str] = set()
        self._added: list[int] = []
        self._changed = rebuild
        # Unless every recorded change says otherwise, readers may see it: the
        # public data version moves too (``freshness.data_changed``).
        self._public = rebuild

    def days(self, days: Iterable[date | str | None], *, public: bool = True) -> None:
        """Incidents on these days were added, changed or removed; ``public=False``
        if none of them is one readers see (drafts, incidents in review)."""
        self._days.update(day for day in days if day is not None)
        self._changed = True
        self._public = self._public or public

    def added(self, ids: Iterable[int]) -> None:
        """These incidents are new (merged into the rollup's counts, cheaper than
        recomputing their days when the days hold many others)."""
        self._added.extend(ids)
        self._changed = True
        self._public = True

    def changed(self) -> None:
        """Something readers see changed that no incident day covers (sources,
        sites, actors)."""
        self._changed = True
        self._public = True

    def finish(self) -> None:
        """Bring derived data up to date (``bulk_write`` calls it; a rebuild's
        rollup is ``rollup.rebuilt_after``'s to redo)."""
        if not self.rebuild:
            if self._added:
                rollup.add_incidents(self._added)
            if self._days:  # after the additions: a day recomputed is exact
                rollup.refresh_days(self._days)
        if self._changed:
            data_changed(public=self._public)


@contextmanager
def bulk_write(*, rebuild: bool = False) -> Iterator[BulkWrite]:
    """A transaction for a bulk write, after which derived data is current.

    ``rebuild=True`` (a restore, a migration) pauses the per-row upkeep the ORM's
    signals would do for each row and rebuilds the rollup once at the end.
    """
    with transaction.atomic():
        write = BulkWrite(rebuild=rebuild)
        if rebuild:
            with rollup.rebuilt_after():
                yield write
        else:
            yield write
        write.finish()


def connect() -> None:
    """Connect the per-row upkeep to the models' signals (``apps.ready``)."""
    from . import signals

    signals.connect()
