"""The data version (``incidents.upkeep.freshness``) goes up with every change a reader
could see, by every write path, and only when the change commits.

HTTP caching and the cached aggregates (``incidents.api.caching``) trust it: a
path that forgets to bump it would serve stale numbers behind a 304.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse

from incidents.ingest.acled import import_acled
from incidents.models import Citation, Incident, Involvement, OfficialTotal
from incidents.rules.workflow import incident_move
from incidents.upkeep.freshness import data_changed, data_freshness
from tests import TEST_DATA

pytestmark = pytest.mark.django_db

ACLED_SAMPLE = TEST_DATA / "acled" / "syria-iraq-2023.csv"


def version() -> int:
    return data_freshness().version


class Bumped:
    """``with Bumped():`` asserts the block raised the version (and moved the time
    it changed, which the ETags hash too)."""

    def __enter__(self):
        self.before = data_freshness()
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            after = data_freshness()
            assert after.version > self.before.version, "the version did not change"
            assert after.changed_at >= self.before.changed_at


def _user(django_user_model, name: str, *codenames: str):
    user = django_user_model.objects.create_user(name, password="x")  # noqa: S106
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="incidents", codename__in=codenames
        )
    )
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def reviewer(django_user_model):
    return _user(
        django_user_model,
        "reviewer",
        "add_incident",
        "change_incident",
        "view_incident",
        "publish_incident",
    )


def test_data_changed_counts_up_and_stamps_the_time():
    before = data_freshness()
    data_changed()
    after = data_freshness()
    assert after.version == before.version + 1
    assert after.changed_at > before.changed_at


def test_a_database_without_the_row_starts_from_zero():
    from incidents.models import DataVersion

    DataVersion.objects.all().delete()
    assert version() == 0
    data_changed()
    assert version() == 1


def test_admin_save(admin_client):
    data = {
        "name": "Somewhere",
        "name_ar": "",
        "slug": "somewhere",
        "aliases": "",
        "kind": "base",
        "country": "IQ",
        "admin1": "",
        "latitude": "33",
        "longitude": "42",
        "precision_m": "",
        "location_source": "",
    }
    with Bumped():
        response = admin_client.post(reverse("admin:incidents_site_add"), data)
    assert response.status_code == 302


def test_admin_delete_action(admin_client, make):
    incident = make.incident()
    data = {"action": "delete_selected", "_selected_action": [incident.pk]}
    url = reverse("admin:incidents_incident_changelist")
    with Bumped():
        response = admin_client.post(url, {**data, "post": "yes"})
    assert response.status_code == 302
    assert not Incident.objects.exists()


def test_api_post_and_patch(client, make, reviewer):
    site = make.site(slug="al-omar")
    client.force_login(reviewer)
    body = {
        "occurred_on": "2023-11-15",
        "event_type": "attack",
        "weapon": "rocket",
        "country": "SY",
        "summary": "Rockets hit the base.",
        "sites": [site.slug],
    }
    with Bumped():
        created = client.post(
            "/api/v1/incidents/", body, content_type="application/json"
        )
    assert created.status_code == 201, created.content
    url = created["Location"]
    with Bumped():
        patched = client.patch(
            url, {"summary": "Two rockets."}, content_type="application/json"
        )
    assert patched.status_code == 200, patched.content


def test_a_refused_api_write_changes_nothing(client, make, reviewer):
    client.force_login(reviewer)
    before = version()
    response = client.post(
        "/api/v1/incidents/",
        {"occurred_on": "not a date", "event_type": "attack"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert version() == before


def test_workflow_move(make, reviewer):
    incident = make.incident(status=Incident.Status.DRAFT)
    with Bumped():
        incident_move(incident=incident, user=reviewer, move="publish")
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.PUBLISHED


def test_delete(make):
    incident = make.incident()
    with Bumped():
        incident.delete()


def test_citation_and_involvement_changes(make):
    incident = make.incident()
    source, actor = make.source(), make.actor()
    with Bumped():
        citation = Citation.objects.create(
            incident=incident, source=source, stance="reports"
        )
    with Bumped():
        citation.stance = "confirms"
        citation.save()
    with Bumped():
        citation.delete()
    with Bumped():
        involvement = Involvement.objects.create(
            incident=incident, actor=actor, role="claimed_by"
        )
    with Bumped():
        involvement.delete()


def test_site_change_and_site_links(make):
    site = make.site()
    incident = make.incident()
    with Bumped():
        site.name = "Renamed"
        site.save()
    with Bumped():
        incident.sites.add(site)
    with Bumped():
        incident.sites.remove(site)


def test_official_totals(db):
    with Bumped():
        OfficialTotal.objects.create(
            as_of="2023-11-01", reported_by="DoD", total_attacks=3
        )


def test_acled_import(reference_data):
    with Bumped():
        report = import_acled(ACLED_SAMPLE)
    assert report.ok, report.summary_lines()


def test_acled_dry_run_changes_nothing(reference_data):
    before = version()
    report = import_acled(ACLED_SAMPLE, dry_run=True)
    assert report.ok
    assert version() == before


def test_a_rolled_back_transaction_leaves_the_version(make):
    before = data_freshness()
    with pytest.raises(RuntimeError), transaction.atomic():
        make.incident()
        assert version() > before.version  # seen inside the transaction only
        raise RuntimeError("roll back")
    assert data_freshness() == before


def test_a_bulk_write_of_hidden_rows_moves_only_the_editors_version():
    from incidents import upkeep

    before, public_before = data_freshness(), data_freshness(public=True)
    with upkeep.bulk_write() as write:
        write.days(["2024-01-01"], public=False)
    assert data_freshness().version == before.version + 1
    assert data_freshness(public=True) == public_before
    with upkeep.bulk_write() as write:
        write.days(["2024-01-01"])  # by default a bulk write is public
    assert data_freshness(public=True).version == public_before.version + 1


def test_a_drafts_creation_and_bulk_edit_leave_the_public_version_alone(make):
    from incidents.upkeep import bulk_write

    public_before = data_freshness(public=True)
    draft = make.incident(status=Incident.Status.DRAFT)
    assert data_freshness(public=True) == public_before
    with bulk_write() as write:
        Incident.objects.filter(pk=draft.pk).update(summary="bulk edit")
        write.days([draft.occurred_on], public=False)
    assert data_freshness(public=True) == public_before
