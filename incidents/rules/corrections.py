"""An incident's public corrections log, read from its history: what changed in its
facts after it was first published, when, and its retraction with the reason.

Only facts are listed (date, type, weapon, place, casualties, damage, summary,
and which sites it concerns):
who edited and internal fields stay internal. Changes made before publication are
drafting, not corrections, and are left out. Old and new values are shown: both
were public. A record a data migration wrote only to move words without changing
what the incident says (``UNLISTED_REASONS``) stays in the admin's history but is
no public correction: listing it would show the moved words again.
"""

from dataclasses import dataclass, field
from datetime import datetime

from ..models import INCIDENT_CONTENT_FIELDS, Incident

# Every field an editor writes, but the workflow state and our bookkeeping id.
FACT_FIELDS = tuple(
    name for name in INCIDENT_CONTENT_FIELDS if name not in ("status", "external_id")
)

# history_change_reason of such records; each migration keeps its own frozen copy
# (a test checks they agree).
UNLISTED_REASONS = frozenset(
    {"Research tag moved from the summary to the citations' notes (issue 20)"}
)


@dataclass(frozen=True)
class FactChange:
    field: str
    old: object
    new: object


@dataclass
class Correction:
    when: datetime
    kind: str  # "correction", "retraction" or "reinstatement"
    changes: list[FactChange] = field(default_factory=list)
    reason: str = ""


def incident_corrections(*, incident: Incident) -> list[Correction]:
    """Oldest first."""
    records = list(incident.history.order_by("history_date", "history_id"))
    published = False
    log: list[Correction] = []
    previous = None
    for record in records:
        unlisted = record.history_change_reason in UNLISTED_REASONS
        if published and previous is not None and not unlisted:
            changes = [
                FactChange(name, getattr(previous, name), getattr(record, name))
                for name in FACT_FIELDS
                if getattr(previous, name) != getattr(record, name)
            ]
            old_sites, new_sites = _site_names(previous), _site_names(record)
            if old_sites != new_sites:
                changes.append(FactChange("sites", old_sites, new_sites))
            if changes:
                log.append(Correction(record.history_date, "correction", changes))
            if (
                record.status == Incident.Status.RETRACTED
                and previous.status != Incident.Status.RETRACTED
            ):
                log.append(
                    Correction(
                        record.history_date,
                        "retraction",
                        reason=record.retraction_reason,
                    )
                )
            if (
                previous.status == Incident.Status.RETRACTED
                and record.status == Incident.Status.PUBLISHED
            ):
                log.append(Correction(record.history_date, "reinstatement"))
        published = published or record.status == Incident.Status.PUBLISHED
        previous = record
    return log


def _site_names(record) -> str:
    """The sites a historical record links, by name, as one comparable text."""
    # One query per record: an incident has a handful, and simple-history's
    # per-record manager cannot be prefetched.
    links = record.sites.select_related("site")
    names = sorted(link.site.name for link in links if link.site)
    return ", ".join(names)
