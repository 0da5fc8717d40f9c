"""The domain's rules: who may do what to an incident (``permissions``: one rule,
called by every door), how an incident's confidence follows from its citations
(``confidence``), the review workflow's moves (``workflow``) and what a
correction of a published incident is (``corrections``).

The API, the admin (forms, actions, imports, article drafts, merges), the ACLED
importer and the management commands all ask ``permissions`` rather than checking
a permission string themselves, so a change to who may change a published record
is made once. ``permissions`` and ``confidence`` import nothing of ours at import
time (the models import them); ``workflow`` and ``corrections`` work on the
models, so this ``__init__`` does not import them.
"""

from .permissions import (
    ADD,
    CHANGE,
    PUBLIC_RECORD,
    PUBLISH,
    VIEW,
    may_change_incident,
    may_change_source,
    may_merge,
    may_propose_merge,
    may_publish,
    require_may_change_incident,
)

__all__ = [
    "ADD",
    "CHANGE",
    "PUBLIC_RECORD",
    "PUBLISH",
    "VIEW",
    "may_change_incident",
    "may_change_source",
    "may_merge",
    "may_propose_merge",
    "may_publish",
    "require_may_change_incident",
]
