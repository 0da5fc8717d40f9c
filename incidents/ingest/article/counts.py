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
        r"صاروخ\S*\s+(?:ال)?(?:باليستي\S*|كروز|مجنح\S*)|"
        r"صواريخ\s+(?:ال)?(?:باليستي\S*|كروز|مجنح\S*)|"
        r"\bmissiles?\b|\bballistic\b",
    ),
    (
        "drone",
        r"طائر\S*\s+(?:(?:ال)?مسي\S*|بدون\s+طيار|(?:ال)?مفخخ\S*)|(?<![\w])[وبل]?(?:ال)?مسيّ?رات|"
        r"(?<![\w])[وبل]?(?:ال)?طيران\s+(?:ال)?مسي\S*|"
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


# Killed and wounded counted together: not an injury count, nor a death toll.
_COMBINED = re.compile(
    NUMBER.replace("?P<n>", "?:") + r"\s+(?:\S+\s+){0,3}?(?:"
    r"بين\s+قتيل\s+وجريح|(?:من\s+)?(?:ال)?قتلى\s+و(?:ال)?جرحى|قتيل\s+وجريح|"
    r"(?:dead|killed)\s+(?:or|and)\s+(?:wounded|injured)|casualties)",
    re.IGNORECASE,
)
# A number that is a year or a list's index is not a count of anything.
_LIST_INDEX = re.compile(r"(?:^|\n)\s*\(?\d{1,2}\s*[-–.)]\s")


def _not_a_count(folded: str, m: re.Match) -> bool:
    token = m.group("n").replace(",", "")
    if token.isdigit() and len(token) == 4 and 1900 <= int(token) <= 2100:
        return True
    line_start = folded.rfind("\n", 0, m.start("n")) + 1
    return bool(_LIST_INDEX.match(folded, line_start)) and (
        folded[line_start : m.start("n")].strip(" (") == ""
    )


def _scan(text: str, start: int, end: int, table, folded: str) -> list[Count]:
    folded = folded or ascii_digits(text)
    found: list[Count] = []
    combined = [m.span() for m in _COMBINED.finditer(folded, start, end)]
    for kind, pattern in table:
        for m in pattern.finditer(folded, start, end):
            if any(c.start < m.end() and m.start() < c.end for c in found):
                continue
            if any(a < m.end() and m.start() < b for a, b in combined):
                continue
            if _not_a_count(folded, m):
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


# "No casualties" in the words outlets use: nobody hurt, so nobody killed either.
_NO_CASUALTIES = re.compile(
    r"(?<![\w])(?:من\s+)?(?:دون|بدون|بلا)\s+(?:أن\s+\S+\s+عن\s+)?(?:وقوع\s+|تسجيل\s+|"
    r"سقوط\s+|حدوث\s+)?(?:سقوط\s+)?(?:أي(?:ة)?\s+)?(?:(?:أضرار|اضرار)\s+(?:أو|او|و)\s*)?"
    r"(?:إصابات|اصابات|ضحايا|خسائر\s+بشرية)|"
    r"(?<![\w])[و]?(?:لم|لا)\s+(?:\S+\s+){0,2}?(?:عن\s+)?(?:وقوع\s+|تسجيل\s+|سقوط\s+)?"
    r"(?:أي(?:ة)?\s+)?(?:إصابات|اصابات|ضحايا|خسائر\s+بشرية)(?!\s+(?:حتى|بعد))|"
    r"\b(?:no|without(?:\s+any)?|caused\s+no)\s+(?:immediate\s+|reported\s+|"
    r"(?:U\.S\.|US|American|coalition)\s+)?(?:reports?\s+of\s+)?"
    r"(?:casualties|injuries|injury|one\s+was\s+(?:hurt|injured|wounded))\b|"
    r"\b(?:nobody|no\s+one|none)\s+(?:was|were)\s+(?:hurt|injured|wounded)\b|"
    r"\bno\s+(?:U\.S\.|US|American|coalition)?\s*(?:personnel|troops|service\s+members|"
    r"soldiers)\s+(?:were|was)\s+(?:hurt|injured|wounded)\b",
    re.IGNORECASE,
)
# Only the dead: «لم تسجل أي وفيات», "no deaths".
_NO_DEATHS = re.compile(
    r"(?<![\w])[و]?(?:لم|لا|دون|بدون)\s+(?:\S+\s+)?(?:أي(?:ة)?\s+)?(?:وفيات|قتلى)|"
    r"\bno\s+(?:deaths|fatalities|one\s+was\s+killed)\b",
    re.IGNORECASE,
)
# A word the "none" must not be about: «لم ترد أنباء عن وقوع إصابات» (no news of
# casualties yet) is not a reported none.
_NOT_KNOWN = re.compile(r"أنباء|معلومات|تفاصيل|\bimmediate\s+word\b|\bunclear\b", re.I)


def _zeros(text: str, start: int, end: int) -> list[Count]:
    found: list[Count] = []
    for kinds, pattern in (
        (("injured", "killed"), _NO_CASUALTIES),
        (("killed",), _NO_DEATHS),
    ):
        for m in pattern.finditer(text, start, end):
            if _NOT_KNOWN.search(m.group()):
                continue
            found += [Count(kind, 0, m.start(), m.end(), m.group()) for kind in kinds]
    return found


def casualties(text: str, start: int, end: int, folded: str = "") -> list[Count]:
    """Injured and killed counts in ``text[start:end]``, in order; "no
    casualties" («دون وقوع إصابات», "there were no injuries") is a count of 0."""
    table = [("injured", p) for p in _INJURED] + [("killed", p) for p in _KILLED]
    zeros = _zeros(text, start, end)
    counted = [  # "no one was hurt" is a none, not one hurt
        c
        for c in _scan(text, start, end, table, folded)
        if not any(c.start < z.end and z.start < c.end for z in zeros)
    ]
    return sorted([*counted, *zeros], key=lambda c: c.start)


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
