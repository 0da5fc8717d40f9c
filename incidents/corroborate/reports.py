"""Reports from what the doors hold: an incident being entered (its fields, sites
and actors, as the admin form and the API have them) or one already saved."""

import datetime
from collections.abc import Iterable

from ..models import Incident, Involvement
from .matching import Report

_SIDE_ONE = {
    Involvement.Role.PERPETRATOR,
    Involvement.Role.CLAIMED_BY,
    Involvement.Role.ATTRIBUTED_TO,
}


def report_for_entry(
    *,
    fields: dict,
    site_ids: Iterable[int] = (),
    actor_roles: Iterable[tuple[int, str]] = (),
    exclude_id: int | None = None,
) -> Report | None:
    """The report an entry makes (``fields`` as in ``INCIDENT_CONTENT_FIELDS``),
    or None without a date, which nothing can be matched on."""
    occurred_on = fields.get("occurred_on")
    if not isinstance(occurred_on, datetime.date):
        return None
    latitude, longitude = fields.get("latitude"), fields.get("longitude")
    return Report(
        occurred_on=occurred_on,
        date_precision=fields.get("date_precision") or "day",
        event_type=fields.get("event_type") or "other",
        weapon=fields.get("weapon") or "",
        site_ids=tuple(dict.fromkeys(site_ids)),
        point=None if latitude is None or longitude is None else (longitude, latitude),
        precision_m=fields.get("precision_m"),
        actor_ids=tuple(a for a, role in actor_roles if role in _SIDE_ONE),
        exclude_ids=() if exclude_id is None else (exclude_id,),
    )


def report_for_incident(incident: Incident) -> Report:
    """The report a saved incident makes, never matching itself."""
    fields = {
        name: getattr(incident, name)
        for name in (
            "occurred_on",
            "date_precision",
            "event_type",
            "weapon",
            "latitude",
            "longitude",
            "precision_m",
        )
    }
    report = report_for_entry(
        fields=fields,
        site_ids=incident.sites.values_list("pk", flat=True),
        actor_roles=incident.involvements.values_list("actor_id", "role"),
        exclude_id=incident.pk,
    )
    assert report is not None, "a saved incident always has its date"
    return report
