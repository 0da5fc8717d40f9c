"""The date of one proposed event: which of the dates around its sentence dates
it, how precisely, why, and what a careful reader must be told about it.

``events.propose`` asks ``event_date`` once per proposal; ``extract`` keeps the
dates that may date later sentences (``next_context``) and passes the previous
event's date to a sentence that says it came hours after it
(``follows_previous``). ``same_date`` tells ``events.merge`` whether two dates may
be one event's.

Decisions, in the order they are tried:

- **"Hours later"** («بعد ساعات», "hours later") with no date of its own: the
  date of the event sentence before it, even in another paragraph, never the
  reference date.
- **The sentence's own date** (an event date; a report date for a statement):
  day-precise, or week-precise for «قبل أيام» / "last week". A mention nothing
  in the article gives a value («أمس» in an article with no date) leaves the
  event's date unknown: an earlier sentence's date is another event's.
- **The nearest earlier event date in the paragraph**, day-precise.
- **The date of the report** ("said on Thursday it had targeted …"): week.
- **The reference date**, week-precise ("within the week before").
- **Else unknown**: ``value`` None, precision "unknown", and a note saying so.
- **Never after the reference date**: a date the text gives that falls after it
  (a plan, or a misprint) leaves the date unknown, with a note naming both.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .dates import DateMention

_FOLLOWS = re.compile(
    r"(?<![\w])[وف]?بعد\s+(?:ذلك\s+ب)?ساعات|\bhours\s+(?:later|after)\b|"
    r"في\s+(?:اليوم|الليلة)\s+(?:نفسه|نفسها|ذاته|ذاتها)|\b(?:the\s+same\s+day|later\s+that\s+day)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EventDate:
    """An event's date (None: unknown), precision (day, week, unknown), the
    evidence for it and notes for the editor."""

    value: dt.date | None
    precision: str
    evidence: str
    notes: tuple[str, ...] = ()


def follows_previous(text: str) -> bool:
    """The sentence says it happened hours after the event told before it."""
    return bool(_FOLLOWS.search(text))


def next_context(dates: list[DateMention], context: DateMention | None):
    """The date later sentences without one of their own may take: this
    sentence's last day-precise event date, else the one before."""
    days = [d for d in dates if d.role == "event" and d.kind != "week" and d.value]
    return days[-1] if days else context


def _unknown(why: str, *notes: str) -> EventDate:
    return EventDate(None, "unknown", why, (*notes, _("date unknown: %s") % why))


def _choose(dates, context, reference, statement: bool, text: str) -> EventDate:
    roles = {"event", "report"} if statement else {"event"}
    own = next((d for d in dates if d.role in roles), None)
    note = (own.note,) if own is not None and own.note else ()
    if own is None and context is not None and follows_previous(text):
        return EventDate(
            context.value, "day", f"{context.evidence} (hours after the event before)"
        )
    if own is not None and own.value is None:
        return _unknown(own.note or own.evidence)
    if own is not None:
        precision = "week" if own.kind == "week" else "day"
        return EventDate(own.value, precision, own.evidence, note)
    if context is not None:
        evidence = f"{context.evidence} (earlier in the paragraph)"
        return EventDate(context.value, "day", evidence)
    reported = next((d for d in dates if d.role == "report" and d.value), None)
    if reported is not None:
        evidence = f"{reported.evidence} (date of the report; week before)"
        return EventDate(reported.value, "week", evidence)
    if reference is not None:
        evidence = f"reference date → {reference.isoformat()} (week before)"
        return EventDate(reference, "week", evidence)
    return _unknown(_("nothing in the sentence or the article dates it"))


def event_date(
    dates: list[DateMention],
    context: DateMention | None,
    reference: dt.date | None,
    *,
    statement: bool = False,
    text: str = "",
) -> EventDate:
    """The date of the event a sentence reports (see the module's Decisions)."""
    chosen = _choose(dates, context, reference, statement, text)
    if reference is not None and chosen.value and chosen.value > reference:
        return _unknown(
            _("the text dates it %(date)s, after the article's date %(reference)s")
            % {"date": chosen.value.isoformat(), "reference": reference.isoformat()},
            *chosen.notes,
        )
    return chosen


def same_date(a, b) -> bool:
    """Whether two proposals' dates may be one event's: the same day; a day in
    the week a week-precise date stands for; two unknown dates at a shared site.
    An unknown date is never a dated one's: nothing says they agree."""
    if "unknown" in (a.date_precision, b.date_precision):
        shared = set(a.sites) & set(b.sites)
        return a.date_precision == b.date_precision and bool(shared)
    if a.date_precision == b.date_precision == "day":
        return a.occurred_on == b.occurred_on
    week, day = (a, b) if a.date_precision == "week" else (b, a)
    return dt.timedelta(0) <= week.occurred_on - day.occurred_on < dt.timedelta(7)


def more_precise(a, b) -> bool:
    """Whether proposal ``b``'s date is more precise than ``a``'s (it wins in a
    merge)."""
    return _RANK[b.date_precision] > _RANK[a.date_precision]


_RANK = {"unknown": 0, "month": 1, "week": 2, "day": 3}
