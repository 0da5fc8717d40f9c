"""ACLED's vocabularies and ours, both ways; the decisions are in the package docstring.

Import and export read the same tables here, so a row exported from one of our
incidents maps back to the same event type (the weapon may come back coarser:
ACLED's sub-event types lump rockets, artillery and missiles together, and the
notes then decide).
"""

import re

import iso3166

from incidents.models import Actor, Incident

from .notes import event_text

EventType = Incident.EventType
Weapon = Incident.Weapon

# The weapon is read from the notes (``weapon_from_notes``), with this default.
NOTES = "notes"

# sub_event_type (lower case) -> (event type, weapon or (NOTES, default)).
# A blank weapon means none applies (meetings, statements).
SUB_EVENT_TYPES: dict[str, tuple[str, str | tuple[str, str]]] = {
    # ACLED lumps rockets, shells and missiles: the notes tell them apart.
    "shelling/artillery/missile attack": (EventType.ATTACK, (NOTES, Weapon.UNKNOWN)),
    # A militia's "air strike" on a base is a drone; a state's may be anything.
    # Which one is decided by the actor (``event_type_for``).
    "air/drone strike": (EventType.ATTACK, (NOTES, Weapon.DRONE)),
    "remote explosive/landmine/ied": (EventType.ATTACK, Weapon.IED),
    "suicide bomb": (EventType.ATTACK, Weapon.IED),
    "armed clash": (EventType.ATTACK, Weapon.SMALL_ARMS),
    "attack": (EventType.ATTACK, (NOTES, Weapon.UNKNOWN)),
    "grenade": (EventType.ATTACK, (NOTES, Weapon.UNKNOWN)),
    "disrupted weapons use": (EventType.INTERCEPTION, (NOTES, Weapon.UNKNOWN)),
    "government regains territory": (EventType.OTHER, Weapon.UNKNOWN),
    "non-state actor overtakes territory": (EventType.OTHER, Weapon.UNKNOWN),
    "non-violent transfer of territory": (EventType.OTHER, ""),
    "agreement": (EventType.MEETING, ""),
    "headquarters or base established": (EventType.OTHER, ""),
    "change to group/activity": (EventType.STATEMENT, ""),
    "arrests": (EventType.OTHER, ""),
    "looting/property destruction": (EventType.OTHER, Weapon.UNKNOWN),
    "other": (EventType.OTHER, (NOTES, "")),
    "abduction/forced disappearance": (EventType.OTHER, ""),
    "sexual violence": (EventType.OTHER, ""),
    "peaceful protest": (EventType.OTHER, ""),
    "protest with intervention": (EventType.OTHER, ""),
    "excessive force against protesters": (EventType.OTHER, ""),
    "violent demonstration": (EventType.OTHER, ""),
    "mob violence": (EventType.OTHER, ""),
}
# ACLED adds sub-event types now and then: an unknown one is kept, not refused.
UNKNOWN_SUB_EVENT = (EventType.OTHER, Weapon.UNKNOWN)

# Our (event type, weapon) -> ACLED's (disorder_type, event_type, sub_event_type).
_POLITICAL = "Political violence"
_STRATEGIC = "Strategic developments"
_REMOTE = "Explosions/Remote violence"
_SHELLING = (_POLITICAL, _REMOTE, "Shelling/artillery/missile attack")
_AIR = (_POLITICAL, _REMOTE, "Air/drone strike")
_ATTACK_BY_WEAPON = {
    Weapon.DRONE: _AIR,
    Weapon.IED: (_POLITICAL, _REMOTE, "Remote explosive/landmine/IED"),
    Weapon.SMALL_ARMS: (_POLITICAL, "Battles", "Armed clash"),
}
_BY_EVENT_TYPE = {
    EventType.STRIKE: _AIR,
    EventType.INTERCEPTION: (_STRATEGIC, _STRATEGIC, "Disrupted weapons use"),
    EventType.MEETING: (_STRATEGIC, _STRATEGIC, "Agreement"),
    EventType.STATEMENT: (_STRATEGIC, _STRATEGIC, "Change to group/activity"),
    EventType.SANCTION: (_STRATEGIC, _STRATEGIC, "Other"),
    EventType.OTHER: (_STRATEGIC, _STRATEGIC, "Other"),
}

# Keywords in the notes: English as whole words; Arabic anywhere in a word, since
# it takes prefixes ("بالصواريخ", "with the rockets"). Harakat are removed first.
_WEAPON_WORDS = (
    (Weapon.DRONE, r"drones?|uavs?", r"مسير(?:ة|ه|ات)|درون"),
    (Weapon.MORTAR, r"mortars?", r"هاون"),
    (Weapon.ROCKET, r"rockets?|katyushas?", r"صاروخ|صواريخ|كاتيوشا"),
    (Weapon.MISSILE, r"missiles?", None),
)
_WEAPON_PATTERNS = [
    (
        weapon,
        re.compile(
            rf"(?<!\w)(?:{latin})(?!\w)" + (f"|{arabic}" if arabic else ""),
            re.IGNORECASE,
        ),
    )
    for weapon, latin, arabic in _WEAPON_WORDS
]
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")

TIME_PRECISION = {
    "1": Incident.DatePrecision.DAY,
    "2": Incident.DatePrecision.WEEK,
    "3": Incident.DatePrecision.MONTH,
}
TIME_PRECISION_CODE = {value: code for code, value in TIME_PRECISION.items()}
# geo_precision -> precision_m: 1 the named town or spot, 2 "near" it (ACLED's
# "part of a region"), 3 only the province or a larger area is known.
GEO_PRECISION_M = {"1": 2_000, "2": 10_000, "3": 50_000}
# ... and how far a placed site may be from the point to be the one meant.
NEAREST_SITE_KM = {"1": 5.0, "2": 15.0, "3": 30.0}

# ACLED's inter codes (numbers before 2024, words since) -> kind of a new actor.
# 5-7 are people, not fighters: rioters, protesters and civilians are never
# created as armed groups (they would count as attackers).
_INTER_KINDS = {
    "1": Actor.Kind.STATE_FORCE,
    "2": Actor.Kind.ARMED_GROUP,
    "3": Actor.Kind.ARMED_GROUP,
    "4": Actor.Kind.ARMED_GROUP,
    "5": Actor.Kind.RIOTERS,
    "6": Actor.Kind.PROTESTERS,
    "7": Actor.Kind.CIVILIANS,
    # External/other forces: in this theatre foreign militaries (US, Iran, Turkey).
    "8": Actor.Kind.STATE_FORCE,
    "state forces": Actor.Kind.STATE_FORCE,
    "rebel group": Actor.Kind.ARMED_GROUP,
    "rebel groups": Actor.Kind.ARMED_GROUP,
    "political militia": Actor.Kind.ARMED_GROUP,
    "political militias": Actor.Kind.ARMED_GROUP,
    "identity militia": Actor.Kind.ARMED_GROUP,
    "identity militias": Actor.Kind.ARMED_GROUP,
    "rioters": Actor.Kind.RIOTERS,
    "protesters": Actor.Kind.PROTESTERS,
    "civilians": Actor.Kind.CIVILIANS,
    "external/other forces": Actor.Kind.STATE_FORCE,
}
_KIND_INTER = {
    Actor.Kind.STATE_FORCE: "1",
    Actor.Kind.GOVERNMENT: "1",
    Actor.Kind.ARMED_GROUP: "3",
    Actor.Kind.UNIDENTIFIED: "3",
    Actor.Kind.RIOTERS: "5",
    Actor.Kind.PROTESTERS: "6",
    Actor.Kind.CIVILIANS: "7",
    Actor.Kind.COALITION: "8",
}
_STATE_INTER = {"1", "8", "state forces", "external/other forces"}

# ACLED's names for the countries of its "Middle East" region ("Syria", not ISO's
# "Syrian Arab Republic"); the export writes these, the import reads them and ISO's.
COUNTRY_NAMES = {
    "SY": "Syria",
    "IQ": "Iraq",
    "JO": "Jordan",
    "LB": "Lebanon",
    "TR": "Turkey",
    "IR": "Iran",
    "IL": "Israel",
    "PS": "Palestine",
    "SA": "Saudi Arabia",
    "KW": "Kuwait",
    "YE": "Yemen",
    "BH": "Bahrain",
    "QA": "Qatar",
    "AE": "United Arab Emirates",
    "OM": "Oman",
}
REGION = "Middle East"
_ALPHA2_BY_NAME = {
    **{c.name.casefold(): c.alpha2 for c in iso3166.countries},
    **{c.apolitical_name.casefold(): c.alpha2 for c in iso3166.countries},
    **{name.casefold(): code for code, name in COUNTRY_NAMES.items()},
}


def country_from_iso(iso: str) -> str:
    """ACLED's numeric ISO 3166-1 code ("760", "887", "4") -> alpha-2, or "" when
    it is no country's code."""
    iso = iso.strip()
    if not (iso.isascii() and iso.isdigit()) or len(iso) > 3:
        return ""
    country = iso3166.countries_by_numeric.get(iso.zfill(3))
    return "" if country is None else country.alpha2


def country_from_name(name: str) -> str:
    """ACLED's ``country`` ("Syria", "Yemen") or ISO's name -> alpha-2, or ""."""
    return _ALPHA2_BY_NAME.get(name.strip().casefold(), "")


def row_country(iso: str, country: str) -> str:
    """The row's alpha-2: from ``iso`` when it is a country's code, else from the
    ``country`` name (API subsets often leave one out)."""
    return country_from_iso(iso) or country_from_name(country)


def country_name(country: str) -> str:
    """Alpha-2 -> the name ACLED writes ("Syria"); ISO's name for the rest."""
    if country in COUNTRY_NAMES:
        return COUNTRY_NAMES[country]
    found = iso3166.countries_by_alpha2.get(country)
    return "" if found is None else found.apolitical_name


def iso_from_country(country: str) -> str:
    """Alpha-2 -> ACLED's numeric code without leading zeros ("760", "4")."""
    found = iso3166.countries_by_alpha2.get(country)
    return "" if found is None else found.numeric.lstrip("0")


def weapon_from_notes(notes: str, default: str) -> str:
    """The weapon the notes name for the row's own event (``notes.event_text``:
    not the background they go on to); ``mixed`` when they name several."""
    if not notes:
        return default
    text = _ARABIC_MARKS.sub("", event_text(notes))
    found = [weapon for weapon, pattern in _WEAPON_PATTERNS if pattern.search(text)]
    if not found:
        return default
    return found[0] if len(found) == 1 else Weapon.MIXED


def event_type_and_weapon(sub_event_type: str, notes: str, inter1: str) -> tuple:
    """Our (event type, weapon) for an ACLED row."""
    event_type, weapon = SUB_EVENT_TYPES.get(
        sub_event_type.strip().lower(), UNKNOWN_SUB_EVENT
    )
    state_actor = inter1.strip().lower() in _STATE_INTER
    if sub_event_type.strip().lower() == "air/drone strike" and state_actor:
        # A state force's air or drone strike is a strike, with any weapon.
        return EventType.STRIKE, weapon_from_notes(notes, Weapon.UNKNOWN)
    if isinstance(weapon, tuple):
        weapon = weapon_from_notes(notes, weapon[1])
    return event_type, weapon


def acled_event_types(event_type: str, weapon: str) -> tuple[str, str, str]:
    """ACLED's (disorder_type, event_type, sub_event_type) for our incident."""
    if event_type == EventType.ATTACK:
        return _ATTACK_BY_WEAPON.get(weapon, _SHELLING)
    return _BY_EVENT_TYPE.get(event_type, _BY_EVENT_TYPE[EventType.OTHER])


def actor_kind(inter: str) -> str:
    """The kind of an actor ACLED names that we do not know yet."""
    return _INTER_KINDS.get(inter.strip().lower(), Actor.Kind.ARMED_GROUP)


def inter_code(kind: str | None) -> str:
    return "" if kind is None else _KIND_INTER.get(kind, "3")


def interaction_code(inter1: str, inter2: str) -> str:
    """ACLED's two-digit interaction: the two inter codes, lower first."""
    if not inter1:
        return ""
    if not inter2:
        return f"{inter1}0"
    return "".join(sorted((inter1, inter2)))


def geo_precision_code(precision_m: int | None) -> str:
    """The ACLED code whose metres (``GEO_PRECISION_M``) cover ``precision_m``."""
    if precision_m is None:
        return "3"
    for code, metres in GEO_PRECISION_M.items():
        if precision_m <= metres:
            return code
    return "3"


def split_names(cell: str) -> list[str]:
    """``"A; B;"`` -> ``["A", "B"]``: ACLED separates several values with ";".

    A ";" inside parentheses belongs to one name ("Civilians (Syria; Iraq)"):
    only the separators at depth 0 split."""
    names, depth, start = [], 0, 0
    for position, char in enumerate(cell):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            names.append(cell[start:position])
            start = position + 1
    names.append(cell[start:])
    return [name.strip() for name in names if name.strip()]
