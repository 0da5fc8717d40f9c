"""Article dates are anchored in the text, never in today (issue 16).

The reference date is the given publication date, else a date line, an «اليوم»
with a weekday and a date, or the latest full date the article gives (an embedded
post's own date line included), else unknown. Drafts are never dated after it;
a weekday that contradicts its date is flagged; «قبل أيام» is week-precise; a
night spanning two weekdays is its first day; «أمس» in a post dated X is X-1;
«بعد ساعات» takes the date of the event before. Texts are written here in the
styles of the outlets that report these attacks (wire copy, partisan channels'
posts, Syrian opposition sites, Gulf and Levantine papers, embedded tweets).
"""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from incidents.ingest.article import accept_article, extract_article, match_proposals
from incidents.ingest.article.anchor import find_reference
from incidents.ingest.article.dates import find_dates
from incidents.models import Incident, Source
from tests import doors_world as w

SATURDAY = dt.date(2023, 11, 18)
NOV = dt.date(2023, 11, 1).replace


def mentions(text: str, base: dt.date | None = SATURDAY):
    return find_dates(text, 0, len(text), base)


def extract(text: str, published: dt.date | None = None):
    return extract_article(text, published=published)


def only(result):
    (proposal,) = result.proposals
    return proposal


# --- mentions: contradictions, nights, weeks, no base -----------------------------


def test_a_weekday_that_contradicts_its_date_keeps_the_date_and_is_flagged():
    (found,) = mentions("مساء الخميس 15 تشرين الثاني 2023")  # a Wednesday
    assert found.value == NOV(day=15)
    assert "weekday contradicts the date" in found.note
    (found,) = mentions("صباح الأحد 16 تشرين الثاني")  # no year: the year before
    assert found.value == NOV(day=16) and "contradicts" in found.note
    (found,) = mentions("on Thursday, November 16, 2023")
    assert found.value == NOV(day=16) and found.note == ""


def test_without_any_date_a_weekday_chooses_the_year_and_says_so():
    (found,) = mentions("الخميس 16 تشرين الثاني", None)
    assert found.value == NOV(day=16)
    assert "weekday alone" in found.note
    (found,) = mentions("في 16 تشرين الثاني", None)  # no weekday, no year
    assert found.value is None and "no year" in found.note


@pytest.mark.parametrize("text", ["أمس", "مساء الأربعاء", "قبل أيام", "yesterday"])
def test_without_any_date_relative_days_have_no_value(text):
    (found,) = mentions(text, None)
    assert found.value is None
    assert "no date to count it from" in found.note


@pytest.mark.parametrize(
    "text",
    [
        "ليل الجمعة - السبت",
        "ليلة الجمعة على السبت",
        "overnight Friday to Saturday",
        "Friday night into Saturday",
    ],
)
def test_a_night_spanning_two_weekdays_is_one_mention_of_its_first_day(text):
    assert [(m.value, m.kind) for m in mentions(text)] == [(NOV(day=17), "weekday")]


@pytest.mark.parametrize(
    ("text", "day"),
    [("قبل أيام", 15), ("قبل بضعة أيام", 15), ("الأسبوع الماضي", 11), ("days ago", 15)],
)
def test_days_ago_and_last_week_are_weeks_before_the_reference(text, day):
    assert [(m.value, m.kind) for m in mentions(text)] == [(NOV(day=day), "week")]


def test_a_statement_dated_x_counts_yesterday_from_x():
    text = (
        "وقالت كتائب حزب الله، في منشور صدر في 20 تشرين الثاني 2023، إنها قصفت "
        "أمس قاعدة عين الأسد بصواريخ."
    )
    found = mentions(text, dt.date(2023, 11, 22))
    assert [(m.value, m.role) for m in found] == [
        (NOV(day=20), "report"),
        (NOV(day=19), "event"),
    ]


# --- the reference date -------------------------------------------------------------


def test_a_given_publication_date_is_the_reference():
    reference = find_reference("بغداد - 17 تشرين الثاني 2023: ...", SATURDAY)
    assert (reference.value, reference.how) == (SATURDAY, "given")


def test_a_reuters_dateline_is_the_reference():
    text = (
        "BAGHDAD, Nov 17, 2023 (Reuters) - A drone attacked U.S. forces at "
        "Al-Tanf Garrison in Syria on Thursday, two U.S. officials said.\n\n"
        "A similar attack hit the base on October 26, 2023."
    )
    reference = find_reference(text, None)
    assert (reference.value, reference.how) == (NOV(day=17), "dateline")
    assert "Nov 17, 2023" in reference.evidence


def test_an_arabic_dateline_takes_its_year_from_the_latest_full_date():
    text = (
        "بغداد - 17 تشرين الثاني (أ ف ب): تعرضت قاعدة حرير الجوية مساء الخميس "
        "لهجوم بطائرة مسيرة، وفق ما أفاد مسؤول أمني.\n\n"
        "وكانت القاعدة قد تعرضت لهجوم مماثل في 26 تشرين الأول 2023."
    )
    reference = find_reference(text, None)
    assert (reference.value, reference.how) == (NOV(day=17), "dateline")
    assert "26 تشرين الأول 2023" in reference.evidence


def test_an_explicit_today_with_weekday_and_date_is_the_reference():
    text = (
        "المقاومة الإسلامية في العراق\n\n"
        "استهدف مجاهدو المقاومة الإسلامية في العراق اليوم الخميس 16 تشرين الثاني "
        "قاعدة التنف بطائرتين مسيرتين."
    )
    reference = find_reference(text, None)
    assert (reference.value, reference.how) == (NOV(day=16), "today")
    assert "weekday alone" in reference.evidence


def test_no_date_at_all_is_an_unknown_reference_and_says_so():
    reference = find_reference("استهدف مجاهدونا فجر السبت قاعدة عين الأسد.", None)
    assert reference.value is None
    assert reference.evidence == "no date in the text and none given"


def test_a_since_date_is_not_a_reference():
    text = "تتعرض القواعد الأمريكية لهجمات متكررة منذ 17 تشرين الأول 2023."
    assert find_reference(text, None).value is None


# --- proposals ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_article_with_no_date_gives_drafts_of_unknown_date(reference_data):
    # The old reading dated this to today, so "فجر السبت" landed years later.
    text = (
        "بيان صادر عن المقاومة الإسلامية في العراق\n\n"
        "استهدف مجاهدو المقاومة الإسلامية في العراق فجر السبت قاعدة عين الأسد "
        "بطائرة مسيرة، وأصابوا أهدافهم بدقة."
    )
    result = extract(text)
    assert (result.published, result.reference_date) == (None, None)
    proposal = only(result)
    assert (proposal.occurred_on, proposal.date_precision) == (None, "unknown")
    assert any(note.startswith("date unknown") for note in proposal.notes)


@pytest.mark.django_db
def test_the_dateline_dates_weekdays_of_wire_copy(reference_data):
    text = (
        "Drone attack on US forces in Syria\n\n"
        "BAGHDAD, Nov 17, 2023 (Reuters) - A drone attacked U.S. forces at "
        "Al-Tanf Garrison in Syria on Thursday, two U.S. officials said."
    )
    result = extract(text)
    assert result.reference_date == NOV(day=17)
    assert (only(result).occurred_on, only(result).date_precision) == (
        NOV(day=16),
        "day",
    )


@pytest.mark.django_db
def test_an_arabic_dateline_dates_the_evening_attack(reference_data):
    text = (
        "هجوم بمسيرة على قاعدة حرير\n\n"
        "بغداد - 17 تشرين الثاني (أ ف ب): تعرضت قاعدة حرير الجوية مساء الخميس "
        "لهجوم بطائرة مسيرة، وفق ما أفاد مسؤول أمني.\n\n"
        "وكانت القاعدة قد تعرضت لهجوم مماثل في 26 تشرين الأول 2023."
    )
    result = extract(text)
    # (Whether the date-line city is a site is another rule's business.)
    harir = next(p for p in result.proposals if "harir" in p.sites)
    assert (harir.occurred_on, harir.date_precision) == (NOV(day=16), "day")


@pytest.mark.django_db
def test_today_and_yesterday_in_a_partisan_post(reference_data):
    text = (
        "المقاومة الإسلامية في العراق\n\n"
        "استهدف مجاهدو المقاومة الإسلامية في العراق اليوم الخميس 16 تشرين الثاني "
        "قاعدة التنف بطائرتين مسيرتين.\n\n"
        "وكان مجاهدونا قد استهدفوا أمس قاعدة حرير بطائرة مسيرة."
    )
    result = extract(text)
    dates = {p.sites[0]: p.occurred_on for p in result.proposals}
    assert dates == {"al-tanf": NOV(day=16), "harir": NOV(day=15)}


@pytest.mark.django_db
def test_the_latest_full_date_anchors_a_deir_ezzor_24_report(reference_data):
    text = (
        "دير الزور 24\n\n"
        "شهدت محافظة دير الزور يوم 12 تشرين الثاني 2023 اشتباكات متقطعة.\n\n"
        "وفي 19 تشرين الثاني 2023 استهدفت ميليشيات مدعومة من إيران قاعدة حقل "
        "كونيكو للغاز بعدة قذائف صاروخية.\n\n"
        "ويوم الجمعة، استهدفت قذائف صاروخية قاعدة حقل العمر النفطي."
    )
    result = extract(text)
    assert (result.reference_date, result.reference_kind) == (NOV(day=19), "latest")
    omar = next(p for p in result.proposals if p.sites == ["al-omar"])
    assert omar.occurred_on == NOV(day=17)  # the Friday before the 19th


@pytest.mark.django_db
def test_yesterday_inside_an_embedded_post_counts_from_the_post(reference_data):
    text = (
        "المقاومة العراقية تتبنى استهداف عين الأسد\n\n"
        "نشرت المقاومة الإسلامية في العراق على منصة إكس ما يلي:\n\n"
        "استهدف مجاهدونا أمس قاعدة عين الأسد الجوية بطائرة مسيرة.\n"
        "— المقاومة الإسلامية في العراق (@iraqi_resist) 20 تشرين الثاني 2023"
    )
    proposal = only(extract(text, published=dt.date(2023, 11, 22)))
    assert (proposal.occurred_on, proposal.date_precision) == (NOV(day=19), "day")


@pytest.mark.django_db
def test_an_embedded_tweet_in_english_wire_copy(reference_data):
    text = (
        "Iraqi group claims drone strike\n\n"
        "The group posted on X:\n\n"
        "Our fighters struck Ain al-Asad yesterday with a drone.\n"
        "— Islamic Resistance in Iraq (@iraqi_resist) November 20, 2023"
    )
    result = extract(text)
    assert result.reference_date == NOV(day=20)
    assert only(result).occurred_on == NOV(day=19)


@pytest.mark.django_db
def test_days_ago_is_week_precise_not_the_day_of_an_earlier_sentence(reference_data):
    text = (
        "تعرضت قاعدة التنف مساء الأربعاء لهجوم بطائرة مسيرة. وكانت منطقة الركبان "
        "قد تعرضت قبل أيام لقصف صاروخي."
    )
    tanf, rukban = extract(text, published=SATURDAY).proposals
    assert (tanf.occurred_on, tanf.date_precision) == (NOV(day=15), "day")
    assert (rukban.occurred_on, rukban.date_precision) == (NOV(day=15), "week")
    assert "قبل أيام" in rukban.date_evidence


@pytest.mark.django_db
def test_hours_later_takes_the_date_of_the_event_before(reference_data):
    text = (
        "استهدفت طائرة مسيرة قاعدة حقل العمر النفطي فجر الأربعاء 15 تشرين الثاني."
        "\n\nوبعد ساعات، تعرضت قاعدة حقل كونيكو للغاز لقصف صاروخي."
    )
    omar, conoco = extract(text, published=SATURDAY).proposals
    assert omar.occurred_on == NOV(day=15)
    assert (conoco.occurred_on, conoco.date_precision) == (NOV(day=15), "day")
    assert "hours after" in conoco.date_evidence


@pytest.mark.django_db
def test_a_night_spanning_two_weekdays_dates_what_follows_to_its_first_day(
    reference_data,
):
    text = (
        "تعرضت قاعدة الشدادي ليل الجمعة - السبت لهجوم بطائرات مسيرة، وفق المرصد "
        "السوري لحقوق الإنسان. كما استهدفت قذائف صاروخية حقل العمر النفطي."
    )
    dates = {p.sites[0]: p.occurred_on for p in extract(text, SATURDAY).proposals}
    assert dates == {"shaddadi": NOV(day=17), "al-omar": NOV(day=17)}


@pytest.mark.django_db
def test_a_claim_dated_by_its_post_counts_yesterday_from_it(reference_data):
    text = (
        "وقالت كتائب حزب الله، في منشور صدر في 20 تشرين الثاني 2023، إنها قصفت "
        "أمس قاعدة عين الأسد بصواريخ."
    )
    proposal = only(extract(text, published=dt.date(2023, 11, 22)))
    assert proposal.occurred_on == NOV(day=19)


@pytest.mark.django_db
def test_the_contradiction_reaches_the_proposal(reference_data):
    text = (
        "أفادت مصادر ميدانية بأن قاعدة حقل العمر النفطي تعرضت مساء الخميس 15 "
        "تشرين الثاني 2023 لقصف صاروخي."
    )
    proposal = only(extract(text, published=SATURDAY))
    assert proposal.occurred_on == NOV(day=15)
    assert any("weekday contradicts the date" in n for n in proposal.notes)


@pytest.mark.django_db
def test_no_draft_is_dated_after_the_reference_date(reference_data):
    text = "تعرضت قاعدة عين الأسد لهجوم صاروخي في 25 تشرين الثاني 2023."
    proposal = only(extract(text, published=SATURDAY))
    assert (proposal.occurred_on, proposal.date_precision) == (None, "unknown")
    assert any("after the article's date 2023-11-18" in n for n in proposal.notes)


# --- what an unknown date means downstream ------------------------------------------

UNDATED = (
    "المقاومة الإسلامية في العراق\n\n"
    "استهدف مجاهدو المقاومة الإسلامية في العراق قاعدة حقل العمر النفطي بصواريخ "
    "مساء الأربعاء."
)


@pytest.mark.django_db
def test_an_unknown_date_gets_no_matches_and_says_why():
    omar = w.sites()[0]
    w.rocket_attack(omar, status="published")
    proposal = only(match_proposals(extract(UNDATED, published=None)))
    assert proposal.match_details == [] and proposal.suggested_match is None
    assert any("date is unknown" in n for n in proposal.notes)


@pytest.mark.django_db
def test_accepting_an_unknown_date_needs_the_editors_date(reference_data):
    extraction = extract(UNDATED)
    before = (Incident.objects.count(), Source.objects.count())
    with pytest.raises(ValueError, match=r"Proposal 0 \(attack at al-omar\) has no"):
        accept_article(extraction=extraction, chosen=[0])
    assert (Incident.objects.count(), Source.objects.count()) == before
    (accepted,) = accept_article(
        extraction=extraction, chosen=[0], dates={0: NOV(day=15)}
    )
    incident = accepted.incident
    assert (incident.occurred_on, incident.date_precision) == (NOV(day=15), "day")
    assert incident.citations.get().source.published_on is None


@pytest.mark.django_db
def test_a_dateline_dates_the_source_when_no_date_is_given(reference_data):
    text = (
        "هجوم على حرير\n\n"
        "بغداد - 17 تشرين الثاني 2023 (رويترز): تعرضت قاعدة حرير الجوية مساء "
        "الخميس لهجوم بطائرة مسيرة."
    )
    (accepted,) = accept_article(extraction=extract(text), chosen=[0])
    assert accepted.incident.citations.get().source.published_on == NOV(day=17)


# --- the command and the admin page -------------------------------------------------


@pytest.mark.django_db
def test_the_command_says_which_reference_it_used(reference_data, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(UNDATED, encoding="utf-8")
    out = io.StringIO()
    call_command("extract_article", str(article), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["published"], data["reference_date"]) == (None, None)
    assert data["reference_evidence"] == "no date in the text and none given"
    (proposal,) = data["proposals"]
    assert (proposal["occurred_on"], proposal["date_precision"]) == (None, "unknown")
    assert {"event_type", "weapon", "sites", "actors", "matches"} <= set(proposal)
    out = io.StringIO()
    call_command("extract_article", str(article), stdout=out)
    printed = out.getvalue()
    assert "Published: not given" in printed
    assert "Reference date: unknown (no date in the text and none given)" in printed
    assert "[0] date unknown (unknown) attack" in printed


@pytest.fixture
def article_url():
    from django.urls import reverse

    return reverse("admin:incidents_incident_extract_article")


@pytest.mark.django_db
def test_the_admin_asks_for_the_publication_date(admin_client, article_url):
    html = admin_client.get(article_url).content.decode()
    assert "Publication date" in html
    assert "without it, today" not in html
    assert "read from the text" in html


@pytest.mark.django_db
def test_the_admin_shows_unknown_dates_and_keeps_dates_left_to_right(
    admin_client, article_url, reference_data
):
    dated = (
        "قصف على العمر\n\nبغداد - 17 تشرين الثاني 2023: تعرضت قاعدة حقل العمر "
        "النفطي مساء الأربعاء لقصف صاروخي."
    )
    html = admin_client.post(article_url, {"text": dated, "extract": "1"}).content
    html = html.decode()
    assert '<bdi dir="ltr">2023-11-15</bdi>' in html
    assert '<bdi dir="ltr">2023-11-17</bdi>' in html  # the reference date
    shown = admin_client.post(article_url, {"text": UNDATED, "extract": "1"})
    html = shown.content.decode()
    assert "date unknown" in html and 'name="date-0"' in html
    form = {"text": UNDATED, "accept": "1", "digest": shown.context["digest"]}
    before = Incident.objects.count()
    refused = admin_client.post(article_url, {**form, "proposal": ["0"]})
    assert refused.status_code == 200 and "has no date" in refused.content.decode()
    assert Incident.objects.count() == before
    saved = admin_client.post(
        article_url, {**form, "proposal": ["0"], "date-0": "2023-11-15"}
    )
    assert saved.status_code == 302
    assert Incident.objects.latest("pk").occurred_on == NOV(day=15)
