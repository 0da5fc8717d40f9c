"""Article -> draft incidents: the pass over the sentences that ties the finders
together (sentences, dates, mentions, counts, events). Pure: it reads the site and
actor tables (or what it is given) and writes nothing.
"""

import datetime as dt
from collections.abc import Iterable

from ...geo.gazetteer import GazetteerGeocoder
from .counts import casualties, event_totals, weapon_of
from .dates import DateMention, find_dates
from .events import SentenceFacts, merge, propose
from .mentions import (
    SpanMatcher,
    actor_lookup,
    is_relative,
    site_lookup,
    vocabulary_of,
)
from .results import ActorMention, ArticleExtraction, SiteMention, TotalMention
from .sentences import (
    ascii_digits,
    check_article,
    detect_language,
    first_line,
    split_sentences,
)

ActorRow = tuple[str, str, Iterable[str], str]  # slug, English name, names, kind


def _actor_rows(actors) -> list[ActorRow]:
    """Actor rows from model instances (or a queryset) or from tuples of
    (slug, name, names[, kind]); the Actor table when none are given."""
    if actors is None:
        from ...models import Actor  # only touch the database when asked to

        actors = Actor.objects.all()
    rows: list[ActorRow] = []
    for actor in actors:
        if hasattr(actor, "slug"):
            names = [actor.name, actor.name_ar, *(actor.aliases or [])]
            rows.append((actor.slug, actor.name, [n for n in names if n], actor.kind))
        else:
            slug, name, names, *kind = actor
            rows.append((slug, name, list(names), kind[0] if kind else ""))
    return rows


def _site_names() -> list[str]:
    """Every name of every site: the words a site span may be made of."""
    from ...models import Site

    names: list[str] = []
    for name, name_ar, aliases in Site.objects.values_list(
        "name", "name_ar", "aliases"
    ):
        names += [name, name_ar, *(aliases or [])]
    return names


def _as_date(published: dt.date | dt.datetime | None) -> tuple[dt.date, bool]:
    if published is None:
        return dt.date.today(), True
    if isinstance(published, dt.datetime):
        return published.date(), False
    if not isinstance(published, dt.date):
        raise TypeError(f"published must be a date, not {type(published).__name__}.")
    # Weekdays and "yesterday" step back from it; news from before 1900 is not
    # what this reads, and a year 1 or 9999 would step off the calendar.
    if not 1900 <= published.year <= 2100:
        raise ValueError(
            f"The publication date {published.isoformat()} is not between the "
            "years 1900 and 2100."
        )
    return published, False


def extract_article(
    text: str,
    *,
    published: dt.date | None = None,
    gazetteer=None,
    actors=None,
) -> ArticleExtraction:
    """Read an Arabic or English news article and propose draft incidents.

    ``published`` dates the article; weekdays, "yesterday" and dates without a
    year are resolved against it (today's date when it is not given, flagged as
    ``published_assumed``). ``gazetteer`` is anything with
    ``GazetteerGeocoder``'s ``match(text)`` (a fresh ``GazetteerGeocoder`` by
    default); ``actors`` are Actor rows or (slug, name, names[, kind]) tuples (the
    Actor table by default).

    Raises ValueError for an empty or over-long (> 200,000 characters) article,
    or a publication date outside 1900-2100.
    """
    text = check_article(text)
    day, assumed = _as_date(published)
    site_words = None
    if gazetteer is None or isinstance(gazetteer, GazetteerGeocoder):
        site_words = vocabulary_of(_site_names())
        gazetteer = gazetteer or GazetteerGeocoder()
    rows = _actor_rows(actors)
    kinds = {slug: (name, kind) for slug, name, _names, kind in rows}
    sites = SpanMatcher(site_lookup(gazetteer), site_words)
    actor_spans = SpanMatcher(
        actor_lookup((s, n, names) for s, n, names, _ in rows),
        vocabulary_of(name for _s, _n, names, _k in rows for name in names),
    )

    result = ArticleExtraction(
        language=detect_language(text),
        published=day,
        title=first_line(text),
        published_assumed=assumed,
    )
    proposals = []
    folded = ascii_digits(text)  # once: the patterns read digits as ASCII
    paragraph, context = -1, None
    for sentence in split_sentences(text):
        if sentence.paragraph != paragraph:
            paragraph, context = sentence.paragraph, None
        placed: list[str] = []
        named: list[str] = []
        for found in sites.find(sentence):
            relative = is_relative(sentence, found)
            result.sites.append(
                SiteMention(
                    found.slug,
                    found.name,
                    text[found.start : found.end],
                    sentence.text,
                    relative,
                )
            )
            named.append(found.slug)
            if not relative:
                placed.append(found.slug)
        actors_here = []
        spoke: list[int] = []  # where each actor's name ends, in the sentence
        for found in actor_spans.find(sentence):
            result.actors.append(
                ActorMention(
                    found.slug, found.name, text[found.start : found.end], sentence.text
                )
            )
            name, kind = kinds[found.slug]
            actors_here.append((found.slug, name, kind))
            spoke.append(found.end - sentence.start)
        hurt = casualties(text, sentence.start, sentence.end, folded)
        totals = [
            t
            for t in event_totals(text, sentence.start, sentence.end, folded)
            if not any(c.start < t.end and t.start < c.end for c in hurt)
        ]
        dates = find_dates(text, sentence.start, sentence.end, day, folded)
        facts = SentenceFacts(
            text=sentence.text,
            paragraph=sentence.paragraph,
            dates=dates,
            sites=list(dict.fromkeys(placed)),
            all_sites=list(dict.fromkeys(named)),
            actors=actors_here,
            actor_ends=spoke,
            weapon=weapon_of(sentence.text),
            casualties=hurt,
            totals=totals,
        )
        proposal = propose(facts, context, day)
        if proposal is not None:
            proposals.append(proposal)
        else:
            totals = sorted([*totals, *hurt], key=lambda c: c.start)
        result.totals.extend(
            TotalMention(t.number, t.kind, t.text, sentence.text) for t in totals
        )
        context = _last_event_date(dates) or context
    result.proposals = merge(proposals)
    return result


def _last_event_date(dates: list[DateMention]) -> DateMention | None:
    events = [d for d in dates if d.role == "event"]
    return events[-1] if events else None
