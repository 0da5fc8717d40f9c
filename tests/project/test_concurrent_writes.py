"""Eight processes saving incidents at once into one database lose nothing.

Each worker (tests/concurrent_worker.py) is its own OS process with the project's
real settings, as separate gunicorn workers or an editor and an import would be,
and saves through the real write path, ``incidents.services.incident_create``.
On SQLite that exercises what settings promise: WAL, ``IMMEDIATE`` transactions
and the busy timeout make writers queue for the one write lock instead of failing
with "database is locked" (which counts as an error here, like any other).

The PostgreSQL case needs a server: it uses the one ``DATABASE_URL`` names when
that is PostgreSQL, else ``postgres://postgres@127.0.0.1:5432``; it creates a
throw-away database there and drops it afterwards. Without a reachable server it
skips, unless ``BASEWATCH_REQUIRE_POSTGRES=1`` (set by .ci/run) makes that a failure.
"""

import json
import os
import secrets
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests import ROOT

WORKERS = 8
PER_WORKER = 200
# A hang guard, not a speed check (speed is bench/'s): a worker stuck past this is a
# failure rather than a hung run. Each database's run takes about a minute on this
# 2-core machine (66 s on PostgreSQL, 69 s on SQLite, measured with nothing else
# running) and past 120 s when the machine is busy: every save of a published
# incident takes the rollup's lock (incidents/upkeep/rollup.py), so the 1,600 saves
# (~75 ms each, a full_clean's constraint queries included) queue one by one. Kept
# under pytest's 300 s faulthandler limit (pyproject.toml).
PROCESS_TIMEOUT = 240
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def _run(mode: str, database_url: str, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.concurrent_worker", mode, *args],
        cwd=ROOT,
        env=_worker_env(database_url),
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
    )
    return _result(proc.returncode, proc.stdout, proc.stderr)


def _worker_env(database_url: str) -> dict:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["DATABASE_URL"] = database_url
    # The test process itself runs with DEBUG on (development settings); so do the
    # workers, unless the environment already says otherwise.
    env.setdefault("DJANGO_DEBUG", "1")
    return env


def _result(returncode: int, stdout: str, stderr: str) -> dict:
    lines = stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        pytest.fail(f"worker gave no result (exit {returncode}):\n{stdout}\n{stderr}")
    if result.get("fatal"):
        pytest.fail(f"worker failed: {result['fatal']}\n{result.get('traceback')}")
    return result


def _postgres_server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}:
        return urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return DEFAULT_POSTGRES


def _postgres_unavailable(reason: str):
    if os.environ.get("BASEWATCH_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"BASEWATCH_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'fault.sqlite3'}"


@pytest.fixture
def postgres_url():
    try:
        import psycopg
    except ImportError:
        _postgres_unavailable("psycopg is not installed")
    server = _postgres_server_url()
    try:
        admin = psycopg.connect(
            server.replace("postgres://", "postgresql://", 1),
            autocommit=True,
            connect_timeout=5,
        )
    except psycopg.OperationalError as exc:
        _postgres_unavailable(f"PostgreSQL is not reachable at {server}: {exc}")
    name = f"basewatch_fault_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_concurrent_incident_creates_all_land(database, request, tmp_path):
    url = request.getfixturevalue(f"{database}_url")
    _run("setup", url)

    sync_dir = tmp_path / "sync"
    sync_dir.mkdir()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.concurrent_worker",
                "write",
                f"--worker={n}",
                f"--count={PER_WORKER}",
                f"--sync-dir={sync_dir}",
            ],
            cwd=ROOT,
            env=_worker_env(url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    try:
        # All start writing at once, not one by one as each finishes Django's setup.
        deadline = time.monotonic() + PROCESS_TIMEOUT
        while len(list(sync_dir.glob("ready-*"))) < WORKERS:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                break
            time.sleep(0.01)
        (sync_dir / "go").touch()
        started = time.monotonic()
        outputs = [p.communicate(timeout=PROCESS_TIMEOUT) for p in procs]
        elapsed = time.monotonic() - started
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    results = [
        _result(p.returncode, out, err)
        for p, (out, err) in zip(procs, outputs, strict=True)
    ]

    errors = {r["worker"]: r["errors"] for r in results if r["errors"]}
    locked = sum(
        "database is locked" in e["message"] for errs in errors.values() for e in errs
    )
    assert not errors, (
        f"{sum(map(len, errors.values()))} failed saves ({locked} 'database is "
        f"locked'); first per worker: { {w: e[0] for w, e in errors.items()} }"
    )
    assert [r["saved"] for r in results] == [PER_WORKER] * WORKERS

    check = _run("check", url)
    expected = {f"w{w}-i{i}" for w in range(WORKERS) for i in range(PER_WORKER)}
    assert check["count"] == WORKERS * PER_WORKER == 1600
    assert len(set(check["summaries"])) == check["count"]
    assert set(check["summaries"]) == expected
    assert check["site_links"] == WORKERS * PER_WORKER
    # The clusters' rollup, kept by each save's own transaction, missed none.
    assert check["rollup_current"] and check["rollup_members"] == 1600
    slowest = max(r["slowest_save"] for r in results)
    print(
        f"{database}: {WORKERS}x{PER_WORKER} incidents in {elapsed:.1f} s, "
        f"slowest single save {slowest:.2f} s"
    )
