"""No door lets an editor change a published incident: each way in tries, as a
hostile editor would, and the incident (its fields, sites, sources, actors and
history) is the same afterwards. Every door asks ``incidents.rules``; a reviewer
gets through the same doors (tested beside each door's own tests).

Doors tested elsewhere with the same assertion: the ACLED import as a library,
command and admin page (``ingest/acled/test_corroboration``), article drafts
(``ingest/article/test_matches``, ``admin/test_article_matches``), new entries
with candidates (``api/test_write_candidates``, ``admin/test_add_candidates``),
merges and proposals (``corroborate/test_merge``, ``api/test_merge``,
``admin/test_merge``, ``security/test_permission_matrix``).
"""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from incidents import services
from incidents.models import Citation, Incident, Involvement

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def browser(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def published(make):
    site = make.site(slug="the-base", name="The Base")
    source = make.source(url="https://example.org/report", kind="news")
    actor = make.actor(slug="the-group", name="The Group")
    return make.incident(
        sites=[site],
        citations=[(source, "claims")],
        involvements=[(actor, "claimed_by")],
        summary="As published.",
    )


def state(incident: Incident) -> dict:
    incident = Incident.objects.get(pk=incident.pk)
    return {
        "fields": {
            f.attname: getattr(incident, f.attname)
            for f in Incident._meta.concrete_fields
        },
        "sites": list(incident.sites.values_list("pk", flat=True)),
        "citations": sorted(
            Citation.objects.filter(incident=incident).values_list(
                "source", "stance", "quote", "note", "source__kind", "source__url"
            )
        ),
        "involvements": sorted(
            Involvement.objects.filter(incident=incident).values_list(
                "actor", "role", "note"
            )
        ),
        "history": incident.history.count(),
    }


def test_the_service(published, editor):
    before = state(published)
    with pytest.raises(PermissionDenied, match="only a reviewer"):
        services.incident_update(
            incident=published, user=editor, fields={"summary": "Rewritten."}
        )
    assert state(published) == before


@pytest.mark.parametrize("method", ["patch", "put"])
def test_the_api(published, browser, method):
    before = state(published)
    body = {
        "occurred_on": "2023-11-15",
        "event_type": "attack",
        "summary": "Rewritten.",
    }
    response = getattr(browser, method)(
        f"/api/v1/incidents/{published.pk}/",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert state(published) == before


def test_the_admin_change_form(published, browser):
    before = state(published)
    url = reverse("admin:incidents_incident_change", args=[published.pk])
    page = browser.get(url)
    assert page.status_code == 200 and 'name="summary"' not in page.content.decode()
    response = browser.post(url, {"summary": "Rewritten.", "occurred_on": "2023-11-15"})
    assert response.status_code == 403
    assert state(published) == before


@pytest.mark.parametrize("action", ["retract", "send_back", "reinstate", "publish"])
def test_the_admin_actions(published, browser, action):
    before = state(published)
    browser.post(
        reverse("admin:incidents_incident_changelist"),
        {
            "action": action,
            "_selected_action": [published.pk],
            "reason": "Because.",
            "confirm": "1",
        },
    )
    assert state(published) == before


def test_the_admin_source_form(published, browser, make):
    """A source's kind decides its incidents' confidence: changing the source
    cited by a published incident is changing that incident."""
    source = published.citations.get().source
    before = state(published)
    url = reverse("admin:incidents_source_change", args=[source.pk])
    response = browser.post(
        url,
        {"url": source.url, "publisher": "x", "kind": "official", "title": ""},
    )
    assert response.status_code == 403
    assert state(published) == before
    # A source only drafts cite is the editor's to correct.
    draft_source = make.source(url="https://example.org/draft")
    make.incident(status="draft", citations=[(draft_source, "reports")])
    url = reverse("admin:incidents_source_change", args=[draft_source.pk])
    assert browser.get(url).status_code == 200
    changed = browser.post(
        url,
        {"url": draft_source.url, "publisher": "Example", "kind": "news", "title": ""},
    )
    assert changed.status_code == 302
