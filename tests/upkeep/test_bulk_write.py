"""One upkeep entry point (``incidents.upkeep.bulk_write``): every bulk writer goes
through it, and it leaves the rollup and the data version current, or rolls back
with the write."""

import ast
import datetime
from pathlib import Path

import pytest
from django.db import transaction

from incidents import upkeep
from incidents.models import ClusterCell, Incident
from incidents.upkeep.freshness import data_freshness
from tests.clusters.test_rollup import assert_rollup_current

pytestmark = pytest.mark.django_db

PACKAGE = Path(upkeep.__file__).resolve().parent.parent  # incidents/
# What only ``upkeep`` may call: a writer calling one of them by hand is a writer
# that can forget the other.
UPKEEP_ONLY = {"data_changed", "refresh_days", "add_incidents", "rebuilt_after"}


def bypasses(path: Path) -> list[str]:
    """Where ``path`` calls the rollup or bumps the data version itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.ImportFrom):
            names = {alias.name for alias in node.names}
            if names & (UPKEEP_ONLY | {"rollup", "freshness"}) and (
                "upkeep" in (node.module or "")
            ):
                found.append(f"{path.name}:{node.lineno} imports {sorted(names)}")
        if name in UPKEEP_ONLY:
            found.append(f"{path.name}:{node.lineno} {name}")
    return found


def test_no_writer_bypasses_the_entry_point():
    outside = [
        path
        for path in PACKAGE.rglob("*.py")
        if "upkeep" not in path.relative_to(PACKAGE).parts
        and "migrations" not in path.relative_to(PACKAGE).parts
    ]
    assert len(outside) > 100  # the walk did find the package
    assert [hit for path in outside for hit in bypasses(path)] == []


def test_the_check_catches_a_writer_that_bypasses(tmp_path):
    writer = tmp_path / "writer.py"
    writer.write_text(
        "from incidents.upkeep import rollup\n"
        "from incidents.upkeep.freshness import data_changed\n"
        "def write(days):\n"
        "    rollup.refresh_days(days)\n"
        "    data_changed()\n",
        encoding="utf-8",
    )
    assert len(bypasses(writer)) == 4


def raw_insert(**fields) -> int:
    """An incident written as a bulk writer writes one: no save(), no signal."""
    values = {
        "occurred_on": datetime.date(2024, 1, 5),
        "date_precision": "day",
        "event_type": "attack",
        "weapon": "drone",
        "status": Incident.Status.PUBLISHED,
        "latitude": 35.15,
        "longitude": 40.57,
        "summary": "bulk",
        "search_text": "bulk",
        "damage": "",
        **fields,
    }
    (created,) = Incident.objects.bulk_create([Incident(**values)])
    return created.pk


def test_added_incidents_are_counted_and_the_version_bumped(db):
    before = data_freshness().version
    with upkeep.bulk_write() as write:
        ids = [raw_insert(), raw_insert(longitude=42.4)]
        write.added(ids)
    assert data_freshness().version == before + 1
    assert ClusterCell.objects.exists()
    assert_rollup_current()


def test_touched_days_are_recomputed(db):
    with upkeep.bulk_write() as write:
        pk = raw_insert()
        write.added([pk])
    with upkeep.bulk_write() as write:
        Incident.objects.filter(pk=pk).update(occurred_on=datetime.date(2024, 2, 1))
        write.days([datetime.date(2024, 1, 5), datetime.date(2024, 2, 1)])
    assert_rollup_current()
    assert set(ClusterCell.objects.values_list("day", flat=True)) == {
        datetime.date(2024, 2, 1)
    }


def test_nothing_recorded_changes_nothing(db):
    before = data_freshness()
    with upkeep.bulk_write():
        pass
    assert data_freshness() == before


def test_a_failed_write_rolls_back_its_upkeep_too(db):
    before = data_freshness()
    with pytest.raises(RuntimeError), upkeep.bulk_write() as write:
        write.added([raw_insert()])
        write.changed()
        raise RuntimeError("the write failed")
    assert data_freshness() == before
    assert not Incident.objects.exists()
    assert not ClusterCell.objects.exists()


def test_a_rebuild_pauses_per_row_upkeep_and_rebuilds_once(db, make):
    with upkeep.bulk_write(rebuild=True):
        for n in range(3):
            make.incident(
                status=Incident.Status.PUBLISHED,
                occurred_on=datetime.date(2024, 1, n + 1),
            )
        # Per-row upkeep is paused: nothing counted until the end.
        assert not ClusterCell.objects.exists()
    assert ClusterCell.objects.count() == 3
    assert_rollup_current()


def test_inside_an_outer_transaction_it_commits_with_it(db):
    before = data_freshness().version
    with transaction.atomic():
        with upkeep.bulk_write() as write:
            write.added([raw_insert()])
        transaction.set_rollback(True)
    assert data_freshness().version == before
    assert not ClusterCell.objects.exists()
