"""The admin's import pages: an ACLED file (upload, dry run, confirm) and an article
(paste, proposals, accept). Through Django's test client, on the real database."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Citation, Incident, Source
from tests import ROOT, TEST_DATA

pytestmark = pytest.mark.django_db

DATA = TEST_DATA / "acled"
SEED = ROOT / "data/seed/000_f7ba5510ad944d36.txt"
ACLED_URL = reverse("admin:incidents_incident_import_acled")
ARTICLE_URL = reverse("admin:incidents_incident_extract_article")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="not-a-real-password"
    )


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes(), "text/csv")


def test_the_incident_list_links_both_pages(admin_client):
    page = admin_client.get(reverse("admin:incidents_incident_changelist"))
    assert ACLED_URL in page.content.decode()
    assert ARTICLE_URL in page.content.decode()


# --- ACLED ----------------------------------------------------------------------------


def test_a_good_file_is_previewed_then_imported(admin_client, reference_data):
    before = Incident.objects.count()
    preview = admin_client.post(
        ACLED_URL, {"file": _upload("syria-iraq-2023.csv"), "status": "review"}
    )
    assert preview.status_code == 200
    report = preview.context["report"]
    assert report.ok and report.created > 0
    assert Incident.objects.count() == before  # a dry run writes nothing
    html = preview.content.decode()
    assert 'id="confirm-import"' in html
    token = preview.context["confirm"].initial["token"]

    done = admin_client.post(ACLED_URL, {"token": token, "status": "review"})
    assert done.status_code == 302
    assert "status__exact=review" in done["Location"]
    assert Incident.objects.count() == before + report.created
    assert Incident.objects.filter(status="review").count() == report.created

    # The token is spent: the same confirmation again imports nothing more.
    again = admin_client.post(
        ACLED_URL, {"token": token, "status": "review"}, follow=True
    )
    assert "unknown or expired" in again.content.decode()
    assert Incident.objects.count() == before + report.created


def test_the_preview_lists_the_skipped_rows_and_all_takes_them(
    admin_client, reference_data
):
    preview = admin_client.post(
        ACLED_URL, {"file": _upload("current-style.csv"), "status": "review"}
    )
    report = preview.context["report"]
    html = preview.content.decode()
    assert 'id="import-skipped"' in html
    assert len(report.skipped) == 5
    for line, event_id, _why in report.skipped:
        assert f"<td>{line}</td><td>{event_id}</td>" in html
    # Django's escaping: the quotes of the reasons arrive as entities.
    assert "&#x27;Erbil&#x27; is the place, not erbil-air-base" in html
    kept = report.created + len(report.matched)

    ticked = admin_client.post(
        ACLED_URL,
        {"file": _upload("current-style.csv"), "status": "review", "take_all": "on"},
    )
    everything = ticked.context["report"]
    assert everything.skipped == [] and 'id="import-skipped"' not in (
        ticked.content.decode()
    )
    assert everything.created + len(everything.matched) == kept + 5
    confirm = ticked.context["confirm"].initial
    assert confirm["take_all"] is True
    before = Incident.objects.count()
    done = admin_client.post(
        ACLED_URL, {"token": confirm["token"], "status": "review", "take_all": "True"}
    )
    assert done.status_code == 302
    assert Incident.objects.count() == before + everything.created
    assert Incident.objects.filter(external_id="IRQ33002", sites=None).exists()


def test_a_broken_file_lists_its_lines_and_offers_no_import(
    admin_client, reference_data
):
    before = Incident.objects.count()
    response = admin_client.post(
        ACLED_URL, {"file": _upload("broken.csv"), "status": "review"}
    )
    report = response.context["report"]
    assert not report.ok
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert 'id="confirm-import"' not in html
    for error in report.errors:
        assert f"<td>{error.line}</td>" in html
    assert Incident.objects.count() == before


def test_a_forged_token_imports_nothing(admin_client, reference_data):
    response = admin_client.post(
        ACLED_URL, {"token": "0" * 32, "status": "review"}, follow=True
    )
    assert "unknown or expired" in response.content.decode()


def test_only_reviewers_may_import_as_published(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="editor2", password="not-a-real-password", is_staff=True
    )
    user.user_permissions.add(Permission.objects.get(codename="add_incident"))
    client.force_login(user)
    page = client.get(ACLED_URL)
    choices = [value for value, _ in page.context["form"].fields["status"].choices]
    assert "published" not in choices
    response = client.post(
        ACLED_URL, {"file": _upload("syria-iraq-2023.csv"), "status": "published"}
    )
    assert "status" in response.context["form"].errors


def test_a_file_over_the_limit_is_refused(admin_client, settings):
    settings.BASEWATCH_MAX_UPLOAD_MB = 0
    response = admin_client.post(
        ACLED_URL, {"file": _upload("syria-iraq-2023.csv"), "status": "review"}
    )
    assert "the limit is 0 MB" in response.context["form"].errors["file"][0]


def test_pages_need_the_add_permission(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="reader", password="not-a-real-password", is_staff=True
    )
    client.force_login(user)
    assert client.get(ACLED_URL).status_code == 403
    assert client.get(ARTICLE_URL).status_code == 403


# --- article --------------------------------------------------------------------------


def _article_form(**extra) -> dict:
    return {
        "text": SEED.read_text(encoding="utf-8"),
        "published": "2023-11-18",
        "title": "Political Keys",
        "publisher": "Political Keys",
        "url": "",
        **extra,
    }


def test_the_seed_article_proposes_and_saves_drafts(admin_client, reference_data):
    before = Incident.objects.count()
    shown = admin_client.post(ARTICLE_URL, _article_form(extract="1"))
    extraction = shown.context["extraction"]
    omar = next(
        i
        for i, proposal in enumerate(extraction.proposals)
        if proposal.sites == ["al-omar"]
    )
    assert Incident.objects.count() == before  # nothing saved by looking
    html = shown.content.decode()
    assert "مساء الأربعاء" in html

    saved = admin_client.post(
        ARTICLE_URL,
        _article_form(accept="1", digest=shown.context["digest"], proposal=[omar]),
    )
    assert saved.status_code == 302
    assert "status__exact=draft" in saved["Location"]
    incident = Incident.objects.exclude(
        pk__in=Incident.objects.order_by("pk")[:before]
    ).get()
    assert incident.status == Incident.Status.DRAFT
    assert str(incident.occurred_on) == "2023-11-15"
    assert incident.weapon == "rocket"
    assert list(incident.sites.values_list("slug", flat=True)) == ["al-omar"]
    citation = Citation.objects.get(incident=incident)
    assert citation.source.publisher == "Political Keys"
    assert "حقل العمر" in citation.quote


def test_the_proposals_name_sites_and_actors_not_slugs(admin_client, reference_data):
    text = (
        "أعلنت المقاومة الإسلامية في العراق، في بيان، استهدافها قاعدة حرير الجوية "
        "بطائرة مسيرة، مساء الجمعة."
    )
    shown = admin_client.post(
        ARTICLE_URL, {"text": text, "published": "2023-11-18", "extract": "1"}
    )
    proposal = shown.content.decode().split('class="proposal"')[1]
    heading = proposal.split("</label>")[0]
    assert "<bdi>Harir Air Base (Bashur airfield)</bdi>" in heading
    assert "harir" not in heading.replace("Harir", "")
    actors = proposal.split('class="proposal-actors">')[1].split("</div>")[0]
    assert actors == "<bdi>Islamic Resistance in Iraq</bdi> (claimed by)"


def test_the_proposals_dates_stay_left_to_right_and_labels_are_translated(
    admin_client, reference_data
):
    text = "استهدفت طائرة مسيرة قاعدة حرير الجوية مساء الجمعة، دون وقوع إصابات."
    shown = admin_client.post(
        ARTICLE_URL,
        {"text": text, "published": "2023-11-18", "extract": "1"},
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    proposal = shown.content.decode().split('class="proposal"')[1]
    assert 'مساء الجمعة → <bdi dir="ltr">2023-11-17</bdi>' in proposal
    assert "هجوم" in proposal.split("</label>")[0]
    assert " attack " not in proposal.split("</label>")[0]
    assert 'id="article-totals"' not in shown.content.decode()  # a none is no total


def test_a_changed_text_must_be_checked_again(admin_client, reference_data):
    before = (Incident.objects.count(), Source.objects.count())
    response = admin_client.post(
        ARTICLE_URL, _article_form(accept="1", digest="0" * 64, proposal=["0"])
    )
    assert response.status_code == 200
    assert "check the proposals again" in response.content.decode()
    assert (Incident.objects.count(), Source.objects.count()) == before


def test_article_text_is_shown_as_text(admin_client, reference_data):
    hostile = (
        "<script>window.__xss=1</script> مساء الأربعاء 15 تشرين الثاني 2023 "
        "تعرضت قاعدة حقل العمر لقصف بقذائف صاروخية <img src=x onerror=alert(1)>"
    )
    response = admin_client.post(
        ARTICLE_URL,
        {"text": hostile, "published": "2023-11-18", "extract": "1"},
    )
    html = response.content.decode()
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_an_empty_article_is_a_form_error(admin_client):
    response = admin_client.post(ARTICLE_URL, {"text": "   ", "extract": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]


def test_import_reasons_keep_latin_values_whole_and_escaped():
    from incidents.templatetags.bidi import isolate_latin

    arabic = "لا يخص موقعًا متابَعًا: 'Ras Isa' لا يسمّي أي موقع، ولا موقع ضمن 15 كم"
    assert isolate_latin(arabic) == (
        "لا يخص موقعًا متابَعًا: <bdi>&#x27;Ras Isa&#x27;</bdi> لا يسمّي أي موقع، "
        "ولا موقع ضمن <bdi>15</bdi> كم"
    )
    assert "<bdi>erbil-air-base</bdi>" in isolate_latin("لا erbil-air-base،")
    # English needs no isolates (and would not wrap with them).
    assert isolate_latin("'Erbil' is the place") == "&#x27;Erbil&#x27; is the place"
    hostile = isolate_latin("""'<img src=x onerror="alert(1)">' لا""")
    assert "<img" not in hostile and "&lt;img" in hostile
