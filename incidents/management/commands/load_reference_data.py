"""Load the committed reference fixtures into an empty database (never over data)."""

from django.core.management.base import BaseCommand

from incidents.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the reference fixtures (fixtures/sites.json, actors.json, "
        "incidents.json, official_totals.json, merge_proposals.json), but only when "
        "the database holds no sites, actors, sources or incidents yet."
    )

    def handle(self, *args, **options):
        result = reference_data_load()
        verb = "Loaded reference data" if result.loaded else "Skipped reference data"
        if options["verbosity"] > 0:
            self.stdout.write(f"{verb}: {result.reason}.")
