"""Numbers in a sentence: weapons named, people hurt or killed, running totals.

Numbers come as digits (ASCII or Arabic-Indic, "2,500") or as words up to twelve
(Arabic واحد … عشرة in their masculine and feminine forms, English one … twelve).

A **casualty count** is a number tied to an injury or death word ("إصابة 3 جنود",
"أصيب ما لا يقل عن 59", "injuring 4", "killed two", "two soldiers were wounded").
Whether it belongs to one incident or is a running total is decided by the caller
(``events``): in a sentence that proposes no incident it is a total.

A **count of events or bases** ("أكثر من 60 هجومًا", "نحو 40 مرة", "more than 60
attacks", "about 40 times", "14 قاعدة") and a **head count of troops** ("900 جندي",
"59 عسكريًا") are always totals: one incident is not sixty attacks.
"""

import re
from dataclasses import dataclass

from .sentences import ascii_digits

_ARABIC_NUMBERS = {
    "واحد": 1,
    "واحدة": 1,
    "اثنين": 2,
    "اثنان": 2,
    "اثنتين": 2,
    "اثنتان": 2,
    "ثلاثة": 3,
    "ثلاث": 3,
    "أربعة": 4,
    "أربع": 4,
    "خمسة": 5,
    "خمس": 5,
    "ستة": 6,
    "ست": 6,
    "سبعة": 7,
    "سبع": 7,
    "ثمانية": 8,
    "ثماني": 8,
    "ثمان": 8,
    "تسعة": 9,
    "تسع": 9,
    "عشرة": 10,
    "عشر": 10,
}
_ENGLISH_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
_WORDS = "|".join(
    sorted(
        {*_ARABIC_NUMBERS, *(w.translate(_HAMZA) for w in _ARABIC_NUMBERS)},
        key=len,
        reverse=True,
    )
    + sorted(_ENGLISH_NUMBERS, key=len, reverse=True)
)
NUMBER = (
    r"(?P<n>(?<!\d)\d{1,3}(?:,\d{3})+(?!\d)|(?<!\d)\d+(?!\d)|"
    rf"(?<![\w])(?:{_WORDS})(?![\w]))"
)
_QUANT = (
    r"(?:(?:ما\s+لا\s+يقل\s+عن|أكثر\s+من|لأكثر\s+من|اكثر\s+من|نحو|حوالي|قرابة|"
    r"زهاء|at\s+least|more\s+than|over|about|around|nearly|some)\s+)?"
)
_PEOPLE_EN = (
    r"(?:(?:US|U\.S\.|American|coalition|Iraqi|Syrian|other|more|service|members?|"
    r"soldiers?|troops|personnel|people|civilians?|contractors?|were|was|have|been|"
    r"had)\s+){0,4}"
)
_INJURED = [
    re.compile(
        r"(?<![\w])[وب]?(?:إصابة|اصابة|إصابات|أصيب|أصيبت|اصيب|جرح|جُرح)\s+"
        + _QUANT
        + NUMBER
    ),
    re.compile(NUMBER + r"\s+(?:جرحى|مصابين|جريحا|جريحًا|مصابا|مصابًا)"),
    re.compile(
        r"\b(?:injuring|wounding|injured|wounded|hurt)\s+" + _QUANT + NUMBER,
        re.IGNORECASE,
    ),
    re.compile(NUMBER + r"\s+" + _PEOPLE_EN + r"(?:injured|wounded|hurt)\b", re.I),
]
_KILLED = [
    re.compile(r"(?<![\w])[وب]?(?:مقتل|قتل|قُتل|مصرع)\s+" + _QUANT + NUMBER),
    re.compile(NUMBER + r"\s+(?:قتلى|قتيلا|قتيلًا|قتيل)"),
    re.compile(r"\b(?:killing|killed)\s+" + _QUANT + NUMBER, re.IGNORECASE),
    re.compile(NUMBER + r"\s+" + _PEOPLE_EN + r"(?:killed|dead|died)\b", re.I),
]
_EVENT_NOUNS = [
    ("attacks", r"هجوم\S*|هجمات|ضربة|ضربات|عملية|عمليات|استهداف\S*|attacks?|strikes?"),
    ("times", r"مرة|مرات|times"),
    ("bases", r"قاعدة|قواعد|bases"),
    (
        "service_members",
        r"عسكري\S*|جندي\S*|جنود|troops|soldiers|service\s+members|servicemembers",
    ),
]
_TOTALS = [
    (counts, re.compile(_QUANT + NUMBER + r"\s+(?:" + nouns + r")(?![\w])", re.I))
    for counts, nouns in _EVENT_NOUNS
]
_WEAPONS = [
    (
        "missile",
        r"صاروخ\S*\s+(?:باليستي\S*|كروز|مجنح\S*)|صواريخ\s+(?:باليستية|كروز)|"
        r"\bmissiles?\b|\bballistic\b",
    ),
    (
        "drone",
        r"طائر\S*\s+(?:(?:ال)?مسي\S*|بدون\s+طيار|(?:ال)?مفخخ\S*)|(?<![\w])[وبل]?(?:ال)?مسيّ?رات|"
        r"(?<![\w])[وب]?(?:ال)?درون\S*|\bdrones?\b|\bUAVs?\b|\bunmanned\b",
    ),
    (
        "rocket",
        r"صاروخ\S*|صواريخ|قذائف\s+صاروخية|كاتيوشا|\brockets?\b|\bKatyushas?\b",
    ),
    ("mortar", r"هاون|\bmortars?\b"),
    ("ied", r"عبو\S*\s+ناسفة|\bIEDs?\b|roadside\s+bombs?"),
    ("small_arms", r"أسلحة\s+خفيفة|رشاشات|\bsmall\s+arms\b|\bgunfire\b|\brifles?\b"),
]
_WEAPON_PATTERNS = [(w, re.compile(p, re.IGNORECASE)) for w, p in _WEAPONS]


@dataclass(frozen=True)
class Count:
    kind: str  # injured, killed, or one of the total categories
    number: int
    start: int
    end: int
    text: str


def to_number(token: str) -> int:
    token = token.replace(",", "")
    if token.isdigit():
        return int(token)
    lowered = token.lower()
    if lowered in _ENGLISH_NUMBERS:
        return _ENGLISH_NUMBERS[lowered]
    folded = {k.translate(_HAMZA): v for k, v in _ARABIC_NUMBERS.items()}
    return folded[token.translate(_HAMZA)]


def _scan(text: str, start: int, end: int, table, folded: str) -> list[Count]:
    folded = folded or ascii_digits(text)
    found: list[Count] = []
    for kind, pattern in table:
        for m in pattern.finditer(folded, start, end):
            if any(c.start < m.end() and m.start() < c.end for c in found):
                continue
            found.append(
                Count(
                    kind,
                    to_number(m.group("n")),
                    m.start(),
                    m.end(),
                    text[m.start() : m.end()],
                )
            )
    return sorted(found, key=lambda c: c.start)


def casualties(text: str, start: int, end: int, folded: str = "") -> list[Count]:
    """Injured and killed counts in ``text[start:end]``, in order."""
    table = [("injured", p) for p in _INJURED] + [("killed", p) for p in _KILLED]
    return _scan(text, start, end, table, folded)


def event_totals(text: str, start: int, end: int, folded: str = "") -> list[Count]:
    """Counts of attacks, times, bases and troops: totals by nature."""
    return _scan(text, start, end, _TOTALS, folded)


def weapon_of(sentence: str) -> str:
    """The weapon a sentence names: one kind, "mixed" for several, "" for none.

    A ballistic or cruise missile is a missile; any other صاروخ is a rocket, as
    in the militia attacks this data set records ("قذائف صاروخية" = rocket shells).
    """
    found: list[str] = []
    rest = sentence
    for weapon, pattern in _WEAPON_PATTERNS:
        if pattern.search(rest):
            found.append(weapon)
            rest = pattern.sub(" ", rest)  # "صاروخ باليستي" is not also a rocket
    if not found:
        return ""
    return found[0] if len(found) == 1 else "mixed"
