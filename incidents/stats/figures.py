"""The figures page (``/stats/``): every aggregate of ``stats.aggregates`` for the
map's filters, as tables a reader can check, computed here without HTTP.

The page takes exactly the map's filters (``static/incidents/js/common/url_state.js``:
``q``, ``weapon``, ``actor``, ``site``, ``country``, ``confidence``, ``date_from``,
``date_to``), parsed by the API's own table, so a bad one is the same error the API
gives (the view answers 400 naming it), and counts published incidents only.

Every number leads to its incidents: a row the map can list exactly (a month, a
weapon, a site) carries the map address that lists them (``map_query``: the
page's filters narrowed to the row). An actor row links to the map's actor
filter, which lists every incident involving that actor in any role and, for an
umbrella, its member groups too, so that list can be longer than the row; the
page says so. The official running totals are not narrowed by the filters: they
are the officials' counts of everything, shown beside the attacks documented here,
and those split by confidence (confirmed, claimed only, reported, disputed) so that
a claim never stands beside an official count as if it were confirmed.

The tables are kept in Django's cache under the data version, as the API's
aggregates are; the page itself is not (it carries the language form's CSRF token).
"""

import calendar
import datetime
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

import orjson
from django.core.cache import cache
from django.http import QueryDict

from .. import selectors
from ..filters import params as p
from ..filters.query import incident_filters
from ..models import Incident, Involvement
from ..upkeep import AGGREGATE_TIMEOUT, data_freshness
from . import aggregates as stats

# The map's filters, in the map's order (its addresses keep this order too).
PAGE_FILTER_NAMES = (
    "q",
    "weapon",
    "actor",
    "site",
    "country",
    "confidence",
    "date_from",
    "date_to",
)
PAGE_FILTERS = tuple(
    param for param in p.INCIDENT_FILTERS if param.name in PAGE_FILTER_NAMES
)


@dataclass(frozen=True)
class FiguresPage:
    """What ``/stats/`` shows. ``query`` is the filters as given (checked), the
    rows are ``stats.aggregates``'s with a ``map_query`` where the map lists them."""

    query: dict[str, str]
    summary: dict
    months: list[dict]
    weapons: list[dict]
    sites: list[dict]
    actors: list[dict]
    # each running total with ``documented`` by its date, split by confidence
    official: list[dict]

    @property
    def query_string(self) -> str:
        """The filters as a query string, for the API links ("" or "?...")."""
        return _query_string(self.query)


def _query_string(values: dict[str, str]) -> str:
    # Commas stay readable, as in the map's own addresses.
    return f"?{urlencode(values, safe=',')}" if values else ""


def map_query(query: dict[str, str], **narrower: str) -> str:
    """The map's address (query string) for ``query`` narrowed by ``narrower``."""
    values = {**query, **narrower}
    return _query_string(
        {name: values[name] for name in PAGE_FILTER_NAMES if name in values}
    )


def _month_range(
    first: datetime.date, date_from: datetime.date | None, date_to: datetime.date | None
) -> tuple[str, str]:
    """The part of ``first``'s month that the date filters leave."""
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start = max(first, date_from) if date_from else first
    end = min(last, date_to) if date_to else last
    return start.isoformat(), end.isoformat()


def figures_page(*, query: QueryDict) -> FiguresPage:
    """Every table for the filters in ``query``.

    Raises ``ParamError`` for an unknown, repeated or malformed parameter and
    ``selectors.UnknownReference`` for a site or actor that does not exist.
    """
    parsed = p.parse_query(query, PAGE_FILTERS)
    filters = incident_filters(parsed)
    given = {
        name: (query.get(name) or "").strip()
        for name in PAGE_FILTER_NAMES
        if name in query
    }
    tables = _cached_tables(filters, given)
    # Labels after the cache: the tables are the same in every language.
    for row in tables["weapons"]:
        none = row["weapon"] == stats.NO_WEAPON
        row["label"] = None if none else Incident.Weapon(row["weapon"]).label
    for row in tables["actors"]:
        row["role_label"] = Involvement.Role(row["role"]).label
    return FiguresPage(query=given, **tables)


def _cached_tables(filters: selectors.IncidentFilters, given: dict[str, str]) -> dict:
    """The tables, kept in Django's cache until the data changes, like the API's
    aggregates (at a million incidents they take seconds to count; a repeat is
    one version read). An unknown site or actor raises before anything is kept."""
    # Published incidents only, for everyone: the public version keys them.
    inputs = [data_freshness(public=True).token, sorted(given.items())]
    key = f"figures-page:{hashlib.sha256(orjson.dumps(inputs)).hexdigest()[:40]}"
    tables = cache.get(key)
    if tables is None:
        tables = _tables(filters, given)
        cache.set(key, tables, AGGREGATE_TIMEOUT)  # as long as the API keeps its own
    return tables


def _tables(filters: selectors.IncidentFilters, given: dict[str, str]) -> dict:
    incidents = selectors.incident_filter(
        queryset=Incident.objects.published(), filters=filters
    )
    months = stats.stats_timeline(queryset=incidents, interval="month")
    for row in months:
        date_from, date_to = _month_range(
            row["period"], filters.date_from, filters.date_to
        )
        row["map_query"] = map_query(given, date_from=date_from, date_to=date_to)
    weapons = stats.stats_by_weapon(queryset=incidents)
    for row in weapons:
        # Events without a weapon cannot be asked for on the map.
        none = row["weapon"] == stats.NO_WEAPON
        row["map_query"] = None if none else map_query(given, weapon=row["weapon"])
    sites = stats.stats_by_site(queryset=incidents)
    for row in sites:
        row["map_query"] = map_query(given, site=row["slug"])
    actors = stats.stats_by_actor(queryset=incidents)
    for row in actors:
        row["map_query"] = map_query(given, actor=row["slug"])
    return {
        "summary": stats.stats_summary(queryset=incidents),
        "months": months,
        "weapons": weapons,
        "sites": sites,
        "actors": actors,
        "official": _official_rows(),
    }


def _official_rows() -> list[dict]:
    """Each official total with the attacks documented by its date: ``documented``
    and its split by confidence, ``documented_by_confidence`` (``confirmed``,
    ``reported``, ``claimed``, ``disputed``), as ``stats/official-totals/`` gives."""
    series = stats.official_totals_with_documented()
    by_day = {row["date"]: row for row in series["documented"]}
    return [
        {
            **row,
            "documented": by_day[row["as_of"]]["cumulative_incidents"],
            "documented_by_confidence": by_day[row["as_of"]]["by_confidence"],
        }
        for row in series["official"]
    ]
