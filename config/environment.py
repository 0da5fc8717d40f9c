"""Reading Basewatch's configuration from the environment, and the values derived
from it, for ``config.settings``: small pure functions, tested on their own, so
that the settings module stays a list of settings."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def load_env_file(path) -> dict[str, str]:
    """Read ``KEY=VALUE`` lines from ``path`` (if it exists) into ``os.environ``,
    never over a variable the environment already has; returns what it set.

    This is how a development checkout stays one: ``make run`` writes ``.env`` with
    ``DJANGO_DEBUG=1``, so ``manage.py createsuperuser`` and every other command
    the README shows run as written, without a variable on each line. The real
    environment always wins (``make serve`` sets ``DJANGO_DEBUG=0``, so a stray
    ``.env`` never turns a production server into a debug one). Blank lines and
    ``#`` comments are skipped; a value may be quoted; anything else is an error
    naming the line, not a silent guess.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    read = {}  # every line checked before any is set: all or nothing
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if not match:
            raise ImproperlyConfigured(f"{path}, line {number}: expected KEY=VALUE")
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        read[key] = value
    loaded = {key: value for key, value in read.items() if key not in os.environ}
    os.environ.update(loaded)
    return loaded


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


def secret_key_problem(key: str, development_key: str) -> str | None:
    """Why ``key`` is unfit for production, by Django's check --deploy rule."""
    if not key:
        return "is not set"
    if key == development_key or key.startswith("django-insecure-"):
        return "is the development key"
    if len(key) < 50 or len(set(key)) < 5:
        return "must be at least 50 characters with at least 5 different ones"
    return None


def tile_origin(url_template: str) -> str | None:
    """The origin a Leaflet tile URL template loads from, for the CSP's img-src.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` gives
    ``https://*.tile.example.org``; a relative template (same origin) gives None.
    """
    parts = urlsplit(url_template)
    if not parts.scheme or not parts.netloc:
        return None
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    return f"{parts.scheme}://{host}"


def cache_settings(url: str) -> dict:
    """The default cache: this process's memory, or Redis at ``url``.

    It holds DRF's throttle counts and the API's cached aggregates
    (``incidents.api.caching``), whose keys carry the data version so a change
    never needs a purge. Per-process memory is enough for one server; several
    processes or machines want Redis, so that throttles count every request and an
    aggregate computed by one worker serves all of them.
    """
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "basewatch",
            # Aggregates are a few KB to a few hundred (see caching.py); when full,
            # the least recently used third goes, old versions' bodies first.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"BASEWATCH_CACHE_URL must be a redis://, rediss:// or unix:// URL, "
            f"got {url!r}"
        )
    try:
        import redis  # noqa: F401
    except ImportError as exc:
        raise ImproperlyConfigured(
            "BASEWATCH_CACHE_URL needs the redis package (requirements.txt)"
        ) from exc
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        # One Redis may serve several sites: our keys stay apart.
        "KEY_PREFIX": "basewatch",
    }


def client_ip_reader(*, behind_proxy: bool):
    """Returns django-axes' ``client_ip(request)`` for this deployment."""

    def client_ip(request) -> str | None:
        """The client's address: behind our proxy, the one it appended to
        X-Forwarded-For.

        Earlier entries come from the client and may be forged; the last one was
        written by the proxy (DJANGO_BEHIND_PROXY promises there is exactly one).
        The same rule as DRF's throttles with NUM_PROXIES = 1 in the settings.
        """
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if behind_proxy and forwarded:
            return forwarded.split(",")[-1].strip()
        return request.META.get("REMOTE_ADDR")

    return client_ip
