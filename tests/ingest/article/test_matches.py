"""An article's proposals meet the incidents on record: ``match_proposals`` (what
each proposal ``matches``), ``accept_article`` (a citation of the match, or a draft
proposed for merging, by ``rules``), and the ``extract_article`` command.

The door's rule: accepting never changes an incident this user may not change. An
editor who chooses a published match leaves it exactly as it was."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from incidents.ingest.article import (
    ALREADY_CITED,
    CITED,
    DRAFT,
    PROPOSED,
    accept_article,
    accept_proposals,
    extract_article,
    match_proposals,
)
from incidents.models import Citation, Incident, MergeProposal, Source
from tests import doors_world as w

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "data" / "seed" / "000_f7ba5510ad944d36.txt"


def read(text: str):
    return match_proposals(extract_article(text, published=w.PUBLISHED_ON))


@pytest.fixture
def omar():
    return w.sites()[0]


@pytest.fixture
def editor(django_user_model):
    return w.staff(django_user_model, "editor", "Editor")


@pytest.fixture
def reviewer(django_user_model):
    return w.staff(django_user_model, "reviewer", "Reviewer")


def _snapshot(incident: Incident) -> tuple:
    """What accepting an article could change about an incident."""
    incident.refresh_from_db()
    return (
        sorted(incident.citations.values_list("source_id", "stance", "quote")),
        incident.history.count(),
        incident.updated_at,
        incident.updated_by_id,
    )


# --- matching -------------------------------------------------------------------


@pytest.mark.parametrize("text", [w.ARABIC_ROCKETS, w.ENGLISH_ROCKETS])
def test_the_rocket_attack_matches_the_incident_on_record(omar, text):
    on_record = w.rocket_attack(omar, status="published")
    w.rocket_attack(omar, status="draft", occurred_on=dt.date(2023, 10, 1))
    (proposal,) = read(text).proposals
    assert (proposal.occurred_on, proposal.weapon, proposal.sites) == (
        w.ATTACK_DAY,
        "rocket",
        ["al-omar"],
    )
    assert proposal.matches == [on_record.pk]
    assert proposal.suggested_match == on_record.pk
    (match,) = proposal.match_details
    assert (match.strength, match.status, match.sites) == (
        "exact",
        "published",
        ("al-omar",),
    )
    assert "same site (al-omar)" in match.how and "same day" in match.how


def test_another_site_or_day_has_no_match(omar):
    w.rocket_attack(omar, status="published")
    (proposal,) = read(w.ENGLISH_CONOCO).proposals
    assert proposal.sites == ["conoco"]
    assert proposal.matches == [] and proposal.suggested_match is None


def test_a_drone_is_not_the_rocket_attack_of_the_same_day(omar):
    w.rocket_attack(omar, status="published")
    (proposal,) = read(w.ENGLISH_DRONE).proposals
    assert (proposal.weapon, proposal.sites, proposal.occurred_on) == (
        "drone",
        ["al-omar"],
        w.ATTACK_DAY,
    )
    assert proposal.matches == []


def test_matches_come_best_first_and_a_retracted_one_is_never_suggested(omar):
    near = w.rocket_attack(omar, status="draft", occurred_on=dt.date(2023, 11, 14))
    retracted = w.rocket_attack(omar, status="retracted")
    (proposal,) = read(w.ENGLISH_ROCKETS).proposals
    assert set(proposal.matches) == {near.pk, retracted.pk}
    assert proposal.suggested_match is None  # near ones only: the editor decides
    exact = w.rocket_attack(omar, status="review")
    (proposal,) = read(w.ENGLISH_ROCKETS).proposals
    assert proposal.matches[0] == exact.pk
    assert proposal.suggested_match == exact.pk


def test_the_extractor_itself_reads_no_incident(omar):
    w.rocket_attack(omar, status="published")
    extraction = extract_article(w.ENGLISH_ROCKETS, published=w.PUBLISHED_ON)
    assert not extraction.matched
    assert extraction.proposals[0].matches == []
    assert "matches" in extraction.as_dict()["proposals"][0]


# --- accepting ------------------------------------------------------------------


def _accept(extraction, user, target, **kwargs):
    return accept_article(
        extraction=extraction,
        chosen=[0],
        targets={0: target} if target else {},
        user=user,
        publisher="Enab Baladi",
        url="https://example.org/omar-rockets",
        **kwargs,
    )


def test_an_editor_cites_the_article_on_a_draft_match(omar, editor):
    draft = w.rocket_attack(omar, status="draft")
    history = draft.history.count()
    before = Incident.objects.count()
    (done,) = _accept(read(w.ARABIC_ROCKETS), editor, draft.pk)
    assert (done.outcome, done.incident.pk, done.target) == (CITED, draft.pk, draft.pk)
    assert Incident.objects.count() == before  # nothing new
    citation = Citation.objects.get(incident=draft)
    assert citation.source.url == "https://example.org/omar-rockets"
    assert citation.stance == "reports"
    assert "حقل العمر النفطي" in citation.quote
    assert citation.history.get().history_user == editor
    draft.refresh_from_db()
    assert draft.history.count() == history + 1
    assert draft.history.first().history_user == editor
    assert draft.updated_by == editor
    assert not MergeProposal.objects.exists()


def test_an_editor_leaves_a_published_match_unchanged(omar, editor):
    """The door's test: an editor cannot change a published incident by
    accepting an article. The draft and the proposal carry it to a reviewer."""
    published = w.rocket_attack(omar, status="published")
    before = _snapshot(published)
    (done,) = _accept(read(w.ARABIC_ROCKETS), editor, published.pk)
    assert _snapshot(published) == before
    assert done.outcome == PROPOSED and done.target == published.pk
    draft = done.incident
    assert (draft.status, draft.created_by) == ("draft", editor)
    assert list(draft.sites.values_list("slug", flat=True)) == ["al-omar"]
    assert draft.citations.get().source.url == "https://example.org/omar-rockets"
    proposal = MergeProposal.objects.get()
    assert (proposal.incident, proposal.candidate) == (draft, published)
    assert proposal.origin == MergeProposal.Origin.ARTICLE
    assert proposal.proposed_by == editor
    assert "same day" in proposal.reason
    assert "chosen as the same event" in proposal.reason


def test_an_editor_leaves_a_retracted_match_unchanged(omar, editor):
    retracted = w.rocket_attack(omar, status="retracted")
    before = _snapshot(retracted)
    (done,) = _accept(read(w.ARABIC_ROCKETS), editor, retracted.pk)
    assert _snapshot(retracted) == before
    assert done.outcome == PROPOSED


def test_a_reviewer_cites_the_article_on_a_published_match(omar, reviewer):
    published = w.rocket_attack(omar, status="published")
    history = published.history.count()
    (done,) = _accept(read(w.ENGLISH_ROCKETS), reviewer, published.pk)
    assert (done.outcome, done.incident.pk) == (CITED, published.pk)
    citation = Citation.objects.get(incident=published)
    assert "Green Village" in citation.quote
    assert citation.history.get().history_user == reviewer
    published.refresh_from_db()
    assert published.status == "published"
    assert published.history.count() == history + 1
    assert not Incident.objects.filter(status="draft").exists()


def test_a_new_draft_chosen_is_still_proposed_for_merging(omar, reviewer):
    published = w.rocket_attack(omar, status="published")
    before = _snapshot(published)
    (done,) = _accept(read(w.ENGLISH_ROCKETS), reviewer, None)
    assert done.outcome == DRAFT and done.target is None
    assert _snapshot(published) == before
    (proposal,) = done.proposals
    assert (proposal.incident_id, proposal.candidate_id) == (
        done.incident.pk,
        published.pk,
    )
    assert "chosen" not in proposal.reason


def test_the_same_article_again_cites_once(omar, reviewer):
    published = w.rocket_attack(omar, status="published")
    _accept(read(w.ENGLISH_ROCKETS), reviewer, published.pk)
    (again,) = _accept(read(w.ENGLISH_ROCKETS), reviewer, published.pk)
    assert again.outcome == ALREADY_CITED
    assert Citation.objects.filter(incident=published).count() == 1
    assert Source.objects.filter(url="https://example.org/omar-rockets").count() == 1


def test_a_target_that_is_not_a_match_saves_nothing(omar, editor):
    draft = w.rocket_attack(omar, status="draft")
    other = w.rocket_attack(omar, status="draft", occurred_on=dt.date(2023, 9, 1))
    extraction = read(w.ARABIC_ROCKETS)
    before = (Incident.objects.count(), Source.objects.count(), _snapshot(draft))
    with pytest.raises(ValueError, match=f"#{other.pk} is not one of"):
        _accept(extraction, editor, other.pk)
    assert (Incident.objects.count(), Source.objects.count(), _snapshot(draft)) == (
        before
    )


def test_all_or_nothing_across_proposals(omar, editor):
    """Two proposals; the second names a site deleted since the article was
    read: neither the citation of the first nor any draft is kept."""
    draft = w.rocket_attack(omar, status="draft")
    text = w.ARABIC_ROCKETS + "\n" + w.ENGLISH_CONOCO.split("\n\n", 1)[1]
    extraction = read(text)
    assert [p.sites for p in extraction.proposals] == [["al-omar"], ["conoco"]]
    from incidents.models import Site

    Site.objects.filter(slug="conoco").delete()
    before = (Incident.objects.count(), Source.objects.count(), _snapshot(draft))
    with pytest.raises(ValueError, match="Unknown site"):
        accept_article(
            extraction=extraction, chosen=[0, 1], targets={0: draft.pk}, user=editor
        )
    assert (Incident.objects.count(), Source.objects.count(), _snapshot(draft)) == (
        before
    )


def test_accept_proposals_matches_an_unmatched_extraction(omar, editor):
    published = w.rocket_attack(omar, status="published")
    extraction = extract_article(w.ENGLISH_ROCKETS, published=w.PUBLISHED_ON)
    (draft,) = accept_proposals(extraction=extraction, chosen=[0], user=editor)
    assert draft.status == "draft"
    assert MergeProposal.objects.get().candidate == published


# --- the command ----------------------------------------------------------------


def _command(tmp_path, text: str, *args) -> str:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "extract_article", str(path), "--published", "2023-11-18", *args, stdout=out
    )
    return out.getvalue()


def test_the_command_names_the_matches(omar, tmp_path):
    on_record = w.rocket_attack(omar, status="published")
    data = json.loads(_command(tmp_path, w.ARABIC_ROCKETS, "--json"))
    (proposal,) = data["proposals"]
    assert proposal["matches"] == [on_record.pk]
    assert proposal["suggested_match"] == on_record.pk
    (detail,) = proposal["match_details"]
    assert detail["incident"] == on_record.pk
    assert (detail["strength"], detail["status"]) == ("exact", "published")
    assert detail["occurred_on"] == "2023-11-15" and detail["sites"] == ["al-omar"]
    assert "same day" in detail["how"]
    text = _command(tmp_path, w.ARABIC_ROCKETS)
    assert f"on record: #{on_record.pk} (suggested) exact, 2023-11-15" in text
    assert "how: same site (al-omar); same day" in text
    assert Incident.objects.count() == 1  # saves nothing


def test_the_command_says_when_nothing_matches(omar, tmp_path):
    w.rocket_attack(omar, status="published")
    assert "on record: no match" in _command(tmp_path, w.ENGLISH_CONOCO)
    data = json.loads(_command(tmp_path, w.ENGLISH_CONOCO, "--json"))
    assert data["proposals"][0]["matches"] == []


# --- the seed article, against the reference data --------------------------------


def test_the_seed_rocket_attack_is_the_incident_on_record(reference_data):
    extraction = read(SEED.read_text(encoding="utf-8"))
    (attack,) = [p for p in extraction.proposals if p.event_type == "attack"]
    on_record = Incident.objects.get(
        sites__slug="al-omar",
        occurred_on=w.ATTACK_DAY,
        event_type="attack",
        weapon="rocket",
    )
    assert attack.matches == [on_record.pk]
    assert attack.suggested_match == on_record.pk


# --- the service underneath ------------------------------------------------------


def test_adding_a_citation_is_a_change_the_rules_decide(omar, editor, reviewer):
    from django.core.exceptions import PermissionDenied, ValidationError

    from incidents.corroborate import incident_add_citation
    from incidents.services import CitationInput
    from tests import factories

    published = w.rocket_attack(omar, status="published")
    source = factories.source()
    before = _snapshot(published)
    with pytest.raises(PermissionDenied, match="only a reviewer may change it"):
        incident_add_citation(
            incident=published, user=editor, citation=CitationInput(source=source)
        )
    assert _snapshot(published) == before
    citation, written = incident_add_citation(
        incident=published, user=reviewer, citation=CitationInput(source=source)
    )
    assert written and citation.incident == published
    tombstone = factories.incident(status="merged")
    with pytest.raises(ValidationError, match="cite its survivor"):
        incident_add_citation(
            incident=tombstone, user=reviewer, citation=CitationInput(source=source)
        )
