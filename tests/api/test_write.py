"""Writing incidents through the API: who may, what is validated, nothing half-done."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token

from incidents.models import Incident, Source
from incidents.rules.corrections import incident_corrections

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"


def _user(django_user_model, name: str, *codenames: str):
    user = django_user_model.objects.create_user(name, password="x")  # noqa: S106
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def editor(django_user_model):
    return _user(
        django_user_model, "editor", "add_incident", "change_incident", "view_incident"
    )


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


def _payload(make, **overrides):
    site = make.site(slug="al-omar", latitude=35.15167, longitude=40.57583)
    source = make.source()
    actor = make.actor(slug="iri")
    body = {
        "occurred_on": "2023-11-15",
        "event_type": "attack",
        "weapon": "rocket",
        "country": "SY",
        "summary": "Rockets hit the base.",
        "sites": [site.slug],
        "citations": [
            {"source": source.pk, "stance": "reports"},
            {
                "url": "https://example.net/new-report",
                "publisher": "example.net",
                "stance": "claims",
                "quote": "قذائف صاروخية",
            },
        ],
        "involvements": [{"actor": actor.slug, "role": "claimed_by"}],
    }
    return {**body, **overrides}


def test_anonymous_cannot_write(client, make):
    response = client.post(URL, _payload(make), content_type="application/json")
    assert response.status_code == 401
    assert not Incident.objects.exists()


def test_signed_in_user_without_rights_cannot_write(client, make, django_user_model):
    client.force_login(_user(django_user_model, "reader"))
    response = client.post(URL, _payload(make), content_type="application/json")
    assert response.status_code == 403


def test_editor_creates_a_draft_with_relations(client, make, editor):
    client.force_login(editor)
    response = client.post(URL, _payload(make), content_type="application/json")
    assert response.status_code == 201, response.content
    feature = response.json()
    incident = Incident.objects.get(pk=feature["id"])
    assert response["Location"].endswith(f"/api/v1/incidents/{incident.pk}/")
    assert incident.status == "draft"
    assert incident.created_by == editor
    # The point came from the site.
    assert feature["geometry"]["coordinates"] == [40.57583, 35.15167]
    assert [s["stance"] for s in feature["properties"]["sources"]] == [
        "reports",
        "claims",
    ]
    assert Source.objects.filter(url="https://example.net/new-report").exists()
    assert feature["properties"]["actors"][0]["role"] == "claimed_by"
    # A draft is invisible to readers.
    client.logout()
    assert client.get(f"{URL}{incident.pk}/").status_code == 404


def test_token_authentication(client, make, editor):
    token = Token.objects.create(user=editor)
    response = client.post(
        URL,
        _payload(make),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201


def test_editor_cannot_publish_but_reviewer_can(client, make, editor, reviewer):
    client.force_login(editor)
    body = _payload(make, status="published")
    assert client.post(URL, body, content_type="application/json").status_code == 403
    assert not Incident.objects.exists()
    assert not Source.objects.filter(url="https://example.net/new-report").exists()
    client.force_login(reviewer)
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 201
    client.logout()
    assert client.get(f"{URL}{response.json()['id']}/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": 95, "longitude": 40}, "latitude"),
        ({"latitude": 35}, "latitude"),
        ({"injured": -1}, "injured"),
        ({"weapon": "catapult"}, "weapon"),
        ({"occurred_on": "15/11/2023"}, "occurred_on"),
        ({"sites": ["atlantis"]}, "sites"),
        ({"involvements": [{"actor": "iri", "role": "hero"}]}, "involvements"),
        ({"citations": [{"stance": "reports"}]}, "citations"),
        ({"citations": [{"url": "https://x.org/a", "stance": "reports"}]}, "citations"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(
    client, make, editor, overrides, field
):
    client.force_login(editor)
    sources_before = Source.objects.count()
    body = _payload(make, **overrides)
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Incident.objects.exists()
    assert Source.objects.count() == sources_before + 1  # only _payload's own source


def test_duplicate_external_id_rolls_back_new_sources(client, make, editor):
    make.incident(external_id="ACLED-1")
    client.force_login(editor)
    body = _payload(make, external_id="ACLED-1")
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "external_id" in str(response.json()["errors"])
    assert not Source.objects.filter(url="https://example.net/new-report").exists()


def test_editor_corrects_a_draft_but_not_a_published_incident(
    client, make, editor, reviewer
):
    draft = make.incident(status="draft", summary="first")
    published = make.incident(status="published", summary="first")
    client.force_login(editor)
    response = client.patch(
        f"{URL}{draft.pk}/", {"summary": "second"}, content_type="application/json"
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.summary, draft.updated_by) == ("second", editor)
    response = client.patch(
        f"{URL}{published.pk}/", {"summary": "second"}, content_type="application/json"
    )
    assert response.status_code == 403
    client.force_login(reviewer)
    response = client.patch(
        f"{URL}{published.pk}/", {"summary": "second"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["properties"]["summary"] == "second"


def test_patch_replaces_given_lists_only(client, make, editor):
    site_a, site_b = make.site(), make.site()
    actor = make.actor()
    draft = make.incident(
        status="draft", sites=[site_a], involvements=[(actor, "target")]
    )
    client.force_login(editor)
    response = client.patch(
        f"{URL}{draft.pk}/", {"sites": [site_b.slug]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert list(draft.sites.values_list("slug", flat=True)) == [site_b.slug]
    assert draft.involvements.count() == 1


def test_update_of_unknown_or_malformed_id(client, editor):
    client.force_login(editor)
    assert (
        client.patch(f"{URL}999/", {}, content_type="application/json").status_code
        == 404
    )
    assert (
        client.patch(f"{URL}x1/", {}, content_type="application/json").status_code
        == 400
    )


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("published", "draft", False),
        ("published", "review", False),
        ("published", "retracted", True),
        ("draft", "retracted", False),
        ("review", "retracted", False),
        ("draft", "published", True),
        ("retracted", "published", True),  # reinstated: mirrors re-add it
        ("retracted", "draft", False),
        ("retracted", "review", False),
    ],
)
def test_status_transitions_keep_mirrors_honest(
    client, make, reviewer, current, new, allowed
):
    incident = make.incident(status=current)
    client.force_login(reviewer)
    body = {"status": new}
    if new == "retracted":
        body["retraction_reason"] = "Double-counted."
    response = client.patch(
        f"{URL}{incident.pk}/", body, content_type="application/json"
    )
    incident.refresh_from_db()
    if allowed:
        assert response.status_code == 200
        assert incident.status == new
    else:
        assert response.status_code == 400
        assert "status" in response.json()["errors"]
        assert incident.status == current


def test_retracting_through_the_api_needs_the_public_reason(client, make, reviewer):
    incident = make.incident(status="published")
    client.force_login(reviewer)
    url = f"{URL}{incident.pk}/"
    for body in (
        {"status": "retracted"},
        {"status": "retracted", "retraction_reason": "  "},
    ):
        response = client.patch(url, body, content_type="application/json")
        assert response.status_code == 400
        assert "retraction_reason" in response.json()["errors"]
        incident.refresh_from_db()
        assert incident.status == "published"
    response = client.patch(
        url,
        {"status": "retracted", "retraction_reason": "The video was from 2019."},
        content_type="application/json",
    )
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.status == "retracted"
    assert incident.retraction_reason == "The video was from 2019."
    assert incident.retracted_at is not None
    record = incident.history.latest()
    assert (record.history_user, record.status) == (reviewer, "retracted")


def test_reinstating_clears_the_notice_and_the_log_keeps_both(client, make, reviewer):
    incident = make.incident(status="published")
    client.force_login(reviewer)
    url = f"{URL}{incident.pk}/"
    client.patch(
        url,
        {"status": "retracted", "retraction_reason": "Wrong base."},
        content_type="application/json",
    )
    response = client.patch(
        url, {"status": "published"}, content_type="application/json"
    )
    assert response.status_code == 200
    incident.refresh_from_db()
    assert (incident.status, incident.retraction_reason, incident.retracted_at) == (
        "published",
        "",
        None,
    )
    kinds = [c.kind for c in incident_corrections(incident=incident)]
    assert kinds == ["retraction", "reinstatement"]


@pytest.mark.parametrize("status", ["draft", "review", "published"])
def test_a_reason_without_a_retraction_is_refused(client, make, reviewer, status):
    incident = make.incident(status=status)
    client.force_login(reviewer)
    response = client.patch(
        f"{URL}{incident.pk}/",
        {"summary": "changed", "retraction_reason": "why"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "retraction_reason" in response.json()["errors"]
    incident.refresh_from_db()
    assert incident.summary != "changed"


def test_a_new_incident_cannot_be_created_retracted(client, make, reviewer):
    client.force_login(reviewer)
    payload = _payload(make)
    for extra, field in (
        ({"status": "retracted"}, "status"),
        ({"retraction_reason": "why"}, "retraction_reason"),
    ):
        response = client.post(
            URL, {**payload, **extra}, content_type="application/json"
        )
        assert response.status_code == 400
        assert field in response.json()["errors"]
    assert not Incident.objects.exists()


def test_editors_cannot_send_back_or_publish_through_the_api(client, make, editor):
    client.force_login(editor)
    for current, new in (("review", "draft"), ("draft", "published")):
        incident = make.incident(status=current)
        response = client.patch(
            f"{URL}{incident.pk}/", {"status": new}, content_type="application/json"
        )
        assert response.status_code == 403
        incident.refresh_from_db()
        assert incident.status == current
