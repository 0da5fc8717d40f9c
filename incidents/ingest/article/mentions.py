"""Site and actor names in running text, found through the project's name matching.

A sentence is cut into word n-grams (1-4 words, never across a comma, full stop or
parenthesis, but across quotes: كتائب “حزب الله”). Each n-gram is looked up, longest
first, in the gazetteer (sites) or a ``NameIndex`` (actors), which already fold
diacritics, hamza, ta marbuta, the article, clitics and generic words (قاعدة، حقل،
مطار، base, field). On top of that:

- a leading clitic is tried off the *first* word only ("وتل بيدر" -> "تل بيدر"): the
  matcher's own clitic fallback strips every word and would turn بيدر into يدر;
- **false positives** are the danger in running text, so: exact and normalised
  matches first, over the whole sentence; approximate ones (fuzzy, a consonant
  skeleton, part of a name: ``matching.APPROXIMATE``) only afterwards, on words no
  exact match took, and only for spans of two or more words or single words of at
  least seven letters; a Latin span needs a capitalised word (names are written so,
  "the oil field workers" is not a place), a one-word Latin span of three letters or
  fewer must be an all-capitals acronym (KH, ATG), and a span made only of generic or
  function words never matches;
- a name right after a person's first name or title, or after "channel/قناة", is a
  person or a broadcaster, not a place ("Bashar al-Assad", "قناة الميادين"), and
  "من العمر" is an age, not Al-Omar.

A site introduced by a direction or "countryside" ("جنوب شرقي دير الزور", "بريف
الحسكة", "north of Erbil") is marked ``relative``: it locates something else, so an
event is not placed *at* it.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ...geo.matching import APPROXIMATE, NameIndex, fallback_key, match_key
from ...geo.names import fold_sh, normalize_name
from .sentences import Sentence

MAX_WORDS = 4
FUZZY_MIN_LETTERS = 7
_CLITIC = re.compile("^(?:[وف][بل]?|[بل])(?=..)")
_ARABIC = re.compile("[\u0600-\u06ff]")
_FUNCTION_WORDS = frozenset(
    "the a an of in on at and to for with by from near its their this that "
    "في من على الى إلى عن مع و او أو ثم".split()
)
_GENERIC_WORDS = frozenset(
    "base bases field fields oil gas airport airfield camp town city site air "
    "قاعده قواعد حقل مطار مخيم بلده مدينه معمل".split()
)
# The word before a name that makes it a person's or a broadcaster's.
_NOT_A_PLACE_AFTER = frozenset(
    "bashar president channel tv بشار الرئيس قناه لقناه وقناه".split()
)
_AGE_PHRASE = ("من", "عمر")
# "near"/"قرب" is not here: "rockets landed near the base" still aims at it.
_RELATIVE_BEFORE = frozenset(
    "جنوب شمال شرق غرب شرقي غربي شمالي جنوبي ريف بريف وريف محافظه بمحافظه north "
    "south east west northeast northwest southeast southwest countryside".split()
)
# Words a name may contain that are not in its key (dropped when folding).
_SKIPPED = frozenset({"", *_FUNCTION_WORDS, *_GENERIC_WORDS, "al", "el", "ال"})
_RELATIVE_AFTER = frozenset("province governorate countryside region".split())

_DATELINE_END = re.compile(r"\s*(?:\([^)]*\))?\s*[,\-\u2013\u2014]")
# An Arabic date line: «بغداد - », «بغداد (رويترز) - », «أربيل (العراق) - أ ف ب».
_AR_DATELINE_END = re.compile(r"\s*(?:\([^)]*\)\s*)*[\-\u2013\u2014:|]")
# A city's bare name: the city an outlet places a story in, not the base or the
# airport beside it that shares the name ("in Baghdad", «وسط بغداد»).
_CITY_NAMES = frozenset(
    match_key(n)
    for n in (
        "بغداد",
        "Baghdad",
        "أربيل",
        "اربيل",
        "Erbil",
        "Irbil",
        "Euphrates",
        "الفرات",
    )
)

Lookup = Callable[[str], "tuple[str, str, str] | None"]


@dataclass(frozen=True)
class Found:
    """A name found in a sentence: the tokens it spans and what it names."""

    first: int
    last: int
    slug: str
    name: str
    start: int
    end: int


def _fold(word: str) -> str:
    return match_key(word) or word.lower()


@lru_cache(maxsize=65536)
def _plain(word: str) -> str:
    key = match_key(word)
    return _CLITIC.sub("", key) if _ARABIC.search(key) else key


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> frozenset[str]:
    """The folded forms one written word may take in a name's key: as it is, with
    its clitic off, and with Latin "kh" as "h"."""
    forms = {match_key(word)}
    if _ARABIC.search(word):
        forms.add(match_key(_CLITIC.sub("", word)))
    return frozenset(forms | {fallback_key(f) for f in forms})


def vocabulary_of(names: Iterable[str]) -> set[str]:
    """Every folded word of ``names``, for ``SpanMatcher``'s cheap first test."""
    words: set[str] = set()
    for name in names:
        for word in normalize_name(fold_sh(name or "")).split():
            words |= _word_forms(word)
    return words


def _next_conjunct(word: str) -> bool:
    """ "ومطار" inside a span starts the next name of a list ("الشدادي ومطار خراب
    الجير"): a generic word with the conjunction و before it."""
    return word.startswith("و") and _plain(word[1:]) in _GENERIC_WORDS


def _eligible(words: list[str], *, fuzzy: bool) -> bool:
    folded = [_plain(w) for w in words]
    if all(f in _FUNCTION_WORDS or f in _GENERIC_WORDS or not f for f in folded):
        return False
    latin = [w for w in words if not _ARABIC.search(w)]
    if len(latin) == len(words):
        if not any(part[:1].isupper() for w in words for part in w.split("-")):
            return False  # "al-Tanf", "al-Omar" are capitalised names too
        if len(words) == 1 and len(words[0]) <= 3 and not words[0].isupper():
            return False
    if fuzzy:
        if folded[0] in _FUNCTION_WORDS or folded[-1] in _FUNCTION_WORDS:
            return False
        if len(words) == 1 and len(folded[0]) < FUZZY_MIN_LETTERS:
            return False
    return True


class SpanMatcher:
    """Finds the names one lookup knows in sentences, remembering every answer
    (an article repeats its words; the fuzzy scan behind a miss is the cost)."""

    def __init__(self, lookup: Lookup, vocabulary: set[str] | None = None):
        self._lookup = lookup
        self._memo: dict[str, tuple[str, str, str] | None] = {}
        # Folded words of every known name: a span with any other (non-generic)
        # word cannot match exactly, so it is not asked, which spares the fuzzy
        # scan the lookup runs on every miss. None: ask about every span.
        self._vocabulary = vocabulary
        self._known: dict[str, bool] = {}

    def _is_known(self, word: str) -> bool:
        if word not in self._known:
            forms = _word_forms(word)
            self._known[word] = bool(forms & self._vocabulary) or forms <= _SKIPPED
        return self._known[word]

    def _worth_asking(self, words: list[str], fuzzy: bool) -> bool:
        if self._vocabulary is None:
            return True
        known = [self._is_known(w) for w in words]
        if fuzzy:  # a misspelling: one known word of several, or one long word
            return len(words) == 1 or any(known)
        return all(known)

    def _ask(self, query: str) -> tuple[str, str, str] | None:
        if query not in self._memo:
            try:
                self._memo[query] = self._lookup(query)
            except ValueError:  # over-long span: no name is that long
                self._memo[query] = None
        return self._memo[query]

    def _try(self, words: list[str], fuzzy: bool) -> tuple[str, str] | None:
        if not self._worth_asking(words, fuzzy):
            return None
        queries = [" ".join(words)]
        stripped = _CLITIC.sub("", words[0]) if _ARABIC.search(words[0]) else ""
        if stripped and stripped != words[0]:
            queries.append(" ".join([stripped, *words[1:]]))
        for query in queries:
            answer = self._ask(query)
            if answer and (answer[2] in APPROXIMATE) == fuzzy:
                return answer[0], answer[1]
        return None

    def _vetoed(self, sentence: Sentence, first: int, last: int) -> bool:
        if first == 0:
            return False
        before = _plain(sentence.tokens[first - 1].text)
        if (
            before in _NOT_A_PLACE_AFTER
            or match_key(sentence.tokens[first - 1].text) in _NOT_A_PLACE_AFTER
        ):
            return True
        span = [_plain(t.text) for t in sentence.tokens[first : last + 1]]
        return (before, *span) == _AGE_PHRASE

    def find(self, sentence: Sentence) -> list[Found]:
        taken: set[int] = set()
        found: list[Found] = []
        for fuzzy in (False, True):
            for chunk in sentence.chunks:
                i = 0
                while i < len(chunk):
                    hit = None
                    for n in range(min(MAX_WORDS, len(chunk) - i), 0, -1):
                        ids = chunk[i : i + n]
                        if taken.intersection(ids):
                            continue
                        words = [sentence.tokens[k].text for k in ids]
                        if any(_next_conjunct(w) for w in words[1:]):
                            continue
                        if not _eligible(words, fuzzy=fuzzy):
                            continue
                        answer = self._try(words, fuzzy)
                        if answer and not self._vetoed(sentence, ids[0], ids[-1]):
                            hit = (ids, answer)
                            break
                    if hit is None:
                        i += 1
                        continue
                    ids, (slug, name) = hit
                    taken.update(ids)
                    found.append(
                        Found(
                            ids[0],
                            ids[-1],
                            slug,
                            name,
                            sentence.tokens[ids[0]].start,
                            sentence.tokens[ids[-1]].end,
                        )
                    )
                    i += len(ids)
        return sorted(found, key=lambda f: f.first)


_FACILITY_WORDS = frozenset("مطار قاعده قاعدة airport base airbase airfield".split())


def _bare_city(sentence: Sentence, found: Found, words) -> bool:
    """A city's name with no airport or base word in it or just before it: the
    city («وسط بغداد», "in Baghdad"), not the base that shares its name («مطار
    أربيل», "Erbil airport", «قاعدة التحالف في أربيل»)."""
    if match_key(" ".join(t.text for t in words)) not in _CITY_NAMES:
        return False
    near = sentence.tokens[max(0, found.first - 3) : found.last + 2]
    return not any(
        _plain(t.text) in _FACILITY_WORDS or t.text.lower() in _FACILITY_WORDS
        for t in near
    )


def is_relative(sentence: Sentence, found: Found) -> bool:
    """Whether a direction or "countryside" word places something *near* this
    site rather than at it, or the name is a dateline ("BAGHDAD, Nov. 17 -"):
    where the report was filed, not where anything happened."""
    if only_a_city(sentence, found):
        return True
    before = [
        _plain(t.text) for t in sentence.tokens[max(0, found.first - 2) : found.first]
    ]
    after = sentence.tokens[found.last + 1 : found.last + 2]
    return bool(set(before) & _RELATIVE_BEFORE) or any(
        t.text.lower() in _RELATIVE_AFTER for t in after
    )


def only_a_city(sentence: Sentence, found: Found) -> bool:
    """A date line ("BAGHDAD, Nov. 17 -", «بغداد (رويترز) -»: where the report
    was filed) or a city's bare name: no place where anything happened, nor one of
    a list of places reached."""
    words = sentence.tokens[found.first : found.last + 1]
    after = found.end - sentence.start
    if found.first == 0 and (
        all(t.text.isupper() and t.text.isascii() for t in words)
        and _DATELINE_END.match(sentence.text, after)
        or _ARABIC.search(words[0].text)
        and _AR_DATELINE_END.match(sentence.text, after)
    ):
        return True
    return _bare_city(sentence, found, words)


def site_lookup(gazetteer) -> Lookup:
    """A lookup over anything with the gazetteer's ``match(text)`` interface."""

    def lookup(query: str) -> tuple[str, str, str] | None:
        found = gazetteer.match(query)
        return (found.slug, found.name, found.method) if found else None

    return lookup


def actor_lookup(actors: Iterable[tuple[str, str, Iterable[str]]]) -> Lookup:
    """A lookup over (slug, English name, every name) rows of actors."""
    rows = [(slug, name, [name, *names]) for slug, name, names in actors]
    index = NameIndex((slug, names) for slug, _name, names in rows)
    display = {slug: name for slug, name, _ in rows}

    def lookup(query: str) -> tuple[str, str, str] | None:
        found = index.match(query)
        return (found.slug, display[found.slug], found.method) if found else None

    return lookup


# "The base" in a sentence that names none: the base the article named last.
_ANAPHOR = re.compile(
    r"(?<![\w])[وفبل]?(?:ل)?(?:ال)?(?:قاعدة|القاعدة|للقاعدة|بالقاعدة|المطار|بالمطار)"
    r"(?![\w\u0640])(?!\s+(?:[\u0621-\u064a]+\s+)?(?:العسكرية\s+)?(?:في|ب)\S*\s)|"
    r"\bthe\s+(?:same\s+)?(?:base|facility|garrison|airfield|air\s+base|outpost|"
    r"compound)\b",
    re.IGNORECASE,
)


# «تنظيم القاعدة» is al-Qaeda, not "the base".
_AL_QAEDA = re.compile(r"(?:تنظيم|لتنظيم|بتنظيم|وتنظيم)\s*$")


def referred_base(sentence: Sentence, last: str | None) -> re.Match | None:
    """Where a sentence that names no site refers to "the base" («سقطت داخل
    القاعدة», "the base came under fire"): the base the article named before it
    (``last``) is then where it happened."""
    if last is None:
        return None
    for found in _ANAPHOR.finditer(sentence.text):
        if not _AL_QAEDA.search(sentence.text[: found.start()]):
            return found
    return None
