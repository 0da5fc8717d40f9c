"""The seed article's events as reference fixtures: each incident cites the
article (``data/seed``) with the Arabic sentence it rests on; which events,
sites, actors and quotes is ``catalog.SEED_EVENTS``. A quote missing
from the article is an error, so a changed article cannot silently lose evidence.
"""

from pathlib import Path

from . import catalog
from .records import (
    Fixtures,
    ReferenceDataError,
    incident_fields,
    located,
)


def read_seed_article(seed_dir: Path) -> tuple[str, str]:
    """The seed article's headline and full text."""
    path = seed_dir / catalog.SEED_ARTICLE["file"]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read ({exc})") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Line 1 is the site's section label ("العراقسياسة"); line 2 is the headline.
    if len(lines) < 2:
        raise ReferenceDataError(f"{path.name}: no headline found")
    return lines[1], text


def build_seed_events(
    seed_dir: Path,
    fixtures: Fixtures,
    sites: dict[str, dict],
    actors: dict[str, int],
) -> None:
    headline, text = read_seed_article(seed_dir)
    article_pk = fixtures.add(
        "incidents.json",
        "source",
        {
            "url": "",
            "publisher": catalog.SEED_ARTICLE["publisher"],
            "title": headline,
            "language": catalog.SEED_ARTICLE["language"],
            # The article gives no date of its own; it reports Saturday 18 November
            # as past, so it appeared on or after that day. Left unknown.
            "published_on": None,
            "kind": catalog.SEED_ARTICLE["kind"],
            "archived_url": "",
        },
    )
    for event in catalog.SEED_EVENTS:
        if event.quote not in text:
            raise ReferenceDataError(
                f"seed event {event.external_id}: quote not in article"
            )
        site_rows = [sites[slug] for slug in event.sites]
        incident_pk = fixtures.add(
            "incidents.json",
            "incident",
            incident_fields(
                occurred_on=event.occurred_on.isoformat(),
                event_type=event.event_type,
                weapon=event.weapon,
                sites=[s["pk"] for s in site_rows],
                country=event.country,
                summary=event.summary,
                external_id=event.external_id,
                **located(site_rows),
            ),
        )
        fixtures.add_citation(incident_pk, article_pk, "reports", quote=event.quote)
        for slug, role, note in event.involvements:
            fixtures.add_involvement(incident_pk, actors[slug], role, note)
