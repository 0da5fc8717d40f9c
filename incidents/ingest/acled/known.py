"""Which ACLED events are already on record, where, and at which version.

An ``event_id_cnty`` is on record in one of four ways (``Known.kind``):

- ``created``: an incident this importer created from the event
  (``Incident.external_id``), which the event still owns;
- ``attached``: an ``ExternalReport`` of an incident that was on record before the
  event came in (the event was a second report of it);
- ``merged``: an incident created from the event that a reviewer has since merged
  into another; the event now reports the survivor, and the tombstone keeps its
  ACLED state;
- ``own``: ``BW-<pk>``, how ``export_acled`` names our incidents that have no
  external id: the event *is* that incident, coming back.

``target`` is always the incident the event now describes (a merge's survivor,
following chains), with its status, so the importer can apply the one rule of
``incidents.rules`` before it changes anything. The version is the stored
``external_timestamp``, or for an incident that never came from outside
``int(updated_at.timestamp())`` (what the export writes as its timestamp).
"""

import datetime
import re
from dataclasses import dataclass

from incidents.models import ExternalReport, Incident

OWN_ID = re.compile(r"BW-(\d{1,18})")
CREATED, ATTACHED, MERGED, OWN = "created", "attached", "merged", "own"
_MAX_CHAIN = 50


@dataclass(frozen=True)
class Known:
    kind: str
    holder: int  # the incident (created, merged, own) or ExternalReport (attached)
    target: int
    target_status: str
    version: int


def _version(stamp: int | None, updated_at: datetime.datetime) -> int:
    return stamp if stamp is not None else int(updated_at.timestamp())


def _survivors(pks: set[int]) -> dict[int, tuple[int, str]]:
    """pk -> (the incident it now is, that incident's status), following merges."""
    found: dict[int, tuple[str, int | None]] = {}
    wanted = set(pks)
    for _step in range(_MAX_CHAIN):
        wanted -= set(found)
        if not wanted:
            break
        for pk, status, into in Incident.objects.filter(pk__in=wanted).values_list(
            "pk", "status", "merged_into"
        ):
            found[pk] = (status, into)
            if into is not None:
                wanted.add(into)
    result = {}
    for pk in pks:
        current = pk
        for _step in range(_MAX_CHAIN):
            status, into = found[current]
            if into is None or into not in found:
                break
            current = into
        result[pk] = (current, found[current][0])
    return result


def known_events(ids: list[str]) -> dict[str, Known]:
    """event_id_cnty -> ``Known`` for the ids of ``ids`` already on record."""
    rows: dict[str, tuple[str, int, int, int]] = {}  # id -> kind, holder, pk, version
    for pk, external_id, stamp, updated_at, status in (
        Incident.objects.filter(external_id__in=ids)
        .exclude(external_id="")
        .order_by()
        .values_list("pk", "external_id", "external_timestamp", "updated_at", "status")
    ):
        kind = MERGED if status == Incident.Status.MERGED else CREATED
        rows[external_id] = (kind, pk, pk, _version(stamp, updated_at))
    for pk, external_id, stamp, incident, updated_at in (
        ExternalReport.objects.filter(external_id__in=ids)
        .exclude(external_id__in=list(rows))
        .order_by()
        .values_list(
            "pk", "external_id", "external_timestamp", "incident", "updated_at"
        )
    ):
        rows[external_id] = (ATTACHED, pk, incident, _version(stamp, updated_at))
    own = {
        int(m.group(1)): event_id
        for event_id in ids
        if event_id not in rows and (m := OWN_ID.fullmatch(event_id))
    }
    if own:
        for pk, stamp, updated_at in (
            Incident.objects.filter(pk__in=list(own), external_id="")
            .order_by()
            .values_list("pk", "external_timestamp", "updated_at")
        ):
            rows[own[pk]] = (OWN, pk, pk, _version(stamp, updated_at))
    survivors = _survivors({pk for _kind, _holder, pk, _v in rows.values()})
    return {
        event_id: Known(
            kind=kind,
            holder=holder,
            target=survivors[pk][0],
            target_status=survivors[pk][1],
            version=version,
        )
        for event_id, (kind, holder, pk, version) in rows.items()
    }
