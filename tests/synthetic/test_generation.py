"""Synthetic incidents for benchmarks: realistic, in range, reproducible, removable.

A benchmark is only as good as its data, and synthetic rows live in the same tables
as real ones; so these tests pin that every synthetic row is marked and removable
without touching anything else, that a seed always gives the same rows, and that the
rows obey every constraint the real ones do.
"""

import datetime
import io
import json
import math

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bench.synthetic_reference import OrmChunks
from incidents.models import (
    Actor,
    Citation,
    Incident,
    Involvement,
    Site,
    Source,
    incident_search_text,
)
from incidents.synthetic import (
    EXTERNAL_ID_PREFIX,
    FIRST_DAY,
    LAST_DAY,
    NO_WEAPON,
    SOURCE_URL_PREFIX,
    ReferenceDataMissing,
    SyntheticSeedInUse,
    generate_synthetic,
    remove_synthetic,
    synthetic_incidents,
)

pytestmark = pytest.mark.django_db

N = 500
Through = Incident.sites.through


def _table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Site, Actor, Source, Incident, Involvement, Citation, Through)
    }


def _linked_sites() -> dict[int, tuple[Site, ...]]:
    """Each synthetic incident's sites in the order they were linked (the first one
    gives the incident its point, country and precision)."""
    linked: dict[int, tuple[Site, ...]] = {}
    links = (
        Through.objects.filter(incident__in=synthetic_incidents().values("pk"))
        .select_related("site")
        .order_by("pk")
    )
    for link in links:
        linked[link.incident_id] = (*linked.get(link.incident_id, ()), link.site)
    return linked


def _snapshot() -> list[tuple]:
    """Everything generated except primary keys and timestamps."""
    incidents = synthetic_incidents().order_by("external_id")
    linked = _linked_sites()
    rows = []
    for incident in incidents.prefetch_related("involvements", "citations__source"):
        rows.append(
            (
                incident.external_id,
                incident.occurred_on,
                incident.occurred_at,
                incident.date_precision,
                incident.event_type,
                incident.weapon,
                incident.latitude,
                incident.longitude,
                incident.precision_m,
                incident.country,
                incident.admin1,
                incident.injured,
                incident.killed,
                incident.damage,
                incident.summary,
                incident.status,
                incident.search_text,
                tuple(site.slug for site in linked.get(incident.pk, ())),
                tuple(
                    (i.actor_id, i.role)
                    for i in sorted(incident.involvements.all(), key=lambda i: i.pk)
                ),
                tuple(
                    (c.source.url, c.stance, c.quote)
                    for c in sorted(incident.citations.all(), key=lambda c: c.pk)
                ),
            )
        )
    return rows


@pytest.fixture
def generated(reference_data):
    return generate_synthetic(count=N, seed=3)


def test_generates_the_count_asked_with_relations(generated):
    assert generated.incidents == N
    assert synthetic_incidents().count() == N
    ids = synthetic_incidents().values("pk")
    assert Through.objects.filter(incident__in=ids).count() == generated.site_links
    assert (
        Involvement.objects.filter(incident__in=ids).count() == generated.involvements
    )
    assert Citation.objects.filter(incident__in=ids).count() == generated.citations
    # Every incident concerns at least one site; some two, most have actors and
    # sources, and a few have neither.
    assert generated.site_links > N
    assert not synthetic_incidents().filter(sites__isnull=True).exists()
    assert N * 0.5 < generated.involvements < N * 2.5
    assert N * 1.0 < generated.citations < N * 3
    assert synthetic_incidents().filter(citations__isnull=True).exists()
    assert (
        generated.sources_created
        == Source.objects.filter(url__startswith=SOURCE_URL_PREFIX).count()
    )


def test_same_seed_same_rows_other_seed_other_rows(reference_data):
    generate_synthetic(count=N, seed=11)
    first = _snapshot()
    remove_synthetic()
    generate_synthetic(count=N, seed=11)
    assert _snapshot() == first
    remove_synthetic()
    generate_synthetic(count=N, seed=12)
    assert [row[1:] for row in _snapshot()] != [row[1:] for row in first]


def test_every_row_is_within_range_and_consistent(generated):
    weapons = {value for value, _ in Incident.Weapon.choices}
    linked = _linked_sites()
    for incident in synthetic_incidents():
        assert FIRST_DAY <= incident.occurred_on <= LAST_DAY
        if incident.date_precision != Incident.DatePrecision.DAY:
            assert incident.occurred_at is None
        assert incident.injured is None or incident.injured >= 0
        assert incident.killed is None or incident.killed >= 0
        if incident.event_type in NO_WEAPON:
            assert incident.weapon == ""
        else:
            assert incident.weapon in weapons
        assert incident.search_text == incident_search_text(
            incident.summary, incident.damage, incident.external_id
        )
        assert incident.summary.startswith("[synthetic] ")
        first = linked[incident.pk][0]
        assert incident.country == first.country
        if incident.latitude is None:
            # Only incidents at a site nobody could place lack a point.
            assert incident.longitude is None and not first.has_location
            continue
        assert -90 <= incident.latitude <= 90 and -180 <= incident.longitude <= 180
        # Scattered around its site: well within six standard deviations.
        sigma_km = min(max((first.precision_m or 3000) / 1000, 0.5), 10.0)
        dy = (incident.latitude - first.latitude) * 111.195
        dx = (
            (incident.longitude - first.longitude)
            * 111.195
            * math.cos(math.radians(first.latitude))
        )
        assert math.hypot(dx, dy) < 6 * sigma_km * math.sqrt(2)
        assert incident.precision_m == first.precision_m


def test_values_are_mixed_like_real_data(generated):
    incidents = synthetic_incidents()

    def distinct(field):
        return set(incidents.values_list(field, flat=True))

    # Every status but "merged": a tombstone names its survivor, and synthetic
    # data draws no merges.
    assert distinct("status") == set(Incident.Status.values) - {"merged"}
    published = incidents.filter(status=Incident.Status.PUBLISHED).count()
    assert 0.8 * N < published < 0.97 * N
    assert distinct("date_precision") == {"day", "week", "month"}
    assert {"attack", "interception", "strike"} <= distinct("event_type")
    assert {"drone", "rocket", "unknown"} <= distinct("weapon")
    injured = distinct("injured")
    assert None in injured and 0 in injured and any(v for v in injured if v)
    assert None in distinct("killed") and 0 in distinct("killed")
    assert incidents.exclude(damage="").exists()
    assert incidents.filter(occurred_at__isnull=False).exists()
    assert incidents.filter(latitude__isnull=True).exists()
    assert len(distinct("country")) >= 2
    # Arabic summaries too, so text search has both scripts to work on.
    assert incidents.filter(summary__contains="على").exists()
    confidence = set(
        incidents.with_confidence().values_list("confidence_level", flat=True)
    )
    assert {"confirmed", "reported", "claimed", "disputed"} <= confidence
    roles = set(
        Involvement.objects.filter(incident__in=incidents.values("pk")).values_list(
            "role", flat=True
        )
    )
    assert {"claimed_by", "attributed_to", "target"} <= roles
    # Bursty in time: the busiest tenth of the days holds far more than a tenth of
    # the incidents (counted on day-precise ones; the others sit on a week's or a
    # month's first day).
    days = (LAST_DAY - FIRST_DAY).days + 1
    per_day = [0] * days
    for day in incidents.filter(date_precision="day").values_list(
        "occurred_on", flat=True
    ):
        per_day[(day - FIRST_DAY).days] += 1
    busiest = sorted(per_day, reverse=True)[: days // 10]
    assert sum(busiest) > 0.3 * sum(per_day)


def test_every_synthetic_row_is_marked(generated):
    assert all(
        external_id.startswith(EXTERNAL_ID_PREFIX)
        for external_id in synthetic_incidents().values_list("external_id", flat=True)
    )
    cited = Source.objects.filter(
        citations__incident__in=synthetic_incidents().values("pk")
    ).distinct()
    assert cited.exists()
    urls = cited.values_list("url", flat=True)
    assert all(url.startswith(SOURCE_URL_PREFIX) for url in urls)


def test_remove_deletes_synthetic_rows_only(reference_data, make):
    # Real rows that merely look alike must survive: SQLite's LIKE ignores case.
    lookalike = make.incident(external_id="syn-keep-me")
    kept_source = make.source(url="https://synthetic.example.org/real")
    before = _table_counts()
    generate_synthetic(count=N, seed=5)
    generate_synthetic(count=50, seed=6)
    assert _table_counts()["Incident"] == before["Incident"] + N + 50
    removed = remove_synthetic()
    assert removed.incidents == N + 50
    assert removed.sources > 0
    assert _table_counts() == before
    assert Incident.objects.filter(pk=lookalike.pk).exists()
    assert Source.objects.filter(pk=kept_source.pk).exists()
    assert remove_synthetic().incidents == 0


def test_same_seed_twice_is_refused_until_removed(generated):
    with pytest.raises(SyntheticSeedInUse):
        generate_synthetic(count=10, seed=3)
    generate_synthetic(count=10, seed=4)  # another seed is fine, sources shared
    remove_synthetic()
    generate_synthetic(count=10, seed=3)


def test_needs_placed_sites(db):
    with pytest.raises(ReferenceDataMissing, match="load_reference_data"):
        generate_synthetic(count=10)
    Site.objects.create(slug="nowhere", name="Nowhere", kind="base", country="SY")
    with pytest.raises(ReferenceDataMissing):
        generate_synthetic(count=10)


def test_zero_incidents_is_fine(reference_data):
    assert generate_synthetic(count=0, seed=1).incidents == 0
    assert not synthetic_incidents().exists()


def test_command_generates_and_removes_with_json(reference_data):
    out = io.StringIO()
    call_command(
        "generate_incidents", "--count", "40", "--seed", "9", "--json", stdout=out
    )
    summary = json.loads(out.getvalue())
    assert summary["generated"]["incidents"] == 40
    assert summary["generated"]["seed"] == 9
    assert summary["generated"]["incidents_per_second"] > 0
    assert synthetic_incidents().count() == 40

    # The same seed again is refused through the command too...
    with pytest.raises(CommandError, match="seed 9"):
        call_command("generate_incidents", "--count", "5", "--seed", "9")

    # ...unless --remove clears the way first.
    call_command("generate_incidents", "--remove", "--count", "5", "--seed", "9")
    assert synthetic_incidents().count() == 5

    out = io.StringIO()
    call_command("generate_incidents", "--remove", stdout=out)
    assert "Removed 5 synthetic incidents" in out.getvalue()
    assert not synthetic_incidents().exists()


def test_command_needs_count_or_remove_and_reference_data(db):
    with pytest.raises(CommandError, match="--count"):
        call_command("generate_incidents")
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("generate_incidents", "--count", "5")


def test_dates_span_the_whole_period(reference_data):
    generate_synthetic(count=2000, seed=2)
    days = synthetic_incidents().values_list("occurred_on", flat=True)
    assert min(days) < datetime.date(2023, 11, 1)
    assert max(days) > datetime.date(2025, 9, 1)


def test_command_leaves_planner_statistics_behind(reference_data):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("sqlite_stat1 is SQLite's statistics table")
    call_command("generate_incidents", count=50, seed=7, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'incidents_incident'"
        )
        assert cursor.fetchone()[0] > 0


def _stored_extras() -> list[tuple]:
    """The fields the generator does not draw, as the ORM reads them back."""
    return list(
        synthetic_incidents()
        .order_by("external_id")
        .values_list(
            "external_id",
            "external_data",
            "external_timestamp",
            "retraction_reason",
            "retracted_at",
            "created_by",
            "updated_by",
        )
    )


def test_fast_path_stores_exactly_what_the_orm_path_stores(reference_data):
    """The ``executemany`` path and ``bulk_create`` (the old path, kept as the
    reference) give the same rows back through the ORM, field for field."""
    generate_synthetic(count=N, seed=11, writer=OrmChunks())
    orm_rows, orm_extras = _snapshot(), _stored_extras()
    remove_synthetic()
    before = timezone.now()
    generate_synthetic(count=N, seed=11)
    after = timezone.now()
    assert _snapshot() == orm_rows
    assert _stored_extras() == orm_extras
    assert orm_extras[0][1:] == ({}, None, "", None, None, None)
    for created, updated in synthetic_incidents().values_list(
        "created_at", "updated_at"
    ):
        # As the ORM gives them: "now" for each, a few microseconds apart.
        assert before <= created <= updated <= after
        assert created.tzinfo is not None


def test_ids_are_new_and_the_orm_carries_on_after_them(reference_data, make):
    generate_synthetic(count=30, seed=1)
    first = set(synthetic_incidents().values_list("pk", flat=True))
    remove_synthetic()
    generate_synthetic(count=30, seed=1)
    second = sorted(synthetic_incidents().values_list("pk", flat=True))
    # Consecutive, and never an id a deleted incident had (as with AUTOINCREMENT).
    assert second == list(range(second[0], second[0] + 30))
    assert second[0] > max(first)
    assert make.incident(summary="after").pk > second[-1]
    # Related rows point at the incidents they were drawn for.
    assert not Involvement.objects.filter(incident__isnull=True).exists()
    assert Through.objects.filter(incident__in=second).count() >= 30


def test_generating_and_removing_bump_the_data_version(reference_data):
    from incidents.upkeep.freshness import data_freshness

    start = data_freshness().version
    generate_synthetic(count=25, seed=8, chunk_size=10)
    # One bump for the new sources, one per chunk.
    assert data_freshness().version == start + 1 + 3
    remove_synthetic()
    assert data_freshness().version == start + 5
    remove_synthetic()  # nothing left: nothing changed
    assert data_freshness().version == start + 5
