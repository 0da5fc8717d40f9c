"""Writes in ``incidents.services`` that no other test file covers on its own."""

import datetime

import pytest

from incidents.models import Incident
from incidents.services import incident_create

pytestmark = pytest.mark.django_db


def test_the_first_site_given_is_the_first_linked(make, django_user_model):
    """The point comes from the first placed site *as given*, not the lowest id."""
    user = django_user_model.objects.create_superuser("boss", "b@example.org", "pw")
    older = make.site(slug="older", name="Older", latitude=33.0, longitude=40.0)
    newer = make.site(slug="newer", name="Newer", latitude=36.0, longitude=41.0)
    assert older.pk < newer.pk
    incident = incident_create(
        user=user,
        fields={
            "occurred_on": datetime.date(2023, 11, 15),
            "event_type": Incident.EventType.ATTACK,
            "status": Incident.Status.DRAFT,
        },
        sites=[newer, older],
    )
    through = Incident.sites.through.objects.filter(incident=incident)
    assert [row.site_id for row in through.order_by("pk")] == [newer.pk, older.pk]
    incident.refresh_from_db()
    assert (incident.latitude, incident.longitude) == (36.0, 41.0)
