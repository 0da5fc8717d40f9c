"""Look a place name up in the offline gazetteer (``incidents.geo.gazetteer``)."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.geo.gazetteer import GazetteerGeocoder


class Command(BaseCommand):
    help = (
        "Find the site a place name (English, Arabic or any alias, spelled any common "
        "way) refers to, offline, and print its slug, point and how it matched. "
        "Fails when no single site matches."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help='The place name, e.g. "قاعدة عين الأسد".')
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON object instead of text.",
        )

    def handle(self, *args, query: str, as_json: bool, **options):
        geocoder = GazetteerGeocoder()
        try:
            found = geocoder.match(query)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if found is None:
            raise CommandError(
                f"No site matches {query.strip()!r} (or several match equally)."
            )
        result = {
            "query": query,
            "geocoder": geocoder.name,
            "slug": found.slug,
            "name": found.name,
            "latitude": found.latitude,
            "longitude": found.longitude,
            "precision_m": found.precision_m,
            "method": found.method,
            "score": found.score,
            "matched_name": found.matched_name,
        }
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if found.has_location:
            latitude, longitude = str(found.latitude), str(found.longitude)
        else:
            latitude = longitude = "unknown (the site has no point yet)"
        precision = (
            f"{found.precision_m} m" if found.precision_m is not None else "unknown"
        )
        lines = [
            f"slug: {found.slug}",
            f"name: {found.name}",
            f"latitude: {latitude}",
            f"longitude: {longitude}",
            f"precision: {precision}",
            f"geocoder: {geocoder.name}",
            f"method: {found.method} (score {found.score:.2f}, "
            f"matched {found.matched_name!r})",
        ]
        self.stdout.write("\n".join(lines))
