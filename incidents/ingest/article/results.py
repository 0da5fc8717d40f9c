"""What reading an article yields: proposals an editor may accept, and the rest.

Plain dataclasses, no database rows: the extractor is pure, and nothing is saved
until an editor chooses proposals (``accept.accept_article``). The incidents on
record each proposal may describe (``ProposalMatch``) are filled in afterwards by
``matches.match_proposals``, the one step that reads incidents. ``as_dict`` gives
the JSON the command prints and the admin page can embed (dates as ISO strings).
"""

import datetime as dt
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class SiteMention:
    """A known site named in the article: ``text`` is exactly as written there."""

    slug: str
    name: str
    text: str
    sentence: str
    # Named to locate something else ("south-east of Deir ez-Zor"), not as the
    # place where something happened.
    relative: bool = False
    # How it was found when not by its name: "the base" named before it.
    via: str = ""


@dataclass(frozen=True)
class ActorMention:
    slug: str
    name: str
    text: str
    sentence: str


@dataclass(frozen=True)
class TotalMention:
    """A running count ("more than 60 attacks", "59 service members"): a number
    about many events, never itself an incident."""

    number: int
    counts: str  # attacks, times, bases, service_members, injured, killed
    text: str
    sentence: str
    # Who the sentence says counted it ("the Pentagon", «قناة الميادين»), as
    # written; "" when it credits nobody (``credits.credited_source``).
    counted_by: str = ""


@dataclass(frozen=True)
class ProposalMatch:
    """An incident on record the proposal may describe (``incidents.corroborate``):
    how strongly (``exact`` or ``near``) and why, with what an editor needs to
    recognise it (its date, event, weapon, sites and status)."""

    incident: int
    strength: str
    score: int
    how: str
    status: str
    occurred_on: dt.date
    date_precision: str
    event_type: str
    weapon: str
    sites: tuple[str, ...] = ()  # slugs, in the order the incident links them


@dataclass
class DraftProposal:
    """One incident the article appears to describe, with the evidence for it."""

    event_type: str
    weapon: str
    # None when nothing in the article dates it (precision "unknown").
    occurred_on: dt.date | None
    date_precision: str  # "day", "week" (a week around it) or "unknown"
    date_evidence: str
    sites: list[str] = field(default_factory=list)
    actors: list[tuple[str, str]] = field(default_factory=list)  # (slug, role)
    injured: int | None = None
    killed: int | None = None
    summary: str = ""
    evidence: list[str] = field(default_factory=list)
    stance: str = "reports"  # or "claims" when the sentence is a claim
    # What a careful reader must be told: "weekday contradicts the date", "date
    # unknown: …". Plain strings, in the order found.
    notes: list[str] = field(default_factory=list)
    # Incidents on record it may describe, best first (``matches.match_proposals``).
    match_details: list[ProposalMatch] = field(default_factory=list)
    # The one exact match it would be attached to (``corroborate.decide``), if any.
    suggested_match: int | None = None

    @property
    def matches(self) -> list[int]:
        """The ids of ``match_details``, best first."""
        return [match.incident for match in self.match_details]


@dataclass
class ArticleExtraction:
    """What an article yields. ``published`` is the publication date as given
    (None when not); ``reference_date`` the day its weekdays and "yesterday" were
    counted from (``anchor.find_reference``: the given date, else one the text
    gives, else None), and ``reference_evidence`` why."""

    language: str
    published: dt.date | None
    title: str
    proposals: list[DraftProposal] = field(default_factory=list)
    totals: list[TotalMention] = field(default_factory=list)
    sites: list[SiteMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    reference_date: dt.date | None = None
    reference_evidence: str = ""
    # Where it came from: given, dateline, today («اليوم» with a date), latest
    # (the latest full date in the text) or none (``anchor.Reference.how``).
    reference_kind: str = ""
    # True once ``matches.match_proposals`` looked for the incidents on record.
    matched: bool = False

    @property
    def site_slugs(self) -> list[str]:
        """Each site named anywhere in the article, once, in order of mention."""
        return list(dict.fromkeys(s.slug for s in self.sites))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["published"] = _iso(self.published)
        data["reference_date"] = _iso(self.reference_date)
        data["site_slugs"] = self.site_slugs
        del data["matched"]
        for proposal, original in zip(data["proposals"], self.proposals, strict=True):
            proposal["occurred_on"] = _iso(proposal["occurred_on"])
            proposal["actors"] = [
                {"slug": slug, "role": role} for slug, role in proposal["actors"]
            ]
            proposal["matches"] = original.matches
            for match in proposal["match_details"]:
                match["occurred_on"] = match["occurred_on"].isoformat()
                match["sites"] = list(match["sites"])
        return data


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
