"""Rebuild fixtures/*.json from the repository's reference data in data/ (and
data/seed/, the seed article): the copy import_reference_data made."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents.ingest.reference.fixtures import build_reference_fixtures
from incidents.ingest.reference.records import ReferenceDataError

DATA = Path(settings.BASE_DIR) / "data"


class Command(BaseCommand):
    help = (
        "Build the reference fixtures (sites, actors, incidents, sources, merge "
        "proposals) from the CSVs in data/ and the seed article in data/seed/. "
        "--check compares instead of writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=DATA)
        parser.add_argument("--seed", type=Path, default=DATA / "seed")
        parser.add_argument(
            "--output", type=Path, default=Path(settings.BASE_DIR) / "fixtures"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero when the committed fixtures differ from a rebuild.",
        )

    def handle(self, *args, data: Path, seed: Path, output: Path, check: bool, **opts):
        try:
            built = build_reference_fixtures(data_dir=data, seed_dir=seed)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        if check:
            stale = [
                name
                for name, text in built.items()
                if not (output / name).is_file()
                or (output / name).read_text(encoding="utf-8") != text
            ]
            if stale:
                raise CommandError(
                    f"out of date: {', '.join(stale)}; run build_fixtures"
                )
            self.stdout.write("fixtures are up to date")
            return
        # Build everything first, then write: a bad input file writes nothing.
        output.mkdir(parents=True, exist_ok=True)
        for name, text in built.items():
            (output / name).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {output / name}")
