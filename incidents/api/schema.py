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
    OpenApiResponse,
    extend_schema,
)

from ..filters import params as p

_TYPES = {"date": OpenApiTypes.DATE, "date-time": OpenApiTypes.DATETIME}

FEATURE_COLLECTION = {
    "type": "object",
    "description": "RFC 7946 FeatureCollection; positions are [longitude, latitude] "
    "with 6 decimals; a feature without a point has geometry null.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "count": {"type": "integer", "description": "Matching rows over all pages."},
        "next": {"type": "string", "nullable": True, "format": "uri"},
        "previous": {"type": "string", "nullable": True, "format": "uri"},
        "features": {"type": "array", "items": {"type": "object"}},
    },
}
FEATURE = {"type": "object", "description": "An RFC 7946 Feature."}
CANDIDATE = {
    "type": "object",
    "properties": {
        "incident": {"type": "integer", "description": "The incident on record."},
        "strength": {
            "type": "string",
            "enum": ["exact", "near"],
            "description": "exact: a shared site, the same day, both dated to the "
            "day, compatible event and weapon; near: anything less that still "
            "matches (overlapping dates within their precision, a nearby point).",
        },
        "how": {"type": "string", "description": "Why it matched, in words."},
        "status": {
            "type": "string",
            "enum": ["draft", "review", "published", "retracted"],
        },
    },
    "required": ["incident", "strength", "how", "status"],
}
CREATED_FEATURE = {
    "type": "object",
    "description": "The new incident as an RFC 7946 Feature, with the foreign "
    "member `candidates`.",
    "properties": {
        "candidates": {
            "type": "array",
            "items": CANDIDATE,
            "description": "Incidents already on record that the new one may "
            "repeat (same site, overlapping dates, compatible event and weapon), "
            "best first; only those you may see (published ones, and drafts and "
            "review items for editors with view permission). Each is also "
            "proposed to a reviewer as a merge. Empty when none matched.",
        },
    },
    "required": ["candidates"],
}
PAGE = {
    "type": "object",
    "properties": {
        "count": {"type": "integer"},
        "next": {"type": "string", "nullable": True, "format": "uri"},
        "previous": {"type": "string", "nullable": True, "format": "uri"},
        "results": {"type": "array", "items": {"type": "object"}},
    },
}
BAD_INPUT = OpenApiResponse(
    response={"type": "object", "properties": {"errors": {"type": "object"}}},
    description="Bad input: `errors` maps each parameter to what is wrong.",
)
NOT_FOUND = OpenApiResponse(description="No such id or slug, or not visible to you.")
NO_SUCH_PAGE = OpenApiResponse(description="No such page: past the last one.")
UNAUTHENTICATED = OpenApiResponse(description="Not signed in (session or token).")
THROTTLED = OpenApiResponse(
    description="Too many requests from this client; `Retry-After` says when to retry."
)
NOT_MODIFIED = OpenApiResponse(
    description="Not Modified: the copy whose `ETag` you sent in `If-None-Match` "
    "(or whose `Last-Modified` you sent in `If-Modified-Since`) is still current. "
    "No body; reuse your copy."
)
GEOJSON_AND_CSV = ["application/geo+json", "text/csv"]
MERGED_REDIRECT = OpenApiResponse(
    description="Moved Permanently: this incident was merged into another, whose "
    "address `Location` gives (to readers only when that one is published; "
    "otherwise 404)."
)
FORBIDDEN = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}},
    description="Signed in, but your role may not do this; `detail` says who may.",
)
_SIDE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "occurred_on": {"type": "string", "format": "date"},
        "event_type": {"type": "string"},
        "status": {"type": "string"},
        "merged_into": {"type": "integer", "nullable": True},
    },
}
PROPOSAL = {
    "type": "object",
    "description": "Two incidents that may be one event, for a reviewer.",
    "properties": {
        "id": {"type": "integer"},
        "incident": _SIDE,
        "candidate": _SIDE,
        "origin": {
            "type": "string",
            "enum": ["reference", "acled", "article", "entry", "editor"],
        },
        "reason": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "merged", "dismissed"]},
        "proposed_by": {"type": "string", "nullable": True},
        "created_at": {"type": "string", "format": "date-time"},
        "decided_by": {"type": "string", "nullable": True},
        "decided_at": {"type": "string", "format": "date-time", "nullable": True},
        "decision_note": {"type": "string"},
    },
}


def openapi_parameter(param: p.Param) -> OpenApiParameter:
    # The parser's own schema (ranges, choices) where it has one: parsers.described.
    schema = getattr(param.parse, "openapi", None)
    return OpenApiParameter(
        name=param.name,
        type=schema or _TYPES.get(param.format, OpenApiTypes.STR),
        required=param.required,
        location=OpenApiParameter.QUERY,
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
    "parameters": [],
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
        "responses": {200: FEATURE_COLLECTION, 400: BAD_INPUT, 404: NO_SUCH_PAGE},
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
        "responses": {200: FEATURE_COLLECTION, 400: BAD_INPUT},
        "media_types": GEOJSON_AND_CSV,
    },
    "incident_detail": {
        "summary": "One published incident as a GeoJSON Feature; a merged one's id "
        "redirects (301) to its survivor",
        "parameters": [],
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
        "parameters": [],
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
        "parameters": [],
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
        "parameters": [],
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
        "parameters": [],
        "responses": {200: OpenApiTypes.OBJECT, 400: BAD_INPUT, 404: NOT_FOUND},
    },
    "source_list": {
        "summary": "Sources cited by published incidents",
        "parameters": list(p.PAGINATION),
        "responses": {200: PAGE, 400: BAD_INPUT, 404: NO_SUCH_PAGE},
    },
    "source_detail": {
        "summary": "One source by id",
        "parameters": [],
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
    return extend_schema(
        operation_id=name,
        summary=spec["summary"],
        parameters=[openapi_parameter(param) for param in spec["parameters"]]
        + (VALIDATOR_HEADERS if read else []),
        responses=_responses(spec, read=read),
        request=_request_body(spec.get("request")),
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
