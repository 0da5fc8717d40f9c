"""The API's settings (Django REST framework and drf-spectacular), as functions of the
few values ``config.settings`` reads from the environment: that module stays the one
place the environment is read, and this keeps it under the size a module should have."""

from typing import Any


def rest_framework(
    *, anon_rate: str, user_rate: str, behind_proxy: bool
) -> dict[str, Any]:
    """``REST_FRAMEWORK``: authentication, permissions, throttles, errors."""
    return {
        # Token first, so an anonymous write gets 401 with a WWW-Authenticate header.
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.TokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": [
            "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        ],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        # DRF's three, with its JSON parser bounded: a deeply nested body is a 400.
        "DEFAULT_PARSER_CLASSES": [
            "incidents.api.parsers.BoundedJSONParser",
            "rest_framework.parsers.FormParser",
            "rest_framework.parsers.MultiPartParser",
        ],
        "DEFAULT_SCHEMA_CLASS": "incidents.api.schema_auth.PublicReadsSchema",
        "EXCEPTION_HANDLER": "incidents.api.errors.api_exception_handler",
        # Throttles keep one reader or script from starving the others; a refused
        # request gets 429 with Retry-After. The counts live in the default cache: per
        # process, or shared by every process with BASEWATCH_CACHE_URL. The map's own
        # fetches are a few per filter change, far below.
        "DEFAULT_THROTTLE_CLASSES": [
            "rest_framework.throttling.AnonRateThrottle",
            "rest_framework.throttling.UserRateThrottle",
        ],
        "DEFAULT_THROTTLE_RATES": {
            "anon": anon_rate,
            "user": user_rate,
        },
        # Which address a throttle counts: REMOTE_ADDR, or behind our one proxy the
        # entry it appended to X-Forwarded-For. Left unset DRF would count the whole
        # client-written X-Forwarded-For header, which a client could vary at will.
        "NUM_PROXIES": 1 if behind_proxy else 0,
        # ``format`` is our own parameter (geojson/csv), validated with the others.
        "URL_FORMAT_OVERRIDE": None,
    }


def spectacular() -> dict[str, Any]:
    """``SPECTACULAR_SETTINGS``: the schema's title and the bundled Swagger UI."""
    return {
        "TITLE": "Basewatch API",
        "DESCRIPTION": (
            "Conflict incidents on named military sites, each traceable to its "
            "sources. Incidents and sites are RFC 7946 GeoJSON ([longitude, "
            "latitude]). Bad input "
            'answers 400 with {"errors": {parameter: problem}}.'
        ),
        "VERSION": "1",
        "SERVE_INCLUDE_SCHEMA": False,
        # Swagger UI from the sidecar package's static files: no CDN.
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
    }
