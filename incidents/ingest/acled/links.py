"""What one ACLED event contributed to an incident, and how a newer version of the
event changes only that.

An event's **links** are the involvements ``(actor, role)``, the sources it cites
and the site its location resolved to. For an incident the event created they are
kept in ``external_data["acled_links"]`` (``actor1``: the perpetrators, ``actor2``:
the targets, ``source``, ``site``; the export compares them with the incident to
tell whether an editor has changed it since); for an event attached to an
incident already on record, in its ``ExternalReport.data["links"]``.

A newer version of the event (``LinkChange``) removes what the old version
contributed and the new one no longer says, if it is still there, and adds what
the new one says and the incident lacks. Whatever an editor or another report
added is never removed; what an editor removed is not put back unless the event
newly says it. The links then recorded are what the event now owns: what it
kept and what it added, not rows that were there before it.

**An attached event never makes anyone a perpetrator.** ACLED's actor1 says whom
ACLED attributes the event to; on an incident that was on record before (and may
say that a group only *claimed* it) it becomes ``attributed_to``, unless the
incident already names the actor on the side that did it, in any role.
"""

from dataclasses import dataclass

from incidents.models import Involvement

PERPETRATOR = Involvement.Role.PERPETRATOR
TARGET = Involvement.Role.TARGET
ATTRIBUTED_TO = Involvement.Role.ATTRIBUTED_TO
SIDE_ONE = frozenset(
    {PERPETRATOR, Involvement.Role.CLAIMED_BY, Involvement.Role.ATTRIBUTED_TO}
)


@dataclass(frozen=True)
class Links:
    involvements: frozenset[tuple[int, str]] = frozenset()
    sources: frozenset[int] = frozenset()
    site: int | None = None

    @classmethod
    def of_created(cls, stored: dict | None) -> "Links | None":
        """From ``external_data["acled_links"]``; None when there are none."""
        if not isinstance(stored, dict):
            return None
        pairs = {(a, PERPETRATOR) for a in stored.get("actor1") or []}
        pairs |= {(a, TARGET) for a in stored.get("actor2") or []}
        return cls(
            frozenset(pairs), frozenset(stored.get("source") or []), stored.get("site")
        )

    def as_created(self) -> dict:
        return {
            "actor1": sorted(a for a, role in self.involvements if role != TARGET),
            "actor2": sorted(a for a, role in self.involvements if role == TARGET),
            "source": sorted(self.sources),
            "site": self.site,
        }

    @classmethod
    def of_attached(cls, stored: dict | None) -> "Links":
        stored = stored if isinstance(stored, dict) else {}
        return cls(
            frozenset((a, r) for a, r in stored.get("involvements") or []),
            frozenset(stored.get("sources") or []),
            stored.get("site"),
        )

    def as_attached(self) -> dict:
        return {
            "involvements": sorted([a, r] for a, r in self.involvements),
            "sources": sorted(self.sources),
            "site": self.site,
        }


def as_report_of(
    wanted: Links, present: set[tuple[int, str]], owned: Links | None = None
) -> Links:
    """``wanted`` (an event's links in the roles of a created incident) in the roles
    of a report attached to an incident with involvements ``present``: side one
    as *attributed to*, except an actor the incident already names on side one
    (unless this event itself put it there, ``owned``)."""
    own = owned.involvements if owned else frozenset()
    named = {a for a, role in present - own if role in SIDE_ONE}
    pairs = set()
    for actor, role in wanted.involvements:
        if role == TARGET:
            pairs.add((actor, TARGET))
        elif actor not in named:
            pairs.add((actor, ATTRIBUTED_TO))
    return Links(frozenset(pairs), wanted.sources, wanted.site)


@dataclass(frozen=True)
class LinkChange:
    """What to do to one incident's rows, and what the event owns afterwards."""

    remove_involvements: frozenset[tuple[int, str]]
    add_involvements: frozenset[tuple[int, str]]
    remove_sources: frozenset[int]
    add_sources: frozenset[int]
    owned: Links

    @property
    def empty(self) -> bool:
        return not (
            self.remove_involvements
            or self.add_involvements
            or self.remove_sources
            or self.add_sources
        )


def link_change(
    *,
    old: Links,
    new: Links,
    involvements: set[tuple[int, str]],
    sources: set[int],
) -> LinkChange:
    """The change from ``old`` to ``new`` on an incident that now has
    ``involvements`` and cites ``sources``."""
    remove_inv = (old.involvements - new.involvements) & involvements
    add_inv = new.involvements - old.involvements - involvements
    remove_src = (old.sources - new.sources) & sources
    add_src = new.sources - old.sources - sources
    kept_inv = (old.involvements & new.involvements) & involvements
    kept_src = (old.sources & new.sources) & sources
    return LinkChange(
        remove_involvements=frozenset(remove_inv),
        add_involvements=frozenset(add_inv),
        remove_sources=frozenset(remove_src),
        add_sources=frozenset(add_src),
        owned=Links(
            frozenset(kept_inv | add_inv), frozenset(kept_src | add_src), new.site
        ),
    )
