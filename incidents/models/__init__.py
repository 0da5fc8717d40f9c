"""The domain model: sites, actors, incidents, and the sources that report them.

Invariants the database enforces, so that no code path (admin, import, API, raw SQL
fixtures) can break them: coordinates in WGS84 range and given as a pair or not at all;
counts never negative; ``external_id`` unique when set.

``null`` and ``0`` differ on purpose for ``injured`` and ``killed``: null is *not
reported*, 0 is *reported as none*.

A second report of an event on record is attached to it, or proposed for a merge
(``corroboration``), rather than made into a second incident.

An incident's confidence is never stored or typed in; it is derived from its citations
(see ``incidents.rules.confidence``).
"""

from .cluster_cells import UNPLACED_CELL, ClusterCell
from .corroboration import ExternalReport, MergeProposal
from .freshness import DataVersion
from .geocoding import GeocodeAnswer
from .incidents import (
    INCIDENT_CONTENT_FIELDS,
    Incident,
    IncidentQuerySet,
    incident_search_text,
)
from .places import (
    LATITUDE_VALIDATORS,
    LONGITUDE_VALIDATORS,
    Actor,
    NamedQuerySet,
    Site,
    build_search_text,
)
from .sources import OfficialTotal, Source
from .ties import Citation, Involvement

__all__ = [
    "INCIDENT_CONTENT_FIELDS",
    "LATITUDE_VALIDATORS",
    "LONGITUDE_VALIDATORS",
    "UNPLACED_CELL",
    "Actor",
    "Citation",
    "ClusterCell",
    "DataVersion",
    "ExternalReport",
    "GeocodeAnswer",
    "Incident",
    "IncidentQuerySet",
    "Involvement",
    "MergeProposal",
    "NamedQuerySet",
    "OfficialTotal",
    "Site",
    "Source",
    "build_search_text",
    "incident_search_text",
]
