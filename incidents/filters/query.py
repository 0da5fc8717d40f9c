"""From parsed query parameters to the selectors' ``IncidentFilters``.

The rules that involve more than one parameter live here: a date range must not be
inverted, ``near`` and ``radius_km`` come together.
"""

from typing import Any

from ..selectors import IncidentFilters
from .parsers import ParamError

_LISTS = {
    "site": "sites",
    "actor": "actors",
    "weapon": "weapons",
    "event_type": "event_types",
    "country": "countries",
    "confidence": "confidence",
    "status": "statuses",
}
_SCALARS = (
    "bbox",
    "date_from",
    "date_to",
    "near",
    "radius_km",
    "updated_since",
    "located",
    "within",
)


def incident_filters(parsed: dict[str, Any]) -> IncidentFilters:
    errors = {}
    date_from, date_to = parsed.get("date_from"), parsed.get("date_to")
    if date_from and date_to and date_from > date_to:
        errors["date_from"] = f"{date_from} is after date_to {date_to}"
    if ("near" in parsed) != ("radius_km" in parsed):
        missing = "radius_km" if "near" in parsed else "near"
        errors[missing] = "near and radius_km must be given together"
    if errors:
        raise ParamError(errors)
    values = {field: parsed[name] for name, field in _LISTS.items() if name in parsed}
    values.update({name: parsed[name] for name in _SCALARS if name in parsed})
    if "q" in parsed:
        values["text"] = parsed["q"]
    return IncidentFilters(**values)
