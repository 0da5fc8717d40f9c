"""OpenAPI documentation from the same parameter table the views parse with.

``document(name)`` decorates a view method with drf-spectacular's ``extend_schema``:
every query parameter with its type, format, description and an example, and the
response shape, so the docs cannot list a parameter the code does not accept.
"""

from importlib import import_module

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
)

from ..filters import params as p
from ..filters.dependencies import applying_to
from .schema_shapes import (
    BAD_INPUT,
    CREATED_FEATURE,
    FEATURE,
    FEATURE_COLLECTION,
    FORBIDDEN,
    GEOJSON_AND_CSV,
    MERGED_REDIRECT,
    NO_SUCH_PAGE,
    NOT_FOUND,
    NOT_MODIFIED,
    PAGE,
    PROPOSAL,
    THROTTLED,
    UNAUTHENTICATED,
)

_TYPES = {"date": OpenApiTypes.DATE, "date-time": OpenApiTypes.DATETIME}
_LOCATIONS = {"query": OpenApiParameter.QUERY, "path": OpenApiParameter.PATH}


def openapi_parameter(param: p.Param) -> OpenApiParameter:
    # The parser's own schema (ranges, choices) where it has one: parsers.described.
    schema = getattr(param.parse, "openapi", None)
    if schema and param.format:
        schema = {**schema, "format": param.format}
    return OpenApiParameter(
        name=param.name,
        type=schema or _TYPES.get(param.format, OpenApiTypes.STR),
        required=param.required,
        location=_LOCATIONS[param.location],
        description=param.description,
        examples=[OpenApiExample(param.name, value=param.example)],
    )


_INCIDENT_QUERY = [
    *p.INCIDENT_FILTERS,
    p.STATUS_FILTER,
    *p.PAGINATION,
    p.ORDERING,
    p.format_param(p.INCIDENT_FORMATS),
]

# PATCH and PUT of one incident answer alike.
_CHANGE_ONE = {
    "parameters": [p.INCIDENT_ID],
    "request": "incidents.api.serializers.IncidentWriteSerializer",
    "responses": {
        200: FEATURE,
        400: BAD_INPUT,
        401: UNAUTHENTICATED,
        403: OpenApiTypes.OBJECT,
        404: NOT_FOUND,
    },
    "media_types": ["application/geo+json"],
}

ENDPOINTS = {
    "incident_list": {
        "summary": (
            "Incidents as GeoJSON (or CSV), filtered and paginated; "
            "format=acled streams every match as ACLED-style CSV"
        ),
        "parameters": _INCIDENT_QUERY,
        "responses": {
            200: FEATURE_COLLECTION,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NO_SUCH_PAGE,
        },
        "media_types": GEOJSON_AND_CSV,
    },
    "incident_export": {
        "summary": (
            "Every incident the filters match, streamed as one GeoJSON, CSV or "
            "ACLED-style CSV file (no pages)"
        ),
        "parameters": [
            *p.INCIDENT_FILTERS,
            p.STATUS_FILTER,
            p.ORDERING,
            p.format_param(p.INCIDENT_FORMATS),
        ],
        "responses": {200: FEATURE_COLLECTION, 400: BAD_INPUT, 403: FORBIDDEN},
        "media_types": GEOJSON_AND_CSV,
    },
    "incident_detail": {
        "summary": "One published incident as a GeoJSON Feature; a merged one's id "
        "redirects (301) to its survivor",
        "parameters": [p.INCIDENT_ID],
        "responses": {
            200: FEATURE,
            301: MERGED_REDIRECT,
            400: BAD_INPUT,
            404: NOT_FOUND,
        },
        "media_types": ["application/geo+json"],
    },
    "incident_create": {
        "summary": (
            "Create an incident (editors; session or token auth); the answer "
            "names the incidents on record it may repeat"
        ),
        "parameters": [],
        "request": "incidents.api.serializers.IncidentWriteSerializer",
        "responses": {
            201: CREATED_FEATURE,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: OpenApiTypes.OBJECT,
        },
        "media_types": ["application/geo+json"],
    },
    "incident_update": {
        "summary": "Change an incident; lists given replace the current ones",
        **_CHANGE_ONE,
    },
    "incident_replace": {
        "summary": "Replace an incident's fields (PUT: every required field)",
        **_CHANGE_ONE,
    },
    # One event, many reports (merge_views): nothing here is conditional.
    "incident_merge": {
        "summary": "Merge this incident into `into` (reviewers): the survivor takes "
        "its sources, actors and sites; this one becomes a tombstone naming it. "
        "Editors propose a merge instead (merge-proposals/)",
        "parameters": [p.INCIDENT_ID],
        "request": "incidents.api.merge_views.MergeSerializer",
        "responses": {
            200: FEATURE,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        "media_types": ["application/geo+json"],
    },
    "merge_proposal_list": {
        "summary": "Proposed merges, newest first (editors and reviewers: they "
        "name drafts)",
        "parameters": [*p.PROPOSAL_FILTERS, *p.PAGINATION],
        "conditional": False,
        "responses": {
            200: {
                **PAGE,
                "properties": {
                    **PAGE["properties"],
                    "results": {"type": "array", "items": PROPOSAL},
                },
            },
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NO_SUCH_PAGE,
        },
    },
    "merge_proposal_create": {
        "summary": "Propose that two incidents are one event (editors)",
        "parameters": [],
        "request": "incidents.api.merge_views.MergeProposalCreateSerializer",
        "responses": {
            201: PROPOSAL,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    },
    "merge_proposal_dismiss": {
        "summary": "Decide that a proposal's two incidents are different events "
        "(reviewers)",
        "parameters": [p.PROPOSAL_ID],
        "request": "incidents.api.merge_views.DismissSerializer",
        "responses": {
            200: PROPOSAL,
            400: BAD_INPUT,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    },
    "site_list": {
        "summary": "Every site as GeoJSON (unplaced sites have geometry null)",
        "parameters": [p.format_param(p.SITE_FORMATS)],
        "responses": {200: FEATURE_COLLECTION, 400: BAD_INPUT},
        "media_types": GEOJSON_AND_CSV,
    },
    "site_detail": {
        "summary": "One site by slug",
        "parameters": [p.SLUG],
        "responses": {200: FEATURE, 400: BAD_INPUT, 404: NOT_FOUND},
        "media_types": ["application/geo+json"],
    },
    "actor_list": {
        "summary": "Actors with their umbrella and published incident count",
        "parameters": list(p.PAGINATION),
        "responses": {200: PAGE, 400: BAD_INPUT, 404: NO_SUCH_PAGE},
    },
    "actor_detail": {
        "summary": "One actor by slug",
        "parameters": [p.SLUG],
        "responses": {200: OpenApiTypes.OBJECT, 400: BAD_INPUT, 404: NOT_FOUND},
    },
    "source_list": {
        "summary": "Sources cited by published incidents",
        "parameters": list(p.PAGINATION),
        "responses": {200: PAGE, 400: BAD_INPUT, 404: NO_SUCH_PAGE},
    },
    "source_detail": {
        "summary": "One source by id",
        "parameters": [p.SOURCE_ID],
        "responses": {200: OpenApiTypes.OBJECT, 400: BAD_INPUT, 404: NOT_FOUND},
    },
}


def _response_header(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name=name,
        type=OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description=description,
        response=[200, 304],
    )


# Every read is conditional (incidents.api.caching). The request side,
# If-None-Match and If-Modified-Since, is told in NOT_MODIFIED rather than listed
# as parameters: an operation's parameters are the query it validates.
VALIDATOR_HEADERS = [
    _response_header(
        "ETag",
        "Weak validator of this representation: the data version, URL, format, "
        "language and what the caller may see.",
    ),
    _response_header("Last-Modified", "When any published data last changed."),
    _response_header(
        "Cache-Control",
        "`public, max-age=0, must-revalidate` (signed in: `private, ...`): store, "
        "but revalidate before each use.",
    ),
]


def document(name: str, spec: dict | None = None):
    """``extend_schema`` for endpoint ``name``: its entry in ENDPOINTS, or ``spec``
    (same keys: summary, parameters as ``Param``s, responses). Reads (no request
    body) get 304 and the validator headers, unless ``conditional`` is False."""
    spec = spec or ENDPOINTS[name]
    read = "request" not in spec and spec.get("conditional", True)
    dependencies = applying_to(param.name for param in spec["parameters"])
    return extend_schema(
        operation_id=name,
        summary=spec["summary"],
        parameters=[openapi_parameter(param) for param in spec["parameters"]]
        + (VALIDATOR_HEADERS if read else []),
        responses=_responses(spec, read=read),
        request=_request_body(spec.get("request")),
        extensions=(
            {"x-dependencies": [d.idl for d in dependencies]} if dependencies else None
        ),
    )


def _responses(spec: dict, *, read: bool) -> dict:
    """The spec's responses, successes under each media type it answers in (GeoJSON
    as ``application/geo+json``, CSV as text), 304 for reads, and 429 for the
    throttle."""
    responses = dict(spec["responses"])
    if read:
        responses.setdefault(304, NOT_MODIFIED)
    for media_type_code in [code for code in responses if code in (200, 201)]:
        media_types = spec.get("media_types")
        if not media_types:
            continue
        body = responses.pop(media_type_code)
        for media_type in media_types:
            responses[(media_type_code, media_type)] = (
                OpenApiTypes.STR if media_type == "text/csv" else body
            )
    responses.setdefault(429, THROTTLED)
    return responses


def _request_body(dotted: str | None):
    # Imported lazily: serializers import services and models, schema must not.
    if dotted is None:
        return None
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)
