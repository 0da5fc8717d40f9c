"""``import_acled``: validate a whole ACLED file, then upsert it in one transaction.

**Two passes over the file.** Pass 1 parses every row and keeps only the errors and
the ids (to catch a repeated ``event_id_cnty``). Nothing is written unless pass 1
found no problem at all; pass 2 then reads the file again and writes, a batch of
``BATCH`` rows at a time, inside one ``transaction.atomic``: any failure (or a
file changed between the passes) leaves the database as it was. Memory stays flat
whatever the file's size: one batch, the id set and the actor/source/site caches.

**Upsert on ``event_id_cnty``.** A row is the incident whose ``external_id`` it
equals or, for ``BW-<pk>`` (how ``export_acled`` names our incidents without an
external id), the incident with that primary key and no external id. The stored
version is ``external_timestamp``, or for an incident that never came from
outside ``int(updated_at.timestamp())`` (what the export writes as its timestamp).
A newer row replaces the incident's fields, actors, sources, sites and external
data; an older or equal one leaves it alone ("unchanged"). An update keeps the
incident's status, injured count and damage text: ACLED has no say over those.

**Rows become** (see ``mapping``): an incident at ACLED's own point with
``precision_m`` from geo_precision, date precision from time_precision, event
type and weapon from the sub-event type and the notes, ``killed`` = fatalities,
``summary`` = notes, ``country`` from the numeric ``iso``, ``admin1`` as given;
actor1 and assoc_actor_1 perpetrators, actor2 and assoc_actor_2 targets; each
publisher in ``source`` a citation with stance "reports"; one site (``resolve``).
``external_data["acled"]`` keeps every cell we have no field for, and the cells we
parse as written, so the export can give the file back; ``["acled_links"]``
records the actors and sources the cells resolved to, so the export can tell
whether an editor has changed them since.
"""

import itertools
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from incidents import rollup
from incidents.freshness import data_changed
from incidents.models import Citation, Incident, Involvement, incident_search_text

from .columns import AcledRow
from .history import ImportHistory
from .mapping import (
    GEO_PRECISION_M,
    TIME_PRECISION,
    country_from_iso,
    event_type_and_weapon,
    split_names,
)
from .reading import AcledSource, FileProblem, valid_rows, validate_file
from .report import AcledReport
from .resolve import ActorResolver, SiteResolver, SourceResolver
from .writes import TableWriter, existing_versions, incident_ids, search_text

BATCH = 2_000
REPORTS = Citation.Stance.REPORTS
IMPORT_STATUSES = frozenset(
    {Incident.Status.DRAFT, Incident.Status.REVIEW, Incident.Status.PUBLISHED}
)
# Cells kept as written; the rest have a field of their own that holds them
# exactly (event_id_cnty -> external_id, notes -> summary, timestamp).
STORED_COLUMNS = (
    "event_date year time_precision disorder_type event_type sub_event_type actor1 "
    "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting "
    "iso region country admin1 admin2 admin3 location latitude longitude "
    "geo_precision source source_scale fatalities tags"
).split()
# What a newer row rewrites on an existing incident.
UPDATED_FIELDS = [
    "occurred_on",
    "occurred_at",
    "date_precision",
    "event_type",
    "weapon",
    "latitude",
    "longitude",
    "precision_m",
    "country",
    "admin1",
    "killed",
    "summary",
    "external_data",
    "external_timestamp",
    "search_text",
    "updated_at",
    "updated_by",
]


def import_acled(
    source: AcledSource,
    *,
    dry_run: bool = False,
    status: str = Incident.Status.REVIEW,
    user: AbstractBaseUser | None = None,
) -> AcledReport:
    """Import an ACLED CSV (a path, or a seekable binary file), all or nothing.

    Never raises for what is in the file: problems are in the report, and then
    nothing is written. ``status`` is given to created incidents only. ``user``
    (None for the command line) is recorded as creator and editor, and must be a
    reviewer to import straight to "published", as in ``services``. Raises
    ValueError for a ``status`` an import may not set, PermissionDenied for a
    user who may not set it.
    """
    if status not in IMPORT_STATUSES:
        raise ValueError(f"an import cannot give status {status!r}")
    if (
        user is not None
        and status == Incident.Status.PUBLISHED
        and not user.has_perm("incidents.publish_incident")
    ):
        raise PermissionDenied("only reviewers may import incidents as published")
    report = AcledReport(dry_run=dry_run)
    try:
        validate_file(source, report)
        if not report.ok:
            return report
        if dry_run:
            _Upsert(report, status=status, user=user, write=False).run(source)
        else:
            with transaction.atomic():
                upsert = _Upsert(report, status=status, user=user, write=True)
                upsert.run(source)
                # Bulk writes send no signals; caches and the clusters' rollup
                # must still learn of them.
                rollup.refresh_days(upsert.days)
                data_changed()
    except FileProblem as problem:
        report.file_error = str(problem)
        report.forget_changes()
    return report


class _Upsert:
    """Pass 2: decide create/update/unchanged per row and (unless a dry run) write."""

    def __init__(
        self,
        report: AcledReport,
        *,
        status: str,
        user: AbstractBaseUser | None,
        write: bool,
    ):
        self.report = report
        self.status = status
        self.user = user
        self.write = write
        self.actors = ActorResolver(dry_run=not write)
        self.sources = SourceResolver(dry_run=not write)
        self.sites = SiteResolver()
        self.now = timezone.now()
        self.incidents = TableWriter(Incident)
        self.site_links = TableWriter(Incident.sites.through)
        self.involvements = TableWriter(Involvement)
        self.citations = TableWriter(Citation)
        self.history = ImportHistory(
            user_id=None if user is None else user.pk, when=self.now
        )
        # Days whose incidents this import changed, before and after: the
        # clusters' rollup recomputes them.
        self.days: set = set()

    def run(self, source: AcledSource) -> None:
        rows = valid_rows(source)
        while batch := list(itertools.islice(rows, BATCH)):
            self._batch(batch)
        self.report.actors_created = self.actors.created
        self.report.sources_created = self.sources.created

    def _batch(self, batch: list[AcledRow]) -> None:
        known = existing_versions([row.event_id for row in batch])
        creates: list[tuple[AcledRow, _Relations]] = []
        updates: list[tuple[AcledRow, _Relations, int]] = []
        for row in batch:
            found = known.get(row.event_id)
            if found is not None and row.timestamp <= found[1]:
                self.report.unchanged += 1
            elif found is None:
                creates.append((row, self._relations(row)))
            else:
                updates.append((row, self._relations(row), found[0]))
        self.report.created += len(creates)
        self.report.updated += len(updates)
        if not self.write:
            return
        self.days.update(row.occurred_on for row, _rel in creates)
        self.days.update(row.occurred_on for row, _rel, _pk in updates)
        now = self.now
        user_id = None if self.user is None else self.user.pk
        self.incidents.insert(
            {
                **self._fields(row),
                "status": self.status,
                "external_id": row.event_id,
                "external_data": self._external_data(row, rel),
                "search_text": search_text(row.cells["notes"], row.event_id),
                "created_at": now,
                "updated_at": now,
                "created_by_id": user_id,
                "updated_by_id": user_id,
            }
            for row, rel in creates
        )
        pks = incident_ids([row.event_id for row, _rel in creates])
        if updates:
            self._update(updates)
        written = [(pks[row.event_id], rel) for row, rel in creates]
        written += [(pk, rel) for _row, rel, pk in updates]
        self.site_links.insert(
            {"incident_id": pk, "site_id": rel.site}
            for pk, rel in written
            if rel.site is not None
        )
        self.involvements.insert(
            {"incident_id": pk, "actor_id": actor, "role": role}
            for pk, rel in written
            for actor, role in rel.actors
        )
        self.citations.insert(
            {"incident_id": pk, "source_id": source, "stance": REPORTS}
            for pk, rel in written
            for source in rel.sources
        )
        self.history.record(
            created=[pks[row.event_id] for row, _rel in creates],
            updated=[pk for _row, _rel, pk in updates],
        )

    def _fields(self, row: AcledRow) -> dict:
        cells = row.cells
        event_type, weapon = event_type_and_weapon(
            cells["sub_event_type"], cells["notes"], cells["inter1"]
        )
        return {
            "occurred_on": row.occurred_on,
            "occurred_at": None,
            "date_precision": TIME_PRECISION[row.time_precision],
            "event_type": event_type,
            "weapon": weapon,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "precision_m": GEO_PRECISION_M[row.geo_precision],
            "country": country_from_iso(cells["iso"]),
            "admin1": row.cell("admin1")[:100],
            "killed": row.fatalities,
            "summary": cells["notes"],
            "external_timestamp": row.timestamp,
        }

    def _external_data(self, row: AcledRow, rel: "_Relations") -> dict:
        by_role: dict[str, list[int]] = {}
        for actor, role in rel.actors:
            by_role.setdefault(role, []).append(actor)
        return {
            "acled": {c: row.cells[c] for c in STORED_COLUMNS},
            "acled_links": {
                "actor1": sorted(by_role.get(Involvement.Role.PERPETRATOR, [])),
                "actor2": sorted(by_role.get(Involvement.Role.TARGET, [])),
                "source": sorted(rel.sources),
            },
        }

    def _update(self, updates: list[tuple[AcledRow, "_Relations", int]]) -> None:
        pks = [pk for _row, _rel, pk in updates]
        incidents = Incident.objects.in_bulk(pks)
        changed = []
        for row, rel, pk in updates:
            incident = incidents[pk]
            self.days.add(incident.occurred_on)
            for name, value in self._fields(row).items():
                setattr(incident, name, value)
            # Other importers' keys stay; ours are replaced.
            incident.external_data = {
                **incident.external_data,
                **self._external_data(row, rel),
            }
            incident.search_text = incident_search_text(
                incident.summary, incident.damage, incident.external_id
            )
            incident.updated_at = self.now  # bulk_update skips auto_now
            incident.updated_by = self.user
            changed.append(incident)
        Incident.objects.bulk_update(changed, UPDATED_FIELDS, batch_size=500)
        Incident.sites.through.objects.filter(incident_id__in=pks).delete()
        Involvement.objects.filter(incident_id__in=pks).delete()
        Citation.objects.filter(incident_id__in=pks).delete()

    def _relations(self, row: AcledRow) -> "_Relations":
        """The row's site, (actor, role) pairs and sources; records the site link."""
        cells = row.cells
        actors: dict[tuple[int, str], None] = {}
        for main, assoc, inter, role in (
            ("actor1", "assoc_actor_1", "inter1", Involvement.Role.PERPETRATOR),
            ("actor2", "assoc_actor_2", "inter2", Involvement.Role.TARGET),
        ):
            for name in split_names(cells[main]) + split_names(cells[assoc]):
                actors[(self.actors.resolve(name, cells[inter]), role)] = None
        sources = list(
            dict.fromkeys(self.sources.resolve(p) for p in split_names(cells["source"]))
        )
        location = cells["location"].strip()
        link = self.sites.resolve(
            location, row.longitude, row.latitude, row.geo_precision
        )
        if link is None:
            self.report.unlinked.append((row.line, row.event_id, location))
        else:
            self.report.linked.append((row.line, row.event_id, link.slug, link.how))
        return _Relations(None if link is None else link.site_id, list(actors), sources)


@dataclass(frozen=True)
class _Relations:
    site: int | None
    actors: list[tuple[int, str]]  # (actor id, role)
    sources: list[int]
