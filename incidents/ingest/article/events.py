"""Which sentences describe one event, what kind, and the draft incident for each.

Conservative on purpose: a wrong draft costs an editor more than a missing one
(they still see every site and total the article names). A sentence proposes an
incident only when:

- it says what happened: a **meeting** (اجتماع، meeting), **sanctions** imposed
  (عقوبات، sanctions, a terrorist designation; not a threat of them), a
  **statement** (بيان، statement), an **interception** (shot down، أسقطت) or an
  **attack** (استهدف، تعرضت … لهجوم/قصف، hit, struck, targeted) naming a site or a
  weapon — checked in that order, so "targeted with sanctions" is a sanction;
- it is **one** event: the sentence carries its own date (an explicit date, a
  weekday, yesterday/today; not a "since" date) or a single-event verb (تعرضت،
  استهدفت، عقد، hit, struck, held); a statement always needs its own date;
- it is not a **summary**: a sentence with a running total ("60 attacks", "40
  times") proposes an attack only with its own date *and* a site, and a sentence
  naming three or more sites without a date is a list of places reached, not one
  attack on each.

Its date is chosen by ``dating.event_date`` (the sentence's own, the paragraph's,
the report's, the reference week, else unknown; never after the reference date).

An attack word counts only when it tells something that happened: a denial, a
threat, a condition, the future or past background governs it (``modality``), and
a violent event is checked before a statement, so «أعلنت … في بيان استهدافها» is a
claimed attack. A strike by US forces («غارات أمريكية», "US fighter jets struck")
is a **strike**, not an attack on the place struck. Actors' roles are as the text
gives them (``roles``): who claims, who is blamed, who was attacked, who attended;
never a proven perpetrator from a claim.

Several sentences about one event become one proposal (``merging``).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from .counts import Count, weapon_of
from .dates import DateMention
from .dating import event_date
from .merging import casualty
from .modality import governed
from .results import DraftProposal
from .roles import is_claim as _is_claim
from .roles import roles
from .sentences import without_breaks

SUMMARY_LENGTH = 500
_MEETING = re.compile(r"اجتماع|لقاء|\bmeeting\b|\bmet\s+with\b|\bsummit\b", re.I)
_SANCTION = re.compile(
    r"عقوبات|قائمة\s+الإرهاب|\bsanction\w*|\bdesignat\w*", re.IGNORECASE
)
_SANCTION_VERB = re.compile(
    r"(?<![\w])[وف]?(?:أصدرت|فرضت|صنفت|أدرجت|اصدرت)(?![\w])|"
    r"\b(?:imposed|designated|sanctioned|announced)\b",
    re.IGNORECASE,
)
_THREAT = re.compile(r"مهدد\S*|يهدد|تهدد|هدد\S*|\bthreat\w*|\bcould\b|\bwould\b", re.I)
_STATEMENT = re.compile(r"بيان|\bstatement\b", re.IGNORECASE)
_INTERCEPT = re.compile(
    r"أسقط\S*|اسقط\S*|اعتراض|تصدت|\bshot\s+down\b|\bintercept\w*|\bdowned\b", re.I
)
_ATTACK = re.compile(
    r"(?<![\w])[وفبل]?(?:ال)?(?:استهد\S*|تعرّ?ض\S*|هجوم\S*|هجمات|قصف\S*|ضرب\S*|"
    r"هاجم\S*|أطلق\S*|اطلق\S*|إطلاق|انفجرت|انفجر|"
    r"سقوط|سقط\S*|[تي]تعرض\S*)|(?<![\w])[وف]?(?:أصابت|أصاب|اصابت|اصاب)(?![\w])|"
    r"\b(?:hit|struck|strikes?|targeted|targeting|attack\w*|shelled|fired|"
    r"launched|landed|came\s+under|under\s+fire)\b",
    re.IGNORECASE,
)
_ONE_EVENT_VERB = re.compile(
    r"(?<![\w])[وف]?(?:تعرضت|تعرّضت|تعرض|استهدفت|استهدف|قصفت|سقطت|سقط|عقد|عقدت|"
    r"أسقطت|ضربت|أصدرت|فرضت|صنفت|أدرجت|أصابت|اصابت)(?![\w])|"
    r"\b(?:hit|struck|targeted|attacked|shelled|held|met|shot\s+down|launched|fired|"
    r"intercepted|landed|came\s+under|imposed|designated|sanctioned)\b",
    re.IGNORECASE,
)
# A strike by US forces (a retaliation), not an attack on them.
_STRIKE = re.compile(
    r"(?<![\w])[وف]?(?:ال)?(?:غارة|غارات|مقاتلات|قاذفات)(?![\w])|"
    r"(?:شنت|نفذت|قصفت|استهدفت)\s+(?:ال)?(?:قوات|طائرات|مقاتلات|الولايات)\s+"
    r"(?:ال)?(?:أمريكية|الأمريكية|امريكية|المتحدة)|"
    r"\b(?:air\s*strikes?|warplanes|fighter\s+jets|bombers|retaliatory)\b|"
    r"\b(?:US|U\.S\.|American|United\s+States)\s+(?:forces|military|troops|"
    r"aircraft)?\s*(?:struck|conducted|carried\s+out|launched|hit)\b",
    re.IGNORECASE,
)
# An item of a numbered list of operations (the groups' daily tallies).
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}|[٠-٩]{1,2})\s*[-–.)]\s*\S")
# Many events told at once: a summary, unless the sentence dates one of them.
_REPEATED = re.compile(
    r"مرار\S*|عدة\s+مرات|مرات\s+عدة|سلسلة|(?<![\w])[لبو]?(?:ال)?هجمات(?![\w])|"
    r"\battacks\b|\brepeatedly\b|\ba\s+series\s+of\b|"
    r"\bmultiple\s+attacks\b|\bdozens\s+of\b",
    re.IGNORECASE,
)


@dataclass
class SentenceFacts:
    """What the mention finders saw in one sentence, for classification."""

    text: str
    paragraph: int
    dates: list[DateMention]
    sites: list[str]  # slugs placed at (not relative), in order, once each
    all_sites: list[str]
    actors: list[tuple[str, str, str]]  # (slug, English name, kind), as met
    weapon: str
    casualties: list[Count]
    totals: list[Count] = field(default_factory=list)
    actor_ends: list[int] = field(default_factory=list)
    actor_starts: list[int] = field(default_factory=list)
    reference_year: int | None = None  # a year before it is background


def _events_told(facts: SentenceFacts, pattern: re.Pattern) -> list[re.Match]:
    """The words of ``pattern`` that tell something that happened (not denied,
    threatened, conditional, future or background: ``modality``)."""
    return [
        m
        for m in pattern.finditer(facts.text)
        if not governed(facts.text, m.start(), m.end(), facts.reference_year)
    ]


def classify(facts: SentenceFacts) -> str:
    """The event type a sentence reports, or "" when it reports none.

    A violent event is checked before a statement: «أعلنت … في بيان استهدافها»
    announces an attack, it is not only a statement."""
    text = facts.text
    if _MEETING.search(text):
        return "meeting"
    sanction = _SANCTION.search(text) and not _THREAT.search(text)
    if sanction and _SANCTION_VERB.search(text):
        return "sanction"
    intercepted = _events_told(facts, _INTERCEPT)
    attacked = _events_told(facts, _ATTACK)
    if (attacked or intercepted) and (facts.sites or facts.weapon):
        if _STRIKE.search(text):
            return "strike"
        return "interception" if intercepted else "attack"
    if _STATEMENT.search(text) and not (_ATTACK.search(text) and facts.sites):
        return "statement"
    if sanction:
        return "sanction"
    return ""


_CLAUSE = re.compile(r"[,،;؛]")


def _own_weapon(facts: SentenceFacts) -> str:
    """The weapon of the event the sentence tells, not of a background, denied
    or threatened one in another of its clauses ("Harir, which was targeted by
    Iranian ballistic missiles in 2022, came under drone attack")."""
    text = facts.text
    spans = [
        m.span()
        for m in _ATTACK.finditer(text)
        if governed(text, m.start(), m.end(), facts.reference_year)
    ]
    if not spans or not facts.weapon:
        return facts.weapon
    bounds = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text) + 1]
    kept = [
        text[a:b]
        for a, b in zip(bounds, bounds[1:], strict=False)
        if not any(a <= s < b for s, _e in spans)
    ]
    return weapon_of(without_breaks(" ".join(kept))) or facts.weapon


def _own_date(facts: SentenceFacts, event_type: str) -> DateMention | None:
    roles = {"event", "report"} if event_type == "statement" else {"event"}
    return next((d for d in facts.dates if d.role in roles), None)


def describes_one_event(facts: SentenceFacts, event_type: str) -> bool:
    own = _own_date(facts, event_type)
    if event_type == "statement":
        return own is not None
    if event_type in {"attack", "interception", "strike"}:
        if facts.totals and not (own and facts.sites):
            return False
        if len(facts.all_sites) >= 3 and own is None:
            return False
        if own is None and _REPEATED.search(facts.text):
            return False
    if event_type in {"attack", "interception"} and _LIST_ITEM.match(facts.text):
        return bool(facts.sites)  # "2- استهداف قاعدة … في رميلان": one item, one event
    return own is not None or bool(_ONE_EVENT_VERB.search(facts.text))


def is_claim(facts: SentenceFacts) -> bool:
    """Whether the sentence is an armed group's claim (``roles.is_claim``)."""
    return _is_claim(facts.text, facts.actors, facts.actor_ends)


def _roles(facts: SentenceFacts, event_type: str) -> list[tuple[str, str]]:
    starts = facts.actor_starts or [end - 1 for end in facts.actor_ends]
    spans = list(zip(starts, facts.actor_ends, strict=True))
    return roles(facts.text, event_type, facts.actors, spans)


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def propose(
    facts: SentenceFacts, context: DateMention | None, published: dt.date | None
) -> DraftProposal | None:
    """The draft incident one sentence describes, or None."""
    event_type = classify(facts)
    if not event_type or not describes_one_event(facts, event_type):
        return None
    when = event_date(
        facts.dates,
        context,
        published,
        statement=event_type == "statement",
        text=facts.text,
    )
    weapon = _own_weapon(facts)
    violent = event_type in {"attack", "interception"}
    if violent or event_type == "strike":
        weapon = weapon or "unknown"
    else:
        weapon = ""
    injured = casualty(facts.casualties, "injured")
    killed = casualty(facts.casualties, "killed")
    return DraftProposal(
        event_type=event_type,
        weapon=weapon,
        occurred_on=when.value,
        date_precision=when.precision,
        date_evidence=when.evidence,
        notes=list(when.notes),
        sites=list(facts.sites),
        actors=_roles(facts, event_type),
        injured=injured,
        killed=killed,
        summary=_summary(facts.text),
        evidence=[facts.text],
        stance="claims" if violent and is_claim(facts) else "reports",
    )
