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

Its date is the sentence's own; else the nearest earlier event date in the same
paragraph; else the date of the report the sentence gives ("said on Thursday it
had targeted …"), with precision **week**; else the publication date with
precision **week** ("within the week before"), since the article only tells us it
had happened by then.

Actors' roles: a claim (تبنت، claimed) makes armed groups ``claimed_by`` and the
citation stance "claims"; an accusation (اتهم، blamed) makes them
``attributed_to``; otherwise an armed group named in an attack sentence is its
``perpetrator``. The US and the coalition are ``target`` in attacks. For
sanctions, governments are ``perpetrator`` and the sanctioned ``target``; actors of
a statement or meeting are ``perpetrator`` (the actor who issued or attended it).

Proposals for the same kind of event at overlapping (or no) sites merge when
their dates agree, or when one is only dated to the publication week and the
other falls in that week: an article tells one event in several sentences.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from .counts import Count
from .dates import DateMention
from .results import DraftProposal

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
    r"سقوط)|"
    r"\b(?:hit|struck|strikes?|targeted|targeting|attack\w*|shelled|fired|"
    r"launched|landed|came\s+under|under\s+fire)\b",
    re.IGNORECASE,
)
_ONE_EVENT_VERB = re.compile(
    r"(?<![\w])[وف]?(?:تعرضت|تعرّضت|تعرض|استهدفت|استهدف|قصفت|سقطت|سقط|عقد|عقدت|"
    r"أسقطت|ضربت|أصدرت|فرضت|صنفت|أدرجت)(?![\w])|"
    r"\b(?:hit|struck|targeted|attacked|shelled|held|met|shot\s+down|"
    r"intercepted|landed|came\s+under|imposed|designated|sanctioned)\b",
    re.IGNORECASE,
)
_CLAIM = re.compile(
    r"تبن\S*|مسؤوليت\S*|\bclaim\w*|\btook\s+responsibility\b", re.IGNORECASE
)
_BLAME = re.compile(
    r"اتهم\S*|متهم\S*|باللوم|\bblam\w*|\baccus\w*|\battributed\b", re.IGNORECASE
)
_SAID = re.compile(
    r"(?<![\w])[وف]?(?:أعلنت|اعلنت|أعلن|قالت|قال|ذكرت)(?![\w])|"
    r"\b(?:said|says|announced)\b",
    re.IGNORECASE,
)
_US = re.compile(r"^(?:US|U\.S\.|United States)\b")


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


def classify(facts: SentenceFacts) -> str:
    """The event type a sentence reports, or "" when it reports none."""
    text = facts.text
    if _MEETING.search(text):
        return "meeting"
    sanction = _SANCTION.search(text) and not _THREAT.search(text)
    if sanction and _SANCTION_VERB.search(text):
        return "sanction"
    if _STATEMENT.search(text):
        return "statement"
    if sanction:
        return "sanction"
    if _ATTACK.search(text) or _INTERCEPT.search(text):
        if facts.sites or facts.weapon:
            return "interception" if _INTERCEPT.search(text) else "attack"
    return ""


def _own_date(facts: SentenceFacts, event_type: str) -> DateMention | None:
    roles = {"event", "report"} if event_type == "statement" else {"event"}
    return next((d for d in facts.dates if d.role in roles), None)


def describes_one_event(facts: SentenceFacts, event_type: str) -> bool:
    own = _own_date(facts, event_type)
    if event_type == "statement":
        return own is not None
    if event_type in {"attack", "interception"}:
        if facts.totals and not (own and facts.sites):
            return False
        if len(facts.all_sites) >= 3 and own is None:
            return False
    return own is not None or bool(_ONE_EVENT_VERB.search(facts.text))


def is_claim(facts: SentenceFacts) -> bool:
    """A claim says so (تبنت، claimed), or an armed group is the one speaking:
    "The Islamic Resistance in Iraq said it had targeted …", "أعلنت كتائب … استهداف"."""
    if _CLAIM.search(facts.text):
        return True
    groups = [
        end
        for (_slug, _name, kind), end in zip(
            facts.actors, facts.actor_ends, strict=True
        )
        if kind in {"armed_group", "unidentified"}
    ]
    for verb in _SAID.finditer(facts.text):
        if any(verb.start() - 60 <= end <= verb.start() for end in groups):
            return True  # "<group> said"
        if any(0 <= end - verb.end() <= 40 for end in groups):
            return True  # "أعلنت <group>": the verb comes first in Arabic
    return False


def _roles(facts: SentenceFacts, event_type: str) -> list[tuple[str, str]]:
    claimed = is_claim(facts)
    blamed = bool(_BLAME.search(facts.text))
    roles = []
    for slug, name, kind in facts.actors:
        on_us_side = kind == "coalition" or bool(_US.match(name))
        if event_type == "sanction":
            role = "perpetrator" if kind == "government" or on_us_side else "target"
        elif event_type in {"statement", "meeting"}:
            role = "perpetrator"
        elif on_us_side:
            role = "target"
        elif claimed:
            role = "claimed_by"
        elif blamed:
            role = "attributed_to"
        else:
            role = "perpetrator"
        roles.append((slug, role))
    return list(dict.fromkeys(roles))


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def propose(
    facts: SentenceFacts, context: DateMention | None, published: dt.date
) -> DraftProposal | None:
    """The draft incident one sentence describes, or None."""
    event_type = classify(facts)
    if not event_type or not describes_one_event(facts, event_type):
        return None
    own = _own_date(facts, event_type)
    reported = next((d for d in facts.dates if d.role == "report"), None)
    if own is not None:
        occurred, precision, evidence = own.value, "day", own.evidence
    elif context is not None:
        occurred, precision = context.value, "day"
        evidence = f"{context.evidence} (earlier in the paragraph)"
    elif reported is not None:
        occurred, precision = reported.value, "week"
        evidence = f"{reported.evidence} (date of the report; week before)"
    else:
        occurred, precision = published, "week"
        evidence = f"publication date → {published.isoformat()} (week before)"
    weapon = facts.weapon
    violent = event_type in {"attack", "interception"}
    if violent:
        weapon = weapon or "unknown"
    elif event_type != "strike":
        weapon = ""
    injured = next((c.number for c in facts.casualties if c.kind == "injured"), None)
    killed = next((c.number for c in facts.casualties if c.kind == "killed"), None)
    return DraftProposal(
        event_type=event_type,
        weapon=weapon,
        occurred_on=occurred,
        date_precision=precision,
        date_evidence=evidence,
        sites=list(facts.sites),
        actors=_roles(facts, event_type),
        injured=injured,
        killed=killed,
        summary=_summary(facts.text),
        evidence=[facts.text],
        stance="claims" if violent and is_claim(facts) else "reports",
    )


def _same_event(a: DraftProposal, b: DraftProposal) -> bool:
    if a.event_type != b.event_type or a.weapon != b.weapon:
        return False
    if a.sites and b.sites and not set(a.sites) & set(b.sites):
        return False
    if a.date_precision == b.date_precision == "day":
        return a.occurred_on == b.occurred_on
    week, day = (a, b) if a.date_precision == "week" else (b, a)
    return dt.timedelta(0) <= week.occurred_on - day.occurred_on < dt.timedelta(7)


def merge(proposals: list[DraftProposal]) -> list[DraftProposal]:
    """One proposal per event: later sentences about it add evidence, sites,
    actors and counts; the day-precise date wins over the publication week."""
    merged: list[DraftProposal] = []
    for proposal in proposals:
        into = next((p for p in merged if _same_event(p, proposal)), None)
        if into is None:
            merged.append(proposal)
            continue
        if into.date_precision == "week" and proposal.date_precision == "day":
            into.occurred_on = proposal.occurred_on
            into.date_precision = "day"
            into.date_evidence = proposal.date_evidence
            into.summary = proposal.summary
        into.sites = list(dict.fromkeys([*into.sites, *proposal.sites]))
        into.actors = list(dict.fromkeys([*into.actors, *proposal.actors]))
        into.evidence = list(dict.fromkeys([*into.evidence, *proposal.evidence]))
        into.injured = into.injured if into.injured is not None else proposal.injured
        into.killed = into.killed if into.killed is not None else proposal.killed
        if proposal.stance == "claims":
            into.stance = "claims"
    return merged
