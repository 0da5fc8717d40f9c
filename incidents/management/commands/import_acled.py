"""Import an ACLED CSV export: all or nothing, see ``incidents.ingest.acled``."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.ingest.acled import import_acled
from incidents.ingest.acled.importer import IMPORT_STATUSES


class Command(BaseCommand):
    help = (
        "Import an ACLED CSV export (any column order, UTF-8 with or without BOM). "
        "Rows are matched on event_id_cnty and updated only when their timestamp is "
        "newer; a new event that is a second report of one incident on record is "
        "attached to it. A new row about no tracked site (a protest, a killing in a "
        "town, a battle far from every base) is skipped and listed, unless --all. "
        "A file with any bad row imports nothing: every bad line is "
        "listed and the command fails. Without --user the import runs as the "
        "system; with it, as that user, with that user's rights (an editor's file "
        "that would change a published incident imports nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The ACLED CSV file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would change; write nothing.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print the report as one JSON object.",
        )
        parser.add_argument(
            "--status",
            choices=sorted(IMPORT_STATUSES),
            default="review",
            help="Status of the incidents created (default: review).",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="take_all",
            help="Also import the rows about no tracked site (linked to no site); "
            "by default they are skipped and listed.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this user: recorded in the history, and held to the "
            "user's rights as in the admin.",
        )

    def handle(
        self,
        *args,
        file: str,
        dry_run: bool,
        as_json: bool,
        status: str,
        user: str | None,
        take_all: bool,
        **options,
    ):
        person = None
        if user is not None:
            person = get_user_model().objects.filter(username=user).first()
            if person is None or not person.is_active:
                raise CommandError(f"--user: no active user {user!r}")
        try:
            report = import_acled(
                file, dry_run=dry_run, status=status, user=person, take_all=take_all
            )
        except PermissionDenied as refused:
            raise CommandError(f"--status {status}: {refused}") from refused
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for line in report.summary_lines():
                self.stdout.write(line)
        if not report.ok:
            problem = report.file_error or f"{len(report.errors)} bad row(s)"
            raise CommandError(f"{file}: {problem}; nothing was imported")
