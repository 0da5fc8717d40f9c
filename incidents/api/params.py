"""Query parameters: one table says what each endpoint accepts, how to parse it, and
how to document it.

Strict on purpose. An unknown or repeated parameter, a malformed value or an
impossible combination is a 400 naming the parameter; nothing is silently ignored,
because a reader who typed ``?wepon=drone`` must not be shown every incident as if it
were the drone attacks. The same table feeds the OpenAPI schema (see ``schema.py``),
so the documentation cannot drift from what the code accepts.

(django-filter was considered: its forms would give per-field errors, but not the
rejection of unknown parameters, comma lists with per-item errors, or cross-field
rules without as much code as this module.)
"""

import datetime
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from ..confidence import Confidence
from ..geo.polygons import MAX_POLYGON_VERTICES, parse_polygon
from ..models import Incident

MAX_RADIUS_KM = 2000.0
MAX_TEXT_LENGTH = 200
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 10_000
# ASCII only, and \Z rather than $ (which also matches before a final newline).
_SLUG = re.compile(r"[-a-z0-9_]+\Z")
_COUNTRY = re.compile(r"[A-Za-z]{2}\Z")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ID = re.compile(r"[0-9]{1,18}\Z")
_PAGE_NUMBER = re.compile(r"[0-9]{1,9}\Z")


class ParamError(ValueError):
    """Bad query parameters: ``errors`` maps each parameter to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class Invalid(ValueError):
    """Raised by a parser; the message says what is wrong with the value."""


def _number(text: str, what: str) -> float:
    # float() alone would take "1_0", "nan", "inf" and non-ASCII digits.
    if not _NUMBER.match(text):
        raise Invalid(f"{what} {text[:40]!r} is not a decimal number")
    value = float(text)
    if not math.isfinite(value):
        raise Invalid(f"{what} must be a finite number")
    return value


def _longitude(text: str) -> float:
    value = _number(text, "longitude")
    if not -180 <= value <= 180:
        raise Invalid(f"longitude {value:g} is outside -180..180")
    return value


def _latitude(text: str) -> float:
    value = _number(text, "latitude")
    if not -90 <= value <= 90:
        raise Invalid(f"latitude {value:g} is outside -90..90")
    return value


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    parts = text.split(",")
    if len(parts) != 4:
        raise Invalid(
            "expected minlon,minlat,maxlon,maxlat (4 comma-separated numbers)"
        )
    min_lon, max_lon = _longitude(parts[0]), _longitude(parts[2])
    min_lat, max_lat = _latitude(parts[1]), _latitude(parts[3])
    if min_lon > max_lon:
        raise Invalid(
            "minlon is greater than maxlon (inverted; boxes across the antimeridian "
            "are not supported: send two requests)"
        )
    if min_lat > max_lat:
        raise Invalid("minlat is greater than maxlat (inverted)")
    return (min_lon, min_lat, max_lon, max_lat)


def parse_point(text: str) -> tuple[float, float]:
    parts = text.split(",")
    if len(parts) != 2:
        raise Invalid("expected lon,lat (2 comma-separated numbers)")
    return (_longitude(parts[0]), _latitude(parts[1]))


def parse_radius(text: str) -> float:
    value = _number(text, "radius")
    if not 0 < value <= MAX_RADIUS_KM:
        raise Invalid(f"must be greater than 0 and at most {MAX_RADIUS_KM:g} km")
    return value


def parse_date(text: str) -> datetime.date:
    try:
        if not _DATE.match(text):
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{text!r} is not a date in YYYY-MM-DD form") from None


def parse_timestamp(text: str) -> datetime.datetime:
    """ISO 8601; without an offset it is taken as UTC."""
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise Invalid(f"{text!r} is not an ISO 8601 timestamp (2023-11-15T20:00:00Z)")
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise Invalid(f"{text!r} falls outside the years 1 to 9999 in UTC") from None


def _items(text: str) -> list[str]:
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise Invalid("empty item in comma-separated list")
    return list(dict.fromkeys(items))


def slug_list(text: str) -> tuple[str, ...]:
    items = _items(text)
    bad = [item for item in items if not _SLUG.match(item)]
    if bad:
        raise Invalid(f"not a slug: {', '.join(bad)}")
    return tuple(items)


def choice_list(choices: Iterable[str]) -> Callable[[str], tuple[str, ...]]:
    allowed = list(choices)

    def parse(text: str) -> tuple[str, ...]:
        items = _items(text)
        bad = [item for item in items if item not in allowed]
        if bad:
            raise Invalid(
                f"unknown value {', '.join(bad)}; allowed: {', '.join(allowed)}"
            )
        return tuple(items)

    return parse


def choice(choices: Iterable[str]) -> Callable[[str], str]:
    allowed = list(choices)

    def parse(text: str) -> str:
        if text not in allowed:
            raise Invalid(f"unknown value {text!r}; allowed: {', '.join(allowed)}")
        return text

    return parse


def country_list(text: str) -> tuple[str, ...]:
    items = _items(text)
    bad = [item for item in items if not _COUNTRY.match(item)]
    if bad:
        raise Invalid(f"not an ISO 3166-1 alpha-2 code: {', '.join(bad)}")
    return tuple(item.upper() for item in items)


def parse_text(text: str) -> str:
    from ..geo.names import normalize_name

    if len(text) > MAX_TEXT_LENGTH:
        raise Invalid(f"longer than {MAX_TEXT_LENGTH} characters")
    if not normalize_name(text):
        raise Invalid("has no letters or digits to search for")
    return text


def positive_int(maximum: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not _PAGE_NUMBER.match(text) or int(text) < 1:
            raise Invalid(f"{text[:40]!r} is not a whole number from 1 to 999999999")
        value = int(text)
        if maximum is not None and value > maximum:
            raise Invalid(f"{value} is above the maximum of {maximum}")
        return value

    return parse


def whole_number(minimum: int, maximum: int) -> Callable[[str], int]:
    """An integer from ``minimum`` to ``maximum``, in ASCII digits; no sign, no
    decimals ("5.0" is refused: the caller meant something else)."""

    def parse(text: str) -> int:
        if not _PAGE_NUMBER.match(text) or not minimum <= int(text) <= maximum:
            raise Invalid(
                f"{text[:40]!r} is not a whole number from {minimum} to {maximum}"
            )
        return int(text)

    return parse


def parse_bool(text: str) -> bool:
    if text in ("true", "false"):
        return text == "true"
    raise Invalid(f"{text[:40]!r} is not true or false")


def parse_within(text: str):
    try:
        return parse_polygon(text)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


def parse_id(text: str) -> int:
    """A path id: digits only, so ``/incidents/abc/`` is a 400, not a 404."""
    if not _ID.match(text):
        raise ParamError({"id": f"{text[:40]!r} is not a numeric id"})
    return int(text)


def slug_param(text: str) -> str:
    """A path slug; a malformed one is a 400 naming it."""
    if not _SLUG.match(text):
        raise ParamError({"slug": f"{text[:40]!r} is not a slug (a-z, 0-9, - and _)"})
    return text


@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[str], Any]
    description: str
    example: str
    format: str = ""  # OpenAPI string format, e.g. "date"


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
        "Site slugs, comma-separated (any of them).",
        "al-omar,conoco",
    ),
    Param(
        "actor",
        slug_list,
        "Actor slugs, comma-separated; an umbrella includes every group under it.",
        "islamic-resistance-in-iraq",
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
    "Editors only: statuses to include (default published).",
    "draft,review",
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
