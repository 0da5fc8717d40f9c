"""From parsed query parameters to the selectors' ``IncidentFilters``.

The rules that involve more than one parameter (a date range must not be inverted,
``near`` and ``radius_km`` come together) are stated in ``dependencies`` and
checked here.
"""

from typing import Any

from ..selectors import IncidentFilters
from .dependencies import FILTER_DEPENDENCIES, check

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
    check(parsed, FILTER_DEPENDENCIES)
    values = {field: parsed[name] for name, field in _LISTS.items() if name in parsed}
    values.update({name: parsed[name] for name in _SCALARS if name in parsed})
    if "q" in parsed:
        values["text"] = parsed["q"]
    return IncidentFilters(**values)
