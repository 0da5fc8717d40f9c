"""Benchmark: generating synthetic incidents, against the old ``bulk_create`` path.

Run from the project root: ``.venv/bin/python bench/generate.py [--count 100000]
[--orm-count 10000] [--repeat 3] [--seed 1] [--postgres URL]``. Prints a Markdown
table for ``bench/README.md``.

Each run of each variant is a fresh child process with its own throwaway SQLite
database in a temporary directory (migrate + reference data, not timed), as in
``acled_import.py``, so peak RSS (``ru_maxrss``) is that run's alone:

- **ours**: ``generate_synthetic(count=--count)``, the code path
  ``generate_incidents`` uses (``incidents/synthetic/writing.py``): tuples and
  ``executemany`` on SQLite, ``COPY`` on PostgreSQL;
- **(ref) bulk_create**: ``generate_synthetic(count=--orm-count,
  writer=OrmChunks())``: the same draws inserted the old way
  (``bench/synthetic_reference.py``), at a
  smaller N since it is ten times slower.

Both time the whole call: the seed check, the source pool, drawing, inserting and
one ``data_changed()`` per chunk. Variants run round-robin, ``--repeat`` times
each, so noise from other processes falls on both alike; the table shows medians,
and incidents per CPU-second of the process as well (less sensitive to a busy
machine than wall time, which is what counts). ``--postgres URL`` (a server URL,
e.g. ``postgres://postgres@127.0.0.1:5432/postgres``) runs the same against a
throwaway database created on that server for each run, and dropped after.

Settings are production-like (``DJANGO_DEBUG=0``).
"""

import argparse
import json
import os
import platform
import resource
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def configure(database_url: str) -> None:
    """Point Django at the throwaway database; must run before ``django.setup()``."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "localhost"
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    from incidents.services import reference_data_load

    call_command("migrate", verbosity=0)
    reference_data_load()


def run_variant(variant: str, database_url: str, count: int, seed: int) -> dict:
    """One run in this (child) process; returns its measurements."""
    configure(database_url)
    from bench.synthetic_reference import OrmChunks
    from incidents.synthetic import generate_synthetic

    writer = OrmChunks() if variant == "orm" else None
    cpu = time.process_time()
    result = generate_synthetic(count=count, seed=seed, writer=writer)
    cpu = time.process_time() - cpu
    return {
        "incidents": result.incidents,
        "rows": result.rows,
        "seconds": result.seconds,
        "cpu_seconds": cpu,
    }


VARIANTS = [
    ("sql", "ours: executemany (COPY on PostgreSQL)"),
    ("orm", "(ref) bulk_create, the old path"),
]


class Databases:
    """A throwaway database per run: a SQLite file, or a PostgreSQL database."""

    def __init__(self, tmp: Path, postgres: str | None):
        self.tmp, self.postgres, self.n = tmp, postgres, 0

    def __enter__(self):
        if self.postgres:
            import psycopg

            server = self.postgres.replace("postgres://", "postgresql://", 1)
            self.admin = psycopg.connect(server, autocommit=True)
        return self

    def __exit__(self, *exc):
        if self.postgres:
            self.admin.close()

    def create(self) -> str:
        self.n += 1
        if not self.postgres:
            return f"sqlite:///{self.tmp / f'run{self.n}.sqlite3'}"
        self.name = f"basewatch_bench_{secrets.token_hex(4)}"
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        return urlunsplit(urlsplit(self.postgres)._replace(path=f"/{self.name}"))

    def drop(self) -> None:
        if self.postgres:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            for path in self.tmp.glob(f"run{self.n}.sqlite3*"):
                path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--orm-count", type=int, default=None, help="default count/10")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server URL")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:  # a child: one run, JSON out
        result = run_variant(args.variant, args.database, args.count, args.seed)
        result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    counts = {"sql": args.count, "orm": args.orm_count or max(args.count // 10, 1)}
    print(
        f"{'PostgreSQL' if args.postgres else f'SQLite {sqlite3.sqlite_version}'}; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; load average "
        f"{os.getloadavg()[0]:.1f} at the start; seed {args.seed}, "
        f"{args.repeat} runs each\n"
    )
    runs: dict[str, list[dict]] = {variant: [] for variant, _ in VARIANTS}
    with (
        tempfile.TemporaryDirectory(prefix="generate-bench-") as tmp,
        Databases(Path(tmp), args.postgres) as databases,
    ):
        for _ in range(args.repeat):
            for variant, label in VARIANTS:
                url = databases.create()
                try:
                    child = subprocess.run(
                        [
                            sys.executable,
                            __file__,
                            "--variant",
                            variant,
                            "--database",
                            url,
                            "--count",
                            str(counts[variant]),
                            "--seed",
                            str(args.seed),
                        ],
                        capture_output=True,
                        text=True,
                        cwd=ROOT,
                    )
                finally:
                    databases.drop()
                if child.returncode:
                    sys.exit(f"{label} failed:\n{child.stderr}")
                runs[variant].append(json.loads(child.stdout.strip().splitlines()[-1]))

    def median(variant: str, key) -> float:
        return statistics.median(key(run) for run in runs[variant])

    ours = median("sql", lambda r: r["incidents"] / r["seconds"])
    print(
        "| variant | incidents | median s | median incidents/s | median rows/s "
        "| incidents per CPU-s | ratio | peak RSS MB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for variant, label in VARIANTS:
        per_second = median(variant, lambda r: r["incidents"] / r["seconds"])
        ratio = "" if variant == "sql" else f"ours/(ref) = **{ours / per_second:.1f}×**"
        print(
            f"| {label} | {counts[variant]:,} | "
            f"{median(variant, lambda r: r['seconds']):.2f} | {per_second:,.0f} | "
            f"{median(variant, lambda r: r['rows'] / r['seconds']):,.0f} | "
            f"{median(variant, lambda r: r['incidents'] / r['cpu_seconds']):,.0f} | "
            f"{ratio} | {max(r['rss_mb'] for r in runs[variant]):.0f} |"
        )
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
