"""Readers' validators move only with what readers can see (issue 21).

Before, any write bumped the one data version behind every ETag and Last-Modified,
so an anonymous client polling ``incidents/``, ``stats/timeline/`` or ``sites/``
could time an editor's work on a draft. Readers' validators now follow the public
version (``incidents.upkeep.visibility``); editors' follow every change.
"""

import pytest
from django.test import Client

from incidents.models import Citation, Incident
from tests.api.test_caching import editor, fresh_cache, read_urls, world  # noqa: F401

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


def _validators(client: Client, urls: list[str]) -> dict[str, tuple[str, str]]:
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        answers[url] = (response["ETag"], response["Last-Modified"])
    return answers


def _still_current(client: Client, before: dict) -> list[str]:
    """The URLs whose copy (by its ETag) is still current for ``client``."""
    return [
        url
        for url, (etag, _modified) in before.items()
        if client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    ]


def test_a_drafts_edit_leaves_every_public_validator_alone(client, editor, world):  # noqa: F811
    urls = read_urls(world)
    readers_before = _validators(client, urls)
    editors_before = _validators(editor, [INCIDENTS])
    draft = world["draft"]

    response = editor.patch(
        f"{INCIDENTS}{draft.pk}/",
        {"summary": "Rewritten, still a draft."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    source = world["source"].__class__.objects.create(title="a second report")
    Citation.objects.create(incident=draft, source=source, stance="reports")
    draft.sites.clear()

    assert _validators(client, urls) == readers_before
    assert _still_current(client, readers_before) == urls
    # The editor, who sees the draft, must not keep the old copy.
    assert _still_current(editor, editors_before) == []


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Incident.Status.DRAFT, Incident.Status.PUBLISHED),
        (Incident.Status.PUBLISHED, Incident.Status.REVIEW),
    ],
)
def test_a_move_onto_or_off_the_record_moves_them(client, world, start, to):  # noqa: F811
    incident = world["draft"] if start == Incident.Status.DRAFT else world["published"]
    readers_before = _validators(client, [INCIDENTS])
    incident.status = to
    incident.save()
    assert _still_current(client, readers_before) == []


def test_an_edit_of_a_published_incident_moves_them(client, world):  # noqa: F811
    readers_before = _validators(client, [INCIDENTS])
    published = world["published"]
    published.summary = "Corrected."
    published.save()
    assert _still_current(client, readers_before) == []


def test_deleting_a_draft_leaves_them_alone(client, world):  # noqa: F811
    urls = read_urls(world)
    readers_before = _validators(client, urls)
    world["draft"].delete()
    assert _still_current(client, readers_before) == urls
