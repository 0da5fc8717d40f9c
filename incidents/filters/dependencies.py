"""Rules between query parameters, each stated once: ``check`` enforces it (a 400
naming the parameter) and the OpenAPI schema documents it, in an operation's
``x-dependencies``, in IDL, the Inter-parameter Dependency Language of
Martin-Lopez, Segura and Ruiz-Cortés ("A catalogue of inter-parameter dependencies
in RESTful web APIs", 2019), which test generators for OpenAPI read.

A JSON Schema describes one parameter at a time; these are what it cannot say.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .parsers import ParamError

Parsed = dict[str, Any]


@dataclass(frozen=True)
class Dependency:
    idl: str
    parameters: tuple[str, ...]  # the operation must accept all of them
    check: Callable[[Parsed], dict[str, str]]  # the errors, by parameter


def _near_with_radius(parsed: Parsed) -> dict[str, str]:
    if ("near" in parsed) == ("radius_km" in parsed):
        return {}
    missing = "radius_km" if "near" in parsed else "near"
    return {missing: "near and radius_km must be given together"}


def _dates_in_order(parsed: Parsed) -> dict[str, str]:
    date_from, date_to = parsed.get("date_from"), parsed.get("date_to")
    if date_from and date_to and date_from > date_to:
        return {"date_from": f"{date_from} is after date_to {date_to}"}
    return {}


def _acled_unpaged(parsed: Parsed) -> dict[str, str]:
    if parsed.get("format") != "acled":
        return {}
    return {
        name: "format=acled exports every matching incident; pages do not apply"
        for name in ("page", "page_size")
        if name in parsed
    }


NEAR_WITH_RADIUS = Dependency(
    "AllOrNone(near, radius_km);", ("near", "radius_km"), _near_with_radius
)
DATES_IN_ORDER = Dependency(
    "date_from <= date_to;", ("date_from", "date_to"), _dates_in_order
)
ACLED_UNPAGED = Dependency(
    "IF format=='acled' THEN NOT page AND NOT page_size;",
    ("format", "page", "page_size"),
    _acled_unpaged,
)
FILTER_DEPENDENCIES = (NEAR_WITH_RADIUS, DATES_IN_ORDER)
ALL = (*FILTER_DEPENDENCIES, ACLED_UNPAGED)


def check(parsed: Parsed, dependencies: Iterable[Dependency]) -> None:
    """Raise one ParamError naming every parameter a dependency refuses."""
    errors: dict[str, str] = {}
    for dependency in dependencies:
        errors.update(dependency.check(parsed))
    if errors:
        raise ParamError(errors)


def applying_to(names: Iterable[str]) -> list[Dependency]:
    """The dependencies among these parameters, for an operation's schema."""
    accepted = set(names)
    return [d for d in ALL if accepted.issuperset(d.parameters)]
