"""Load test: the production server (gunicorn, DEBUG off) under wrk, on the map's API.

Run from the project root: ``.venv/bin/python bench/load.py [--duration 60]
[--connections 64] [--workers 3]``. Needs ``wrk`` (Debian: ``apt-get install wrk``).
See ``bench/README.md`` for recorded results.

It builds a throwaway SQLite database in a temporary directory (migrate + the
reference data: 26 sites, 130 incidents), collects the static files, starts
``gunicorn config.wsgi`` on 127.0.0.1 with production settings (DEBUG off, a random
secret key, ``DJANGO_SECURE_SSL_REDIRECT=0`` because wrk speaks plain HTTP), and
runs wrk against:

- **map API**: ``/api/v1/incidents/?bbox=…&page_size=500``, the map's own first
  request, as GeoJSON;
- **clusters**: ``/api/v1/incidents/clusters/?zoom=6&bbox=…``;
- **reference**: a static file through the same server (WhiteNoise), the floor
  of what the server stack itself costs per request.

Throttling is raised for the run (``BASEWATCH_ANON_RATE``, and
``BASEWATCH_USER_RATE``, which DRF also applies to anonymous clients): one address
sending thousands of requests a second is exactly what the throttle exists to stop,
and this measures capacity, not the throttle. Any non-2xx answer or socket error is
an error; the goal is zero.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BBOX = "35.5,29.0,48.8,37.4"
TARGETS = [
    (
        "map API (GeoJSON, 130 incidents)",
        f"/api/v1/incidents/?bbox={BBOX}&page_size=500",
    ),
    ("clusters, zoom 6", f"/api/v1/incidents/clusters/?zoom=6&bbox={BBOX}"),
    ("reference: a static file", "/static/incidents/css/map.css"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DATABASE_URL": f"sqlite:///{tmp / 'load.sqlite3'}",
        "BASEWATCH_ANON_RATE": "100000000/minute",
        # DRF's user throttle counts anonymous clients by address too.
        "BASEWATCH_USER_RATE": "100000000/minute",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} in {timeout} s")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> dict:
    result = {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "non_2xx": 0,
        "socket_errors": 0,
    }
    for pct in ("50", "90", "99"):
        found = re.search(rf"^\s+{pct}%\s+(\S+)", output, re.M)
        result[f"p{pct}"] = _ms(found.group(1)) if found else float("nan")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        result["non_2xx"] = int(non_2xx.group(1))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if errors:
        result["socket_errors"] = sum(int(n) for n in errors.groups())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per target")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    tmp = Path(tempfile.mkdtemp(prefix="basewatch-load-"))
    env = production_env(tmp)
    manage(env, "migrate", "--noinput")
    manage(env, "load_reference_data")
    manage(env, "collectstatic", "--noinput")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - fixed command
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    rows = []
    try:
        wait_until_up(base + TARGETS[0][1])
        for name, path in TARGETS:
            completed = subprocess.run(
                [
                    "wrk",
                    "--latency",
                    "-t2",
                    f"-c{args.connections}",
                    f"-d{args.duration}s",
                    base + path,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append((name, parse_wrk(completed.stdout)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"| {args.duration} s, {args.connections} connections, gunicorn "
        f"{args.workers} workers | requests | req/s | p50 ms | p90 ms | p99 ms | "
        "errors |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in rows:
        errors = r["non_2xx"] + r["socket_errors"]
        print(
            f"| {name} | {r['requests']:,} | {r['rps']:,.0f} | {r['p50']:.1f} | "
            f"{r['p90']:.1f} | {r['p99']:.1f} | {errors} |"
        )
    total = sum(r["non_2xx"] + r["socket_errors"] for _, r in rows)
    print(f"\nGoal: zero errors: {'met' if total == 0 else f'missed ({total})'}.")
    if total:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
