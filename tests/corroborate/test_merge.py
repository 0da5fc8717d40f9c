"""Merging two incidents into one, without HTTP (``incidents.corroborate.merge``).

What moves and how (citations, involvements, sites, the survivor's empty fields),
that the survivor's confidence is that of both incidents' citations together
(a denial survives, a claim never becomes a confirmation), the history on both
sides, the tombstone, proposals and outside reports, the refusals, the workflow
and the service refusing to touch a tombstone, and the derived data kept
current.
"""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from incidents.corroborate import merge_proposal_create
from incidents.corroborate.merge import STANCE_WEIGHT, incidents_merge, merge_reason
from incidents.models import (
    Citation,
    ExternalReport,
    Incident,
    Involvement,
    MergeProposal,
    Source,
)
from incidents.rules import workflow
from incidents.rules.confidence import derive_confidence
from incidents.services import incident_update
from incidents.upkeep.freshness import data_freshness
from tests.clusters.test_rollup import assert_rollup_current

pytestmark = pytest.mark.django_db

STANCES = list(Citation.Stance.values)
KINDS = [Source.Kind.NEWS, Source.Kind.OFFICIAL, Source.Kind.CLAIM_CHANNEL]


def _user(django_user_model, name: str, group: str | None):
    user = django_user_model.objects.create_user(name, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def reviewer(django_user_model):
    return _user(django_user_model, "reviewer", "Reviewer")


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "editor", "Editor")


def confidence_of(incident: Incident) -> str:
    return derive_confidence(
        Citation.objects.filter(incident=incident).values_list("stance", "source__kind")
    )


# --- what moves ----------------------------------------------------------------------


def test_citations_involvements_and_sites_move(make, reviewer):
    base, field, town = make.site(), make.site(), make.site()
    group, target = make.actor(), make.actor()
    a, b, shared = make.source(), make.source(), make.source()
    survivor = make.incident(
        sites=[field, base],
        citations=[(a, "reports"), (shared, "reports")],
        involvements=[(group, "claimed_by")],
    )
    merged = make.incident(
        sites=[town, base],
        citations=[(b, "confirms"), (shared, "reports")],
        involvements=[(group, "claimed_by"), (target, "target")],
    )
    moved = Citation.objects.get(incident=merged, source=b)
    result = incidents_merge(survivor=survivor, merged=merged, user=reviewer)

    assert result.pk == survivor.pk
    assert sorted(
        Citation.objects.filter(incident=survivor).values_list("source_id", flat=True)
    ) == sorted([a.pk, b.pk, shared.pk])
    # The moved row is the same row: its id (and anything naming it) survives.
    assert Citation.objects.get(pk=moved.pk).incident_id == survivor.pk
    assert set(
        Involvement.objects.filter(incident=survivor).values_list("actor_id", "role")
    ) == {(group.pk, "claimed_by"), (target.pk, "target")}
    links = Incident.sites.through.objects.filter(incident=survivor).order_by("pk")
    assert list(links.values_list("site_id", flat=True)) == [
        field.pk,
        base.pk,
        town.pk,
    ]
    assert not Citation.objects.filter(incident=merged).exists()
    assert not Involvement.objects.filter(incident=merged).exists()


def test_the_tombstone_names_its_survivor(make, reviewer):
    survivor, merged = make.incident(), make.incident(external_id="ACLED-1")
    merged.external_data = {"event_id_cnty": "ACLED-1"}
    merged.save()
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    merged.refresh_from_db()
    assert merged.status == Incident.Status.MERGED
    assert merged.merged_into_id == survivor.pk
    assert merged.updated_by == reviewer
    # An importer meeting the outside id again follows the tombstone.
    assert merged.external_id == "ACLED-1"
    assert merged.external_data == {"event_id_cnty": "ACLED-1"}
    # The database holds every tombstone to its survivor.
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=merged.pk).update(merged_into=None)


def test_empty_fields_are_filled_and_others_kept(make, reviewer):
    survivor = make.incident(
        summary="",
        damage="",
        weapon="",
        injured=None,
        killed=0,
        latitude=None,
        longitude=None,
        admin1="",
        date_precision="week",
    )
    merged = make.incident(
        summary="Three rockets hit the base.",
        damage="A hangar burned.",
        weapon="rocket",
        injured=2,
        killed=1,
        latitude=34.5,
        longitude=40.5,
        precision_m=250,
        admin1="Deir ez-Zor",
        occurred_on=datetime.date(2023, 11, 14),
        event_type="interception",
    )
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    survivor.refresh_from_db()
    assert survivor.summary == "Three rockets hit the base."
    assert survivor.damage == "A hangar burned."
    assert survivor.weapon == "rocket"
    assert survivor.injured == 2
    assert survivor.killed == 0  # reported as none: not empty, kept
    assert (survivor.latitude, survivor.longitude) == (34.5, 40.5)
    assert survivor.precision_m == 250
    assert survivor.admin1 == "Deir ez-Zor"
    # Never taken: the survivor's date, precision and event type.
    assert survivor.occurred_on == datetime.date(2023, 11, 15)
    assert survivor.date_precision == "week"
    assert survivor.event_type == "attack"


def test_a_survivor_with_a_point_keeps_it(make, reviewer):
    survivor = make.incident(latitude=35.0, longitude=40.0, precision_m=None)
    merged = make.incident(latitude=34.0, longitude=41.0, precision_m=10)
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    survivor.refresh_from_db()
    # The other's precision is about the other's point.
    assert (survivor.latitude, survivor.longitude, survivor.precision_m) == (
        35.0,
        40.0,
        None,
    )


def test_a_source_on_both_keeps_one_row_with_both_facts(make, reviewer):
    source = make.source()
    survivor = make.incident(citations=[(source, "claims")])
    merged = make.incident(citations=[(source, "confirms")])
    Citation.objects.filter(incident=survivor).update(quote="", note="From a post.")
    Citation.objects.filter(incident=merged).update(
        quote="The base was hit.", note="Relayed by the ministry."
    )
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    (row,) = Citation.objects.filter(incident=survivor)
    assert row.stance == "confirms"
    assert row.quote == "The base was hit."
    assert "From a post." in row.note
    assert "Relayed by the ministry." in row.note
    assert "claims" in row.note  # the stance it had before is still told


def test_a_second_quote_goes_into_the_note(make, reviewer):
    source = make.source()
    survivor = make.incident(citations=[(source, "reports")])
    merged = make.incident(citations=[(source, "reports")])
    Citation.objects.filter(incident=survivor).update(quote="First words.")
    Citation.objects.filter(incident=merged).update(quote="Other words.")
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    (row,) = Citation.objects.filter(incident=survivor)
    assert row.quote == "First words."
    assert '"Other words."' in row.note


def test_duplicate_involvements_keep_both_notes(make, reviewer):
    group = make.actor()
    survivor = make.incident(involvements=[(group, "claimed_by")])
    merged = make.incident(involvements=[(group, "claimed_by")])
    Involvement.objects.filter(incident=survivor).update(note="On Telegram.")
    Involvement.objects.filter(incident=merged).update(note="In a statement.")
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    (row,) = Involvement.objects.filter(incident=survivor)
    assert row.note == "On Telegram.\nIn a statement."


# --- confidence ----------------------------------------------------------------------


def test_the_stance_weights_follow_the_confidence_rule():
    assert sorted(STANCE_WEIGHT, key=STANCE_WEIGHT.get, reverse=True) == [
        "denies",
        "confirms",
        "reports",
        "claims",
    ]


@pytest.mark.parametrize(
    ("kind", "mine", "theirs"),
    [
        (kind, mine, theirs)
        for kind in KINDS
        for mine, theirs in itertools.product(STANCES, STANCES)
    ],
)
def test_confidence_is_that_of_both_incidents_citations(
    make, reviewer, kind, mine, theirs
):
    """Every pair of stances of one source, beside the other incident's own
    source: the survivor's confidence after is the union's, whatever they were."""
    shared = make.source(kind=kind)
    own = make.source(kind=Source.Kind.CLAIM_CHANNEL)
    survivor = make.incident(citations=[(shared, mine)])
    merged = make.incident(citations=[(shared, theirs), (own, "claims")])
    union = derive_confidence(
        Citation.objects.filter(incident__in=[survivor, merged]).values_list(
            "stance", "source__kind"
        )
    )
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    assert confidence_of(survivor) == union


def test_a_denial_survives_and_a_claim_is_no_confirmation(make, reviewer):
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL)
    ministry = make.source(kind=Source.Kind.OFFICIAL)
    claimed = make.incident(citations=[(channel, "claims")])
    denied = make.incident(citations=[(ministry, "denies")])
    assert confidence_of(claimed) == "claimed"
    incidents_merge(survivor=claimed, merged=denied, user=reviewer)
    assert confidence_of(claimed) == "disputed"

    # Two claims merged stay a claim.
    other = make.incident(citations=[(make.source(), "claims")])
    first = make.incident(citations=[(channel, "claims")])
    incidents_merge(survivor=first, merged=other, user=reviewer)
    assert confidence_of(first) == "claimed"


# --- history -------------------------------------------------------------------------


def test_history_shows_both_sides_with_the_user_and_reason(make, reviewer):
    group = make.actor()
    source = make.source()
    survivor = make.incident(summary="")
    merged = make.incident(
        summary="Filled in.",
        citations=[(source, "reports")],
        involvements=[(group, "target")],
    )
    incidents_merge(survivor=survivor, merged=merged, user=reviewer, note="Same day.")
    reason = f"merged #{merged.pk} into #{survivor.pk}: Same day."
    assert merge_reason(
        survivor_id=survivor.pk, merged_id=merged.pk, note="Same day."
    ) == (reason)

    came_in = survivor.history.latest("history_date")
    assert came_in.history_user == reviewer
    assert came_in.history_change_reason == reason
    assert came_in.summary == "Filled in."
    delta = came_in.diff_against(came_in.prev_record)
    assert "summary" in delta.changed_fields

    gone = merged.history.latest("history_date")
    assert gone.history_user == reviewer
    assert gone.history_change_reason == reason
    assert (gone.status, gone.merged_into_id) == ("merged", survivor.pk)
    assert gone.prev_record.status == "published"

    for model in (Citation, Involvement):
        (moved,) = model.history.filter(history_change_reason=reason)
        assert moved.history_type == "~"
        assert moved.history_user == reviewer
        assert moved.incident_id == survivor.pk
        assert moved.prev_record.incident_id == merged.pk


def test_a_dropped_duplicate_is_a_deletion_in_the_history(make, reviewer):
    source = make.source()
    survivor = make.incident(citations=[(source, "reports")])
    merged = make.incident(citations=[(source, "denies")])
    dropped = Citation.objects.get(incident=merged)
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    record = Citation.history.filter(id=dropped.pk).latest("history_date")
    assert record.history_type == "-"
    assert record.history_user == reviewer
    assert record.history_change_reason.startswith(f"merged #{merged.pk}")
    kept = Citation.history.filter(incident_id=survivor.pk).latest("history_date")
    assert (kept.stance, kept.history_user) == ("denies", reviewer)


def test_the_survivors_history_keeps_its_new_sites(make, reviewer):
    base, town = make.site(), make.site()
    survivor = make.incident(sites=[base])
    merged = make.incident(sites=[town])
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    record = survivor.history.latest("history_date")
    assert sorted(link.site_id for link in record.sites.all()) == sorted(
        [base.pk, town.pk]
    )


# --- tombstones, proposals and outside reports ---------------------------------------


def test_tombstones_of_the_merged_follow_to_the_survivor(make, reviewer):
    survivor, middle, first = make.incident(), make.incident(), make.incident()
    incidents_merge(survivor=middle, merged=first, user=reviewer)
    incidents_merge(survivor=survivor, merged=middle, user=reviewer)
    first.refresh_from_db()
    assert first.merged_into_id == survivor.pk  # no chain through #middle
    record = first.history.latest("history_date")
    assert record.merged_into_id == survivor.pk
    assert record.history_user == reviewer


def test_proposals_are_closed_or_follow_the_survivor(make, reviewer, editor):
    survivor, merged, third, fourth = (make.incident() for _ in range(4))
    between = merge_proposal_create(
        incident=merged, candidate=survivor, user=editor, reason="same"
    )
    follows = merge_proposal_create(incident=third, candidate=merged, user=editor)
    repeats = merge_proposal_create(incident=merged, candidate=fourth, user=editor)
    already = merge_proposal_create(incident=survivor, candidate=fourth, user=editor)
    dismissed = merge_proposal_create(
        incident=merged, candidate=make.incident(), user=editor
    )
    MergeProposal.objects.filter(pk=dismissed.pk).update(status="dismissed")

    incidents_merge(survivor=survivor, merged=merged, user=reviewer, note="One event")

    between.refresh_from_db()
    assert between.status == MergeProposal.Status.MERGED
    assert between.decided_by == reviewer
    assert between.decided_at is not None
    assert between.decision_note == "One event"
    follows.refresh_from_db()
    assert (follows.incident_id, follows.candidate_id) == (third.pk, survivor.pk)
    assert follows.status == MergeProposal.Status.OPEN
    # survivor ~ fourth is already proposed: the repeat is dropped.
    assert not MergeProposal.objects.filter(pk=repeats.pk).exists()
    assert MergeProposal.objects.get(pk=already.pk).status == "open"
    # A decided proposal is a past decision about the tombstone: left alone.
    dismissed.refresh_from_db()
    assert (dismissed.incident_id, dismissed.status) == (merged.pk, "dismissed")


def test_outside_reports_follow_the_survivor(make, reviewer):
    survivor, merged = make.incident(), make.incident()
    report = ExternalReport.objects.create(
        incident=merged, system="acled", external_id="SYR1234", data={"links": {}}
    )
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    report.refresh_from_db()
    assert report.incident_id == survivor.pk


# --- refusals ------------------------------------------------------------------------


def _unchanged(*incidents):
    """Each incident as stored, with its citations, to compare after a refusal."""
    return [
        (
            Incident.objects.filter(pk=i.pk).values().get(),
            list(Citation.objects.filter(incident=i).values()),
        )
        for i in incidents
    ]


def test_an_editor_may_not_merge(make, editor):
    survivor = make.incident(status="draft")
    merged = make.incident(status="draft", citations=[(make.source(), "reports")])
    before = _unchanged(survivor, merged)
    with pytest.raises(PermissionDenied, match="propose"):
        incidents_merge(survivor=survivor, merged=merged, user=editor)
    assert _unchanged(survivor, merged) == before


def test_anonymous_may_not_merge(make):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        incidents_merge(
            survivor=make.incident(), merged=make.incident(), user=AnonymousUser()
        )


def test_the_system_may_merge(make):
    survivor, merged = make.incident(), make.incident()
    incidents_merge(survivor=survivor, merged=merged, user=None)
    merged.refresh_from_db()
    assert merged.merged_into_id == survivor.pk
    assert merged.history.latest("history_date").history_user is None


@pytest.mark.parametrize(
    ("survivor_status", "merged_status", "field"),
    [
        ("merged", "published", "survivor"),
        ("published", "merged", "merged"),
        ("retracted", "published", "survivor"),
        ("published", "retracted", "merged"),
        ("draft", "published", "survivor"),
        ("review", "published", "survivor"),
    ],
)
def test_refused_merges_name_the_side(
    make, reviewer, survivor_status, merged_status, field
):
    survivor = make.incident(status=survivor_status)
    merged = make.incident(status=merged_status)
    before = _unchanged(survivor, merged)
    with pytest.raises(ValidationError) as refused:
        incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    assert field in refused.value.message_dict
    assert _unchanged(survivor, merged) == before


def test_an_incident_is_not_merged_into_itself(make, reviewer):
    incident = make.incident()
    with pytest.raises(ValidationError) as refused:
        incidents_merge(survivor=incident, merged=incident, user=reviewer)
    assert "survivor" in refused.value.message_dict


@pytest.mark.parametrize(
    ("survivor_status", "merged_status"),
    [
        ("published", "draft"),
        ("published", "review"),
        ("draft", "draft"),
        ("review", "draft"),
        ("published", "published"),
    ],
)
def test_allowed_merges(make, reviewer, survivor_status, merged_status):
    survivor = make.incident(status=survivor_status)
    merged = make.incident(status=merged_status)
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert survivor.status == survivor_status  # the survivor keeps its status
    assert merged.status == "merged"


def test_the_rows_are_read_again_under_the_lock(make, reviewer):
    """A stale copy (the incident was retracted since it was read) is refused."""
    survivor, merged = make.incident(), make.incident()
    Incident.objects.filter(pk=merged.pk).update(status="retracted")
    with pytest.raises(ValidationError) as refused:
        incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    assert "merged" in refused.value.message_dict


# --- the workflow and the service leave tombstones alone ----------------------------


@pytest.fixture
def tombstone(make, reviewer):
    survivor, merged = make.incident(), make.incident(summary="Old words.")
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    merged.refresh_from_db()
    return merged


@pytest.mark.parametrize("move", list(workflow.MOVES))
def test_no_move_starts_from_merged(tombstone, reviewer, move):
    with pytest.raises(ValidationError, match="merged into"):
        workflow.incident_move(incident=tombstone, user=reviewer, move=move)
    tombstone.refresh_from_db()
    assert tombstone.status == "merged"


@pytest.mark.parametrize("status", ["draft", "review", "published", "retracted"])
def test_no_status_change_leads_to_or_from_merged(status):
    with pytest.raises(ValidationError) as into:
        workflow.move_between(status, "merged")
    assert "merge action" in str(into.value.message_dict["status"])
    with pytest.raises(ValidationError) as out:
        workflow.move_between("merged", status)
    assert "status" in out.value.message_dict


@pytest.mark.parametrize(
    "change",
    [
        {"fields": {"summary": "New words."}},
        {"fields": {"status": "published"}},
        {"fields": {}, "sites": []},
        {"fields": {}, "citations": []},
    ],
)
def test_the_service_changes_no_tombstone(
    tombstone, reviewer, django_user_model, change
):
    superuser = django_user_model.objects.create_superuser("boss", "b@example.org")
    for user in (reviewer, superuser, None):
        with pytest.raises(ValidationError) as refused:
            incident_update(incident=tombstone, user=user, **change)
        assert "merged into" in str(refused.value.message_dict["status"])
    tombstone.refresh_from_db()
    assert (tombstone.summary, tombstone.status) == ("Old words.", "merged")


# --- derived data --------------------------------------------------------------------


def test_a_merge_keeps_the_rollup_current(make, reviewer):
    survivor = make.incident(latitude=None, longitude=None)
    merged = make.incident(
        latitude=33.3, longitude=44.4, occurred_on=datetime.date(2023, 11, 20)
    )
    assert_rollup_current()
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    assert_rollup_current()


def test_a_merge_moves_the_data_version(make, reviewer):
    survivor, merged = make.incident(), make.incident()
    before = data_freshness()
    incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    after = data_freshness()
    assert after.version > before.version
    assert after.changed_at >= before.changed_at


def test_a_refused_merge_leaves_the_data_version(make, reviewer):
    survivor, merged = make.incident(status="draft"), make.incident()
    before = data_freshness().version
    with pytest.raises(ValidationError):
        incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    assert data_freshness().version == before


def test_an_incident_deleted_since_it_was_read_is_refused(make, reviewer):
    survivor, merged = make.incident(), make.incident()
    Incident.objects.filter(pk=merged.pk).delete()
    with pytest.raises(ValidationError) as refused:
        incidents_merge(survivor=survivor, merged=merged, user=reviewer)
    assert "no longer exists" in refused.value.message_dict["merged"][0]
