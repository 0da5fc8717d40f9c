"""Read a news article and print the draft incidents it describes, each with the
incidents on record it may describe again (``matches``); saves nothing (an editor
accepts proposals in the admin, which calls ``accept_article``)."""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.ingest.article import (
    ArticleExtraction,
    extract_article,
    match_proposals,
)


def _read(path: str) -> str:
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path} is not UTF-8 text (byte {error.start} cannot be decoded); "
            "save the article as UTF-8 and try again."
        ) from error


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--published {value!r} is not a date: use YYYY-MM-DD, e.g. 2023-11-18."
        ) from error


class Command(BaseCommand):
    help = (
        "Read an Arabic or English news article (a UTF-8 file, or - for stdin) and "
        "list the sites, actors and running totals it names and the draft incidents "
        "it describes, each with its evidence and the incidents on record it may "
        "describe again (matches). Saves nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='The article, a UTF-8 text file; "-" = stdin.')
        parser.add_argument(
            "--published",
            metavar="YYYY-MM-DD",
            help="When the article was published, if known (optional): weekdays, "
            "'yesterday' and dates without a year are read against it. Without it "
            "the reference date is then read from the text (a date line, 'اليوم' "
            "with a date, the latest full date); with none there, drafts nothing "
            "else dates are of unknown date. The output says which date was used "
            "and why.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON object instead of text.",
        )

    def handle(self, *args, file: str, published: str | None, as_json: bool, **opts):
        day = _date(published)
        text = _read(file)
        try:
            extraction = extract_article(text, published=day)
        except ValueError as error:
            raise CommandError(str(error)) from error
        match_proposals(extraction)
        if as_json:
            self.stdout.write(
                json.dumps(extraction.as_dict(), ensure_ascii=False, indent=2)
            )
            return
        for line in describe(extraction):
            self.stdout.write(line)


def describe(extraction: ArticleExtraction) -> list[str]:
    """The extraction as lines of text for an editor reading a terminal."""
    published = extraction.published
    reference = extraction.reference_date
    lines = [
        f"Language: {extraction.language}",
        f"Published: {published.isoformat() if published else 'not given'}",
        f"Reference date: {reference.isoformat() if reference else 'unknown'} "
        f"({extraction.reference_evidence})",
        f"Title: {extraction.title}",
        "",
        "Sites named:",
    ]
    seen: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for site in extraction.sites:
        seen.setdefault(site.slug, []).append(site.text)
        names[site.slug] = site.name
    for slug, texts in seen.items():
        written = ", ".join(dict.fromkeys(texts))
        lines.append(f"  {slug}: {names[slug]} (as {written})")
    if not seen:
        lines.append("  none")
    actors = list(dict.fromkeys((a.slug, a.name) for a in extraction.actors))
    lines += ["", "Actors named:"]
    lines += [f"  {slug}: {name}" for slug, name in actors] or ["  none"]
    lines += ["", "Proposed incidents:"]
    for number, p in enumerate(extraction.proposals):
        actor_text = ", ".join(f"{slug} ({role})" for slug, role in p.actors)
        lines += [
            f"  [{number}] {_day(p.occurred_on)} ({p.date_precision}) "
            f"{p.event_type}" + (f", weapon {p.weapon}" if p.weapon else ""),
            f"      date: {p.date_evidence}",
            f"      sites: {', '.join(p.sites) or '-'}",
            f"      actors: {actor_text or '-'}",
            f"      injured: {_count(p.injured)}, killed: {_count(p.killed)}",
            f"      stance: {p.stance}",
        ]
        lines += [f"      note: {note}" for note in p.notes]
        lines += [f"      evidence: {' '.join(e.split())}" for e in p.evidence]
        lines += _matches(p)
    if not extraction.proposals:
        lines.append("  none")
    lines += ["", "Totals (not incidents):"]
    lines += [
        f"  {t.number} {t.counts}: {' '.join(t.text.split())}"
        for t in extraction.totals
    ] or ["  none"]
    return lines


def _matches(proposal) -> list[str]:
    if not proposal.match_details:
        return ["      on record: no match"]
    lines = []
    for match in proposal.match_details:
        suggested = " (suggested)" if match.incident == proposal.suggested_match else ""
        lines.append(
            f"      on record: #{match.incident}{suggested} {match.strength}, "
            f"{match.occurred_on.isoformat()} ({match.date_precision}) "
            f"{match.event_type}"
            + (f", weapon {match.weapon}" if match.weapon else "")
            + f", sites {', '.join(match.sites) or '-'}, {match.status}"
        )
        lines.append(f"        how: {match.how}")
    return lines


def _count(value: int | None) -> str:
    return "not reported" if value is None else str(value)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "date unknown"
