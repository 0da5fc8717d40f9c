"""Article -> draft incidents: casualties, weapons, totals, sites and script noise,
on text written here in the styles outlets use (wire copy in Arabic and English,
Syrian opposition sites, the Islamic Resistance in Iraq's channels, Gulf papers).

- "No casualties" in its usual phrasings is a reported 0; «جرحى» without a number
  is not reported; killed and wounded counted together are neither count.
- A weapon comes from the event's own clause, not from a background one.
- A year or a list's index is not a running total; a total says who counted it.
- A date-line city and a city used as a descriptor are not the incident's site; a
  base named in an earlier paragraph is the one "the base" means.
- Names broken with tatweel, spaces or dots are read."""

import datetime as dt

import pytest

from incidents.ingest.article import extract_article

REFERENCE = dt.date(2023, 12, 9)  # a Saturday


def attacks(text: str, published: dt.date | None = REFERENCE):
    result = extract_article(text, published=published)
    return [p for p in result.proposals if p.event_type in {"attack", "interception"}]


# --- casualties ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "استهدفت طائرة مسيرة قاعدة حرير الجوية مساء الجمعة، دون وقوع إصابات.",
        "سقطت ثلاثة صواريخ في محيط قاعدة عين الأسد فجر الجمعة، من دون تسجيل سقوط "
        "ضحايا، بحسب مصدر أمني.",
        "أسقطت الدفاعات الجوية طائرة مسيرة فوق مطار أربيل الدولي ليل الجمعة، ولم تقع "
        "أي إصابات أو أضرار.",
        "Rockets struck the Conoco gas field on Friday. There were no casualties, "
        "the Syrian Observatory for Human Rights said.",
        "A drone targeted Al-Tanf garrison on Friday; no U.S. personnel were injured.",
    ],
)
def test_no_casualties_in_its_usual_words_is_a_reported_none(reference_data, text):
    (attack,) = attacks(text)
    assert (attack.injured, attack.killed) == (0, 0)


@pytest.mark.django_db
def test_wounded_without_a_number_is_not_reported(reference_data):
    text = (
        "أفادت مصادر محلية بسقوط جرحى في صفوف القوات الأمريكية إثر استهداف قاعدة "
        "الشدادي بطائرة مسيرة مساء الجمعة."
    )
    (attack,) = attacks(text)
    assert (attack.injured, attack.killed) == (None, None)


@pytest.mark.django_db
def test_no_news_of_casualties_is_not_a_none(reference_data):
    text = (
        "دير الزور 24 | سقطت قذائف صاروخية داخل حقل العمر مساء الجمعة. ولم ترد "
        "أنباء عن وقوع إصابات حتى اللحظة."
    )
    (attack,) = attacks(text)
    assert attack.injured is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "المرصد السوري: استهدفت قذائف صاروخية حقل كونيكو فجر الجمعة، ما أسفر عن "
        "سقوط 4 بين قتيل وجريح في صفوف عناصر الحراسة.",
        "Rockets hit the Conoco gas field on Friday, leaving five guards dead or "
        "wounded, Rudaw reported.",
    ],
)
def test_killed_and_wounded_together_are_neither_count(reference_data, text):
    (attack,) = attacks(text)
    assert (attack.injured, attack.killed) == (None, None)


# --- weapon ---


@pytest.mark.django_db
def test_the_weapon_of_a_background_clause_is_not_the_events(reference_data):
    text = (
        "Harir air base, which was targeted by Iranian ballistic missiles in 2022, "
        "came under drone attack again on Friday, Kurdish officials said."
    )
    (attack,) = attacks(text)
    assert attack.weapon == "drone"


@pytest.mark.django_db
def test_the_iri_s_wording_for_drones_is_a_drone(reference_data):
    text = (
        "استهدف مجاهدو المقاومة الإسلامية في العراق قاعدة الاحتلال الأمريكي في "
        "رميلان بالطيران المسيّر يوم الجمعة."
    )
    (attack,) = attacks(text)
    assert attack.weapon == "drone"


# --- totals ---


@pytest.mark.django_db
def test_years_and_list_indices_are_not_totals(reference_data):
    text = (
        "Ain al-Asad, struck in the 2020 strikes that followed Soleimani's killing, "
        "hosts US troops.\n"
        "وكان تنظيم داعش قد استولى في عام 2014 على مساحات واسعة.\n"
        "1- استهداف قاعدة الاحتلال الأمريكي في حقل كونيكو برشقة صاروخية يوم الجمعة."
    )
    result = extract_article(text, published=REFERENCE)
    assert [t.number for t in result.totals] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "وتعرضت القوات الأمريكية لأكثر من 60 هجومًا خلال شهر، وفقًا للبنتاغون.",
            "البنتاغون",
        ),
        (
            "U.S. forces have been attacked more than 60 times since Oct. 17, "
            "according to the Pentagon.",
            "the Pentagon",
        ),
        (
            "More than 90 attacks have targeted U.S. forces since October, a U.S. "
            "official said.",
            "a U.S. official",
        ),
        ("وتستضيف سوريا نحو 900 جندي أمريكي.", ""),
    ],
)
def test_each_total_records_who_counted_it(reference_data, text, source):
    result = extract_article(text, published=REFERENCE)
    (total,) = result.totals
    assert total.counted_by == source


# --- sites ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "بغداد (رويترز) - سقطت عدة صواريخ كاتيوشا قرب قاعدة عين الأسد مساء الجمعة.",
        "بغداد - استهدفت طائرة مسيرة قاعدة عين الأسد الجوية مساء الجمعة.",
        "BAGHDAD, Dec 8 (Reuters) - A drone struck Ain al-Asad air base on Friday.",
    ],
)
def test_a_date_line_city_is_not_a_site(reference_data, text):
    (attack,) = attacks(text)
    assert attack.sites == ["ain-al-asad"]


@pytest.mark.django_db
def test_a_city_or_governorate_as_a_descriptor_is_not_the_site(reference_data):
    text = (
        "استهدفت طائرة مسيرة قاعدة الشدادي بريف الحسكة الجنوبي، وسقطت صواريخ على "
        "حقل العمر في محافظة دير الزور، مساء الجمعة."
    )
    found = attacks(text)
    assert sorted(s for p in found for s in p.sites) == ["al-omar", "shaddadi"]


@pytest.mark.django_db
def test_the_base_named_in_a_background_paragraph_is_the_one_attacked(reference_data):
    text = (
        "تقع القرية الخضراء، كما تسمي القوات الأمريكية قاعدتها في حقل العمر، على "
        "الضفة الشرقية لنهر الفرات.\n\n"
        "وقد تعرضت القاعدة مساء الجمعة لهجوم بعدة صواريخ، وفق مصادر محلية."
    )
    (attack,) = attacks(text)
    assert attack.sites == ["al-omar"]
    result = extract_article(text, published=REFERENCE)
    (via,) = [s for s in result.sites if s.via]
    assert via.text == "القاعدة"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("alias", "slug"),
    [
        ("Green Village", "al-omar"),
        ("Victory Base", "baghdad-airport-vbc"),
        ("كونيكو", "conoco"),
        ("البرج 22", "tower-22"),
    ],
)
def test_a_base_by_its_nickname(reference_data, alias, slug):
    text = (
        f"A drone struck {alias} on Friday."
        if alias.isascii()
        else (f"استهدفت طائرة مسيرة قاعدة {alias} يوم الجمعة.")
    )
    (attack,) = attacks(text)
    assert attack.sites == [slug]


# --- script noise ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "site"),
    [
        (
            "المـ ـقاومة الإسـلامية في العـ ـراق: استهدف مجـ ـاهدونا قاعـ.ـدة حرير "
            "بصـ ـواريخ يوم الجمعة.",
            "harir",
        ),
        ("عاجل | استهدفنا قاعدة عين الأ.سد بالطيران المسير يوم الجمعة.", "ain-al-asad"),
        (
            "استهدفت المقـــاومة الإسلامـــية قاعدة الشـدادي بطائرة مسيرة يوم الجمعة.",
            "shaddadi",
        ),
    ],
)
def test_names_broken_by_tatweel_spaces_or_dots(reference_data, text, site):
    result = extract_article(text, published=REFERENCE)
    (attack,) = [p for p in result.proposals if p.event_type == "attack"]
    assert attack.sites == [site]
    assert all(s.text in text for s in result.sites)  # evidence as written


@pytest.mark.django_db
def test_a_broken_name_and_a_broken_self_description_make_a_claim(reference_data):
    text = (
        "المـ ـقاومة الإسـلامية في العـ ـراق: استهدف مجـ ـاهدونا قاعـ.ـدة حرير "
        "بصـ ـواريخ يوم الجمعة."
    )
    (attack,) = attacks(text)
    assert attack.actors == [("islamic-resistance-in-iraq", "claimed_by")]
    assert attack.weapon == "rocket"


@pytest.mark.django_db
def test_al_qaeda_is_not_the_base(reference_data):
    text = (
        "استهدفت طائرة مسيرة قاعدة التنف مساء الجمعة.\n\n"
        "وقال مسؤول إن خلايا تنظيم القاعدة تعرضت لقصف في البادية."
    )
    result = extract_article(text, published=REFERENCE)
    assert not [s for s in result.sites if s.via]
