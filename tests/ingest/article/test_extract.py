"""Article -> draft incidents: dates, names, weapons, counts and totals in Arabic
and English, the seed article end to end, saving accepted proposals, and the
``extract_article`` command."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from incidents.ingest.article import (
    MAX_ARTICLE_LENGTH,
    accept_proposals,
    extract_article,
)
from incidents.ingest.article.counts import casualties, event_totals, weapon_of
from incidents.ingest.article.dates import find_dates
from incidents.models import Citation, Incident, Involvement, Source
from tests import TEST_DATA

SEED = Path(settings.BASE_DIR) / "data" / "seed" / "000_f7ba5510ad944d36.txt"
ARTICLES = TEST_DATA / "articles"
SATURDAY = dt.date(2023, 11, 18)  # the seed article's publication day


def dates_in(text: str, published: dt.date = SATURDAY) -> list[dt.date]:
    return [d.value for d in find_dates(text, 0, len(text), published)]


# --- dates ---


@pytest.mark.parametrize(
    "text",
    [
        "It happened on 15 November 2023.",
        "It happened on November 15, 2023.",
        "It happened on Nov. 15, 2023.",
        "وقع الهجوم في 15 تشرين الثاني 2023.",
        "وقع الهجوم في ١٥ نوفمبر ٢٠٢٣.",
        "وقع الهجوم في 15 تشرين الثاني/ نوفمبر 2023.",
        "It happened on 2023-11-15.",
        "وقع الهجوم في 15/11/2023.",
    ],
)
def test_full_dates_in_every_form(text):
    assert dates_in(text) == [dt.date(2023, 11, 15)]


LEVANTINE = (
    "كانون الثاني، شباط، آذار، نيسان، أيار، حزيران، تموز، آب، أيلول، "
    "تشرين الأول، تشرين الثاني، كانون الأول"
)
EGYPTIAN = (
    "يناير، فبراير، مارس، أبريل، مايو، يونيو، يوليو، أغسطس، سبتمبر، أكتوبر، "
    "نوفمبر، ديسمبر"
)


@pytest.mark.parametrize("family", [LEVANTINE, EGYPTIAN])
def test_both_arabic_month_name_families(family):
    for number, month in enumerate(family.split("، "), start=1):
        assert dates_in(f"في 3 {month} 2022") == [dt.date(2022, number, 3)], month


@pytest.mark.parametrize(
    ("variant", "month"), [("ابريل", 4), ("إبريل", 4), ("يونيه", 6), ("يوليه", 7)]
)
def test_egyptian_spelling_variants(variant, month):
    assert dates_in(f"في 3 {variant} 2022") == [dt.date(2022, month, 3)]


def test_day_and_month_without_a_year_is_the_latest_not_after_publication():
    published = dt.date(2024, 1, 10)
    assert dates_in("في 20 كانون الأول", published) == [dt.date(2023, 12, 20)]
    assert dates_in("on 5 January", published) == [dt.date(2024, 1, 5)]
    assert dates_in("في الـ16 من تشرين الثاني الجاري") == [dt.date(2023, 11, 16)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("استهدفت مساء الأربعاء", 15),
        ("عقد يوم الخميس", 16),
        ("أصدرت الجمعة", 17),
        ("struck the base on Wednesday", 15),
        ("Wednesday evening a rocket landed", 15),
        ("قال السبت", 18),  # the publication day itself (see dates.py)
        ("السبت الماضي", 11),
        ("last Saturday", 11),
        ("أمس", 17),
        ("yesterday", 17),
        ("أمس الأول", 16),
        ("اليوم", 18),
        ("today", 18),
    ],
)
def test_weekdays_and_relative_days_resolve_against_publication(text, day):
    assert dates_in(text) == [dt.date(2023, 11, day)]


def test_weekday_resolution_crosses_a_month_boundary():
    friday = dt.date(2023, 12, 1)
    assert dates_in("هجوم الثلاثاء", friday) == [dt.date(2023, 11, 28)]
    assert dates_in("on Thursday", friday) == [dt.date(2023, 11, 30)]


def test_weekday_next_to_an_explicit_date_uses_the_explicit_date():
    found = find_dates("صباح الأحد 16 تشرين الثاني", 0, 26, SATURDAY)
    assert [(d.value, d.kind) for d in found] == [(dt.date(2023, 11, 16), "explicit")]
    assert dates_in("on Wednesday, November 8") == [dt.date(2023, 11, 8)]


def test_since_and_report_dates_are_told_apart():
    since = find_dates("منذ 7 تشرين الأول", 0, 17, SATURDAY)
    assert [d.role for d in since] == ["since"]
    text = "أفادت مصادر خاصة، السبت 18 تشرين الثاني، عن اجتماع"
    assert [d.role for d in find_dates(text, 0, len(text), SATURDAY)] == ["report"]


def test_lowercase_may_is_not_a_month():
    assert dates_in("they may 2 times try again") == []


# --- weapons, counts, totals ---


@pytest.mark.parametrize(
    ("text", "weapon"),
    [
        ("استهدفت طائرة مسيرة القاعدة", "drone"),
        ("بطائرة مسيّرة", "drone"),
        ("هجوم بالمسيرات", "drone"),
        ("هجوم بدرون", "drone"),
        ("لاستهداف بقذائف صاروخية", "rocket"),
        ("سقط صاروخ قرب القاعدة", "rocket"),
        ("بصاروخ باليستي", "missile"),
        ("a ballistic missile hit", "missile"),
        ("rockets landed", "rocket"),
        ("a drone struck", "drone"),
        ("a UAV was shot down", "drone"),
        ("mortar rounds", "mortar"),
        ("قذائف هاون", "mortar"),
        ("بالصواريخ والطائرات المسيرة", "mixed"),
        ("rockets and drones", "mixed"),
        ("nothing here", ""),
    ],
)
def test_weapons(text, weapon):
    assert weapon_of(text) == weapon


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("أدى إلى إصابة 3 جنود", "injured", 3),
        ("أدى إلى إصابة ٣ جنود", "injured", 3),
        ("أدى إلى إصابة ثلاثة جنود", "injured", 3),
        ("وأسفر عن مقتل عشرة عناصر", "killed", 10),
        ("وأصيب اثنين من الجنود", "injured", 2),
        ("injuring 4 service members", "injured", 4),
        ("the strike killed two contractors", "killed", 2),
        ("two U.S. soldiers were wounded", "injured", 2),
    ],
)
def test_casualty_counts_in_words_and_digits(text, kind, number):
    found = casualties(text, 0, len(text))
    assert [(c.kind, c.number) for c in found] == [(kind, number)]


@pytest.mark.parametrize(
    ("text", "counts", "number"),
    [
        ("في أكثر من 60 هجومًا", "attacks", 60),
        ("نحو 40 مرة", "times", 40),
        ("more than 60 attacks", "attacks", 60),
        ("about 40 times", "times", 40),
        ("ما لا يقل عن 59 عسكريًا", "service_members", 59),
    ],
)
def test_running_totals(text, counts, number):
    found = event_totals(text, 0, len(text))
    assert [(t.kind, t.number) for t in found] == [(counts, number)]


# --- limits ---


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_an_empty_article_is_a_clear_error(text):
    with pytest.raises(ValueError, match="empty"):
        extract_article(text, published=SATURDAY)


def test_an_absurdly_long_article_is_a_clear_error():
    with pytest.raises(ValueError, match="200,000"):
        extract_article("x" * (MAX_ARTICLE_LENGTH + 1), published=SATURDAY)


# --- names in text (the reference sites and actors) ---


def extract(text: str, published: dt.date = SATURDAY):
    return extract_article(text, published=published)


@pytest.mark.django_db
def test_quoted_and_conjoined_names(reference_data):
    text = (
        "وصلت الفصائل إلى قواعد “العمر وكونيكو” و«التنف والركبان» "
        'و"الشدادي ومطار خراب الجير، ورميلان، وتل بيدر وقسرك".'
    )
    result = extract(text)
    assert result.site_slugs == [
        "al-omar",
        "conoco",
        "al-tanf",
        "rukban",
        "shaddadi",
        "kharab-al-jir",
        "rmelan",
        "tal-baydar",
        "qasrak",
    ]
    assert {s.text for s in result.sites} >= {"العمر", "وكونيكو", "وتل بيدر"}
    assert result.proposals == []  # a list of places reached is not nine attacks


@pytest.mark.django_db
def test_generic_prefixes(reference_data):
    text = "قصفت قاعدة عين الأسد. وقصف حقل العمر. ثم بلدة رميلان ومطار خراب الجير."
    assert extract(text).site_slugs == [
        "ain-al-asad",
        "al-omar",
        "rmelan",
        "kharab-al-jir",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "The oil field workers went home.",
        "The base was quiet and the airport closed for the day.",
        "Life in the green village is calm, like the camp.",
        "ذهب العمال إلى الحقل النفطي في المدينة ثم إلى المطار.",
        "يبلغ من العمر 30 عاما.",
        "President Bashar al-Assad spoke on television.",
        "وقالت قناة الميادين إن الوضع هادئ.",
    ],
)
def test_no_site_in_ordinary_sentences(reference_data, text):
    assert extract(text).sites == []


@pytest.mark.django_db
def test_claimed_attack_with_actor_and_stance(reference_data):
    text = "تبنت المقاومة الإسلامية في العراق استهداف قاعدة عين الأسد بطائرة مسيرة أمس."
    (proposal,) = extract(text).proposals
    assert proposal.event_type == "attack"
    assert proposal.weapon == "drone"
    assert proposal.occurred_on == dt.date(2023, 11, 17)
    assert proposal.sites == ["ain-al-asad"]
    assert proposal.actors == [("islamic-resistance-in-iraq", "claimed_by")]
    assert proposal.stance == "claims"


@pytest.mark.django_db
def test_a_group_saying_it_attacked_is_a_claim_dated_by_its_report(reference_data):
    text = (
        "The Islamic Resistance in Iraq said on Thursday it had targeted Al-Tanf "
        "with two drones."
    )
    (proposal,) = extract(text).proposals
    assert proposal.actors == [("islamic-resistance-in-iraq", "claimed_by")]
    assert proposal.stance == "claims"
    assert (proposal.occurred_on, proposal.date_precision) == (
        dt.date(2023, 11, 16),
        "week",
    )


@pytest.mark.django_db
def test_near_a_base_still_places_the_attack_there(reference_data):
    text = (
        "Three rockets landed near Harir Air Base yesterday, wounding one "
        "contractor and killing two soldiers."
    )
    (proposal,) = extract(text).proposals
    assert proposal.sites == ["harir"]
    assert (proposal.injured, proposal.killed) == (1, 2)
    text = "US forces at Conoco gas field came under rocket fire on Monday."
    (proposal,) = extract(text).proposals
    assert (proposal.sites, proposal.actors) == (["conoco"], [("us-forces", "target")])


@pytest.mark.django_db
def test_blamed_actor_is_attributed(reference_data):
    text = (
        "Officials blamed Kataib Hezbollah for rockets that hit Erbil Air Base "
        "on Tuesday."
    )
    (proposal,) = extract(text).proposals
    assert proposal.actors == [("kataib-hezbollah", "attributed_to")]
    assert (proposal.weapon, proposal.occurred_on) == ("rocket", dt.date(2023, 11, 14))


@pytest.mark.django_db
def test_date_from_the_paragraph_else_the_publication_week(reference_data):
    text = "Monday was tense. A rocket struck Al-Tanf Garrison.\n\nA drone hit Rukban."
    tanf, rukban = extract(text).proposals
    assert (tanf.occurred_on, tanf.date_precision) == (dt.date(2023, 11, 13), "day")
    assert "earlier in the paragraph" in tanf.date_evidence
    assert (rukban.occurred_on, rukban.date_precision) == (SATURDAY, "week")


@pytest.mark.django_db
def test_html_is_plain_text_and_survives_in_evidence(reference_data):
    sentence = (
        '<b>A drone</b> struck Ain al-Asad on Wednesday <script>alert("x")</script>.'
    )
    text = f"<h1>Title</h1>\n\n{sentence}\n"
    (proposal,) = extract(text).proposals
    assert proposal.evidence == [sentence]
    assert sentence in text
    assert extract(text).title == "<h1>Title</h1>"


@pytest.mark.django_db
def test_english_article(reference_data):
    text = (ARTICLES / "english_drone.txt").read_text(encoding="utf-8")
    result = extract(text, published=dt.date(2023, 11, 17))
    assert result.language == "en"
    (proposal,) = result.proposals
    assert proposal.event_type == "attack"
    assert proposal.weapon == "drone"
    assert proposal.occurred_on == dt.date(2023, 11, 15)  # not the dateline's 17th
    assert proposal.sites == ["ain-al-asad"]
    assert proposal.injured == 2
    assert [(t.number, t.counts) for t in result.totals] == [(60, "times")]
    # The dateline's BAGHDAD is where the report was filed; "oil field" is no site.
    assert {s.slug for s in result.sites if not s.relative} == {"ain-al-asad"}


# --- the seed article ---


@pytest.fixture
def seed(reference_data):
    return extract_article(SEED.read_text(encoding="utf-8"), published=SATURDAY)


SEED_BASES = [
    "al-omar",
    "conoco",
    "al-tanf",
    "rukban",
    "shaddadi",
    "kharab-al-jir",
    "rmelan",
    "tal-baydar",
    "qasrak",
    "al-mayadin",
]


@pytest.mark.django_db
def test_seed_finds_all_nine_bases_and_al_mayadin(seed):
    assert set(SEED_BASES) <= set(seed.site_slugs)
    assert seed.language == "ar"


@pytest.mark.django_db
def test_seed_rocket_attack_on_al_omar(seed):
    attacks = [p for p in seed.proposals if p.event_type == "attack"]
    assert len(attacks) == 1
    (attack,) = attacks
    assert attack.weapon == "rocket"
    assert attack.sites == ["al-omar"]
    assert (attack.occurred_on, attack.date_precision) == (dt.date(2023, 11, 15), "day")
    assert "مساء الأربعاء" in attack.date_evidence
    assert all(e in SEED.read_text(encoding="utf-8") for e in attack.evidence)


@pytest.mark.django_db
def test_seed_totals_are_not_incidents(seed):
    totals = {(t.number, t.counts) for t in seed.totals}
    assert {(60, "attacks"), (59, "injured"), (40, "times")} <= totals
    assert any("59 عسكريًا" in t.sentence for t in seed.totals if t.number == 59)
    for proposal in seed.proposals:
        assert proposal.injured != 59
        assert not any("نحو 40 مرة" in e for e in proposal.evidence)


@pytest.mark.django_db
def test_seed_meeting_sanction_and_statements(seed):
    by_type = {}
    for p in seed.proposals:
        by_type.setdefault(p.event_type, []).append(p)
    (meeting,) = by_type["meeting"]
    assert meeting.occurred_on == dt.date(2023, 11, 16)
    assert meeting.sites[0] == "al-mayadin"
    (sanction,) = by_type["sanction"]
    assert sanction.occurred_on == dt.date(2023, 11, 17)
    assert ("kataib-hezbollah", "target") in sanction.actors
    assert {p.occurred_on for p in by_type["statement"]} == {
        dt.date(2023, 11, 17),
        SATURDAY,
    }
    assert json.loads(json.dumps(seed.as_dict()))["proposals"][0]["occurred_on"]


# --- saving accepted proposals ---


@pytest.mark.django_db
def test_accept_saves_drafts_citing_one_source(seed, django_user_model):
    user = django_user_model.objects.create_user("editor")
    attack = next(i for i, p in enumerate(seed.proposals) if p.event_type == "attack")
    meeting = next(i for i, p in enumerate(seed.proposals) if p.event_type == "meeting")
    first, second = accept_proposals(
        extraction=seed, chosen=[attack, meeting], user=user, publisher=""
    )
    source = Source.objects.get(citations__incident=first)
    assert Source.objects.filter(citations__incident=second).get() == source
    assert (source.publisher, source.language, source.kind) == (
        "unknown publisher",
        "ar",
        "news",
    )
    assert source.published_on == SATURDAY
    assert first.status == Incident.Status.DRAFT
    assert [s.slug for s in first.sites.all()] == ["al-omar"]
    assert first.latitude is not None and first.created_by == user
    citation = Citation.objects.get(incident=first)
    assert citation.stance == "reports" and "مساء الأربعاء" in citation.quote
    assert second.event_type == "meeting" and second.occurred_on == dt.date(
        2023, 11, 16
    )
    assert Involvement.objects.filter(incident=second).exists()


@pytest.mark.django_db
def test_accept_with_a_bad_choice_saves_nothing(seed):
    with pytest.raises(ValueError, match="no proposal 99"):
        accept_proposals(extraction=seed, chosen=[0, 99])
    assert accept_proposals(extraction=seed, chosen=[]) == []
    assert not Incident.objects.filter(status="draft").exists()
    assert not Source.objects.filter(publisher="unknown publisher").exists()


# --- the command ---


@pytest.mark.django_db
def test_command_text_and_json(reference_data):
    out = io.StringIO()
    call_command("extract_article", str(SEED), "--published", "2023-11-18", stdout=out)
    text = out.getvalue()
    for slug in SEED_BASES:
        assert f"{slug}:" in text
    assert "2023-11-15 (day) attack, weapon rocket" in text
    out = io.StringIO()
    call_command(
        "extract_article", str(SEED), "--published", "2023-11-18", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["published"] == "2023-11-18"
    assert set(SEED_BASES) <= set(data["site_slugs"])
    assert Incident.objects.filter(status="draft").count() == 0  # saves nothing


@pytest.mark.django_db
def test_command_reads_stdin(reference_data, monkeypatch):
    article = "A drone struck Ain al-Asad on Wednesday."
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(article.encode())))
    out = io.StringIO()
    call_command("extract_article", "-", "--published", "2023-11-18", stdout=out)
    assert "ain-al-asad" in out.getvalue()


@pytest.mark.django_db
def test_command_errors(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("A drone struck Ain al-Asad.", encoding="utf-8")
    with pytest.raises(CommandError, match="not a date"):
        call_command("extract_article", str(good), "--published", "18/11/2023")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("extract_article", str(tmp_path / "missing.txt"))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café attaqué".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("extract_article", str(latin1))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(CommandError, match="empty"):
        call_command("extract_article", str(empty))
