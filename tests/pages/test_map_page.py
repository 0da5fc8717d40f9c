"""The map page without a browser: it names the API URLs it reads, embeds no data,
carries its labels as inert JSON, and its scripts use no HTML sinks.
"""

from html.parser import HTMLParser

import orjson
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE_SUMMARY = "<img src=x onerror=alert(1)>"


class _Scripts(HTMLParser):
    """Collects <script> elements and the data URLs named in data- attributes."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.data_urls: list[str] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("data-incidents-url", "data-sites-url", "data-actors-url"):
            if name in attributes:
                self.data_urls.append(attributes[name])
        if tag == "script":
            self._current = {"attrs": attributes, "text": ""}
            self.scripts.append(self._current)

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None


def test_map_page_names_the_api_urls_and_embeds_no_data(client, make):
    make.site(name="Tal Baydar <b>", latitude=36.7, longitude=40.6)
    make.incident(summary=HOSTILE_SUMMARY)

    response = client.get(reverse("incidents:map"))

    assert response.status_code == 200
    html = response.content.decode()
    parser = _Scripts()
    parser.feed(html)
    # The map reads the REST API (URLs from {% url %}), never data in the page.
    assert parser.data_urls == [
        reverse("api:incident-list"),
        reverse("api:site-list"),
        reverse("api:actor-list"),
    ]
    # Nothing from the database is in the page: map/main.js fetches it.
    assert "Tal Baydar" not in html
    assert "onerror" not in html
    # Our code arrives as a module file; the only inline executable script is
    # django-leaflet's loader, built from settings, not from data.
    modules = [s for s in parser.scripts if s["attrs"].get("type") == "module"]
    # (lang_switch.js, from base.html, only keeps the language form's "next" current.)
    assert [s["attrs"]["src"] for s in modules] == [
        "/static/incidents/js/map/main.js",
        "/static/incidents/js/lang_switch.js",
    ]
    inline = [
        s
        for s in parser.scripts
        if "src" not in s["attrs"] and s["attrs"].get("type") != "application/json"
    ]
    assert len(inline) == 1
    assert "L.Map.djangoMap" in inline[0]["text"]
    assert "window.basewatchMapInit" in inline[0]["text"]
    # Leaflet itself is served locally, never from a CDN.
    external = [
        s["attrs"]["src"]
        for s in parser.scripts
        if s["attrs"].get("src", "").startswith(("http:", "https:", "//"))
    ]
    assert external == []


def test_map_page_labels_are_inert_json(client):
    response = client.get(reverse("incidents:map"))
    parser = _Scripts()
    parser.feed(response.content.decode())

    (labels,) = [s for s in parser.scripts if s["attrs"].get("id") == "bw-labels"]
    assert labels["attrs"]["type"] == "application/json"
    decoded = orjson.loads(labels["text"])
    assert decoded["weapon"]["small_arms"] == "small arms"
    assert decoded["date_precision"] == {
        "week": "known to the week",
        "month": "known to the month",
    }
    assert decoded["text"]["not_reported"] != decoded["text"]["none_reported"]
    # Site popups name the country (issue 20), in the page's language.
    assert decoded["country"]["SY"] == "Syria"
    arabic = _Scripts()
    arabic.feed(
        client.get(reverse("incidents:map"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    )
    (labels,) = [s for s in arabic.scripts if s["attrs"].get("id") == "bw-labels"]
    assert orjson.loads(labels["text"])["country"]["SY"] == "سوريا"


def test_map_scripts_use_no_html_sinks():
    """Incident text is untrusted: the map's modules never parse strings as HTML."""
    from pathlib import Path

    from django.conf import settings

    js = Path(settings.BASE_DIR) / "static" / "incidents" / "js"
    files = [*sorted((js / "map").glob("*.js")), *sorted((js / "common").glob("*.js"))]
    assert len(files) > 1
    sinks = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
    for path in files:
        code = "\n".join(
            line
            for line in path.read_text().splitlines()
            if not line.lstrip().startswith(("*", "/*", "//"))
        )
        for sink in sinks:
            assert sink not in code, f"{path.name} uses {sink}"


def test_the_page_preloads_exactly_the_modules_map_js_imports(client):
    """The preload list in views.py must follow map/main.js's imports, at any depth."""
    import re

    from django.conf import settings

    from incidents.pages.views import MAP_MODULES

    static = settings.BASE_DIR / "static"
    pattern = re.compile(
        r'^(?:import|export)\b[^;]*?from\s+"(\.\.?/[^"]+)"', re.M | re.S
    )
    seen: set[str] = set()
    pending = ["incidents/js/map/main.js"]
    while pending:
        module = pending.pop()
        folder = module.rsplit("/", 1)[0]
        for relative in pattern.findall((static / module).read_text()):
            parts = folder.split("/")
            for part in relative.split("/"):
                if part == "..":
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            resolved = "/".join(parts)
            if resolved not in seen:
                seen.add(resolved)
                pending.append(resolved)
    assert seen == set(MAP_MODULES)
    html = client.get(reverse("incidents:map")).content.decode()
    for module in MAP_MODULES:
        assert f'<link rel="modulepreload" href="/static/{module}">' in html
