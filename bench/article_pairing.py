"""How the article benchmark (``articles.py``) pairs an extraction's proposals with
the key's attacks: a proposal as plain values (``Draft``), when a date and sites
match, and a largest one-to-one pairing."""

import datetime as dt
from dataclasses import dataclass


@dataclass
class Draft:
    """What the scorer compares of a proposal: plain values, dates as ISO text."""

    event_type: str
    date: str | None
    sites: frozenset[str]
    roles: dict[str, frozenset[str]]
    injured: int | None
    killed: int | None
    weapon: str
    precision: str = "day"

    def describe(self) -> str:
        return _describe(self.event_type, self.date, self.sites, self.weapon)


def draft_of(proposal) -> Draft:
    """A ``DraftProposal`` (or its ``as_dict`` form) as the scorer sees it."""
    get = proposal.get if isinstance(proposal, dict) else _attribute(proposal)
    roles: dict[str, set[str]] = {}
    for actor in get("actors") or []:
        slug, role = (
            (actor["slug"], actor["role"]) if isinstance(actor, dict) else actor
        )
        roles.setdefault(role, set()).add(slug)
    occurred = get("occurred_on")
    # The date work may leave an unknown date as None; compare it as unknown.
    if isinstance(occurred, dt.date):
        occurred = occurred.isoformat()
    return Draft(
        event_type=get("event_type"),
        date=occurred or None,
        sites=frozenset(get("sites") or ()),
        roles={role: frozenset(slugs) for role, slugs in roles.items()},
        injured=get("injured"),
        killed=get("killed"),
        weapon=get("weapon"),
        precision=get("date_precision") or "day",
    )


def _attribute(obj):
    return lambda name: getattr(obj, name, None)


def _describe(event_type, date, sites, weapon) -> str:
    return (
        f"{event_type} {date or 'date unknown'} [{', '.join(sorted(sites))}] {weapon}"
    )


def _key_attack_text(attack: dict) -> str:
    return _describe("attack", attack["date"], attack["sites"], attack["weapon"])


# A week-precise date stands for the three days either side of it (the model's
# meaning, as ACLED's: ``incidents.corroborate.matching``), so two week-precise
# readings of «قبل أيام» a few days apart say the same thing.
WEEK_REACH_DAYS = 3


def same_date(attack: dict, draft: Draft) -> bool:
    """Equal dates (both unknown counts as equal); within the reach of a week
    when either side is week-precise."""
    if attack["date"] is None or draft.date is None:
        return attack["date"] == draft.date
    if "week" not in {attack.get("precision"), draft.precision}:
        return attack["date"] == draft.date
    apart = dt.date.fromisoformat(attack["date"]) - dt.date.fromisoformat(draft.date)
    return abs(apart.days) <= WEEK_REACH_DAYS


def matches(attack: dict, draft: Draft) -> bool:
    """Same date (``same_date``) and sites that meet, or none."""
    if not same_date(attack, draft):
        return False
    expected = set(attack["sites"])
    if not expected and not draft.sites:
        return True
    return bool(expected & draft.sites)


def pair(attacks: list[dict], drafts: list[Draft]) -> list[tuple[int, int]]:
    """A largest one-to-one pairing of key attacks with drafts (augmenting paths:
    greedy pairing can pair a draft that two attacks could use with the wrong
    one)."""
    owner: dict[int, int] = {}  # draft index -> attack index

    def place(a: int, seen: set[int]) -> bool:
        for d, draft in enumerate(drafts):
            if d in seen or not matches(attacks[a], draft):
                continue
            seen.add(d)
            if d not in owner or place(owner[d], seen):
                owner[d] = a
                return True
        return False

    for a in range(len(attacks)):
        place(a, set())
    return sorted((a, d) for d, a in owner.items())
