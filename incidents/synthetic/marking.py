"""Which rows are synthetic, and removing exactly those."""

import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Left

from .. import upkeep
from ..models import Citation, Incident, Involvement, Source
from .tables import EXTERNAL_ID_PREFIX, SOURCE_URL_PREFIX


@dataclass(frozen=True)
class RemoveResult:
    incidents: int
    site_links: int
    involvements: int
    citations: int
    sources: int
    seconds: float


def synthetic_incidents() -> QuerySet[Incident]:
    """Every synthetic incident. ``Left(...) =`` rather than ``startswith``: SQLite's
    LIKE ignores case, and a real ``syn-…`` id must never be taken for ours."""
    prefix = EXTERNAL_ID_PREFIX
    return Incident.objects.alias(_syn=Left("external_id", len(prefix))).filter(
        _syn=prefix
    )


def synthetic_sources() -> QuerySet[Source]:
    prefix = SOURCE_URL_PREFIX
    return Source.objects.alias(_syn=Left("url", len(prefix))).filter(_syn=prefix)


def remove_synthetic() -> RemoveResult:
    """Delete every synthetic incident (with its links, involvements and citations)
    and every synthetic source, in one transaction; nothing else is touched.

    Every table is one set-based ``DELETE`` (``QuerySet._raw_delete``, what the
    ORM's own cascade uses when it can), children first. ``QuerySet.delete`` would
    load every row and send ``post_delete`` for each, since history and the data
    version listen: 100,000 incidents took over five minutes, and left a history
    row per deleted row for data whose creation left none. One ``bulk_write``
    says it all instead.
    """
    started = time.perf_counter()
    with upkeep.bulk_write() as write:
        db = transaction.get_connection().alias
        incidents = synthetic_incidents().values("pk")
        source_ids = synthetic_sources().values("pk")
        through = Incident.sites.through
        site_links = through.objects.filter(incident__in=incidents)._raw_delete(db)
        involvements = Involvement.objects.filter(incident__in=incidents)._raw_delete(
            db
        )
        # Citations of synthetic sources are synthetic too, whoever they cite.
        citations = Citation.objects.filter(
            Q(incident__in=incidents) | Q(source__in=source_ids)
        )._raw_delete(db)
        days = list(
            synthetic_incidents().values_list("occurred_on", flat=True).distinct()
        )
        removed = synthetic_incidents()._raw_delete(db)
        source_count = synthetic_sources()._raw_delete(db)
        if removed or source_count or site_links or involvements or citations:
            write.days(days)
            write.changed()
    return RemoveResult(
        incidents=removed,
        site_links=site_links,
        involvements=involvements,
        citations=citations,
        sources=source_count,
        seconds=time.perf_counter() - started,
    )
