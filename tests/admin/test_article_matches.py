"""The admin's article page with incidents on record: a choice per matched
proposal ("add this article as a source of #N" or "save as a new draft"), what
accepting it does for an editor and a reviewer, and the page telling an editor
beforehand that a published match stays unchanged. Through Django's test client.
"""

import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from incidents.models import Citation, Incident, MergeProposal
from tests import doors_world as w

pytestmark = pytest.mark.django_db

ARTICLE_URL = reverse("admin:incidents_incident_extract_article")
URL = "https://example.org/omar-rockets"


@pytest.fixture
def omar():
    return w.sites()[0]


def _client(client, django_user_model, group):
    client.force_login(w.staff(django_user_model, group.lower(), group))
    return client


@pytest.fixture
def editor(client, django_user_model):
    return _client(client, django_user_model, "Editor")


@pytest.fixture
def reviewer(client, django_user_model):
    return _client(client, django_user_model, "Reviewer")


def _form(text=w.ARABIC_ROCKETS, **extra) -> dict:
    return {
        "text": text,
        "published": "2023-11-18",
        "title": "هجوم صاروخي على قاعدة أمريكية",
        "publisher": "Enab Baladi",
        "url": URL,
        **extra,
    }


def _show(client, text=w.ARABIC_ROCKETS):
    page = client.post(ARTICLE_URL, _form(text, extract="1"))
    assert page.status_code == 200
    return page


def _accept(client, page, target, text=w.ARABIC_ROCKETS):
    return client.post(
        ARTICLE_URL,
        _form(
            text,
            accept="1",
            digest=page.context["digest"],
            proposal=["0"],
            **{"target-0": str(target)},
        ),
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _snapshot(incident: Incident) -> tuple:
    incident.refresh_from_db()
    return (
        sorted(incident.citations.values_list("source_id", "stance", "quote")),
        incident.history.count(),
        incident.updated_at,
    )


def test_a_single_exact_match_is_offered_as_the_default(editor, omar):
    draft = w.rocket_attack(omar, status="draft")
    page = _show(editor)
    (choice,) = page.context["choices"]
    assert [o.pk for o in choice.options] == [draft.pk]
    assert choice.checked == draft.pk
    body = page.content.decode()
    assert f"Add this article as a source of #{draft.pk}" in body
    assert f'name="target-0" value="{draft.pk}" checked' in body
    assert 'name="target-0" value="new">' in body
    change = reverse("admin:incidents_incident_change", args=[draft.pk])
    assert f'href="{change}"' in body
    assert "2023-11-15" in body and "Al-Omar oil field base" in body
    assert "only a reviewer may change it" not in body
    assert not Citation.objects.exists()  # nothing saved by looking


def test_near_matches_only_default_to_a_new_draft(editor, omar):
    w.rocket_attack(omar, status="draft", occurred_on=w.ATTACK_DAY.replace(day=14))
    (choice,) = _show(editor).context["choices"]
    assert choice.options and choice.checked is None and choice.new_checked


def test_an_editor_adds_the_article_to_a_draft_match(editor, omar):
    draft = w.rocket_attack(omar, status="draft")
    before = Incident.objects.count()
    done = _accept(editor, _show(editor), draft.pk)
    assert done.status_code == 302
    assert Incident.objects.count() == before
    citation = Citation.objects.get(incident=draft)
    assert citation.source.url == URL and citation.source.publisher == "Enab Baladi"
    assert "حقل العمر النفطي" in citation.quote
    assert citation.history.get().history_user.username == "editor"
    assert f"The article is now a source of #{draft.pk}." in _messages(done)


def test_an_editor_is_told_first_and_the_published_match_stays_unchanged(editor, omar):
    """The door's test: accepting an article as an editor changes no published
    incident. The page says so before, and the message after."""
    published = w.rocket_attack(omar, status="published")
    before = _snapshot(published)
    page = _show(editor)
    body = html.unescape(page.content.decode())
    assert f"#{published.pk} is published: only a reviewer may change it" in body
    assert "saved as a new draft citing the article instead" in body
    done = _accept(editor, page, published.pk)
    assert done.status_code == 302 and "status__exact=draft" in done["Location"]
    assert _snapshot(published) == before
    draft = Incident.objects.get(status="draft")
    assert draft.citations.get().source.url == URL
    proposal = MergeProposal.objects.get()
    assert (proposal.incident, proposal.candidate) == (draft, published)
    assert proposal.origin == "article"
    said = " ".join(_messages(done))
    assert f"#{published.pk} is published, so it was left unchanged" in said
    assert f"new draft #{draft.pk}" in said


def test_a_reviewer_adds_the_article_to_a_published_match(reviewer, omar):
    published = w.rocket_attack(omar, status="published")
    history = published.history.count()
    page = _show(reviewer)
    assert "only a reviewer may change it" not in page.content.decode()
    done = _accept(reviewer, page, published.pk)
    assert done.status_code == 302
    assert Citation.objects.get(incident=published).source.url == URL
    assert published.history.count() == history + 1
    assert not Incident.objects.filter(status="draft").exists()
    assert not MergeProposal.objects.exists()


def test_a_new_draft_chosen_is_proposed_for_merging(editor, omar):
    draft_on_record = w.rocket_attack(omar, status="draft")
    before = _snapshot(draft_on_record)
    done = _accept(editor, _show(editor), "new")
    assert done.status_code == 302
    assert _snapshot(draft_on_record) == before
    new = Incident.objects.exclude(pk=draft_on_record.pk).get()
    assert new.status == "draft"
    proposal = MergeProposal.objects.get()
    assert (proposal.incident, proposal.candidate) == (new, draft_on_record)
    said = " ".join(_messages(done))
    assert f"#{new.pk} is proposed to a reviewer as a possible repeat" in said


def test_a_target_not_offered_saves_nothing(editor, omar):
    w.rocket_attack(omar, status="draft")
    elsewhere = w.rocket_attack(
        omar, status="draft", occurred_on=w.ATTACK_DAY.replace(month=9)
    )
    before = (Incident.objects.count(), Citation.objects.count())
    response = _accept(editor, _show(editor), elsewhere.pk)
    assert response.status_code == 200
    assert "changed since you chose" in response.content.decode()
    assert (Incident.objects.count(), Citation.objects.count()) == before


def test_an_editor_without_view_permission_sees_published_matches_only(
    client, django_user_model, omar
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("adder", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_incident"))
    client.force_login(user)
    w.rocket_attack(omar, status="draft", summary="DRAFT-MARKER-19c")
    (choice,) = _show(client).context["choices"]
    assert choice.options == []
    assert "DRAFT-MARKER-19c" not in _show(client).content.decode()


def test_a_hostile_summary_on_record_is_shown_as_text(editor, omar):
    w.rocket_attack(
        omar,
        status="draft",
        summary='<script>window.__xss=1</script><img src=x onerror="alert(1)">',
    )
    body = _show(editor).content.decode()
    assert "<script>window.__xss" not in body
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body


def test_a_user_who_may_only_add_leaves_a_draft_match_unchanged(
    client, django_user_model, omar
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("adder", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_incident", "view_incident"])
    )
    client.force_login(user)
    draft = w.rocket_attack(omar, status="draft")
    before = _snapshot(draft)
    page = _show(client)
    body = html.unescape(page.content.decode())
    assert f"You may not change #{draft.pk}, so choosing this leaves it" in body
    done = _accept(client, page, draft.pk)
    assert done.status_code == 302
    assert _snapshot(draft) == before
    assert MergeProposal.objects.get().candidate == draft
    said = " ".join(_messages(done))
    assert f"You may not change #{draft.pk}, so it was left unchanged" in said
