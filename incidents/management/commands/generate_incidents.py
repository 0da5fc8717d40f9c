"""Insert or remove synthetic incidents for benchmarks (``incidents.synthetic``)."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.services import database_refresh_statistics
from incidents.synthetic import (
    ReferenceDataMissing,
    SyntheticSeedInUse,
    generate_synthetic,
    remove_synthetic,
)


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Generate synthetic incidents clustered around the reference sites (external "
        "ids SYN-<seed>-<n>, sources under https://synthetic.invalid/), or remove "
        "every synthetic row with --remove. Needs load_reference_data first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count",
            type=_non_negative,
            default=None,
            help="How many incidents to generate.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help="Random seed; the same seed gives the same incidents (default 0).",
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Delete every synthetic incident and source first (alone: only that).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print a JSON summary instead of text.",
        )

    def handle(self, *args, count, seed, remove, as_json: bool, **options):
        if count is None and not remove:
            raise CommandError("give --count N (or --remove)")
        summary: dict = {}
        if remove:
            removed = remove_synthetic()
            summary["removed"] = {
                "incidents": removed.incidents,
                "site_links": removed.site_links,
                "involvements": removed.involvements,
                "citations": removed.citations,
                "sources": removed.sources,
                "seconds": round(removed.seconds, 3),
            }
            if not as_json:
                self.stdout.write(
                    f"Removed {removed.incidents} synthetic incidents and "
                    f"{removed.sources} synthetic sources in {removed.seconds:.1f} s."
                )
        if count is not None:
            try:
                result = generate_synthetic(count=count, seed=seed)
            except (ReferenceDataMissing, SyntheticSeedInUse) as exc:
                raise CommandError(str(exc)) from exc
            database_refresh_statistics()
            summary["generated"] = {
                "seed": result.seed,
                "incidents": result.incidents,
                "site_links": result.site_links,
                "involvements": result.involvements,
                "citations": result.citations,
                "sources_created": result.sources_created,
                "rows": result.rows,
                "seconds": round(result.seconds, 3),
                "incidents_per_second": round(result.incidents_per_second),
            }
            if not as_json:
                self.stdout.write(
                    f"Generated {result.incidents} synthetic incidents (seed "
                    f"{result.seed}) with {result.site_links} site links, "
                    f"{result.involvements} involvements and {result.citations} "
                    f"citations in {result.seconds:.1f} s: "
                    f"{result.incidents_per_second:,.0f} incidents/s, "
                    f"{result.rows / result.seconds if result.seconds else 0:,.0f} "
                    "rows/s."
                )
        if as_json:
            self.stdout.write(json.dumps(summary, indent=2))
