"""Creating an incident through the API answers with the incidents on record it may
repeat (``candidates``, a foreign member of the Feature), those the caller may
see, and proposes each to a reviewer as a merge. The candidates themselves are not
touched: a create is no way to change a published incident."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from incidents.models import Incident, MergeProposal
from tests import doors_world as w

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"


@pytest.fixture
def omar():
    return w.sites()[0]


def _user(django_user_model, name: str, *codenames: str):
    user = django_user_model.objects.create_user(name)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def editor(django_user_model):
    return w.staff(django_user_model, "editor", "Editor")


def _body(**overrides) -> dict:
    return {
        "occurred_on": "2023-11-15",
        "event_type": "attack",
        "weapon": "rocket",
        "sites": ["al-omar"],
        "summary": "Rocket shells hit the coalition base at the al-Omar field.",
        **overrides,
    }


def _create(client, user, **overrides):
    client.force_login(user)
    response = client.post(URL, _body(**overrides), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def _snapshot(incident: Incident) -> tuple:
    incident.refresh_from_db()
    return (
        sorted(incident.citations.values_list("source_id", "stance")),
        incident.history.count(),
        incident.updated_at,
    )


def test_the_answer_names_the_candidates_and_proposes_them(client, editor, omar):
    published = w.rocket_attack(omar, status="published")
    draft = w.rocket_attack(omar, status="draft", occurred_on=dt.date(2023, 11, 14))
    before = (_snapshot(published), _snapshot(draft))
    feature = _create(client, editor)
    assert feature["type"] == "Feature"
    assert feature["candidates"] == [
        {
            "incident": published.pk,
            "strength": "exact",
            "how": "same site (al-omar); same day; same event type (attack); "
            "same weapon (rocket)",
            "status": "published",
        },
        {
            "incident": draft.pk,
            "strength": "near",
            "how": "same site (al-omar); 1 day apart; same event type (attack); "
            "same weapon (rocket)",
            "status": "draft",
        },
    ]
    assert "candidates" not in feature["properties"]
    assert (_snapshot(published), _snapshot(draft)) == before
    proposals = MergeProposal.objects.order_by("candidate_id")
    assert [(p.incident_id, p.candidate_id, p.origin) for p in proposals] == [
        (feature["id"], published.pk, "entry"),
        (feature["id"], draft.pk, "entry"),
    ]
    assert {p.proposed_by for p in proposals} == {editor}


def test_no_match_is_an_empty_list(client, editor, omar):
    w.rocket_attack(omar, status="published")
    assert _create(client, editor, weapon="drone")["candidates"] == []
    assert _create(client, editor, occurred_on="2023-12-01")["candidates"] == []
    assert not MergeProposal.objects.exists()


def test_a_caller_who_sees_only_published_incidents_is_told_only_of_those(
    client, django_user_model, omar
):
    writer = _user(django_user_model, "writer", "add_incident")
    published = w.rocket_attack(omar, status="published")
    hidden = w.rocket_attack(
        omar, status="draft", occurred_on=dt.date(2023, 11, 14), summary="SECRET-2b"
    )
    client.force_login(writer)
    response = client.post(URL, _body(), content_type="application/json")
    assert response.status_code == 201
    assert [c["incident"] for c in response.json()["candidates"]] == [published.pk]
    assert b"SECRET-2b" not in response.content
    # A reviewer still hears of the draft.
    recorded = MergeProposal.objects.values_list("candidate_id", flat=True)
    assert set(recorded) == {published.pk, hidden.pk}


def test_a_refused_create_proposes_nothing(client, editor, omar):
    w.rocket_attack(omar, status="published")
    client.force_login(editor)
    response = client.post(
        URL, _body(status="published"), content_type="application/json"
    )
    assert response.status_code == 403
    assert Incident.objects.count() == 1
    assert not MergeProposal.objects.exists()


def test_the_schema_documents_candidates(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    created = schema["paths"][URL]["post"]["responses"]["201"]["content"]
    body = created["application/geo+json"]["schema"]
    assert "candidates" in body["required"]
    item = body["properties"]["candidates"]["items"]
    assert set(item["properties"]) == {"incident", "strength", "how", "status"}
