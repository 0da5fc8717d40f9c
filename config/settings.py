"""Basewatch settings: one module that reads the environment once, with safe defaults.

DEBUG is off unless ``DJANGO_DEBUG`` says otherwise, so a server started with
nothing set is never a debug server: it refuses to start without a real
``DJANGO_SECRET_KEY`` and an explicit ``DJANGO_ALLOWED_HOSTS``, and with them it passes
``manage.py check --deploy``. ``make run`` sets ``DJANGO_DEBUG=1`` for development
and writes it to ``.env`` beside ``manage.py``, which these settings read (under the
real environment), so every ``manage.py`` command works in that checkout as written;
no other variable is needed: the database is ``db.sqlite3`` beside
``manage.py`` and no online geocoder is ever used. docs/production.md has the rest.

Variables (from the environment, then ``.env`` or ``BASEWATCH_ENV_FILE``):
- ``DJANGO_DEBUG``: ``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off``;
  default off.
- ``DJANGO_SECRET_KEY``: required when DEBUG is off: 50+ characters, 5+ different
  ones, not the development key (Django's own ``check --deploy`` rule).
- ``DJANGO_ALLOWED_HOSTS``: comma-separated; required when DEBUG is off.
- ``DJANGO_CSRF_TRUSTED_ORIGINS``: comma-separated origins such as
  ``https://basewatch.example.org``; needed only when the browser's origin differs
  from the host Django sees (none by default).
- ``DJANGO_BEHIND_PROXY``: set when a reverse proxy terminates TLS and forwards
  with ``X-Forwarded-Proto`` and ``X-Forwarded-For`` (default off). Django then
  trusts those two headers from the one proxy; never set it when clients can reach
  Django directly, or they could claim HTTPS and any address.
- ``DJANGO_SECURE_SSL_REDIRECT``: redirect HTTP to HTTPS when DEBUG is off
  (default on; off only to try a production setup over plain HTTP).
- ``DJANGO_SECURE_HSTS_SECONDS``: Strict-Transport-Security max-age when DEBUG is
  off (default 31536000, a year; with subdomains and preload).
- ``BASEWATCH_ANON_RATE`` / ``BASEWATCH_USER_RATE``: API requests allowed per
  client address / per signed-in user, DRF's ``N/second|minute|hour|day``
  (defaults 600/minute and 6000/minute).
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
- ``BASEWATCH_UPLOAD_TTL_HOURS``: how long an unconfirmed upload may wait before
  it is deleted (default 24).
- ``BASEWATCH_MAX_UPLOAD_MB``: the largest file the admin accepts (default 50).
- ``BASEWATCH_MAP_DETAIL_LIMIT``: up to this many matching incidents the map draws
  one by one; beyond, it shows the server's clusters until few are in view
  (default 1000).
- ``BASEWATCH_CACHE_URL``: a shared cache for the API's throttle counts and cached
  aggregates, ``redis://[:password@]host:6379/0`` (or ``rediss://``, ``unix://``);
  default each process's own memory.
- ``BASEWATCH_EXPORT_CACHE_DIR``: where an unfiltered export is kept as a file
  until the data changes (default ``var/exports/`` beside ``manage.py``; empty
  keeps none).
- ``BASEWATCH_LOGIN_FAILURE_LIMIT``: failed admin logins for one username from one
  address before that pair is locked out for 15 minutes (default 5).
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from .api_settings import rest_framework, spectacular
from .environment import (
    cache_settings,
    client_ip_reader,
    env_bool,
    env_list,
    load_env_file,
    secret_key_problem,
    tile_origin,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# A development checkout's settings file (written by ``make run``); the environment
# wins over it. BASEWATCH_ENV_FILE names another file, or none with /dev/null.
load_env_file(os.environ.get("BASEWATCH_ENV_FILE") or BASE_DIR / ".env")

DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET_KEY = "django-insecure-basewatch-development-only"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or (
    _DEV_SECRET_KEY if DEBUG else ""
)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")


if not DEBUG:
    _problems = []
    _key_problem = secret_key_problem(SECRET_KEY, _DEV_SECRET_KEY)
    if _key_problem:
        _problems.append(
            f"DJANGO_SECRET_KEY {_key_problem}; set it to a random value, e.g. from "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"`'
        )
    if not ALLOWED_HOSTS:
        _problems.append(
            "DJANGO_ALLOWED_HOSTS must be set to the comma-separated host names "
            "this site answers to"
        )
    if _problems:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG off (DJANGO_DEBUG unset or 0; set "
            "DJANGO_DEBUG=1 to develop): " + "; ".join(_problems)
        )

# Behind a TLS-terminating reverse proxy Django sees plain HTTP from the proxy's
# address. Trusting X-Forwarded-Proto tells it which requests were HTTPS (else the SSL
# redirect loops and secure cookies are never sent); it is only safe when the proxy
# sets the header and clients cannot reach Django around it, hence opt-in.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Request size limits (Django's defaults, set here so they are visible): a request
# body other than uploaded files may be up to 2.5 MB with 1000 fields; an uploaded
# file above 2.5 MB is streamed to a temporary file instead of memory. The admin's
# ACLED upload has its own cap, BASEWATCH_MAX_UPLOAD_MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

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
    "csp",
    "axes",
    # Its templates (the admin's history pages); the models are incidents'.
    "simple_history",
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
    # Records the signed-in user as the author of every change (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
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
    # half-way with "database is locked". SQLite's waiting is not first come, first
    # served (a waiter retries on a back-off), so under many writers on a loaded
    # machine one may wait tens of seconds: 60 s measured enough for 8 processes
    # saving at once on 2 busy cores (tests/project/test_concurrent_writes.py).
    # Past that, many concurrent editors want PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 60,
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

# django-axes counts failed logins (the admin's form and anything else calling
# authenticate() with the request) per username and client address, and refuses
# that pair for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT failures; a success
# clears the count. Its backend must come first. The attempts live in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("BASEWATCH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True


AXES_CLIENT_IP_CALLABLE = client_ip_reader(behind_proxy=BEHIND_PROXY)

BASEWATCH_GEOCODERS = env_list("BASEWATCH_GEOCODERS")
BASEWATCH_GEOCODER_USER_AGENT = os.environ.get("BASEWATCH_GEOCODER_USER_AGENT", "")
BASEWATCH_GEOCODER_MIN_DELAY = float(
    os.environ.get("BASEWATCH_GEOCODER_MIN_DELAY", "1")
)
BASEWATCH_GEOCODER_COUNTRIES = os.environ.get(
    "BASEWATCH_GEOCODER_COUNTRIES", "sy,iq,jo,lb,tr,ir,sa,kw,il,ps"
)
BASEWATCH_UPLOAD_DIR = os.environ.get("BASEWATCH_UPLOAD_DIR", "")
BASEWATCH_UPLOAD_TTL_HOURS = float(os.environ.get("BASEWATCH_UPLOAD_TTL_HOURS", "24"))
BASEWATCH_MAX_UPLOAD_MB = int(os.environ.get("BASEWATCH_MAX_UPLOAD_MB", "50"))
BASEWATCH_MAP_DETAIL_LIMIT = int(os.environ.get("BASEWATCH_MAP_DETAIL_LIMIT", "1000"))
# Unfiltered exports kept as files until the data changes (incidents/api/export_files);
# empty: keep none.
BASEWATCH_EXPORT_CACHE_DIR = os.environ.get(
    "BASEWATCH_EXPORT_CACHE_DIR", str(BASE_DIR / "var" / "exports")
)

# The map's base layer. Tiles are the one thing the browser may fetch from elsewhere;
# when they cannot load (offline) the sites and incidents are still drawn.
LEAFLET_CONFIG: dict[str, Any] = {
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


# django-leaflet's {% leaflet_map %} tag cannot see the request, so its inline script
# cannot carry the nonce; templates/leaflet/_leaflet_map.html replaces it with one
# fixed script, allowed by this hash (computed from the file, so it follows edits).
LEAFLET_MAP_SCRIPT_HASH = "'sha256-{}'".format(
    base64.b64encode(
        hashlib.sha256(
            (BASE_DIR / "templates" / "leaflet" / "_leaflet_map.js").read_bytes()
        ).digest()
    ).decode("ascii")
)

# The Content-Security-Policy (django-csp): scripts only from this site, or inline
# with the request's nonce (django-csp adds the nonce to the header only on pages
# that read request.csp_nonce) or the hash above; never 'unsafe-inline'. Styles do
# allow inline: Leaflet positions every tile and marker with style attributes and
# the Django admin writes a few, and inline CSS cannot run code. Images also come
# from the tile server and data: URIs (Leaflet's and Swagger UI's icons).
_TILE_ORIGIN = tile_origin(LEAFLET_CONFIG["TILES"][0][1])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, LEAFLET_MAP_SCRIPT_HASH],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
    }
}


CACHES = {"default": cache_settings(os.environ.get("BASEWATCH_CACHE_URL", ""))}

REST_FRAMEWORK = rest_framework(
    anon_rate=os.environ.get("BASEWATCH_ANON_RATE", "600/minute"),
    user_rate=os.environ.get("BASEWATCH_USER_RATE", "6000/minute"),
    behind_proxy=BEHIND_PROXY,
)
SPECTACULAR_SETTINGS = spectacular()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
