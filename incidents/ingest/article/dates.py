"""Dates in Arabic and English news text, found in a sentence and resolved (by
``resolve``) against a base date: the article's reference date (``anchor``), or
an embedded post's own date.

Forms read (Arabic-Indic digits everywhere digits are):

- full and partial dates: "15 November 2023", "November 15, 2023", "Nov. 15",
  "15 تشرين الثاني 2023", "الـ16 من تشرين الثاني/ نوفمبر الجاري", "١٥ نوفمبر ٢٠٢٣",
  "2023-11-15", "15/11/2023" (day first, as Arabic and British papers write it);
  Levantine (كانون الثاني … كانون الأول) and Egyptian/Gulf (يناير … ديسمبر) month
  names, and "تشرين الثاني/ نوفمبر" pairs;
- weekdays: "مساء الأربعاء", "يوم الخميس", "الجمعة", "on Wednesday",
  "Wednesday evening"; nights spanning two: «ليل الجمعة - السبت», "overnight
  Friday to Saturday";
- relative days: "أمس", "البارحة", "أمس الأول", "اليوم", "yesterday", "today",
  "the day before yesterday"; relative weeks: «قبل أيام», "days ago",
  «الأسبوع الماضي», "last week" (kind ``week``).

Decisions:

- **No base, no guess**: when the article gives no date (no reference), a
  weekday, "yesterday" or a day and month without a year has no value
  (``value`` None, with a note saying why): never today's date.
- **A weekday** is the most recent such day on or before the base, *including
  the base day itself*. Wire copy names the day of publication by its weekday
  ("said on Saturday" in a Saturday paper; the seed article's statement "السبت" is
  the Saturday it was published), so skipping it would date such news a week
  early. "last"/"الماضي" after or before the weekday moves a same-day answer a
  week back.
- **A weekday next to an explicit date** ("الخميس 16 تشرين الثاني") is one mention
  whose value is the explicit date; the weekday chooses its year when it has none,
  and a weekday that contradicts the date is noted (``resolve``).
- **A statement's own date is the base of what follows it** in the sentence:
  "قالت في بيان في 20 تشرين الثاني 2023 إنها استهدفت أمس" is the 19th, whatever the
  article's date.
- **Roles**: a date inside a "since/منذ/until/حتى" phrase starts or ends a range and
  never dates an event ("since 7 October"); a date right after a reporting verb
  ("أفادت مصادر، السبت"), or in a date line ("BAGHDAD, Nov 17 -", «بغداد - 17
  تشرين الثاني»), dates the report, which only a statement event uses.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .resolve import Found as _Found
from .resolve import resolve as _resolve
from .sentences import ascii_digits

Role = Literal["event", "report", "since"]


def _ar(word: str) -> str:
    """A regex for an Arabic word whatever its hamza, alef and final-letter forms."""
    out = []
    for i, ch in enumerate(word):
        last = i == len(word) - 1
        if ch in "أإآا":
            out.append("[أإآا]")
        elif ch in "يى" and last:
            out.append("[يى]")
        elif ch in "ةه" and last:
            out.append("[ةه]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(ch)
    return "".join(out)


# One line a month: Levantine name, then Egyptian/Gulf spellings (hamza and
# final-letter variants are folded by ``_ar``), then English names.
_MONTH_NAMES = [
    "كانون الثاني|يناير|january|jan",
    "شباط|فبراير|february|feb",
    "آذار|مارس|march|mar",
    "نيسان|أبريل|إبريل|april|apr",
    "أيار|مايو|may",
    "حزيران|يونيو|يونيه|june|jun",
    "تموز|يوليو|يوليه|july|jul",
    "آب|أغسطس|august|aug",
    "أيلول|سبتمبر|september|sept|sep",
    "تشرين الأول|أكتوبر|october|oct",
    "تشرين الثاني|نوفمبر|november|nov",
    "كانون الأول|ديسمبر|december|dec",
]
_MONTHS = {
    name: number
    for number, names in enumerate(_MONTH_NAMES, start=1)
    for name in names.split("|")
}
_ARABIC_MONTHS = {n: m for n, m in _MONTHS.items() if not n.isascii()}
_ENGLISH_MONTHS = {n: m for n, m in _MONTHS.items() if n.isascii()}
_AR_MONTH = "|".join(
    f"(?:{_ar(m)})" for m in sorted(_ARABIC_MONTHS, key=len, reverse=True)
)
_EN_MONTH = "|".join(sorted(_ENGLISH_MONTHS, key=len, reverse=True))
_B = r"(?<![\w\u0640])"  # no word character (or tatweel) before
_E = r"(?![\w])"
_AR_DATE = re.compile(
    rf"{_B}(?:[وف]?ال\u0640*)?(?P<day>\d{{1,2}}){_E}\s*(?:من\s+)?"
    rf"(?P<month>{_AR_MONTH}){_E}"
    rf"(?:\s*[/\-]\s*(?:{_AR_MONTH}|{_EN_MONTH}){_E})?"
    rf"(?:\s+(?:الجاري|الحالي|الماضي|المنصرم){_E})?"
    rf"(?:[\s,،]+(?:(?:عام|سنة)\s+)?(?P<year>\d{{4}}){_E})?",
    re.IGNORECASE,
)
_EN_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_EN_MONTH})\b\.?"
    r"(?:,?\s+(?P<year>\d{4})\b)?",
    re.IGNORECASE,
)
_EN_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_EN_MONTH})\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<year>\d{4})\b)?",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_NUMERIC = re.compile(
    r"(?<![\d/\-.])(?P<day>\d{1,2})(?P<sep>[/\-.])(?P<month>\d{1,2})(?P=sep)"
    r"(?P<year>\d{4})\b"
)

_AR_WEEKDAYS = {
    "اثنين": 0,
    "ثلاثاء": 1,
    "أربعاء": 2,
    "خميس": 3,
    "جمعة": 4,
    "سبت": 5,
    "أحد": 6,
}
_EN_WEEKDAYS = {
    d: i
    for i, d in enumerate(
        "monday tuesday wednesday thursday friday saturday sunday".split()
    )
}
_AR_WEEKDAY = re.compile(
    rf"{_B}(?:[وف]?(?:مساء|صباح|ليلة|ليل|فجر|ظهر|ظهيرة|عصر)\s+)?"
    rf"(?:[وف]?يوم\s+)?[وف]?ال(?P<day>{'|'.join(_ar(d) for d in _AR_WEEKDAYS)})"
    rf"(?P<last>\s+الماضي)?{_E}"
)
_EN_WEEKDAY = re.compile(
    r"\b(?:on\s+)?(?P<last>last\s+)?"
    rf"(?P<day>{'|'.join(_EN_WEEKDAYS)})(?:'s)?"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b",
    re.IGNORECASE,
)
_RELATIVE = [
    (re.compile(rf"{_B}[وف]?{_ar('أمس')}\s+{_ar('الأول')}{_E}"), -2),
    (re.compile(r"\bthe\s+day\s+before\s+yesterday\b", re.IGNORECASE), -2),
    (
        re.compile(
            rf"{_B}(?:[وف]?(?:مساء|صباح|ليلة|فجر|ظهر|عصر)\s+)?[وف]?"
            rf"(?:{_ar('أمس')}|البارحة){_E}"
        ),
        -1,
    ),
    (re.compile(r"\byesterday\b", re.IGNORECASE), -1),
    (re.compile(rf"{_B}[وف]?اليوم{_E}(?!\s+التالي)"), 0),
    (re.compile(r"\btoday\b", re.IGNORECASE), 0),
]
_SINCE = re.compile(rf"{_B}(?:[وف]?منذ|[وف]?حتى|since|until|till){_E}", re.IGNORECASE)
_REPORTING = re.compile(
    rf"{_B}[وف]?(?:قال|قالت|أفاد|أفادت|افادت|ذكر|ذكرت|أعلن|أعلنت|اعلنت|أكد|أكدت|"
    rf"نقلت|صرح|صدر|صادر|said|says|reported|told|announced|stated|dated|issued){_E}",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^[A-Z][A-Z .'\-]+(?:\([^)]*\))?,?\s*$")
# «بغداد - », «دير الزور (رويترز) – »: at most three words of a place, a dash.
_AR_DATELINE = re.compile(
    r"^\s*[\u0621-\u064a]+(?:\s+[\u0621-\u064a]+){0,2}\s*(?:\([^)]*\))?\s*[-–—:]\s*$"
)
# How a weekday may be joined to the explicit date that follows it.
_JOINER = re.compile(r"[\s,،]*(?:الموافق|the)?[\s,،]*")


# A night spanning two weekdays, told as one span: «ليل الجمعة - السبت», «ليلة
# الجمعة على السبت», "overnight Friday to Saturday", "Friday night into Saturday".
_AR_DAY_NAME = "|".join(_ar(d) for d in _AR_WEEKDAYS)
_EN_DAY_NAME = "|".join(_EN_WEEKDAYS)
_NIGHTS = (
    re.compile(
        rf"{_B}[وف]?(?:ليل|ليلة)\s+(?:يوم\s+)?ال(?P<first>{_AR_DAY_NAME})\s*"
        rf"(?:[-–—/]|على|إلى|الى)\s*(?:يوم\s+)?ال(?P<second>{_AR_DAY_NAME}){_E}"
    ),
    re.compile(
        rf"\bovernight\s+(?:from\s+|on\s+)?(?P<first>{_EN_DAY_NAME})\s+"
        rf"(?:to|into|and)\s+(?P<second>{_EN_DAY_NAME})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<first>{_EN_DAY_NAME})\s+night\s+(?:to|into)\s+"
        rf"(?P<second>{_EN_DAY_NAME})\b",
        re.IGNORECASE,
    ),
)
# Spans of days before the reference, with the days back to the middle of the
# span (a week-precise date is the middle of its week, ``corroborate.span``).
_WEEKS = [
    (re.compile(rf"{_B}[وف]?قبل\s+(?:بضعة\s+|عدة\s+)?{_ar('أيام')}{_E}"), 3),
    (re.compile(r"\b(?:a\s+few\s+|several\s+)?days\s+ago\b", re.IGNORECASE), 3),
    (re.compile(r"\bearlier\s+this\s+week\b", re.IGNORECASE), 3),
    (
        re.compile(
            rf"{_B}[وف]?(?:خلال\s+|في\s+)?{_ar('الأسبوع')}\s+"
            rf"(?:الماضي|المنصرم|الفائت){_E}"
        ),
        7,
    ),
    (re.compile(r"\blast\s+week\b", re.IGNORECASE), 7),
]


@dataclass(frozen=True)
class DateMention:
    """A date the text names: where, what it says, the day it means (None when
    nothing in the article gives it), its role, and a note a reader must see
    (a weekday that contradicts the date, a year chosen by the weekday alone)."""

    start: int
    end: int
    text: str
    value: dt.date | None
    kind: Literal["explicit", "weekday", "relative", "week"]
    role: Role = "event"
    note: str = ""
    year_given: bool = True  # explicit dates only: False for "15 November"

    @property
    def evidence(self) -> str:
        said = " ".join(self.text.split())
        return f"{said} → {self.value.isoformat() if self.value else '?'}"


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    if key in _ENGLISH_MONTHS:
        return _ENGLISH_MONTHS[key]
    for arabic, number in _ARABIC_MONTHS.items():
        if re.fullmatch(_ar(arabic), " ".join(name.split())):
            return number
    raise KeyError(name)


def _explicit(folded: str) -> list[tuple[int, int, int, int, int | None]]:
    """(start, end, day, month, year or None) of each explicit date, valid ones."""
    found: list[tuple[int, int, int, int, int | None]] = []
    for pattern in (_ISO, _NUMERIC, _AR_DATE, _EN_MONTH_DAY, _EN_DAY_MONTH):
        for m in pattern.finditer(folded):
            if any(f[0] < m.end() and m.start() < f[1] for f in found):
                continue
            month_text = m.group("month")
            if month_text.isascii() and month_text.isalpha() and month_text.islower():
                continue  # "they may 2": English months are written capitalised
            month = (
                int(month_text) if month_text.isdigit() else _month_number(month_text)
            )
            day, year = int(m.group("day")), m.group("year")
            try:  # 29 February of any year, and no 31 April
                dt.date(int(year) if year else 2000, month, day)
            except ValueError:
                continue
            found.append((m.start(), m.end(), day, month, int(year) if year else None))
    return found


def _role(folded: str, start: int, sentence_start: int) -> Role:
    before = folded[sentence_start:start]
    # "BAGHDAD, Nov. 17 - ...", «بغداد - 17 تشرين الثاني»: when it was filed.
    if _DATELINE.match(before) or _AR_DATELINE.match(before):
        return "report"
    # The clause the date sits in: since the last comma, at most six words back.
    clause = re.split(r"[,،;؛]", before)[-1]
    if _SINCE.search(" ".join(clause.split()[-7:])):
        return "since"
    if _REPORTING.search(" ".join(before.split()[-4:])):
        return "report"
    return "event"


def _weekday_index(day: str, table: dict[str, int]) -> int:
    if table is _EN_WEEKDAYS:
        return table[day.lower()]
    return next(i for name, i in table.items() if re.fullmatch(_ar(name), day))


def _collect(folded: str, start: int, end: int) -> list[_Found]:
    """Every mention in ``folded[start:end]``, unresolved, in order."""
    spans = [
        _Found(start + a, start + b, "explicit", (day, month, year, None))
        for a, b, day, month, year in _explicit(folded[start:end])
    ]

    def free(a: int, b: int) -> bool:
        return not any(s.start < b and a < s.end for s in spans)

    for pattern in _NIGHTS:
        table = _EN_WEEKDAYS if pattern.flags & re.IGNORECASE else _AR_WEEKDAYS
        for m in pattern.finditer(folded, start, end):
            if free(m.start(), m.end()):
                pair = (
                    _weekday_index(m.group("first"), table),
                    _weekday_index(m.group("second"), table),
                )
                spans.append(_Found(m.start(), m.end(), "night", pair))
    for pattern, table in ((_AR_WEEKDAY, _AR_WEEKDAYS), (_EN_WEEKDAY, _EN_WEEKDAYS)):
        for m in pattern.finditer(folded, start, end):
            a, b = m.start(), m.end()
            index = _weekday_index(m.group("day"), table)
            joined = _JOINER.match(folded, b, end)
            follower = next((s for s in spans if s.start == joined.end()), None)
            if follower is not None and follower.kind == "explicit":
                # One mention: the explicit date, its weekday kept to check it.
                spans.remove(follower)
                day, month, year, _none = follower.spec
                spec = (day, month, year, index)
                spans.append(_Found(a, follower.end, "explicit", spec))
            elif free(a, b):
                last = bool(m.group("last"))
                spans.append(_Found(a, b, "weekday", (index, last)))
    for patterns, kind in ((_RELATIVE, "relative"), (_WEEKS, "week")):
        for pattern, offset in patterns:
            for m in pattern.finditer(folded, start, end):
                if free(m.start(), m.end()):
                    back = -offset if kind == "relative" else offset
                    spans.append(_Found(m.start(), m.end(), kind, (back,)))
    return sorted(spans, key=lambda s: (s.start, s.end))


def find_dates(
    text: str, start: int, end: int, published: dt.date | None, folded: str = ""
) -> list[DateMention]:
    """Every date mention in ``text[start:end]`` (one sentence), in order.

    ``published`` is the date weekdays, "yesterday" and years are counted from
    (the article's reference date, or an embedded post's own date); None when
    the article gives none, and then only full dates have a value. A full date
    the sentence gives a report ("said in a statement dated 20 November")
    becomes the base of the mentions after it. ``folded`` is
    ``ascii_digits(text)`` when the caller already has it."""
    folded = folded or ascii_digits(text)
    mentions: list[DateMention] = []
    base = published
    for found in _collect(folded, start, end):
        said = text[found.start : found.end]
        value, note = _resolve(found, said, base)
        role = _role(folded, found.start, start)
        kind = "weekday" if found.kind == "night" else found.kind
        year_given = found.kind != "explicit" or found.spec[2] is not None
        mention = DateMention(
            found.start, found.end, said, value, kind, role, note, year_given
        )
        mentions.append(mention)
        if kind == "explicit" and role == "report" and value and year_given:
            base = value
    return mentions
