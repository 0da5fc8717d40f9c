"""The clusters' rollup (``upkeep.rollup``, ``clusters.from_rollup``).

Two promises, each tested against the slow, obvious answer:

- reading: clusters merged from the rollup equal clusters grouped from the incidents
  themselves, for random data (points on cell edges, unplaced, every status), random
  boxes (cutting cells, on points, the world), dates and zooms;
- upkeep: after every kind of write (ORM save and delete, queryset delete, ACLED
  import and re-import, synthetic data and its removal, restore), the rollup equals
  one rebuilt from scratch.
"""

import datetime
import io
import math
import random
import shutil

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from incidents import selectors
from incidents.clusters import from_rollup as rollup_clusters
from incidents.clusters.from_rollup import published_clusters, rollup_can_answer
from incidents.clusters.grid import describe_singles, incident_clusters
from incidents.ingest.acled import import_acled
from incidents.models import UNPLACED_CELL, ClusterCell, Incident
from incidents.selectors import IncidentFilters
from incidents.synthetic import generate_synthetic, remove_synthetic
from incidents.upkeep import rollup
from incidents.upkeep.rollup import BASE_CELL, BASE_ZOOM
from tests.ingest.acled.test_import_export import SAMPLE, rewrite

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2024, 1, 1)
STATUSES = ["published"] * 6 + ["draft", "review", "retracted"]


def rollup_rows() -> dict:
    """The rollup as {(day, x, y): (members, first id, extent), (sums)}."""
    rows = {}
    for cell in ClusterCell.objects.all():
        extent = (
            cell.min_longitude,
            cell.min_latitude,
            cell.max_longitude,
            cell.max_latitude,
        )
        rows[(cell.day, cell.cell_x, cell.cell_y)] = (
            (cell.members, cell.first_id, extent),
            (cell.sum_longitude, cell.sum_latitude),
        )
    return rows


def assert_rollup_current() -> None:
    """The rollup as kept equals the rollup rebuilt from the incidents (sums to
    rounding: adding chunk sums is not the same order of additions)."""
    kept = rollup_rows()
    with transaction.atomic():
        rollup.rebuild()
        rebuilt = rollup_rows()
        transaction.set_rollback(True)
    assert kept.keys() == rebuilt.keys()
    for key, (exact, sums) in rebuilt.items():
        assert kept[key][0] == exact, key
        assert kept[key][1] == pytest.approx(sums, abs=1e-7), key


def edge_longitude(rng: random.Random) -> float:
    """A longitude on, or one float step either side of, a base cell's edge."""
    edge = rng.randrange(2600, 2800) * BASE_CELL - 180.0
    return rng.choice([edge, math.nextafter(edge, 0), math.nextafter(edge, 200)])


def edge_latitude(rng: random.Random) -> float:
    edge = rng.randrange(1450, 1560) * BASE_CELL - 90.0
    return rng.choice([edge, math.nextafter(edge, 0), math.nextafter(edge, 100)])


def random_incidents(rng: random.Random, count: int) -> list[Incident]:
    incidents = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.05:
            lon = lat = None
        elif kind < 0.3:
            lon, lat = edge_longitude(rng), edge_latitude(rng)
        elif kind < 0.6:  # dense around a few places, as real data is
            lon = rng.choice([40.5, 42.4, 44.0]) + rng.gauss(0, 0.05)
            lat = rng.choice([35.0, 33.8, 36.2]) + rng.gauss(0, 0.05)
        else:
            lon, lat = rng.uniform(35.5, 48.8), rng.uniform(29.0, 37.4)
        incidents.append(
            Incident(
                occurred_on=FIRST + datetime.timedelta(days=rng.randrange(40)),
                event_type=Incident.EventType.ATTACK,
                weapon=Incident.Weapon.ROCKET,
                status=rng.choice(STATUSES),
                country="SY",
                longitude=lon,
                latitude=lat,
            )
        )
    return incidents


def random_incidents_with_reasons(rng: random.Random, count: int) -> list[Incident]:
    incidents = random_incidents(rng, count)
    # Retracted rows need a reason (a table constraint).
    for incident in incidents:
        if incident.status == "retracted":
            incident.retraction_reason = "Duplicate."
    return incidents


@pytest.fixture
def scattered():
    """600 incidents inserted in bulk (no signals), then the rollup rebuilt."""
    incidents = random_incidents_with_reasons(random.Random(8), 600)
    Incident.objects.bulk_create(incidents)
    rollup.rebuild()
    return incidents


def random_box(rng: random.Random, points: list[Incident]):
    placed = [p for p in points if p.longitude is not None]
    choice = rng.random()
    if choice < 0.15:
        return None
    if choice < 0.45:  # edges on incidents' own coordinates
        a, b = rng.sample(placed, 2)
        return (
            min(a.longitude, b.longitude),
            min(a.latitude, b.latitude),
            max(a.longitude, b.longitude),
            max(a.latitude, b.latitude),
        )
    west, south = rng.uniform(35, 46), rng.uniform(28, 36)
    return (west, south, west + rng.uniform(0.01, 9), south + rng.uniform(0.01, 6))


def comparable(body: dict) -> tuple:
    """An answer with its means rounded less finely: the rollup adds per-day sums,
    the query sums rows, and the last of 6 decimals may differ. Singletons' weapons
    are filled as ``published_clusters`` fills them: the rows' grouping reads them,
    the rollup's cells do not."""
    body = describe_singles(body, Incident.objects.published())
    features = [
        (
            f["properties"],
            [round(value, 4) for value in f["geometry"]["coordinates"]],
        )
        for f in body["features"]
    ]
    rest = {k: v for k, v in body.items() if k != "features"}
    return rest, features


def test_rollup_answers_as_the_incidents_do(scattered):
    rng = random.Random(3)
    for _ in range(120):
        zoom = rng.randrange(0, BASE_ZOOM + 1)
        bbox = random_box(rng, scattered)
        date_from = date_to = None
        if rng.random() < 0.5:
            date_from = FIRST + datetime.timedelta(days=rng.randrange(40))
            date_to = date_from + datetime.timedelta(days=rng.randrange(15))
        merged = rollup_clusters.rollup_clusters(
            zoom=zoom, bbox=bbox, date_from=date_from, date_to=date_to
        )
        queryset = Incident.objects.published()
        if date_from:
            queryset = queryset.filter(
                occurred_on__gte=date_from, occurred_on__lte=date_to
            )
        grouped = incident_clusters(queryset=queryset, zoom=zoom, bbox=bbox)
        assert merged is not None
        assert comparable(merged) == comparable(grouped), (zoom, bbox, date_from)
        assert merged["count"] > 0 or bbox is not None


def test_cut_cells_are_counted_from_the_incidents(scattered):
    """A box through the dense places cuts cells that hold incidents on both sides:
    the answer still equals the query's, and it took the cut-cell query."""
    bbox = (40.48, 34.97, 42.41, 35.02)
    with CaptureQueriesContext(connection) as captured:
        merged = rollup_clusters.rollup_clusters(zoom=BASE_ZOOM, bbox=bbox)
    assert len(captured.captured_queries) == 2  # the rollup, then the cut cells
    grouped = incident_clusters(
        queryset=Incident.objects.published(), zoom=BASE_ZOOM, bbox=bbox
    )
    assert comparable(merged) == comparable(grouped)
    assert merged["count"] > 0


def test_too_many_cut_cells_fall_back_to_the_incidents(scattered, monkeypatch):
    bbox = (40.48, 34.97, 42.41, 35.02)
    monkeypatch.setattr(rollup_clusters, "MAX_CUT_CELLS", 0)
    assert rollup_clusters.rollup_clusters(zoom=BASE_ZOOM, bbox=bbox) is None
    answer = published_clusters(filters=IncidentFilters(bbox=bbox), zoom=BASE_ZOOM)
    grouped = incident_clusters(
        queryset=Incident.objects.published(), zoom=BASE_ZOOM, bbox=bbox
    )
    assert answer == grouped


def test_which_requests_the_rollup_answers():
    box = (35.0, 29.0, 49.0, 38.0)
    day = datetime.date(2024, 1, 1)
    assert rollup_can_answer(IncidentFilters(), 5)
    assert rollup_can_answer(IncidentFilters(bbox=box, date_from=day), BASE_ZOOM)
    assert not rollup_can_answer(IncidentFilters(bbox=box), BASE_ZOOM + 1)
    for other in (
        {"sites": ("al-omar",)},
        {"actors": ("x",)},
        {"weapons": ("drone",)},
        {"text": "drone"},
        {"located": False},
        {"confidence": ("confirmed",)},
        {"near": (40.0, 35.0), "radius_km": 5.0},
    ):
        assert not rollup_can_answer(IncidentFilters(bbox=box, **other), 5), other


def test_the_endpoint_reads_the_rollup_for_box_and_dates(client, make):
    """Proof that the endpoint's answer comes from the rollup (and a filter the
    rollup cannot answer from the incidents): a row changed behind the upkeep's
    back shows in the first answer only."""
    make.incident(latitude=35.0, longitude=40.5)
    make.incident(latitude=35.0, longitude=40.5, weapon=Incident.Weapon.DRONE)
    ClusterCell.objects.exclude(cell_x=UNPLACED_CELL).update(members=50)
    box = {"zoom": "5", "bbox": "35,29,49,38"}
    assert client.get("/api/v1/incidents/clusters/", box).json()["count"] == 50
    drones = client.get("/api/v1/incidents/clusters/", {**box, "weapon": "drone"})
    assert drones.json()["count"] == 1


# --- upkeep ---------------------------------------------------------------------


def test_orm_saves_and_deletes_keep_it_current(make):
    a = make.incident(occurred_on=datetime.date(2024, 3, 1))
    b = make.incident(occurred_on=datetime.date(2024, 3, 1), longitude=40.01)
    make.incident(latitude=None, longitude=None, occurred_on=datetime.date(2024, 3, 2))
    make.incident(status="draft")
    assert_rollup_current()
    assert ClusterCell.objects.filter(cell_x=UNPLACED_CELL).get().members == 1

    a.occurred_on = datetime.date(2024, 3, 5)  # moves day: both days recomputed
    a.save()
    assert_rollup_current()
    b.longitude, b.latitude = 44.0, 33.0  # moves cell
    b.save()
    assert_rollup_current()
    b.status = "retracted"
    b.retraction_reason = "Duplicate."
    b.save()
    assert_rollup_current()
    a.delete()
    assert_rollup_current()
    assert ClusterCell.objects.filter(day=datetime.date(2024, 3, 1)).count() == 0

    for n in range(5):
        make.incident(longitude=40 + n / 100, occurred_on=datetime.date(2024, 4, n + 1))
    Incident.objects.filter(occurred_on__month=4).delete()
    assert_rollup_current()
    assert not ClusterCell.objects.filter(day__month=4).exists()


def test_a_failed_write_leaves_it_as_it_was(make):
    make.incident(occurred_on=datetime.date(2024, 3, 1))
    before = rollup_rows()
    with pytest.raises(RuntimeError), transaction.atomic():
        make.incident(occurred_on=datetime.date(2024, 3, 9))
        raise RuntimeError("rolled back")
    assert rollup_rows() == before
    assert_rollup_current()


def test_acled_import_and_reimport_keep_it_current(reference_data, tmp_path):
    assert_rollup_current()
    # All 13 rows, the two about no tracked site too: the rollup counts them.
    report = import_acled(SAMPLE, status="published", take_all=True)
    assert report.ok and report.created == 13
    assert_rollup_current()
    changed = tmp_path / "changed.csv"
    shutil.copy(SAMPLE, changed)

    def move(row):
        row["timestamp"] = str(int(row["timestamp"]) + 10)
        row["event_date"] = "2023-12-24"
        row["latitude"] = str(float(row["latitude"]) + 0.3)

    rewrite(changed, move)
    report = import_acled(changed)
    assert report.ok and report.updated == 13
    assert_rollup_current()
    on_the_new_day = ClusterCell.objects.filter(day=datetime.date(2023, 12, 24))
    assert sum(on_the_new_day.values_list("members", flat=True)) == 13


def test_synthetic_data_and_its_removal_keep_it_current(reference_data):
    # Small chunks, so later chunks add to cells earlier ones created.
    generate_synthetic(count=700, seed=1, chunk_size=150)
    assert_rollup_current()
    generate_synthetic(count=300, seed=2, chunk_size=300)
    assert_rollup_current()
    remove_synthetic()
    assert_rollup_current()
    published = Incident.objects.published().count()
    assert sum(ClusterCell.objects.values_list("members", flat=True)) == published


def test_restore_rebuilds_it(reference_data, tmp_path):
    path = tmp_path / "backup.json.gz"
    before = rollup_rows()
    assert before
    call_command("backup", str(path), stdout=io.StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not ClusterCell.objects.exists()
    call_command("restore", str(path), stdout=io.StringIO())
    assert rollup_rows().keys() == before.keys()
    assert_rollup_current()


def test_adding_new_rows_by_block_and_by_list():
    """``add_incidents`` takes a block of ids as a range and any other set as a
    list; either way the counts merge into the cells already there."""
    rng = random.Random(5)
    first = Incident.objects.bulk_create(random_incidents_with_reasons(rng, 40))
    rollup.add_incidents(incident.pk for incident in first)  # one block
    assert_rollup_current()
    second = Incident.objects.bulk_create(random_incidents_with_reasons(rng, 40))
    ids = [incident.pk for incident in second]
    rollup.add_incidents(ids[::2])  # not a block: every other id
    rollup.add_incidents(ids[1::2])
    assert_rollup_current()
    assert sum(ClusterCell.objects.values_list("members", flat=True)) == (
        Incident.objects.published().count()
    )


def test_the_list_count_from_the_rollup_is_the_rows_count(scattered, client):
    rng = random.Random(11)
    asked = 0
    for _ in range(80):
        bbox = random_box(rng, scattered)
        dates = {}
        if rng.random() < 0.5:
            day = FIRST + datetime.timedelta(days=rng.randrange(40))
            dates = {"date_from": day, "date_to": day + datetime.timedelta(days=9)}
        filters = IncidentFilters(bbox=bbox, **dates)
        counted = selectors.incident_list(user=None, filters=filters).count()
        known = rollup_clusters.listed_count(filters)
        narrow = bbox is not None and min(bbox[2] - bbox[0], bbox[3] - bbox[1]) < 1
        assert (known is None) == narrow, bbox
        if known is not None:
            asked += 1
            assert known == counted, (bbox, dates)
    assert asked > 30
    # Filters the rollup does not hold are counted from the rows.
    assert rollup_clusters.listed_count(IncidentFilters(weapons=("drone",))) is None
    # Through the API: the whole world, with the unplaced.
    body = client.get("/api/v1/incidents/", {"page_size": 1}).json()
    assert body["count"] == Incident.objects.published().count()
