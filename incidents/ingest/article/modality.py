"""Whether a sentence says an attack *happened*: denials, threats, conditions, the
future and past background are not events.

A news sentence names attacks that did not happen as often as ones that did: "the
Pentagon denied that al-Tanf came under attack", «هددت الكتائب باستهداف القواعد»,
«إذا لم تنسحب القوات فإن المقاومة ستستهدف …», "the base, hit by Iranian missiles in
2020, …". Each attack word in a sentence is read with the words just before it in
its clause (``GOVERNING_WORDS``); it asserts an event only when none of these
governs it:

- a **denial**: نفى/نفت (… وقوع/تعرض), لم تتعرض/لم يتم استهداف, لا صحة, denied,
  did not, no attack, were not;
- a **threat, intention or condition**: هدد/توعد/حذر (…ب)، ستستهدف/سنستهدف/سوف،
  تعتزم، في حال/إذا/إن لم، threatened/vowed/warned/plans/would/could/will/if/unless;
- **past background**: سبق أن/سبق و/سابقًا، previously/in the past/had been; or a
  year before the reference year in the attack's own clause («عام 2020», "in 2019").

A denial of *casualties* or *damage* («نفى وقوع إصابات», "denied any casualties")
does not deny the attack: the denied thing is read too.

A future-tense attack verb carries its own marker (ستستهدف، سنضرب): the س prefix on
an imperfect verb is checked on the word itself.
"""

import re

# How many words before an attack word may govern it (in the same clause).
GOVERNING_WORDS = 5
_CLAUSE_BREAK = re.compile(r"[,،;؛:—–]|\s-\s|\s(?:but|while|after|before)\s|\sلكن\s")

# Denials read far back (نفى المتحدث … تعرض), negations only right before the word
# (لم تتعرض، "was not attacked"): "the source of the attack is not known" is no denial.
_DENIAL_FAR = re.compile(
    r"(?<![\w])[وف]?(?:نفى|نفت|ينفي|تنفي|نفي|نافي\S*|كذب\S*|لا\s+صحة)(?![\w])|"
    r"\b(?:denied|denies|deny|denying|dismissed|refuted)\b",
    re.IGNORECASE,
)
_DENIAL_NEAR = re.compile(
    r"(?<![\w])[وف]?(?:لم|لن|عدم|ليس|ليست)(?![\w])|"
    r"\b(?:not|no|never|nor|wasn't|weren't|didn't|hasn't|haven't)\b",
    re.IGNORECASE,
)
NEAR_WORDS = 3
DENIAL_WORDS = 18
# A denial reaches across commas («نفى المتحدث، الخميس، تعرض القاعدة لأي هجوم»)
# but not past a turn of the sentence.
_STRONG_BREAK = re.compile(r"[;؛]|\s(?:but|however|while|whereas)\s|\s(?:لكن|بينما)\s")
# What may stand between a negation and the attack word it negates.
_CONNECTORS = frozenset(
    "تتعرض يتعرض تعرض تتعرّض يتم تم تقع يقع يسجل تسجل أي لأي لاي اي any been be "
    "come came under an a the was were is are".split()
)
_THREAT = re.compile(
    r"(?<![\w])[وف]?(?:هدد\S*|تهدد|يهدد|توعد\S*|تتوعد|يتوعد|حذر\S*|تحذر|يحذر|"
    r"تعتزم|يعتزم|ستواصل|سنواصل|سيواصل|سوف|إذا|اذا|إن\s+لم|ان\s+لم|في\s+حال|"
    r"لو|مستعد\S*|تستعد|يستعد|تخطط|يخطط|ستقوم|سيقوم|سنقوم|"
    r"بصدد|يمكن|ستكون|مهدد\S*)(?![\w])|"
    r"\b(?:threaten\w*|vow\w*|warn\w*|plan\w*|would|could|will|may|might|if|"
    r"unless|intend\w*|ready\s+to|prepar\w*|able\s+to|capable|seeks?\s+to|"
    r"pledg\w*|promis\w*|should)\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"(?<![\w])[وف]?(?:سبق\s+أن|سبق\s+وأن|سبق\s+ان|سبق|سابقا|سابقًا|"
    r"قبل\s+سنوات|ذكرى|رداً\s+على|ردا\s+على|رد\s+على)(?![\w])|"
    r"\b(?:previously|in\s+the\s+past|once|years\s+ago|anniversary|in\s+response\s+to|"
    r"in\s+retaliation\s+for|retaliation\s+for|"
    r"formerly|earlier\s+this\s+year|last\s+year)\b",
    re.IGNORECASE,
)
# A year written out: "in 2020", «عام 2020», «سنة 2019», «في 2014».
_YEAR = re.compile(
    r"(?:(?<![\w])(?:عام|سنة|العام|في)\s+|\b(?:in|since)\s+(?:\w+\s+)?)"
    r"(?P<year>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
# What a denial may deny instead of the attack itself.
_HARM_WORDS = re.compile(
    r"إصاب\S*|اصاب\S*|ضحايا|خسائر|أضرار|اضرار|قتلى|جرحى|"
    r"\b(?:casualt\w*|injur\w*|damage\w*|harm\w*|wound\w*|losses|victims)\b",
    re.IGNORECASE,
)
# ستستهدف، سنضرب، سيقصف: an imperfect verb with the future prefix.
_FUTURE_VERB = re.compile(r"^[وف]?س[تين]")


def _clause_before(text: str, start: int) -> list[str]:
    """The words of the attack word's own clause before it. A clause of one or
    two words (a date set off by commas: «هددت الكتائب، السبت، باستهداف») does not
    cut the word off from the clause before it."""
    segments = _CLAUSE_BREAK.split(text[:start])
    tail = segments.pop().split()
    words = tail
    while segments and len(tail) <= 2:
        tail = segments.pop().split()
        words = tail + words
    return words


def _negated(words: list[str]) -> bool:
    """A negation right before the word, with only a verb of being hit or
    happening between («لم تتعرض لأي قصف», "was not struck", "no attack")."""
    for i in range(len(words) - 1, max(-1, len(words) - 1 - NEAR_WORDS), -1):
        if _DENIAL_NEAR.fullmatch(words[i]):
            return all(w.lower() in _CONNECTORS for w in words[i + 1 :])
    return False


def _year_in_clause(text: str, start: int, end: int, reference_year: int) -> bool:
    clause_start = start - len(_CLAUSE_BREAK.split(text[:start])[-1])
    rest = _CLAUSE_BREAK.split(text[end:])[0]
    clause = text[clause_start : end + len(rest)]
    return any(int(m.group("year")) < reference_year for m in _YEAR.finditer(clause))


def governed(text: str, start: int, end: int, reference_year: int | None = None) -> str:
    """Why the attack word at ``text[start:end]`` asserts no event ("denial",
    "threat", "background"), or "" when it tells one that happened."""
    word = text[start:end]
    if _FUTURE_VERB.match(word) and not word.startswith(("سقط", "وسقط")):
        return "threat"
    words = _clause_before(text, start)
    far = " ".join(_STRONG_BREAK.split(text[:start])[-1].split()[-DENIAL_WORDS:])
    before = " ".join(words[-GOVERNING_WORDS:])
    denial = _DENIAL_FAR.search(far)
    if denial and not _HARM_WORDS.search(far[denial.end() :]):
        return "denial"
    if _negated(words):
        return "denial"
    if _THREAT.search(before):
        return "threat"
    if _BACKGROUND.search(before):
        return "background"
    if reference_year and _year_in_clause(text, start, end, reference_year):
        return "background"
    return ""
