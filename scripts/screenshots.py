"""Regenerate the README's screenshots into ``docs/screenshots/``.

What a reader sees is checked by looking at it; this script makes the pictures the
README shows reproducible instead of hand-made. It builds a throwaway SQLite
database with the reference data (``migrate`` + ``load_reference_data``), serves it
with Django's development server on a free local port, and drives Debian's Chromium
through Playwright over each page in :data:`SHOTS`, in English and Arabic, at a
1440 px desktop and a 390 px phone (:data:`VIEWPORTS`).

Map tiles are answered with a blank tile, as in the browser tests: the pictures show
the bundled basemap, which is what every machine running the tests can draw, and the
output does not depend on a tile server. Every other off-site request is refused.

Each picture is written to a temporary name beside its final one and renamed, so an
interrupted run leaves the previous picture, never half a file.

Usage: ``python scripts/screenshots.py [--output DIR] [--only NAME ...]`` (``make
screenshots``). Needs the dev requirements (Playwright) and ``/usr/bin/chromium``
(or ``BASEWATCH_CHROMIUM``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "screenshots"
LANGUAGES = ("en", "ar")
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
# Long pages are cut here: the top of a page is what the README needs to show.
MAX_HEIGHT = 2400
# A 1x1 transparent PNG, answered for every tile (the same as tests/browser).
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)


@dataclass(frozen=True)
class Shot:
    """One page to photograph: its name, its address and what to wait for."""

    name: str
    path: str
    ready: str  # a CSS selector that is visible once the page has drawn
    full_page: bool = False


def shots(incident_id: int, site_slug: str) -> list[Shot]:
    map_ready = "#bw-app[data-state=ready]"
    return [
        Shot("map", "/", map_ready),
        Shot("popup", f"/?incident={incident_id}", ".leaflet-popup-content"),
        Shot("site", f"/sites/{site_slug}/", "main, body", full_page=True),
        Shot("incident", f"/incidents/{incident_id}/", "main, body", full_page=True),
        Shot("figures", "/stats/", "main, body", full_page=True),
    ]


def file_name(shot: str, language: str, viewport: str) -> str:
    return f"{shot}-{language}-{viewport}.png"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(args: list[str], env: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - fixed command


def _wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            code = server.returncode
            raise SystemExit(f"the development server stopped (exit {code})")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - local http
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the development server did not answer {url} in {timeout:.0f} s")


def _example_incident(base: str) -> tuple[int, str]:
    """A published incident with sources at a named site, from the API itself."""
    url = f"{base}/api/v1/incidents/?site=ain-al-asad&page_size=50"
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - local
        features = json.load(answer)["features"]
    if not features:
        raise SystemExit("the reference data has no incident at ain-al-asad")
    return int(features[0]["id"]), "ain-al-asad"


def _chromium() -> str:
    path = os.environ.get("BASEWATCH_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise SystemExit("Chromium not found (apt-get install chromium)")
    return path


def _answer_off_site(route) -> None:
    """Tiles get a blank tile; anything else from off site is refused."""
    if route.request.resource_type == "image":
        route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
    else:
        route.abort()


def _write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def photograph(base: str, output: Path, only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    incident_id, site_slug = _example_incident(base)
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium(), args=["--headless", "--no-sandbox"]
        )
        for language in LANGUAGES:
            for viewport, (width, height) in VIEWPORTS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    locale="ar" if language == "ar" else "en-US",
                )
                context.add_cookies(
                    [{"name": "django_language", "value": language, "url": base}]
                )
                context.route(lambda url: not url.startswith(base), _answer_off_site)
                page = context.new_page()
                for shot in shots(incident_id, site_slug):
                    if only and shot.name not in only:
                        continue
                    page.goto(base + shot.path)
                    page.locator(shot.ready).first.wait_for(state="visible")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(400)  # Leaflet's fade and zoom animations
                    full_height = page.evaluate("document.documentElement.scrollHeight")
                    clip = None
                    if shot.full_page:
                        clip = {
                            "x": 0,
                            "y": 0,
                            "width": width,
                            "height": min(full_height, MAX_HEIGHT),
                        }
                    target = output / file_name(shot.name, language, viewport)
                    _write_atomically(
                        target, page.screenshot(full_page=shot.full_page, clip=clip)
                    )
                    written.append(target)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--only", nargs="*", default=[], help="shot names to take")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="basewatch-shots-") as scratch:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{scratch}/screenshots.sqlite3",
        }
        _run(["migrate", "--noinput", "-v", "0"], env)
        _run(["load_reference_data"], env)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        serve = ["runserver", "--noreload", f"127.0.0.1:{port}"]
        server = subprocess.Popen(  # noqa: S603 - fixed command
            [sys.executable, "manage.py", *serve],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(base + "/", server)
            written = photograph(base, args.output, set(args.only))
        finally:
            server.terminate()
            server.wait(timeout=30)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
