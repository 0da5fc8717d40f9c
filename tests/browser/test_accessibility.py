"""Every public page, in English and Arabic, checked by axe-core in Chromium.

axe-core (the accessibility engine behind most browser checkers) is vendored under
``tests/browser/vendor/axe-core/`` (see its README: version, licence, sha256), so
these tests need neither npm nor the network. It runs after each page has drawn
(the map's markers, the site page's chart and map), with the reference data
loaded, against WCAG 2.0 and 2.1 A and AA and axe's best practices; any violation
fails, listing its rule, impact and the elements it found.

How axe gets into the page: the pages' Content-Security-Policy allows no inline
script, so ``page.add_script_tag(content=...)`` would be refused (and refused
loudly: a console error). ``page.evaluate`` runs its text over the DevTools
protocol, which the policy does not govern (see tests/browser/waiting.py), so the
source is evaluated that way and the pages keep their production policy; no
``bypass_csp`` is needed. axe itself needs no eval.

The public pages are those of ``incidents/urls.py`` (the map, a site page, an
incident page, the figures) and the API's Swagger UI (``/api/v1/docs/``).
The Swagger UI is checked too, but only for what Basewatch controls: see
``SWAGGER_EXCLUDE``. The admin is not public and is not checked here.
"""

import hashlib
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from incidents.models import Incident

from .test_map import open_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
AXE_VERSION = "4.14.1"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Swagger UI is a vendored third-party application (drf-spectacular's sidecar):
# its own widgets are checked by its authors, not here; what is left to check is
# the page shell Basewatch serves around it (language, title, landmarks).
SWAGGER_EXCLUDE = ["#swagger-ui"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    source = AXE.read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256, (
        f"{AXE} is not the vendored axe-core {AXE_VERSION}: see its README"
    )
    return source.decode()


def run_axe(page, axe_source: str, exclude: list[str] | None = None) -> list[dict]:
    """axe's violations on the page as it is now (each: id, impact, nodes)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # A bare expression: its top-level code defines window.axe in the page.
        page.evaluate(axe_source + "\n;undefined")
    assert page.evaluate("() => window.axe.version") == AXE_VERSION
    return page.evaluate(
        """async ([tags, exclude]) => {
          const context = exclude.length
            ? { include: [document], exclude: exclude.map((s) => [s]) }
            : document;
          const result = await window.axe.run(context, {
            runOnly: { type: "tag", values: tags },
            resultTypes: ["violations"],
          });
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => n.target.join(" ")),
          }));
        }""",
        [TAGS, exclude or []],
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in violation["nodes"][:10])
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def in_language(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def assert_no_violations(page, axe_source, language, exclude=None):
    """No violation on the page, which is in ``language`` (html lang)."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    violations = run_axe(page, axe_source, exclude)
    assert violations == [], (
        f"axe-core found on {page.url} ({language}):\n"
        + describe(violations)
        + "\n"
        + json.dumps(violations, ensure_ascii=False)[:2000]
    )


LANGUAGES = ["en", "ar"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map(page, live_server, reference_data, axe_source, language):
    in_language(page, live_server, language)
    open_map(page, live_server)
    expect(page.locator(".bw-site-marker").first).to_be_visible()
    assert_no_violations(page, axe_source, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_site_page(page, live_server, reference_data, axe_source, language):
    in_language(page, live_server, language)
    page.goto(f"{live_server.url}/sites/al-omar/")
    site = page.locator("#bw-site")
    expect(site).to_have_attribute("data-state", "ready")
    expect(site).to_have_attribute("data-map", "ready")
    assert_no_violations(page, axe_source, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_incident_page(page, live_server, reference_data, axe_source, language):
    incident = (
        Incident.objects.filter(status=Incident.Status.PUBLISHED)
        .exclude(latitude=None)
        .order_by("pk")
        .first()
    )
    assert incident is not None
    in_language(page, live_server, language)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    expect(page.locator("#bw-incident")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_no_violations(page, axe_source, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_figures_page(page, live_server, reference_data, axe_source, language):
    in_language(page, live_server, language)
    page.goto(f"{live_server.url}/stats/")
    page.wait_for_load_state("networkidle")
    assert_no_violations(page, axe_source, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_api_docs_page(page, live_server, axe_source, language):
    in_language(page, live_server, language)
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Basewatch API")
    # The API's description and Swagger UI are English only, in either language.
    assert_no_violations(page, axe_source, "en", exclude=SWAGGER_EXCLUDE)


def test_axe_finds_what_it_is_asked_to(page, live_server, axe_source):
    # The check can fail: an image without alternative text, added to the map, is
    # reported (so an empty answer above means axe looked, not that it was blind).
    open_map(page, live_server)
    page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.width = 20;
          img.height = 20;
          document.querySelector("main, body").appendChild(img);
        }"""
    )
    ids = {violation["id"] for violation in run_axe(page, axe_source)}
    assert "image-alt" in ids
