"""Who did what, as the text gives it: the role of each actor an event sentence names.

The one thing a draft must never do is turn a claim into a fact, so a role says
*whose word* ties an actor to the event:

- ``claimed_by``: the group says it did it: a claim word (تبنت، "claimed
  responsibility"), the group as the one speaking («أعلنت <group> استهدافها», "<group>
  said it had targeted"), its own statement («بيان لـ<group>», "in a statement,
  <group> ..."), or its fighters' self-description («استهدف مجاهدو <group>»,
  «استهدفنا»);
- ``attributed_to``: others blame it (اتهم، حمّل … المسؤولية، blamed, accused, "US
  officials said <group> ..."), and also an armed group an outlet names beside an
  attack without saying whose word that is: the outlet attributes it, nobody has
  established it;
- ``perpetrator``: only where the text establishes it independently of any
  claimant ("an investigation found", «أكدت التحقيقات», "confirmed that"), and for
  the acts a state announces as its own (US strikes, sanctions imposed);
- ``target``: who was attacked (US and coalition forces in an attack, the
  sanctioned, the fighters killed in a strike: «مقتل 3 من عناصر <group>»);
- ``participant``: who attended a meeting or issued a statement that is not a claim
  of an attack.

When a sentence both claims and blames ("US officials blamed Kataib Hezbollah,
though the Islamic Resistance claimed it"), an actor named right after the blame
word is ``attributed_to`` and the others ``claimed_by``.
"""

import re
from collections.abc import Sequence

from .sentences import without_breaks

_CLAIM = re.compile(
    r"تبن\S*|مسؤوليت\S*|\bclaim\w*|\btook\s+responsibility\b|"
    r"\bresponsibility\s+for\b",
    re.IGNORECASE,
)
_BLAME = re.compile(
    r"اتهم\S*|متهم\S*|باللوم|حمل\S*\s+\S+(?:\s+\S+){0,4}\s+مسؤولية|حمّل\S*|"
    r"يحمل|تحمل|\bblam\w*|\baccus\w*|\battributed\b|\bpinned\b|\bheld\s+\w+\s+"
    r"responsible\b|\bsuspected\b|\bbelieved\s+to\b|\bbacked\s+by\b",
    re.IGNORECASE,
)
_SAID = re.compile(
    r"(?<![\w])[وف]?(?:أعلنت|اعلنت|أعلن|اعلن|قالت|قال|ذكرت|أكدت|اكدت|نشرت|بثت)"
    r"(?![\w])|\b(?:said|says|announced|stated|posted|published)\b",
    re.IGNORECASE,
)
# Its own words: a statement of the group, its fighters, "we".
_OWN_STATEMENT = re.compile(
    r"(?<![\w])[وف]?(?:بيان|بلاغ)\S*\s+(?:صادر\s+عن\s+|ل\S*\s*)?|"
    r"\bin\s+a\s+statement\b|\bstatement\s+(?:from|by|of)\b",
    re.IGNORECASE,
)
_SELF_DESCRIPTION = re.compile(
    r"(?<![\w])[وف]?(?:مجاهد\S*|أبطال|ابطال|استهدفنا|قصفنا|ضربنا|نعلن|"
    r"تعلن|يعلن)(?![\w])|\bour\s+(?:fighters|mujahideen)\b|\bwe\s+(?:targeted|struck)\b",
    re.IGNORECASE,
)
_ESTABLISHED = re.compile(
    r"أكدت\s+التحقيقات|أثبتت|ثبت\s+أن|كشفت\s+التحقيقات|"
    r"\binvestigation\s+(?:found|showed|concluded)\b|\bconfirmed\s+that\b|"
    r"\bevidence\s+shows?\b|\bforensic\b",
    re.IGNORECASE,
)
_VICTIM_BEFORE = re.compile(
    r"(?:مقتل|قتل|مصرع|إصابة|اصابة|جرح|استشهاد)\s+(?:\S+\s+){0,4}"
    r"(?:من\s+)?(?:عناصر|عنصر|مقاتل\S*|قادة|قيادي\S*|أعضاء|عضو)?\s*(?:في|من)?\s*$|"
    r"\b(?:killing|killed|wounding|wounded)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
_VICTIM_AFTER = re.compile(
    r"^\s*(?:fighters?|members?|militants?|commanders?)?\s*(?:were|was)?\s*"
    r"(?:killed|wounded|died)\b",
    re.IGNORECASE,
)
# The US, and the partner force that holds the bases with it in Syria: in an
# attack on a base they are its target (or the ones who report it), not its claimant.
_US = re.compile(r"^(?:US|U\.S\.|United States|Syrian Democratic Forces)\b")
_ARMED = frozenset({"armed_group", "unidentified"})

Actor = tuple[str, str, str]  # slug, English name, kind


def is_claim(text: str, actors: Sequence[Actor], ends: Sequence[int]) -> bool:
    """Whether the sentence is an armed group's claim of what it tells."""
    if _CLAIM.search(text) or _SELF_DESCRIPTION.search(without_breaks(text)):
        return True
    groups = [
        end for (_s, _n, kind), end in zip(actors, ends, strict=True) if kind in _ARMED
    ]
    for verb in _SAID.finditer(text):
        if any(verb.start() - 60 <= end <= verb.start() for end in groups):
            return True  # "<group> said"
        if any(0 <= end - verb.end() <= 40 for end in groups):
            return True  # "أعلنت <group>": the verb comes first in Arabic
    for statement in _OWN_STATEMENT.finditer(text):
        if any(0 <= end - statement.end() <= 40 for end in groups):
            return True  # "بيان للمقاومة الإسلامية", "in a statement, the group"
    return False


def blames(text: str) -> bool:
    """Whether the sentence has someone blame someone (not only name them)."""
    return bool(_BLAME.search(text))


def on_us_side(name: str, kind: str) -> bool:
    return kind == "coalition" or bool(_US.match(name))


def _blamed_names(text: str) -> list[tuple[int, int]]:
    """Spans right after each blame word: the actor named there is blamed."""
    return [(m.end(), m.end() + 60) for m in _BLAME.finditer(text)]


def _victim(text: str, start: int, end: int) -> bool:
    return bool(
        _VICTIM_BEFORE.search(text[max(0, start - 50) : start])
        or _VICTIM_AFTER.match(text[end : end + 40])
    )


def roles(
    text: str,
    event_type: str,
    actors: Sequence[Actor],
    spans: Sequence[tuple[int, int]],
) -> list[tuple[str, str]]:
    """(slug, role) for each actor named (once each, in order). ``spans`` are
    where each actor's name starts and ends in ``text``."""
    ends = [end for _start, end in spans]
    claimed = is_claim(text, actors, ends)
    blame = _blamed_names(text)
    established = bool(_ESTABLISHED.search(text))
    out = []
    for (slug, name, kind), (start, end) in zip(actors, spans, strict=True):
        us = on_us_side(name, kind)
        if event_type == "sanction":
            role = "perpetrator" if kind == "government" or us else "target"
        elif event_type == "strike":
            role = "perpetrator" if us else "target"
        elif event_type in {"statement", "meeting"}:
            role = "participant"
        elif us:
            role = "target"
        elif _victim(text, start, end):
            role = "target"
        elif any(a <= start <= b for a, b in blame):
            role = "attributed_to"
        elif claimed and kind != "government":
            role = "claimed_by"
        elif established:
            role = "perpetrator"
        else:  # named beside the attack by the outlet: its word, not a fact
            role = "attributed_to"
        out.append((slug, role))
    return list(dict.fromkeys(out))


# The article is an armed group's own statement: its opening formula, a header
# naming it as the issuer, its daily tally, or its fighters speaking.
_OWN_VOICE = re.compile(
    r"بسم\s+الله\s+الرحمن\s+الرحيم|بيان\s+صادر\s+عن|حصيلة\s+عمليات|"
    r"(?<![\w])[وف]?(?:استهدفنا|مجاهدونا|مجاهدينا|عملياتنا|نعلن)(?![\w])"
)


def statement_voice(text: str, groups: Sequence[str]) -> str | None:
    """The armed group whose own statement the article is (the first one it
    names), or None: its attacks are its claims even where a sentence does not
    name it («1- استهداف قاعدة الاحتلال الأمريكي في رميلان»)."""
    if not groups or not _OWN_VOICE.search(text):
        return None
    return groups[0]
