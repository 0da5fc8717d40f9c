"""Article -> draft incidents: read an Arabic or English news article, propose the
incidents it describes with their evidence, and save the ones an editor accepts.

Reporters start from an article. ``extract_article`` reads it with regular
expressions and the project's gazetteer only (no network, no ML) and returns an
``ArticleExtraction``: the sites and actors it names, running totals it quotes,
and ``DraftProposal``s, each with the sentences it came from. It saves nothing.
``accept_proposals`` saves the proposals an editor chose, as draft incidents
citing the article.

Modules by job: ``sentences`` (splitting, offsets, limits), ``dates`` (Arabic and
English dates and weekdays), ``mentions`` (sites and actors by name), ``counts``
(weapons, casualties, totals), ``events`` (what a sentence reports, proposals),
``extract`` (the pass over the article), ``accept`` (saving).
"""

from .accept import accept_proposals
from .extract import extract_article
from .results import (
    ActorMention,
    ArticleExtraction,
    DraftProposal,
    SiteMention,
    TotalMention,
)
from .sentences import MAX_ARTICLE_LENGTH

__all__ = [
    "MAX_ARTICLE_LENGTH",
    "ActorMention",
    "ArticleExtraction",
    "DraftProposal",
    "SiteMention",
    "TotalMention",
    "accept_proposals",
    "extract_article",
]
