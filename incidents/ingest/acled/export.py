"""ACLED-style CSV of any incident queryset, streamed in constant memory.

Incidents are read ``CHUNK`` at a time (``QuerySet.iterator``), and each chunk's
sites, involvements and citations in three queries, so a hundred thousand
incidents never sit in memory together.

**An incident imported from ACLED** gives back the cells it was imported with
(``external_data["acled"]``) wherever they still say what the incident says: the
date as written if it is still the incident's date, the actor cells if the
incident still has exactly the actors they resolved to, and so on. So exporting
an import and importing the export changes nothing, and a re-export is
byte-identical. Where an editor has since changed something, that column is
derived from the incident instead, as for our own incidents. ``location`` always
stays as ACLED wrote it: it names ACLED's place, which need not be our site's name.

**Our own incidents** are derived: ``event_id_cnty`` is the external id or
``BW-<pk>``; the date ISO; precisions by ``mapping``; actor1 the first actor who
did it (perpetrator, claimed_by, attributed_to, in that order) and assoc_actor_1
the others; actor2 and assoc_actor_2 the targets; inter codes from the actors'
kinds; location the first linked site's name; source the publishers joined by
"; "; fatalities ``killed`` or 0; timestamp ``external_timestamp`` or
``int(updated_at.timestamp())``, which the importer compares against the same.

**Free-text cells are guarded against spreadsheet formulas** (a leading apostrophe
before = + - @, tab or CR; ``exports.formula_guard``): incident text comes from
hostile sources and these files get opened in spreadsheets. The importer removes
the apostrophe again, so the round trip still changes nothing.

**Retracted incidents are left out**, whoever asks: ACLED's format has no way to
say "withdrawn", so a retracted row would read as a live event (and importing the
file would bring it back for review). Mirrors learn of retractions from the
GeoJSON or CSV sync feed's tombstones.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TextIO

from django.db.models import QuerySet

from incidents.exports.formula_guard import guarded
from incidents.models import Citation, Incident, Involvement

from .columns import ACLED_COLUMNS, TEXT_COLUMNS, parse_date
from .export_tags import tags_cell
from .mapping import (
    COUNTRY_NAMES,
    GEO_PRECISION_M,
    REGION,
    TIME_PRECISION,
    TIME_PRECISION_CODE,
    acled_event_types,
    country_from_iso,
    country_name,
    event_type_and_weapon,
    geo_precision_code,
    inter_code,
    interaction_code,
    iso_from_country,
)
from .tags import SourceFact

CHUNK = 2_000
# (column, guard it against spreadsheet formulas?) in ACLED's order.
_GUARDED = tuple((column, column in TEXT_COLUMNS) for column in ACLED_COLUMNS)
# Roles on ACLED's side 1 (who did it), strongest first; side 2 is the target.
SIDE1_ROLES = (
    Involvement.Role.PERPETRATOR,
    Involvement.Role.CLAIMED_BY,
    Involvement.Role.ATTRIBUTED_TO,
)


class _Line:
    """A file-like sink that hands back what ``csv.writer`` wrote, line by line."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def export_acled_lines(queryset: QuerySet[Incident]) -> Iterator[str]:
    """The CSV, header first, one ``\\r\\n``-terminated line per incident."""
    sink = _Line()
    writer = csv.writer(sink.buffer)
    writer.writerow(ACLED_COLUMNS)
    yield sink.take()
    # ACLED cannot say "withdrawn" nor "see that event": no tombstone is written.
    queryset = queryset.exclude(
        status__in=[Incident.Status.RETRACTED, Incident.Status.MERGED]
    )
    for chunk in _chunks(queryset.iterator(chunk_size=CHUNK), CHUNK):
        related = _Related([incident.pk for incident in chunk])
        for incident in chunk:
            row = incident_cells(incident, related)
            writer.writerow(
                [guarded(row[c]) if text else row[c] for c, text in _GUARDED]
            )
            yield sink.take()


def write_acled_csv(queryset: QuerySet[Incident], out: TextIO) -> int:
    """Write the CSV to ``out``; the number of incidents written."""
    rows = -1
    for line in export_acled_lines(queryset):
        out.write(line)
        rows += 1
    return rows


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Related:
    """A chunk's sites, actors and sources, each in link order."""

    def __init__(self, pks: list[int]):
        self.site_names: dict[int, list[str]] = defaultdict(list)
        self.site_slugs: dict[int, list[str]] = defaultdict(list)
        for pk, name, slug in (
            Incident.sites.through.objects.filter(incident_id__in=pks)
            .order_by("pk")
            .values_list("incident_id", "site__name", "site__slug")
        ):
            self.site_names[pk].append(name)
            self.site_slugs[pk].append(slug)
        self.site_ids: dict[int, list[int]] = defaultdict(list)
        for pk, site in (
            Incident.sites.through.objects.filter(incident_id__in=pks)
            .order_by("pk")
            .values_list("incident_id", "site_id")
        ):
            self.site_ids[pk].append(site)
        # incident -> role -> [(actor id, name, kind)]
        self.actors: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        # incident -> [(role, actor name, note)]
        self.roles: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for pk, role, actor, name, kind, note in (
            Involvement.objects.filter(incident_id__in=pks)
            .order_by("pk")
            .values_list(
                "incident_id", "role", "actor_id", "actor__name", "actor__kind", "note"
            )
        ):
            self.actors[pk][role].append((actor, name, kind))
            self.roles[pk].append((role, name, note))
        self.sources: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.citations: dict[int, list[SourceFact]] = defaultdict(list)
        for pk, source, publisher, *cited in (
            Citation.objects.filter(incident_id__in=pks)
            .order_by("pk")
            .values_list(
                "incident_id",
                "source_id",
                "source__publisher",
                "stance",
                "source__kind",
                "source__url",
                "source__archived_url",
                "source__published_on",
                "source__language",
                "source__title",
                "quote",
                "note",
            )
        ):
            self.sources[pk].append((source, publisher))
            stance, kind, url, archived, published_on, language, title, *said = cited
            self.citations[pk].append(
                SourceFact(
                    stance,
                    kind,
                    publisher,
                    url,
                    archived,
                    published_on,
                    language,
                    title,
                    *said,
                )
            )


def _unique(actors: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    return list({actor[0]: actor for actor in actors}.values())


def incident_cells(incident: Incident, related: _Related) -> dict[str, str]:
    """The 31 ACLED cells for one incident (see the module docstring)."""
    derived = _derived(incident, related)
    raw = (incident.external_data or {}).get("acled")
    if not isinstance(raw, dict):
        derived["tags"] = tags_cell(incident, related, derived, imported=False)
        return derived
    links = incident.external_data.get("acled_links") or {}
    cells = dict(derived)
    keep = {
        "admin2",
        "admin3",
        "civilian_targeting",
        "region",
        "source_scale",
        "tags",
        "location",
    }
    if parse_date(raw.get("event_date", "")) == incident.occurred_on:
        keep |= {"event_date", "year"}
    if TIME_PRECISION.get(raw.get("time_precision", "").strip()) == (
        incident.date_precision
    ):
        keep.add("time_precision")
    if GEO_PRECISION_M.get(raw.get("geo_precision", "").strip()) == (
        incident.precision_m
    ):
        keep.add("geo_precision")
    if event_type_and_weapon(
        raw.get("sub_event_type", ""), incident.summary, raw.get("inter1", "")
    ) == (incident.event_type, incident.weapon):
        keep |= {"disorder_type", "event_type", "sub_event_type"}
    side1 = sorted({a[0] for r in SIDE1_ROLES for a in related.actors[incident.pk][r]})
    side2 = sorted({a[0] for a in related.actors[incident.pk][Involvement.Role.TARGET]})
    if side1 == links.get("actor1") and side2 == links.get("actor2"):
        keep |= {"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2"}
        keep |= {"inter2", "interaction"}
    if sorted({s for s, _p in related.sources[incident.pk]}) == links.get("source"):
        keep.add("source")
    if country_from_iso(raw.get("iso", "")) == incident.country:
        keep |= {"iso", "country"}
    if raw.get("admin1", "").strip() == incident.admin1:
        keep.add("admin1")
    if _same_number(raw.get("latitude"), incident.latitude) and _same_number(
        raw.get("longitude"), incident.longitude
    ):
        keep |= {"latitude", "longitude"}
    if _same_number(raw.get("fatalities"), incident.killed):
        keep.add("fatalities")
    for column in keep:
        if column in raw:
            cells[column] = raw[column]
    cells["tags"] = tags_cell(incident, related, cells, imported=True)
    return cells


def _same_number(text: str | None, value: float | int | None) -> bool:
    if text is None or not text.strip():
        return value is None
    try:
        return value is not None and float(text) == value
    except ValueError:
        return False


def _number(value: float | int | None) -> str:
    return "" if value is None else repr(value)


def _derived(incident: Incident, related: _Related) -> dict[str, str]:
    roles = related.actors[incident.pk]
    side1 = _unique([a for role in SIDE1_ROLES for a in roles[role]])
    side2 = _unique(roles[Involvement.Role.TARGET])
    inter1 = inter_code(side1[0][2]) if side1 else ""
    inter2 = inter_code(side2[0][2]) if side2 else ""
    disorder, event_type, sub_event_type = acled_event_types(
        incident.event_type, incident.weapon
    )
    sites = related.site_names[incident.pk]
    stamp = incident.external_timestamp
    if stamp is None:
        stamp = int(incident.updated_at.timestamp())
    return {
        "event_id_cnty": incident.external_id or f"BW-{incident.pk}",
        "event_date": incident.occurred_on.isoformat(),
        "year": str(incident.occurred_on.year),
        "time_precision": TIME_PRECISION_CODE.get(incident.date_precision, "1"),
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": side1[0][1] if side1 else "",
        "assoc_actor_1": "; ".join(a[1] for a in side1[1:]),
        "inter1": inter1,
        "actor2": side2[0][1] if side2 else "",
        "assoc_actor_2": "; ".join(a[1] for a in side2[1:]),
        "inter2": inter2,
        "interaction": interaction_code(inter1, inter2),
        "civilian_targeting": "",
        "iso": iso_from_country(incident.country),
        "region": REGION if incident.country in COUNTRY_NAMES else "",
        "country": country_name(incident.country) or incident.country,
        "admin1": incident.admin1,
        "admin2": "",
        "admin3": "",
        "location": sites[0] if sites else "",
        "latitude": _number(incident.latitude),
        "longitude": _number(incident.longitude),
        "geo_precision": geo_precision_code(incident.precision_m),
        "source": "; ".join(dict.fromkeys(p for _s, p in related.sources[incident.pk])),
        "source_scale": "",
        "notes": incident.summary,
        "fatalities": str(incident.killed or 0),
        "tags": "",
        "timestamp": str(stamp),
    }
