"""The consonant skeleton of an Arabic name written in Latin letters.

Transliterations of one Arabic name differ mostly in their vowels, because Arabic
script leaves short vowels unwritten and every outlet chooses its own: "Konico" /
"Conoco", "Shaddadi" / "Shaddadah", "Mayadin" / "Meyadin". Their consonants, in
order, agree. ``skeleton_key`` keeps those consonants, so a spelling no list of
aliases foresaw still finds its site; ``matching`` ranks such a match below every
exact and normalised one and takes it only when one site alone has that skeleton.

Rules, on a ``match_key`` (articles, generic words, ee/ou/doubled letters already
folded):

- vowels go; a word's first vowel leaves a mark ("a"), because a name beginning
  with a vowel (ayn or alif in Arabic) is not the name without it;
- "y" and "w" are consonants at a word's start or between vowels ("Mayadin" keeps its
  y), vowels elsewhere ("Baydar" is "Baidar");
- c, k and q are one letter (Latin has three for two Arabic ones, and writers
  mix them), "ph" is "f" (but "s" and "sh" stay apart: Basra is not Bashur);
- a final "h" after a vowel is the ta marbuta ending, written or not
  ("Shaddadah" / "Shaddada");
- digits and Roman numerals stay as they are: "Tower 22" is never "Tower 23";
- a word of letters without a vowel ("KNK", "VBC") is an abbreviation: no skeleton.

Arabic script gets no skeleton: its variants are letters (folded by ``names``),
not vowels, and Arabic words with the same consonants are often different words
(مدن "cities" / ميادين).
"""

import re

VOWELS = frozenset("aeiou")
SEMIVOWELS = frozenset("yw")
_ROMAN = re.compile("[ivx]+")
_LATIN_WORD = re.compile("[a-z0-9]+")
_FINAL_H = re.compile("(?<=[aeiou])h$")
# Letters and no vowel: an abbreviation has no vowels to vary (digits and Roman
# numerals aside, which are kept as they are).
_NO_VOWEL = re.compile("(?=.*[a-z])(?![ivx]+$)[^aeiouy0-9]+")
# Words too short to say anything by their consonants alone ("Omar" / "Amir" / "Umar"
# are m-r, and so are many other names): a skeleton needs this many consonants.
MIN_CONSONANTS = 3


def _word_skeleton(word: str) -> str:
    if word.isdigit() or _ROMAN.fullmatch(word):
        return word
    word = _FINAL_H.sub("", word).replace("ph", "f").replace("ck", "k")
    word = word.replace("c", "k").replace("q", "k")
    out = []
    for i, letter in enumerate(word):
        before = word[i - 1] if i else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        if letter in VOWELS:
            if i == 0:
                out.append("a")
        elif letter in SEMIVOWELS:
            if i == 0 or (before in VOWELS and after in VOWELS):
                out.append(letter)
        else:
            out.append(letter)
    return "".join(out)


def consonants(skeleton: str) -> int:
    """How many consonants a skeleton has (its vowel marks and spaces aside)."""
    return sum(
        1
        for i, letter in enumerate(skeleton)
        if letter != " " and not (letter == "a" and (i == 0 or skeleton[i - 1] == " "))
    )


def skeleton_key(key: str, *, minimum: int = MIN_CONSONANTS) -> str:
    """The consonant skeleton of a Latin-script ``match_key``, or "" when the key
    has anything but Latin letters and digits, or fewer than ``minimum``
    consonants (too few to tell one name from another)."""
    words = key.split()
    if not words or not all(_LATIN_WORD.fullmatch(w) for w in words):
        return ""
    if any(_NO_VOWEL.fullmatch(w) for w in words):
        return ""  # "KNK", "VBC": an abbreviation, not a transliteration
    skeleton = " ".join(_word_skeleton(w) for w in words)
    if consonants(skeleton) < minimum:
        return ""
    return skeleton
