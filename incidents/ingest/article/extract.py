"""Article -> draft incidents: the pass over the sentences that ties the finders
together (sentences, anchor, dates, mentions, counts, events). Pure: it reads the
site and actor tables (or what it is given) and writes nothing.

Dates are counted from the article's reference date (``anchor.find_reference``:
the publication date when given, else one the text gives, else none), never from
today; the lines of an embedded post from the post's own date.
"""

import datetime as dt
from collections.abc import Iterable

from ...geo.gazetteer import GazetteerGeocoder
from .anchor import base_at, find_posts, find_reference
from .counts import casualties, event_totals, weapon_of
from .credits import credited_source
from .dates import find_dates
from .dating import follows_previous, next_context
from .events import SentenceFacts, propose
from .mentions import (
    SpanMatcher,
    actor_lookup,
    is_relative,
    only_a_city,
    referred_base,
    site_lookup,
    vocabulary_of,
)
from .merging import claimed_in_own_voice, follow_up, merge, split_by_site
from .results import (
    ActorMention,
    ArticleExtraction,
    DraftProposal,
    SiteMention,
    TotalMention,
)
from .roles import statement_voice
from .sentences import (
    ascii_digits,
    check_article,
    detect_language,
    first_line,
    split_sentences,
    without_breaks,
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


def _town_slugs() -> frozenset[str]:
    """Sites that are towns: named beside a base, they say where it is."""
    from ...models import Site

    return frozenset(Site.objects.filter(kind="town").values_list("slug", flat=True))


def _as_date(published: dt.date | dt.datetime | None) -> dt.date | None:
    if published is None:
        return None  # the reference date is then read from the text
    if isinstance(published, dt.datetime):
        return published.date()
    if not isinstance(published, dt.date):
        raise TypeError(f"published must be a date, not {type(published).__name__}.")
    # Weekdays and "yesterday" step back from it; news from before 1900 is not
    # what this reads, and a year 1 or 9999 would step off the calendar.
    if not 1900 <= published.year <= 2100:
        raise ValueError(
            f"The publication date {published.isoformat()} is not between the "
            "years 1900 and 2100."
        )
    return published


def extract_article(
    text: str,
    *,
    published: dt.date | None = None,
    gazetteer=None,
    actors=None,
) -> ArticleExtraction:
    """Read an Arabic or English news article and propose draft incidents.

    ``published`` dates the article; weekdays, "yesterday" and dates without a
    year are resolved against it. Without it they are resolved against a date
    the text gives (a date line, «اليوم» with a date, the latest full date;
    ``reference_date`` and ``reference_evidence`` say which), and with none
    drafts nothing else dates are of unknown date. ``gazetteer`` is anything with
    ``GazetteerGeocoder``'s ``match(text)`` (a fresh ``GazetteerGeocoder`` by
    default); ``actors`` are Actor rows or (slug, name, names[, kind]) tuples (the
    Actor table by default).

    Raises ValueError for an empty or over-long (> 200,000 characters) article,
    or a publication date outside 1900-2100.
    """
    text = check_article(text)
    day = _as_date(published)
    site_words, towns = None, frozenset()
    if gazetteer is None or isinstance(gazetteer, GazetteerGeocoder):
        site_words = vocabulary_of(_site_names())
        towns = _town_slugs()
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
    )
    proposals = []
    folded = ascii_digits(text)  # once: the patterns read digits as ASCII
    reference = find_reference(text, day, folded)
    result.reference_date = reference.value
    result.reference_evidence = reference.evidence
    result.reference_kind = reference.how
    posts = find_posts(text, folded)
    paragraph, context, previous = -1, None, None
    told: list[tuple[int, DraftProposal]] = []  # (paragraph, proposal), in order
    last_base: str | None = None  # the last site placed: what "the base" means
    site_name: dict[str, str] = {}
    for sentence in split_sentences(text):
        if sentence.paragraph != paragraph:
            paragraph, context = sentence.paragraph, None
        placed: list[str] = []
        named: list[str] = []
        for found in sites.find(sentence):
            relative = is_relative(sentence, found)
            site_name[found.slug] = found.name
            result.sites.append(
                SiteMention(
                    found.slug,
                    found.name,
                    text[found.start : found.end],
                    sentence.text,
                    relative,
                )
            )
            if not only_a_city(sentence, found):
                named.append(found.slug)
            if not relative:
                placed.append(found.slug)
        if not placed and (anaphor := referred_base(sentence, last_base)):
            result.sites.append(
                SiteMention(
                    last_base,
                    site_name[last_base],
                    anaphor.group(),
                    sentence.text,
                    via="the base named before",
                )
            )
            placed.append(last_base)
            named.append(last_base)
        for slug in placed:
            if slug not in towns:
                last_base = slug
        actors_here = []
        spoke: list[int] = []  # where each actor's name ends, in the sentence
        began: list[int] = []
        for found in actor_spans.find(sentence):
            result.actors.append(
                ActorMention(
                    found.slug, found.name, text[found.start : found.end], sentence.text
                )
            )
            name, kind = kinds[found.slug]
            actors_here.append((found.slug, name, kind))
            spoke.append(found.end - sentence.start)
            began.append(found.start - sentence.start)
        hurt = casualties(text, sentence.start, sentence.end, folded)
        totals = [
            t
            for t in event_totals(text, sentence.start, sentence.end, folded)
            if not any(c.start < t.end and t.start < c.end for c in hurt)
        ]
        base = base_at(sentence.start, posts, reference.value)
        dates = find_dates(text, sentence.start, sentence.end, base, folded)
        facts = SentenceFacts(
            text=sentence.text,
            paragraph=sentence.paragraph,
            dates=dates,
            sites=list(dict.fromkeys(placed)),
            all_sites=list(dict.fromkeys(named)),
            actors=actors_here,
            actor_ends=spoke,
            actor_starts=began,
            reference_year=reference.value.year if reference.value else None,
            weapon=weapon_of(without_breaks(sentence.text)),
            casualties=hurt,
            totals=totals,
        )
        # "Hours later" follows the event told before, in whatever paragraph.
        before = previous if follows_previous(sentence.text) else context
        proposal = propose(facts, before, reference.value)
        if proposal is not None:
            for one in split_by_site(proposal, towns):
                proposals.append(one)
                told.append((sentence.paragraph, one))
        elif not follow_up(
            [p for par, p in told if par == sentence.paragraph] or proposals[-1:],
            facts,
        ):
            # A none ("no casualties") is no running total.
            totals = sorted(
                [*totals, *(c for c in hurt if c.number)], key=lambda c: c.start
            )
        credit = credited_source(sentence.text) if totals else ""
        result.totals.extend(
            TotalMention(t.number, t.kind, t.text, sentence.text, credit)
            for t in totals
        )
        context = next_context(dates, context)
        previous = next_context(dates, previous)
    result.proposals = merge(proposals)
    groups = [
        a.slug
        for a in result.actors
        if kinds[a.slug][1] in {"armed_group", "unidentified"}
    ]
    claimed_in_own_voice(result.proposals, statement_voice(text, groups))
    return result
