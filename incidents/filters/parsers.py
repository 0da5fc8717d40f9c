"""Parsers of single query-parameter values, for the table in ``params``.

Each takes the raw text and returns the value or raises ``Invalid`` saying what is
wrong with it; ``params.parse_query`` turns those into one ``ParamError`` (a 400)
naming every bad parameter. Strict on purpose: ASCII digits only, finite numbers,
ranges checked, no silent clamping.
"""

import datetime
import math
import re
from collections.abc import Callable, Iterable

from django.utils.dateparse import parse_datetime

from ..geo.polygons import parse_polygon

MAX_RADIUS_KM = 2000.0
MAX_TEXT_LENGTH = 200
# ASCII only, and \Z rather than $ (which also matches before a final newline).
_SLUG = re.compile(r"[-a-z0-9_]+\Z")
_COUNTRY = re.compile(r"[A-Za-z]{2}\Z")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ID = re.compile(r"[0-9]{1,18}\Z")
_PAGE_NUMBER = re.compile(r"[0-9]{1,9}\Z")

# The same rules as OpenAPI patterns (ECMA-262 regular expressions, anchored), for
# the schema: each is as strict as its parser or stricter (no exponents), never
# looser, so a value the schema allows is one the API accepts.
_LONGITUDE_PATTERN = r"[-+]?(180(\.0*)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]*)?|\.[0-9]+)"
_LATITUDE_PATTERN = r"[-+]?(90(\.0*)?|[0-8]?[0-9](\.[0-9]*)?|\.[0-9]+)"
_SLUG_PATTERN = "[-a-z0-9_]+"
_ID_PATTERN = "^[0-9]{1,18}$"


def _comma_list_pattern(item: str) -> str:
    return f"^({item})(,({item}))*$"


class ParamError(ValueError):
    """Bad query parameters: ``errors`` maps each parameter to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class Invalid(ValueError):
    """Raised by a parser; the message says what is wrong with the value."""


def described(parse: Callable, **schema) -> Callable:
    """``parse``, carrying the OpenAPI schema of the values it accepts (``openapi``),
    so the documentation states the same ranges and choices the parser enforces."""
    parse.openapi = schema  # type: ignore[attr-defined]
    return parse


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


# "bbox" and "polygon" are Basewatch's own string formats (OpenAPI leaves format
# open): each says what a pattern cannot, the order of a box's corners and a
# polygon's validity, and its description says it in words.
described(
    parse_bbox,
    type="string",
    format="bbox",
    pattern=f"^{_LONGITUDE_PATTERN},{_LATITUDE_PATTERN},"
    f"{_LONGITUDE_PATTERN},{_LATITUDE_PATTERN}$",
)


def parse_point(text: str) -> tuple[float, float]:
    parts = text.split(",")
    if len(parts) != 2:
        raise Invalid("expected lon,lat (2 comma-separated numbers)")
    return (_longitude(parts[0]), _latitude(parts[1]))


described(
    parse_point, type="string", pattern=f"^{_LONGITUDE_PATTERN},{_LATITUDE_PATTERN}$"
)


def parse_radius(text: str) -> float:
    value = _number(text, "radius")
    if not 0 < value <= MAX_RADIUS_KM:
        raise Invalid(f"must be greater than 0 and at most {MAX_RADIUS_KM:g} km")
    return value


described(
    parse_radius,
    type="number",
    minimum=0,
    exclusiveMinimum=True,
    maximum=MAX_RADIUS_KM,
)


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


described(slug_list, type="string", pattern=_comma_list_pattern(_SLUG_PATTERN))


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

    alternatives = "|".join(re.escape(value) for value in allowed)
    return described(parse, type="string", pattern=_comma_list_pattern(alternatives))


def choice(choices: Iterable[str]) -> Callable[[str], str]:
    allowed = list(choices)

    def parse(text: str) -> str:
        if text not in allowed:
            raise Invalid(f"unknown value {text!r}; allowed: {', '.join(allowed)}")
        return text

    return described(parse, type="string", enum=allowed)


def country_list(text: str) -> tuple[str, ...]:
    items = _items(text)
    bad = [item for item in items if not _COUNTRY.match(item)]
    if bad:
        raise Invalid(f"not an ISO 3166-1 alpha-2 code: {', '.join(bad)}")
    return tuple(item.upper() for item in items)


described(country_list, type="string", pattern=_comma_list_pattern("[A-Za-z]{2}"))


def parse_text(text: str) -> str:
    from ..geo.names import normalize_name

    if len(text) > MAX_TEXT_LENGTH:
        raise Invalid(f"longer than {MAX_TEXT_LENGTH} characters")
    if not normalize_name(text):
        raise Invalid("has no letters or digits to search for")
    return text


# Unanchored: somewhere a Latin or Arabic letter or a digit (tatweel, U+0640, is
# not one: the search folds it away).
described(
    parse_text,
    type="string",
    minLength=1,
    maxLength=MAX_TEXT_LENGTH,
    pattern="[0-9A-Za-z\u0622-\u063f\u0641-\u064a]",
)


def positive_int(maximum: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not _PAGE_NUMBER.match(text) or int(text) < 1:
            raise Invalid(f"{text[:40]!r} is not a whole number from 1 to 999999999")
        value = int(text)
        if maximum is not None and value > maximum:
            raise Invalid(f"{value} is above the maximum of {maximum}")
        return value

    top = 999_999_999 if maximum is None else maximum
    return described(parse, type="integer", minimum=1, maximum=top)


def whole_number(minimum: int, maximum: int) -> Callable[[str], int]:
    """An integer from ``minimum`` to ``maximum``, in ASCII digits; no sign, no
    decimals ("5.0" is refused: the caller meant something else)."""

    def parse(text: str) -> int:
        if not _PAGE_NUMBER.match(text) or not minimum <= int(text) <= maximum:
            raise Invalid(
                f"{text[:40]!r} is not a whole number from {minimum} to {maximum}"
            )
        return int(text)

    return described(parse, type="integer", minimum=minimum, maximum=maximum)


def parse_bool(text: str) -> bool:
    if text in ("true", "false"):
        return text == "true"
    raise Invalid(f"{text[:40]!r} is not true or false")


described(parse_bool, type="string", enum=["true", "false"])


def parse_within(text: str):
    try:
        return parse_polygon(text)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


described(parse_within, type="string", format="polygon")


def parse_id(text: str) -> int:
    """A path id: digits only, so ``/incidents/abc/`` is a 400, not a 404."""
    if not _ID.match(text):
        raise ParamError({"id": f"{text[:40]!r} is not a numeric id"})
    return int(text)


described(parse_id, type="string", pattern=_ID_PATTERN)


def numeric_id(text: str) -> int:
    """An id given as a query parameter's value (the rule of ``parse_id``)."""
    if not _ID.match(text):
        raise Invalid(f"{text[:40]!r} is not a numeric id")
    return int(text)


described(numeric_id, type="string", pattern=_ID_PATTERN)


def slug_param(text: str) -> str:
    """A path slug; a malformed one is a 400 naming it."""
    if not _SLUG.match(text):
        raise ParamError({"slug": f"{text[:40]!r} is not a slug (a-z, 0-9, - and _)"})
    return text


described(slug_param, type="string", pattern=f"^{_SLUG_PATTERN}$")
