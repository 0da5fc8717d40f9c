"""The incidents on record that reports are matched against, read from the database
in as few queries as a batch of reports allows.

``RecordIndex`` reads, for many reports at once (an import batch of 2,000 ACLED
rows), the incidents at their sites within their date windows: one query for the
incidents, one for their sites and one for their actors, then every report is
matched in memory (``matching.rank``). ``find_candidates`` is the same for one
report, and also looks around a report's point when it names no site.

Drafts, incidents in review and published ones are on record; so are retracted
ones, which are shown as candidates (a reviewer should know that the event was
withdrawn once) but never attached to. Merged tombstones are not: their survivor
holds their reports.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils.translation import gettext

from ..models import Incident, Involvement, Site
from .matching import (
    DAY_SLACK,
    EXACT,
    MAX_NEAR_KM,
    NEAR,
    Candidate,
    OnRecord,
    Report,
    matching_window,
    rank,
)

ON_RECORD = (
    Incident.Status.DRAFT,
    Incident.Status.REVIEW,
    Incident.Status.PUBLISHED,
    Incident.Status.RETRACTED,
)
# Past this many separate date windows one query asks for their whole range.
_MAX_WINDOWS = 40
# Roles that say who did it; a shared one makes a match likelier.
_SIDE_ONE = (
    Involvement.Role.PERPETRATOR,
    Involvement.Role.CLAIMED_BY,
    Involvement.Role.ATTRIBUTED_TO,
)


def _merged_windows(
    windows: Iterable[tuple[datetime.date, datetime.date]],
) -> list[tuple[datetime.date, datetime.date]]:
    merged: list[list[datetime.date]] = []
    for first, last in sorted(windows):
        if merged and first <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    if len(merged) > _MAX_WINDOWS:
        return [(merged[0][0], max(last for _first, last in merged))]
    return [(first, last) for first, last in merged]


def _on_record(queryset) -> list[OnRecord]:
    """``OnRecord`` for each incident of ``queryset``, with its sites and actors."""
    rows = list(
        queryset.order_by().values_list(
            "id",
            "occurred_on",
            "date_precision",
            "event_type",
            "weapon",
            "status",
            "longitude",
            "latitude",
            "precision_m",
        )
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    sites: dict[int, set[int]] = defaultdict(set)
    for incident_id, site_id in Incident.sites.through.objects.filter(
        incident_id__in=ids
    ).values_list("incident_id", "site_id"):
        sites[incident_id].add(site_id)
    actors: dict[int, set[int]] = defaultdict(set)
    for incident_id, actor_id in Involvement.objects.filter(
        incident_id__in=ids, role__in=_SIDE_ONE
    ).values_list("incident_id", "actor_id"):
        actors[incident_id].add(actor_id)
    records = []
    for pk, day, precision, event_type, weapon, status, lon, lat, metres in rows:
        records.append(
            OnRecord(
                id=pk,
                occurred_on=day,
                date_precision=precision,
                event_type=event_type,
                weapon=weapon,
                status=status,
                site_ids=frozenset(sites[pk]),
                point=None if lon is None else (lon, lat),
                precision_m=metres,
                actor_ids=frozenset(actors[pk]),
            )
        )
    return records


def _never_attach_retracted(candidates: list[Candidate]) -> list[Candidate]:
    """Retracted incidents stay candidates, but near ones, never exact (so never
    attached to), and ranked again: exact ones first, then by score."""
    demoted = [
        Candidate(
            incident_id=c.incident_id,
            strength=NEAR,
            score=c.score,
            reasons=(*c.reasons, gettext("retracted")),
            status=c.status,
        )
        if c.status == Incident.Status.RETRACTED and c.strength == EXACT
        else c
        for c in candidates
    ]
    demoted.sort(key=lambda c: (c.strength != EXACT, -c.score, c.incident_id))
    return demoted


class RecordIndex:
    """The incidents on record at the reports' sites, within their date windows.

    ``up_to_id``: only incidents with an id up to it (an import matches against
    what was on record before it began, not against the rows it creates itself).
    """

    def __init__(self, reports: Sequence[Report], *, up_to_id: int | None = None):
        site_ids = {pk for report in reports for pk in report.site_ids}
        self._by_site: dict[int, list[OnRecord]] = defaultdict(list)
        # Day-precise incidents by (site, day) too: a day-precise report can only
        # match those within a day of it, and the few coarser ones of its site.
        self._by_day: dict[tuple[int, datetime.date], list[OnRecord]] = defaultdict(
            list
        )
        self._coarse: dict[int, list[OnRecord]] = defaultdict(list)
        self._site_names: dict[int, str] = {}
        if not site_ids:
            return
        windows = _merged_windows(
            matching_window(report) for report in reports if report.site_ids
        )
        dated = Q()
        for first, last in windows:
            dated |= Q(occurred_on__range=(first, last))
        queryset = Incident.objects.filter(dated, status__in=ON_RECORD).filter(
            pk__in=Incident.sites.through.objects.filter(site_id__in=site_ids).values(
                "incident_id"
            )
        )
        if up_to_id is not None:
            queryset = queryset.filter(pk__lte=up_to_id)
        for record in _on_record(queryset):
            for site_id in record.site_ids & site_ids:
                self._by_site[site_id].append(record)
                if record.date_precision == "day":
                    self._by_day[(site_id, record.occurred_on)].append(record)
                else:
                    self._coarse[site_id].append(record)
        self._site_names = dict(
            Site.objects.filter(pk__in=site_ids).values_list("pk", "slug")
        )

    def candidates(self, report: Report) -> list[Candidate]:
        seen: dict[int, OnRecord] = {}
        for site_id in report.site_ids:
            for record in self._records(site_id, report):
                seen.setdefault(record.id, record)
        return _never_attach_retracted(rank(report, seen.values(), self._site_names))

    def _records(self, site_id: int, report: Report) -> Iterable[OnRecord]:
        if report.date_precision != "day":
            return self._by_site.get(site_id, ())
        slack = DAY_SLACK.days
        nearby = [
            record
            for offset in range(-slack, slack + 1)
            for record in self._by_day.get(
                (site_id, report.occurred_on + datetime.timedelta(days=offset)), ()
            )
        ]
        return [*nearby, *self._coarse.get(site_id, ())]


def find_candidates(report: Report) -> list[Candidate]:
    """The incidents on record that ``report`` may describe, best first."""
    if report.site_ids:
        return RecordIndex([report]).candidates(report)
    if report.point is None:
        return []
    from ..filters.spatial import incidents_near

    first, last = matching_window(report)
    longitude, latitude = report.point
    nearby = incidents_near(
        Incident.objects.filter(status__in=ON_RECORD, occurred_on__range=(first, last)),
        longitude=longitude,
        latitude=latitude,
        radius_km=MAX_NEAR_KM,
    )
    return _never_attach_retracted(rank(report, _on_record(nearby)))
