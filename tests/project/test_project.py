"""Project-level guarantees: migrations complete, no GDAL needed, safe settings."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    # Raises SystemExit(1) when makemigrations would write something.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


BLOCK_GDAL = """
    import importlib.abc, sys

    class NoGDAL(importlib.abc.MetaPathFinder):
        # Stand-in for a machine without GDAL: these imports fail as they would there.
        BLOCKED = ("django.contrib.gis", "leaflet.admin", "leaflet.forms", "osgeo")

        def find_spec(self, name, path=None, target=None):
            if name.startswith(self.BLOCKED):
                raise ImportError(f"{name} blocked: no GDAL on this machine")

    sys.meta_path.insert(0, NoGDAL())
"""


def test_project_starts_and_serves_without_gdal():
    result = _run_python(
        BLOCK_GDAL
        + """
    import django
    django.setup()
    from django.core.management import call_command
    call_command("check", fail_level="WARNING")
    call_command("migrate", verbosity=0)
    from django.test import Client
    client = Client(HTTP_HOST="localhost")
    for url in ["/", "/api/v1/incidents/", "/admin/login/"]:
        status = client.get(url).status_code
        assert status == 200, (url, status)
    leaked = [m for m in sys.modules if m.startswith(NoGDAL.BLOCKED)]
    assert not leaked, leaked
    print("started without GDAL")
    """,
        DATABASE_URL="sqlite://:memory:",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "started without GDAL" in result.stdout


def test_production_refuses_insecure_settings():
    code = "import django; django.setup()"
    no_key = _run_python(code, DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    assert no_key.returncode != 0
    assert "DJANGO_SECRET_KEY" in no_key.stderr
    no_hosts = _run_python(
        code,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="0123456789abcdef" * 4,
        DJANGO_ALLOWED_HOSTS="",
    )
    assert no_hosts.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in no_hosts.stderr
    typo = _run_python(code, DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be one of" in typo.stderr
    good = _run_python(
        code,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="0123456789abcdef" * 4,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert good.returncode == 0, good.stderr


def test_default_database_is_sqlite_in_wal_mode():
    result = _run_python(
        """
    import django
    django.setup()
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        print(cursor.fetchone()[0])
    """,
        DATABASE_URL=f"sqlite:///{ROOT / 'test-wal.sqlite3'}",
    )
    for suffix in ("", "-wal", "-shm"):
        (ROOT / f"test-wal.sqlite3{suffix}").unlink(missing_ok=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"
