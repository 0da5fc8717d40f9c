"""One event, many reports: matching a report to the incidents on record, proposing
merges, and merging.

- ``matching``: the pure rules (same site, overlapping dates within their
  precisions, compatible event and weapon) that make an incident a *candidate*
  for a report, how strongly and why, and ``decide``: attach a report to a single
  exact candidate, leave anything less to a reviewer;
- ``records``: the incidents on record read for one report or a batch of them;
- ``reports``: reports built from an entry (admin form, API) or a saved incident;
- ``proposals``: ``MergeProposal`` rows, for the review;
- ``entries``: the writes of the doors where an editor enters a report (a citation
  added to an incident on record, a new incident's candidates proposed);
- ``merge``: a reviewer's merge of two incidents into one, the other left a
  tombstone.

Every door calls this package: the ACLED import, the article drafts, the API and
the admin. It may import the models, ``rules``, ``geo``, ``filters`` and
``services``;
nothing here imports a view, the API or the admin.
"""

from .entries import (
    Entered,
    incident_add_citation,
    incident_create_matched,
    incident_record_candidates,
)
from .matching import EXACT, NEAR, Candidate, Decision, OnRecord, Report, decide, rank
from .merge import incidents_merge
from .proposals import (
    merge_proposal_create,
    merge_proposal_dismiss,
    merge_proposals_record,
    merge_proposals_record_many,
)
from .records import RecordIndex, find_candidates
from .reports import report_for_entry, report_for_incident

__all__ = [
    "EXACT",
    "Entered",
    "NEAR",
    "Candidate",
    "Decision",
    "OnRecord",
    "RecordIndex",
    "Report",
    "decide",
    "find_candidates",
    "incident_add_citation",
    "incident_create_matched",
    "incident_record_candidates",
    "incidents_merge",
    "merge_proposal_create",
    "merge_proposal_dismiss",
    "merge_proposals_record",
    "merge_proposals_record_many",
    "rank",
    "report_for_entry",
    "report_for_incident",
]
