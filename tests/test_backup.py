"""``backup`` and ``restore``: the whole database, history included, round-trips."""

import datetime
import gzip
import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from incidents.backup import dump
from incidents.models import Incident
from incidents.rules.workflow import incident_move
from incidents.services import incident_update

pytestmark = pytest.mark.django_db


# A backup is Django's JSON, which keeps times to the millisecond: a time whose
# microseconds are 1-999 dumps as "...:03.000Z" and, once restored, as "...:03Z".
# Both say the same millisecond (test_times_are_kept_to_the_millisecond).
_SUB_MILLISECOND = re.compile(r'(T\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)"')


def _dump() -> list[dict]:
    out = io.StringIO()
    dump(out)
    text = _SUB_MILLISECOND.sub(r'\1\2"', out.getvalue())
    return sorted(json.loads(text), key=lambda o: json.dumps(o, sort_keys=True))


@pytest.fixture
def history(reference_data, django_user_model):
    reviewer = django_user_model.objects.create_user("rev", password="not-a-password")
    reviewer.groups.add(Group.objects.get(name="Reviewer"))
    incident = Incident.objects.filter(status="published").first()
    incident_update(incident=incident, user=reviewer, fields={"injured": 7})
    incident_move(incident=incident, user=reviewer, move="retract", reason="Dup.")
    return incident


def test_a_backup_restores_to_the_same_database(history, tmp_path):
    before = _dump()
    assert any(o["model"] == "incidents.historicalincident" for o in before)
    path = tmp_path / "basewatch.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    if connection.vendor == "postgresql":
        # Inside the test's transaction PostgreSQL still holds deferred
        # foreign-key checks, and TRUNCATE refuses tables with pending ones.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert Incident.objects.count() == 0 and Group.objects.count() == 0
    call_command("restore", str(path), stdout=io.StringIO())
    assert _dump() == before
    restored = Incident.objects.get(pk=history.pk)
    assert (restored.status, restored.retraction_reason) == ("retracted", "Dup.")
    users = {r.history_user.username for r in restored.history.all() if r.history_user}
    assert users == {"rev"}


def _round_trip(tmp_path) -> None:
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(path), stdout=io.StringIO())


def test_times_are_kept_to_the_millisecond(db, make, tmp_path):
    second = datetime.datetime(2023, 11, 15, 8, 30, 3, tzinfo=datetime.UTC)
    first, other = make.incident(), make.incident()
    Incident.objects.filter(pk=first.pk).update(
        updated_at=second.replace(microsecond=400)
    )
    Incident.objects.filter(pk=other.pk).update(
        updated_at=second.replace(microsecond=123456)
    )
    _round_trip(tmp_path)
    assert Incident.objects.get(pk=first.pk).updated_at == second
    assert Incident.objects.get(pk=other.pk).updated_at == second.replace(
        microsecond=123000
    )


def test_restore_refuses_a_database_with_content(history, tmp_path):
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", str(path), stdout=io.StringIO())


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    path = tmp_path / "not.json.gz"
    path.write_text("plain text, not gzip")
    with pytest.raises(CommandError, match="not a gzipped backup"):
        call_command("restore", str(path))
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "missing.json.gz"))


def test_a_broken_backup_restores_nothing(db, tmp_path):
    path = tmp_path / "broken.json.gz"
    with gzip.open(path, "wt") as out:
        json.dump(
            [
                {
                    "model": "incidents.actor",
                    "pk": 1,
                    "fields": {
                        "slug": "a",
                        "name": "A",
                        "name_ar": "",
                        "aliases": [],
                        "kind": "armed_group",
                        "parent": None,
                        "search_text": "",
                    },
                },
                # Latitude 95: the database's check constraint refuses it.
                {
                    "model": "incidents.site",
                    "pk": 1,
                    "fields": {
                        "slug": "bad",
                        "name": "Bad",
                        "kind": "base",
                        "country": "SY",
                        "latitude": 95,
                        "longitude": 40,
                    },
                },
            ],
            out,
        )
    with pytest.raises(Exception):  # noqa: B017 - loaddata's own error types vary
        call_command("restore", str(path))
    from incidents.models import Actor

    assert Actor.objects.count() == 0  # all or nothing


def test_a_backup_cut_off_leaves_the_earlier_one_and_no_part(
    db, make, tmp_path, monkeypatch
):
    """A disk that fills halfway through: the earlier backup under the same name
    stays whole and restorable, and no partial file is left beside it."""
    import errno

    import incidents.backup as backup

    make.incident(summary="before")
    target = tmp_path / "basewatch.json.gz"
    call_command("backup", str(target))
    good = target.read_bytes()

    def disk_fills(*args, stdout, **kwargs):
        stdout.write('[{"model": "incidents.incident", "pk": 1, "fields": {')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "call_command", disk_fills)
    with pytest.raises(OSError, match="No space"):
        backup.database_backup(path=target)
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    json.loads(gzip.decompress(good))  # the earlier one is still a whole backup
