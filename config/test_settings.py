"""Settings for the test suite: config.settings, with only what tests need changed.

Tests build the development configuration (``DJANGO_DEBUG=1`` at import, so no
secret key or host list is needed and static files need no collectstatic);
pytest-django then turns DEBUG off while tests run, as it always does. The values
go into the environment before config.settings reads it, and stay there, so the
subprocesses some tests start with ``config.settings`` get the same configuration.
Anything already set in the environment wins.

The API throttle is raised far above what the suite sends: DRF counts requests in the
per-process cache, which lives across tests, and every test client shares one
address. tests/security/test_headers.py lowers it to prove throttling works.

Kept exports (incidents/api/export_files.py) go to a temporary directory of the
run's own, emptied after every test (tests/conftest.py).

The Content-Security-Policy is the production one, unchanged: the browser tests run
under it, so they must not wait with Playwright's ``page.wait_for_function``, which
polls with the page's ``eval`` (tests/browser/waiting.py explains, and polls without).
tests/browser/test_csp.py checks the pages work under it and that it refuses eval.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("BASEWATCH_ANON_RATE", "100000/minute")
os.environ.setdefault("BASEWATCH_USER_RATE", "100000/minute")
if "BASEWATCH_EXPORT_CACHE_DIR" not in os.environ:
    # Kept exports go to a directory of this run's own, never into the project.
    _exports = tempfile.mkdtemp(prefix="basewatch-test-exports-")
    os.environ["BASEWATCH_EXPORT_CACHE_DIR"] = _exports
    atexit.register(shutil.rmtree, _exports, ignore_errors=True)

from .settings import *  # noqa: E402, F403
