"""Several sentences, one event: merging an article's draft proposals, and a
sentence's casualties added to the attack just told.

**One incident per site and day**: attacks and interceptions at overlapping sites
merge when their dates agree (``dating.same_date``: the same day, a day in the
other's week, two unknown dates at a shared site), whatever weapon each sentence
names; without a site, only the same weapon ties them. The merged draft keeps the
more precise date, the higher toll (a toll only rises as reports come in; a
reported none beats nothing reported), and the more specific weapon, with a note
when the sources disagree.
An actor the event's sentences show claiming it is not also "attributed to" it
merely because an outlet named it, unless someone blames it.
"""

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .counts import Count
from .dating import more_precise, same_date
from .results import DraftProposal
from .roles import blames, is_claim, roles

if TYPE_CHECKING:
    from .events import SentenceFacts


def casualty(counts: list[Count], kind: str) -> int | None:
    """One figure for the sentence: an update («ارتفعت الحصيلة إلى») over the
    rest, else the largest (a toll only rises as reports come in)."""
    of_kind = [c for c in counts if c.kind == kind]
    updates = [c for c in of_kind if getattr(c, "update", False)]
    if updates:
        return updates[-1].number
    return max((c.number for c in of_kind), default=None)


# A toll told across events ("59 wounded in the attacks since October"): a total.
_ACROSS_EVENTS = re.compile(
    r"الهجمات|هجمات|منذ|حتى\s+الآن|إجمال\S*|مجموع|\battacks\b|\bsince\b|"
    r"\btotal\b|\bso\s+far\b|\bin\s+all\b|\bcampaign\b",
    re.IGNORECASE,
)


# "Both attacks", «الهجومين»: the sentence is about every attack just told.
_EACH = re.compile(
    r"الهجومين|الهجمتين|كلا\s+|كلتا|الهجمات\s+(?:الثلاث|الأربع)|"
    r"\b(?:both|either|neither|each\s+of\s+the)\b",
    re.IGNORECASE,
)
_ARMED = frozenset({"armed_group", "unidentified"})


def follow_up(recent: list[DraftProposal], facts: "SentenceFacts") -> bool:
    """Add what a sentence that tells no event itself says of the attack just
    told (the last of ``recent``; every one of them for "both attacks",
    «الهجومين»): its casualties («وارتفعت حصيلة الجرحى إلى 34», "There were no
    injuries"), who claims it («وتبنت المقاومة الإسلامية الهجوم») and who is
    blamed for it. Not when it is about elsewhere, other days, or a campaign's
    toll. True when it added anything."""
    violent = [p for p in recent if p.event_type in _VIOLENT]
    if not violent:
        return False
    each = bool(_EACH.search(facts.text))
    if _ACROSS_EVENTS.search(facts.text) and not each:
        return False
    targets = violent if each else violent[-1:]
    if facts.sites and not set(facts.sites) <= {s for p in targets for s in p.sites}:
        return False
    days = {d.value for d in facts.dates if d.role == "event"}
    if days and days != {p.occurred_on for p in targets}:
        return False
    hurt = facts.casualties if not facts.totals else []
    actors = _claimed_or_blamed(facts)
    if not hurt and not actors:
        return False
    for proposal in targets:
        told = DraftProposal(
            event_type=proposal.event_type,
            weapon="",
            occurred_on=proposal.occurred_on,
            date_precision=proposal.date_precision,
            date_evidence=proposal.date_evidence,
            sites=list(proposal.sites),
            actors=actors,
            injured=casualty(hurt, "injured"),
            killed=casualty(hurt, "killed"),
            evidence=[facts.text],
            stance="claims" if any(r == "claimed_by" for _s, r in actors) else "",
        )
        _absorb(proposal, told)
    return True


def _claimed_or_blamed(facts: "SentenceFacts") -> list[tuple[str, str]]:
    """The armed groups a sentence shows claiming or blamed (others are ignored:
    a sentence that names US forces adds nothing)."""
    if not (is_claim(facts.text, facts.actors, facts.actor_ends) or blames(facts.text)):
        return []
    spans = list(zip(facts.actor_starts, facts.actor_ends, strict=True))
    named = roles(facts.text, "attack", facts.actors, spans)
    kinds = {slug: kind for slug, _name, kind in facts.actors}
    return [
        (slug, role)
        for slug, role in named
        if kinds[slug] in _ARMED and role in {"claimed_by", "attributed_to"}
    ]


_VIOLENT = frozenset({"attack", "interception"})
# Where one description is a refinement of the other: an outlet's «صواريخ»
# (rockets) and another's «صاروخ باليستي» are one strike told more or less exactly.
_REFINES = {("rocket", "missile")}


def _same_kind(a: DraftProposal, b: DraftProposal) -> bool:
    if a.event_type in _VIOLENT and b.event_type in _VIOLENT:
        return True
    return a.event_type == b.event_type


def _same_event(a: DraftProposal, b: DraftProposal) -> bool:
    """One incident per site and day: sentences (or outlets quoted) that place
    an attack at the same site on the same day tell one event, whatever weapon
    each names; without a site, only the same weapon ties them."""
    if not _same_kind(a, b) or not same_date(a, b):
        return False
    if a.sites and b.sites:
        return bool(set(a.sites) & set(b.sites))
    return a.weapon == b.weapon or "unknown" in {a.weapon, b.weapon}


def combine_weapons(first: str, second: str) -> tuple[str, str]:
    """The weapon of one event two descriptions give, and a note when they
    disagree: the more specific kept (a missile over a rocket, anything over
    unknown), else the first description's with the other named."""
    if first == second or not second or second == "unknown":
        return first, ""
    if not first or first == "unknown" or first == "mixed" and second != "mixed":
        return (second if first != "mixed" else first), ""
    if second == "mixed":
        return second, ""
    if (first, second) in _REFINES or (second, first) in _REFINES:
        specific = "missile"
        return specific, (
            f"the sources disagree on the weapon ({first} / {second}); "
            "the more specific kept"
        )
    return first, (
        f"the sources disagree on the weapon ({first} / {second}); "
        f"{first}, as first reported, kept"
    )


def _larger(a: int | None, b: int | None) -> int | None:
    """A toll told twice: the higher (later) figure; a reported none over
    nothing reported."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


def _absorb(into: DraftProposal, proposal: DraftProposal) -> None:
    if more_precise(into, proposal):
        into.occurred_on = proposal.occurred_on
        into.date_precision = proposal.date_precision
        into.date_evidence = proposal.date_evidence
        into.summary = proposal.summary
    if into.event_type != proposal.event_type:
        into.event_type = "attack"  # hit by one account, intercepted by another
    into.weapon, note = combine_weapons(into.weapon, proposal.weapon)
    into.notes = list(
        dict.fromkeys([*into.notes, *proposal.notes, *[note] * bool(note)])
    )
    into.sites = list(dict.fromkeys([*into.sites, *proposal.sites]))
    into.actors = list(dict.fromkeys([*into.actors, *proposal.actors]))
    into.evidence = list(dict.fromkeys([*into.evidence, *proposal.evidence]))
    into.injured = _larger(into.injured, proposal.injured)
    into.killed = _larger(into.killed, proposal.killed)
    if proposal.stance == "claims":
        into.stance = "claims"


def _settle_roles(proposal: DraftProposal) -> None:
    """An actor that claims the event is not also "attributed to" it by the
    outlet that only named it, unless someone else blames it too."""
    claimants = {slug for slug, role in proposal.actors if role == "claimed_by"}
    if not claimants or any(blames(e) for e in proposal.evidence):
        return
    proposal.actors = [
        (slug, role)
        for slug, role in proposal.actors
        if not (role == "attributed_to" and slug in claimants)
    ]


def merge(proposals: list[DraftProposal]) -> list[DraftProposal]:
    """One proposal per event: later sentences about it add evidence, sites,
    actors and counts; the day-precise date wins over a coarser or unknown one,
    the higher toll over the lower, the more specific weapon over the vaguer."""
    merged: list[DraftProposal] = []
    for proposal in proposals:
        into = next((p for p in merged if _same_event(p, proposal)), None)
        if into is None:
            merged.append(proposal)
        else:
            _absorb(into, proposal)
    for proposal in merged:
        _settle_roles(proposal)
    return merged


def split_by_site(
    proposal: DraftProposal, towns: frozenset[str]
) -> list[DraftProposal]:
    """One incident per site: an attack told at several sites («استهدافها قاعدتي
    حقل العمر وحقل كونيكو», "two U.S. bases, al-Shaddadi and the Rumalyn Landing
    Zone") is one proposal per site. A town named beside a base is where the base
    is, not a second target. A toll given for the sites together cannot be
    divided: a none holds for each, a number for none of them (with a note)."""
    if proposal.event_type not in _VIOLENT or len(proposal.sites) < 2:
        return [proposal]
    sites = [s for s in proposal.sites if s not in towns] or proposal.sites[:1]
    if len(sites) == 1:
        proposal.sites = sites
        return [proposal]
    shared = []
    for kind in ("injured", "killed"):
        if getattr(proposal, kind):
            shared.append(kind)
            setattr(proposal, kind, None)
    notes = list(proposal.notes)
    if shared:
        notes.append(
            f"{' and '.join(shared)} given for {len(sites)} sites together; "
            "not divided between them"
        )
    return [replace(proposal, sites=[site], notes=list(notes)) for site in sites]


def claimed_in_own_voice(proposals: list[DraftProposal], group: str | None) -> None:
    """In a group's own statement, an attack no sentence credits to anyone is
    the issuer's claim."""
    if group is None:
        return
    for proposal in proposals:
        if proposal.event_type not in _VIOLENT:
            continue
        if any(role in {"claimed_by", "attributed_to"} for _s, role in proposal.actors):
            continue
        proposal.actors = [*proposal.actors, (group, "claimed_by")]
        proposal.stance = "claims"
