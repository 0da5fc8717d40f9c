"""Build the committed reference fixtures from ``data/`` and the seed article.

``data/`` is the repository's own copy of the project's reference data (see its
``PROVENANCE.md`` and ``data_copy``). Pure functions from files to Django
fixture records (explicit primary keys, no database needed), so the fixtures can be
rebuilt byte for byte and checked against the committed ones. Every caveat of the
source data is kept: coordinate precision and where the point came from, sites that
nobody could place, the notes' confidence tag as each citation's stance and in its
note (not in the summary), not-reported casualties as null, claimant qualifiers,
and rows the notes call one event reported twice, kept as two incidents and linked
by a ``MergeProposal``.

Any malformed input raises ``ReferenceDataError`` naming the file, line and problem;
nothing is written unless the whole input is good. The shared records and checks are
in ``records``, the seed article's events in ``seed``.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from incidents.models import build_search_text

from . import catalog
from .records import (
    FIXED_TIMESTAMP,
    Fixtures,
    ReferenceDataError,
    SourceIndex,
    incident_fields,
    located,
    number_in_range,
    read_csv,
    reported_count,
    split_sources,
)
from .seed import build_seed_events

SITES_CSV = "sites.csv"
# The campaign's attacks, in order: rows are numbered BW-REF-001... across both files,
# so a row keeps its id when a later file is added.
ATTACKS_CSVS = (
    "attacks-2023-10-17_2023-11-30.csv",
    "attacks-2023-12-01_2024-02-04.csv",
)
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
_ACTOR_NAMES = {"", *(actor.name for actor in catalog.ACTORS)}
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
        latitude = number_in_range(row["latitude"], -90, 90, where, "latitude")
        longitude = number_in_range(row["longitude"], -180, 180, where, "longitude")
        if (latitude is None) != (longitude is None):
            raise ReferenceDataError(
                f"{where}: latitude and longitude must come together"
            )
        precision_km = number_in_range(
            row["coord_precision_km"], 0, 1000, where, "precision"
        )
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
            "reference": True,
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
                "reference": True,
                "search_text": build_search_text(
                    actor.slug, actor.name, actor.name_ar, aliases=aliases
                ),
            },
        )
    return pks


@dataclass(frozen=True)
class BuiltAttack:
    """An attack row as built: where it was read, its key and its incident."""

    where: str
    key: catalog.AttackRow
    notes: str
    external_id: str
    incident_pk: int


def build_attacks(
    data_dir: Path,
    fixtures: Fixtures,
    sites: dict[str, dict],
    actors: dict[str, int],
    sources: SourceIndex,
) -> list[BuiltAttack]:
    built: list[BuiltAttack] = []
    for name in ATTACKS_CSVS:
        path = data_dir / name
        for line, row in read_csv(path, ATTACK_COLUMNS):
            where = f"{path.name}:{line}"
            external_id = f"BW-REF-{len(built) + 1:03d}"
            occurred_on, pk = build_attack(
                row, where, external_id, fixtures, sites, actors, sources
            )
            key = catalog.AttackRow(occurred_on, row["site"], row["weapon"])
            built.append(BuiltAttack(where, key, row["notes"], external_id, pk))
    return built


def build_attack(
    row: dict[str, str],
    where: str,
    external_id: str,
    fixtures: Fixtures,
    sites: dict[str, dict],
    actors: dict[str, int],
    sources: SourceIndex,
) -> tuple[datetime.date, int]:
    """One attack row's incident, citations and involvements: its date and pk."""
    try:
        occurred_on = datetime.date.fromisoformat(row["date"])
    except ValueError:
        raise ReferenceDataError(
            f"{where}: date {row['date']!r} is not YYYY-MM-DD"
        ) from None
    site = sites.get(row["site"])
    if site is None:
        raise ReferenceDataError(f"{where}: site {row['site']!r} is not in {SITES_CSV}")
    if row["weapon"] not in WEAPONS:
        raise ReferenceDataError(f"{where}: unknown weapon {row['weapon']!r}")
    notes = row["notes"]
    tag = next((t for t in catalog.NOTE_TAG_STANCES if notes.startswith(t)), None)
    if tag is None:
        raise ReferenceDataError(f"{where}: notes do not start with a known tag")
    stance = catalog.NOTE_TAG_STANCES[tag]
    if row["claimed_by"] not in catalog.CLAIMANTS:
        raise ReferenceDataError(
            f"{where}: claimant {row['claimed_by']!r} has no mapping in "
            "incidents/ingest/reference/catalog.py CLAIMANTS"
        )
    incident_pk = fixtures.add(
        "incidents.json",
        "incident",
        incident_fields(
            occurred_on=occurred_on.isoformat(),
            event_type="attack",
            weapon=row["weapon"],
            sites=[site["pk"]],
            country=row["country"],
            injured=reported_count(row["us_injured"], where, "us_injured"),
            killed=reported_count(row["us_killed"], where, "us_killed"),
            # The research tag is the researcher's verdict on the sources: it goes
            # to each citation's note (provenance), and the stance it gave them
            # makes the confidence a reader sees in words.
            summary=row["notes"].removeprefix(tag).strip(),
            external_id=external_id,
            **located([site]),
        ),
    )
    # The raw text is kept wherever it says more than an actor's name: a qualifier
    # ("(per US)"), or an unnamed group mapped to the unidentified actor.
    qualifier = "" if row["claimed_by"] in _ACTOR_NAMES else row["claimed_by"]
    for url, annotation in split_sources(row["source"], where):
        note = "; ".join(
            filter(
                None,
                [
                    tag,
                    annotation,
                    qualifier and f"claimed_by as recorded: {qualifier}",
                ],
            )
        )
        fixtures.add_citation(incident_pk, sources.pk_for(url), stance, note=note)
    roles = [*catalog.CLAIMANTS[row["claimed_by"]], (catalog.COALITION, "target")]
    for slug, role in roles:
        note = qualifier if role != "target" else ""
        fixtures.add_involvement(incident_pk, actors[slug], role, note)
    return occurred_on, incident_pk


def build_probable_duplicates(attacks: list[BuiltAttack], fixtures: Fixtures) -> None:
    """A ``MergeProposal`` for each pair of ``catalog.PROBABLE_DUPLICATES``.

    A pair whose rows or phrase cannot be found is an error, not a skipped link: a
    changed data file must not silently lose what its notes said."""
    by_key: dict[catalog.AttackRow, list[BuiltAttack]] = {}
    for attack in attacks:
        by_key.setdefault(attack.key, []).append(attack)

    def only(key: catalog.AttackRow, pair: str) -> BuiltAttack:
        found = by_key.get(key, [])
        if len(found) != 1:
            files = " or ".join(ATTACKS_CSVS)
            where = ", ".join(a.where for a in found)
            raise ReferenceDataError(
                f"probable duplicate {pair}: {len(found)} rows of {files} are "
                f"{key}{f' ({where})' if where else ''}; expected exactly one "
                "(incidents/ingest/reference/catalog.py PROBABLE_DUPLICATES)"
            )
        return found[0]

    proposed: set[frozenset[int]] = set()
    for duplicate in catalog.PROBABLE_DUPLICATES:
        pair = f"{duplicate.row} ~ {duplicate.candidate}"
        row = only(duplicate.row, pair)
        candidate = only(duplicate.candidate, pair)
        link = frozenset((row.incident_pk, candidate.incident_pk))
        if len(link) != 2 or link in proposed:
            raise ReferenceDataError(
                f"probable duplicate {pair}: a row with itself, or a pair listed "
                "twice (incidents/ingest/reference/catalog.py PROBABLE_DUPLICATES)"
            )
        proposed.add(link)
        if duplicate.phrase not in row.notes:
            raise ReferenceDataError(
                f"{row.where}: probable duplicate {pair}: the notes no longer say "
                f"{duplicate.phrase!r} "
                "(incidents/ingest/reference/catalog.py PROBABLE_DUPLICATES)"
            )
        fixtures.add(
            "merge_proposals.json",
            "mergeproposal",
            {
                "incident": row.incident_pk,
                "candidate": candidate.incident_pk,
                "origin": "reference",
                "reason": (
                    f"Reference data: the notes of {row.external_id} ({row.where}) "
                    f"say “{duplicate.phrase}”; the other row is "
                    f"{candidate.external_id} ({candidate.where})."
                ),
                "status": "open",
                "proposed_by": None,
                "created_at": FIXED_TIMESTAMP,
                "decided_by": None,
                "decided_at": None,
                "decision_note": "",
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
                "total_attacks": reported_count(
                    row["total_attacks"], where, "total_attacks"
                ),
                "iraq": reported_count(row["iraq"], where, "iraq"),
                "syria": reported_count(row["syria"], where, "syria"),
                "us_injured": reported_count(row["us_injured"], where, "us_injured"),
                "note": row["note"],
                "source_urls": [
                    url for url, _note in split_sources(row["source"], where)
                ],
            },
        )


def build_reference_fixtures(*, data_dir: Path, seed_dir: Path) -> dict[str, str]:
    """Fixture file name -> JSON text: sites, actors, incidents, official totals and
    the probable duplicates' merge proposals."""
    fixtures = Fixtures()
    sites = build_sites(data_dir, fixtures)
    actors = build_actors(fixtures)
    attacks = build_attacks(data_dir, fixtures, sites, actors, SourceIndex(fixtures))
    build_seed_events(seed_dir, fixtures, sites, actors)
    build_probable_duplicates(attacks, fixtures)
    build_official_totals(data_dir, fixtures)
    return fixtures.dumps()
