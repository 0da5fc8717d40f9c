"""Production settings: DEBUG off by default, refusal of insecure configuration, and
a clean ``manage.py check --deploy`` with a real production environment.

Each case runs in a subprocess with a clean environment, since config.settings reads
the environment once, at import.
"""

import os
import subprocess
import sys

import pytest

from tests import ROOT

GOOD_KEY = "k3Y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"  # 56 chars
PRODUCTION = {
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "basewatch.example.org",
}


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python in the project with config.settings and only the given variables."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "BASEWATCH_"))
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = ["-c", "import django; django.setup(); from django.conf import settings"]


def _setup(**env: str) -> subprocess.CompletedProcess:
    return _run(*SETUP, **env)


def test_debug_unset_means_off():
    result = _run(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.SECURE_SSL_REDIRECT, "
        "settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "31536000"]


def test_debug_on_needs_nothing():
    result = _run(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG)",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "DJANGO_SECRET_KEY is not set"),
        ("", "DJANGO_SECRET_KEY is not set"),
        ("django-insecure-basewatch-development-only", "the development key"),
        ("django-insecure-" + "q" * 60, "the development key"),
        ("a1b2c3d4e5" * 4, "at least 50 characters"),
        ("abcd" * 20, "at least 5 different"),
    ],
    ids=["missing", "empty", "dev-key", "insecure-prefix", "short", "repetitive"],
)
def test_debug_off_refuses_a_bad_secret_key(key, problem):
    env = {"DJANGO_ALLOWED_HOSTS": "basewatch.example.org"}
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key
    result = _setup(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert problem in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" not in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("debug", [None, "0", "false"])
def test_debug_off_refuses_missing_allowed_hosts(debug):
    env = {"DJANGO_SECRET_KEY": GOOD_KEY}
    if debug is not None:
        env["DJANGO_DEBUG"] = debug
    result = _setup(**env)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "DJANGO_ALLOWED_HOSTS must be set" in last
    assert "DJANGO_SECRET_KEY" not in last


def test_check_deploy_has_no_issues_in_production():
    result = _run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_ssl_redirect_is_turned_off():
    # The escape hatch for trying production over plain HTTP is visible, not silent.
    result = _run(
        "manage.py", "check", "--deploy", DJANGO_SECURE_SSL_REDIRECT="0", **PRODUCTION
    )
    assert "security.W008" in result.stdout + result.stderr


def test_proxy_header_is_trusted_only_when_asked():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_PROXY_SSL_HEADER, "
        "settings.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    direct = _run("-c", code, **PRODUCTION)
    assert direct.returncode == 0, direct.stderr
    assert direct.stdout.split() == ["None", "0"]
    proxied = _run("-c", code, DJANGO_BEHIND_PROXY="1", **PRODUCTION)
    assert proxied.returncode == 0, proxied.stderr
    assert proxied.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') 1"


def test_tile_origin_follows_the_tile_url():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = _run(
        "-c",
        code,
        DJANGO_DEBUG="1",
        BASEWATCH_TILE_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["'self'", "data:", "https://*.tile.example.org"]


def test_production_script_policy_allows_no_inline_or_eval():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(*settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    result = _run("-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    sources = result.stdout.split()
    assert sources[:2] == ["'self'", "csp.constants.NONCE"]
    assert [s[:8] for s in sources[2:]] == ["'sha256-"]
