"""Match a place name as a source wrote it to one known site.

``normalize_name`` (in ``names``) folds script-level differences for substring search.
Matching a whole name to a site needs more: "وقاعدة عين الأسد", "Ain al-Asad Air Base"
and "Ayn al Asad" are one place, though they differ by a conjunction, an article,
a generic word ("base", "قاعدة") and a transliteration. ``keys.match_key`` folds
those too.

``NameIndex`` ranks a query against (slug, names) candidates:

1. **exact** - case-insensitive equality with a name or alias (after NFC and
   whitespace collapsing), score 1.0;
2. **normalised** - equal ``match_key`` (score 1.0); then the query with a leading
   Arabic clitic (و، ب، ل، ف) stripped (score 1.0); then the kh->h fallback key
   (score 0.9);
3. **fuzzy** - ``difflib`` ratio of match keys at least ``FUZZY_THRESHOLD`` and at
   least ``FUZZY_MARGIN`` above the best other site's, with the same digits and
   Roman numerals on both sides ("Tower 23" is not "Tower 22"), and not merely a
   consonant added at the end ("Rumaila" is not "Rumaylan"); score is the ratio;
4. **skeleton** - the same consonant skeleton (``skeleton``) as one site's name,
   for Latin transliterations that differ in their vowels ("Konico" / "Conoco"),
   score 0.8;
5. **partial** - a query that names a facility ("base", "قاعدة", "airport") whose
   distinctive words are part of one site's name and at least half of it, with
   the same numbers ("قاعدة الأسد الجوية" for "قاعدة عين الأسد الجوية"), score 0.7.

Ranks go by score: a weaker one is asked only when every stronger one found
nothing. A rank that two different sites reach equally is ambiguous: no match,
rather than a guess (``candidates`` names them), and no weaker rank is asked. A
higher rank always wins, so an exact alias beats a normalised tie.
Fuzzy, skeleton and partial are ``APPROXIMATE``: a guess at a spelling, which a
caller that needs certainty (actor names in an import) refuses.

Descriptive names also count by their head: "Harir Air Base (Bashur airfield)" is
indexed as "Harir Air Base" too, and "A / B" as A and B, but a head never takes a
key another site already has ("Green Zone (al-Omar)" leaves "Green Zone" to the
embassy). Parenthesised text is not indexed on its own ("Tower 22 (Jordan)" must not
make "Jordan" a site).
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .keys import (
    clitic_stripped_key,
    fallback_key,
    match_key,
    names_a_facility,
    numbers_in,
)
from .skeleton import skeleton_key

MAX_QUERY_LENGTH = 200
FUZZY_THRESHOLD = 0.85
FUZZY_MARGIN = 0.05
# Below this many characters a key is too short for a fuzzy guess to mean anything.
FUZZY_MIN_LENGTH = 4

SKELETON_SCORE = 0.8
PARTIAL_SCORE = 0.7

Method = Literal["exact", "normalised", "skeleton", "partial", "fuzzy"]
APPROXIMATE: frozenset[str] = frozenset({"skeleton", "partial", "fuzzy"})
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    slug: str
    method: Method
    score: float
    matched_name: str


def _consonant_added(key: str, other: str) -> bool:
    """Whether two Latin keys' consonants differ only by consonants added to the
    end of the last word: an ending that makes another name ("Rumaila" /
    "Rumaylan", "Kasra" / "Kasrak"), where a misspelling changes a letter
    anywhere and a vowel added at the end ("Mayadine") is only spelling."""
    mine, theirs = skeleton_key(key, minimum=1), skeleton_key(other, minimum=1)
    if not (mine and theirs):
        return False
    shorter, longer = sorted(
        (mine.rsplit(" ", 1)[-1], theirs.rsplit(" ", 1)[-1]), key=len
    )
    return len(shorter) < len(longer) and longer.startswith(shorter)


def _exact_form(text: str) -> str:
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def _name_heads(name: str) -> list[str]:
    """Shorter forms of a descriptive name: the part before any parenthesis, and
    each side of a "/" or " - " in it. "Harir Air Base (Bashur airfield)" ->
    "Harir Air Base"; "Erbil Air Base / Erbil International Airport" -> both."""
    head = name.split("(", 1)[0]
    parts = [head, *re.split(r"\s+-\s+|/", head)]
    return [p.strip() for p in parts if p.strip() and p.strip() != name]


def check_query(query: str) -> str:
    """The query, stripped; ValueError when it is empty or absurdly long."""
    if not isinstance(query, str):
        raise TypeError(f"A place name must be text, not {type(query).__name__}.")
    query = query.strip()
    if not query:
        raise ValueError("The place name is empty.")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(
            f"The place name is {len(query)} characters long; a place name has at "
            f"most {MAX_QUERY_LENGTH}."
        )
    return query


class NameIndex:
    """Candidates indexed once for many lookups: dicts for the exact, normalised
    and skeleton ranks, lists scanned only when those miss (partial, fuzzy)."""

    def __init__(self, candidates: Iterable[tuple[str, Iterable[str]]]):
        self._exact: dict[str, dict[str, str]] = {}
        self._keys: dict[str, dict[str, str]] = {}
        self._fallback: dict[str, dict[str, str]] = {}
        self._skeletons: dict[str, dict[str, str]] = {}
        heads: list[tuple[str, str, str]] = []
        for slug, names in candidates:
            for name in names:
                if not name or not name.strip():
                    continue
                self._exact.setdefault(_exact_form(name), {}).setdefault(slug, name)
                key = match_key(name)
                if key:
                    self._keys.setdefault(key, {}).setdefault(slug, name)
                heads.extend((slug, head, name) for head in _name_heads(name))
        # A shortened name only counts where no other site already owns its key:
        # "Green Zone (al-Omar)" must not make "Green Zone" ambiguous.
        for slug, head, name in heads:
            key = match_key(head)
            owners = self._keys.get(key, {})
            if key and (not owners or slug in owners):
                self._keys.setdefault(key, {}).setdefault(slug, name)
        for key, owners in self._keys.items():
            skeleton = skeleton_key(key)
            for slug, name in owners.items():
                self._fallback.setdefault(fallback_key(key), {}).setdefault(slug, name)
                if skeleton:
                    self._skeletons.setdefault(skeleton, {}).setdefault(slug, name)
        self._fuzzy = [
            (key, slug, name)
            for key, owners in self._keys.items()
            if len(key) >= FUZZY_MIN_LENGTH
            for slug, name in owners.items()
        ]
        self._words = [
            (frozenset(key.split()), numbers_in(key), slug, name)
            for key, owners in self._keys.items()
            for slug, name in owners.items()
        ]

    def match(self, query: str) -> Match | None:
        """The one site ``query`` names, or None when none does or several do.

        Raises ValueError for an empty or over-long query.
        """
        found = self._ranked(check_query(query))
        if found is None:
            return None
        owners, method, score = found
        if len(owners) != 1:
            return None  # ambiguous: the same name for different sites
        ((slug, name),) = owners.items()
        return Match(slug=slug, method=method, score=score, matched_name=name)

    def candidates(self, query: str) -> list[str]:
        """The sites an ambiguous ``query`` could name equally well (slugs, sorted),
        or [] when it names one site or none. Raises ValueError like ``match``."""
        found = self._ranked(check_query(query))
        if found is None or len(found[0]) < 2:
            return []
        return sorted(found[0])

    def _ranked(self, query: str) -> tuple[dict[str, str], Method, float] | None:
        """The owners of the first rank ``query`` reaches, with its method and
        score; a rank two sites reach equally stops the search there: a weaker
        rank must not turn an ambiguous name into a guess."""
        owners = self._exact.get(_exact_form(query))
        if owners:
            return owners, "exact", 1.0
        key = match_key(query)
        if not key:
            return None
        stripped = clitic_stripped_key(query)
        for table, lookup, score in (
            (self._keys, key, 1.0),
            (self._keys, stripped, 1.0),
            (self._fallback, fallback_key(key), 0.9),
            (self._fallback, fallback_key(stripped), 0.9),
        ):
            owners = table.get(lookup) if lookup else None
            if owners:
                return owners, "normalised", score
        found = self._fuzzy_match(key)
        if found is not None:
            return found
        skeleton = skeleton_key(key)
        owners = self._skeletons.get(skeleton) if skeleton else None
        if owners:
            return owners, "skeleton", SKELETON_SCORE
        if names_a_facility(query):
            owners = self._partial(key)
            if owners:
                return owners, "partial", PARTIAL_SCORE
        return None

    def _partial(self, key: str) -> dict[str, str]:
        """Sites one of whose names holds every distinctive word of ``key`` and
        at most twice as many, with the same numbers."""
        words = frozenset(key.split())
        numbers = numbers_in(key)
        owners: dict[str, str] = {}
        for name_words, name_numbers, slug, name in self._words:
            if (
                words < name_words
                and len(name_words) <= 2 * len(words)
                and name_numbers == numbers
            ):
                owners.setdefault(slug, name)
        return owners

    def _fuzzy_match(self, key: str) -> tuple[dict[str, str], Method, float] | None:
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        digits = numbers_in(key)
        # SequenceMatcher caches what it learns about its second sequence: the query.
        matcher = difflib.SequenceMatcher(b=key, autojunk=False)
        best: dict[str, tuple[float, str]] = {}
        for candidate, slug, name in self._fuzzy:
            if numbers_in(candidate) != digits:
                continue
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < FUZZY_THRESHOLD - FUZZY_MARGIN:
                continue
            if matcher.quick_ratio() < FUZZY_THRESHOLD - FUZZY_MARGIN:
                continue
            ratio = matcher.ratio()
            if ratio > best.get(slug, (0.0, ""))[0] and not _consonant_added(
                key, candidate
            ):
                best[slug] = (ratio, name)
        ranked = sorted(best.items(), key=lambda item: item[1][0], reverse=True)
        if not ranked or ranked[0][1][0] < FUZZY_THRESHOLD:
            return None
        top = ranked[0][1][0]
        # Every site about as close as the best: one is a match, two are ambiguous.
        owners = {
            slug: name for slug, (ratio, name) in ranked if top - ratio < FUZZY_MARGIN
        }
        return owners, "fuzzy", round(top, 3)


def match_name(
    query: str, candidates: Iterable[tuple[str, Iterable[str]]]
) -> Match | None:
    """Match ``query`` against ``(site_slug, [names...])`` candidates.

    Builds a fresh index: for many lookups build one ``NameIndex`` and reuse it.
    """
    return NameIndex(candidates).match(query)
