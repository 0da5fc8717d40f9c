"""Backing up and restoring the whole database, history included, as one gzipped
JSON file (Django's serialization, through ``dumpdata``/``loaddata``).

Why JSON and not a copy of the SQLite file: the same file restores into SQLite or
PostgreSQL (so it is also the way from one to the other), it can be read and
checked, and it is taken inside one read transaction, so it is consistent while
editors keep working.

What is left out, and why: content types and permissions (every migrated database
makes its own; rows point at them by natural key), sessions (logins do not survive
a restore on purpose), django-axes' login-attempt logs, and the data version
(``incidents.upkeep.freshness``: a restore bumps it, so that no cache or ETag from
before can match). Everything else, users, groups, incidents, sources and every history
table, goes in.

A restore goes into a freshly migrated database that holds no content, in one
transaction: it refuses to mix a backup with existing incidents.
"""

import gzip
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from . import upkeep
from .models import Actor, Incident, Site, Source

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "incidents.dataversion",
    "incidents.clustercell",  # derived: rebuilt by restore
]
if apps.is_installed("axes"):
    EXCLUDED += ["axes"]


class RestoreRefused(Exception):
    """The database already holds content, or the file is not a backup."""


def dump(out) -> None:
    """Write what a backup holds, as Django's JSON, to the text stream ``out``."""
    call_command(
        "dumpdata",
        exclude=EXCLUDED,
        natural_foreign=True,
        natural_primary=True,
        stdout=out,
        verbosity=0,
    )


def database_backup(*, path: Path) -> int:
    """Write the backup; returns its size in bytes.

    It is streamed to a temporary file beside ``path`` and renamed onto it only
    when complete and flushed to disk: a backup cut off (a full disk, a killed
    process) leaves no file under the final name that looks whole, and never
    replaces a good earlier backup of the same name."""
    path = Path(path)
    handle, temporary_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part"
    )
    temporary = Path(temporary_name)
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            transaction.atomic(),
        ):
            with gzip.open(raw, "wt", encoding="utf-8") as out:
                dump(out)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def database_restore(*, path: Path) -> None:
    """Load a backup into an empty, migrated database, all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise RestoreRefused(f"{path} is not a file")
    if any(model.objects.exists() for model in (Incident, Site, Actor, Source)):
        raise RestoreRefused(
            "the database already holds sites, actors, sources or incidents; "
            "restore into a freshly migrated, empty database"
        )
    try:
        with gzip.open(path, "rb") as handle:
            handle.read(1)
    except OSError as error:
        raise RestoreRefused(f"{path} is not a gzipped backup: {error}") from error
    with _history_paused(), upkeep.bulk_write(rebuild=True):
        # loaddata reads .json.gz by its name; any other name is given a format.
        call_command("loaddata", str(path), format="json", verbosity=0)


@contextmanager
def _history_paused():
    """The backup brings its own history; loaddata setting an incident's sites
    would otherwise add a record to it. (A setting, so a restore must run alone in
    its process, as the ``restore`` command does.)"""
    before = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = before
