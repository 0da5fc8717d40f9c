"""Browser tests: Playwright driving Debian's Chromium against the live server.

Every request that leaves the live server is answered here: map tiles get a blank
local tile, anything else is refused, so a test that passes is a page that works
offline. Any uncaught page error or console error fails the test.

Without Chromium the tests are skipped, unless ``BASEWATCH_REQUIRE_BROWSER=1`` (CI sets
it), which turns a missing browser into a failure.
"""

import base64
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls
# from such a thread unless told that it is safe, which it is here (one thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A 1x1 transparent PNG, served for every tile.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)


def _chromium_path() -> str | None:
    configured = os.environ.get("BASEWATCH_CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        message = (
            "Chromium not found (apt-get install chromium, or set BASEWATCH_CHROMIUM)"
        )
        if os.environ.get("BASEWATCH_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page: off-site requests stubbed, any page error fails the test."""
    context = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console error: {msg.text}") if msg.type == "error" else None
        ),
    )

    def answer_off_site(route):
        if route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        else:
            errors.append(f"off-site request: {route.request.url}")
            route.abort()

    page.route(
        lambda url: not url.startswith(live_server.url),
        answer_off_site,
    )
    page.errors = errors
    yield page
    context.close()
    assert not errors, "\n".join(errors)
