"""Restore a backup written by ``backup`` into an empty, migrated database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.backup import RestoreRefused, database_restore


class Command(BaseCommand):
    help = (
        "Load a `backup` file into a freshly migrated, empty database, all or "
        "nothing (run `migrate` first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            database_restore(path=file)
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}.")
