"""A separate OS process for tests/project/test_concurrent_writes.py.

Run as ``python -m tests.concurrent_worker <mode> ...`` from the project root, with
``DJANGO_SETTINGS_MODULE`` and ``DATABASE_URL`` in the environment (read before
``django.setup()``, so the process uses the project's real settings: for SQLite its
WAL mode, busy timeout and IMMEDIATE transactions). Every mode prints exactly one
JSON object as its last line of stdout; a worker never lets an exception escape,
it reports it there.

Modes:
- ``setup``: migrate the (fresh) database, create one superuser and one site.
- ``write --worker N --count C --sync-dir D``: say it is ready (``D/ready-N``),
  wait for ``D/go``, then save C incidents through ``incident_create``, each
  summarised ``wN-iK``; report every exception, one per failed save.
- ``check``: count the incidents and their site links, list the summaries.
"""

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

USERNAME = "fault-admin"
SITE_SLUG = "fault-site"
GO_TIMEOUT = 60


def _django():
    import django

    django.setup()


def setup() -> dict:
    _django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from incidents.models import Site

    call_command("migrate", interactive=False, verbosity=0)
    user = get_user_model().objects.create_superuser(
        USERNAME, "fault@example.org", "not-a-real-password-123"
    )
    site = Site.objects.create(
        slug=SITE_SLUG,
        name="Fault site",
        kind=Site.Kind.BASE,
        country="SY",
        latitude=35.0,
        longitude=40.0,
        precision_m=1000,
    )
    return {"user": user.pk, "site": site.pk}


def write(worker: int, count: int, sync_dir: Path) -> dict:
    _django()
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection

    from incidents.models import Incident, Site
    from incidents.services import incident_create

    user = get_user_model().objects.get(username=USERNAME)
    site = Site.objects.get(slug=SITE_SLUG)
    connection.close()  # each save opens what it needs, as a request would

    (sync_dir / f"ready-{worker}").touch()
    deadline = time.monotonic() + GO_TIMEOUT
    while not (sync_dir / "go").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no go signal within {GO_TIMEOUT} s")
        time.sleep(0.005)

    started = time.monotonic()
    saved, errors, slowest = 0, [], 0.0
    for i in range(count):
        save_started = time.monotonic()
        try:
            incident_create(
                user=user,
                fields={
                    "occurred_on": datetime.date(2023, 11, 1 + i % 28),
                    "event_type": Incident.EventType.ATTACK,
                    "weapon": Incident.Weapon.ROCKET,
                    "status": Incident.Status.PUBLISHED,
                    "summary": f"w{worker}-i{i}",
                },
                sites=[site],
            )
            saved += 1
        except Exception as exc:  # reported, never raised: the test counts them
            errors.append(
                {
                    "i": i,
                    "type": type(exc).__name__,
                    "message": str(exc),
                    "after_s": round(time.monotonic() - save_started, 3),
                }
            )
        slowest = max(slowest, time.monotonic() - save_started)
    return {
        "worker": worker,
        "saved": saved,
        "errors": errors,
        "seconds": round(time.monotonic() - started, 3),
        "slowest_save": round(slowest, 3),
    }


def check() -> dict:
    _django()
    from django.db import transaction

    from incidents.models import ClusterCell, Incident
    from incidents.upkeep import rollup

    def cells() -> list:
        return sorted(
            ClusterCell.objects.values_list("day", "cell_x", "cell_y", "members")
        )

    summaries = list(Incident.objects.values_list("summary", flat=True))
    links = Incident.sites.through.objects.count()
    kept = cells()
    with transaction.atomic():  # the rollup rebuilt from scratch, then undone
        rollup.rebuild()
        rebuilt = cells()
        transaction.set_rollback(True)
    return {
        "count": len(summaries),
        "site_links": links,
        "summaries": summaries,
        "rollup_current": kept == rebuilt,
        "rollup_members": sum(row[3] for row in kept),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["setup", "write", "check"])
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--sync-dir", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.mode == "setup":
            result = setup()
        elif args.mode == "write":
            result = write(args.worker, args.count, args.sync_dir)
        else:
            result = check()
        result["fatal"] = None
    except BaseException as exc:  # noqa: B036 - reported to the test, then exit 1
        result = {
            "worker": args.worker,
            "fatal": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        }
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0 if result["fatal"] is None else 1


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.exit(main(sys.argv[1:]))
