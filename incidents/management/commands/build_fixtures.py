"""Rebuild fixtures/*.json from the reference data in ../shared (data and seed)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents.ingest.reference import build_reference_fixtures
from incidents.ingest.reference_records import ReferenceDataError

SHARED = Path(settings.BASE_DIR).parent / "shared"


class Command(BaseCommand):
    help = (
        "Build the reference fixtures (sites, actors, incidents, sources) from the "
        "shared CSVs and the seed article. --check compares instead of writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=SHARED / "data")
        parser.add_argument("--seed", type=Path, default=SHARED / "seed")
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
