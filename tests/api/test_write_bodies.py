"""Write bodies held to the rules query strings follow: a key the API does not
accept (unknown, or read-only like ``id`` and ``created_by``) is a 400 naming it, and
no malformed body, however deeply nested, is ever a 500."""

import json

import pytest

from incidents.api.parsers import MAX_DEPTH
from incidents.models import Incident

from .test_write import URL, _payload, _user

pytestmark = pytest.mark.django_db


def _send(client, method, url, body: str):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.fixture
def editor(django_user_model):
    return _user(
        django_user_model, "editor", "add_incident", "change_incident", "view_incident"
    )


@pytest.fixture
def draft(make):
    return make.incident(status=Incident.Status.DRAFT, summary="As reported.")


@pytest.mark.parametrize("field", ["created_by", "retracted_at", "id", "colour"])
def test_patch_with_a_field_that_may_not_be_written_is_a_400_naming_it(
    client, editor, draft, field
):
    client.force_login(editor)
    response = _send(
        client, "patch", f"{URL}{draft.pk}/", json.dumps({field: 1, "injured": 3})
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert "read-only" in str(errors[field])
    draft.refresh_from_db()
    assert draft.injured is None  # nothing of the body was written


def test_an_unknown_key_inside_a_citation_is_named(client, editor, make):
    client.force_login(editor)
    body = _payload(make)
    body["citations"][0]["stance_"] = "reports"
    response = _send(client, "post", URL, json.dumps(body))
    assert response.status_code == 400, response.content
    assert "stance_" in json.dumps(response.json())
    assert not Incident.objects.exists()


def test_a_body_of_only_known_fields_still_writes(client, editor, draft):
    client.force_login(editor)
    response = _send(client, "patch", f"{URL}{draft.pk}/", json.dumps({"injured": 3}))
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.injured == 3


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5_000, 200_000])
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_a_deeply_nested_body_is_a_400(client, editor, draft, levels, opening):
    client.force_login(editor)
    closing = "]" if opening == "[" else "}"
    body = '{"summary": ' + opening * levels + "1" + closing * levels + "}"
    for method, url in (("post", URL), ("patch", f"{URL}{draft.pk}/")):
        response = _send(client, method, url, body)
        assert response.status_code == 400, (method, response.content[:300])
        assert "nested" in response.content.decode()
    assert Incident.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    ["{", "[1, 2]", '"text"', "null", '{"injured": NaN}', "\udcff", "{}" * 3],
)
def test_any_malformed_body_is_a_400(client, editor, draft, body):
    # (An empty body is DRF's empty object: a PATCH of nothing, answered 200.)
    client.force_login(editor)
    response = client.patch(
        f"{URL}{draft.pk}/",
        body.encode("utf-8", "surrogateescape"),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content[:300]
