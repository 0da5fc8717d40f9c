"""The Content-Security-Policy in a real browser: the pages work under it.

Chromium enforces the header the server sends; every violation fires a
``securitypolicyviolation`` event, recorded here on ``window.__cspViolations``, and
logs a console error, which the ``page`` fixture turns into a failure. The last test
shows the policy is really enforced: an injected inline script is refused.

Every browser test runs under the production policy (config/test_settings.py
leaves it alone), so no test may wait with Playwright's wait_for_function, which
polls with the page's eval: see tests/browser/waiting.py. Each page here checks the
script-src it was served allows neither 'unsafe-inline' nor 'unsafe-eval'.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from incidents.models import Site

from .test_map import build_world, open_map
from .waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-browser-test-password"  # noqa: S105

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline")
  );
});
"""


@pytest.fixture
def csp_page(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def script_src(response) -> list[str]:
    header = response.headers["content-security-policy"]
    for part in header.split(";"):
        words = part.split()
        if words and words[0] == "script-src":
            return words[1:]
    raise AssertionError(f"no script-src in {header}")


def test_map_draws_markers_under_the_policy(csp_page, live_server, make):
    build_world(make)
    response = csp_page.goto(live_server.url + "/")
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(script_src(response))
    open_map(csp_page, live_server)
    expect(csp_page.locator(".bw-site-marker")).to_have_count(4)
    expect(csp_page.locator(".bw-incident-marker")).to_have_count(3)
    assert violations(csp_page) == []


def test_site_page_map_works_under_the_policy(csp_page, live_server, make):
    build_world(make)
    response = csp_page.goto(live_server.url + "/sites/al-omar/")
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(script_src(response))
    expect(csp_page.locator("#site-map .leaflet-tile-pane")).to_have_count(1)
    assert violations(csp_page) == []


def test_admin_point_map_works_under_the_policy(
    csp_page, live_server, django_user_model
):
    page = csp_page
    django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password=PASSWORD
    )
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    response = page.goto(live_server.url + reverse("admin:incidents_site_add"))
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(script_src(response))
    wait_until(page, "() => window.basewatchAdminMap != null")
    page.locator("#point-map").click(position={"x": 250, "y": 180})
    latitude = page.input_value("#id_latitude")
    longitude = page.input_value("#id_longitude")
    assert -90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180
    page.fill("#id_name", "Placed under CSP")
    page.select_option("#id_kind", "base")
    page.fill("#id_country", "IQ")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:incidents_site_changelist"))
    site = Site.objects.get(slug="placed-under-csp")
    assert (site.latitude, site.longitude) == (float(latitude), float(longitude))
    assert violations(page) == []


def test_swagger_ui_runs_with_its_nonce(csp_page, live_server):
    response = csp_page.goto(live_server.url + "/api/v1/docs/")
    assert any(source.startswith("'nonce-") for source in script_src(response))
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(script_src(response))
    expect(csp_page.locator(".swagger-ui .info .title")).to_contain_text(
        "Basewatch API"
    )
    assert violations(csp_page) == []


def test_an_injected_inline_script_is_refused(csp_page, live_server):
    page = csp_page
    open_map(page, live_server)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true;";
          document.body.appendChild(script);
        }"""
    )
    wait_until(page, "() => window.__cspViolations.length > 0")
    assert page.evaluate("window.__injected === undefined")
    assert violations(page) == ["script-src-elem blocked inline"]
    # The refusal was also logged as a console error: expected here, so forgotten.
    assert any("Content Security Policy" in error for error in page.errors)
    page.errors.clear()


def test_eval_is_refused(csp_page, live_server):
    # DevTools lets eval run inside page.evaluate itself (how tests/browser/waiting.py
    # polls, without eval); the policy governs what runs later in the page, as
    # wait_for_function's polling does. So the eval is left to a timer.
    page = csp_page
    open_map(page, live_server)
    page.evaluate(
        """() => {
          setTimeout(() => {
            try {
              window.__evalOutcome = "ran " + eval("1 + 1");
            } catch (error) {
              window.__evalOutcome = error.name;
            }
          });
        }"""
    )
    assert wait_until(page, "() => window.__evalOutcome") == "EvalError"
    assert violations(page) == ["script-src blocked eval"]
    page.errors.clear()  # in case the refusal was also logged as a console error
