"""Merging in the admin (``incidents.admin.merges``, ``proposals``): the
"Possible duplicates" list, a reviewer's merge through the intermediate page
(from a proposal and from two incidents), dismissal, an editor's proposal, and
what editors may not do; the tombstone's read-only change form and the open
proposals on every change form.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from incidents.corroborate import incidents_merge, merge_proposal_create
from incidents.models import Citation, Incident, MergeProposal

pytestmark = pytest.mark.django_db

INCIDENTS = reverse("admin:incidents_incident_changelist")
PROPOSALS = reverse("admin:incidents_mergeproposal_changelist")


@pytest.fixture
def people(django_user_model):
    def staff(name, group):
        user = django_user_model.objects.create_user(name, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "editor": staff("editor", "Editor"),
        "reviewer": staff("reviewer", "Reviewer"),
        "boss": django_user_model.objects.create_superuser("boss", "b@example.org"),
    }


@pytest.fixture
def as_role(client, people):
    def sign_in(role):
        client.force_login(people[role])
        return client

    return sign_in


@pytest.fixture
def pair(make, people):
    base = make.site(name="Al-Omar")
    source = make.source(publisher="SOHR", title="Drone strike on the field")
    survivor = make.incident(summary="Published account.", sites=[base])
    merged = make.incident(
        status="draft",
        summary="A draft of the same attack.",
        citations=[(source, "reports")],
    )
    proposal = merge_proposal_create(
        incident=merged,
        candidate=survivor,
        user=people["editor"],
        reason="Same field, same night.",
    )
    return survivor, merged, proposal


def _revert(client, incident, record, **changes):
    """Post the history's revert form of ``record`` back, complete, as a browser
    would: without a guard it saves the old version over the incident."""
    url = reverse(
        "admin:incidents_incident_simple_history",
        args=[incident.pk, record.history_id],
    )
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None and value is not False:
            data[name] = str(value)
    return client.post(url, {**data, **changes})


def _actions(client, url) -> set[str]:
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["action_form"]
    if form is None:
        return set()
    return {name for name, _ in form.fields["action"].choices}


# --- the list -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "reviewer", "boss"])
def test_the_possible_duplicates_list(as_role, pair, role):
    survivor, merged, proposal = pair
    client = as_role(role)
    page = client.get(PROPOSALS)
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        f"#{merged.pk}",
        f"#{survivor.pk}",
        "Al-Omar",
        "Same field, same night.",
        reverse("admin:incidents_incident_change", args=[merged.pk]),
    ):
        assert text in html, text
    assert client.get(PROPOSALS, {"status__exact": "open"}).status_code == 200
    filtered = client.get(PROPOSALS, {"status__exact": "dismissed"})
    assert list(filtered.context["cl"].result_list) == []
    by_origin = client.get(PROPOSALS, {"origin__exact": "editor"})
    assert list(by_origin.context["cl"].result_list) == [proposal]
    # Nobody edits a proposal by hand; its page is for reading.
    change = client.get(
        reverse("admin:incidents_mergeproposal_change", args=[proposal.pk])
    )
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    assert client.get(reverse("admin:incidents_mergeproposal_add")).status_code == 403


def test_readers_without_a_role_do_not_see_the_list(client, django_user_model, pair):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    assert client.get(PROPOSALS).status_code == 403


def test_each_role_is_offered_its_actions(as_role):
    assert _actions(as_role("editor"), PROPOSALS) == set()
    assert _actions(as_role("reviewer"), PROPOSALS) == {
        "",
        "merge_proposal",
        "dismiss_proposals",
    }
    editor = _actions(as_role("editor"), INCIDENTS)
    assert "propose_merge" in editor and "merge_selected" not in editor
    reviewer = _actions(as_role("reviewer"), INCIDENTS)
    assert {"propose_merge", "merge_selected"} <= reviewer


# --- a reviewer merges ----------------------------------------------------------------


def test_a_reviewer_merges_a_proposal_through_its_page(as_role, pair, people):
    survivor, merged, proposal = pair
    client = as_role("reviewer")
    asked = client.post(
        PROPOSALS, {"action": "merge_proposal", "_selected_action": [proposal.pk]}
    )
    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'id="merge-form"' in html
    for text in ("A draft of the same attack.", "Published account.", "SOHR"):
        assert text in html
    # Keeping the draft would hide the published incident: offered, but disabled.
    sides = {s["incident"].pk: s for s in asked.context["sides"]}
    assert sides[merged.pk]["refusal"]
    assert not sides[survivor.pk]["refusal"]
    assert asked.context["checked"] == survivor.pk
    merged.refresh_from_db()
    assert merged.status == "draft"  # nothing yet

    done = client.post(
        PROPOSALS,
        {
            "action": "merge_proposal",
            "_selected_action": [proposal.pk],
            "confirm": "1",
            "survivor": survivor.pk,
            "note": "Checked the times.",
        },
    )
    assert done.status_code == 302
    merged.refresh_from_db()
    assert (merged.status, merged.merged_into_id) == ("merged", survivor.pk)
    assert Citation.objects.filter(incident=survivor).count() == 1
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("merged", people["reviewer"])
    assert proposal.decision_note == "Checked the times."
    record = merged.history.latest("history_date")
    assert record.history_user == people["reviewer"]
    assert record.history_change_reason.endswith("Checked the times.")


def test_a_refused_choice_is_said_on_the_page(as_role, pair):
    survivor, merged, proposal = pair
    response = as_role("reviewer").post(
        PROPOSALS,
        {
            "action": "merge_proposal",
            "_selected_action": [proposal.pk],
            "confirm": "1",
            "survivor": merged.pk,  # the draft: refused
        },
    )
    assert response.status_code == 200
    assert "Publish" in " ".join(response.context["errors"])
    merged.refresh_from_db()
    assert merged.status == "draft"


def test_a_reviewer_merges_two_selected_incidents(as_role, make):
    first = make.incident(status="draft", summary="")
    second = make.incident(status="draft", summary="Second words.")
    client = as_role("reviewer")
    page = client.post(
        INCIDENTS,
        {"action": "merge_selected", "_selected_action": [first.pk, second.pk]},
    )
    assert page.status_code == 200
    assert page.context["checked"] == first.pk  # neither published: the older
    done = client.post(
        INCIDENTS,
        {
            "action": "merge_selected",
            "_selected_action": [first.pk, second.pk],
            "confirm": "1",
            "survivor": second.pk,
        },
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.merged_into_id == second.pk


def test_merging_needs_exactly_two(as_role, make):
    incidents = [make.incident(status="draft") for _ in range(3)]
    client = as_role("reviewer")
    for chosen in (incidents[:1], incidents):
        response = client.post(
            INCIDENTS,
            {"action": "merge_selected", "_selected_action": [i.pk for i in chosen]},
            follow=True,
        )
        assert "exactly two" in response.content.decode()
    assert not Incident.objects.filter(status="merged").exists()


def test_a_reviewer_dismisses(as_role, pair, people):
    _survivor, _merged, proposal = pair
    response = as_role("reviewer").post(
        PROPOSALS, {"action": "dismiss_proposals", "_selected_action": [proposal.pk]}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("dismissed", people["reviewer"])


# --- editors propose, and may not merge or dismiss ------------------------------------


def test_an_editor_cannot_merge_or_dismiss(as_role, pair):
    survivor, merged, proposal = pair
    client = as_role("editor")
    for url, action, selected in (
        (PROPOSALS, "merge_proposal", [proposal.pk]),
        (PROPOSALS, "dismiss_proposals", [proposal.pk]),
        (INCIDENTS, "merge_selected", [survivor.pk, merged.pk]),
    ):
        response = client.post(
            url,
            {
                "action": action,
                "_selected_action": selected,
                "confirm": "1",
                "survivor": survivor.pk,
            },
        )
        # An action one may not use is not among the choices: the form is
        # refused and nothing runs.
        assert response.status_code in (200, 302)
        assert 'id="merge-form"' not in response.content.decode()
    merged.refresh_from_db()
    proposal.refresh_from_db()
    assert merged.status == "draft"
    assert proposal.status == "open"


def test_an_editor_proposes_two_incidents(as_role, make, people):
    older, newer = make.incident(), make.incident(status="draft")
    client = as_role("editor")
    asked = client.post(
        INCIDENTS, {"action": "propose_merge", "_selected_action": [older.pk, newer.pk]}
    )
    assert asked.status_code == 200
    assert 'id="propose-form"' in asked.content.decode()
    assert not MergeProposal.objects.exists()
    done = client.post(
        INCIDENTS,
        {
            "action": "propose_merge",
            "_selected_action": [older.pk, newer.pk],
            "confirm": "1",
            "reason": "Same strike, two reports.",
        },
    )
    assert done.status_code == 302
    proposal = MergeProposal.objects.get()
    assert (proposal.incident, proposal.candidate) == (newer, older)
    assert (proposal.origin, proposal.proposed_by) == ("editor", people["editor"])
    assert proposal.reason == "Same strike, two reports."
    again = client.post(
        INCIDENTS,
        {
            "action": "propose_merge",
            "_selected_action": [older.pk, newer.pk],
            "confirm": "1",
        },
        follow=True,
    )
    assert "already proposed" in again.content.decode()
    assert MergeProposal.objects.count() == 1


# --- the change forms -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "reviewer", "boss"])
def test_a_tombstones_form_is_read_only_and_names_its_survivor(
    as_role, make, people, role
):
    survivor, merged = make.incident(), make.incident(summary="Old words.")
    incidents_merge(survivor=survivor, merged=merged, user=people["reviewer"])
    client = as_role(role)
    url = reverse("admin:incidents_incident_change", args=[merged.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    html = page.content.decode()
    assert 'id="merged-into"' in html
    assert reverse("admin:incidents_incident_change", args=[survivor.pk]) in html
    assert client.post(url, {"summary": "New words."}).status_code == 403
    # Nor through the history's revert form, to its state before the merge.
    before = merged.history.order_by("history_date").first()
    assert _revert(client, merged, before, summary="Back.").status_code == 403
    merged.refresh_from_db()
    assert (merged.status, merged.summary) == ("merged", "Old words.")


def test_an_editor_cannot_revert_a_published_incident(as_role, make, people):
    incident = make.incident(status="draft", summary="Draft words.")
    first = incident.history.get()
    Incident.objects.filter(pk=incident.pk).update(status="published")
    client = as_role("editor")
    assert _revert(client, incident, first, summary="Quietly.").status_code == 403
    incident.refresh_from_db()
    assert (incident.status, incident.summary) == ("published", "Draft words.")


def test_the_change_form_lists_open_proposals(as_role, pair):
    survivor, merged, proposal = pair
    for role in ("editor", "reviewer"):
        html = as_role(role).get(
            reverse("admin:incidents_incident_change", args=[survivor.pk])
        )
        body = html.content.decode()
        assert 'id="merge-proposals"' in body
        assert reverse("admin:incidents_incident_change", args=[merged.pk]) in body
        assert "Same field, same night." in body
    MergeProposal.objects.filter(pk=proposal.pk).update(status="dismissed")
    html = as_role("editor").get(
        reverse("admin:incidents_incident_change", args=[survivor.pk])
    )
    assert 'id="merge-proposals"' not in html.content.decode()
