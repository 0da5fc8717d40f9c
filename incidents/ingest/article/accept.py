"""Save the proposals an editor accepted: one Source for the article, and for each
chosen proposal either a citation of the incident on record it reports again, or a
new draft incident citing it.

For each chosen proposal the editor also says what it is (``targets``): a new
incident (the default), or a second report of one of its matches
(``DraftProposal.match_details``). Then, by ``rules.may_change_incident`` for
that match as it is now:

- **may change it** (an editor and a draft or an incident in review; a reviewer
  and any incident on record): the article becomes one more citation of it, with
  the proposal's sentences as the quote and its stance (``CITED``). Nothing new is
  created. A match that already cites the article (the same URL accepted before,
  or two proposals of one article choosing it) keeps its citation, the quote
  extended by sentences it lacks, or left as it is (``ALREADY_CITED``).
- **may not** (an editor and a published or retracted match): the match is left
  untouched; the proposal is saved as a new draft, and a ``MergeProposal``
  (origin *article*) names the match as the same event, so that a reviewer merges
  them (``PROPOSED``).
- **a new incident**: a new draft, and still a ``MergeProposal`` for each of its
  matches (``DRAFT``): the editor judged it a different event, and a reviewer,
  who decides duplicates, sees why it looked like one.

A proposal of unknown date (``date_precision`` "unknown") is saved only with
the date the editor gives for it (``dates``, day-precise): an incident has a
date, and a draft must not pretend to know one. Without it, the whole choice is
refused with a ValueError naming the proposal, and nothing is saved.

The Source's publication date is the one given with the article, else one the
text states as its own (a date line, «اليوم» with a date), else none: the
latest date an article mentions is not when it was published.

Everything happens in one transaction: a proposal naming a site or actor that no
longer exists (deleted since the article was read), or a target that is no longer
one of its matches, is a ValueError and nothing is saved, rather than half an
article. Incidents go through ``services.incident_create``, the one write path
for incidents, which validates them; sites are then linked one by one in the
article's order and ``incident_apply_site_defaults`` gives each the point of its
first placed site. New incidents are always drafts: publishing is a reviewer's act.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils.translation import gettext as _

from ... import rules
from ...corroborate import Candidate, incident_add_citation, merge_proposals_record
from ...models import Actor, Citation, Incident, MergeProposal, Site, Source
from ...services import (
    CitationInput,
    InvolvementInput,
    incident_apply_site_defaults,
    incident_create,
)
from .matches import match_proposals
from .results import ArticleExtraction, DraftProposal, ProposalMatch

DEFAULT_PUBLISHER = "unknown publisher"

CITED = "cited"
ALREADY_CITED = "already cited"
PROPOSED = "proposed"
DRAFT = "draft"


@dataclass(frozen=True)
class Accepted:
    """What one chosen proposal became.

    ``incident``: the incident that now cites the article (the match for
    ``CITED`` and ``ALREADY_CITED``, a new draft otherwise); ``target``: the match
    the editor chose, if any; ``proposals``: the merge proposals recorded for the
    new draft."""

    index: int
    outcome: str
    incident: Incident
    target: int | None = None
    target_status: str = ""
    proposals: list[MergeProposal] = field(default_factory=list)


def _source(
    extraction: ArticleExtraction, *, title: str, publisher: str, url: str
) -> Source:
    stated = extraction.reference_kind in {"dateline", "today"}
    fields = {
        "kind": Source.Kind.NEWS,
        "language": extraction.language,
        "published_on": extraction.published
        or (extraction.reference_date if stated else None),
        "title": (title or extraction.title)[:500],
        "publisher": (publisher.strip() or DEFAULT_PUBLISHER)[:200],
    }
    if url:
        # The same URL is the same report (URLs are unique when set): reuse it.
        source, _created = Source.objects.get_or_create(url=url, defaults=fields)
        return source
    return Source.objects.create(url="", **fields)


def _check_chosen(extraction: ArticleExtraction, chosen: list[int]) -> list[int]:
    count = len(extraction.proposals)
    for index in chosen:
        if isinstance(index, bool) or not isinstance(index, int):
            raise ValueError(f"A proposal is chosen by its number, not {index!r}.")
        if not 0 <= index < count:
            raise ValueError(
                f"There is no proposal {index}: the article has {count} "
                f"(numbered 0 to {count - 1})."
                if count
                else f"There is no proposal {index}: the article has none."
            )
    return list(dict.fromkeys(chosen))


def _check_dates(
    extraction: ArticleExtraction, chosen: list[int], dates: Mapping[int, dt.date]
) -> None:
    """Refuse a chosen proposal of unknown date that the editor gave no date."""
    for index in chosen:
        proposal = extraction.proposals[index]
        if proposal.occurred_on is None and dates.get(index) is None:
            raise ValueError(
                _(
                    "Proposal %(number)d (%(event)s at %(sites)s) has no date: the "
                    "article does not say when it happened. Give its date, or "
                    "leave it out."
                )
                % {
                    "number": index,
                    "event": proposal.event_type,
                    "sites": ", ".join(proposal.sites) or "-",
                }
            )


def _dated(proposal: DraftProposal, day: dt.date | None) -> DraftProposal:
    """The proposal with the date the editor gave it, day-precise."""
    if day is None:
        return proposal
    evidence = f"{day.isoformat()} (given by the editor)"
    return replace(
        proposal, occurred_on=day, date_precision="day", date_evidence=evidence
    )


def _check_targets(
    extraction: ArticleExtraction, chosen: list[int], targets: Mapping[int, int]
) -> dict[int, ProposalMatch]:
    """The match each chosen proposal is a second report of (by proposal index)."""
    found = {}
    for index, target in targets.items():
        if index not in chosen or target is None:
            continue
        proposal = extraction.proposals[index]
        match = next((m for m in proposal.match_details if m.incident == target), None)
        if match is None:
            raise ValueError(
                f"Incident #{target} is not one of proposal {index}'s matches "
                f"({', '.join(f'#{pk}' for pk in proposal.matches) or 'none'})."
            )
        found[index] = match
    return found


def _stance(proposal: DraftProposal) -> str:
    if proposal.stance == "claims":
        return Citation.Stance.CLAIMS
    return Citation.Stance.REPORTS


def _candidates(proposal: DraftProposal, chosen: ProposalMatch | None):
    """The proposal's matches as candidates for a merge proposal, the one the
    editor chose first and saying so."""
    candidates = []
    for match in proposal.match_details:
        reasons = (match.how,)
        if chosen is not None and match.incident == chosen.incident:
            reasons += (_("chosen as the same event by the editor"),)
        candidate = Candidate(
            incident_id=match.incident,
            strength=match.strength,
            score=match.score,
            reasons=reasons,
            status=match.status,
        )
        candidates.append(candidate)
    if chosen is not None:
        candidates.sort(key=lambda c: c.incident_id != chosen.incident)
    return candidates


def accept_proposals(
    *,
    extraction: ArticleExtraction,
    chosen: list[int],
    user=None,
    title: str = "",
    publisher: str = "",
    url: str = "",
    dates: Mapping[int, dt.date] | None = None,
) -> list[Incident]:
    """Create the chosen proposals (by index into ``extraction.proposals``) as
    draft incidents citing the article; the incidents, in the order chosen.

    ``accept_article`` with no target: each proposal a new draft (its matches
    proposed for merging). Nothing is saved when ``chosen`` is empty.
    """
    accepted = accept_article(
        extraction=extraction,
        chosen=chosen,
        user=user,
        title=title,
        publisher=publisher,
        url=url,
        dates=dates,
    )
    return [a.incident for a in accepted]


def accept_article(
    *,
    extraction: ArticleExtraction,
    chosen: list[int],
    targets: Mapping[int, int] | None = None,
    user=None,
    title: str = "",
    publisher: str = "",
    url: str = "",
    dates: Mapping[int, dt.date] | None = None,
) -> list[Accepted]:
    """Save the chosen proposals (indexes into ``extraction.proposals``), each as
    ``targets`` says (proposal index -> the id of one of its matches; absent: a
    new incident), in one transaction; what each became, in the order chosen.

    The proposals' matches are looked up first if the extraction has none yet
    (``match_proposals``). Nothing is saved when ``chosen`` is empty. ``title``
    defaults to the article's first line, ``publisher`` to "unknown publisher".
    ``dates`` (proposal index -> day) dates proposals the article leaves
    undated; a chosen proposal of unknown date without one is a ValueError.
    """
    chosen = _check_chosen(extraction, chosen)
    if not chosen:
        return []
    dates = dates or {}
    _check_dates(extraction, chosen, dates)
    with transaction.atomic():
        if not extraction.matched:
            match_proposals(extraction)
        chosen_targets = _check_targets(extraction, chosen, targets or {})
        proposals = [extraction.proposals[i] for i in chosen]
        sites = Site.objects.in_bulk(
            {s for p in proposals for s in p.sites}, field_name="slug"
        )
        actors = Actor.objects.in_bulk(
            {a for p in proposals for a, _role in p.actors}, field_name="slug"
        )
        missing = sorted(
            {s for p in proposals for s in p.sites} - set(sites)
            | {a for p in proposals for a, _ in p.actors} - set(actors)
        )
        if missing:
            raise ValueError(f"Unknown site or actor: {', '.join(missing)}.")
        # Read and locked as they are now: the page may have shown another status.
        on_record = {
            incident.pk: incident
            for incident in Incident.objects.select_for_update().filter(
                pk__in={m.incident for m in chosen_targets.values()}
            )
        }
        for match in chosen_targets.values():
            incident = on_record.get(match.incident)
            if incident is None or incident.status == Incident.Status.MERGED:
                raise ValueError(
                    f"Incident #{match.incident} is no longer on record "
                    "(deleted or merged): read the article again."
                )
        source = _source(extraction, title=title, publisher=publisher, url=url)
        return [
            _accept_one(
                index,
                _dated(extraction.proposals[index], dates.get(index)),
                chosen_targets.get(index),
                on_record,
                source=source,
                sites=sites,
                actors=actors,
                user=user,
            )
            for index in chosen
        ]


def _accept_one(
    index: int,
    proposal: DraftProposal,
    match: ProposalMatch | None,
    on_record: dict[int, Incident],
    *,
    source: Source,
    sites: dict[str, Site],
    actors: dict[str, Actor],
    user,
) -> Accepted:
    target = on_record[match.incident] if match is not None else None
    if target is not None and rules.may_change_incident(user, target.status):
        _citation, written = incident_add_citation(
            incident=target,
            user=user,
            citation=CitationInput(
                source=source,
                stance=_stance(proposal),
                quote="\n\n".join(proposal.evidence),
            ),
        )
        outcome = CITED if written else ALREADY_CITED
        return Accepted(
            index=index,
            outcome=outcome,
            incident=target,
            target=target.pk,
            target_status=target.status,
        )
    draft = _draft(proposal, source=source, sites=sites, actors=actors, user=user)
    recorded = merge_proposals_record(
        incident_id=draft.pk,
        candidates=_candidates(proposal, match),
        origin=MergeProposal.Origin.ARTICLE,
        user=user,
    )
    return Accepted(
        index=index,
        outcome=DRAFT if target is None else PROPOSED,
        incident=draft,
        target=None if target is None else target.pk,
        target_status="" if target is None else target.status,
        proposals=recorded,
    )


def _draft(
    proposal: DraftProposal,
    *,
    source: Source,
    sites: dict[str, Site],
    actors: dict[str, Actor],
    user,
) -> Incident:
    incident = incident_create(
        user=user,
        fields={
            "occurred_on": proposal.occurred_on,
            "date_precision": proposal.date_precision,
            "event_type": proposal.event_type,
            "weapon": proposal.weapon,
            "injured": proposal.injured,
            "killed": proposal.killed,
            "summary": proposal.summary,
            "status": Incident.Status.DRAFT,
        },
        citations=[
            CitationInput(
                source=source,
                stance=_stance(proposal),
                quote="\n\n".join(proposal.evidence),
            )
        ],
        involvements=[
            InvolvementInput(actor=actors[slug], role=role)
            for slug, role in proposal.actors
        ],
    )
    # One at a time: ``add(*sites)`` does not keep their order, and the first
    # placed site is where the incident's point comes from.
    for slug in proposal.sites:
        incident.sites.add(sites[slug])
    return incident_apply_site_defaults(incident=incident)
