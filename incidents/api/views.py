"""API views: parse parameters, ask the selectors, render. No query logic here.

Incidents and sites answer GeoJSON built on the fast path (``features.py``) and
returned as bytes, bypassing DRF's renderers; DRF still provides authentication,
permissions, throttling and the error handler. Every read answers with an ETag and
Last-Modified, and 304 to a client whose copy is current (``caching``).
"""

import orjson
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from rest_framework.exceptions import NotFound
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import corroborate, selectors, services
from .. import place_selectors as places
from ..clusters.from_rollup import listed_count
from ..clusters.list_pages import page_queryset
from ..exports.csv_rows import incidents_csv, sites_csv
from ..exports.features import incident_features, site_features
from ..exports.streams import STREAMS
from ..filters import params as p
from ..filters import parsers as pp
from ..filters.dependencies import ACLED_UNPAGED
from ..filters.dependencies import check as check_dependencies
from ..filters.query import incident_filters
from ..models import Incident
from .caching import CachedAggregateMixin, ConditionalReadMixin
from .pagination import paginate
from .redirects import merged_redirect
from .schema import document
from .serializers import ActorSerializer, IncidentWriteSerializer, SourceSerializer

GEOJSON = "application/geo+json"


def geojson_response(payload: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(payload), content_type=GEOJSON, status=status)


def csv_response(text: str, filename: str, **headers) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    for name, value in headers.items():
        response[name] = value
    return response


def _incident_params(request: Request) -> tuple:
    accepted = [
        *p.INCIDENT_FILTERS,
        *p.PAGINATION,
        p.ORDERING,
        p.format_param(p.INCIDENT_FORMATS),
    ]
    if (
        selectors.user_sees_unpublished(request.user)
        or "status" in request.query_params
    ):
        # Readers get a clear "editors only" 400 from the selector, not "unknown".
        accepted.append(p.STATUS_FILTER)
    return accepted


def _acled_export(queryset, parsed: dict) -> StreamingHttpResponse:
    """Every matching incident as ACLED-style CSV, streamed (``exports``): one file
    for the whole filtered set, so pages do not apply."""
    check_dependencies(parsed, [ACLED_UNPAGED])
    stream, content_type, filename = STREAMS["acled"]
    response = StreamingHttpResponse(stream(queryset), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def incident_ordering(parsed: dict) -> list[str]:
    default = "updated_at" if "updated_since" in parsed else "-occurred_on"
    ordering = parsed.get("ordering", default)
    return [ordering, "id" if not ordering.startswith("-") else "-id"]


class IncidentListView(ConditionalReadMixin, APIView):
    """GET: published incidents as a paginated GeoJSON FeatureCollection (or CSV)."""

    permission_classes = [DjangoModelPermissionsOrAnonReadOnly]
    queryset = Incident.objects.none()  # for the model-permission check

    @document("incident_list")
    def get(self, request: Request) -> HttpResponse:
        parsed = p.parse_query(request.query_params, _incident_params(request))
        filters = incident_filters(parsed)
        queryset = selectors.incident_list(user=request.user, filters=filters)
        if parsed.get("format") == "acled":
            return _acled_export(queryset.order_by(*incident_ordering(parsed)), parsed)
        ordering = incident_ordering(parsed)

        def build(wanted):
            return selectors.incident_list(user=request.user, filters=wanted)

        page = paginate(
            request,
            queryset.order_by(*ordering),
            parsed,
            rows=lambda count: page_queryset(
                build, filters=filters, count=count, ordering=ordering
            ),
            count=lambda: listed_count(filters),
        )
        features = incident_features(page.rows)
        if parsed.get("format") == "csv":
            links = [
                f'<{url}>; rel="{rel}"'
                for rel, url in (("next", page.next), ("prev", page.previous))
                if url
            ]
            headers = {"X-Total-Count": str(page.count)}
            if links:
                headers["Link"] = ", ".join(links)
            return csv_response(incidents_csv(features), "incidents.csv", **headers)
        return geojson_response(
            {
                "type": "FeatureCollection",
                "count": page.count,
                "next": page.next,
                "previous": page.previous,
                "features": features,
            }
        )

    @document("incident_create")
    def post(self, request: Request) -> HttpResponse:
        """Create, and answer with the incidents on record it may repeat
        (``candidates``, a foreign member of the Feature), those the caller may
        see; each is also proposed to a reviewer as a merge."""
        p.parse_query(request.query_params, [])
        serializer = IncidentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entered = corroborate.incident_create_matched(
            user=request.user,
            fields=serializer.scalar_fields(),
            **serializer.relations(),
        )
        incident = entered.incident
        visible = selectors.candidates_visible_to(
            user=request.user, candidates=entered.candidates
        )
        response = _feature_response(
            incident,
            201,
            candidates=[
                {
                    "incident": c.incident_id,
                    "strength": c.strength,
                    "how": c.how,
                    "status": c.status,
                }
                for c in visible
            ],
        )
        response["Location"] = request.build_absolute_uri(
            reverse("api:incident-detail", args=[incident.pk])
        )
        return response


def _feature_response(incident: Incident, status: int, **members) -> HttpResponse:
    """The incident as a Feature; ``members`` are added at its top level (RFC 7946
    foreign members, beside ``properties``)."""
    (feature,) = incident_features(Incident.objects.filter(pk=incident.pk))
    return geojson_response({**feature, **members}, status=status)


class IncidentDetailView(ConditionalReadMixin, APIView):
    permission_classes = [DjangoModelPermissionsOrAnonReadOnly]
    queryset = Incident.objects.none()

    @document("incident_detail")
    def get(self, request: Request, incident_id: str) -> HttpResponse:
        p.parse_query(request.query_params, [])
        incident = selectors.incident_get(
            user=request.user, incident_id=pp.parse_id(incident_id)
        )
        if incident is None or incident.status == Incident.Status.MERGED:
            return merged_redirect(request, pp.parse_id(incident_id))
        return _feature_response(incident, 200)

    @document("incident_replace")
    def put(self, request: Request, incident_id: str) -> HttpResponse:
        return self._update(request, incident_id, partial=False)

    @document("incident_update")
    def patch(self, request: Request, incident_id: str) -> HttpResponse:
        return self._update(request, incident_id, partial=True)

    def _update(self, request: Request, incident_id: str, *, partial: bool):
        p.parse_query(request.query_params, [])
        incident = selectors.incident_get(
            user=request.user, incident_id=pp.parse_id(incident_id)
        )
        if incident is None:
            raise NotFound(f"no incident {incident_id}")
        serializer = IncidentWriteSerializer(
            incident, data=request.data, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        incident = services.incident_update(
            incident=incident,
            user=request.user,
            fields=serializer.scalar_fields(),
            **serializer.relations(),
        )
        return _feature_response(incident, 200)


class SiteListView(CachedAggregateMixin, APIView):
    """GET: every site as GeoJSON (unplaced ones with null geometry), or CSV.
    Sites and actors carry counts over every published incident, so their bodies
    are kept in the cache until the data changes, as the stats' are."""

    @document("site_list")
    def get(self, request: Request) -> HttpResponse:
        parsed = p.parse_query(request.query_params, [p.format_param(p.SITE_FORMATS)])
        sites = places.site_list(user=request.user)
        features = site_features(sites, places.site_attack_counts(sites))
        if parsed.get("format") == "csv":
            return csv_response(sites_csv(features), "sites.csv")
        return geojson_response(
            {"type": "FeatureCollection", "count": len(features), "features": features}
        )


class SiteDetailView(CachedAggregateMixin, APIView):
    @document("site_detail")
    def get(self, request: Request, slug: str) -> HttpResponse:
        p.parse_query(request.query_params, [])
        pp.slug_param(slug)
        sites = places.site_list(user=request.user).filter(slug=slug)
        features = site_features(sites, places.site_attack_counts(sites))
        if not features:
            raise NotFound(f"no site {slug!r}")
        return geojson_response(features[0])


class ActorListView(CachedAggregateMixin, APIView):
    @document("actor_list")
    def get(self, request: Request) -> Response:
        parsed = p.parse_query(request.query_params, p.PAGINATION)
        page = paginate(
            request, places.actor_list(user=request.user).order_by("name"), parsed
        )
        return Response(
            {
                "count": page.count,
                "next": page.next,
                "previous": page.previous,
                "results": ActorSerializer(
                    places.with_incident_counts(page.rows), many=True
                ).data,
            }
        )


class ActorDetailView(CachedAggregateMixin, APIView):
    @document("actor_detail")
    def get(self, request: Request, slug: str) -> Response:
        p.parse_query(request.query_params, [])
        pp.slug_param(slug)
        actors = places.with_incident_counts(
            places.actor_list(user=request.user).filter(slug=slug)
        )
        if not actors:
            raise NotFound(f"no actor {slug!r}")
        return Response(ActorSerializer(actors[0]).data)


class SourceListView(ConditionalReadMixin, APIView):
    @document("source_list")
    def get(self, request: Request) -> Response:
        parsed = p.parse_query(request.query_params, p.PAGINATION)
        page = paginate(request, selectors.source_list(user=request.user), parsed)
        return Response(
            {
                "count": page.count,
                "next": page.next,
                "previous": page.previous,
                "results": SourceSerializer(page.rows, many=True).data,
            }
        )


class SourceDetailView(ConditionalReadMixin, APIView):
    @document("source_detail")
    def get(self, request: Request, source_id: str) -> Response:
        p.parse_query(request.query_params, [])
        source = (
            selectors.source_list(user=request.user)
            .filter(pk=pp.parse_id(source_id))
            .first()
        )
        if source is None:
            raise NotFound(f"no source {source_id}")
        return Response(SourceSerializer(source).data)
