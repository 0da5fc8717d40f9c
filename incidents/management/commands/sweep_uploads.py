"""Delete admin upload previews left unconfirmed past ``BASEWATCH_UPLOAD_TTL_HOURS``
(``incidents.ingest.uploads``); for cron on a server where nobody uploads for days."""

from django.core.management.base import BaseCommand

from incidents.ingest import uploads


class Command(BaseCommand):
    help = "Delete ACLED upload previews older than BASEWATCH_UPLOAD_TTL_HOURS."

    def handle(self, *args, **options):
        removed = uploads.sweep()
        self.stdout.write(
            f"Deleted {removed} abandoned upload(s) in {uploads.upload_dir()}."
        )
