"""CSV of the same rows the GeoJSON carries, one line per feature.

Lists (sites, actors, sources) are joined with `` ; ``. Free-text cells that a
spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get
a leading apostrophe: incident text comes from hostile sources (OWASP "CSV injection",
``incidents.formula_guard``).
"""

import csv
import io
from collections.abc import Iterable

from .formula_guard import guarded

INCIDENT_CSV_COLUMNS = (
    "id",
    "occurred_on",
    "date_precision",
    "event_type",
    "weapon",
    "longitude",
    "latitude",
    "precision_m",
    "country",
    "admin1",
    "injured",
    "killed",
    "confidence",
    "status",
    "sites",
    "actors",
    "source_urls",
    "summary",
    "external_id",
    "updated_at",
    # Empty but on a merged incident's tombstone: the incident that holds its
    # reports now (last, so the columns before it kept their places).
    "merged_into",
)
SITE_CSV_COLUMNS = (
    "slug",
    "name",
    "name_ar",
    "kind",
    "country",
    "admin1",
    "longitude",
    "latitude",
    "precision_m",
    "attack_count",
    "aliases",
    "location_source",
)


def _plain(value) -> str:
    return "" if value is None else str(value)


def _position(feature: dict) -> tuple[str, str]:
    geometry = feature["geometry"]
    if geometry is None:
        return "", ""
    longitude, latitude = geometry["coordinates"]
    return str(longitude), str(latitude)


def _write(columns: tuple[str, ...], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def incident_csv_row(feature: dict) -> list[str]:
    p = feature["properties"]
    longitude, latitude = _position(feature)
    return [
        _plain(p["id"]),
        _plain(p.get("occurred_on")),
        _plain(p.get("date_precision")),
        _plain(p.get("event_type")),
        _plain(p.get("weapon")),
        longitude,
        latitude,
        _plain(p.get("precision_m")),
        _plain(p.get("country")),
        guarded(p.get("admin1")),
        _plain(p.get("injured")),
        _plain(p.get("killed")),
        _plain(p.get("confidence")),
        _plain(p["status"]),
        # Slugs may start with "-" and a URL is whatever the source row holds:
        # every text cell is guarded, not only the ones that look like free text.
        guarded(" ; ".join(s["slug"] for s in p.get("sites", []))),
        guarded(" ; ".join(f"{a['slug']}:{a['role']}" for a in p.get("actors", []))),
        guarded(" ; ".join(s["url"] for s in p.get("sources", []) if s["url"])),
        guarded(p.get("summary")),
        guarded(p.get("external_id")),
        p["updated_at"].isoformat() if p.get("updated_at") else "",
        _plain(p.get("merged_into")),
    ]


def incidents_csv(features: list[dict]) -> str:
    return _write(INCIDENT_CSV_COLUMNS, (incident_csv_row(f) for f in features))


def csv_lines(rows: Iterable[list[str]]) -> str:
    """Rows as CSV text, without a header: a piece of a streamed file."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def sites_csv(features: list[dict]) -> str:
    rows = []
    for feature in features:
        p = feature["properties"]
        longitude, latitude = _position(feature)
        rows.append(
            [
                p["slug"],
                guarded(p["name"]),
                guarded(p["name_ar"]),
                p["kind"],
                p["country"],
                guarded(p["admin1"]),
                longitude,
                latitude,
                _plain(p["precision_m"]),
                _plain(p["attack_count"]),
                guarded(" ; ".join(p["aliases"])),
                guarded(p["location_source"]),
            ]
        )
    return _write(SITE_CSV_COLUMNS, rows)
