"""How sure a gazetteer answer is, in words a reader acts on.

A match says *how* a name matched (``matching.Method``); this says what that is
worth, and warns where a right spelling can still be the wrong place:

- **certain**: the name is one of the site's names or aliases, or folds to one
  (case, diacritics, script variants, articles, generic words);
- **likely**: a weaker fold (kh as h) or the same consonants with other vowels
  (skeleton);
- **possible**: a misspelling (fuzzy) or a part of a name (partial), and any
  answer with a caution.

Two cautions, because a town and the base named after it are different places:

- the query has no facility word, the site is a facility (base, airfield, oil
  field, outpost) and the query matched only once a facility word was dropped from
  the site's name ("Erbil" for "Erbil airport"): it may be the town;
- the query names a facility ("Deir ez-Zor military airport") and the site is a
  town matched by the town's bare name: the facility is somewhere near that town,
  not the town itself.

The answer stays (for the town, the nearest the gazetteer knows), and the caution
travels with it: ``geocode --json`` prints both.
"""

from .matching import Match, names_a_facility

CERTAIN = "certain"
LIKELY = "likely"
POSSIBLE = "possible"

FACILITY_KINDS = frozenset({"base", "airfield", "oil_field", "outpost"})
SETTLEMENT_KINDS = frozenset({"town"})


def certainty(query: str, found: Match, kind: str) -> tuple[str, str]:
    """(certain | likely | possible, the caution or "") for ``found``, a match of
    ``query`` to a site of ``kind`` (``Site.Kind``'s values)."""
    if (
        kind in SETTLEMENT_KINDS
        and names_a_facility(query)
        and not names_a_facility(found.matched_name)
    ):
        return POSSIBLE, (
            f"{query!r} names a facility; {found.slug} is the town of that name, "
            "the nearest place the gazetteer knows."
        )
    if (
        kind in FACILITY_KINDS
        and found.method != "exact"
        and not names_a_facility(query)
        and names_a_facility(found.matched_name)
    ):
        return POSSIBLE, (
            f"{query!r} may be the place of that name (a town, a village), not "
            f"the {kind.replace('_', ' ')} {found.slug} ({found.matched_name!r})."
        )
    if found.method in ("exact", "normalised") and found.score == 1.0:
        return CERTAIN, ""
    if found.method in ("normalised", "skeleton"):
        return LIKELY, ""
    return POSSIBLE, ""
