"""Country and governorate names for readers, in their language, instead of the
stored codes and spellings ("SY, Deir ez-Zor" becomes "Syria, Deir ez-Zor" or
"سوريا، دير الزور").

Countries are the region's ISO codes with translatable names (the Arabic in
``locale/``). A governorate is stored as an English spelling; its Arabic name is
the bundled Natural Earth admin-1 unit's (``fixtures/boundaries/admin1.geojson``,
see ``admin1``) whose name folds to the same key in the same country ("Anbar" is
"Al Anbar", الأنبار). Only the units' names are read, not their shapes.
"""

import json
from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language_bidi, pgettext
from django.utils.translation import gettext_lazy as _

from .admin1 import bundled_path
from .keys import match_key

# Every country of the bundled admin-1 units (geo.chain's DEFAULT_COUNTRIES).
COUNTRY_NAMES = {
    "IQ": _("Iraq"),
    "SY": _("Syria"),
    "JO": _("Jordan"),
    "KW": _("Kuwait"),
    "LB": _("Lebanon"),
    "TR": _("Türkiye"),
    "IR": _("Iran"),
    "SA": _("Saudi Arabia"),
    "IL": _("Israel"),
    "PS": _("Palestine"),
}


@dataclass(frozen=True)
class PlaceName:
    """A name to show, and the language it is written in ("ar" or "en")."""

    text: str
    lang: str


@cache
def _arabic_admin1() -> dict[tuple[str, str], str]:
    """(country, folded English name) -> the unit's Arabic name."""
    features = json.loads(bundled_path().read_text(encoding="utf-8"))["features"]
    return {
        (p["country"], match_key(p["name"])): p["name_ar"]
        for p in (feature["properties"] for feature in features)
        if p.get("name_ar")
    }


def country_name(code: str) -> PlaceName | None:
    """The country's name in the active language; an unknown code as itself."""
    if not code:
        return None
    name = COUNTRY_NAMES.get(code.upper())
    if name is None:
        return PlaceName(code, "en")
    return PlaceName(str(name), "ar" if get_language_bidi() else "en")


def admin1_name(country: str, admin1: str) -> PlaceName | None:
    """The governorate in the active language: the stored spelling in English,
    the bundled Arabic name on an Arabic page (the stored spelling if none)."""
    if not admin1:
        return None
    if get_language_bidi():
        arabic = _arabic_admin1().get((country.upper(), match_key(admin1)))
        if arabic:
            return PlaceName(arabic, "ar")
    return PlaceName(admin1, "en")


def region_names(country: str, admin1: str) -> list[PlaceName]:
    """Country then governorate (the order of the pages' "Country / governorate")."""
    return [n for n in (country_name(country), admin1_name(country, admin1)) if n]


def list_separator() -> str:
    """Between the items of a list: ", ", or the Arabic comma on an Arabic page."""
    return pgettext("list separator", ", ")
