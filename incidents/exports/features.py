"""The fast path: GeoJSON features built from ``values()`` rows, not serializer calls.

A page of 10,000 incidents through a DRF ``ModelSerializer`` costs one Python object,
one serializer and several related-object lookups per row. Here it costs four SQL
queries in all (the page, then its sites, actors and citations, each fetched for every
id of the page at once with the ids bound as one parameter), plain dicts, and one
``orjson.dumps``. ``bench/api.py`` measures it.

Confidence is derived in Python from the citation rows already fetched, with the same
rule as the SQL annotation (``rules.confidence``; a test holds them together), so
reading a page never pays for three correlated subqueries per row.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from ..models import INCIDENT_CONTENT_FIELDS, Citation, Incident, Involvement, Site
from ..rules.confidence import derive_confidence
from ..sql_ids import column_in_ids
from .geojson import point

INCIDENT_COLUMNS = ("id", *INCIDENT_CONTENT_FIELDS, "updated_at")
SITE_COLUMNS = (
    "id",
    "slug",
    "name",
    "name_ar",
    "aliases",
    "kind",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "precision_m",
    "location_source",
)
SOURCE_COLUMNS = (
    "id",
    "url",
    "publisher",
    "title",
    "language",
    "published_on",
    "kind",
    "stance",
    "quote",
    "note",
)


def _of_page(model, ids: Sequence[int]) -> RawSQL:
    """``incident_id`` is one of the page's ``ids`` (see ``incidents.sql_ids``)."""
    return column_in_ids(model._meta.db_table, "incident_id", ids)


def _related(ids: Sequence[int]) -> tuple[dict, dict, dict]:
    """Sites, actors and sources of the incidents, grouped by incident id."""
    sites: defaultdict[int, list[dict]] = defaultdict(list)
    actors: defaultdict[int, list[dict]] = defaultdict(list)
    sources: defaultdict[int, list[dict]] = defaultdict(list)
    if not ids:
        return sites, actors, sources
    through = Incident.sites.through
    for incident_id, slug, name, name_ar in (
        through.objects.filter(_of_page(through, ids))
        .order_by("id")
        .values_list("incident_id", "site__slug", "site__name", "site__name_ar")
    ):
        sites[incident_id].append({"slug": slug, "name": name, "name_ar": name_ar})
    for incident_id, slug, name, name_ar, role, note in (
        Involvement.objects.filter(_of_page(Involvement, ids))
        .order_by("id")
        .values_list(
            "incident_id",
            "actor__slug",
            "actor__name",
            "actor__name_ar",
            "role",
            "note",
        )
    ):
        actors[incident_id].append(
            {"slug": slug, "name": name, "name_ar": name_ar, "role": role, "note": note}
        )
    for incident_id, *values in (
        Citation.objects.filter(_of_page(Citation, ids))
        .order_by("id")
        .values_list(
            "incident_id",
            "source_id",
            "source__url",
            "source__publisher",
            "source__title",
            "source__language",
            "source__published_on",
            "source__kind",
            "stance",
            "quote",
            "note",
        )
    ):
        sources[incident_id].append(dict(zip(SOURCE_COLUMNS, values, strict=True)))
    return sites, actors, sources


# Statuses whose incidents are shown as tombstones only: gone from the record.
TOMBSTONE_STATUSES = frozenset({Incident.Status.RETRACTED, Incident.Status.MERGED})


def tombstone(row: dict) -> dict:
    """What a mirror needs to delete a retracted incident, and nothing more; a
    merged one also names its survivor (``merged_into``), which holds its
    reports now."""
    properties = {"id": row["id"], "status": row["status"]}
    if row["status"] == Incident.Status.MERGED:
        properties["merged_into"] = row["merged_into"]
    properties["updated_at"] = row["updated_at"]
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": None,
        "properties": properties,
    }


def incident_features(queryset: QuerySet[Incident]) -> list[dict]:
    """Features for every row of ``queryset`` (already filtered, ordered, sliced).

    Retracted and merged rows become tombstones: they only ever reach a reader
    through the sync feed, and then without their content.
    """
    rows = list(queryset.values(*INCIDENT_COLUMNS, "merged_into"))
    live_ids = [r["id"] for r in rows if r["status"] not in TOMBSTONE_STATUSES]
    sites, actors, sources = _related(live_ids)
    features = []
    for row in rows:
        if row["status"] in TOMBSTONE_STATUSES:
            features.append(tombstone(row))
            continue
        del row["merged_into"]  # only ever set on a tombstone
        incident_id = row["id"]
        cited = sources.get(incident_id, [])
        # The row dict becomes the properties: no copy per feature.
        longitude, latitude = row.pop("longitude"), row.pop("latitude")
        properties = row
        properties["confidence"] = derive_confidence(
            (c["stance"], c["kind"]) for c in cited
        ).value
        properties["sites"] = sites.get(incident_id, [])
        properties["actors"] = actors.get(incident_id, [])
        properties["sources"] = cited
        features.append(
            {
                "type": "Feature",
                "id": incident_id,
                "geometry": point(longitude=longitude, latitude=latitude),
                "properties": properties,
            }
        )
    return features


def site_features(
    queryset: QuerySet[Site], attack_counts: dict[int, int]
) -> list[dict]:
    """Features for sites, with ``attack_count`` from ``attack_counts`` (by site id,
    ``place_selectors.site_attack_counts``)."""
    features = []
    for row in queryset.values(*SITE_COLUMNS):
        longitude, latitude = row.pop("longitude"), row.pop("latitude")
        row["attack_count"] = attack_counts.get(row.pop("id"), 0)
        features.append(
            {
                "type": "Feature",
                "id": row["slug"],
                "geometry": point(longitude=longitude, latitude=latitude),
                "properties": row,
            }
        )
    return features
