"""ACLED's 31 CSV columns, and the check of one row into a validated ``AcledRow``.

Both import passes parse every row with ``parse_row``: pass 1 keeps only the errors
and the ids, pass 2 the rows themselves, a batch at a time, so neither needs the
whole file in memory.

What a row must satisfy (anything else is reported with its line and column):

- as many cells as the header has columns;
- ``event_id_cnty`` not empty (duplicates are caught by the importer, which sees
  every row);
- ``event_date`` either ISO ``2023-11-15`` or ACLED's ``15 November 2023`` (English
  month names, full or three-letter, any case);
- ``time_precision`` and ``geo_precision`` one of 1, 2, 3 (empty or absent:
  ``ASSUMED``);
- ``latitude``/``longitude`` finite numbers in WGS84 range; both empty is accepted
  (no point) because our own exports of incidents at unplaced sites have none,
  and they must import back; ACLED itself always gives both;
- ``fatalities`` a whole number >= 0 (empty or absent: not reported),
  ``timestamp`` a whole number (empty or absent: 0, "no version", so the row
  creates an event but never overwrites one on record);
- ``tags``: any ``bw:`` tag in Basewatch's vocabulary (``tags``).

Only ``REQUIRED_COLUMNS`` must be in the header: what places an event (id, date,
point) and says what it was. ACLED's API returns the columns asked for, so any
other may be missing and reads as empty. Columns ACLED does not have are ignored.
Header names are matched after stripping and lower-casing, in any order.
"""

import datetime
import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from incidents.exports.formula_guard import unguarded

from .tags import NO_FACTS, Facts
from .tags import parse as parse_tags

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
# Without these a row cannot become an incident.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "sub_event_type",
    "latitude",
    "longitude",
)
# What an empty or absent precision code is read as: ACLED's event_date is a day,
# and without geo_precision the point is taken as "near" the place (ACLED's 2).
ASSUMED = {"time_precision": "1", "geo_precision": "2"}
NO_VERSION = 0
PRECISION_CODES = frozenset({"1", "2", "3"})
# Columns of dates, numbers and codes; every other column is free text, which our
# files guard against spreadsheet formulas (``incidents.exports.formula_guard``) and the
# importer reads back unguarded, so an export imports unchanged.
NUMERIC_COLUMNS = frozenset(
    {
        "event_date",
        "year",
        "time_precision",
        "inter1",
        "inter2",
        "interaction",
        "iso",
        "latitude",
        "longitude",
        "geo_precision",
        "fatalities",
        "timestamp",
    }
)
TEXT_COLUMNS = frozenset(ACLED_COLUMNS) - NUMERIC_COLUMNS
_MONTHS = {
    name: number
    for number, full in enumerate(
        (
            "january february march april may june july august september october "
            "november december"
        ).split(),
        start=1,
    )
    for name in (full, full[:3])
}
_ACLED_DATE = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})")


@dataclass(frozen=True)
class AcledError:
    """One problem: the physical line it starts on (header = 1), the column when
    one is to blame, and what is wrong."""

    line: int
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        return f"line {self.line}: {self.column or 'row'}: {self.message}"


@dataclass(frozen=True)
class AcledRow:
    """One valid row: the parsed values we use, and every cell as written."""

    line: int
    event_id: str
    occurred_on: datetime.date
    time_precision: str
    latitude: float | None
    longitude: float | None
    geo_precision: str
    fatalities: int | None  # None: the file does not say
    timestamp: int  # NO_VERSION when the file gives none
    cells: dict[str, str]  # all 31 columns, as written ("" when absent)
    facts: Facts = NO_FACTS  # what its bw: tags say (``tags``)

    def cell(self, column: str) -> str:
        return self.cells[column].strip()


def parse_date(value: str) -> datetime.date | None:
    """``2023-11-15`` or ``15 November 2023``; None when it is neither."""
    value = value.strip()
    if len(value) == 10 and value[4] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    match = _ACLED_DATE.fullmatch(value)
    if match is None:
        return None
    month = _MONTHS.get(match.group(2).lower())
    if month is None:
        return None
    try:
        return datetime.date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None


def _coordinate(value: str, low: float, high: float) -> float | str:
    """The number, or the reason it is not a usable coordinate."""
    try:
        number = float(value)
    except ValueError:
        return _("%(value)r is not a number") % {"value": value}
    if not math.isfinite(number) or not low <= number <= high:
        return _("%(value)r is outside %(low)s..%(high)s") % {
            "value": value,
            "low": f"{low:g}",
            "high": f"{high:g}",
        }
    return number


def _whole(value: str, *, signed: bool, limit: int) -> int | None:
    """A whole number below ``limit`` (what the database column holds), or None."""
    text = value[1:] if signed and value.startswith("-") else value
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(value)
    return number if abs(number) < limit else None


class HeaderMap:
    """Where each ACLED column sits in this file's rows."""

    def __init__(self, header: list[str]):
        self.names = [name.strip().lower() for name in header]
        self.width = len(header)
        self.positions: dict[str, int] = {}
        self.errors: list[AcledError] = []
        for position, name in enumerate(self.names):
            if name in self.positions and name in ACLED_COLUMNS:
                self.errors.append(AcledError(1, name, _("column appears twice")))
            self.positions.setdefault(name, position)
        for name in REQUIRED_COLUMNS:
            if name not in self.positions:
                self.errors.append(AcledError(1, name, _("required column is missing")))
        # (column, position or None, free text?) in ACLED's order, once per file.
        self._layout = [
            (c, self.positions.get(c), c in TEXT_COLUMNS) for c in ACLED_COLUMNS
        ]

    def cells(self, values: list[str]) -> dict[str, str]:
        """Every ACLED column's cell as written, free text unguarded."""
        return {
            c: "" if p is None else unguarded(values[p]) if text else values[p]
            for c, p, text in self._layout
        }


def parse_row(
    values: list[str], line: int, header: HeaderMap
) -> AcledRow | list[AcledError]:
    """The row, or every error in it (one per bad column)."""
    if len(values) != header.width:
        return [
            AcledError(
                line,
                None,
                _("the row has %(cells)d cells, the header %(columns)d")
                % {"cells": len(values), "columns": header.width},
            )
        ]
    cells = header.cells(values)
    errors: list[AcledError] = []

    def bad(column: str, message: str) -> None:
        if all(error.column != column for error in errors):  # its first problem
            errors.append(AcledError(line, column, message))

    for column, value in cells.items():
        # csv reads NUL like any character, but no database text column can hold
        # one (PostgreSQL refuses the whole statement), so it is the file's error.
        if "\x00" in value:
            bad(column, _("contains a NUL character (byte 0), which text cannot hold"))
    event_id = cells["event_id_cnty"].strip()
    if not event_id:
        bad("event_id_cnty", _("is empty"))
    raw_date = cells["event_date"]
    occurred_on = parse_date(raw_date)
    if occurred_on is None:
        bad(
            "event_date",
            _("%(value)r is not a date like 2023-11-15 or 15 November 2023")
            % {"value": raw_date},
        )
    codes = {}
    for column in ("time_precision", "geo_precision"):
        codes[column] = cells[column].strip() or ASSUMED[column]
        if codes[column] not in PRECISION_CODES:
            bad(column, _("%(value)r is not 1, 2 or 3") % {"value": cells[column]})
    raw_lat, raw_lon = cells["latitude"].strip(), cells["longitude"].strip()
    latitude: float | None = None
    longitude: float | None = None
    if raw_lat or raw_lon:
        lat = _coordinate(raw_lat, -90, 90)
        lon = _coordinate(raw_lon, -180, 180)
        if isinstance(lat, str):
            bad("latitude", lat)
        else:
            latitude = lat
        if isinstance(lon, str):
            bad("longitude", lon)
        else:
            longitude = lon
    fatalities = None
    if cells["fatalities"].strip():
        fatalities = _whole(cells["fatalities"].strip(), signed=False, limit=2**31)
        if fatalities is None:
            bad(
                "fatalities",
                _("%(value)r is not a whole number >= 0")
                % {"value": cells["fatalities"]},
            )
    timestamp = NO_VERSION
    if cells["timestamp"].strip():
        timestamp = _whole(cells["timestamp"].strip(), signed=True, limit=2**63)
    if timestamp is None:
        bad(
            "timestamp",
            _("%(value)r is not a whole number") % {"value": cells["timestamp"]},
        )
    facts = parse_tags(cells["tags"])
    if isinstance(facts, str):
        bad("tags", facts)
    if errors:
        return errors
    return AcledRow(
        line=line,
        event_id=event_id,
        occurred_on=occurred_on,
        time_precision=codes["time_precision"],
        latitude=latitude,
        longitude=longitude,
        geo_precision=codes["geo_precision"],
        fatalities=fatalities,
        timestamp=timestamp,
        cells=cells,
        facts=facts,
    )
