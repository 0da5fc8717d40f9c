"""Shared pytest fixtures: the test database, reference data and model factories."""

import os

import pytest

from tests import factories
from tests import reference_snapshot as reference_snapshot_module


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """Give SQLite test runs a database file instead of Django's in-memory default.

    With an in-memory database the live server hands the test thread's one sqlite3
    connection to every request thread. Two requests at once on that connection
    deadlock: a query calling one of Django's Python SQL functions (date truncation)
    holds SQLite's mutex while it waits for the GIL, and another thread holds the GIL
    while it waits for that mutex. The site page fetches its timeline and its list
    together, so the browser tests hung there. A file gives each thread its own
    connection, as in production (WAL and the busy timeout come from settings).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_name = tmp_path_factory.mktemp("db") / "basewatch-test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_name)


@pytest.fixture(autouse=True)
def _no_kept_exports(settings):
    """Every test starts without kept export files (``export_files``): a file is
    named by the data version, and test databases roll back to the same ones."""
    yield
    directory = settings.BASEWATCH_EXPORT_CACHE_DIR
    if directory and os.path.isdir(directory):
        for name in os.listdir(directory):
            os.unlink(os.path.join(directory, name))


@pytest.fixture(scope="session")
def reference_snapshot(django_db_setup, django_db_blocker):
    """What ``load_reference_data`` writes, recorded once (``reference_snapshot``)."""
    with django_db_blocker.unblock():
        return reference_snapshot_module.capture()


@pytest.fixture
def reference_data(db, reference_snapshot):
    """The committed reference fixtures (26 sites, 126 attacks + 4 seed events, the
    probable duplicates' 3 merge proposals), as ``load_reference_data`` loads them:
    its rows, recorded once per session and copied in (``tests/reference_snapshot``)."""
    reference_snapshot_module.restore(reference_snapshot)


@pytest.fixture
def make():
    """Factories for hand-made rows: ``make.site(...)``, ``make.incident(...)``."""
    return factories
