"""Build the committed reference fixtures from ``shared/data`` and the seed article.

Pure functions from files to Django fixture records (explicit primary keys, no
database needed), so the fixtures can be rebuilt byte for byte and checked against the
committed ones. Every caveat of the source data is kept: coordinate precision and
where the point came from, sites that nobody could place, the notes' confidence tag as
each citation's stance, not-reported casualties as null, and claimant qualifiers.

Any malformed input raises ``ReferenceDataError`` naming the file, line and problem;
nothing is written unless the whole input is good.
"""

import csv
import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from incidents.models import build_search_text, incident_search_text

from . import reference_catalog as catalog

SITES_CSV = "sites.csv"
ATTACKS_CSV = "attacks-2023-10-17_2023-11-30.csv"
TOTALS_CSV = "aggregates.csv"
SITE_COLUMNS = (
    "slug,name_en,name_ar,aliases,country,admin1,kind,latitude,longitude,"
    "coord_precision_km,source"
).split(",")
TOTALS_COLUMNS = (
    "as_of,reported_by,scope,total_attacks,iraq,syria,us_injured,note,source".split(",")
)
ATTACK_COLUMNS = (
    "date,site,country,weapon,claimed_by,us_injured,us_killed,notes,source".split(",")
)
SITE_KINDS = {"base", "airfield", "oil_field", "outpost", "camp", "town"}
WEAPONS = {
    "rocket",
    "drone",
    "missile",
    "mortar",
    "ied",
    "small_arms",
    "mixed",
    "unknown",
}
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


def _float(value: str, low: float, high: float, where: str, name: str) -> float | None:
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise ReferenceDataError(f"{where}: {name} {value!r} is not a number") from None
    if not low <= number <= high:
        raise ReferenceDataError(f"{where}: {name} {number} is outside {low}..{high}")
    return number


def _count(value: str, where: str, name: str) -> int | None:
    """Blank is *not reported* (None); a number, including 0, is what was reported."""
    if value == "":
        return None
    if not value.isdigit():
        raise ReferenceDataError(f"{where}: {name} {value!r} is not a whole number ≥ 0")
    return int(value)


def build_sites(data_dir: Path, fixtures: Fixtures) -> dict[str, dict]:
    sites: dict[str, dict] = {}
    path = data_dir / SITES_CSV
    for line, row in read_csv(path, SITE_COLUMNS):
        where = f"{path.name}:{line}"
        slug = row["slug"]
        if not slug or slug in sites:
            raise ReferenceDataError(f"{where}: slug {slug!r} is empty or repeated")
        if row["kind"] not in SITE_KINDS:
            raise ReferenceDataError(f"{where}: unknown kind {row['kind']!r}")
        latitude = _float(row["latitude"], -90, 90, where, "latitude")
        longitude = _float(row["longitude"], -180, 180, where, "longitude")
        if (latitude is None) != (longitude is None):
            raise ReferenceDataError(
                f"{where}: latitude and longitude must come together"
            )
        precision_km = _float(row["coord_precision_km"], 0, 1000, where, "precision")
        aliases = [a.strip() for a in row["aliases"].split(";") if a.strip()]
        fields = {
            "slug": slug,
            "name": row["name_en"],
            "name_ar": row["name_ar"],
            "aliases": aliases,
            "kind": row["kind"],
            "country": row["country"],
            "admin1": row["admin1"],
            "latitude": latitude,
            "longitude": longitude,
            "precision_m": None if precision_km is None else round(precision_km * 1000),
            "location_source": row["source"],
            "search_text": build_search_text(
                slug, row["name_en"], row["name_ar"], aliases=aliases
            ),
        }
        pk = fixtures.add("sites.json", "site", fields)
        sites[slug] = {"pk": pk, **fields}  # a copy: "pk" is not a model field
    return sites


def build_actors(fixtures: Fixtures) -> dict[str, int]:
    pks: dict[str, int] = {}
    for actor in catalog.ACTORS:
        aliases = list(actor.aliases)
        pks[actor.slug] = fixtures.add(
            "actors.json",
            "actor",
            {
                "slug": actor.slug,
                "name": actor.name,
                "name_ar": actor.name_ar,
                "aliases": aliases,
                "kind": actor.kind,
                "parent": pks[actor.parent] if actor.parent else None,
                "search_text": build_search_text(
                    actor.slug, actor.name, actor.name_ar, aliases=aliases
                ),
            },
        )
    return pks


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


def _incident_fields(**fields) -> dict:
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


def _located(site_rows: list[dict]) -> dict:
    """The incident's point: its first placed site's, with that site's precision."""
    placed = [s for s in site_rows if s["latitude"] is not None]
    first = placed[0] if placed else None
    return {
        "latitude": first["latitude"] if first else None,
        "longitude": first["longitude"] if first else None,
        "precision_m": first["precision_m"] if first else None,
        "admin1": site_rows[0]["admin1"] if site_rows else "",
    }


class _SourceIndex:
    def __init__(self, fixtures: Fixtures):
        self.fixtures = fixtures
        self.by_url: dict[str, int] = {}

    def pk_for(self, url: str) -> int:
        if url not in self.by_url:
            self.by_url[url] = self.fixtures.add(
                "incidents.json", "source", source_fields(url)
            )
        return self.by_url[url]


def build_attacks(
    data_dir: Path,
    fixtures: Fixtures,
    sites: dict[str, dict],
    actors: dict[str, int],
    sources: _SourceIndex,
) -> None:
    path = data_dir / ATTACKS_CSV
    for number, (line, row) in enumerate(read_csv(path, ATTACK_COLUMNS), start=1):
        where = f"{path.name}:{line}"
        try:
            occurred_on = datetime.date.fromisoformat(row["date"])
        except ValueError:
            raise ReferenceDataError(
                f"{where}: date {row['date']!r} is not YYYY-MM-DD"
            ) from None
        site = sites.get(row["site"])
        if site is None:
            raise ReferenceDataError(
                f"{where}: site {row['site']!r} is not in {SITES_CSV}"
            )
        if row["weapon"] not in WEAPONS:
            raise ReferenceDataError(f"{where}: unknown weapon {row['weapon']!r}")
        stance = next(
            (
                s
                for tag, s in catalog.NOTE_TAG_STANCES.items()
                if row["notes"].startswith(tag)
            ),
            None,
        )
        if stance is None:
            raise ReferenceDataError(f"{where}: notes do not start with a known tag")
        if row["claimed_by"] not in catalog.CLAIMANTS:
            raise ReferenceDataError(
                f"{where}: claimant {row['claimed_by']!r} has no mapping in "
                "incidents/ingest/reference_catalog.py CLAIMANTS"
            )
        incident_pk = fixtures.add(
            "incidents.json",
            "incident",
            _incident_fields(
                occurred_on=occurred_on.isoformat(),
                event_type="attack",
                weapon=row["weapon"],
                sites=[site["pk"]],
                country=row["country"],
                injured=_count(row["us_injured"], where, "us_injured"),
                killed=_count(row["us_killed"], where, "us_killed"),
                summary=row["notes"],
                external_id=f"BW-REF-{number:03d}",
                **_located([site]),
            ),
        )
        qualifier = row["claimed_by"] if "(" in row["claimed_by"] else ""
        for url, annotation in split_sources(row["source"], where):
            note = "; ".join(
                filter(
                    None,
                    [annotation, qualifier and f"claimed_by as recorded: {qualifier}"],
                )
            )
            fixtures.add(
                "incidents.json",
                "citation",
                {
                    "incident": incident_pk,
                    "source": sources.pk_for(url),
                    "stance": stance,
                    "quote": "",
                    "note": note,
                },
            )
        roles = [*catalog.CLAIMANTS[row["claimed_by"]], (catalog.COALITION, "target")]
        for slug, role in roles:
            fixtures.add(
                "incidents.json",
                "involvement",
                {
                    "incident": incident_pk,
                    "actor": actors[slug],
                    "role": role,
                    "note": qualifier if role != "target" else "",
                },
            )


def read_seed_article(seed_dir: Path) -> tuple[str, str]:
    """The seed article's headline and full text."""
    path = seed_dir / catalog.SEED_ARTICLE["file"]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read ({exc})") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Line 1 is the site's section label ("العراقسياسة"); line 2 is the headline.
    if len(lines) < 2:
        raise ReferenceDataError(f"{path.name}: no headline found")
    return lines[1], text


def build_seed_events(
    seed_dir: Path,
    fixtures: Fixtures,
    sites: dict[str, dict],
    actors: dict[str, int],
) -> None:
    headline, text = read_seed_article(seed_dir)
    article_pk = fixtures.add(
        "incidents.json",
        "source",
        {
            "url": "",
            "publisher": catalog.SEED_ARTICLE["publisher"],
            "title": headline,
            "language": catalog.SEED_ARTICLE["language"],
            # The article gives no date of its own; it reports Saturday 18 November
            # as past, so it appeared on or after that day. Left unknown.
            "published_on": None,
            "kind": catalog.SEED_ARTICLE["kind"],
            "archived_url": "",
        },
    )
    for event in catalog.SEED_EVENTS:
        if event.quote not in text:
            raise ReferenceDataError(
                f"seed event {event.external_id}: quote not in article"
            )
        site_rows = [sites[slug] for slug in event.sites]
        incident_pk = fixtures.add(
            "incidents.json",
            "incident",
            _incident_fields(
                occurred_on=event.occurred_on.isoformat(),
                event_type=event.event_type,
                weapon=event.weapon,
                sites=[s["pk"] for s in site_rows],
                country=event.country,
                summary=event.summary,
                external_id=event.external_id,
                **_located(site_rows),
            ),
        )
        fixtures.add(
            "incidents.json",
            "citation",
            {
                "incident": incident_pk,
                "source": article_pk,
                "stance": "reports",
                "quote": event.quote,
                "note": "",
            },
        )
        for slug, role, note in event.involvements:
            fixtures.add(
                "incidents.json",
                "involvement",
                {
                    "incident": incident_pk,
                    "actor": actors[slug],
                    "role": role,
                    "note": note,
                },
            )


def build_official_totals(data_dir: Path, fixtures: Fixtures) -> None:
    """Published running totals; ``as_of`` may be a month only ("2024-04")."""
    path = data_dir / TOTALS_CSV
    for line, row in read_csv(path, TOTALS_COLUMNS):
        where = f"{path.name}:{line}"
        precision = "day"
        try:
            if re.fullmatch(r"\d{4}-\d{2}", row["as_of"]):
                as_of = datetime.date.fromisoformat(row["as_of"] + "-01")
                precision = "month"
            else:
                as_of = datetime.date.fromisoformat(row["as_of"])
        except ValueError:
            raise ReferenceDataError(
                f"{where}: as_of {row['as_of']!r} is not YYYY-MM-DD or YYYY-MM"
            ) from None
        fixtures.add(
            "official_totals.json",
            "officialtotal",
            {
                "as_of": as_of.isoformat(),
                "as_of_precision": precision,
                "reported_by": row["reported_by"],
                "scope": row["scope"],
                "total_attacks": _count(row["total_attacks"], where, "total_attacks"),
                "iraq": _count(row["iraq"], where, "iraq"),
                "syria": _count(row["syria"], where, "syria"),
                "us_injured": _count(row["us_injured"], where, "us_injured"),
                "note": row["note"],
                "source_urls": [
                    url for url, _note in split_sources(row["source"], where)
                ],
            },
        )


def build_reference_fixtures(*, data_dir: Path, seed_dir: Path) -> dict[str, str]:
    """Fixture file name -> JSON text: sites, actors, incidents, official totals."""
    fixtures = Fixtures()
    sites = build_sites(data_dir, fixtures)
    actors = build_actors(fixtures)
    build_attacks(data_dir, fixtures, sites, actors, _SourceIndex(fixtures))
    build_seed_events(seed_dir, fixtures, sites, actors)
    build_official_totals(data_dir, fixtures)
    return fixtures.dumps()
