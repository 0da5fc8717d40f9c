"""Name normalisation shared by search, matching and geocoding.

Sources spell the same place many ways: "عين الأسد" / "عين الاسد" / "عَيْن الأَسَد",
"Al-Tanf" / "at Tanf", "البرج ٢٢" / "البرج 22", Kurdish "هەولێر" / Arabic "هولير",
"Şeddadê" / "Seddade". ``normalize_name`` folds those differences away so that a plain
substring test on the folded text finds them. It is deliberately lossy: it is for
matching, never for display.

What it folds, and why:

- Arabic harakat, tatweel, hamza seats and alef forms, ta marbuta and alef maqsura:
  written or not at will.
- Persian and Kurdish letters for the Arabic letter an Arabic writer would use for
  the same sound: ی ک گ → ي ك ك, پ چ ژ ڤ → ب ج ز ف, Sorani ڕ ڵ ێ ۆ ھ → ر ل ي و ه.
  Sorani writes its short vowel ە that Arabic leaves out: dropped inside a word, and
  read as the ه that Arabic writes for it at a word's end ("هەولێر" → "هولير",
  "قەڵا" / "قلا").
- Arabic-Indic (٠-٩) and Persian (۰-۹) digits as Western digits: "البرج ٢٢" is Tower 22.
- Latin diacritics (NFKD: î ê û ā ḥ → i e u a h) and the Latin letters NFKD leaves
  whole (ı ł đ ð ħ ø ß æ), as Kurdish, Turkish and academic transliteration write them.
  The letters that stand for one Arabic consonant written with two English ones
  become those two: ḫ ẖ → kh, ġ → gh, ṯ → th, ḏ → dh, č → ch, ž → zh. Kurdish and
  Turkish ş and academic š are "sh" too, but only where a whole name is matched
  (``fold_sh``, which ``matching.match_key`` applies first: "Şeddadî" is
  al-Shaddadi); text search keeps them "s", as NFKD makes them, so the search
  text already stored ("Şeddadê" found as "Seddade") stays right.
- A Kurdish or Persian word-initial ئ is the hamza seat Arabic writes as alef
  ("ئەربیل" / "أربيل").
- Case, apostrophes standing for ayn and hamza, and any other punctuation.

The search text stored on sites, actors and incidents is this function's output
(``models``), so a change here needs a migration recomputing it (0019 did).
"""

import re
import unicodedata

# Harakat, shadda, sukun, superscript alef and Quranic marks: written or not at will.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ء": "",
        "گ": "ك",
        "ک": "ك",
        "ی": "ي",
        "ہ": "ه",
        # Persian letters for sounds Arabic writes with the nearest letter
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "ڤ": "ف",
        # Kurdish (Sorani) letters
        "ڕ": "ر",
        "ڵ": "ل",
        "ێ": "ي",
        "ۆ": "و",
        "ۇ": "و",
        "ھ": "ه",
        # Latin letters NFKD does not decompose
        "ı": "i",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        # Arabic-Indic and Persian digits as Western digits
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
# Letters that stand for two English ones: folded before NFKD would strip them to one.
_DIGRAPH_LETTERS = str.maketrans(
    {
        "ḫ": "kh",
        "Ḫ": "kh",
        "ẖ": "kh",
        "ġ": "gh",
        "Ġ": "gh",
        "ṯ": "th",
        "Ṯ": "th",
        "ḏ": "dh",
        "Ḏ": "dh",
        "č": "ch",
        "Č": "ch",
        "ž": "zh",
        "Ž": "zh",
    }
)
_SH_LETTERS = str.maketrans({"š": "sh", "Š": "Sh", "ş": "sh", "Ş": "Sh"})


def fold_sh(text: str) -> str:
    """Kurdish/Turkish ş and academic š as the "sh" they stand for."""
    return unicodedata.normalize("NFC", text).translate(_SH_LETTERS)


# Kurdish and Persian begin a vowel-initial word with ئ where Arabic writes an alef.
_INITIAL_YEH_HAMZA = re.compile(r"(?<!\w)\u0626")
# Sorani's short vowel: a word-final one is the ه Arabic writes there; any other is
# left out, as Arabic leaves the vowel unwritten.
_KURDISH_AE = "\u06d5"
_KURDISH_AE_FINAL = re.compile("\u06d5(?=\\W|$)")
# Transliterations mark ayn/hamza with apostrophes, or not: "Kata'ib" = "Kataib".
_APOSTROPHES = re.compile("['\u2018\u2019\u02bb\u02bc\u02be\u02bf`\u00b4]")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


_ASCII_APOSTROPHES = re.compile("['`]")


def normalize_name(text: str) -> str:
    """Fold case, accents, Arabic diacritics and letter variants, and punctuation.

    Hyphens, quotes and other punctuation become single spaces, so "Al-Tanf" and
    "al tanf" fold to the same "al tanf". The one folding of every stored
    ``search_text`` and every query (``models``).
    """
    if not text:
        return ""
    if text.isascii():
        # Nothing to decompose, mark or fold: case, apostrophes and punctuation
        # only, five times faster (ACLED notes, synthetic data are mostly ASCII).
        return _NON_WORD.sub(" ", _ASCII_APOSTROPHES.sub("", text.lower())).strip()
    return _fold_any(text)


def _fold_any(text: str) -> str:
    """``normalize_name`` for any text, ASCII included (the tests hold the ASCII
    short cut to it)."""
    text = unicodedata.normalize("NFC", text).translate(_DIGRAPH_LETTERS)
    text = _INITIAL_YEH_HAMZA.sub("ا", text)
    text = unicodedata.normalize("NFKD", text)
    text = _ARABIC_MARKS.sub("", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _KURDISH_AE_FINAL.sub("ه", text.replace(_TATWEEL, ""))
    text = text.replace(_KURDISH_AE, "").translate(_ARABIC_FOLD).casefold()
    text = _APOSTROPHES.sub("", text)
    return _NON_WORD.sub(" ", text).strip()
