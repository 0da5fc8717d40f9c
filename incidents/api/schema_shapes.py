"""The shapes of the API's answers, for the OpenAPI documentation (``schema``).

Bodies (a FeatureCollection, a page, a merge proposal) and the responses that
carry no body of their own (400, 403, 404, 304): what ``schema.ENDPOINTS`` says
each endpoint answers.
"""

from drf_spectacular.utils import OpenApiResponse

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
