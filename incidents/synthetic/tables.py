"""What a synthetic incident looks like: the weighted tables and the words.

Every table here is drawn from by ``drawing._Generator``; the weights are the shape
of the data (see the package docstring), so changing one changes what every seed
gives.
"""

import bisect
import datetime
import itertools
import random
from collections.abc import Sequence

from ..models import Actor, Citation, Incident, Involvement, Source

EXTERNAL_ID_PREFIX = "SYN-"
SOURCE_URL_PREFIX = "https://synthetic.invalid/"
SUMMARY_PREFIX = "[synthetic] "
FIRST_DAY = datetime.date(2023, 10, 17)
LAST_DAY = datetime.date(2025, 12, 31)
# The first wave really ran from 17 October 2023 until the pause after the strikes
# of early February 2024.
FIRST_WAVE_END = datetime.date(2024, 2, 4)
KM_PER_DEGREE = 111.195


class Weighted:
    """Draws from a fixed population with fixed weights; faster than
    ``random.choices`` for one item at a time, which matters at 100,000 rows."""

    def __init__(self, items: Sequence, weights: Sequence[float]):
        if not items or len(items) != len(weights):
            raise ValueError("need as many weights as items, and at least one item")
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


def weighted(table: dict) -> Weighted:
    return Weighted(list(table), list(table.values()))


E = Incident.EventType
W = Incident.Weapon
S = Incident.Status
R = Involvement.Role
ST = Citation.Stance
K = Source.Kind

EVENT_TYPES = weighted(
    {
        E.ATTACK: 80,
        E.INTERCEPTION: 8,
        E.STRIKE: 5,
        E.STATEMENT: 3,
        E.OTHER: 2,
        E.SANCTION: 1,
        E.MEETING: 1,
    }
)
NO_WEAPON = {E.STATEMENT, E.SANCTION, E.MEETING}
WEAPONS = weighted(
    {
        W.DRONE: 45,
        W.ROCKET: 30,
        W.UNKNOWN: 7,
        W.MISSILE: 5,
        W.MIXED: 4,
        W.MORTAR: 4,
        W.IED: 3,
        W.SMALL_ARMS: 2,
    }
)
DATE_PRECISIONS = weighted(
    {
        Incident.DatePrecision.DAY: 85,
        Incident.DatePrecision.WEEK: 10,
        Incident.DatePrecision.MONTH: 5,
    }
)
STATUSES = weighted({S.PUBLISHED: 90, S.DRAFT: 4, S.REVIEW: 3, S.RETRACTED: 3})
# Attacks came mostly at night.
HOURS = weighted({h: (3 if h >= 19 or h <= 4 else 1) for h in range(24)})

# English and Arabic words per weapon: (one, several, Arabic).
WEAPON_WORDS = {
    W.DRONE: ("one-way attack drone", "drones", "طائرة مسيّرة"),
    W.ROCKET: ("rocket", "rockets", "صواريخ"),
    W.MISSILE: ("ballistic missile", "missiles", "صاروخ باليستي"),
    W.MORTAR: ("mortar round", "mortar rounds", "قذائف هاون"),
    W.IED: ("roadside bomb", "roadside bombs", "عبوة ناسفة"),
    W.SMALL_ARMS: ("small-arms fire", "small-arms fire", "أسلحة خفيفة"),
    W.MIXED: ("rockets and drones", "rockets and drones", "صواريخ وطائرات مسيّرة"),
    W.UNKNOWN: ("unidentified projectile", "projectiles", "مقذوفات"),
    "": ("", "", ""),
}
OUTCOMES = (
    "no injuries were reported",
    "no injuries or damage were reported",
    "coalition air defences engaged the threat",
    "minor injuries were reported",
    "damage to infrastructure was reported",
    "the launch site was later located",
)
ATTACK_TEMPLATES = (
    "{n} {many} targeted {site}; {outcome}.",
    "Attack with {many} on {site}; {outcome}.",
    "A {one} struck near {site}; {outcome}.",
)
ARABIC_ATTACK = "هجوم ب{ar} على {site_ar}"
OTHER_TEMPLATES = {
    E.INTERCEPTION: "{many} intercepted near {site} before reaching it.",
    E.STRIKE: "Air strike near {site} on a facility used by armed groups.",
    E.STATEMENT: "Statement on the attacks at {site}.",
    E.SANCTION: "Sanctions announced over the attacks on {site}.",
    E.MEETING: "Security meeting on the protection of {site}.",
    E.OTHER: "Unclear incident reported at {site}.",
}
DAMAGE = (
    "Minor damage to a hangar.",
    "Damage to living quarters.",
    "A vehicle was destroyed.",
    "Damage to a perimeter wall.",
    "Fire at a fuel depot, put out.",
)
QUOTES = (
    "We targeted the occupation base with drones.",
    "Coalition forces were attacked; there were no injuries.",
    "Several explosions were heard near the base.",
)

# Who does what, by actor slug where the reference actors are known; other actors of
# a fitting kind get weight 1, so a different actor list still works.
ATTACKER_WEIGHTS = {
    "islamic-resistance-in-iraq": 12,
    "kataib-hezbollah": 3,
    "unidentified-iraqi-armed-group": 3,
    "kataib-sayyid-al-shuhada": 1,
    "tashkil-al-waritheen": 1,
}
ATTACKER_KINDS = {Actor.Kind.ARMED_GROUP, Actor.Kind.UNIDENTIFIED}
DEFENDER_WEIGHTS = {"us-forces": 6, "us-led-coalition": 3, "sdf": 1}
DEFENDER_KINDS = {Actor.Kind.COALITION}
# Attack roles: who claimed it, who officials blamed, who was found to have done it.
ATTACK_ROLES = weighted({R.CLAIMED_BY: 55, R.ATTRIBUTED_TO: 30, R.PERPETRATOR: 15})
ACTOR_COUNT = weighted({0: 15, 1: 55, 2: 30})

# The pool of synthetic sources: (kind, count, publisher, language).
SOURCE_POOL = (
    (K.NEWS, 20, "Synthetic Wire", "en"),
    (K.NEWS, 6, "الوكالة التجريبية", "ar"),
    (K.OFFICIAL, 6, "Synthetic Command", "en"),
    (K.MONITOR, 5, "Synthetic Monitor", "en"),
    (K.CLAIM_CHANNEL, 6, "Synthetic Claims Channel", "ar"),
    (K.SOCIAL, 4, "Synthetic Social", "en"),
)
# Stances fit their source: an official source confirms or denies, a claim channel
# claims, and so on; this is what makes the derived confidence vary.
STANCES = {
    K.NEWS: weighted({ST.REPORTS: 80, ST.CONFIRMS: 12, ST.CLAIMS: 5, ST.DENIES: 3}),
    K.OFFICIAL: weighted({ST.CONFIRMS: 75, ST.REPORTS: 15, ST.DENIES: 10}),
    K.MONITOR: weighted({ST.REPORTS: 70, ST.CONFIRMS: 25, ST.DENIES: 5}),
    K.CLAIM_CHANNEL: weighted({ST.CLAIMS: 1}),
    K.SOCIAL: weighted({ST.REPORTS: 50, ST.CLAIMS: 45, ST.DENIES: 5}),
}
CITATION_COUNT = weighted({0: 5, 1: 45, 2: 35, 3: 15})
