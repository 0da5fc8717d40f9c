"""A small world for the tests of the doors that meet incidents on record (an
article's proposals, the API's create, the admin's add form): two sites under their
real names, the roles, and short articles written the way outlets write them.

Hand-made rather than the reference fixtures, so that what is on record is exactly
what each test puts there."""

import datetime as dt

from django.contrib.auth.models import Group

from tests import factories

PUBLISHED_ON = dt.date(2023, 11, 18)
ATTACK_DAY = dt.date(2023, 11, 15)

# A Syrian opposition outlet's wire style: place, weekday evening and full date.
ARABIC_ROCKETS = (
    "هجوم صاروخي على قاعدة أمريكية شرقي سوريا\n\n"
    "دير الزور – خاص\n\n"
    "تعرضت قاعدة التحالف الدولي في حقل العمر النفطي بريف دير الزور الشرقي، "
    "مساء الأربعاء 15 تشرين الثاني/ نوفمبر، لقصف بقذائف صاروخية مصدرها مناطق "
    "سيطرة الميليشيات الإيرانية غربي الفرات، بحسب مصادر محلية.\n\n"
    "ولم تعلق القيادة المركزية الأمريكية على الهجوم حتى ساعة إعداد هذا الخبر.\n"
)

# A wire agency's dateline style, the base by its US name.
ENGLISH_ROCKETS = (
    "Rockets target U.S. base in eastern Syria\n\n"
    "WASHINGTON, Nov 16 (Reuters) - Rockets were fired at U.S. forces at the "
    "Green Village base in eastern Syria on Wednesday, a U.S. military official "
    "said, adding there were no injuries.\n"
)

# The same base and day, another weapon: another event.
ENGLISH_DRONE = (
    "Drone attack on Omar oil field\n\n"
    "A drone struck the Omar oil field base in eastern Syria on Wednesday, "
    "November 15, the Syrian Observatory for Human Rights said.\n"
)

# Another base, another day.
ENGLISH_CONOCO = (
    "Drone hits Conoco gas field\n\n"
    "BEIRUT, Nov 14 (AFP) - A drone struck the Conoco gas field in Deir ez-Zor "
    "province on Monday, November 13, a war monitor said.\n"
)


def sites():
    """al-omar and conoco, with the names the articles use."""
    omar = factories.site(
        slug="al-omar",
        name="Al-Omar oil field base",
        name_ar="حقل العمر النفطي",
        aliases=["حقل العمر", "Omar oil field", "Green Village"],
        admin1="Deir ez-Zor",
        latitude=35.15167,
        longitude=40.57583,
        precision_m=5000,
    )
    conoco = factories.site(
        slug="conoco",
        name="Conoco gas field base",
        name_ar="حقل كونيكو للغاز",
        aliases=["Conoco", "كونيكو", "Conoco gas field"],
        admin1="Deir ez-Zor",
        latitude=35.33611,
        longitude=40.30944,
        precision_m=3000,
    )
    return omar, conoco


def rocket_attack(site, *, status: str, **fields):
    """The 15 Nov 2023 rocket attack on ``site``, on record in ``status``."""
    defaults = {
        "occurred_on": ATTACK_DAY,
        "event_type": "attack",
        "weapon": "rocket",
        "summary": "Rockets hit the coalition base at al-Omar.",
    }
    return factories.incident(sites=[site], status=status, **{**defaults, **fields})


def staff(django_user_model, name: str, group: str):
    """A staff user in group Editor or Reviewer (as the workflow migration makes
    them), with a fresh permission cache."""
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return django_user_model.objects.get(pk=user.pk)
