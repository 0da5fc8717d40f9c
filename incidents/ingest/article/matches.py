"""Which incidents on record each proposal of an article may describe.

The one step of reading an article that asks the database about incidents: the
extractor stays pure, and the command and the admin page call ``match_proposals``
on what it returns. A proposal is matched by ``incidents.corroborate`` as any
other report is: by its sites, its date and date precision, its event type and
weapon, and the actors it names (a shared one ranks a match higher). A proposal
naming no site matches nothing: an article gives no point of its own. Nor does
a proposal of unknown date: by site alone it would match every incident ever
recorded there, so it gets none, and a note saying why.
"""

from django.utils.translation import gettext as _

from ...corroborate import Candidate, RecordIndex, Report, decide
from ...models import Actor, Incident, Involvement, Site
from .results import ArticleExtraction, DraftProposal, ProposalMatch

_SIDE_ONE = {
    Involvement.Role.PERPETRATOR,
    Involvement.Role.CLAIMED_BY,
    Involvement.Role.ATTRIBUTED_TO,
}


def proposal_report(
    proposal: DraftProposal, *, site_ids: dict[str, int], actor_ids: dict[str, int]
) -> Report:
    """The report a proposal makes; sites and actors no longer on record (deleted
    since the article was read) are left out."""
    return Report(
        occurred_on=proposal.occurred_on,
        date_precision=proposal.date_precision,
        event_type=proposal.event_type,
        weapon=proposal.weapon,
        site_ids=tuple(site_ids[s] for s in proposal.sites if s in site_ids),
        actor_ids=tuple(
            dict.fromkeys(
                actor_ids[slug]
                for slug, role in proposal.actors
                if slug in actor_ids and role in _SIDE_ONE
            )
        ),
    )


def match_proposals(extraction: ArticleExtraction) -> ArticleExtraction:
    """Fill in each proposal's ``match_details`` and ``suggested_match``, in place
    (and return the extraction): the same few queries for the whole article,
    whatever the number of proposals."""
    _note_undated(extraction.proposals)
    proposals = [p for p in extraction.proposals if p.occurred_on is not None]
    site_ids = dict(
        Site.objects.filter(
            slug__in={s for p in proposals for s in p.sites}
        ).values_list("slug", "pk")
    )
    actor_ids = dict(
        Actor.objects.filter(
            slug__in={a for p in proposals for a, _role in p.actors}
        ).values_list("slug", "pk")
    )
    reports = [
        proposal_report(p, site_ids=site_ids, actor_ids=actor_ids) for p in proposals
    ]
    index = RecordIndex(reports)
    found = [index.candidates(report) for report in reports]
    described = _described({c.incident_id for cs in found for c in cs})
    for proposal, candidates in zip(proposals, found, strict=True):
        proposal.match_details = [
            _match(c, described[c.incident_id])
            for c in candidates
            if c.incident_id in described
        ]
        attach = decide(candidates).attach_to
        proposal.suggested_match = attach.incident_id if attach else None
    extraction.matched = True
    return extraction


def _note_undated(proposals: list[DraftProposal]) -> None:
    note = _("not compared with the incidents on record: its date is unknown")
    for proposal in proposals:
        if proposal.occurred_on is None:
            proposal.match_details, proposal.suggested_match = [], None
            if note not in proposal.notes:
                proposal.notes.append(note)


def _described(ids: set[int]) -> dict[int, tuple[Incident, tuple[str, ...]]]:
    if not ids:
        return {}
    through = Incident.sites.through
    slugs: dict[int, list[str]] = {pk: [] for pk in ids}
    for incident_id, slug in (
        through.objects.filter(incident_id__in=ids)
        .order_by("pk")
        .values_list("incident_id", "site__slug")
    ):
        slugs[incident_id].append(slug)
    return {
        incident.pk: (incident, tuple(slugs[incident.pk]))
        for incident in Incident.objects.filter(pk__in=ids).only(
            "occurred_on", "date_precision", "event_type", "weapon", "status"
        )
    }


def _match(
    candidate: Candidate, described: tuple[Incident, tuple[str, ...]]
) -> ProposalMatch:
    incident, sites = described
    return ProposalMatch(
        incident=candidate.incident_id,
        strength=candidate.strength,
        score=candidate.score,
        how=candidate.how,
        status=incident.status,
        occurred_on=incident.occurred_on,
        date_precision=incident.date_precision,
        event_type=incident.event_type,
        weapon=incident.weapon,
        sites=sites,
    )
