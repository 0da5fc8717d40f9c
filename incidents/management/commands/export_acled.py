"""Write incidents as an ACLED-style CSV, streaming: see ``incidents.ingest.acled``."""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents import selectors
from incidents.ingest.acled import write_acled_csv
from incidents.models import Incident


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2023-11-15") from None


class Command(BaseCommand):
    help = (
        "Write incidents as an ACLED-style CSV (ACLED's 31 columns and order) to "
        "stdout or --output. Published incidents only unless --status says otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="File to write (default: stdout).")
        parser.add_argument(
            "--status",
            # ACLED cannot say "withdrawn": retracted incidents and merged
            # tombstones are never written.
            choices=[
                choice
                for choice, _label in Incident.Status.choices
                if choice not in (Incident.Status.RETRACTED, Incident.Status.MERGED)
            ],
            default=Incident.Status.PUBLISHED,
            help="Which incidents (default: published; retracted or merged ones "
            "never).",
        )
        parser.add_argument("--date-from", type=_date, help="First day, YYYY-MM-DD.")
        parser.add_argument("--date-to", type=_date, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--site", help="Only incidents at the site with this slug.")

    def handle(self, *args, output, status, date_from, date_to, site, **options):
        filters = selectors.IncidentFilters(
            date_from=date_from,
            date_to=date_to,
            sites=(site,) if site else (),
            statuses=(status,),
        )
        try:
            incidents = selectors.incident_filter(
                queryset=Incident.objects.all(), filters=filters, every_place=True
            )
        except selectors.UnknownReference:
            raise CommandError(f"no site has the slug {site!r}") from None
        incidents = incidents.order_by("occurred_on", "pk")
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                rows = write_acled_csv(incidents, handle)
            self.stderr.write(f"{rows} incident(s) written to {output}")
        else:
            # Every line ends in "\r\n", so OutputWrapper adds no newline of its own.
            write_acled_csv(incidents, self.stdout)
