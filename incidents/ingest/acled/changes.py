"""The import's writes, a batch at a time: incidents created, reports attached,
events updated, each with its history (``history``) and the days the clusters'
rollup must recompute (``days``).

Inserts go through ``writes.TableWriter`` (``executemany``); the few rows an
update removes go through the ORM one by one, so each removal's history names the
importing user. What an update may change is decided in ``links`` (relations) and
``fields`` (the incident's own fields).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from incidents.corroborate import merge_proposals_record_many
from incidents.models import (
    Citation,
    ExternalReport,
    Incident,
    Involvement,
    MergeProposal,
    incident_search_text,
)
from incidents.requester import Requester

from .columns import AcledRow
from .fields import BASE_KEY, FIELDS, base_record, fields_to_change
from .history import ImportHistory
from .known import ATTACHED, CREATED, MERGED, OWN, Known
from .links import Links, as_report_of, link_change
from .writes import TableWriter, incident_ids

REPORTS = Citation.Stance.REPORTS
# Cells kept as written; the rest have a field of their own that holds them
# exactly (event_id_cnty -> external_id, notes -> summary, timestamp).
STORED_COLUMNS = (
    "event_date year time_precision disorder_type event_type sub_event_type actor1 "
    "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting "
    "iso region country admin1 admin2 admin3 location latitude longitude "
    "geo_precision source source_scale fatalities tags"
).split()
# What a newer row for one of our own incidents (BW-<pk>) rewrites: every field an
# ACLED row gives.
OWN_FIELDS = list(FIELDS)


@dataclass(frozen=True)
class Relations:
    """What one row resolved to: its site, (actor, role) pairs with actor1's side
    as perpetrators and actor2's as targets, its sources, and its fields."""

    site: int | None
    actors: list[tuple[int, str]]
    sources: list[int]
    fields: dict
    # What the row's tags say (``tags``): each source's citation (stance, quote,
    # note; else it "reports"), each involvement's note, the sites after the first.
    cited: dict[int, dict[str, str]] = field(default_factory=dict)
    noted: dict[tuple[int, str], str] = field(default_factory=dict)
    more_sites: tuple[int, ...] = ()

    @property
    def links(self) -> Links:
        return Links(frozenset(self.actors), frozenset(self.sources), self.site)


def _external_data(row: AcledRow, owned: Links, fields: dict) -> dict:
    return {
        "acled": {c: row.cells[c] for c in STORED_COLUMNS},
        "acled_links": owned.as_created(),
        BASE_KEY: base_record(fields),
    }


class _Present:
    """The involvements and citations of some incidents, kept current in memory as
    the batch adds to them (two rows may attach to one incident)."""

    def __init__(self, pks: set[int]):
        self.involvements: dict[int, set[tuple[int, str]]] = defaultdict(set)
        self.sources: dict[int, set[int]] = defaultdict(set)
        if not pks:
            return
        for pk, actor, role in Involvement.objects.filter(
            incident_id__in=pks
        ).values_list("incident_id", "actor_id", "role"):
            self.involvements[pk].add((actor, role))
        for pk, source in Citation.objects.filter(incident_id__in=pks).values_list(
            "incident_id", "source_id"
        ):
            self.sources[pk].add(source)


class ChangeWriter:
    def __init__(self, *, status: str, user: Requester):
        self.status = status
        self.user = user
        self.user_id = getattr(user, "pk", None)
        self.now = timezone.now()
        self.incidents = TableWriter(Incident)
        self.site_links = TableWriter(Incident.sites.through)
        self.involvements = TableWriter(Involvement)
        self.citations = TableWriter(Citation)
        self.reports = TableWriter(ExternalReport)
        self.history = ImportHistory(user_id=self.user_id, when=self.now)
        # Days whose incidents this import changed, before and after.
        self.days: set = set()

    # --- created -----------------------------------------------------------------

    def create(self, creates: list[tuple[AcledRow, Relations, tuple]]) -> None:
        if not creates:
            return
        self.days.update(rel.fields["occurred_on"] for _row, rel, _c in creates)
        self.incidents.insert(
            {
                **rel.fields,
                "external_timestamp": row.timestamp,
                "status": self.status,
                "external_id": row.event_id,
                "external_data": _external_data(row, rel.links, rel.fields),
                "search_text": incident_search_text(
                    row.cells["notes"], "", row.event_id
                ),
                "created_at": self.now,
                "updated_at": self.now,
                "created_by_id": self.user_id,
                "updated_by_id": self.user_id,
            }
            for row, rel, _candidates in creates
        )
        pks = incident_ids([row.event_id for row, _rel, _c in creates])
        marks = self.history.marks()
        self.site_links.insert(
            {"incident_id": pks[row.event_id], "site_id": site}
            for row, rel, _c in creates
            if rel.site is not None
            for site in (rel.site, *rel.more_sites)
        )
        self._add([(pks[row.event_id], rel.links, rel) for row, rel, _c in creates])
        flagged = [(pks[row.event_id], candidates) for row, _rel, candidates in creates]
        merge_proposals_record_many(
            [(pk, c) for pk, c in flagged if c],
            origin=MergeProposal.Origin.ACLED,
            user=self.user,
        )
        self.history.record(created=list(pks.values()), updated=[], marks=marks)

    def _add(self, items: list[tuple[int, Links, Relations | None]]) -> None:
        """Insert the involvements and citations of ``items`` (incident, links,
        the row's relations for what its tags say of each)."""
        self.involvements.insert(
            {
                "incident_id": pk,
                "actor_id": actor,
                "role": role,
                "note": rel.noted.get((actor, role), "") if rel else "",
            }
            for pk, links, rel in items
            for actor, role in sorted(links.involvements)
        )
        self.citations.insert(
            {
                "incident_id": pk,
                "source_id": source,
                **((rel.cited.get(source) if rel else None) or {"stance": REPORTS}),
            }
            for pk, links, rel in items
            for source in sorted(links.sources)
        )

    # --- attached ----------------------------------------------------------------

    def attach(self, attaches: list[tuple[AcledRow, Relations, int]]) -> None:
        if not attaches:
            return
        targets = {target for _row, _rel, target in attaches}
        present = _Present(targets)
        added, reports = [], []
        for row, rel, target in attaches:
            wanted = as_report_of(rel.links, present.involvements[target])
            change = link_change(
                old=Links(),
                new=wanted,
                involvements=present.involvements[target],
                sources=present.sources[target],
            )
            present.involvements[target] |= change.add_involvements
            present.sources[target] |= change.add_sources
            added.append(
                (
                    target,
                    Links(change.add_involvements, change.add_sources, None),
                    rel,
                )
            )
            reports.append(
                {
                    "incident_id": target,
                    "system": ExternalReport.System.ACLED,
                    "external_id": row.event_id,
                    "external_timestamp": row.timestamp,
                    "data": {
                        "acled": {c: row.cells[c] for c in STORED_COLUMNS},
                        "notes": row.cells["notes"],
                        "links": change.owned.as_attached(),
                    },
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        marks = self.history.marks()
        self.reports.insert(reports)
        self._add(added)
        self._touch(targets)
        self.history.record(created=[], updated=sorted(targets), marks=marks)

    def _touch(self, pks: set[int]) -> None:
        """New reports change what the incidents say (their sources, so their
        confidence): sync clients must see them as updated."""
        Incident.objects.filter(pk__in=pks).update(
            updated_at=self.now, updated_by=self.user_id
        )
        self.days.update(
            Incident.objects.filter(pk__in=pks).values_list("occurred_on", flat=True)
        )

    # --- updated -----------------------------------------------------------------

    def update(self, updates: list[tuple[AcledRow, Relations, Known]]) -> None:
        if not updates:
            return
        present = _Present({known.target for _row, _rel, known in updates})
        holders = Incident.objects.in_bulk(
            [k.holder for _r, _l, k in updates if k.kind != ATTACHED]
        )
        reports = ExternalReport.objects.in_bulk(
            [k.holder for _r, _l, k in updates if k.kind == ATTACHED]
        )
        removed: list[tuple[int, Links]] = []
        added: list[tuple[int, Links, Relations | None]] = []
        changed_incidents, site_changes = [], []
        for row, rel, known in updates:
            target = known.target
            if known.kind == OWN:
                changed_incidents.append(self._own(holders[known.holder], row, rel))
                continue
            if known.kind == ATTACHED:
                stored = reports[known.holder]
                old = Links.of_attached(stored.data.get("links"))
                new = as_report_of(rel.links, present.involvements[target], old)
            else:  # CREATED or MERGED: the roles the event created
                holder = holders[known.holder]
                old = Links.of_created(holder.external_data.get("acled_links"))
                old = old or Links()
                new = rel.links
            change = link_change(
                old=old,
                new=new,
                involvements=present.involvements[target],
                sources=present.sources[target],
            )
            present.involvements[target] -= change.remove_involvements
            present.involvements[target] |= change.add_involvements
            present.sources[target] -= change.remove_sources
            present.sources[target] |= change.add_sources
            removed.append(
                (target, Links(change.remove_involvements, change.remove_sources))
            )
            added.append(
                (
                    target,
                    Links(change.add_involvements, change.add_sources),
                    rel,
                )
            )
            if known.kind == ATTACHED:
                stored.external_timestamp = row.timestamp
                stored.data = {
                    "acled": {c: row.cells[c] for c in STORED_COLUMNS},
                    "notes": row.cells["notes"],
                    "links": change.owned.as_attached(),
                }
                stored.save(update_fields=["external_timestamp", "data", "updated_at"])
            elif known.kind == MERGED:
                Incident.objects.filter(pk=holder.pk).update(
                    external_timestamp=row.timestamp,
                    external_data={
                        **holder.external_data,
                        **_external_data(row, change.owned, rel.fields),
                    },
                )
            else:
                assert known.kind == CREATED
                # Imports older than the recorded site cannot tell which
                # link was the event's: their sites stay.
                site_known = "site" in (holder.external_data.get("acled_links") or {})
                if site_known and old.site != new.site:
                    site_changes.append((holder.pk, old.site, new.site))
                changed_incidents.append(self._created(holder, row, rel, change.owned))
        marks = self.history.marks()
        self._remove(removed)
        self._add(added)
        self._move_sites(site_changes)
        own_and_created = [i.pk for i in changed_incidents]
        others = {k.target for _r, _l, k in updates} - set(own_and_created)
        self._touch(others)
        self.history.record(
            created=[],
            updated=sorted(set(own_and_created) | others),
            marks=marks,
        )

    def _created(
        self, incident: Incident, row: AcledRow, rel: Relations, owned: Links
    ) -> Incident:
        """An incident the event created: its fields where no editor changed them."""
        self.days.add(incident.occurred_on)
        changes = fields_to_change(incident, rel.fields)
        for name, value in changes.items():
            setattr(incident, name, value)
        self.days.add(incident.occurred_on)
        incident.external_timestamp = row.timestamp
        incident.external_data = {
            **incident.external_data,  # other importers' keys stay
            **_external_data(row, owned, rel.fields),
        }
        return self._save(incident, [*changes, "external_timestamp", "external_data"])

    def _own(self, incident: Incident, row: AcledRow, rel: Relations) -> Incident:
        """One of our own incidents coming back: its fields as the row gives them."""
        self.days.add(incident.occurred_on)
        for name in OWN_FIELDS:
            setattr(incident, name, rel.fields[name])
        self.days.add(incident.occurred_on)
        incident.external_timestamp = row.timestamp
        incident.external_data = {
            **incident.external_data,
            **_external_data(row, rel.links, rel.fields),
        }
        return self._save(
            incident, [*OWN_FIELDS, "external_timestamp", "external_data"]
        )

    def _save(self, incident: Incident, fields: list[str]) -> Incident:
        incident.search_text = incident_search_text(
            incident.summary, incident.damage, incident.external_id
        )
        incident.updated_at = self.now  # update() skips auto_now
        incident.updated_by_id = self.user_id
        values = {name: getattr(incident, name) for name in fields}
        Incident.objects.filter(pk=incident.pk).update(
            **values,
            search_text=incident.search_text,
            updated_at=self.now,
            updated_by=self.user_id,
        )
        return incident

    def _remove(self, items: list[tuple[int, Links]]) -> None:
        """Delete each row through the ORM, so its removal is in the history."""
        for pk, links in items:
            for actor, role in links.involvements:
                for row in Involvement.objects.filter(
                    incident_id=pk, actor_id=actor, role=role
                ):
                    row._history_user = self.user
                    row.delete()
            for source in links.sources:
                for row in Citation.objects.filter(incident_id=pk, source_id=source):
                    row._history_user = self.user
                    row.delete()

    def _move_sites(self, changes: list[tuple[int, int | None, int | None]]) -> None:
        """An event now placed at another site: its old site's link (if an editor
        left it) gives way to the new one (unless already linked)."""
        through = Incident.sites.through
        for pk, old, new in changes:
            linked = set(
                through.objects.filter(incident_id=pk).values_list("site_id", flat=True)
            )
            if old is not None and old in linked:
                through.objects.filter(incident_id=pk, site_id=old).delete()
            if new is not None and new not in linked:
                through.objects.create(incident_id=pk, site_id=new)
