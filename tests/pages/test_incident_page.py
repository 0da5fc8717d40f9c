"""The public incident page and its corrections log."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from incidents.models import Incident
from incidents.rules.corrections import incident_corrections
from incidents.rules.workflow import incident_move
from incidents.services import CitationInput, InvolvementInput, incident_update

pytestmark = pytest.mark.django_db
S = Incident.Status


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("rev", password="not-a-password")
    user.groups.add(Group.objects.get(name="Reviewer"))
    return user


def _page(client, incident):
    return client.get(reverse("incidents:incident", args=[incident.pk]))


@pytest.mark.parametrize("status", [S.DRAFT, S.REVIEW])
def test_unpublished_incidents_have_no_page(client, make, status):
    assert _page(client, make.incident(status=status)).status_code == 404


def test_a_published_incident_shows_its_facts_as_text(client, make):
    site = make.site(slug="al-omar", name="Al-Omar")
    incident = make.incident(
        status=S.PUBLISHED,
        sites=[site],
        summary='<script>alert(1)</script> rockets <img src=x onerror="x()">',
        injured=None,
        killed=0,
    )
    html = _page(client, incident).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert reverse("incidents:site", kwargs={"slug": "al-omar"}) in html
    assert "not reported" in html  # injured null differs from killed 0


def test_corrections_after_publication_are_listed(client, make, reviewer):
    incident = make.incident(status=S.DRAFT, summary="first draft", injured=None)
    incident_update(incident=incident, user=reviewer, fields={"summary": "draft 2"})
    incident_move(incident=incident, user=reviewer, move="publish")
    incident_update(incident=incident, user=reviewer, fields={"injured": 3})
    log = incident_corrections(incident=incident)
    # Drafting before publication is not a correction.
    assert [(c.kind, [(x.field, x.old, x.new) for x in c.changes]) for c in log] == [
        ("correction", [("injured", None, 3)])
    ]
    html = _page(client, incident).content.decode()
    assert 'class="bw-correction-correction"' in html
    assert "draft 2" in html and "first draft" not in html


def test_a_retracted_incident_shows_only_its_notice(client, make, reviewer):
    incident = make.incident(status=S.DRAFT, summary="secret content")
    incident_move(incident=incident, user=reviewer, move="publish")
    incident_move(
        incident=incident, user=reviewer, move="retract", reason="Double report."
    )
    response = _page(client, incident)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Double report." in html
    assert "secret content" not in html
    kinds = [c.kind for c in incident_corrections(incident=incident)]
    assert kinds == ["retraction"]


def test_a_change_of_sites_after_publication_is_a_correction(client, make, reviewer):
    first, second = make.site(name="Al-Omar"), make.site(name="Conoco")
    incident = make.incident(status=S.DRAFT)
    incident_update(incident=incident, user=reviewer, fields={}, sites=[first])
    incident_move(incident=incident, user=reviewer, move="publish")
    incident_update(incident=incident, user=reviewer, fields={}, sites=[second])
    log = incident_corrections(incident=incident)
    assert [(c.kind, [(x.field, x.old, x.new) for x in c.changes]) for c in log] == [
        ("correction", [("sites", "Al-Omar", "Conoco")])
    ]
    assert "Conoco" in _page(client, incident).content.decode()


def test_history_records_links_citations_and_who_made_them(make, reviewer):
    site, source, actor = make.site(), make.source(), make.actor()
    incident = make.incident(status=S.DRAFT)
    incident_update(
        incident=incident,
        user=reviewer,
        fields={"summary": "linked"},
        sites=[site],
        citations=[CitationInput(source=source, stance="claims")],
        involvements=[InvolvementInput(actor=actor, role="perpetrator")],
    )
    latest = incident.history.latest()
    assert [link.site for link in latest.sites.all()] == [site]
    assert latest.history_user == reviewer
    (citation,) = incident.citations.all()
    (record,) = citation.history.all()
    assert (record.history_type, record.history_user, record.stance) == (
        "+",
        reviewer,
        "claims",
    )
    (involvement,) = incident.involvements.all()
    assert involvement.history.get().history_user == reviewer
    # Replacing them records the removal, by the same hand.
    incident_update(incident=incident, user=reviewer, fields={}, citations=[])
    removed = citation.history.model.objects.filter(id=citation.pk, history_type="-")
    assert removed.get().history_user == reviewer


# --- what the map's popup shows, and directions for Arabic (issue 20) ---------------

HOSTILE = '<img src=x onerror="window.__xss=1">'


@pytest.fixture
def cited(make):
    site = make.site(
        slug="conoco", name="Conoco", name_ar="كونيكو", admin1="Deir ez-Zor"
    )
    titled = make.source(
        url="https://www.centcom.mil/statement",
        publisher="centcom.mil",
        title="Statement on attacks",
        kind="official",
        language="en",
    )
    untitled = make.source(url="https://example.org/r/1", publisher="example.org")
    incident = make.incident(
        sites=[site],
        country="SY",
        admin1="Deir ez-Zor",
        latitude=35.2,
        longitude=40.1,
        precision_m=3000,
        injured=0,
        killed=2,
        citations=[(titled, "confirms"), (untitled, "claims")],
    )
    incident.citations.filter(source=untitled).update(
        note=f"[claim/unverified: militia statement] {HOSTILE}", quote=HOSTILE
    )
    return incident


def test_the_page_shows_the_confidence_and_why(client, cited):
    html = _page(client, cited).content.decode()
    assert (
        '<span id="bw-confidence" class="bw-confidence bw-confidence-confirmed">'
        "confirmed</span>"
    ) in html
    assert (
        '<small id="bw-confidence-why">— An official or independent source confirms '
        "it.</small>"
    ) in html
    # 0 is "none reported", as in the popup; a count is a number.
    assert "<dd>none reported</dd>" in html
    assert '<dd><bdi dir="ltr">2</bdi></dd>' in html


def test_sources_show_notes_escaped_and_name_the_publisher_once(client, cited):
    html = _page(client, cited).content.decode()
    sources = html.split('id="bw-sources"', 1)[1].split("</ul>", 1)[0]
    assert (
        '<p class="bw-source-note" dir="auto">[claim/unverified: militia statement] '
        "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;</p>"
    ) in sources
    assert "<img" not in sources
    # The link is the report (its title, else its address); the publisher is said once.
    assert '<bdi class="bw-publisher">centcom.mil</bdi>' in sources
    assert 'lang="en" dir="auto">Statement on attacks</a>' in sources
    assert 'dir="auto">https://example.org/r/1</a>' in sources
    assert sources.count("centcom.mil") == 2  # the publisher and its link's href
    assert sources.count("example.org") == 3  # the same, and the address as text
    assert "(centcom.mil)" not in sources


def test_arabic_page_names_places_and_isolates_numbers(client, cited):
    url = reverse("incidents:incident", args=[cited.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    region = html.split('id="bw-region">', 1)[1].split("</dd>", 1)[0]
    assert region == '<bdi lang="ar">سوريا</bdi>، <bdi lang="ar">دير الزور</bdi>'
    point = html.split('id="bw-point">', 1)[1].split("</dd>", 1)[0]
    assert point == '<bdi dir="ltr">35.2, 40.1</bdi> (± <bdi dir="ltr">3000</bdi> م)'
    assert '<h1><bdi dir="ltr">2023-11-15</bdi>' in html
    assert 'lang="ar" dir="rtl">كونيكو</a>' in html
    assert "SY" not in region
