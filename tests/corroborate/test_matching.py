"""When a report may describe an incident on record (``incidents.corroborate``): the
pure rules first, then the database side (``find_candidates``, ``RecordIndex``)."""

import datetime

import pytest

from incidents.corroborate import (
    EXACT,
    NEAR,
    OnRecord,
    RecordIndex,
    Report,
    decide,
    find_candidates,
    rank,
    report_for_incident,
)
from incidents.corroborate.matching import candidate, span

D = datetime.date
DAY = D(2023, 11, 15)


def on_record(pk=1, *, day=DAY, precision="day", **fields) -> OnRecord:
    values = {
        "event_type": "attack",
        "weapon": "rocket",
        "status": "published",
        "site_ids": frozenset({7}),
    }
    values.update(fields)
    return OnRecord(id=pk, occurred_on=day, date_precision=precision, **values)


def report(day=DAY, precision="day", **fields) -> Report:
    values = {"event_type": "attack", "weapon": "rocket", "site_ids": (7,)}
    values.update(fields)
    return Report(occurred_on=day, date_precision=precision, **values)


# --- the rules ------------------------------------------------------------------------


def test_spans_of_each_precision():
    assert span(D(2023, 11, 15), "day") == (D(2023, 11, 15), D(2023, 11, 15))
    assert span(D(2023, 11, 15), "week") == (D(2023, 11, 12), D(2023, 11, 18))
    assert span(D(2024, 2, 10), "month") == (D(2024, 2, 1), D(2024, 2, 29))
    assert span(D(2023, 12, 31), "month") == (D(2023, 12, 1), D(2023, 12, 31))


def test_same_site_same_day_same_weapon_is_exact():
    found = candidate(report(), on_record(), {7: "al-omar"})
    assert found.strength == EXACT
    assert "same site (al-omar)" in found.how and "same day" in found.how


@pytest.mark.parametrize("days", [1, -1])
def test_a_day_either_side_matches_but_only_near(days):
    found = candidate(report(D(2023, 11, 15) + datetime.timedelta(days)), on_record())
    assert found.strength == NEAR and "1 day apart" in found.how


def test_two_days_apart_is_no_match():
    assert candidate(report(D(2023, 11, 17)), on_record()) is None


def test_a_week_precise_report_matches_within_its_span_only():
    assert candidate(report(D(2023, 11, 18), "week"), on_record()).strength == NEAR
    assert candidate(report(D(2023, 11, 19), "week"), on_record()) is None


def test_a_month_precise_incident_matches_any_day_of_its_month():
    month = on_record(day=D(2023, 11, 1), precision="month")
    assert candidate(report(D(2023, 11, 30)), month).strength == NEAR
    assert candidate(report(D(2023, 12, 1)), month) is None


def test_another_site_is_no_match():
    assert candidate(report(site_ids=(8,)), on_record()) is None


@pytest.mark.parametrize(
    ("ours", "theirs", "matches"),
    [
        ("drone", "drone", True),
        ("drone", "unknown", True),
        ("unknown", "missile", True),
        ("", "rocket", True),
        ("mixed", "drone", True),
        ("drone", "missile", False),
        ("rocket", "mortar", False),
        ("ied", "mixed", False),
    ],
)
def test_weapons(ours, theirs, matches):
    found = candidate(report(weapon=ours), on_record(weapon=theirs))
    assert (found is not None) == matches


@pytest.mark.parametrize(
    ("ours", "theirs", "matches"),
    [
        ("attack", "interception", True),
        ("other", "meeting", True),
        ("attack", "strike", False),
        ("statement", "attack", False),
        ("sanction", "meeting", False),
    ],
)
def test_event_types(ours, theirs, matches):
    found = candidate(
        report(event_type=ours, weapon=""), on_record(event_type=theirs, weapon="")
    )
    assert (found is not None) == matches


def test_an_edit_never_matches_itself():
    assert candidate(report(exclude_ids=(1,)), on_record(1)) is None


def test_a_report_without_a_site_matches_by_distance_within_the_precisions():
    placed = on_record(site_ids=frozenset(), point=(40.0, 35.0), precision_m=2000)
    close = report(site_ids=(), point=(40.02, 35.0), precision_m=1000)  # 1.8 km
    far = report(site_ids=(), point=(40.1, 35.0), precision_m=1000)  # 9 km
    assert candidate(close, placed).strength == NEAR  # never exact without a site
    assert candidate(far, placed) is None
    # A report that names a site is matched by its site alone.
    assert candidate(report(site_ids=(9,), point=(40.0, 35.0)), placed) is None


def test_ranking_puts_exact_first_then_score():
    records = [
        on_record(1, day=D(2023, 11, 14)),
        on_record(2, weapon="unknown"),
        on_record(3),
    ]
    assert [c.incident_id for c in rank(report(), records)] == [3, 2, 1]


def test_decide_attaches_only_to_a_single_exact_candidate():
    one = rank(report(), [on_record(1), on_record(2, day=D(2023, 11, 16))])
    assert decide(one).attach_to.incident_id == 1
    two = rank(report(), [on_record(1), on_record(2, weapon="unknown")])
    assert decide(two).attach_to is None and len(decide(two).candidates) == 2
    near_only = rank(report(), [on_record(1, day=D(2023, 11, 16))])
    assert decide(near_only).attach_to is None
    assert decide([]).attach_to is None


# --- on the database ------------------------------------------------------------------


@pytest.fixture
def base(db, make):
    return make.site(slug="al-omar", name="Al-Omar")


def test_find_candidates_reads_incidents_at_the_site(make, base):
    other = make.site(slug="conoco", name="Conoco")
    at_base = make.incident(sites=[base], occurred_on=D(2023, 11, 15))
    make.incident(sites=[other], occurred_on=D(2023, 11, 15))
    make.incident(sites=[base], occurred_on=D(2023, 12, 15))
    found = find_candidates(report(site_ids=(base.pk,)))
    assert [c.incident_id for c in found] == [at_base.pk]
    assert found[0].strength == EXACT and found[0].status == "published"


def test_drafts_are_on_record_tombstones_are_not(make, base):
    draft = make.incident(sites=[base], status="draft")
    survivor = make.incident(sites=[base])
    merged = make.incident(sites=[base], status="merged", merged_into=survivor)
    found = {c.incident_id for c in find_candidates(report(site_ids=(base.pk,)))}
    assert found == {draft.pk, survivor.pk}  # the survivor holds its reports
    assert merged.pk not in found


def test_a_retracted_incident_is_shown_but_never_attached(make, base):
    retracted = make.incident(
        sites=[base], status="retracted", retraction_reason="Did not happen."
    )
    (found,) = find_candidates(report(site_ids=(base.pk,)))
    assert (found.incident_id, found.strength) == (retracted.pk, NEAR)
    assert decide([found]).attach_to is None


def test_an_index_for_a_batch_answers_like_one_query_per_report(make, base):
    days = [D(2023, 10, 1), D(2023, 11, 15), D(2024, 1, 20)]
    for day in days:
        make.incident(sites=[base], occurred_on=day)
        make.incident(sites=[base], occurred_on=day, weapon="drone")
    reports = [report(day, site_ids=(base.pk,)) for day in days]
    reports.append(report(D(2023, 11, 16), "week", site_ids=(base.pk,)))
    index = RecordIndex(reports)
    for one in reports:
        assert index.candidates(one) == find_candidates(one)


def test_an_index_looks_only_at_what_was_on_record(make, base):
    before = make.incident(sites=[base])
    after = make.incident(sites=[base])
    index = RecordIndex([report(site_ids=(base.pk,))], up_to_id=before.pk)
    assert [c.incident_id for c in index.candidates(report(site_ids=(base.pk,)))] == [
        before.pk
    ]
    assert after.pk > before.pk


def test_a_saved_incident_as_a_report_finds_its_twin_not_itself(make, base):
    first = make.incident(sites=[base])
    second = make.incident(sites=[base])
    found = find_candidates(report_for_incident(second))
    assert [c.incident_id for c in found] == [first.pk]
