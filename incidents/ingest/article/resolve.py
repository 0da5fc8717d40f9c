"""How a date mention becomes a day: the year of a day and month, a weekday or
"yesterday" counted back from a base date, a night spanning two weekdays, and the
notes a reader must see (a weekday that contradicts its date, a year chosen by the
weekday alone). ``dates`` finds the mentions; this module resolves each one.

Decisions (see also ``dates``):

- **A day and month without a year** take the base's year, or the year before
  when that would put them after the base: papers report the recent past. A
  weekday beside them that does not fit that year is flagged as a contradiction
  (a misprint of one or the other), not taken to mean a year further back.
- **With no base** (the article gives no date) a day and month next to a weekday
  ("الخميس 16 تشرين الثاني") take the latest year up to today in which that day
  falls on that weekday, and the mention says so, since such pairings recur every
  5 to 11 years; no such year in the last 12 is a contradiction, flagged, and no
  value. Without a weekday they have no value.
- **A weekday that contradicts the date** ("الخميس 15 تشرين الثاني 2023", a
  Wednesday): the explicit date stands, and the mention carries the note.
- **A night spanning two weekdays** («ليل الجمعة - السبت», "overnight Friday to
  Saturday") is dated to the first day, the evening it began on, as ACLED coders
  date an overnight attack with no hour; the second day is counted back from the
  base (so a Saturday paper's "Friday to Saturday" night is that Friday). «فجر
  السبت» is simply Saturday.
- **Days ago** («قبل أيام», "days ago", "earlier this week") is the middle of the
  week before the base (base - 3 days); **last week** («الأسبوع الماضي») the week
  before that (base - 7): both week-precise, never a day.
- **Without a base** a weekday, "yesterday" or "days ago" has no value.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

# "How many years back a day and month may fall on a given weekday": every
# pairing recurs within 11 years (29 February aside).
_WEEKDAY_YEARS = 11


@dataclass(frozen=True)
class Found:
    """A date mention before it is resolved: ``spec`` is what ``_resolve`` needs
    (day, month, year, weekday; a weekday and "last"; two weekdays; days back)."""

    start: int
    end: int
    kind: str
    spec: tuple


def _year_for(day: int, month: int, published: dt.date) -> dt.date | None:
    try:
        candidate = dt.date(published.year, month, day)
        if candidate > published:
            candidate = dt.date(published.year - 1, month, day)
    except ValueError:
        return None
    return candidate


def _year_by_weekday(day: int, month: int, weekday: int, limit: dt.date):
    """The latest day+month on or before ``limit`` that falls on ``weekday``."""
    for year in range(limit.year, limit.year - _WEEKDAY_YEARS - 1, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit and candidate.weekday() == weekday:
            return candidate
    return None


def _weekday_name(index: int) -> str:
    return str(WEEKDAYS[index])


def _contradiction(value: dt.date, weekday: int | None) -> str:
    if weekday is None or value.weekday() == weekday:
        return ""
    return _("weekday contradicts the date: %(date)s is a %(real)s, not a %(said)s") % {
        "date": value.isoformat(),
        "real": _weekday_name(value.weekday()),
        "said": _weekday_name(weekday),
    }


def _explicit_value(spec: tuple, base: dt.date | None) -> tuple[dt.date | None, str]:
    day, month, year, weekday = spec
    if year is not None:
        value = dt.date(year, month, day)
        return value, _contradiction(value, weekday)
    if base is not None:
        # Papers report the recent past: a weekday that does not fit the year
        # before the base is a misprint of one or the other, and a year chosen
        # to fit it would date the news years back.
        value = _year_for(day, month, base)
        return value, _contradiction(value, weekday)
    if weekday is None:
        return None, _(
            "no year is given, and the article gives no date to take it from"
        )
    value = _year_by_weekday(day, month, weekday, dt.date.today())
    values = {"day": day, "month": month, "weekday": _weekday_name(weekday)}
    if value is None:
        values["years"] = _WEEKDAY_YEARS + 1
        return None, _(
            "weekday contradicts the date: %(day)d/%(month)d is not a %(weekday)s "
            "in any of the last %(years)d years"
        ) % values
    return value, _(
        "year chosen from the weekday alone (the article gives no date): the "
        "latest year up to today in which %(day)d/%(month)d is a %(weekday)s"
    ) % values


def resolve(found: Found, text: str, base: dt.date | None):
    """(value, note) of one mention, counted from ``base`` (None: unknown)."""
    if found.kind == "explicit":
        return _explicit_value(found.spec, base)
    if base is None:
        said = " ".join(text.split())
        return None, _("“%(text)s”: the article gives no date to count it from") % {
            "text": said
        }
    if found.kind == "weekday":
        index, last = found.spec
        back = (base.weekday() - index) % 7
        if back == 0 and last:
            back = 7
        return base - dt.timedelta(days=back), ""
    if found.kind == "night":
        # The night began on the first weekday: the second is counted back from
        # the reference, the night dated to the day before it.
        first, second = found.spec
        if (second - first) % 7 != 1:
            return resolve(Found(0, 0, "weekday", (first, False)), text, base)
        back = (base.weekday() - second) % 7
        return base - dt.timedelta(days=back + 1), ""
    return base - dt.timedelta(days=found.spec[0]), ""
