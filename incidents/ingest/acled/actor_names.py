"""ACLED's standard names for the actors Basewatch holds.

ACLED names actors consistently, in its own style: a state's forces as "Military
Forces of the United States (2021-)" (the period of a government, in brackets),
a militia with its acronym first ("PMF: Popular Mobilization Forces"). None of
these is one of our names or aliases, and an importer matching names exactly
would create a second "United States Armed Forces" from every such row. So an
ACLED name is looked up here, without its period, before an actor is created.

Only names that unmistakably mean the same actor are listed; "Unidentified Armed
Group (Iraq)" is not our "Unidentified Iran-aligned Iraqi armed group" (ACLED
uses it for anyone unknown in Iraq), so it is created as ACLED names it.
"""

import re

from incidents.geo.matching import match_key

# ACLED's name (without the period) -> our actor's slug.
CANON = {
    "Military Forces of the United States": "us-forces",
    "Government of the United States": "us-government",
    "Military Forces of Iran Islamic Revolutionary Guard Corps": "irgc",
    "Islamic Revolutionary Guard Corps": "irgc",
    "PMF: Popular Mobilization Forces": "popular-mobilization-forces",
    "SDF: Syrian Democratic Forces": "sdf",
    "Islamic Resistance in Iraq": "islamic-resistance-in-iraq",
    "Kataib Hezbollah": "kataib-hezbollah",
    "Kataib Sayyid al-Shuhada": "kataib-sayyid-al-shuhada",
    "Operation Inherent Resolve": "us-led-coalition",
    "Global Coalition Against Daesh": "us-led-coalition",
}
# "(2021-)", "(2017-2021)", and "Military Forces of Iran (1989-) Islamic ...".
_PERIOD = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)")
_BY_KEY = {match_key(name): slug for name, slug in CANON.items()}


def canonical_slug(name: str) -> str | None:
    """Our actor's slug for an ACLED standard name, or None."""
    return _BY_KEY.get(match_key(_PERIOD.sub("", name)))
