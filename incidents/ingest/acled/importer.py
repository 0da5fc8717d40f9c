"""``import_acled``: validate a whole ACLED file, then upsert it in one transaction.

**Two passes over the file.** Pass 1 parses every row and keeps only the errors and
the ids (to catch a repeated ``event_id_cnty``). Nothing is written unless pass 1
found no problem at all; pass 2 then reads the file again and writes, a batch of
``BATCH`` rows at a time, inside one ``transaction.atomic``: any failure (or a
file changed between the passes) leaves the database as it was. Memory stays flat
whatever the file's size: one batch, the id set and the actor/source/site caches.

**Each row is one of** (``known`` says where an id is on record):

- *unchanged*: its event is on record at this version or a newer one;
- *updated*: its event is on record at an older version. It changes only what
  came from that event (``links``, ``fields``): its citations and involvements,
  and the incident's fields only where the event created the incident and no
  editor has changed them since. A row for one of our own incidents
  (``BW-<pk>``, our export coming back) updates its fields as the row gives
  them, and never its sources, actors or sites, which ACLED's columns cannot
  carry faithfully;
- *matched*: a new event that is a second report of one incident on record
  (``incidents.corroborate``: one exact candidate). It is attached to it: an
  ``ExternalReport`` keeps its id and version, ACLED's sources are cited with
  stance "reports", its actors added (never as perpetrators, see ``links``);
- *created*: a new event with no single exact candidate. With candidates it is
  *flagged*: created as usual, and proposed for a merge with each of them
  (``MergeProposal``), for a reviewer to decide;
- *needs a reviewer*: it would change (update, or be attached to) an incident on
  the public record, and the importing user may not change it
  (``incidents.rules``, the rule of every other door). Then the file imports
  **nothing**, and the report lists each such row with its line and incident.

**Relevance** (``relevance``): a new row that concerns no tracked site (a
protest, a killing in a town, a battle far from every base) is *skipped*:
counted and listed with why, nothing of it written (not even its actors), and
never matched. With ``take_all`` it is imported, linked to no site. Rows of our
own export and newer versions of events on record are always taken.

**Warnings** (``plausibility``): rows that are valid but probably wrong (swapped
coordinates, 0/0, a point outside the row's country, ``year`` against
``event_date``, ``iso`` against ``country``, a named site far from the point)
are reported with their line; they stop nothing. A site named by ``location``
but far from the row's point is not linked by that name (the city of Baghdad
is not Baghdad airport): the row then links to the nearest site, if any.

Matching looks only at incidents that were on record before the import began,
never at rows the same import creates. The dry run decides exactly as the import.

**Rows become** (see ``mapping`` and ``fields``): an incident at ACLED's own point
with ``precision_m`` from geo_precision, date precision from time_precision, event
type and weapon from the sub-event type and the notes, ``killed`` = fatalities,
``summary`` = notes, ``country`` from the numeric ``iso``, ``admin1`` as given;
actor1 and assoc_actor_1 perpetrators, actor2 and assoc_actor_2 targets; each
publisher in ``source`` a citation with stance "reports"; one site (``resolve``).
``external_data["acled"]`` keeps every cell we have no field for, and the cells we
parse as written, so the export can give the file back; ``["acled_links"]``
records what the cells resolved to, ``["acled_base"]`` the fields as ACLED gave
them.
"""

import itertools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from incidents import rules, upkeep
from incidents.corroborate import Decision, RecordIndex, decide
from incidents.geo.distance import haversine_km
from incidents.models import Incident, Involvement, Site
from incidents.requester import Requester

from .changes import ChangeWriter, Relations
from .columns import AcledError, AcledRow
from .corroboration import row_report
from .fields import row_fields
from .known import OWN, known_events
from .mapping import NEAREST_SITE_KM, split_names
from .plausibility import PlausibilityCheck
from .reading import AcledSource, FileProblem, valid_rows, validate_file
from .relevance import bare_name_holds, can_concern_site, is_ours
from .report import AcledReport
from .resolve import (
    ActorResolver,
    CitedSourceResolver,
    SiteLink,
    SiteResolver,
    SourceResolver,
)

BATCH = 2_000
TARGET = Involvement.Role.TARGET
IMPORT_STATUSES = frozenset(
    {Incident.Status.DRAFT, Incident.Status.REVIEW, Incident.Status.PUBLISHED}
)


def import_acled(
    source: AcledSource,
    *,
    dry_run: bool = False,
    status: str = Incident.Status.REVIEW,
    user: Requester = None,
    take_all: bool = False,
) -> AcledReport:
    """Import an ACLED CSV (a path, or a seekable binary file), all or nothing.

    Never raises for what is in the file: problems are in the report, and then
    nothing is written. ``status`` is given to created incidents only. ``user``
    (None for the system: the command line without ``--user``) is recorded as
    creator and editor, and is held to ``incidents.rules``: only a reviewer
    imports straight to "published" or changes an incident on the public record.
    A new row that concerns no tracked site is skipped (``relevance``), unless
    ``take_all``: then it is imported, linked to no site.
    Raises ValueError for a ``status`` an import may not set, PermissionDenied
    for a user who may not set it.
    """
    if status not in IMPORT_STATUSES:
        raise ValueError(f"an import cannot give status {status!r}")
    if status == Incident.Status.PUBLISHED and not rules.may_publish(user):
        raise PermissionDenied("only reviewers may import incidents as published")
    report = AcledReport(dry_run=dry_run)
    try:
        validate_file(source, report)
        if not report.ok:
            return report
        if dry_run:
            _Upsert(
                report, status=status, user=user, write=False, take_all=take_all
            ).run(source)
        else:
            with upkeep.bulk_write() as write:
                upsert = _Upsert(
                    report, status=status, user=user, write=True, take_all=take_all
                )
                upsert.run(source)
                if not report.ok:
                    # A row needs a reviewer: nothing of the file is kept.
                    transaction.set_rollback(True)
                else:
                    write.days(upsert.writer.days, public=upsert.writer.history.public)
    except FileProblem as problem:
        report.file_error = str(problem)
        report.forget_changes()
    if not report.ok and not dry_run:
        report.forget_changes()
    return report


class _Upsert:
    """Pass 2: decide what each row is and (unless a dry run) write it."""

    def __init__(
        self,
        report: AcledReport,
        *,
        status: str,
        user: Requester,
        write: bool,
        take_all: bool,
    ):
        self.report = report
        self.user = user
        self.write = write
        self.take_all = take_all
        self.actors = ActorResolver(dry_run=not write)
        self.sources = SourceResolver(dry_run=not write)
        self.sites = SiteResolver()
        self.cited = CitedSourceResolver(dry_run=not write)
        self.site_pks = dict(Site.objects.values_list("slug", "pk"))
        self.site_points = {
            pk: (lon, lat)
            for pk, lon, lat in Site.objects.values_list("pk", "longitude", "latitude")
            if lon is not None and lat is not None
        }
        self.plausible = PlausibilityCheck()
        self.writer = ChangeWriter(status=status, user=user)
        # What was on record before this import: matching never looks further.
        last = Incident.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.on_record_up_to = last or 0

    def run(self, source: AcledSource) -> None:
        rows = valid_rows(source)
        while batch := list(itertools.islice(rows, BATCH)):
            self._batch(batch)
        self.report.actors_created = self.actors.created
        self.report.sources_created = self.sources.created + self.cited.created

    def _batch(self, batch: list[AcledRow]) -> None:
        known = known_events([row.event_id for row in batch])
        new_rows, updates = [], []
        for row in batch:
            for message in self.plausible.row(row):
                self.report.warnings.append((row.line, row.event_id, message))
            found = known.get(row.event_id)
            if found is None:
                link = self._site_link(row)
                if link.site is None and not (self.take_all or is_ours(row)):
                    self.report.skipped.append((row.line, row.event_id, link.why))
                    continue
                new_rows.append((row, link))
            elif row.timestamp <= found.version or (
                # Our own incident, merged since: its old export updates nothing.
                found.kind == OWN and found.holder != found.target
            ):
                self.report.unchanged += 1
            elif self._refused(row, found.target, found.target_status):
                continue
            else:
                updates.append((row, self._relations(row, self._site_link(row)), found))
        creates, attaches = self._corroborate(new_rows)
        self.report.created += len(creates)
        self.report.updated += len(updates)
        if self.write and self.report.ok:
            self.writer.create(creates)
            self.writer.attach(attaches)
            self.writer.update(updates)

    def _corroborate(self, rows: list[tuple[AcledRow, "_Sites"]]) -> tuple[list, list]:
        """New events: attached to their one exact candidate, or created."""
        related = [(row, self._relations(row, link)) for row, link in rows]
        reports = [row_report(row, rel) for row, rel in related]
        index = RecordIndex(
            [r for r in reports if r.site_ids], up_to_id=self.on_record_up_to
        )
        creates, attaches = [], []
        for (row, rel), report in zip(related, reports, strict=True):
            decision = (
                decide(index.candidates(report)) if report.site_ids else Decision(None)
            )
            match = decision.attach_to
            if match is not None:
                if self._refused(row, match.incident_id, match.status):
                    continue
                attaches.append((row, rel, match.incident_id))
                self.report.matched.append(
                    (row.line, row.event_id, match.incident_id, match.how)
                )
                continue
            creates.append((row, rel, decision.candidates))
            if decision.candidates:
                self.report.flagged.append(
                    (row.line, row.event_id, [c.as_dict() for c in decision.candidates])
                )
        return creates, attaches

    def _refused(self, row: AcledRow, incident: int, status: str) -> bool:
        """Record the row as needing a reviewer when the user may not change the
        incident it would change (the file then imports nothing)."""
        if rules.may_change_incident(self.user, status):
            return False
        self.report.needs_reviewer.append((row.line, row.event_id, incident, status))
        self.report.errors.append(
            AcledError(
                row.line,
                "event_id_cnty",
                _(
                    "%(event_id)s would change incident #%(id)s, which is "
                    "%(status)s: only a reviewer may import this row"
                )
                % {"event_id": row.event_id, "id": incident, "status": status},
            )
        )
        return True

    def _relations(self, row: AcledRow, sites: "_Sites") -> Relations:
        """The row's site, (actor, role) pairs and sources; records the site link."""
        cells = row.cells
        facts = row.facts
        actors: dict[tuple[int, str], None] = {}
        noted: dict[tuple[int, str], str] = {}
        if facts.roles:  # Basewatch's own tags say who did what (``tags``)
            for role, name, note in facts.roles:
                inter = cells["inter2" if role == TARGET else "inter1"]
                pair = (self.actors.resolve(name, inter), role)
                actors[pair] = None
                if note:
                    noted[pair] = note
        else:
            for main, assoc, inter, role in (
                ("actor1", "assoc_actor_1", "inter1", Involvement.Role.PERPETRATOR),
                ("actor2", "assoc_actor_2", "inter2", TARGET),
            ):
                for name in split_names(cells[main]) + split_names(cells[assoc]):
                    actors[(self.actors.resolve(name, cells[inter]), role)] = None
        cited: dict[int, dict[str, str]] = {}
        if facts.sources:
            for fact in facts.sources:
                cited.setdefault(
                    self.cited.resolve(fact),
                    {"stance": fact.stance, "quote": fact.quote, "note": fact.note},
                )
            sources = list(cited)
        else:
            sources = list(
                dict.fromkeys(
                    self.sources.resolve(p) for p in split_names(cells["source"])
                )
            )
        link = sites.site
        if link is None:
            self.report.unlinked.append((row.line, row.event_id, row.cell("location")))
        else:
            self.report.linked.append((row.line, row.event_id, link.slug, link.how))
        return Relations(
            None if link is None else link.site_id,
            list(actors),
            sources,
            row_fields(row),
            cited=cited,
            noted=noted,
            more_sites=sites.more,
        )

    def _site_link(self, row: AcledRow) -> "_Sites":
        """The row's site (``relevance`` says which links count), or why none."""
        # Sites the tags name and this database knows (another may not).
        slugs = list(dict.fromkeys(s for s in row.facts.sites if s in self.site_pks))
        if slugs:
            tagged = [self.site_pks[slug] for slug in slugs]
            return _Sites(SiteLink(tagged[0], slugs[0], "tag"), tuple(tagged[1:]))
        if not (is_ours(row) or can_concern_site(row)):
            return _Sites(
                why=_("not about a tracked site: event type %(kind)s concerns no site")
                % {"kind": row.cell("event_type") or row.cell("sub_event_type")}
            )
        location = row.cell("location")
        named = self.sites.named(location)
        if named is not None and self._name_holds(row, named):
            return _Sites(named)
        if row.longitude is None or row.latitude is None:
            return _Sites(
                why=_(
                    "not about a tracked site: %(location)r names none, and the "
                    "row has no point"
                )
                % {"location": location}
            )
        nearest = self.sites.nearest(row.longitude, row.latitude, row.geo_precision)
        if nearest is not None:
            return _Sites(nearest)
        values = {
            "location": location,
            "km": f"{NEAREST_SITE_KM[row.geo_precision]:g}",
            "site": "" if named is None else named.slug,
        }
        if named is None:
            why = _(
                "not about a tracked site: %(location)r names none, and none is "
                "within %(km)s km of the point"
            )
        else:
            why = _(
                "not about a tracked site: %(location)r is the place, not "
                "%(site)s, and no site is within %(km)s km of the point"
            )
        return _Sites(why=why % values)

    def _name_holds(self, row: AcledRow, named: SiteLink) -> bool:
        """Whether the row's ``location`` really names that site: not one far
        from the row's point (warned), nor a city that shares a base's name."""
        point = self.site_points.get(named.site_id)
        far = self.plausible.name_link(row, named.slug, point)
        if far:
            # "Baghdad" names the city as well as its airport: a name whose
            # site is far from the row's own point links nothing.
            self.report.warnings.append((row.line, row.event_id, far))
            return False
        distance = None
        if point is not None and row.longitude is not None and row.latitude is not None:
            distance = haversine_km(row.longitude, row.latitude, *point)
        return bare_name_holds(
            row,
            matched_name=named.matched_name,
            site_kind=self.sites.kind(named.site_id),
            distance_km=distance,
        )


@dataclass(frozen=True)
class _Sites:
    """A row's site link and any further tagged sites; ``why`` when it has none."""

    site: SiteLink | None = None
    more: tuple[int, ...] = ()
    why: str = ""
