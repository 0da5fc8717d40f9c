"""Benchmark: ``backup`` of a database of 100,000 incidents, against two references.

Run from the project root: ``.venv/bin/python bench/backup.py [--count 100000]
[--repeat 5] [--seed 1]``. Prints a Markdown table for ``bench/README.md``.

It builds a throwaway SQLite database in a temporary directory as ``api.py`` does
(migrate, the reference data, ``--count`` synthetic incidents), with
production-like settings (``DJANGO_DEBUG=0``), then times, on the same data in
the same run, each ``--repeat`` times in turn:

- **ours**: ``incidents.backup.database_backup``, what ``manage.py backup`` runs:
  ``dumpdata`` (history included, natural keys) gzipped and streamed into a
  temporary name in one read transaction, flushed and fsynced, then renamed
  onto the final name;
- **(a) straight to the name**: the same dump gzipped straight into the final
  name, no temporary file, no fsync, no rename: what the backup did before
  issue 21, so ours over (a) is the price of never leaving a truncated file;
- **(b) sqlite3 file copy**: stdlib ``sqlite3.Connection.backup`` into a new file,
  page by page: the floor of copying the data at all (not portable to
  PostgreSQL, not readable, which is why the backup is JSON).

Each ours file is checked to be a whole backup: it is gunzipped and parsed as
JSON and holds every incident of the database (``incidents.incident`` objects).
"""

import argparse
import gzip
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # noqa: E402
from _common import machine, timed  # noqa: E402


def build_database(count: int, seed: int) -> int:
    from django.core.management import call_command
    from django.db import connection

    from incidents.services import reference_data_load
    from incidents.synthetic import generate_synthetic

    call_command("migrate", verbosity=0)
    reference_data_load()
    result = generate_synthetic(count=count, seed=seed)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return result.incidents


def straight_to_the_name(path: Path) -> None:
    from django.db import transaction

    from incidents.backup import dump

    with transaction.atomic(), gzip.open(path, "wt", encoding="utf-8") as out:
        dump(out)


def sqlite_copy(database: Path, path: Path) -> None:
    source = sqlite3.connect(database)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def incidents_in(path: Path) -> int:
    with gzip.open(path, "rb") as handle:
        objects = orjson.loads(handle.read())
    return sum(obj["model"] == "incidents.incident" for obj in objects)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="incidents")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs each")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="basewatch-bench-") as tmp:
        directory = Path(tmp)
        database = directory / "bench.sqlite3"
        _common.configure(f"sqlite:///{database}")
        info = machine()
        print(
            f"machine: {info['cpus']} CPUs, {info['cpu']}; Python {info['python']}, "
            f"SQLite {info['sqlite']}, Django {info['django']}"
        )
        generated = build_database(args.count, args.seed)
        print(
            f"database: N={generated:,} synthetic incidents; file "
            f"{database.stat().st_size / 1e6:.1f} MB"
        )

        from incidents.backup import database_backup

        ours = directory / "ours.json.gz"
        straight = directory / "straight.json.gz"
        copy = directory / "copy.sqlite3"
        variants = {
            "ours": (lambda: database_backup(path=ours), ours, None),
            "(a) straight to the name": (
                lambda: straight_to_the_name(straight),
                straight,
                None,
            ),
            "(b) sqlite3 file copy": (
                lambda: sqlite_copy(database, copy),
                copy,
                lambda: copy.unlink(missing_ok=True),
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.repeat):
            for name, (run, _path, prepare) in variants.items():
                times[name].append(timed(run, prepare))
        from incidents.models import Incident

        total = Incident.objects.count()  # the synthetic ones and the reference data's
        held = incidents_in(ours)
        assert held == total, (held, total)
        assert incidents_in(straight) == total
        leftovers = [p.name for p in directory.iterdir() if p.name.endswith(".part")]
        assert not leftovers, leftovers

        reference = statistics.median(times["ours"])
        print(
            f"\n{args.repeat} runs each, interleaved; ours holds all {held:,} "
            "incidents\n"
        )
        print("| variant | median s | min s | max s | file MB | ours ÷ this |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, (_run, path, _prepare) in variants.items():
            median = statistics.median(times[name])
            print(
                f"| {name} | {median / 1000:.2f} | {min(times[name]) / 1000:.2f} "
                f"| {max(times[name]) / 1000:.2f} | {path.stat().st_size / 1e6:.1f} "
                f"| {reference / median:.2f} |"
            )


if __name__ == "__main__":
    main()
