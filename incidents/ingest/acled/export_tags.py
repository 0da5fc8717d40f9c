"""The ``tags`` cell of an exported row: ACLED's own tags, then Basewatch's.

What the other cells cannot say goes into ``bw:`` tags (the vocabulary is in
``tags``). **Our own incidents** carry every fact, whatever the columns already
say, so the import never depends on how it derives a weapon or a toll from the
notes. **An incident imported from ACLED** carries only the facts that differ from
what the row, as it is written out, would import as: its ``tags`` cell stays
ACLED's as long as no editor has changed the incident, so an untouched import
exports exactly as it came, and an editor's correction travels with it.
"""

from incidents.models import Involvement

from . import tags
from .mapping import GEO_PRECISION_M, event_type_and_weapon, split_names
from .notes import casualties
from .resolve import ACLED_TITLE

TARGET = Involvement.Role.TARGET
PERPETRATOR = Involvement.Role.PERPETRATOR
REPORTS = "reports"
_STAND_IN_TITLE = ACLED_TITLE.format("")


def _own_tags(cell: str) -> list[str]:
    """ACLED's (and any other tool's) tags in ``cell``, ours left out."""
    parts = [part.strip() for part in cell.split(";")]
    return [p for p in parts if p and not p.startswith(tags.PREFIX)]


def _fields(incident) -> dict:
    return {name: getattr(incident, name) for name in tags.FIELD_NAMES}


def _as_imported(cells: dict[str, str]) -> dict:
    """The fields the row's columns give, as the importer reads them."""
    event_type, weapon = event_type_and_weapon(
        cells["sub_event_type"], cells["notes"], cells["inter1"]
    )
    try:
        fatalities = int(cells["fatalities"])
    except ValueError:
        fatalities = None
    killed, injured = casualties(cells["notes"], fatalities)
    return {
        "event_type": event_type,
        "weapon": weapon,
        "killed": killed,
        "injured": injured,
        "occurred_at": None,
        "precision_m": GEO_PRECISION_M.get(cells["geo_precision"]),
    }


def _roles(incident, related) -> list[tuple[str, str, str]]:
    return list(dict.fromkeys(related.roles[incident.pk]))


def _roles_as_imported(cells: dict[str, str]) -> set[tuple[str, str]]:
    pairs = set()
    for main, assoc, role in (
        ("actor1", "assoc_actor_1", PERPETRATOR),
        ("actor2", "assoc_actor_2", TARGET),
    ):
        for name in split_names(cells[main]) + split_names(cells[assoc]):
            pairs.add((role, name))
    return pairs


def _as_read(incident, related, links: dict, plain: set, cells: dict) -> bool:
    """Whether the incident's actors are what the actor columns give back. With
    the links the import recorded, by actor (an ACLED name such as "Military
    Forces of the United States (2021-)" reads as our actor of another name);
    without, by the names as written."""
    if "actor1" not in links and "actor2" not in links:
        return plain == _roles_as_imported(cells)
    ours = {
        (role, actor[0])
        for role, actors in related.actors[incident.pk].items()
        for actor in actors
    }
    linked = {(PERPETRATOR, pk) for pk in links.get("actor1") or []}
    linked |= {(TARGET, pk) for pk in links.get("actor2") or []}
    return ours == linked


def _only_stand_ins(facts: list[tags.SourceFact], cells: dict[str, str]) -> bool:
    """Every citation is what the ``source`` column gives back: a publisher's
    "ACLED: ..." stand-in that "reports"."""
    return all(
        f.stance == REPORTS
        and not (f.url or f.quote or f.note)
        and f.title.startswith(_STAND_IN_TITLE)
        for f in facts
    ) and {f.publisher.casefold() for f in facts} == {
        p.casefold() for p in split_names(cells["source"])
    }


def tags_cell(incident, related, cells: dict[str, str], *, imported: bool) -> str:
    ours: list[str] = []
    fields = _fields(incident)
    if imported:
        expected = _as_imported(cells)
        fields = {k: v for k, v in fields.items() if expected.get(k) != v}
    ours += tags.field_tags(fields)

    slugs = related.site_slugs[incident.pk]
    links = (incident.external_data or {}).get("acled_links") or {}
    linked = [links.get("site")] if links.get("site") is not None else []
    if not imported or related.site_ids[incident.pk] != linked:
        ours += tags.site_tags(slugs)

    roles = _roles(incident, related)
    plain = {(role, name) for role, name, note in roles if not note}
    if (
        not imported
        or len(plain) < len(roles)
        or not _as_read(incident, related, links, plain, cells)
    ):
        ours += tags.role_tags(roles)

    sources = related.citations[incident.pk]
    if not imported or not _only_stand_ins(sources, cells):
        ours += [fact.tag() for fact in sources]
    return tags.join(_own_tags(cells.get("tags", "")), ours)
