"""Look a place name up: the offline gazetteer, then any online geocoder
``BASEWATCH_GEOCODERS`` allows (``incidents.geo.chain``)."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.geo.chain import GeocoderChain


class Command(BaseCommand):
    help = (
        "Find where a place name (English, Arabic or any alias, spelled any common "
        "way) is: the site it names in the offline gazetteer, or else an answer from "
        "the online geocoders BASEWATCH_GEOCODERS allows (none by default). Prints "
        "the point, its precision, which geocoder answered and how, and how sure "
        "the answer is (certain, likely, possible, with a caution where a town and "
        "a base share the name); fails when nothing matches, naming the sites an "
        "ambiguous name could be."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help='The place name, e.g. "قاعدة عين الأسد".')
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON object instead of text.",
        )
        parser.add_argument(
            "--offline",
            action="store_true",
            help="Ask the gazetteer only, even when online geocoders are configured.",
        )

    def handle(self, *args, query: str, as_json: bool, offline: bool, **options):
        chain = GeocoderChain(online=[]) if offline else GeocoderChain()
        try:
            outcome = chain.lookup(query)
        except ValueError as error:
            raise CommandError(str(error)) from error
        result = describe(outcome)
        if result is None:
            tried = ", ".join(outcome.tried)
            errors = "".join(f"\n  {error}" for error in outcome.errors)
            if outcome.candidates:
                if as_json:
                    self.stdout.write(
                        json.dumps(ambiguous(outcome), ensure_ascii=False)
                    )
                raise CommandError(
                    f"{outcome.query!r} could be any of: "
                    f"{', '.join(outcome.candidates)}; name one more exactly. "
                    f"Tried: {tried}.{errors}"
                )
            raise CommandError(
                f"No site matches {outcome.query!r}; tried: {tried}.{errors}"
            )
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(as_text(result))


def describe(outcome) -> dict | None:
    """The best answer as one flat dict, or None when nothing matched.

    A name that is a known site without a point, placed by an online geocoder,
    keeps the site's slug and name beside the online answer's point.
    """
    answer = outcome.result
    site = answer.site if answer and answer.site else outcome.site_without_point
    if answer is None and site is None:
        return None
    online = answer is not None and answer.site is None
    return {
        "query": outcome.query,
        "slug": site.slug if site else None,
        "name": site.name if site else answer.address,
        "latitude": answer.latitude if answer else None,
        "longitude": answer.longitude if answer else None,
        "precision_m": answer.precision_m if answer else site.precision_m,
        "geocoder": answer.geocoder if answer else "gazetteer",
        "method": "online" if online else site.method,
        "score": None if online else site.score,
        "matched_name": None if online else site.matched_name,
        # An online geocoder's answer has no measure of its own: it is what that
        # service returned for the text, for a person to check.
        "certainty": None if online else site.certainty,
        "caution": None if online else site.caution,
        "address": answer.address if online else None,
        "cached": answer.cached if answer else False,
        "answered_at": (
            answer.answered_at.isoformat() if answer and answer.answered_at else None
        ),
        "tried": outcome.tried,
        "errors": outcome.errors,
    }


def ambiguous(outcome) -> dict:
    """The JSON for a name several sites match equally: no guess, the candidates."""
    return {
        "query": outcome.query,
        "slug": None,
        "certainty": "ambiguous",
        "candidates": outcome.candidates,
        "tried": outcome.tried,
        "errors": outcome.errors,
    }


def as_text(result: dict) -> str:
    if result["latitude"] is not None:
        latitude, longitude = str(result["latitude"]), str(result["longitude"])
    else:
        latitude = longitude = "unknown (the site has no point yet)"
    precision = (
        f"{result['precision_m']} m" if result["precision_m"] is not None else "unknown"
    )
    lines = []
    if result["slug"]:
        lines.append(f"slug: {result['slug']}")
    lines += [
        f"name: {result['name']}",
        f"latitude: {latitude}",
        f"longitude: {longitude}",
        f"precision: {precision}",
        f"geocoder: {result['geocoder']}",
    ]
    if result["score"] is not None:
        lines.append(
            f"method: {result['method']} (score {result['score']:.2f}, "
            f"matched {result['matched_name']!r})"
        )
    else:
        kept = " (kept answer)" if result["cached"] else ""
        lines.append(f"method: online, answered {result['answered_at']}{kept}")
        lines.append(f"address: {result['address']}")
    if result["certainty"]:
        lines.append(f"certainty: {result['certainty']}")
    if result["caution"]:
        lines.append(f"caution: {result['caution']}")
    lines += [f"error: {error}" for error in result["errors"]]
    return "\n".join(lines)
