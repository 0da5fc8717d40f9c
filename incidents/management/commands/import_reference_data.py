"""Copy the shared reference folder into data/ (all or nothing, with provenance)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents.ingest.reference.data_copy import PROVENANCE, reference_data_copy
from incidents.ingest.reference.records import ReferenceDataError


class Command(BaseCommand):
    help = (
        "Copy the project's shared reference folder (its data/ and seed/) into the "
        "repository's data/, recording each file's origin, size and sha256 in "
        f"data/{PROVENANCE}. All or nothing: a failed copy leaves data/ as it was. "
        "Then run build_fixtures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source",
            type=Path,
            required=True,
            help="The shared reference folder, holding data/ and seed/ "
            "(e.g. /path/to/shared).",
        )
        parser.add_argument(
            "--to",
            dest="target",
            type=Path,
            default=Path(settings.BASE_DIR) / "data",
            help="Where the copy goes (default: the repository's data/).",
        )
        parser.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="Print what was copied as JSON.",
        )

    def handle(self, *args, source: Path, target: Path, as_json: bool, **opts):
        try:
            copied = reference_data_copy(source=source, target=target)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"copy failed, {target} unchanged: {exc}") from exc
        if as_json:
            self.stdout.write(json.dumps([vars(f) for f in copied], indent=2))
            return
        for f in copied:
            self.stdout.write(f"{f.sha256}  {f.path}  ({f.size} bytes)")
        self.stdout.write(
            f"copied {len(copied)} files into {target}; provenance in "
            f"{target / PROVENANCE}. Now run build_fixtures."
        )
