"""Does a report describe an incident on record? Pure rules, no database.

A **report** is what a door brings in (an ACLED row, an article's proposal, an
API or admin entry): its sites, its date with its precision, its event type and
weapon, the actors it names, and a point for when it names no site. An incident
on record is a **candidate** for it when all of these hold:

- **place**: they share a site (sites are matched by name and alias before they
  get here, so "Green Village" is already the al-Omar site); or, for a report that
  names no site, the incident's point lies within the two precisions of the
  report's point (at most ``MAX_NEAR_KM``);
- **date**: their spans overlap. A day-precise date spans that day, widened by
  ``DAY_SLACK`` (one day either side: reports dated in local and US time, attacks
  just after midnight); a week-precise one the three days either side (ACLED
  dates such an event to the middle of its week); a month-precise one its
  calendar month;
- **event**: compatible event types (the same, attack and interception, which
  are one event told by the attacker and by the defender, or either *other*) and
  weapons (the same, either unknown or blank, or *mixed* beside any single one).

Each candidate says why it matched (``reasons``) and how strongly. It is **exact**
when the report and the incident share a named site, fall on the same day, both
dated to the day, with compatible weapons and events; anything else that passes is
**near**. ``decide`` attaches a report to an incident only when exactly one
candidate is exact; several exact candidates, or near ones only, are left to a
reviewer (``MergeProposal``), never guessed.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

DAY_SLACK = datetime.timedelta(days=1)
WEEK_HALF = datetime.timedelta(days=3)
MAX_NEAR_KM = 50.0
# Within one of these groups, two event types can be the same event.
_EVENT_GROUPS = ({"attack", "interception"},)
_ANY_EVENT = "other"
_ANY_WEAPON = {"", "unknown"}
_SINGLE_WEAPONS = {"rocket", "drone", "missile", "mortar"}

EXACT = "exact"
NEAR = "near"


@dataclass(frozen=True)
class Report:
    """What a door brings in, in the model's own vocabulary."""

    occurred_on: datetime.date
    date_precision: str = "day"
    event_type: str = "attack"
    weapon: str = ""
    site_ids: tuple[int, ...] = ()
    # (longitude, latitude) and how far off it may be; used only without sites.
    point: tuple[float, float] | None = None
    precision_m: int | None = None
    actor_ids: tuple[int, ...] = ()
    # The incident this report already is (an edit of it): never its own match.
    exclude_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class OnRecord:
    """An incident on record, as much of it as matching needs."""

    id: int
    occurred_on: datetime.date
    date_precision: str
    event_type: str
    weapon: str
    status: str
    site_ids: frozenset[int] = frozenset()
    point: tuple[float, float] | None = None
    precision_m: int | None = None
    actor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    incident_id: int
    strength: str  # EXACT or NEAR
    score: int
    reasons: tuple[str, ...]
    status: str = ""

    @property
    def how(self) -> str:
        return "; ".join(self.reasons)

    def as_dict(self) -> dict:
        return {
            "incident": self.incident_id,
            "strength": self.strength,
            "score": self.score,
            "how": self.how,
            "status": self.status,
        }


@dataclass(frozen=True)
class Decision:
    """``attach_to``: the one incident the report is a new report of, or None.
    ``candidates``: every candidate, best first (for the review when not attached)."""

    attach_to: Candidate | None
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


# A reason before it is put in words: its message and values. Only the
# candidates that pass every check are put in words (``_said``): an import
# compares each row with a dozen incidents, and translating every reason of
# every failed comparison took most of a dry run's time.
Reason = tuple[str, dict | None]


def _said(reason: Reason) -> str:
    message, values = reason
    return _(message) % values if values else _(message)


def span(day: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """The days a date with ``precision`` may mean, first and last included."""
    if precision == "month":
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return first, following - datetime.timedelta(days=1)
    if precision == "week":
        return day - WEEK_HALF, day + WEEK_HALF
    return day, day


def matching_window(report: Report) -> tuple[datetime.date, datetime.date]:
    """Every incident date that could overlap the report, whatever the incident's
    own precision: what a query narrows to before ``candidate`` decides."""
    first, last = span(report.occurred_on, report.date_precision)
    widest = datetime.timedelta(days=31)
    return first - widest, last + widest


def _dates(report: Report, incident: OnRecord) -> tuple[int, Reason] | None:
    """(score, reason) when the dates can be the same day, else None."""
    r_first, r_last = span(report.occurred_on, report.date_precision)
    i_first, i_last = span(incident.occurred_on, incident.date_precision)
    both_days = report.date_precision == incident.date_precision == "day"
    if both_days and report.occurred_on == incident.occurred_on:
        return 30, (gettext_noop("same day"), None)
    if both_days:
        apart = abs((report.occurred_on - incident.occurred_on).days)
        if apart <= DAY_SLACK.days:
            return 15, (gettext_noop("%(days)d day apart"), {"days": apart})
        return None
    if r_first <= i_last and i_first <= r_last:
        return 5, (
            gettext_noop("dates overlap (%(a)s %(pa)s, %(b)s %(pb)s)"),
            {
                "a": report.occurred_on.isoformat(),
                "pa": report.date_precision,
                "b": incident.occurred_on.isoformat(),
                "pb": incident.date_precision,
            },
        )
    return None


def _events(report: Report, incident: OnRecord) -> tuple[int, Reason] | None:
    a, b = report.event_type, incident.event_type
    if a == b:
        return 10, (gettext_noop("same event type (%(type)s)"), {"type": a})
    if _ANY_EVENT in (a, b) or any(a in g and b in g for g in _EVENT_GROUPS):
        return 5, (
            gettext_noop("compatible event types (%(a)s, %(b)s)"),
            {"a": a, "b": b},
        )
    return None


def _weapons(report: Report, incident: OnRecord) -> tuple[int, Reason] | None:
    a, b = report.weapon, incident.weapon
    if a == b and a not in _ANY_WEAPON:
        return 20, (gettext_noop("same weapon (%(weapon)s)"), {"weapon": a})
    if a in _ANY_WEAPON or b in _ANY_WEAPON:
        return 5, (gettext_noop("weapon not known on one side"), None)
    if {a, b} <= _SINGLE_WEAPONS | {"mixed"} and "mixed" in (a, b):
        return 8, (gettext_noop("compatible weapons (%(a)s, %(b)s)"), {"a": a, "b": b})
    return None


def _place(
    report: Report, incident: OnRecord, site_names: dict[int, str]
) -> tuple[int, Reason, bool] | None:
    """(score, reason, by a named site?) or None."""
    shared = sorted(set(report.site_ids) & incident.site_ids)
    if shared:
        names = ", ".join(site_names.get(pk, f"#{pk}") for pk in shared)
        return 40, (gettext_noop("same site (%(sites)s)"), {"sites": names}), True
    if report.site_ids or report.point is None or incident.point is None:
        return None
    from ..geo.distance import haversine_km

    km = haversine_km(*report.point, *incident.point)
    reach = ((report.precision_m or 0) + (incident.precision_m or 0)) / 1000
    if km <= min(max(reach, 1.0), MAX_NEAR_KM):
        return (
            15,
            (gettext_noop("%(km).1f km apart, within their precision"), {"km": km}),
            False,
        )
    return None


def candidate(
    report: Report, incident: OnRecord, site_names: dict[int, str] | None = None
) -> Candidate | None:
    """The incident as a candidate for the report, or None when it cannot be."""
    if incident.id in report.exclude_ids:
        return None
    place = _place(report, incident, site_names or {})
    if place is None:
        return None
    dates, events = _dates(report, incident), _events(report, incident)
    weapons = _weapons(report, incident)
    if dates is None or events is None or weapons is None:
        return None
    parts = [dates, events, weapons]
    score = place[0] + sum(part[0] for part in parts)
    reasons = [_said(place[1]), *(_said(part[1]) for part in parts)]
    shared_actors = set(report.actor_ids) & incident.actor_ids
    if shared_actors:
        score += 5
        reasons.append(_("same actor named"))
    exact = (
        place[2]
        and report.date_precision == incident.date_precision == "day"
        and report.occurred_on == incident.occurred_on
    )
    return Candidate(
        incident_id=incident.id,
        strength=EXACT if exact else NEAR,
        score=score,
        reasons=tuple(reasons),
        status=incident.status,
    )


def rank(
    report: Report,
    incidents: Iterable[OnRecord],
    site_names: dict[int, str] | None = None,
) -> list[Candidate]:
    """Every candidate among ``incidents``, exact ones first, then by score."""
    found = [c for i in incidents if (c := candidate(report, i, site_names))]
    found.sort(key=lambda c: (c.strength != EXACT, -c.score, c.incident_id))
    return found


def decide(candidates: Sequence[Candidate]) -> Decision:
    """Attach only to a single exact candidate; otherwise leave it to a reviewer."""
    exact = [c for c in candidates if c.strength == EXACT]
    attach = exact[0] if len(exact) == 1 else None
    return Decision(attach_to=attach, candidates=tuple(candidates))
