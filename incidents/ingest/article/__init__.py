"""Article -> draft incidents: read an Arabic or English news article, propose the
incidents it describes with their evidence, and save the ones an editor accepts.

Reporters start from an article. ``extract_article`` reads it with regular
expressions and the project's gazetteer only (no network, no ML) and returns an
``ArticleExtraction``: the sites and actors it names, running totals it quotes,
and ``DraftProposal``s, each with the sentences it came from. It saves nothing and
reads no incident. ``match_proposals`` then finds, for each proposal, the
incidents on record it may describe again (``incidents.corroborate``).
``accept_article`` saves the proposals an editor chose: as a citation of the
incident on record it reports again, when the editor may change that incident
(``rules``), else as a draft incident citing the article, proposed for merging
with its matches.

Dates are anchored in the article, never in today: the reference date is the
publication date when given, else one the text gives (``anchor``), else none, and
a draft nothing dates is of unknown date (``occurred_on`` None) and says so.

Modules by job: ``sentences`` (splitting, offsets, limits), ``anchor`` (the
article's reference date, embedded posts' own dates), ``dates`` (Arabic and
English dates and weekdays, found), ``resolve`` (each date mention made a day:
years, weekdays, nights, contradictions), ``dating`` (which date dates an event),
``mentions`` (sites and actors by name), ``counts``
(weapons, casualties, totals), ``events`` (what a sentence reports, proposals),
``modality`` (denied, threatened, conditional, future or background: not an
event), ``roles`` (who claims, is blamed, was attacked, attended), ``merging``
(one incident per site and day), ``extract`` (the pass over the article),
``matches`` (the incidents on record), ``accept`` (saving).
"""

from .accept import (
    ALREADY_CITED,
    CITED,
    DRAFT,
    PROPOSED,
    Accepted,
    accept_article,
    accept_proposals,
)
from .extract import extract_article
from .matches import match_proposals
from .results import (
    ActorMention,
    ArticleExtraction,
    DraftProposal,
    ProposalMatch,
    SiteMention,
    TotalMention,
)
from .sentences import MAX_ARTICLE_LENGTH

__all__ = [
    "ALREADY_CITED",
    "CITED",
    "DRAFT",
    "MAX_ARTICLE_LENGTH",
    "PROPOSED",
    "Accepted",
    "ActorMention",
    "ArticleExtraction",
    "DraftProposal",
    "ProposalMatch",
    "SiteMention",
    "TotalMention",
    "accept_article",
    "accept_proposals",
    "extract_article",
    "match_proposals",
]
