"""Security headers, the Content-Security-Policy's script rules, API throttling and
the admin's login lockout, through Django's test client."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from axes.utils import reset as axes_reset
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

PAGES = [
    "/",
    "/sites/al-omar/",
    "/api/v1/incidents/",
    "/admin/login/",
    "/api/v1/docs/",
]
PASSWORD = "a-long-test-password-1"  # noqa: S105


class Scripts(HTMLParser):
    """Every <script> in a page: its attributes and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def inline_scripts(html: str) -> list[tuple[dict, str]]:
    """The scripts a browser runs from the page itself: no src, not inert JSON."""
    parser = Scripts()
    parser.feed(html)
    return [
        (attrs, text)
        for attrs, text in parser.scripts
        if "src" not in attrs
        and attrs.get("type", "text/javascript").lower()
        not in {"application/json", "application/ld+json"}
    ]


def directives(header: str) -> dict[str, list[str]]:
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def sha256_source(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@pytest.fixture(autouse=True)
def fresh_cache():
    # DRF's throttles count in the default cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", PAGES)
def test_security_headers(client, reference_data, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "https://tile.openstreetmap.org" in policy["img-src"]


@pytest.mark.parametrize("url", PAGES)
def test_every_inline_script_is_allowed_by_nonce_or_hash(client, reference_data, url):
    response = client.get(url)
    script_src = directives(response["Content-Security-Policy"])["script-src"]
    nonces = [s[len("'nonce-") : -1] for s in script_src if s.startswith("'nonce-")]
    assert len(nonces) <= 1
    html = response.content.decode()
    scripts = inline_scripts(html)
    for attrs, text in scripts:
        if "nonce" in attrs:
            assert nonces and attrs["nonce"] == nonces[0], (url, attrs)
        else:
            assert sha256_source(text) in script_src, (url, text[:200])
    # No stray nonce attribute anywhere (e.g. nonce="None" from a missing value).
    for found in re.findall(r'nonce="([^"]*)"', html):
        assert nonces and found == nonces[0], (url, found)


def test_leaflet_map_script_is_the_hashed_one(client, reference_data):
    html = client.get("/").content.decode()
    scripts = inline_scripts(html)
    assert len(scripts) == 1, "the map page's only inline script is the map's"
    attrs, text = scripts[0]
    assert "nonce" not in attrs
    script_src = directives(client.get("/")["Content-Security-Policy"])["script-src"]
    assert sha256_source(text) in script_src
    assert "data-leaflet-map" in html


def test_swagger_ui_script_carries_the_nonce(client):
    first = client.get("/api/v1/docs/")
    second = client.get("/api/v1/docs/")
    nonce = re.search(r"'nonce-([^']+)'", first["Content-Security-Policy"]).group(1)
    (attrs, text), *_ = inline_scripts(first.content.decode())
    assert attrs["nonce"] == nonce
    assert "SwaggerUIBundle" in text
    assert nonce not in second["Content-Security-Policy"], "a new nonce per response"


@pytest.mark.django_db
def test_anonymous_api_readers_are_throttled(client, monkeypatch):
    # The class reads DEFAULT_THROTTLE_RATES at import; its ``rate`` wins over it.
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    for _ in range(3):
        assert client.get("/api/v1/incidents/").status_code == 200
    refused = client.get("/api/v1/incidents/")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert "throttled" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another address has its own count.
    other = client.get("/api/v1/incidents/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


@pytest.mark.django_db
def test_forwarded_for_does_not_dodge_the_throttle(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    statuses = [
        client.get(
            "/api/v1/incidents/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_default_anonymous_rate_is_generous():
    from django.conf import settings

    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]
    number, period = AnonRateThrottle().parse_rate(rate)
    assert number / period >= 1  # at least one request a second, on average


def _login(client, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password},
    )


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password=PASSWORD
    )


def test_five_failed_logins_lock_the_username_out(client, editor, settings):
    assert settings.AXES_ENABLED is not False
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200  # the form, with an error
    assert _login(client, "wrong").status_code == 429  # the fifth: locked
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    # From another address the same username is not locked (username + address).
    elsewhere = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.99",
    )
    assert elsewhere.status_code == 302
    client.logout()

    axes_reset(username="editor")
    assert _login(client, PASSWORD).status_code == 302


def test_a_success_clears_earlier_failures(client, editor):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200
    assert _login(client, PASSWORD).status_code == 302
