"""The admin's add form checks a new incident against the incidents on record: the
first post shows the candidates and saves nothing, the second with "I have checked
these" ticked saves and proposes each candidate for merging. The change form of an
incident already saved never blocks. Through Django's test client."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from incidents.models import Incident, MergeProposal
from tests import doors_world as w

pytestmark = pytest.mark.django_db

ADD = reverse("admin:incidents_incident_add")


@pytest.fixture
def world():
    omar, conoco = w.sites()
    return {"omar": omar, "conoco": conoco}


@pytest.fixture
def editor(client, django_user_model):
    user = w.staff(django_user_model, "editor", "Editor")
    client.force_login(user)
    return user


def _post(**fields) -> dict:
    data = {
        "occurred_on": "2023-11-15",
        "occurred_at": "",
        "date_precision": "day",
        "event_type": "attack",
        "weapon": "rocket",
        "external_id": "",
        "country": "",
        "admin1": "",
        "latitude": "",
        "longitude": "",
        "precision_m": "",
        "injured": "",
        "killed": "",
        "damage": "",
        "summary": "Rocket shells hit the coalition base at the al-Omar field.",
    }
    for prefix in ("citations", "involvements"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data


def _snapshot(incident: Incident) -> tuple:
    incident.refresh_from_db()
    return (
        sorted(incident.citations.values_list("source_id", "stance")),
        incident.history.count(),
        incident.updated_at,
    )


def test_the_first_post_shows_the_candidates_and_saves_nothing(client, editor, world):
    published = w.rocket_attack(world["omar"], status="published")
    draft = w.rocket_attack(
        world["omar"], status="draft", occurred_on=dt.date(2023, 11, 14)
    )
    before = (Incident.objects.count(), _snapshot(published), _snapshot(draft))
    page = client.post(ADD, _post(sites=[world["omar"].pk]))
    assert page.status_code == 200
    assert (Incident.objects.count(), _snapshot(published), _snapshot(draft)) == (
        before
    )
    form = page.context["adminform"].form
    assert [row.pk for row in form.candidates] == [published.pk, draft.pk]
    assert [row.strength for row in form.candidates] == ["exact", "near"]
    body = page.content.decode()
    assert 'id="incident-candidates"' in body
    for incident in (published, draft):
        change = reverse("admin:incidents_incident_change", args=[incident.pk])
        assert f'href="{change}"' in body
    assert "2023-11-15" in body and "2023-11-14" in body
    assert "Al-Omar oil field base" in body
    assert "rocket" in body and "published" in body and "draft" in body
    assert "same site (<bdi>al-omar</bdi>)" in body and "1 day apart" in body
    assert 'name="confirm_new"' in body
    assert "I have checked these: save as a new incident" in body
    assert "This may be an incident already on record" in body
    assert not MergeProposal.objects.exists()


def test_the_second_post_with_the_box_ticked_saves_and_proposes(client, editor, world):
    published = w.rocket_attack(world["omar"], status="published")
    before = _snapshot(published)
    first = client.post(ADD, _post(sites=[world["omar"].pk]))
    assert first.status_code == 200
    saved = client.post(ADD, _post(sites=[world["omar"].pk], confirm_new="on"))
    assert saved.status_code == 302
    new = Incident.objects.exclude(pk=published.pk).get()
    assert (new.status, new.created_by) == ("draft", editor)
    assert _snapshot(published) == before  # the candidate is not touched
    proposal = MergeProposal.objects.get()
    assert (proposal.incident, proposal.candidate) == (new, published)
    assert (proposal.origin, proposal.proposed_by) == ("entry", editor)
    assert "same day" in proposal.reason
    said = [str(m) for m in get_messages(saved.wsgi_request)]
    assert any(f"possible repeat of #{published.pk}" in m for m in said)


def test_nothing_on_record_saves_at_once(client, editor, world):
    w.rocket_attack(world["omar"], status="published")
    response = client.post(ADD, _post(sites=[world["conoco"].pk]))
    assert response.status_code == 302
    assert not MergeProposal.objects.exists()
    # Without a site: the point, far from the incident on record, matches none.
    response = client.post(ADD, _post(latitude="33.3", longitude="44.4"))
    assert response.status_code == 302


def test_a_drone_on_the_same_day_is_another_event(client, editor, world):
    w.rocket_attack(world["omar"], status="published")
    response = client.post(ADD, _post(sites=[world["omar"].pk], weapon="drone"))
    assert response.status_code == 302


def test_a_point_without_a_site_finds_the_incident_there(client, editor, world):
    published = w.rocket_attack(
        world["omar"], status="published", latitude=35.152, longitude=40.576
    )
    page = client.post(ADD, _post(latitude="35.151", longitude="40.575"))
    assert page.status_code == 200
    assert [r.pk for r in page.context["adminform"].form.candidates] == [published.pk]


def test_another_error_comes_first(client, editor, world):
    w.rocket_attack(world["omar"], status="published")
    page = client.post(ADD, _post(sites=[world["omar"].pk], latitude="95"))
    form = page.context["adminform"].form
    assert "latitude" in form.errors and form.candidates == []


def test_the_change_form_never_blocks(client, editor, world):
    w.rocket_attack(world["omar"], status="published")
    mine = w.rocket_attack(world["omar"], status="draft", summary="old")
    url = reverse("admin:incidents_incident_change", args=[mine.pk])
    response = client.post(
        url,
        _post(
            sites=[world["omar"].pk],
            summary="new",
            latitude=str(mine.latitude),
            longitude=str(mine.longitude),
        ),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.summary == "new"
    assert not MergeProposal.objects.exists()


def test_a_hostile_summary_on_record_is_shown_as_text(client, editor, world):
    w.rocket_attack(
        world["omar"],
        status="draft",
        summary="<script>window.__xss=1</script><svg onload=alert(1)>",
    )
    body = client.post(ADD, _post(sites=[world["omar"].pk])).content.decode()
    assert "<script>window.__xss" not in body and "<svg onload" not in body
    assert "&lt;svg onload=alert(1)&gt;" in body
