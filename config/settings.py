"""Basewatch settings: one module that reads the environment once, with safe defaults.

Development needs no variables at all: DEBUG is on, the database is ``db.sqlite3``
beside ``manage.py`` and no online geocoder is ever used. Production is the opposite:
set ``DJANGO_DEBUG=0`` and the project refuses to start without a real
``DJANGO_SECRET_KEY`` and an explicit ``DJANGO_ALLOWED_HOSTS``.

Variables:
- ``DJANGO_DEBUG``: ``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off``;
  default on, for a first run with ``make run``.
- ``DJANGO_SECRET_KEY``: required when DEBUG is off.
- ``DJANGO_ALLOWED_HOSTS``: comma-separated; required when DEBUG is off.
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/basewatch``;
  SQLite by default.
- ``BASEWATCH_GEOCODERS``: comma-separated online geocoders that may be used
  after the offline gazetteer, in order: ``nominatim``, ``photon`` (none by
  default, so nothing ever goes online).
- ``BASEWATCH_GEOCODER_USER_AGENT``: how Basewatch names itself to them (give a
  contact, as Nominatim's usage policy asks).
- ``BASEWATCH_GEOCODER_MIN_DELAY``: seconds between two calls to one service
  (default 1).
- ``BASEWATCH_GEOCODER_COUNTRIES``: ISO codes Nominatim searches in (default the
  region: sy,iq,jo,lb,tr,ir,sa,kw,il,ps).
- ``BASEWATCH_TILE_URL`` / ``BASEWATCH_TILE_ATTRIBUTION``: the map's base layer.
- ``DJANGO_STATIC_ROOT``: where ``collectstatic`` puts the files WhiteNoise serves
  when DEBUG is off (default ``staticfiles/`` beside ``manage.py``).
- ``BASEWATCH_UPLOAD_DIR``: where an uploaded ACLED file waits between the admin's
  preview and its confirmation (default: ``basewatch-uploads`` in the system's
  temporary directory).
- ``BASEWATCH_MAX_UPLOAD_MB``: the largest file the admin accepts (default 50).
- ``BASEWATCH_MAP_DETAIL_LIMIT``: up to this many matching incidents the map draws
  one by one; beyond, it shows the server's clusters until few are in view
  (default 1000).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0/true/false/yes/no/on/off, got {raw!r}"
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-basewatch-development-only"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else ""
)

if not DEBUG:
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of 32+ characters "
            "when DEBUG is off"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    # SimpleAdminConfig: the stock AdminConfig autodiscovers every app's admin module,
    # which would import leaflet.admin and so GeoDjango/GDAL. We register our admin
    # explicitly instead (see incidents.apps).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "leaflet",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "incidents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses what is below it, the API's JSON and WhiteNoise's files included
    # (both compress several times over); Django's own length padding guards the
    # pages that carry a CSRF token against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an editor writes; IMMEDIATE transactions take the
    # write lock up front so two writers queue (up to the timeout) instead of failing
    # half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

BASEWATCH_GEOCODERS = env_list("BASEWATCH_GEOCODERS")
BASEWATCH_GEOCODER_USER_AGENT = os.environ.get("BASEWATCH_GEOCODER_USER_AGENT", "")
BASEWATCH_GEOCODER_MIN_DELAY = float(
    os.environ.get("BASEWATCH_GEOCODER_MIN_DELAY", "1")
)
BASEWATCH_GEOCODER_COUNTRIES = os.environ.get(
    "BASEWATCH_GEOCODER_COUNTRIES", "sy,iq,jo,lb,tr,ir,sa,kw,il,ps"
)
BASEWATCH_UPLOAD_DIR = os.environ.get("BASEWATCH_UPLOAD_DIR", "")
BASEWATCH_MAX_UPLOAD_MB = int(os.environ.get("BASEWATCH_MAX_UPLOAD_MB", "50"))
BASEWATCH_MAP_DETAIL_LIMIT = int(os.environ.get("BASEWATCH_MAP_DETAIL_LIMIT", "1000"))

# The map's base layer. Tiles are the one thing the browser may fetch from elsewhere;
# when they cannot load (offline) the sites and incidents are still drawn.
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (34.8, 41.5),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "TILES": [
        (
            "OpenStreetMap",
            os.environ.get(
                "BASEWATCH_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
            ),
            {
                "attribution": os.environ.get(
                    "BASEWATCH_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
                ),
                "maxZoom": 18,
            },
        )
    ],
}

REST_FRAMEWORK = {
    # Token first, so an anonymous write gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "incidents.api.errors.api_exception_handler",
    # ``format`` is our own parameter (geojson/csv), validated with the others.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Basewatch API",
    "DESCRIPTION": (
        "Conflict incidents on named military sites, each traceable to its sources. "
        "Incidents and sites are RFC 7946 GeoJSON ([longitude, latitude]). Bad input "
        'answers 400 with {"errors": {parameter: problem}}.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
