"""Name normalisation shared by search, matching and geocoding.

Sources spell the same place many ways: "عين الأسد" / "عين الاسد" / "عَيْن الأَسَد",
"Al-Tanf" / "at Tanf". ``normalize_name`` folds those differences away so that a plain
substring test on the folded text finds them. It is deliberately lossy: it is for
matching, never for display.
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
    }
)
# Transliterations mark ayn/hamza with apostrophes, or not: "Kata'ib" = "Kataib".
_APOSTROPHES = re.compile("['\u2018\u2019\u02bb\u02bc\u02be\u02bf`\u00b4]")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalize_name(text: str) -> str:
    """Fold case, accents, Arabic diacritics and letter variants, and punctuation.

    Hyphens, quotes and other punctuation become single spaces, so "Al-Tanf" and
    "al tanf" fold to the same "al tanf".
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = _ARABIC_MARKS.sub("", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace(_TATWEEL, "").translate(_ARABIC_FOLD).casefold()
    text = _APOSTROPHES.sub("", text)
    return _NON_WORD.sub(" ", text).strip()
