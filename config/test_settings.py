"""Settings for the test suite: config.settings, with only what tests need changed.

Tests build the development configuration (``DJANGO_DEBUG=1`` at import, so no
secret key or host list is needed and static files need no collectstatic);
pytest-django then turns DEBUG off while tests run, as it always does. The values
go into the environment before config.settings reads it, and stay there, so the
subprocesses some tests start with ``config.settings`` get the same configuration.
Anything already set in the environment wins.

The API throttle is raised far above what the suite sends: DRF counts requests in the
per-process cache, which lives across tests, and every test client shares one
address. tests/test_security_headers.py lowers it to prove throttling works.

The Content-Security-Policy also allows 'unsafe-eval' in tests, and only in tests:
Playwright's ``page.wait_for_function("<expression>")`` runs its expression with the
page's own ``eval`` whenever it has to poll, which the production policy refuses
(tests/browser/test_admin_geocoding.py polls so). Drop it once no browser test waits
that way (``expect(locator)`` waits without eval). tests/browser/test_csp.py puts
the production policy back and proves the pages need no eval.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("BASEWATCH_ANON_RATE", "100000/minute")
os.environ.setdefault("BASEWATCH_USER_RATE", "100000/minute")

import copy  # noqa: E402

from .settings import *  # noqa: E402, F403
from .settings import CONTENT_SECURITY_POLICY as PRODUCTION_CONTENT_SECURITY_POLICY  # noqa: E402

CONTENT_SECURITY_POLICY = copy.deepcopy(PRODUCTION_CONTENT_SECURITY_POLICY)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"].append("'unsafe-eval'")
