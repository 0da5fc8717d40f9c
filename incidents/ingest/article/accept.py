"""Save the proposals an editor accepted: one Source for the article, and a draft
incident per chosen proposal citing it.

Everything happens in one transaction: a proposal naming a site or actor that no
longer exists (deleted since the article was read) is a ValueError and nothing is
saved, rather than half an article. Incidents go through
``services.incident_create``, the one write path for incidents, which validates
them; sites are then linked one by one in the article's order and
``incident_apply_site_defaults`` gives each the point of its first placed site.
They are always drafts: publishing is a reviewer's act.
"""

from django.db import transaction

from ...models import Actor, Citation, Incident, Site, Source
from ...services import (
    CitationInput,
    InvolvementInput,
    incident_apply_site_defaults,
    incident_create,
)
from .results import ArticleExtraction

DEFAULT_PUBLISHER = "unknown publisher"


def _source(
    extraction: ArticleExtraction, *, title: str, publisher: str, url: str
) -> Source:
    fields = {
        "kind": Source.Kind.NEWS,
        "language": extraction.language,
        "published_on": extraction.published,
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


def accept_proposals(
    *,
    extraction: ArticleExtraction,
    chosen: list[int],
    user=None,
    title: str = "",
    publisher: str = "",
    url: str = "",
) -> list[Incident]:
    """Create the chosen proposals (by index into ``extraction.proposals``) as
    draft incidents citing the article; the incidents, in the order chosen.

    Nothing is saved when ``chosen`` is empty. ``title`` defaults to the article's
    first line, ``publisher`` to "unknown publisher".
    """
    chosen = _check_chosen(extraction, chosen)
    if not chosen:
        return []
    proposals = [extraction.proposals[i] for i in chosen]
    with transaction.atomic():
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
        source = _source(extraction, title=title, publisher=publisher, url=url)
        incidents = []
        for proposal in proposals:
            stance = (
                Citation.Stance.CLAIMS
                if proposal.stance == "claims"
                else Citation.Stance.REPORTS
            )
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
                        stance=stance,
                        quote="\n\n".join(proposal.evidence),
                    )
                ],
                involvements=[
                    InvolvementInput(actor=actors[slug], role=role)
                    for slug, role in proposal.actors
                ],
            )
            # One at a time: ``add(*sites)`` does not keep their order, and the
            # first placed site is where the incident's point comes from.
            for slug in proposal.sites:
                incident.sites.add(sites[slug])
            incidents.append(incident_apply_site_defaults(incident=incident))
    return incidents
