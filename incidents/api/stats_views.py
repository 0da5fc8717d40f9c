"""The aggregates API under ``/api/v1/stats/``: thin views over ``stats.aggregates``.

Every endpoint but the official totals takes the same incident filters as
``/api/v1/incidents/`` and counts **published incidents only**, for every caller:
the numbers are public figures, so an editor sees the same as a reader, and there
is no ``status`` parameter (it is rejected as unknown). ``updated_since`` narrows
to incidents changed since then but never adds the retraction tombstones the sync
feed shows: a retracted incident is not counted anywhere.

Their bodies are kept in Django's cache under the data version (``caching``), so a
repeated question costs one version read until something changes.
"""

from dataclasses import replace

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..filters import params as p
from ..filters import parsers as pp
from ..filters.query import incident_filters
from ..models import Incident, Involvement
from ..stats import aggregates as stats
from .caching import CachedAggregateMixin
from .schema import document
from .schema_shapes import BAD_INPUT

STATS_FILTERS = tuple(
    replace(
        param,
        description="Only incidents changed at or after this ISO 8601 time (UTC "
        "when no offset). Retracted incidents are never counted.",
    )
    if param.name == "updated_since"
    else param
    for param in p.INCIDENT_FILTERS
)

INTERVAL = p.Param(
    "interval",
    pp.choice(list(stats.INTERVALS)),
    "Period length: day, week (ISO, starting Monday) or month; default week.",
    "week",
)
ROLES = [value for value, _label in Involvement.Role.choices]
ROLE = p.Param(
    "role",
    pp.choice(ROLES),
    f"Only this role: {', '.join(ROLES)}.",
    "claimed_by",
)
AS_OF_FROM = p.Param(
    "date_from",
    pp.parse_date,
    "Official totals as of this day or later.",
    "2023-11-01",
    "date",
)
AS_OF_TO = p.Param(
    "date_to",
    pp.parse_date,
    "Official totals as of this day or earlier.",
    "2024-01-31",
    "date",
)


def _filtered(request: Request, extra: tuple[p.Param, ...] = ()) -> tuple:
    """Parsed parameters and the published incidents they select."""
    parsed = p.parse_query(request.query_params, [*STATS_FILTERS, *extra])
    filters = incident_filters(parsed)
    queryset = selectors.incident_filter(
        queryset=Incident.objects.published(), filters=filters
    )
    return parsed, queryset


def _int(description: str, nullable: bool = False) -> dict:
    schema = {"type": "integer", "description": description}
    if nullable:
        schema["nullable"] = True
    return schema


CASUALTIES = {
    "injured": _int(
        "Sum over incidents that reported a number; null if none did.", True
    ),
    "killed": _int(
        "Sum over incidents that reported a number; null if none did.", True
    ),
    "injured_reported": _int("Incidents that reported an injured count (maybe 0)."),
    "killed_reported": _int("Incidents that reported a killed count (maybe 0)."),
}


def _results(description: str, **properties) -> dict:
    return {
        "type": "object",
        "properties": {
            "results": {
                "type": "array",
                "description": description,
                "items": {"type": "object", "properties": properties},
            }
        },
    }


_TEXT = {"type": "string"}

TIMELINE = _results(
    "One row per period with incidents (empty periods are omitted), oldest first.",
    period={"type": "string", "format": "date", "description": "First day."},
    incidents=_int("Incidents filed under this period."),
    **CASUALTIES,
    imprecise=_int("Incidents dated only to a period coarser than the interval."),
)
TIMELINE["properties"]["interval"] = {"type": "string", "enum": list(stats.INTERVALS)}


class StatsTimelineView(CachedAggregateMixin, APIView):
    """GET: incidents and casualties per day, week or month."""

    @document(
        "stats_timeline",
        spec={
            "summary": "Published incidents and casualties per day, week or month",
            "parameters": [INTERVAL, *STATS_FILTERS],
            "responses": {200: TIMELINE, 400: BAD_INPUT},
        },
    )
    def get(self, request: Request) -> Response:
        parsed, queryset = _filtered(request, (INTERVAL,))
        interval = parsed.get("interval", "week")
        return Response(
            {
                "interval": interval,
                "results": stats.stats_timeline(queryset=queryset, interval=interval),
            }
        )


class StatsSitesView(CachedAggregateMixin, APIView):
    """GET: incidents and casualties per site."""

    @document(
        "stats_sites",
        spec={
            "summary": "Published incidents and casualties per site",
            "parameters": list(STATS_FILTERS),
            "responses": {
                200: _results(
                    "Sites with at least one matching incident, most first; an "
                    "incident at several sites counts for each.",
                    slug=_TEXT,
                    name=_TEXT,
                    name_ar=_TEXT,
                    incidents=_int("Matching incidents at this site."),
                    **CASUALTIES,
                ),
                400: BAD_INPUT,
            },
        },
    )
    def get(self, request: Request) -> Response:
        _parsed, queryset = _filtered(request)
        return Response({"results": stats.stats_by_site(queryset=queryset)})


class StatsActorsView(CachedAggregateMixin, APIView):
    """GET: incidents per actor and role."""

    @document(
        "stats_actors",
        spec={
            "summary": "Published incidents per actor and role",
            "parameters": [ROLE, *STATS_FILTERS],
            "responses": {
                200: _results(
                    "One row per actor and role, most incidents first; not rolled "
                    "up into umbrellas (see `parent`).",
                    slug=_TEXT,
                    name=_TEXT,
                    name_ar=_TEXT,
                    parent={"type": "string", "nullable": True},
                    role={"type": "string", "enum": ROLES},
                    incidents=_int("Matching incidents with this actor in this role."),
                ),
                400: BAD_INPUT,
            },
        },
    )
    def get(self, request: Request) -> Response:
        parsed, queryset = _filtered(request, (ROLE,))
        rows = stats.stats_by_actor(queryset=queryset, role=parsed.get("role"))
        return Response({"results": rows})


class StatsWeaponsView(CachedAggregateMixin, APIView):
    """GET: incidents and casualties per weapon."""

    @document(
        "stats_weapons",
        spec={
            "summary": "Published incidents and casualties per weapon",
            "parameters": list(STATS_FILTERS),
            "responses": {
                200: _results(
                    "One row per weapon, most incidents first.",
                    weapon={
                        "type": "string",
                        "enum": [*p.WEAPONS, stats.NO_WEAPON],
                        "description": "`none` for incidents without a weapon.",
                    },
                    incidents=_int("Matching incidents with this weapon."),
                    **CASUALTIES,
                ),
                400: BAD_INPUT,
            },
        },
    )
    def get(self, request: Request) -> Response:
        _parsed, queryset = _filtered(request)
        return Response({"results": stats.stats_by_weapon(queryset=queryset)})


BY_CONFIDENCE = {
    "type": "object",
    "description": "`cumulative_incidents` split by each attack's derived confidence "
    "(as the `confidence` filter derives it from the citations); every level is "
    "present, 0 when none, and the four add up to `cumulative_incidents`. Claims "
    "stay apart from confirmed attacks: `claimed` are attacks only the "
    "perpetrator's side (a claim, or a claim channel) reports.",
    "required": list(stats.CONFIDENCE_LEVELS),
    "additionalProperties": False,
    "properties": {
        "confirmed": _int("An official or independent source confirms it."),
        "reported": _int(
            "Reported, but not confirmed by an official or independent source "
            "(or no source is recorded)."
        ),
        "claimed": _int("Only the perpetrator's side says so."),
        "disputed": _int("At least one source denies it."),
    },
}

OFFICIAL_TOTALS = {
    "type": "object",
    "properties": {
        "results": {
            "type": "array",
            "description": "Published running totals by as_of; null = not given.",
            "items": {
                "type": "object",
                "properties": {
                    "as_of": {"type": "string", "format": "date"},
                    "as_of_precision": {"type": "string", "enum": ["day", "month"]},
                    "reported_by": _TEXT,
                    "scope": _TEXT,
                    "total_attacks": _int("", True),
                    "iraq": _int("", True),
                    "syria": _int("", True),
                    "us_injured": _int("", True),
                    "note": _TEXT,
                    "source_urls": {"type": "array", "items": _TEXT},
                },
            },
        },
        "documented": {
            "type": "array",
            "description": "Published attack incidents from 2023-10-17 to each as_of.",
            "items": {
                "type": "object",
                "required": ["date", "cumulative_incidents", "by_confidence"],
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "cumulative_incidents": _int(""),
                    "by_confidence": BY_CONFIDENCE,
                },
            },
        },
    },
}


class StatsOfficialTotalsView(CachedAggregateMixin, APIView):
    """GET: official running totals, and Basewatch's documented count beside them.

    Official totals are a separate series, not our incidents: officials count
    "attacks on our facilities" their own way (a salvo on two bases may be one or
    two; some count only what they confirm), monitors and armed groups count claims,
    and none of them lists the incidents. ``documented`` is the number of published
    attack incidents Basewatch holds from 17 October 2023 to each ``as_of``, so a
    reader sees how much of an official count is documented here, and
    ``by_confidence`` splits it into confirmed, reported, claimed and disputed
    attacks, so that claims are never read as confirmed beside an official count.
    """

    @document(
        "stats_official_totals",
        spec={
            "summary": "Official running totals beside documented attack counts",
            "parameters": [AS_OF_FROM, AS_OF_TO],
            "responses": {200: OFFICIAL_TOTALS, 400: BAD_INPUT},
        },
    )
    def get(self, request: Request) -> Response:
        parsed = p.parse_query(request.query_params, [AS_OF_FROM, AS_OF_TO])
        incident_filters(parsed)  # the same inverted-range check as elsewhere
        series = stats.official_totals_with_documented(
            date_from=parsed.get("date_from"), date_to=parsed.get("date_to")
        )
        return Response(
            {"results": series["official"], "documented": series["documented"]}
        )
