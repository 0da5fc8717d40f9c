"""The match key: the folded form two spellings of one place name share.

``normalize_name`` (in ``names``) folds what differs only in writing. Matching a
whole name to a site needs more: "وقاعدة عين الأسد", "Ain al-Asad Air Base" and
"Ayn al Asad" are one place, though they differ by a conjunction, an article, a
generic word ("base", "قاعدة") and a transliteration. ``match_key`` folds those
too; ``fallback_key`` (kh as h) and the clitic-stripped key are weaker forms
``matching`` asks only when the key finds nothing, and ``names_a_facility`` says
whether a name has a facility word ("Erbil airport") or not ("Erbil").
"""

import re

from .names import fold_sh, normalize_name

# Generic words (already folded by normalize_name, Arabic article removed): dropped
# from a key unless nothing else is left, so "Tanf garrison" = "Tanf" but "Base"
# alone stays "base" and matches nothing.
_GENERIC_LATIN = frozenset(
    {
        "air",
        "airbase",
        "airfield",
        "airport",
        "base",
        "camp",
        "city",
        "field",
        "fob",
        "garrison",
        "gas",
        "military",
        "gasfield",
        "haql",  # Arabic "field", as transliterated
        "intl",
        "matar",  # Arabic "airport"
        "mission",
        "mss",
        "oil",
        "oilfield",
        "outpost",
        "plant",
        "qaida",  # Arabic "base"
        "qaidat",
        "site",
        "support",
        "town",
    }
)
# Written as outlets write them, folded here (so the table cannot drift from
# ``normalize_name``), and with the Arabic article off as ``_fold_arabic_word`` does.
_GENERIC_ARABIC_WRITTEN = (
    "قاعدة",  # base
    "حقل",  # field
    "مطار",  # airport
    "مخيم",  # camp
    "مدينة",  # city
    "بلدة",  # town
    "معمل",  # plant
    "جوية",  # (air) base: "قاعدة ... الجوية"
    "نفطي",  # oil (field)
    "نفطية",
    "غاز",  # gas
    "دولي",  # international (airport)
    "عسكري",  # military
    "عسكرية",
    # Persian
    "پایگاه",  # base
    "فرودگاه",  # airport
    "هوایی",  # air
    "نظامی",  # military
    "میدان",  # (oil) field, in "میدان نفتی"
    "نفتی",  # oil
    # Kurdish (Sorani), bare and with the ezafe -ی that joins it to the name
    "بنکە",  # base
    "بنکەی",
    "فڕۆکەخانە",  # airport
    "فڕۆکەخانەی",
    "سەربازی",  # military
)
_GENERIC_ARABIC = frozenset(normalize_name(w) for w in _GENERIC_ARABIC_WRITTEN)
_QUALIFIER_WORDS = ("military", "عسكري", "عسكرية", "نظامی", "سەربازی")

# Latin renderings of the Arabic article. "al"/"el" go wherever they stand; the
# assimilated forms only before the letter they assimilate to ("at Tanf",
# "ash-Shaddadi", "Dayr az-Zawr"), so English "at", "as" and "an" survive.
_ARTICLES_ALWAYS = frozenset({"al", "el"})
_ARTICLES_ASSIMILATED = {
    "ash": "sh",
    "esh": "sh",
    "ath": "th",
    "adh": "dh",
    "as": "s",
    "es": "s",
    "at": "t",
    "et": "t",
    "ad": "d",
    "ed": "d",
    "ar": "r",
    "er": "r",
    "an": "n",
    "en": "n",
    "az": "z",
    "ez": "z",
}
# "th", "dh" and "sh" are letters of their own, with articles of their own: "at"
# before "the" or "as" before "Shaddadi" is no assimilated article.
_DIGRAPHS = {"t": "th", "d": "dh", "s": "sh"}
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
# Prefixed one-letter clitics: wa- "and", bi- "at/in", li- "to", fa- "so", and
# their pairs ("وب", "فب", ...). Stripped only as a fallback, when the plain key
# found nothing: a word may genuinely begin with these letters (وادي).
_CLITIC = re.compile("^(?:[وف][بل]?|[بل])(?=..)")
_GENERIC_NEXT = (["airport"], ["airfield"], ["airbase"], ["air"])
# The diphthong of "Deir" / "Dayr" / "Dair", "Ayn" / "Ain", "Beydar" / "Baydar": not
# before a vowel, where the y is a consonant ("Mayadin").
_DIPHTHONG = re.compile("(?:ay|ey|ei)(?![aeiouy])")
_ROMAN = re.compile("[ivx]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_DIGITS = re.compile(r"\d+")


def _is_arabic(word: str) -> bool:
    return bool(_ARABIC_LETTER.search(word))


def _fold_arabic_word(word: str) -> str:
    if word.startswith("لل") and len(word) > 3:  # li + al: "للغاز" -> "غاز"
        return word[2:]
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


def _fold_latin_word(word: str) -> str:
    if _ROMAN.fullmatch(word):  # "Union III" is not "Union I"
        return word
    word = word.replace("ee", "i").replace("ou", "u").replace("oo", "u")
    word = _DIPHTHONG.sub("ai", word)
    return _DOUBLED.sub(r"\1", word)


def _drop_articles(words: list[str]) -> list[str]:
    kept = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if following and not _is_arabic(following):
            if word in _ARTICLES_ALWAYS:
                continue
            letters = _ARTICLES_ASSIMILATED.get(word)
            if (
                letters
                and following.startswith(letters)
                and not following.startswith(_DIGRAPHS.get(letters, "-"))
            ):
                continue
        kept.append(word)
    return kept


def _key_from_words(words: list[str]) -> str:
    words = [_fold_arabic_word(w) if _is_arabic(w) else w for w in words]
    words = _drop_articles(words)
    generic = _GENERIC_LATIN | _GENERIC_ARABIC
    # "international" is generic before "airport" ("Baghdad International Airport"),
    # not before "zone" ("International Zone").
    specific = [
        w
        for i, w in enumerate(words)
        if w not in generic
        and not (w == "international" and words[i + 1 : i + 2] in _GENERIC_NEXT)
    ]
    # Spelling variants last, so that the generic words above are found as written.
    return " ".join(_fold_latin_word(w) for w in specific or words)


def match_key(text: str) -> str:
    """The folded form two spellings of one place name share.

    Builds on ``normalize_name`` (case, accents, harakat, hamza and alef forms,
    punctuation; ş and š as "sh", ``fold_sh``), then drops the Arabic article
    (ال, and لل for li+al) from each word, Latin article forms (al-, el-, and
    ash-/at-/ad-/... before their letter), and generic words (base, airfield,
    قاعدة, حقل, ...) when something else is left;
    folds Latin transliteration variants (ee->i, ou/oo->u, ay/ey/ei->ai before a
    consonant, doubled letters single).
    Lossy: for matching only, never for display.
    """
    return _key_from_words(normalize_name(fold_sh(text)).split())


# Generic words that name a facility, not a settlement: "Erbil" is the city,
# "Erbil airport" the airfield, "Erbil city" still the city.
_SETTLEMENT_WORDS = frozenset({"city", "town", "مدينه", "بلده"})
# "military" says what kind, not that it is a facility: "Iraqi military" is people.
_QUALIFIERS = frozenset(normalize_name(w) for w in _QUALIFIER_WORDS)
_FACILITY_WORDS = (_GENERIC_LATIN | _GENERIC_ARABIC) - _SETTLEMENT_WORDS - _QUALIFIERS


def names_a_facility(text: str) -> bool:
    """Whether ``text`` has a facility word (base, airport, field, قاعدة, مطار...):
    "Baghdad International Airport" does, "Baghdad" and "Erbil city" do not."""
    words = [
        _fold_arabic_word(w) if _is_arabic(w) else w
        for w in normalize_name(text).split()
    ]
    return any(w in _FACILITY_WORDS for w in words)


def fallback_key(text_or_key: str) -> str:
    """``match_key`` with Latin "kh" as "h" ("Kharab" / "Harab"): a weaker key."""
    return text_or_key.replace("kh", "h")


def clitic_stripped_key(text: str) -> str:
    """The key of ``text`` with a leading Arabic clitic (و، ب، ل، ف) taken off
    every Arabic word that has one: "وقاعدة عين الأسد" -> "عين اسد"."""
    words = normalize_name(fold_sh(text)).split()
    stripped = [_CLITIC.sub("", w) if _is_arabic(w) else w for w in words]
    if stripped == words:
        return ""
    return _key_from_words(stripped)


def numbers_in(key: str) -> list[str]:
    """Digits and Roman numerals: "Tower 22" and "Union III" name a different place
    with any other number, however alike the rest."""
    return _DIGITS.findall(key) + [w for w in key.split() if _ROMAN.fullmatch(w)]
