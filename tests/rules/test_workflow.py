"""The review workflow, the roles and the history: who may move an incident where,
deleting as retracting, and every change recorded with who made it."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incidents.models import Incident, Site
from incidents.rules.workflow import incident_move

pytestmark = pytest.mark.django_db

S = Incident.Status


@pytest.fixture
def people(django_user_model):
    def person(name, group=None, **extra):
        user = django_user_model.objects.create_user(
            username=name, password="not-a-real-password", is_staff=True, **extra
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "editor": person("editor", "Editor"),
        "reviewer": person("reviewer", "Reviewer"),
        "boss": person("boss", is_superuser=True),
        "nobody": person("nobody"),
    }


def test_the_groups_exist_with_their_permissions():
    editor = set(
        Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    )
    reviewer = set(
        Group.objects.get(name="Reviewer").permissions.values_list(
            "codename", flat=True
        )
    )
    assert {"add_incident", "change_incident", "view_incident"} <= editor
    assert "publish_incident" not in editor
    assert reviewer == editor | {"publish_incident"}
    assert not any(code.startswith("delete_") for code in reviewer)


@pytest.mark.parametrize(
    ("who", "move", "start", "allowed"),
    [
        ("editor", "submit", S.DRAFT, True),
        ("editor", "publish", S.REVIEW, False),
        ("editor", "send_back", S.REVIEW, False),
        ("editor", "retract", S.PUBLISHED, False),
        ("reviewer", "publish", S.REVIEW, True),
        ("reviewer", "publish", S.DRAFT, True),
        ("reviewer", "send_back", S.REVIEW, True),
        ("reviewer", "submit", S.DRAFT, True),
        ("nobody", "submit", S.DRAFT, False),
    ],
)
def test_who_may_move_what(people, make, who, move, start, allowed):
    incident = make.incident(status=start)
    if allowed:
        moved = incident_move(incident=incident, user=people[who], move=move)
        assert (
            moved.status
            == {
                "submit": S.REVIEW,
                "publish": S.PUBLISHED,
                "send_back": S.DRAFT,
            }[move]
        )
    else:
        with pytest.raises(PermissionDenied):
            incident_move(incident=incident, user=people[who], move=move)
        incident.refresh_from_db()
        assert incident.status == start


@pytest.mark.parametrize(
    ("move", "start"),
    [
        ("submit", S.PUBLISHED),
        ("publish", S.RETRACTED),
        ("retract", S.REVIEW),
        ("send_back", S.PUBLISHED),
    ],
)
def test_moves_start_only_where_they_may(people, make, move, start):
    incident = make.incident(status=start)
    with pytest.raises(ValidationError):
        incident_move(incident=incident, user=people["boss"], move=move, reason="x")


def test_a_retraction_needs_a_public_reason_and_keeps_it(people, make):
    incident = make.incident(status=S.PUBLISHED)
    with pytest.raises(ValidationError, match="reason"):
        incident_move(incident=incident, user=people["reviewer"], move="retract")
    incident_move(
        incident=incident,
        user=people["reviewer"],
        move="retract",
        reason="  Two reports of one event.  ",
    )
    incident.refresh_from_db()
    assert incident.status == S.RETRACTED
    assert incident.retraction_reason == "Two reports of one event."
    assert incident.retracted_at is not None


def test_every_move_is_in_the_history_with_who(people, make):
    incident = make.incident(status=S.DRAFT)
    incident_move(incident=incident, user=people["editor"], move="submit")
    incident_move(incident=incident, user=people["reviewer"], move="publish")
    records = list(incident.history.order_by("history_date"))
    assert [r.status for r in records][-2:] == [S.REVIEW, S.PUBLISHED]
    assert [r.history_user for r in records][-2:] == [
        people["editor"],
        people["reviewer"],
    ]
    delta = records[-1].diff_against(records[-2])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("status", S.REVIEW, S.PUBLISHED)
    ]


# --- the admin ------------------------------------------------------------------------


def _actions(client) -> set[str]:
    page = client.get(reverse("admin:incidents_incident_changelist"))
    return {name for name, _ in page.context["action_form"].fields["action"].choices}


def test_the_admin_offers_each_role_its_moves(client, people):
    client.force_login(people["editor"])
    editor = _actions(client)
    assert "submit" in editor
    assert not {"publish", "retract", "send_back", "delete_selected"} & editor
    client.force_login(people["reviewer"])
    reviewer = _actions(client)
    assert {"submit", "publish", "retract", "send_back"} <= reviewer
    assert "delete_selected" not in reviewer
    client.force_login(people["boss"])
    assert "delete_selected" in _actions(client)


def test_only_superusers_hard_delete(client, people, make):
    incident = make.incident(status=S.DRAFT)
    url = reverse("admin:incidents_incident_delete", args=[incident.pk])
    client.force_login(people["reviewer"])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Incident.objects.filter(pk=incident.pk).exists()
    client.force_login(people["boss"])
    client.post(url, {"post": "yes"})
    assert not Incident.objects.filter(pk=incident.pk).exists()


def test_retracting_in_the_admin_asks_for_the_reason(client, people, make):
    incident = make.incident(status=S.PUBLISHED)
    client.force_login(people["reviewer"])
    url = reverse("admin:incidents_incident_changelist")
    asked = client.post(url, {"action": "retract", "_selected_action": [incident.pk]})
    assert asked.status_code == 200
    assert 'id="retract-form"' in asked.content.decode()
    incident.refresh_from_db()
    assert incident.status == S.PUBLISHED
    done = client.post(
        url,
        {
            "action": "retract",
            "_selected_action": [incident.pk],
            "confirm": "1",
            "reason": "Duplicate of #1.",
        },
    )
    assert done.status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.retraction_reason) == (
        S.RETRACTED,
        "Duplicate of #1.",
    )


def test_editors_cannot_change_a_published_incident(client, people, make):
    incident = make.incident(status=S.PUBLISHED, summary="as published")
    client.force_login(people["editor"])
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    page = client.get(url)
    assert page.status_code == 200  # they may look (view permission)
    assert page.context["has_change_permission"] is False
    assert client.post(url, {"summary": "quietly changed"}).status_code == 403
    incident.refresh_from_db()
    assert incident.summary == "as published"


def test_a_site_change_in_the_admin_is_recorded(client, people, make):
    site = make.site(slug="tower-22", name="Tower 22")
    client.force_login(people["editor"])
    url = reverse("admin:incidents_site_change", args=[site.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(name="Tower 22 (Jordan)", aliases="")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = Site.history.filter(id=site.pk).latest("history_date")
    assert record.name == "Tower 22 (Jordan)"
    assert record.history_user == people["editor"]
    history = client.get(reverse("admin:incidents_site_history", args=[site.pk]))
    assert history.status_code == 200
    assert "Tower 22 (Jordan)" in history.content.decode()
