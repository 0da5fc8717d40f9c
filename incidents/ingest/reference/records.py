"""The records the reference fixtures are made of, shared by the builders of
``fixtures`` (sites, actors, attacks, official totals) and ``seed`` (the
seed article's events): the fixture files with their primary keys, checked CSV
reading, numbers and counts with the file and line in every error, incidents'
common fields and what a source URL says about its source.
"""

import csv
import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from incidents.models import incident_search_text

from . import catalog

# Reference rows carry a fixed timestamp so a rebuild is byte-identical; loading
# stamps the real time (see services.reference_data_load).
FIXED_TIMESTAMP = "2023-12-01T00:00:00Z"
_URL_DATE = (
    re.compile(r"/(20\d\d)/(\d\d)/(\d\d)(?:/|$)"),
    re.compile(r"/(20\d\d)(\d\d)(\d\d)/"),
    re.compile(r"/(20\d\d)/(\d\d)(\d\d)/"),
)
_ARABIC = re.compile("[\u0600-\u06ff]")


class ReferenceDataError(ValueError):
    """The reference data is malformed; the message names file, line and problem."""


@dataclass
class Fixtures:
    """Fixture records per output file, with primary keys handed out in order."""

    files: dict[str, list[dict]] = field(
        default_factory=lambda: {
            "sites.json": [],
            "actors.json": [],
            "incidents.json": [],
            "official_totals.json": [],
            # After incidents.json: proposals name two incidents.
            "merge_proposals.json": [],
        }
    )
    _next_pk: dict[str, int] = field(default_factory=dict)

    def add(self, file: str, model: str, fields: dict) -> int:
        pk = self._next_pk.get(model, 1)
        self._next_pk[model] = pk + 1
        self.files[file].append(
            {"model": f"incidents.{model}", "pk": pk, "fields": fields}
        )
        return pk

    def add_citation(
        self,
        incident: int,
        source: int,
        stance: str,
        *,
        quote: str = "",
        note: str = "",
    ) -> int:
        fields = {
            "incident": incident,
            "source": source,
            "stance": stance,
            "quote": quote,
            "note": note,
        }
        return self.add("incidents.json", "citation", fields)

    def add_involvement(self, incident: int, actor: int, role: str, note: str) -> int:
        fields = {"incident": incident, "actor": actor, "role": role, "note": note}
        return self.add("incidents.json", "involvement", fields)

    def dumps(self) -> dict[str, str]:
        return {
            name: json.dumps(records, ensure_ascii=False, indent=2) + "\n"
            for name, records in self.files.items()
        }


def read_csv(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with their line numbers, after checking the header has every column."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read ({exc.strerror})") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(
                f"{path.name}: missing columns {', '.join(missing)}"
            )
        try:
            for row in reader:
                yield (
                    reader.line_num,
                    {k: (v or "").strip() for k, v in row.items() if k},
                )
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ReferenceDataError(f"{path.name}:{reader.line_num}: {exc}") from exc


def number_in_range(
    value: str, low: float, high: float, where: str, name: str
) -> float | None:
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise ReferenceDataError(f"{where}: {name} {value!r} is not a number") from None
    if not low <= number <= high:
        raise ReferenceDataError(f"{where}: {name} {number} is outside {low}..{high}")
    return number


def reported_count(value: str, where: str, name: str) -> int | None:
    """Blank is *not reported* (None); a number, including 0, is what was reported."""
    if value == "":
        return None
    if not value.isdigit():
        raise ReferenceDataError(f"{where}: {name} {value!r} is not a whole number ≥ 0")
    return int(value)


def source_fields(url: str) -> dict:
    """What a URL alone says about its source: publisher, kind, language, date."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = unquote(parts.path)
    kind = "news"
    if host.endswith(catalog.OFFICIAL_HOSTS) or host.endswith(".gov"):
        kind = "official"
    elif host.endswith(catalog.MONITOR_HOSTS):
        kind = "monitor"
    language = ""
    if _ARABIC.search(path):
        language = "ar"
    elif host.startswith("english.") or re.search(r"/(en|english)(/|$)", path):
        language = "en"
    return {
        "url": url,
        "publisher": host,
        "title": "",
        "language": language,
        "published_on": _date_in_url(path),
        "kind": kind,
        "archived_url": "",
    }


def _date_in_url(path: str) -> str | None:
    """A /2023/11/14/-style date in a URL path is its publication date."""
    for pattern in _URL_DATE:
        match = pattern.search(path)
        if match:
            try:
                return datetime.date(*map(int, match.groups())).isoformat()
            except ValueError:
                continue
    return None


def split_sources(value: str, where: str) -> list[tuple[str, str]]:
    """``url (annotation) ; url`` into ``[(url, annotation), ...]``."""
    found = []
    for part in value.split(" ; "):
        url, _, annotation = part.strip().partition(" ")
        if not url.startswith(("http://", "https://")):
            raise ReferenceDataError(f"{where}: source {part!r} is not an http(s) URL")
        found.append((url, annotation.strip().removeprefix("(").removesuffix(")")))
    return found


def incident_fields(**fields) -> dict:
    fields["search_text"] = incident_search_text(
        fields["summary"], "", fields["external_id"]
    )
    base = {
        "occurred_at": None,
        "date_precision": "day",
        "injured": None,
        "killed": None,
        "damage": "",
        "status": "published",
        "created_at": FIXED_TIMESTAMP,
        "updated_at": FIXED_TIMESTAMP,
    }
    return {**base, **fields}


def located(site_rows: list[dict]) -> dict:
    """The incident's point: its first placed site's, with that site's precision."""
    placed = [s for s in site_rows if s["latitude"] is not None]
    first = placed[0] if placed else None
    return {
        "latitude": first["latitude"] if first else None,
        "longitude": first["longitude"] if first else None,
        "precision_m": first["precision_m"] if first else None,
        "admin1": site_rows[0]["admin1"] if site_rows else "",
    }


class SourceIndex:
    def __init__(self, fixtures: Fixtures):
        self.fixtures = fixtures
        self.by_url: dict[str, int] = {}

    def pk_for(self, url: str) -> int:
        if url not in self.by_url:
            self.by_url[url] = self.fixtures.add(
                "incidents.json", "source", source_fields(url)
            )
        return self.by_url[url]
