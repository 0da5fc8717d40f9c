"""Benchmark: the map page at "/" in headless Chromium, with many incidents.

Run from the project root: ``.venv/bin/python bench/map.py [--count 100000]
[--repeat 5] [--production] [--db PATH | --database-url URL]``. See
``bench/README.md`` for recorded results.

It builds two throwaway SQLite databases in a temporary directory (migrate,
``load_reference_data``, and in the first one ``generate_incidents --count N --seed
1``; the second, the reference, holds only the reference data), serves each with
``manage.py runserver --noreload`` (``DJANGO_DEBUG=1``, as a developer runs it; with
``--production``: DEBUG off, ``collectstatic`` into the temporary directory and
``--nostatic``, so WhiteNoise serves the compressed, hashed files as it does in
production) and
loads "/" from both, round-robin after one warm-up load each, in a fresh browser
context every time (empty cache). Every request that leaves our server (map tiles)
gets a 1x1 PNG from ``page.route`` and is not counted.

Measured per load:

- **drawn**: from navigation start until ``#bw-app`` has ``data-state="ready"`` and
  ``#map`` holds at least one ``.bw-incident-marker`` or ``.bw-cluster``, timed in
  the page by a MutationObserver (``performance.now()``);
- **bytes** and **requests**: responses from our server finished before that moment;
  bytes are as transferred (Chromium's encoded body plus headers, via
  ``request.sizes()``);
- **pan**: the Leaflet map (caught from django-leaflet's ``map:init`` event) is
  moved half a screen with ``panBy``; the time until ``data-state`` is back to
  ``ready``, once the page has been quiet (no request in flight, no state change)
  for a second. A page that does not reload on panning says "no reload".

Only the table goes to stdout.
"""

import argparse
import base64
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)
TIMEOUT_MS = 120_000
QUIET_S = 1.0

# Runs before the page's own scripts: records state changes and the drawn moment.
WATCH = """(() => {
  const bw = (window.__bw = { ready: null, states: [] });
  addEventListener("map:init", (event) => { bw.map = event.detail.map; });
  const check = () => {
    const app = document.getElementById("bw-app");
    if (!app) return;
    const state = app.dataset.state, last = bw.states[bw.states.length - 1];
    if (!last || last[0] !== state) bw.states.push([state, performance.now()]);
    const map = document.getElementById("map");
    if (bw.ready === null && state === "ready" && map
        && map.querySelector(".bw-incident-marker, .bw-cluster")) {
      bw.ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
  });
})();"""


# Set by main(): "dev" (runserver, DEBUG on, files through the staticfiles app) or
# "production" (DEBUG off, collectstatic's compressed, hashed files from WhiteNoise).
MODE = {"name": "dev", "static_root": None}


def env(db: Path | str) -> dict:
    """The server's environment; ``db`` is a SQLite file or a database URL."""
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    values = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    if MODE["name"] == "production":
        values |= {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_STATIC_ROOT": str(MODE["static_root"]),
            # Plain HTTP on 127.0.0.1; the page load is measured, not the throttle.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "BASEWATCH_ANON_RATE": "100000000/minute",
        }
    return values


def manage(db: Path | str, *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(
        command, cwd=ROOT, env=env(db), check=True, stdout=subprocess.DEVNULL
    )


def build(db: Path, count: int) -> None:
    manage(db, "migrate", "-v0")
    manage(db, "load_reference_data", "-v0")
    if count:
        manage(db, "generate_incidents", "--count", str(count), "--seed", "1")


def serve(db: Path | str, log: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "manage.py", "runserver", "--noreload"]
    if MODE["name"] == "production":
        command.append("--nostatic")  # WhiteNoise serves them, as in production
    server = subprocess.Popen(
        [*command, f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env(db),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/v1/sites/", timeout=5):
                return server, base
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.terminate()
    sys.exit(f"server did not start; see {log}:\n{log.read_text()[-2000:]}")


def sent(requests) -> int:
    """Bytes as transferred: encoded bodies plus response headers."""
    sizes = [request.sizes() for request in requests]
    return sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)


def load(browser, base: str) -> dict:
    """One load of "/" in a fresh context, then one pan."""
    # The page's Content-Security-Policy forbids eval, which Playwright's
    # wait_for_function needs for its predicate; the page's own scripts are the same.
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, bypass_csp=True
    )
    page = context.new_page()
    page.add_init_script(WATCH)
    page.route(
        lambda url: not url.startswith(base + "/"),
        lambda route: route.fulfill(
            status=200, content_type="image/png", body=BLANK_PNG
        ),
    )
    started, finished, inflight = [], [], set()

    def on_request(request):
        if request.url.startswith(base + "/"):
            started.append(request)
            inflight.add(request)

    def on_done(request):
        if request in inflight:
            inflight.discard(request)
            finished.append(request)

    page.on("request", on_request)
    page.on("requestfinished", on_done)
    page.on("requestfailed", lambda request: inflight.discard(request))
    page.goto(base + "/", wait_until="commit", timeout=TIMEOUT_MS)
    try:
        page.wait_for_function("window.__bw.ready !== null", timeout=TIMEOUT_MS)
    except PlaywrightError:
        states = page.evaluate("JSON.stringify(window.__bw.states)")
        sys.exit(f"{base}/: markers never drawn; data-state changes: {states}")
    done_before, started_before = list(finished), len(started)
    drawn = page.evaluate("window.__bw.ready")
    result = {"drawn": drawn, "bytes": sent(done_before), "requests": started_before}
    result.update(pan(page, inflight, finished))
    context.close()
    return result


def pan(page, inflight: set, finished: list) -> dict:
    page.wait_for_timeout(QUIET_S * 1000)  # let the first load settle
    before_states = page.evaluate("window.__bw.states.length")
    before_done = len(finished)
    if not page.evaluate("Boolean(window.__bw.map)"):
        sys.exit("django-leaflet's map:init event never gave the Leaflet map")
    t0 = page.evaluate(
        """() => { const t = performance.now();
          window.__bw.map.panBy([640, 0], { animate: false }); return t; }"""
    )
    quiet_since, deadline = time.monotonic(), time.monotonic() + TIMEOUT_MS / 1000
    seen = before_states
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)
        count, state = page.evaluate(
            "[window.__bw.states.length, document.getElementById('bw-app')"
            ".dataset.state]"
        )
        if count != seen or inflight or state != "ready":
            seen, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_S:
            break
    states = page.evaluate("window.__bw.states")[before_states:]
    readies = [t for state, t in states if state == "ready"]
    return {
        "pan": (readies[-1] - t0) if readies else None,
        "pan_bytes": sent(finished[before_done:]),
    }


def summary(values: list, scale: float = 1.0, fmt: str = "{:,.0f}") -> str:
    if None in values:  # the page did not change state on panning
        return "no reload"
    median = fmt.format(statistics.median(values) / scale)
    low, high = fmt.format(min(values) / scale), fmt.format(max(values) / scale)
    return f"{median} ({low}–{high})"


def ratio(a: list, b: list) -> str:
    if None in a or None in b:
        return "–"
    mb = statistics.median(b)
    return f"{statistics.median(a) / mb:.1f}×" if mb else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="reuse this SQLite database (migrated, reference data and --count "
        "incidents, e.g. the one bench/scale.py --db keeps) instead of building one",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="serve this database instead (e.g. a PostgreSQL one bench/scale.py "
        "--postgres URL --keep left), migrated and holding --count incidents",
    )
    parser.add_argument(
        "--production",
        action="store_true",
        help="DEBUG off, static files collected and served by WhiteNoise",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bw-bench-map-") as tmp:
        tmp = Path(tmp)
        big, ref = tmp / "big.sqlite3", tmp / "reference.sqlite3"
        if args.production:
            MODE.update(name="production", static_root=tmp / "static")
        if args.database_url:
            big = args.database_url
        elif args.db:
            big = Path(args.db).resolve()
        else:
            build(big, args.count)
        build(ref, 0)
        if args.production:
            manage(big, "collectstatic", "--noinput", "-v0")
        servers = [serve(big, tmp / "big.log"), serve(ref, tmp / "ref.log")]
        runs = {"big": [], "ref": []}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                )
                for _server, base in servers:  # warm-up: imports, SQLite cache
                    load(browser, base)
                for _ in range(args.repeat):
                    for name, (_server, base) in zip(runs, servers, strict=True):
                        runs[name].append(load(browser, base))
                browser.close()
        finally:
            for server, _base in servers:
                server.terminate()
                server.wait(timeout=30)
    rows = [
        ("until markers drawn, ms", "drawn", 1, "{:,.0f}"),
        ("transferred before, KB", "bytes", 1000, "{:,.0f}"),
        ("requests before", "requests", 1, "{:.0f}"),
        ("pan until ready, ms", "pan", 1, "{:,.0f}"),
        ("transferred for pan, KB", "pan_bytes", 1000, "{:,.1f}"),
    ]
    ref_label = "130 incidents"  # the reference data alone
    big_label = f"{args.count:,} + {ref_label}"
    print(f"Server: {MODE['name']}\n")
    print(f"| median (min–max) of {args.repeat} | {big_label} | {ref_label} | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for label, key, scale, fmt in rows:
        a = [r[key] for r in runs["big"]]
        b = [r[key] for r in runs["ref"]]
        print(
            f"| {label} | {summary(a, scale, fmt)} | {summary(b, scale, fmt)} | "
            f"{ratio(a, b)} |"
        )
    drawn = statistics.median(r["drawn"] for r in runs["big"])
    kb = statistics.median(r["bytes"] for r in runs["big"]) / 1000
    print(
        f"\nGoals at {args.count:,}: drawn under 1,500 ms: "
        f"{'met' if drawn < 1500 else 'missed'}; under 1 MB before tiles: "
        f"{'met' if kb < 1000 else 'missed'}."
    )


if __name__ == "__main__":
    main()
