"""RFC 7946 GeoJSON for sites and incidents, serialised with orjson.

Positions are ``[longitude, latitude]`` (the RFC's order, the reverse of Leaflet's),
rounded to 6 decimals (about 0.1 m, far finer than any precision we record, and it
keeps the payload small). A row without a point is still a feature, with
``"geometry": null`` as RFC 7946 section 3.2 allows: a site known only by name and an
incident nobody could place are facts a reader must see, not rows to drop.

The functions take rows from ``incidents.selectors`` and rely on what those
querysets carry (``attack_count``, ``confidence_level`` and the prefetched
relations); given other rows they still work, one query per relation per row.
"""

from collections.abc import Iterable
from typing import Any

import orjson

from .models import Incident, Site

COORDINATE_DECIMALS = 6


def point(*, longitude: float | None, latitude: float | None) -> dict | None:
    """A GeoJSON Point, or ``None`` when the location is unknown."""
    if longitude is None or latitude is None:
        return None
    return {
        "type": "Point",
        "coordinates": [
            round(longitude, COORDINATE_DECIMALS),
            round(latitude, COORDINATE_DECIMALS),
        ],
    }


def feature(*, feature_id: Any, geometry: dict | None, properties: dict) -> dict:
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": geometry,
        "properties": properties,
    }


def feature_collection(features: Iterable[dict]) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def site_feature(site: Site) -> dict:
    return feature(
        feature_id=site.slug,
        geometry=point(longitude=site.longitude, latitude=site.latitude),
        properties={
            "slug": site.slug,
            "name": site.name,
            "name_ar": site.name_ar,
            "kind": site.kind,
            "country": site.country,
            "admin1": site.admin1,
            "precision_m": site.precision_m,
            "location_source": site.location_source,
            "attack_count": site.attack_count,
        },
    )


def incident_feature(incident: Incident) -> dict:
    return feature(
        feature_id=incident.pk,
        geometry=point(longitude=incident.longitude, latitude=incident.latitude),
        properties={
            "id": incident.pk,
            "occurred_on": incident.occurred_on,
            "date_precision": incident.date_precision,
            "event_type": incident.event_type,
            "weapon": incident.weapon,
            "country": incident.country,
            # None and 0 stay distinct: "not reported" versus "reported as none".
            "injured": incident.injured,
            "killed": incident.killed,
            "summary": incident.summary,
            "confidence": incident.confidence_level,
            "sites": [{"slug": s.slug, "name": s.name} for s in incident.sites.all()],
            "actors": [
                {"slug": i.actor.slug, "name": i.actor.name, "role": i.role}
                for i in incident.involvements.all()
            ],
            "sources": [
                {
                    "url": c.source.url,
                    "publisher": c.source.publisher,
                    "title": c.source.title,
                    "language": c.source.language,
                    "stance": c.stance,
                    "note": c.note,
                }
                for c in incident.citations.all()
            ],
        },
    )


def map_payload(*, sites: Iterable[Site], incidents: Iterable[Incident]) -> bytes:
    """The map page's data: ``{"sites": FeatureCollection, "incidents": ...}``."""
    return orjson.dumps(
        {
            "sites": feature_collection(site_feature(s) for s in sites),
            "incidents": feature_collection(incident_feature(i) for i in incidents),
        }
    )
