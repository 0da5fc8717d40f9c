"""Tiny factories for tests: real rows in the real database, sensible defaults."""

import datetime
import itertools

from incidents.models import Actor, Citation, Incident, Involvement, Site, Source

_counter = itertools.count(1)


def site(**fields) -> Site:
    n = next(_counter)
    defaults = {
        "slug": f"site-{n}",
        "name": f"Site {n}",
        "kind": Site.Kind.BASE,
        "country": "SY",
        "latitude": 35.0,
        "longitude": 40.0,
        "precision_m": 1000,
        # A site of the gazetteer, as most tests need: pass reference=False for
        # one made for a draft, which readers see only once it is published.
        "reference": True,
    }
    return Site.objects.create(**{**defaults, **fields})


def actor(**fields) -> Actor:
    n = next(_counter)
    defaults = {
        "slug": f"actor-{n}",
        "name": f"Actor {n}",
        "kind": Actor.Kind.ARMED_GROUP,
        "reference": True,  # as for sites
    }
    return Actor.objects.create(**{**defaults, **fields})


def source(**fields) -> Source:
    n = next(_counter)
    defaults = {"url": f"https://example.org/report/{n}", "publisher": "example.org"}
    return Source.objects.create(**{**defaults, **fields})


def incident(*, sites=(), citations=(), involvements=(), **fields) -> Incident:
    """An incident. ``citations``: (source, stance); ``involvements``: (actor, role).

    A ``merged`` one without ``merged_into`` is the tombstone of a new published
    survivor (the database holds every tombstone to naming one)."""
    if fields.get("status") == Incident.Status.MERGED and "merged_into" not in fields:
        fields["merged_into"] = incident()
    defaults = {
        "occurred_on": datetime.date(2023, 11, 15),
        "event_type": Incident.EventType.ATTACK,
        "weapon": Incident.Weapon.ROCKET,
        "status": Incident.Status.PUBLISHED,
        "country": "SY",
        "latitude": 35.0,
        "longitude": 40.0,
    }
    obj = Incident.objects.create(**{**defaults, **fields})
    # Link rows in the given order ("the first site" is the first linked);
    # sites.set() goes through a set and would shuffle them by primary key.
    through = Incident.sites.through
    through.objects.bulk_create([through(incident=obj, site=site) for site in sites])
    for src, stance in citations:
        Citation.objects.create(incident=obj, source=src, stance=stance)
    for act, role in involvements:
        Involvement.objects.create(incident=obj, actor=act, role=role)
    return obj
