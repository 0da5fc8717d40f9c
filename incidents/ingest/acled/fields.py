"""An ACLED row's incident fields, and which of them a newer row may change.

``row_fields`` is what a row says in our model's fields. When the importer
created an incident from an event, it records those values as the event gave them
(``external_data["acled_base"]``; the summary as a digest, it is the longest).
A newer version of the event then changes a field only where the incident still
holds the value the event gave: an editor's correction is kept, and ACLED's new
value is recorded as the base, so the next version compares against it.

Incidents imported before the base was recorded have it derived from their stored
cells, as the export does; their summary is taken as unchanged (the old importer
always replaced it).
"""

import datetime
import hashlib

from incidents.models import Incident

from .columns import AcledRow, parse_date
from .mapping import (
    GEO_PRECISION_M,
    TIME_PRECISION,
    event_type_and_weapon,
    row_country,
)
from .notes import casualties

BASE_KEY = "acled_base"
FIELDS = (
    "occurred_on",
    "occurred_at",
    "date_precision",
    "event_type",
    "weapon",
    "latitude",
    "longitude",
    "precision_m",
    "country",
    "admin1",
    "killed",
    "injured",
    "summary",
)


def row_fields(row: AcledRow) -> dict:
    """The incident fields a row gives (``FIELDS``)."""
    cells = row.cells
    event_type, weapon = event_type_and_weapon(
        cells["sub_event_type"], cells["notes"], cells["inter1"]
    )
    killed, injured = casualties(cells["notes"], row.fatalities)
    fields = {
        "occurred_on": row.occurred_on,
        "occurred_at": None,
        "date_precision": TIME_PRECISION[row.time_precision],
        "event_type": event_type,
        "weapon": weapon,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "precision_m": GEO_PRECISION_M[row.geo_precision],
        "country": row_country(cells["iso"], cells["country"]),
        "admin1": row.cell("admin1")[:100],
        "killed": killed,
        "injured": injured,
        "summary": cells["notes"],
    }
    # What Basewatch's own tags say overrides what ACLED's columns could say.
    fields.update(row.facts.fields)
    return fields


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _comparable(name: str, value):
    if name == "summary":
        return _digest(value or "")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def base_record(fields: dict) -> dict:
    """What to keep as the base: JSON values, the summary as a digest."""
    return {name: _comparable(name, fields[name]) for name in FIELDS if name in fields}


def _legacy_base(incident: Incident) -> dict | None:
    cells = (incident.external_data or {}).get("acled")
    if not isinstance(cells, dict):
        return None
    day = parse_date(cells.get("event_date", ""))
    event_type, weapon = event_type_and_weapon(
        cells.get("sub_event_type", ""), incident.summary, cells.get("inter1", "")
    )

    def number(name: str, kind):
        try:
            return kind(cells.get(name, ""))
        except ValueError:
            return None

    return base_record(
        {
            "occurred_on": day,
            "occurred_at": None,
            "date_precision": TIME_PRECISION.get(cells.get("time_precision", "")),
            "event_type": event_type,
            "weapon": weapon,
            "latitude": number("latitude", float),
            "longitude": number("longitude", float),
            "precision_m": GEO_PRECISION_M.get(cells.get("geo_precision", "")),
            "country": row_country(cells.get("iso", ""), cells.get("country", "")),
            "admin1": cells.get("admin1", "").strip()[:100],
            "killed": number("fatalities", int),
            "summary": incident.summary,
        }
    )


def fields_to_change(incident: Incident, new: dict) -> dict:
    """The fields of ``new`` that may replace the incident's: those it still
    holds as the event last gave them."""
    base = (incident.external_data or {}).get(BASE_KEY) or _legacy_base(incident)
    if not isinstance(base, dict):
        return {}
    changes = {}
    for name in FIELDS:
        current = _comparable(name, getattr(incident, name))
        if (
            name in base
            and current == base[name]
            and current != _comparable(name, new[name])
        ):
            changes[name] = new[name]
    return changes
