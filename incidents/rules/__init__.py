"""Who may do what to an incident: one rule, called by every door.

The API, the admin (forms, actions, imports, article drafts, merges), the ACLED
importer and the management commands all ask ``permissions`` rather than checking
a permission string themselves, so a change to who may change a published record
is made once. This package imports nothing of ours (the models import it), only
Django.
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
