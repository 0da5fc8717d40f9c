"""The article's reference date: the day its weekdays, "yesterday" and dates
without a year are counted from, found in the article, never assumed to be today.

Decisions:

- **An editor's date comes first**: ``published``, when given, is a fact about
  the article, and is the reference whatever the text says.
- **Else the text, in this order**: a date line at the start of a paragraph
  ("BAGHDAD, Nov 17 (Reuters) -", «بغداد - 17 تشرين الثاني», «دير الزور – الخميس
  16 تشرين الثاني 2023»); an explicit «اليوم» with a weekday and a date («اليوم
  الخميس 16 تشرين الثاني», "today, Thursday, November 16"); else the latest full
  date (with its year) the article gives, an embedded post's own date line
  ("— Islamic Resistance (@x) November 20, 2023") included. A "since" date
  («منذ 7 تشرين الأول») is not one: the article may be any time after it.
- **A date line or «اليوم» without a year** takes it from the weekday beside it,
  else from the latest full date in the text (that year, or the next when the
  day would fall before it); with neither it anchors nothing.
- **No date at all**: the reference is None and says so ("no date in the text
  and none given"); drafts nothing else dates are then of unknown date.
- **An embedded post dates its own words**: the lines of a post whose own date
  line follows it (back to the blank line before, or the one line before in text
  without blank lines) count their «أمس» and weekdays from the post's date, not
  from the article's.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .dates import DateMention, find_dates
from .sentences import ascii_digits, split_sentences

# What may stand before a date line's date: a place, an agency in brackets, a
# comma or dash ("BAGHDAD, ", "Beirut (AFP) - ", «بغداد - », «دير الزور (رويترز) – »).
# A separator is required, so that "On Nov 17" or «وقالت مصادر، 17» are not one.
_DATELINE_PLACE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'\-]*(?:\s+[A-Z][A-Za-z.'\-]*){0,2}"
    r"\s*(?:\([^)]*\)\s*[,\-–—:]?|[,\-–—:])|"
    r"[\u0621-\u064a]+(?:\s+[\u0621-\u064a]+){0,2}"
    r"\s*(?:\([^)]*\)\s*)?[\-–—:])\s*$"
)
_TODAY = re.compile(r"(?:(?<![\w])[وف]?اليوم|\btoday)[\s,،]*$", re.IGNORECASE)
# An embedded post's own date line: a dash, the author (and handle), the date.
# No "^": ``match`` at a line's offset anchors there ("^" is the string's start).
_POST_LINE = re.compile(r"[ \t]*[—–\-]{1,2}\s*\S")


@dataclass(frozen=True)
class Reference:
    """The day the article is read from, and why (``how``: given, dateline,
    today, latest or none)."""

    value: dt.date | None
    evidence: str
    how: str


@dataclass(frozen=True)
class Post:
    """An embedded post: its span in the article and its own date."""

    start: int
    end: int
    value: dt.date


def _mentions(text: str, folded: str) -> list[tuple[int, DateMention]]:
    """(sentence start, mention) of every date, read with no base date."""
    return [
        (sentence.start, mention)
        for sentence in split_sentences(text)
        for mention in find_dates(text, sentence.start, sentence.end, None, folded)
    ]


def _latest(found: list[tuple[int, DateMention]]) -> DateMention | None:
    full = [
        m
        for _start, m in found
        if m.kind == "explicit" and m.year_given and m.value and m.role != "since"
    ]
    return max(full, key=lambda m: m.value, default=None)


def _with_year(
    text: str, mention: DateMention, latest: DateMention | None, folded: str
) -> tuple[dt.date | None, str]:
    """A date line's (or «اليوم»'s) day, its year from the weekday beside it or
    from the latest full date in the text; and the note saying how."""
    if mention.year_given or latest is None:
        return mention.value, mention.note
    for year in (latest.value.year, latest.value.year + 1):
        base = dt.date(year, 12, 31)
        again = next(
            (
                m
                for m in find_dates(text, mention.start, mention.end, base, folded)
                if m.kind == "explicit"
            ),
            None,
        )
        if again and again.value is not None and again.value >= latest.value:
            return again.value, _("the year from “%(text)s”") % {
                "text": " ".join(latest.text.split())
            }
    return mention.value, mention.note


def _dateline(found, latest, text: str, folded: str):
    for sentence_start, mention in found:
        if mention.kind != "explicit" or mention.start - sentence_start > 60:
            continue
        at_line = sentence_start == 0 or text[sentence_start - 1] == "\n"
        if at_line and _DATELINE_PLACE.match(folded[sentence_start : mention.start]):
            return mention, *_with_year(text, mention, latest, folded)
    return None


def _said_today(found, latest, text: str, folded: str):
    for sentence_start, mention in found:
        stated = mention.kind == "explicit" and not mention.text[:1].isdigit()
        before = folded[max(sentence_start, mention.start - 12) : mention.start]
        if stated and _TODAY.search(before):
            return mention, *_with_year(text, mention, latest, folded)
    return None


def find_reference(text: str, published: dt.date | None, folded: str = "") -> Reference:
    """The article's reference date: ``published`` when given, else one the text
    gives (see the module's Decisions), else None, saying which words gave it."""
    if published is not None:
        return Reference(
            published,
            _("the publication date given: %(date)s") % {"date": published},
            "given",
        )
    folded = folded or ascii_digits(text)
    found = _mentions(text, folded)
    latest = _latest(found)
    for how, finder, words in (
        ("dateline", _dateline, _("the date line “%(text)s”")),
        ("today", _said_today, _("“%(text)s” in the text")),
    ):
        hit = finder(found, latest, text, folded)
        if hit is not None and hit[1] is not None:
            mention, value, note = hit
            said = words % {"text": " ".join(mention.text.split())}
            return Reference(value, _evidence(said, value, note), how)
    if latest is not None:
        said = _("the latest full date in the text, “%(text)s”") % {
            "text": " ".join(latest.text.split())
        }
        return Reference(latest.value, _evidence(said, latest.value, ""), "latest")
    return Reference(None, _("no date in the text and none given"), "none")


def _evidence(said: str, value: dt.date, note: str) -> str:
    return f"{said} → {value.isoformat()}" + (f" ({note})" if note else "")


def find_posts(text: str, folded: str = "") -> list[Post]:
    """Embedded posts followed by their own date line ("— name (@x) 20 November
    2023"), each spanning back to the blank line (or line) before its date."""
    folded = folded or ascii_digits(text)
    posts = []
    blank_lines = "\n\n" in text
    for mention in find_dates(text, 0, len(text), None, folded):
        if not (mention.kind == "explicit" and mention.year_given and mention.value):
            continue
        line_start = text.rfind("\n", 0, mention.start) + 1
        line_end = text.find("\n", mention.end)
        line_end = len(text) if line_end < 0 else line_end
        trailing = text[mention.end : line_end].strip()
        if trailing or not _POST_LINE.match(text, line_start):
            continue
        if blank_lines:
            start = text.rfind("\n\n", 0, line_start)
            start = 0 if start < 0 else start + 2
        else:
            start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        posts.append(Post(start, line_end, mention.value))
    return posts


def base_at(position: int, posts: list[Post], reference: dt.date | None):
    """The date a sentence starting at ``position`` counts from: its post's own
    date when it is inside one, else the article's reference."""
    for post in posts:
        if post.start <= position < post.end:
            return post.value
    return reference
