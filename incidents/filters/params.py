"""Query parameters: one table says what each endpoint accepts, how to parse it, and
how to document it.

Strict on purpose. An unknown or repeated parameter, a malformed value or an
impossible combination is a 400 naming the parameter; nothing is silently ignored,
because a reader who typed ``?wepon=drone`` must not be shown every incident as if it
were the drone attacks. The same table feeds the OpenAPI schema (see ``schema.py``),
so the documentation cannot drift from what the code accepts. The parsers of single
values are in ``parsers``.

(django-filter was considered: its forms would give per-field errors, but not the
rejection of unknown parameters, comma lists with per-item errors, or cross-field
rules without as much code as this module.)
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from ..geo.polygons import MAX_POLYGON_VERTICES
from ..models import Incident, MergeProposal
from ..rules.confidence import Confidence
from .parsers import (
    MAX_RADIUS_KM,
    Invalid,
    ParamError,
    choice,
    choice_list,
    country_list,
    numeric_id,
    parse_bbox,
    parse_bool,
    parse_date,
    parse_id,
    parse_point,
    parse_radius,
    parse_text,
    parse_timestamp,
    parse_within,
    positive_int,
    slug_list,
    slug_param,
)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 10_000


@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[str], Any]
    description: str
    example: str
    # OpenAPI string format: "date", or one of ours ("site-slugs": slugs that must
    # name rows, which a pattern cannot say).
    format: str = ""
    required: bool = False  # a request without it is a 400
    location: str = "query"  # or "path": a part of the URL


def _choices(model_choices) -> list[str]:
    return [value for value, _label in model_choices]


WEAPONS = _choices(Incident.Weapon.choices)
EVENT_TYPES = _choices(Incident.EventType.choices)
CONFIDENCES = _choices(Confidence.choices)
STATUSES = _choices(Incident.Status.choices)

INCIDENT_FILTERS = (
    Param(
        "bbox",
        parse_bbox,
        "Bounding box `minlon,minlat,maxlon,maxlat` in WGS84 degrees; edges included.",
        "35.5,29.0,48.8,37.4",
    ),
    Param(
        "date_from", parse_date, "Incidents on or after this day.", "2023-10-17", "date"
    ),
    Param(
        "date_to", parse_date, "Incidents on or before this day.", "2023-11-30", "date"
    ),
    Param(
        "site",
        slug_list,
        "Site slugs, comma-separated (any of them), as `sites/` lists them; one "
        "that names no site is a 400 naming it.",
        "al-omar,conoco",
        "site-slugs",
    ),
    Param(
        "actor",
        slug_list,
        "Actor slugs, comma-separated, as `actors/` lists them (one that names no "
        "actor is a 400 naming it); an umbrella includes every group under it.",
        "islamic-resistance-in-iraq",
        "actor-slugs",
    ),
    Param(
        "weapon",
        choice_list(WEAPONS),
        f"Weapons, comma-separated: {', '.join(WEAPONS)}.",
        "drone,rocket",
    ),
    Param(
        "event_type",
        choice_list(EVENT_TYPES),
        f"Event types, comma-separated: {', '.join(EVENT_TYPES)}.",
        "attack",
    ),
    Param(
        "country", country_list, "ISO 3166-1 alpha-2 codes, comma-separated.", "SY,IQ"
    ),
    Param(
        "confidence",
        choice_list(CONFIDENCES),
        "Derived confidence, comma-separated: confirmed (an official or independent "
        "source confirms), reported, claimed (only the perpetrator's side), disputed "
        "(a source denies).",
        "confirmed",
    ),
    Param(
        "q",
        parse_text,
        "Text in the summary, site names or actor names, Arabic or Latin; diacritics, "
        "letter variants (أ/إ/آ/ا, ة/ه, ى/ي) and case are ignored. "
        "Every word must match.",
        "عين الأسد",
    ),
    Param(
        "near",
        parse_point,
        "Centre `lon,lat` of a great-circle search; needs `radius_km`.",
        "40.576,35.152",
    ),
    Param(
        "radius_km",
        parse_radius,
        f"Radius around `near` in kilometres, above 0 and at most {MAX_RADIUS_KM:g}.",
        "25",
    ),
    Param(
        "within",
        parse_within,
        "Only incidents inside this polygon (edges included): a GeoJSON Polygon or "
        "MultiPolygon geometry, or WKT, in WGS84 longitude/latitude; at most "
        f"{MAX_POLYGON_VERTICES:,} vertices. A self-intersecting or otherwise invalid "
        "polygon is a 400 that says why.",
        "POLYGON((40 34.5, 41 34.5, 41 35.5, 40 35.5, 40 34.5))",
    ),
    Param(
        "located",
        parse_bool,
        "`true`: only incidents with a point; `false`: only those without one "
        "(named places nobody has located).",
        "false",
    ),
    Param(
        "updated_since",
        parse_timestamp,
        "Only incidents changed at or after this ISO 8601 time (UTC when no offset). "
        "Retracted incidents then appear as tombstones (id, status, updated_at) so a "
        "mirror can delete them.",
        "2023-11-15T00:00:00Z",
        "date-time",
    ),
)

STATUS_FILTER = Param(
    "status",
    choice_list(STATUSES),
    "Editors only (signed in, allowed to view unpublished incidents): statuses to "
    "include (default published); from anyone else a 403.",
    "draft,review",
)

# GET merge-proposals/ (``merge_views``).
PROPOSAL_FILTERS = (
    Param(
        "status",
        choice_list(_choices(MergeProposal.Status.choices)),
        "Proposals in these states (default: every state).",
        "open",
    ),
    Param(
        "incident",
        numeric_id,
        "Only proposals naming this incident, on either side.",
        "12",
    ),
)

PAGINATION = (
    Param("page", positive_int(), "Page number, from 1.", "1"),
    Param(
        "page_size",
        positive_int(MAX_PAGE_SIZE),
        f"Features per page; default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}.",
        "500",
    ),
)

ORDERING = Param(
    "ordering",
    choice(["occurred_on", "-occurred_on", "updated_at", "-updated_at"]),
    "Sort order; default newest first (`-occurred_on`), or `updated_at` with "
    "`updated_since`.",
    "-occurred_on",
)


def _path(name: str, parse: Callable, description: str, example: str) -> Param:
    return Param(name, parse, description, example, required=True, location="path")


# The ids and slugs in the URLs (``urls``): a malformed one is a 400, an unknown one
# a 404.
INCIDENT_ID = _path("incident_id", parse_id, "The incident's numeric id.", "12")
PROPOSAL_ID = _path("proposal_id", parse_id, "The merge proposal's numeric id.", "3")
SOURCE_ID = _path("source_id", parse_id, "The source's numeric id.", "7")
SLUG = _path("slug", slug_param, "The slug (a-z, 0-9, - and _).", "al-omar")


# ACLED's format is a list of events; a site is not one, so the sites' list has no
# ACLED form (the incidents at a site are ``incidents/?site=<slug>&format=acled``).
INCIDENT_FORMATS = ["geojson", "csv", "acled"]
SITE_FORMATS = ["geojson", "csv"]


def format_param(formats: list[str]) -> Param:
    return Param(
        "format",
        choice(formats),
        f"Response format: {', '.join(formats)} (default {formats[0]}).",
        formats[0],
    )


def parse_query(query: QueryDict, params: Iterable[Param]) -> dict[str, Any]:
    """Parse every given parameter; raise one ParamError listing all problems."""
    by_name = {p.name: p for p in params}
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for name in query:
        values = query.getlist(name)
        if name not in by_name:
            errors[name] = f"unknown parameter; accepted: {', '.join(sorted(by_name))}"
        elif len(values) > 1:
            errors[name] = "given more than once"
        else:
            try:
                parsed[name] = by_name[name].parse(values[0].strip())
            except Invalid as exc:
                errors[name] = str(exc)
    if errors:
        raise ParamError(errors)
    return parsed
