"""Back the whole database up into one gzipped JSON file (``incidents.backup``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from incidents.backup import database_backup


class Command(BaseCommand):
    help = (
        "Write the whole database, history, users and groups included, to a "
        "gzipped JSON file that `restore` loads into SQLite or PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="e.g. basewatch-2026-11-24.json.gz")

    def handle(self, *args, file: Path, **options):
        size = database_backup(path=file)
        self.stdout.write(f"Backed up to {file} ({size:,} bytes).")
