"""Which rows of an ACLED file concern a tracked site, and so which an import takes.

An ACLED country file holds every event ACLED coded in the country: protests,
riots, killings in towns, battles far from any base. Basewatch tracks attacks on
named sites. Without this filter a reviewer would have to wade through thousands
of off-topic rows, and the nearest-site rule would pin a Baghdad protest on the
embassy.

**Kinds of event that can concern a site** (ACLED's ``event_type``, or, when an
API subset leaves that column out, the one its ``sub_event_type`` belongs to):
*Battles*, *Explosions/Remote violence* and *Strategic developments*: attacks,
shelling, drones, IEDs, clashes at a perimeter, interceptions, a base
established or handed over. *Protests*, *Riots* and *Violence against civilians*
never do: their rows are not linked to any site, by name or by distance. A
sub-event type ACLED added after this table was written, with no
``event_type`` cell, gets the benefit of the doubt (the site test below still
applies).

**Concerning a site** means, for a row of such a kind, a link
(``importer._site_link``): the site its ``bw:`` tags name, the site its
``location`` names, or the nearest placed site within the radius for its
geo_precision. A *bare place name* is not enough for a facility: ACLED writes
the nearest settlement as ``location``, so "Erbil" is the city, and it is linked
to Erbil air base (whose name it shares once "airport" is dropped) only when the
point lies within that radius of the base or the event's own sentences speak of
a base or of foreign forces ("targeted the US base", «قاعدة», «التحالف»).
A town that is itself a tracked site (Deir ez-Zor, al-Mayadin) needs no more than
its name.

**Taken regardless**: rows of our own export (an ``BW-`` id or ``bw:`` tags: they
were ours, whatever they say) and updates of events already on record (they
were taken once; a newer version keeps them current). Everything else that
concerns no site is counted and listed as *skipped* ("not about a tracked
site"), unless the import is asked to take every row (``--all``): then such rows
are imported, linked to no site.
"""

import re

from incidents.geo.matching import names_a_facility
from incidents.models import Site

from .columns import AcledRow
from .known import OWN_ID
from .mapping import NEAREST_SITE_KM
from .notes import event_text

# ACLED's sub-event types (lower case) -> their event type (its codebook, 2024).
EVENT_TYPE_OF_SUB_EVENT = {
    "armed clash": "battles",
    "government regains territory": "battles",
    "non-state actor overtakes territory": "battles",
    "chemical weapon": "explosions/remote violence",
    "air/drone strike": "explosions/remote violence",
    "suicide bomb": "explosions/remote violence",
    "shelling/artillery/missile attack": "explosions/remote violence",
    "remote explosive/landmine/ied": "explosions/remote violence",
    "grenade": "explosions/remote violence",
    "sexual violence": "violence against civilians",
    "attack": "violence against civilians",
    "abduction/forced disappearance": "violence against civilians",
    "peaceful protest": "protests",
    "protest with intervention": "protests",
    "excessive force against protesters": "protests",
    "violent demonstration": "riots",
    "mob violence": "riots",
    "agreement": "strategic developments",
    "arrests": "strategic developments",
    "change to group/activity": "strategic developments",
    "disrupted weapons use": "strategic developments",
    "headquarters or base established": "strategic developments",
    "looting/property destruction": "strategic developments",
    "non-violent transfer of territory": "strategic developments",
    "other": "strategic developments",
}
TOWARD_SITES = frozenset(
    {"battles", "explosions/remote violence", "strategic developments"}
)
# Sites a bare place name names by itself: the place is the site.
PLACE_KINDS = frozenset({Site.Kind.TOWN, Site.Kind.CAMP})

# The event's own sentences speak of a base or of the forces based there.
_FORCES = r"(?:US|U\.S\.|American|coalition|foreign|international|Western)"
_BASE_WORDS = re.compile(
    r"\b(?:bases?|air\s*bases?|airports?|airfields?|air\s+fields?|garrisons?|"
    r"outposts?|coalition|mission\s+support\s+site|oil\s*fields?|gas\s+(?:field|plant)s?|"
    rf"{_FORCES}\s+(?:forces|troops|military|personnel|soldiers|army|positions?))\b"
    r"|قاعد|مطار|التحالف|القوات الأمري?كية|القوات الأميركية|الأمري?كي|الأميركي|حقل",
    re.IGNORECASE,
)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def acled_event_type(row: AcledRow) -> str:
    """ACLED's event type of the row, lower case; "" when neither its
    ``event_type`` nor its ``sub_event_type`` says."""
    written = row.cell("event_type").lower()
    if written:
        return written
    return EVENT_TYPE_OF_SUB_EVENT.get(row.cell("sub_event_type").lower(), "")


def is_ours(row: AcledRow) -> bool:
    """A row of Basewatch's own export: taken whatever it says."""
    return bool(row.facts) or OWN_ID.fullmatch(row.event_id) is not None


def can_concern_site(row: AcledRow) -> bool:
    """Whether an event of the row's kind can be about a site (module docstring)."""
    kind = acled_event_type(row)
    return kind in TOWARD_SITES or kind not in EVENT_TYPE_OF_SUB_EVENT.values()


def speaks_of_a_base(notes: str) -> bool:
    """Whether the event's own sentences mention a base or foreign forces."""
    return bool(_BASE_WORDS.search(_ARABIC_MARKS.sub("", event_text(notes))))


def bare_name_holds(
    row: AcledRow,
    *,
    matched_name: str,
    site_kind: str,
    distance_km: float | None,
) -> bool:
    """Whether ``location`` naming a site (as ``matched_name``) links the row to it.

    It does when the site is a place (a town, a camp), when ``location`` itself
    names a facility ("Erbil airport") or the name matched has none to drop;
    a settlement's name matched to a facility's ("Erbil" to "Erbil airport")
    holds only with the point within the radius (``distance_km``: None when
    the row or the site has no point) or notes that speak of a base.
    """
    if site_kind in PLACE_KINDS:
        return True
    location = row.cell("location")
    if names_a_facility(location) or not names_a_facility(matched_name):
        return True
    if distance_km is not None and distance_km <= NEAREST_SITE_KM[row.geo_precision]:
        return True
    return speaks_of_a_base(row.cell("notes"))
