"""Incidents on record that an entry may repeat, as the admin shows them: on the
article page (a choice per proposal) and on the add form (before saving).

Each candidate is shown with a link to its change page, its date, event, weapon,
sites and status, and how it matched (``incidents.corroborate``), so that an editor
decides knowingly; and whether this user may change it (``rules``): an editor who
may not (a published match) is told before accepting what will happen instead.
Everything here reaches the page through Django's escaping.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import get_language

from .. import rules, selectors
from ..models import Actor, Incident, Involvement, Site


@dataclass(frozen=True)
class CandidateRow:
    """One incident on record, as one line of a list of candidates."""

    incident: Incident  # with its sites prefetched, in the order linked
    strength: str  # "exact" or "near"
    how: str
    may_change: bool

    @property
    def pk(self) -> int:
        return self.incident.pk

    @property
    def change_url(self) -> str:
        return reverse("admin:incidents_incident_change", args=[self.incident.pk])

    @property
    def exact(self) -> bool:
        return self.strength == "exact"

    @property
    def public_record(self) -> bool:
        """Published or retracted: only a reviewer changes it."""
        return self.incident.status in rules.PUBLIC_RECORD


def candidate_rows(*, user, candidates: Sequence) -> list[CandidateRow]:
    """Rows for ``candidates`` (anything with ``incident``/``incident_id``,
    ``strength``, ``how`` and ``status``) that ``user`` may see, in their order."""
    visible = selectors.candidates_visible_to(user=user, candidates=candidates)
    ids = [_id(c) for c in visible]
    incidents = _incidents(ids)
    return [
        CandidateRow(
            incident=incidents[_id(c)],
            strength=c.strength,
            how=c.how,
            may_change=rules.may_change_incident(user, incidents[_id(c)].status),
        )
        for c in visible
        if _id(c) in incidents
    ]


def _id(candidate) -> int:
    return getattr(candidate, "incident_id", None) or candidate.incident


def _incidents(ids: Iterable[int]) -> dict[int, Incident]:
    """The incidents by id, each with ``linked_sites``: its sites in the order
    they were linked (the first is where its point came from)."""
    incidents = Incident.objects.in_bulk(list(ids))
    sites: dict[int, list[Site]] = {pk: [] for pk in incidents}
    links = Incident.sites.through.objects.filter(incident_id__in=list(incidents))
    for link in links.select_related("site").order_by("pk"):
        sites[link.incident_id].append(link.site)
    for pk, incident in incidents.items():
        incident.linked_sites = sites[pk]
    return incidents


@dataclass
class ProposalChoice:
    """A proposal of the article page, with what accepting it may do: one option
    per match ("add the article as a source of #N"), or a new draft."""

    index: int
    proposal: object  # DraftProposal
    options: list[CandidateRow] = field(default_factory=list)
    checked: int | None = None  # the match chosen by default; None: a new draft
    # What the proposal names, as an editor reads it: names, not slugs.
    site_names: list[str] = field(default_factory=list)
    actor_roles: list[tuple[str, str]] = field(default_factory=list)  # name, role

    @property
    def event_label(self) -> str:
        return _label(Incident.EventType, self.proposal.event_type)

    @property
    def weapon_label(self) -> str:
        return _label(Incident.Weapon, self.proposal.weapon)

    @property
    def new_checked(self) -> bool:
        return self.checked is None


def proposal_choices(
    *, user, proposals: Sequence, chosen: Mapping[int, int | None] | None = None
) -> list[ProposalChoice]:
    """A choice per proposal. The default is the proposal's single exact match
    (``suggested_match``) when it has one, else a new draft; ``chosen`` (what the
    editor picked, by proposal index) wins when given."""
    choices = []
    names = _names(proposals)
    for index, proposal in enumerate(proposals):
        options = candidate_rows(user=user, candidates=proposal.match_details)
        offered = {row.pk for row in options}
        checked = proposal.suggested_match
        if chosen is not None and index in chosen:
            checked = chosen[index]
        choices.append(
            ProposalChoice(
                index=index,
                proposal=proposal,
                options=options,
                checked=checked if checked in offered else None,
                site_names=[names[Site].get(slug, slug) for slug in proposal.sites],
                actor_roles=[
                    (names[Actor].get(slug, slug), _role_label(role))
                    for slug, role in proposal.actors
                ],
            )
        )
    return choices


def _names(proposals: Sequence) -> dict[type, dict[str, str]]:
    """The display name of every site and actor the proposals name, by slug, in
    the page's language (the Arabic name on an Arabic page, when there is one)."""
    arabic = (get_language() or "").startswith("ar")
    wanted = {
        Site: {slug for p in proposals for slug in p.sites},
        Actor: {slug for p in proposals for slug, _role in p.actors},
    }
    return {
        model: {
            slug: (name_ar if arabic and name_ar else name)
            for slug, name, name_ar in model.objects.filter(slug__in=slugs).values_list(
                "slug", "name", "name_ar"
            )
        }
        for model, slugs in wanted.items()
    }


def _role_label(role: str) -> str:
    return _label(Involvement.Role, role)


def _label(choices, value: str) -> str:
    """A choice's label in the page's language; the value itself if unknown."""
    try:
        return choices(value).label
    except ValueError:
        return value
