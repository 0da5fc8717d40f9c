"""Aggregates over incidents: per period, per site, per actor, per weapon; and the
official running totals beside what Basewatch documents.

Pure ORM, no HTTP. Each function takes an incident queryset the caller has already
narrowed (published only, filtered) and returns plain lists of dicts, computed in
one SQL query each whatever the number of incidents: ``values()`` + ``annotate()``,
never a query per row.

The caller's queryset is used as a subquery (``pk IN (...)``) rather than grouped
directly when it carries annotations of its own (``confidence_level``,
``distance_km``), which must filter the rows without leaking into ``GROUP BY``.
A plain filtered queryset is grouped directly (``_grouped``), so its filters (a date
range, a bbox) narrow the rows through their indexes: PostgreSQL read the whole
incident table to join it with the subquery's ids, whatever the date range.

Casualties keep the model's meaning of null: *not reported*, never zero. So every
sum comes with a count of the incidents that reported a number (``injured_reported``,
``killed_reported``), and the sum itself is null when none did: "0 injured" and
"nobody said" stay different answers.
"""

import bisect
import datetime

from django.db.models import Count, Q, QuerySet, Sum

from ..models import Incident, Involvement, OfficialTotal
from ..rules.confidence import Confidence

# The first day of the period a date falls in: the day, its ISO week's Monday, or
# the first of its month.
PERIOD_START = {
    "day": lambda day: day,
    "week": lambda day: day - datetime.timedelta(days=day.weekday()),
    "month": lambda day: day.replace(day=1),
}
INTERVALS = tuple(PERIOD_START)

# Date precisions too coarse to place an incident within a period of each interval.
_COARSER = {
    "day": (Incident.DatePrecision.WEEK, Incident.DatePrecision.MONTH),
    "week": (Incident.DatePrecision.MONTH,),
    "month": (),
}

# The wave the reference data covers starts here; official totals count "since 17
# October" too, so the documented series starts on the same day.
WAVE_START = datetime.date(2023, 10, 17)


def _ids(queryset: QuerySet[Incident]) -> QuerySet:
    return queryset.order_by().values("pk")


def _grouped(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """The incidents of ``queryset``, ready to group: the queryset itself when it is
    a plain filter over the incident table (no annotations, joins, slices, distinct
    or ``values()``), so that the grouping query carries its filters; otherwise
    ``pk IN (its ids)``. Both select the same rows once each."""
    query = queryset.query
    plain = (
        queryset.model is Incident
        and not query.annotations
        and len(query.alias_map) <= 1
        and not query.is_sliced
        and not query.distinct
        and not query.extra
        and getattr(queryset, "_fields", None) is None  # not a .values() query
    )
    if plain:
        return queryset.order_by()
    return Incident.objects.filter(pk__in=_ids(queryset))


def _casualties(prefix: str = "") -> dict:
    """Sum and number of reports for injured and killed, under ``prefix``.

    The aliases differ from the field names: an aggregate may not shadow a column
    that another aggregate reads.
    """
    return {
        "injured_sum": Sum(f"{prefix}injured"),
        "killed_sum": Sum(f"{prefix}killed"),
        # Count() of a column skips nulls: exactly "incidents that gave a number".
        "injured_reported": Count(f"{prefix}injured"),
        "killed_reported": Count(f"{prefix}killed"),
    }


def _casualty_fields(row: dict) -> dict:
    return {
        "injured": row["injured_sum"],
        "killed": row["killed_sum"],
        "injured_reported": row["injured_reported"],
        "killed_reported": row["killed_reported"],
    }


def stats_summary(*, queryset: QuerySet[Incident]) -> dict:
    """The whole set in one row: ``incidents`` and the casualty fields."""
    row = _grouped(queryset).aggregate(incidents=Count("pk"), **_casualties())
    return {"incidents": row["incidents"], **_casualty_fields(row)}


def stats_timeline(
    *, queryset: QuerySet[Incident], interval: str = "week"
) -> list[dict]:
    """Incidents and casualties per day, ISO week (starting Monday) or month.

    Each row: ``period`` (the first day of the period), ``incidents``, ``injured``,
    ``killed``, ``injured_reported``, ``killed_reported`` and ``imprecise``.

    An incident known only to the week or month is counted in the period of its
    ``occurred_on`` (the date it was filed under), and ``imprecise`` says how many
    of a period's incidents have a date precision coarser than the interval, so a
    chart can warn that they may belong to a neighbouring period.

    Periods without incidents are omitted, not filled with zeros: the series stays
    as long as the data, whatever the date range asked for; a chart fills the gaps.
    """
    coarser = _COARSER[interval]
    # Grouped by the stored date itself, then folded into periods here: no date
    # function runs per row (on SQLite Django's truncation is a Python callback,
    # a third of a second per 200,000 rows), and there are only as many days as
    # the data spans.
    days = (
        _grouped(queryset)
        .values("occurred_on")
        .annotate(
            incidents=Count("pk"),
            **_casualties(),
            imprecise=Count("pk", filter=Q(date_precision__in=coarser)),
        )
        .order_by("occurred_on")
    )
    start_of = PERIOD_START[interval]
    periods: dict[datetime.date, dict] = {}
    for day in days:
        period = start_of(day["occurred_on"])
        row = periods.get(period)
        if row is None:
            periods[period] = {**day, "period": period}
            continue
        for name in ("incidents", "injured_reported", "killed_reported", "imprecise"):
            row[name] += day[name]
        for name in ("injured_sum", "killed_sum"):
            # A sum over no reported number is null, not 0: it stays null until a
            # day with a number comes.
            if day[name] is not None:
                row[name] = (row[name] or 0) + day[name]
    return [
        {
            "period": row["period"],
            "incidents": row["incidents"],
            **_casualty_fields(row),
            "imprecise": row["imprecise"],
        }
        for row in periods.values()
    ]


def stats_by_site(*, queryset: QuerySet[Incident]) -> list[dict]:
    """Incidents and casualties per site, most attacked first, then by name.

    An incident at several sites counts once for each of them, so the rows may add
    up to more than the number of incidents. Sites without a matching incident are
    left out.
    """
    rows = (
        Incident.sites.through.objects.filter(incident_id__in=_ids(queryset))
        .values("site__slug", "site__name", "site__name_ar")
        .annotate(incidents=Count("incident_id"), **_casualties("incident__"))
        .order_by("-incidents", "site__name", "site__slug")
    )
    return [
        {
            "slug": row["site__slug"],
            "name": row["site__name"],
            "name_ar": row["site__name_ar"],
            "incidents": row["incidents"],
            **_casualty_fields(row),
        }
        for row in rows
    ]


def stats_by_actor(
    *, queryset: QuerySet[Incident], role: str | None = None
) -> list[dict]:
    """Incidents per actor and role, most first.

    The role is part of the key because "claimed by", "attributed to" and "target"
    say very different things about a group. Counts are per named actor as
    recorded, not rolled up into umbrellas; ``parent`` names the umbrella so a
    client can roll up itself.
    """
    involvements = Involvement.objects.filter(incident_id__in=_ids(queryset))
    if role:
        involvements = involvements.filter(role=role)
    rows = (
        involvements.values(
            "actor__slug",
            "actor__name",
            "actor__name_ar",
            "actor__parent__slug",
            "role",
        )
        # (incident, actor, role) is unique, but distinct keeps this right if the
        # constraint ever loosens.
        .annotate(incidents=Count("incident_id", distinct=True))
        .order_by("-incidents", "actor__name", "actor__slug", "role")
    )
    return [
        {
            "slug": row["actor__slug"],
            "name": row["actor__name"],
            "name_ar": row["actor__name_ar"],
            "parent": row["actor__parent__slug"],
            "role": row["role"],
            "incidents": row["incidents"],
        }
        for row in rows
    ]


NO_WEAPON = "none"


def stats_by_weapon(*, queryset: QuerySet[Incident]) -> list[dict]:
    """Incidents and casualties per weapon, most first; a blank weapon (statements,
    sanctions, meetings) is reported as ``"none"``."""
    rows = (
        _grouped(queryset)
        .values("weapon")
        .annotate(incidents=Count("pk"), **_casualties())
        .order_by("-incidents", "weapon")
    )
    return [
        {
            "weapon": row["weapon"] or NO_WEAPON,
            "incidents": row["incidents"],
            **_casualty_fields(row),
        }
        for row in rows
    ]


OFFICIAL_FIELDS = (
    "as_of",
    "as_of_precision",
    "reported_by",
    "scope",
    "total_attacks",
    "iraq",
    "syria",
    "us_injured",
    "note",
    "source_urls",
)


# The documented count beside an official total is split by how sure we are of each
# attack, in this order; every key is always present.
CONFIDENCE_LEVELS = tuple(level.value for level in Confidence)


def official_totals_with_documented(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> dict:
    """The published running totals, and how many attacks Basewatch documents by
    each of their dates, split by confidence.

    ``official``: every ``OfficialTotal`` row (``as_of`` within the range), ordered
    by ``as_of``, numbers left null where the source gave none.

    ``documented``: for each distinct ``as_of``, the published incidents of type
    *attack* from 17 October 2023 up to and including that day
    (``cumulative_incidents``), and the same count per derived confidence
    (``by_confidence``: ``confirmed``, ``reported``, ``claimed``, ``disputed``,
    each always present, summing to ``cumulative_incidents``). A month-precision
    total is dated to the first of its month, so its documented count is a lower
    bound for that month.

    The two are not the same measure and are never merged: officials count
    "attacks on our facilities" (often several strikes, or several sites, as one;
    sometimes only those they confirm), monitors and the groups themselves count
    claims, and a running total is not a list of incidents. The pair shows how much
    of the official count Basewatch documents, not that either is wrong. The split
    keeps claims apart from confirmed attacks beside it: an attack only its
    perpetrators claim is not one an official or independent source confirmed.
    """
    totals = OfficialTotal.objects.all()
    if date_from:
        totals = totals.filter(as_of__gte=date_from)
    if date_to:
        totals = totals.filter(as_of__lte=date_to)
    rows = list(totals.order_by("as_of", "id").values(*OFFICIAL_FIELDS))
    running = _documented_attacks_by_day(
        max((row["as_of"] for row in rows), default=None)
    )
    days = [day for day, _levels in running]
    documented = {}
    for row in rows:
        # The running totals of the last documented day on or before as_of.
        at = bisect.bisect_right(days, row["as_of"])
        levels = running[at - 1][1] if at else dict.fromkeys(CONFIDENCE_LEVELS, 0)
        documented[row["as_of"]] = levels
    return {
        "official": rows,
        "documented": [
            {
                "date": day,
                "cumulative_incidents": sum(levels.values()),
                "by_confidence": dict(levels),
            }
            for day, levels in documented.items()
        ],
    }


def _documented_attacks_by_day(
    last: datetime.date | None,
) -> list[tuple[datetime.date, dict[str, int]]]:
    """(day, published attacks from ``WAVE_START`` up to and including it per
    confidence level), for each day with an attack up to ``last``: one grouped pass
    by day and derived confidence (``confidence_expression``, the rule every
    confidence filter uses), whose rows are summed here.

    Not a count per official total: as a correlated subquery that read every
    attack once per total, 15 s for 28 totals at a million incidents on SQLite.
    """
    if last is None:
        return []
    per_day = (
        Incident.objects.published()
        .filter(
            event_type=Incident.EventType.ATTACK,
            occurred_on__gte=WAVE_START,
            occurred_on__lte=last,
        )
        .with_confidence()
        .order_by()
        .values("occurred_on", "confidence_level")
        .annotate(n=Count("pk"))
        .order_by("occurred_on")
    )
    running: list[tuple[datetime.date, dict[str, int]]] = []
    totals = dict.fromkeys(CONFIDENCE_LEVELS, 0)
    for row in per_day:
        totals[row["confidence_level"]] += row["n"]
        if running and running[-1][0] == row["occurred_on"]:
            running[-1] = (row["occurred_on"], dict(totals))
        else:
            running.append((row["occurred_on"], dict(totals)))
    return running
