"""Who a sentence credits with what it reports: the source of a running total.

A total means little without who counted it: "more than 60 attacks, according to
the Pentagon" and «59 إصابة بحسب قناة الميادين» are different claims. The credited
source is read as written, from the forms outlets use:

- «وفقًا لـ/وفقا لـ/طبقًا لـ X», «بحسب X», «حسب X», «نقلًا عن X»; "according to X",
  "citing X";
- «قال/قالت/أعلن/أعلنت/أفاد/أفادت/ذكر/ذكرت X» at the start of the sentence or its
  clause; "X said/says/told/reported" (the words before the verb).

X is the next (or previous) few words up to punctuation, at most six; "" when the
sentence credits nobody. A pronoun subject ("it said", «وقالت إنها») is nobody.
"""

import re

MAX_WORDS = 6
_STOP = r"[,،;؛:()\n]"
_AFTER = re.compile(
    r"(?:(?<![\w])(?:[وف]?(?:وفق[اًا]*|طبق[اًا]*)|[وف]?بحسب|[وف]?حسب|"
    r"نقل[اًا]*\s+عن)|\baccording\s+to|\bciting)\s+(?P<who>[^,،;؛:()\n]+)",
    re.IGNORECASE,
)
_SAID_AFTER = re.compile(
    r"(?:^|[,،]\s*)[وف]?(?:قال|قالت|أعلن|أعلنت|أفاد|أفادت|ذكر|ذكرت|أكد|أكدت)\s+"
    r"(?P<who>[^,،;؛:()\n]+)"
)
_SAID_BEFORE = re.compile(
    r"(?P<who>[^,،;؛:()\n]+?)\s+(?:said|says|told|reported|estimated)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^(?:it|he|she|they|we|إنه|إنها|أنه|أنها)\b", re.IGNORECASE)
_CUT = re.compile(r"\s(?:إن|أن|فإن|بأن|that|on|in|في|on\s+\w+day)\s.*$", re.IGNORECASE)


_QUOTES = str.maketrans("", "", '«»"“”')


def _tidy(words: str) -> str:
    words = _CUT.sub("", " " + words.translate(_QUOTES).strip() + " ").strip()
    words = words.rstrip(". ")
    # «للبنتاغون» is "to the Pentagon", «لموقع» "to the site of".
    words = "ال" + words[2:] if words.startswith("لل") else re.sub("^لـ?", "", words)
    if not words or _PRONOUN.match(words):
        return ""
    return " ".join(words.split()[:MAX_WORDS])


def credited_source(sentence: str) -> str:
    """The source ``sentence`` credits, as written, or ""."""
    for pattern in (_AFTER, _SAID_AFTER):
        found = pattern.search(sentence)
        if found and (who := _tidy(found.group("who"))):
            return who
    found = _SAID_BEFORE.search(sentence)
    if found:
        clause = re.split(_STOP, found.group("who"))[-1]
        words = clause.split()
        return _tidy(" ".join(words[-MAX_WORDS:]))
    return ""
