"""Dates in Arabic and English news text, resolved against the publication date.

Forms read (Arabic-Indic digits everywhere digits are):

- full and partial dates: "15 November 2023", "November 15, 2023", "Nov. 15",
  "15 تشرين الثاني 2023", "الـ16 من تشرين الثاني/ نوفمبر الجاري", "١٥ نوفمبر ٢٠٢٣",
  "2023-11-15", "15/11/2023" (day first, as Arabic and British papers write it);
  Levantine (كانون الثاني … كانون الأول) and Egyptian/Gulf (يناير … ديسمبر) month
  names, and "تشرين الثاني/ نوفمبر" pairs;
- weekdays: "مساء الأربعاء", "يوم الخميس", "الجمعة", "on Wednesday",
  "Wednesday evening";
- relative days: "أمس", "البارحة", "أمس الأول", "اليوم", "yesterday", "today",
  "the day before yesterday".

Decisions:

- **A date without a year** takes the publication year, or the year before when
  that would put it after publication: papers report the past.
- **A weekday** is the most recent such day on or before publication, *including
  the publication day itself*. Wire copy names the day of publication by its
  weekday ("said on Saturday" in a Saturday paper; the seed article's statement
  "السبت" is the Saturday it was published), so skipping it would date such news a
  week early. "last"/"الماضي" after or before the weekday moves a same-day answer a
  week back.
- **A weekday next to an explicit date** ("الخميس 16 تشرين الثاني") is one mention
  whose value is the explicit date; the weekday is not checked against it.
- **Roles**: a date inside a "since/منذ/until/حتى" phrase starts or ends a range and
  never dates an event ("since 7 October"); a date right after a reporting verb
  ("أفادت مصادر، السبت") dates the report, which only a statement event uses.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

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
    r"(?<![\d/])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b"
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
    rf"نقلت|صرح|said|says|reported|told|announced|stated){_E}",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^[A-Z][A-Z .'\-]+(?:\([^)]*\))?,?\s*$")
# How a weekday may be joined to the explicit date that follows it.
_JOINER = re.compile(r"[\s,،]*(?:الموافق|the)?[\s,،]*")


@dataclass(frozen=True)
class DateMention:
    """A date the text names: where, what it says, the day it means, its role."""

    start: int
    end: int
    text: str
    value: dt.date
    kind: Literal["explicit", "weekday", "relative"]
    role: Role = "event"

    @property
    def evidence(self) -> str:
        return f"{' '.join(self.text.split())} → {self.value.isoformat()}"


def _year_for(day: int, month: int, published: dt.date) -> dt.date | None:
    try:
        candidate = dt.date(published.year, month, day)
        if candidate > published:
            candidate = dt.date(published.year - 1, month, day)
    except ValueError:
        return None
    return candidate


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    if key in _ENGLISH_MONTHS:
        return _ENGLISH_MONTHS[key]
    for arabic, number in _ARABIC_MONTHS.items():
        if re.fullmatch(_ar(arabic), " ".join(name.split())):
            return number
    raise KeyError(name)


def _explicit(folded: str, published: dt.date) -> list[tuple[int, int, dt.date]]:
    found: list[tuple[int, int, dt.date]] = []
    for pattern in (_ISO, _NUMERIC, _AR_DATE, _EN_MONTH_DAY, _EN_DAY_MONTH):
        for m in pattern.finditer(folded):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            day = int(m.group("day"))
            month_text = m.group("month")
            if month_text.isascii() and month_text.isalpha() and month_text.islower():
                continue  # "they may 2": English months are written capitalised
            month = (
                int(month_text) if month_text.isdigit() else _month_number(month_text)
            )
            year = m.group("year")
            try:
                value = (
                    dt.date(int(year), month, day)
                    if year
                    else _year_for(day, month, published)
                )
            except ValueError:
                value = None
            if value is not None:
                found.append((m.start(), m.end(), value))
    return found


def _weekday(index: int, published: dt.date, last: bool) -> dt.date:
    back = (published.weekday() - index) % 7
    if back == 0 and last:
        back = 7
    return published - dt.timedelta(days=back)


def _role(folded: str, start: int, sentence_start: int) -> Role:
    before = folded[sentence_start:start]
    if _DATELINE.match(before):  # "BAGHDAD, Nov. 17 - ...": when it was filed
        return "report"
    # The clause the date sits in: since the last comma, at most six words back.
    clause = re.split(r"[,،;؛]", before)[-1]
    if _SINCE.search(" ".join(clause.split()[-7:])):
        return "since"
    if _REPORTING.search(" ".join(before.split()[-4:])):
        return "report"
    return "event"


def find_dates(
    text: str, start: int, end: int, published: dt.date, folded: str = ""
) -> list[DateMention]:
    """Every date mention in ``text[start:end]`` (one sentence), in order.
    ``folded`` is ``ascii_digits(text)`` when the caller already has it."""
    folded = folded or ascii_digits(text)
    segment = folded[start:end]
    spans: list[tuple[int, int, dt.date, str]] = [
        (start + a, start + b, value, "explicit")
        for a, b, value in _explicit(segment, published)
    ]

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e, _, _ in spans)

    for pattern, table in ((_AR_WEEKDAY, _AR_WEEKDAYS), (_EN_WEEKDAY, _EN_WEEKDAYS)):
        for m in pattern.finditer(folded, start, end):
            a, b = m.start(), m.end()
            joined = _JOINER.match(folded, b, end)
            follower = next((s for s in spans if s[0] == joined.end()), None)
            if follower is not None and follower[3] == "explicit":
                spans.remove(follower)
                spans.append((a, follower[1], follower[2], "explicit"))
                continue
            if not free(a, b):
                continue
            day = m.group("day")
            index = (
                next(
                    i for name, i in table.items() if re.fullmatch(_ar(name), day, re.I)
                )
                if table is _AR_WEEKDAYS
                else table[day.lower()]
            )
            spans.append(
                (a, b, _weekday(index, published, bool(m.group("last"))), "weekday")
            )
    for pattern, offset in _RELATIVE:
        for m in pattern.finditer(folded, start, end):
            if free(m.start(), m.end()):
                value = published + dt.timedelta(days=offset)
                spans.append((m.start(), m.end(), value, "relative"))
    spans.sort()
    return [
        DateMention(a, b, text[a:b], value, kind, _role(folded, a, start))
        for a, b, value, kind in spans
    ]
