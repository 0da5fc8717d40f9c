"""An ACLED row as a report ``incidents.corroborate`` matches against the incidents
on record: its date and precision, kind, weapon, site (or, without one, its
point) and the actors ACLED says did it."""

from incidents.corroborate import Report
from incidents.models import Involvement

from .changes import Relations
from .columns import AcledRow


def row_report(row: AcledRow, rel: Relations) -> Report:
    """The row as a report for ``incidents.corroborate``: what it is matched on."""
    fields = rel.fields
    return Report(
        occurred_on=fields["occurred_on"],
        date_precision=fields["date_precision"],
        event_type=fields["event_type"],
        weapon=fields["weapon"],
        site_ids=() if rel.site is None else (rel.site,),
        point=None
        if row.longitude is None
        else (row.longitude, row.latitude),  # only used without a site
        precision_m=fields["precision_m"],
        actor_ids=tuple(
            actor for actor, role in rel.actors if role == Involvement.Role.PERPETRATOR
        ),
    )
