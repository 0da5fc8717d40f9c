"""Article -> draft incidents: what is an event and who did what. Denials, threats,
conditions, the future and past background give no attack; claims in the wire's
own phrasing are attacks with a ``claims`` stance; roles are as the text gives them
(claimant, blamed, target, participant), never a proven perpetrator from a claim;
one incident per site and day, whatever each sentence says of its weapon.

Texts are written here in the styles outlets use: wire copy (Reuters, AFP, AP,
in Arabic and English), the Islamic Resistance in Iraq's Telegram statements,
Syrian opposition sites and Gulf and Levantine papers."""

import datetime as dt

import pytest

from incidents.ingest.article import extract_article

REFERENCE = dt.date(2023, 11, 25)  # a Saturday


def attacks(text: str, published: dt.date = REFERENCE):
    result = extract_article(text, published=published)
    return [p for p in result.proposals if p.event_type in {"attack", "interception"}]


def roles_of(proposal) -> dict[str, str]:
    return dict(proposal.actors)


# --- events are events ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        # A denial, as a ministry's statement reads in Arabic wire copy.
        "بغداد - نفى المتحدث باسم قيادة العمليات المشتركة، الخميس، تعرض قاعدة عين "
        "الأسد الجوية لأي هجوم بالطائرات المسيرة، مؤكدًا أن الأوضاع مستقرة.",
        "وقال مصدر أمني إن قاعدة حرير لم تتعرض لأي قصف صاروخي مساء الأربعاء، خلافًا "
        "لما تداولته حسابات على مواقع التواصل.",
        "A Pentagon spokesman denied on Thursday that the Tower 22 outpost had been "
        "struck by a drone, calling the reports false.",
        # A threat and a condition, as partisan channels write them.
        "هددت كتائب حزب الله، السبت، باستهداف قاعدة التنف بالصواريخ إذا استمر الدعم "
        "الأمريكي لإسرائيل.",
        "وقالت المقاومة الإسلامية في العراق إنها ستستهدف قاعدة عين الأسد بالطائرات "
        "المسيرة في الأيام المقبلة.",
        "إذا لم تنسحب القوات الأمريكية فإن الفصائل سوف تقصف حقل العمر بالصواريخ.",
        "Kataib Hezbollah threatened on Friday to strike Erbil Air Base with drones "
        "unless US forces leave Iraq.",
        "The group warned it would target Al-Tanf with rockets if the war continued.",
        # Past background, as a Gulf paper recalls it.
        "وكانت قاعدة عين الأسد قد تعرضت عام 2020 لقصف بصواريخ باليستية إيرانية رداً "
        "على اغتيال سليماني.",
        "Ain al-Asad, which was hit by Iranian ballistic missiles in January 2020, "
        "hosts several hundred US troops.",
        "وسبق أن تعرض حقل كونيكو لهجمات بالطائرات المسيرة خلال السنوات الماضية.",
    ],
)
def test_denials_threats_conditions_and_background_give_no_attack(reference_data, text):
    assert attacks(text) == []


@pytest.mark.django_db
def test_a_denial_of_casualties_does_not_deny_the_attack(reference_data):
    text = (
        "ونفى البنتاغون وقوع إصابات بعد أن استهدفت طائرة مسيرة قاعدة حرير الجوية "
        "مساء الخميس."
    )
    (attack,) = attacks(text)
    assert attack.sites == ["harir"]


@pytest.mark.django_db
def test_a_threat_beside_an_attack_keeps_the_attack(reference_data):
    text = (
        "استهدفت المقاومة الإسلامية في العراق قاعدة الشدادي بطائرة مسيرة فجر الجمعة، "
        "وهددت بمزيد من الهجمات."
    )
    (attack,) = attacks(text)
    assert attack.sites == ["shaddadi"]


# --- claims in the wire's own phrasing ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "site", "weapon"),
    [
        # «أعلنت … استهدافها»: the most common wire phrasing of a claim.
        (
            "أعلنت المقاومة الإسلامية في العراق، في بيان، استهدافها قاعدة حرير "
            "الجوية بطائرة مسيرة، مساء الجمعة.",
            "harir",
            "drone",
        ),
        (
            "أعلنت كتائب حزب الله استهدافها قاعدة عين الأسد برشقة صواريخ يوم الخميس.",
            "ain-al-asad",
            "rocket",
        ),
        # «قالت إنها استهدفت»
        (
            "وقالت المقاومة الإسلامية في العراق إنها استهدفت قاعدة التنف بطائرتين "
            "مسيرتين يوم الخميس.",
            "al-tanf",
            "drone",
        ),
        # A statement announcing a strike, as the group posts it on Telegram.
        (
            "بيان صادر عن المقاومة الإسلامية في العراق: استهدف مجاهدو المقاومة "
            "قاعدة الاحتلال الأمريكي في حقل العمر بطائرة مسيرة يوم الجمعة.",
            "al-omar",
            "drone",
        ),
        (
            "The Islamic Resistance in Iraq said in a statement that it had struck "
            "Harir air base with a drone on Friday.",
            "harir",
            "drone",
        ),
    ],
)
def test_claims_are_attacks_with_a_claims_citation(reference_data, text, site, weapon):
    (attack,) = attacks(text)
    assert attack.event_type == "attack"
    assert (attack.sites, attack.weapon, attack.stance) == ([site], weapon, "claims")
    claimants = [s for s, role in attack.actors if role == "claimed_by"]
    assert claimants, attack.actors
    assert "perpetrator" not in roles_of(attack).values()


# --- roles as the text gives them ---


@pytest.mark.django_db
def test_us_officials_blaming_a_group_is_an_attribution(reference_data):
    text = (
        "WASHINGTON (Reuters) - US officials blamed Kataib Hezbollah for the drone "
        "that struck Tower 22 in Jordan on Sunday, killing three US soldiers."
    )
    (attack,) = attacks(text, dt.date(2024, 1, 29))
    roles = roles_of(attack)
    assert roles["kataib-hezbollah"] == "attributed_to"
    assert "perpetrator" not in roles.values()


@pytest.mark.django_db
def test_in_arabic_washington_holding_a_group_responsible_is_an_attribution(
    reference_data,
):
    text = (
        "وحمّلت واشنطن كتائب حزب الله مسؤولية الهجوم بطائرة مسيرة على البرج 22 "
        "في الأردن يوم الأحد."
    )
    (attack,) = attacks(text, dt.date(2024, 1, 29))
    assert roles_of(attack)["kataib-hezbollah"] == "attributed_to"


@pytest.mark.django_db
def test_a_claim_and_a_blame_in_one_sentence_keep_each_its_role(reference_data):
    text = (
        "The Islamic Resistance in Iraq claimed the rocket attack on Ain al-Asad "
        "on Tuesday, while US officials blamed Kataib Hezbollah."
    )
    (attack,) = attacks(text)
    roles = roles_of(attack)
    assert roles["islamic-resistance-in-iraq"] == "claimed_by"
    assert roles["kataib-hezbollah"] == "attributed_to"


@pytest.mark.django_db
def test_a_group_an_outlet_only_names_is_not_a_proven_perpetrator(reference_data):
    # Deir Ezzor 24's style: the outlet names who, nobody establishes it.
    text = (
        "دير الزور 24: قصفت ميليشيات كتائب حزب الله بقذائف صاروخية قاعدة حقل "
        "العمر بريف دير الزور الشرقي مساء الخميس."
    )
    (attack,) = attacks(text)
    assert roles_of(attack)["kataib-hezbollah"] == "attributed_to"


@pytest.mark.django_db
def test_us_forces_and_the_coalition_are_targets(reference_data):
    text = (
        "تعرضت القوات الأمريكية وقوات التحالف الدولي في قاعدة الشدادي لهجوم "
        "بطائرة مسيرة، مساء الأربعاء، تبنته المقاومة الإسلامية في العراق."
    )
    (attack,) = attacks(text)
    roles = roles_of(attack)
    assert roles["us-forces"] == "target"
    assert roles["us-led-coalition"] == "target"
    assert roles["islamic-resistance-in-iraq"] == "claimed_by"


@pytest.mark.django_db
def test_fighters_killed_are_not_perpetrators(reference_data):
    text = (
        "Rockets fired by Kataib Hezbollah hit Ain al-Asad on Tuesday; hours "
        "later a US airstrike killed five Kataib Hezbollah fighters near al-Qaim."
    )
    result = extract_article(text, published=REFERENCE)
    for proposal in result.proposals:
        assert ("kataib-hezbollah", "perpetrator") not in proposal.actors


@pytest.mark.django_db
def test_meeting_attendees_are_participants_not_perpetrators(reference_data):
    text = (
        "وأفادت مصادر خاصة عن عقد اجتماع يوم الخميس في مدينة الميادين حضره ضباط "
        "من الحرس الجمهوري وقيادات من الحشد الشعبي."
    )
    (meeting,) = extract_article(text, published=REFERENCE).proposals
    assert meeting.event_type == "meeting"
    assert set(roles_of(meeting).values()) == {"participant"}


@pytest.mark.django_db
def test_the_sanctioned_are_targets(reference_data):
    text = (
        "فرضت وزارة الخزانة الأمريكية يوم الجمعة عقوبات على كتائب حزب الله "
        "وكتائب سيد الشهداء."
    )
    (sanction,) = extract_article(text, published=REFERENCE).proposals
    roles = roles_of(sanction)
    assert roles["kataib-hezbollah"] == "target"
    assert roles["kataib-sayyid-al-shuhada"] == "target"


@pytest.mark.django_db
def test_a_us_strike_is_not_an_attack_on_the_site(reference_data):
    text = (
        "US fighter jets struck two facilities near Al-Bukamal on Friday used by "
        "the IRGC, the Pentagon said."
    )
    result = extract_article(text, published=REFERENCE)
    assert attacks(text) == []
    (strike,) = result.proposals
    assert strike.event_type == "strike"
    assert roles_of(strike)["irgc"] == "target"


# --- one incident per site and day ---


@pytest.mark.django_db
def test_one_incident_per_site_and_day_whatever_each_sentence_names(reference_data):
    text = (
        "استهدفت المقاومة الإسلامية في العراق قاعدة عين الأسد بالصواريخ يوم "
        "الخميس. وقال مسؤول أمريكي إن طائرة مسيرة أصابت قاعدة عين الأسد يوم الخميس "
        "دون وقوع إصابات. وأضاف أن قاعدة حرير تعرضت لهجوم منفصل يوم الخميس."
    )
    found = attacks(text)
    assert sorted(tuple(p.sites) for p in found) == [("ain-al-asad",), ("harir",)]
    (asad,) = [p for p in found if p.sites == ["ain-al-asad"]]
    assert asad.weapon in {"rocket", "drone"}
    assert any("disagree" in note for note in asad.notes)


@pytest.mark.django_db
def test_sources_disagreeing_on_the_weapon_keep_the_more_specific(reference_data):
    text = (
        "قالت وسائل إعلام محلية إن صواريخ سقطت على قاعدة حرير الجوية مساء الجمعة. "
        "وقال مسؤول عسكري إن صاروخًا باليستيًا أصاب قاعدة حرير الجوية مساء الجمعة."
    )
    (attack,) = attacks(text)
    assert attack.weapon == "missile"
    assert any("more specific" in note for note in attack.notes)


@pytest.mark.django_db
def test_a_rising_toll_keeps_the_higher_figure(reference_data):
    text = (
        "Three US soldiers were wounded when a drone hit Tower 22 on Sunday. "
        "The number wounded at Tower 22 on Sunday later rose, with 34 service "
        "members injured, officials said."
    )
    (attack,) = attacks(text, dt.date(2024, 1, 29))
    assert attack.injured == 34
