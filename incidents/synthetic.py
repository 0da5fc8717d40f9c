"""Synthetic incidents for benchmarks: realistic in shape, fast to insert, removable.

Real data is a few hundred rows; the API must stay fast at a hundred thousand. These
rows look like the real ones where it matters for performance and for the map:

- *space*: clustered around the placed reference sites, each site drawn in proportion
  to how often it was really attacked, with a Gaussian scatter of a few km scaled by
  the site's ``precision_m``; a few incidents concern two neighbouring sites, and a
  few concern a site nobody has placed (so they have no point, as real ones may);
- *time*: bursty, between 17 October 2023 and 31 December 2025: a long first wave
  (October 2023 to early February 2024, as happened) and random shorter waves of
  days with many attacks over a low background;
- *content*: mixed event types, weapons, date precisions, times of day, actors
  (from the existing ``Actor`` rows) and roles, casualties reported, reported as none
  or not reported (null), English and Arabic text, mostly published with some drafts,
  rows in review and retractions;
- *sources*: citations to a small fixed pool of synthetic sources of every kind with
  stances that fit the kind, so the derived confidence varies like the real one.

Every synthetic row is marked so that ``remove_synthetic`` can delete exactly those:
incidents have an ``external_id`` starting with ``SYN-`` (``SYN-<seed>-<n>``), and
synthetic sources a URL under ``https://synthetic.invalid/`` (a reserved top-level
domain: the links can never point at a real page). Summaries start with
``[synthetic]`` so that nobody mistakes one for a real event on a map.

The same ``seed`` over the same reference data gives the same rows. Inserting is
``bulk_create`` in chunks, one transaction per chunk (so other writers can get in
between chunks, and memory stays flat). Django's insert compiler prepares every value
of every row in Python, and that, not SQLite, sets the pace: about 2,000 incidents
(with their ~3.7 related rows each) per second on the 2-core benchmark machine; see
``bench/README.md``.
"""

import bisect
import datetime
import itertools
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import Left

from .models import (
    Actor,
    Citation,
    Incident,
    Involvement,
    Site,
    Source,
    incident_search_text,
)

EXTERNAL_ID_PREFIX = "SYN-"
SOURCE_URL_PREFIX = "https://synthetic.invalid/"
SUMMARY_PREFIX = "[synthetic] "
FIRST_DAY = datetime.date(2023, 10, 17)
LAST_DAY = datetime.date(2025, 12, 31)
# The first wave really ran from 17 October 2023 until the pause after the strikes
# of early February 2024.
FIRST_WAVE_END = datetime.date(2024, 2, 4)
KM_PER_DEGREE = 111.195
DEFAULT_CHUNK = 10_000


class ReferenceDataMissing(RuntimeError):
    """Synthetic incidents need the reference sites (and actors) to cluster around."""


class SyntheticSeedInUse(RuntimeError):
    """Rows for this seed exist already; their external ids would collide."""


@dataclass(frozen=True)
class GenerateResult:
    seed: int
    incidents: int
    site_links: int
    involvements: int
    citations: int
    sources_created: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.incidents + self.site_links + self.involvements + self.citations

    @property
    def incidents_per_second(self) -> float:
        return self.incidents / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class RemoveResult:
    incidents: int
    site_links: int
    involvements: int
    citations: int
    sources: int
    seconds: float


class _Weighted:
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


def _weighted(table: dict) -> _Weighted:
    return _Weighted(list(table), list(table.values()))


class _Rows:
    """Builds unsaved model instances through ``Model.__init__``'s positional fast
    path: less than half the cost of keyword arguments, which is a tenth of the
    whole insert at this volume. Fields not given get their default, as with
    keyword arguments; a callable default (``default=dict``) is called per row,
    since one shared value would be a bug."""

    def __init__(self, model):
        fields = model._meta.concrete_fields
        self.model = model
        self.fields = [(f.attname, f.get_default()) for f in fields]
        self.per_row = {
            f.attname: f.default
            for f in fields
            if f.has_default() and callable(f.default)
        }

    def __call__(self, **values):
        for name, make in self.per_row.items():
            if name not in values:
                values[name] = make()
        return self.model(*[values.get(name, default) for name, default in self.fields])


# --- what an incident looks like ---------------------------------------------------

E = Incident.EventType
W = Incident.Weapon
S = Incident.Status
R = Involvement.Role
ST = Citation.Stance
K = Source.Kind

EVENT_TYPES = _weighted(
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
WEAPONS = _weighted(
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
DATE_PRECISIONS = _weighted(
    {
        Incident.DatePrecision.DAY: 85,
        Incident.DatePrecision.WEEK: 10,
        Incident.DatePrecision.MONTH: 5,
    }
)
STATUSES = _weighted({S.PUBLISHED: 90, S.DRAFT: 4, S.REVIEW: 3, S.RETRACTED: 3})
# Attacks came mostly at night.
HOURS = _weighted({h: (3 if h >= 19 or h <= 4 else 1) for h in range(24)})

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
ATTACK_ROLES = _weighted({R.CLAIMED_BY: 55, R.ATTRIBUTED_TO: 30, R.PERPETRATOR: 15})
ACTOR_COUNT = _weighted({0: 15, 1: 55, 2: 30})

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
    K.NEWS: _weighted({ST.REPORTS: 80, ST.CONFIRMS: 12, ST.CLAIMS: 5, ST.DENIES: 3}),
    K.OFFICIAL: _weighted({ST.CONFIRMS: 75, ST.REPORTS: 15, ST.DENIES: 10}),
    K.MONITOR: _weighted({ST.REPORTS: 70, ST.CONFIRMS: 25, ST.DENIES: 5}),
    K.CLAIM_CHANNEL: _weighted({ST.CLAIMS: 1}),
    K.SOCIAL: _weighted({ST.REPORTS: 50, ST.CLAIMS: 45, ST.DENIES: 5}),
}
CITATION_COUNT = _weighted({0: 5, 1: 45, 2: 35, 3: 15})


# --- marking and removal -----------------------------------------------------------


def synthetic_incidents() -> QuerySet[Incident]:
    """Every synthetic incident. ``Left(...) =`` rather than ``startswith``: SQLite's
    LIKE ignores case, and a real ``syn-…`` id must never be taken for ours."""
    prefix = EXTERNAL_ID_PREFIX
    return Incident.objects.alias(_syn=Left("external_id", len(prefix))).filter(
        _syn=prefix
    )


def synthetic_sources() -> QuerySet[Source]:
    prefix = SOURCE_URL_PREFIX
    return Source.objects.alias(_syn=Left("url", len(prefix))).filter(_syn=prefix)


def remove_synthetic() -> RemoveResult:
    """Delete every synthetic incident (with its links, involvements and citations)
    and every synthetic source, in one transaction; nothing else is touched.

    Children go first, each as one set-based DELETE; the ORM's cascade collector then
    only has the incidents left, and loads nothing but their ids.
    """
    started = time.perf_counter()
    with transaction.atomic():
        incidents = synthetic_incidents().values("pk")
        sources = synthetic_sources()
        through = Incident.sites.through
        site_links = through.objects.filter(incident__in=incidents).delete()[0]
        involvements = Involvement.objects.filter(incident__in=incidents).delete()[0]
        citations = Citation.objects.filter(incident__in=incidents).delete()[0]
        # Citations of synthetic sources are synthetic too, whoever they cite.
        of_sources = Citation.objects.filter(source__in=sources.values("pk"))
        citations += of_sources.delete()[0]
        removed = synthetic_incidents().only("pk").delete()[0]
        source_count = sources.delete()[0]
    return RemoveResult(
        incidents=removed,
        site_links=site_links,
        involvements=involvements,
        citations=citations,
        sources=source_count,
        seconds=time.perf_counter() - started,
    )


# --- generation --------------------------------------------------------------------


@dataclass(frozen=True)
class _PlacedSite:
    id: int
    name: str
    name_ar: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    precision_m: int | None
    sigma_lat: float  # degrees
    sigma_lon: float  # degrees
    neighbour: int | None  # the nearest other placed site, for two-site incidents


def _placed_sites() -> list[_PlacedSite]:
    """Placed sites with their scatter, weighted later by real attack counts."""
    rows = list(Site.objects.filter(latitude__isnull=False).order_by("pk"))
    if not rows:
        raise ReferenceDataMissing(
            "no placed sites to put synthetic incidents around; load the reference "
            "data first: python manage.py load_reference_data"
        )
    placed = []
    for site in rows:
        # One standard deviation is the site's precision, bounded to 0.5-10 km: a
        # wide airfield scatters more than an embassy compound.
        sigma_km = min(max((site.precision_m or 3000) / 1000, 0.5), 10.0)
        cos_lat = max(math.cos(math.radians(site.latitude)), 0.01)
        nearest = min(
            (s for s in rows if s.pk != site.pk),
            key=lambda s: (
                (s.latitude - site.latitude) ** 2
                + ((s.longitude - site.longitude) * cos_lat) ** 2
            ),
            default=None,
        )
        placed.append(
            _PlacedSite(
                id=site.pk,
                name=site.name,
                name_ar=site.name_ar or site.name,
                country=site.country,
                admin1=site.admin1,
                latitude=site.latitude,
                longitude=site.longitude,
                precision_m=site.precision_m,
                sigma_lat=sigma_km / KM_PER_DEGREE,
                sigma_lon=sigma_km / (KM_PER_DEGREE * cos_lat),
                neighbour=nearest.pk if nearest else None,
            )
        )
    return placed


def _site_weights(sites: list[_PlacedSite]) -> list[float]:
    """How often each site was really attacked (non-synthetic incidents), plus one
    so that a site with no recorded attack still gets some."""
    counts = dict(
        Incident.sites.through.objects.exclude(
            incident__in=synthetic_incidents().values("pk")
        )
        .values("site_id")
        .annotate(n=Count("id"))
        .values_list("site_id", "n")
    )
    return [1 + counts.get(site.id, 0) for site in sites]


def _day_weights(rng: random.Random) -> list[float]:
    """Attack intensity per day: a low background, the first wave, and random waves
    that flare up and die down over days (exponential decay from their peak)."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    weights = [0.15] * days
    first_wave = (FIRST_WAVE_END - FIRST_DAY).days + 1
    for day in range(first_wave):
        weights[day] += 2.5
    for _wave in range(days // 30):
        start = rng.randrange(days)
        peak = rng.lognormvariate(1.0, 0.8)
        length = rng.randint(2, 14)
        for offset in range(length):
            if start + offset < days:
                weights[start + offset] += peak * math.exp(-offset / (length / 3))
    return weights


def _actor_pools() -> tuple[_Weighted | None, _Weighted | None]:
    actors = list(Actor.objects.order_by("pk").values_list("pk", "slug", "kind"))
    attackers = {
        pk: ATTACKER_WEIGHTS.get(slug, 1)
        for pk, slug, kind in actors
        if slug in ATTACKER_WEIGHTS
        or (kind in ATTACKER_KINDS and slug not in DEFENDER_WEIGHTS)
    }
    defenders = {
        pk: DEFENDER_WEIGHTS.get(slug, 1)
        for pk, slug, kind in actors
        if slug in DEFENDER_WEIGHTS or kind in DEFENDER_KINDS
    }
    return (
        _weighted(attackers) if attackers else None,
        _weighted(defenders) if defenders else None,
    )


def _source_pool() -> tuple[list[tuple[int, str]], int]:
    """The synthetic sources as ``(pk, kind)``, creating any that are missing.

    The pool does not depend on the seed, so runs with different seeds share it.
    """
    wanted = []
    for kind, count, publisher, language in SOURCE_POOL:
        for n in range(1, count + 1):
            wanted.append(
                Source(
                    url=f"{SOURCE_URL_PREFIX}sources/{len(wanted) + 1:03d}",
                    publisher=publisher,
                    title=f"{publisher} report {n}",
                    language=language,
                    published_on=FIRST_DAY + datetime.timedelta(days=7 * n),
                    kind=kind,
                )
            )
    existing = set(synthetic_sources().values_list("url", flat=True))
    missing = [s for s in wanted if s.url not in existing]
    Source.objects.bulk_create(missing)
    by_url = dict(synthetic_sources().values_list("url", "pk"))
    return [(by_url[s.url], s.kind) for s in wanted], len(missing)


class _Generator:
    """Draws incidents and their relations; one instance per run, one ``rng``."""

    def __init__(self, *, seed: int):
        self.seed = seed
        # Reproducible on purpose: a benchmark must be rerunnable on the same rows.
        self.rng = random.Random(seed)  # noqa: S311
        self.sites = _placed_sites()
        self.site_pick = _Weighted(self.sites, _site_weights(self.sites))
        self.unplaced = list(
            Site.objects.filter(latitude__isnull=True)
            .order_by("pk")
            .values_list("pk", "country", "admin1", "name")
        )
        self.attackers, self.defenders = _actor_pools()
        self.sources, self.sources_created = _source_pool()
        days = _day_weights(self.rng)
        self.day_pick = _Weighted(
            [FIRST_DAY + datetime.timedelta(days=d) for d in range(len(days))], days
        )
        self.site_by_id = {s.id: s for s in self.sites}
        # Summaries repeat (a few templates x sites x weapons), so their folded
        # search text is worth computing once; see ``_search_text``.
        self._folded: dict[tuple[str, str], str] = {}
        self.new_incident = _Rows(Incident)

    def _search_text(self, summary: str, damage: str, external_id: str) -> str:
        """``incident_search_text`` with the summary/damage part memoised.

        The external id is folded on its own and joined the way
        ``incident_search_text`` joins its parts; a test checks every generated row
        against the plain function, so the two cannot drift apart.
        """
        head = self._folded.get((summary, damage))
        if head is None:
            head = self._folded[(summary, damage)] = incident_search_text(
                summary, damage, ""
            )
        tail = incident_search_text("", "", external_id)
        return f"{head}\n{tail}" if head else tail

    def _day(self, precision: str) -> datetime.date:
        day = self.day_pick.pick(self.rng)
        # A week or month precision means "some day in it": store its first day, as
        # an editor would, but never before the series starts.
        if precision == Incident.DatePrecision.WEEK:
            day -= datetime.timedelta(days=day.weekday())
        elif precision == Incident.DatePrecision.MONTH:
            day = day.replace(day=1)
        return max(day, FIRST_DAY)

    def _count(self, chance_null: float, chance_zero: float, mean: float):
        rng = self.rng
        r = rng.random()
        if r < chance_null:
            return None  # not reported
        if r < chance_null + chance_zero:
            return 0  # reported as none
        return 1 + int(rng.expovariate(1 / mean))

    def _summary(self, event_type: str, weapon: str, site_name: str, site_ar: str):
        rng = self.rng
        one, many, arabic = WEAPON_WORDS[weapon]
        if event_type == E.ATTACK:
            if rng.random() < 0.12:
                return SUMMARY_PREFIX + ARABIC_ATTACK.format(ar=arabic, site_ar=site_ar)
            template = ATTACK_TEMPLATES[rng.randrange(len(ATTACK_TEMPLATES))]
            text = template.format(
                n=rng.randint(1, 6),
                one=one,
                many=many,
                site=site_name,
                outcome=OUTCOMES[rng.randrange(len(OUTCOMES))],
            )
        else:
            text = OTHER_TEMPLATES[event_type].format(many=many, site=site_name)
        return SUMMARY_PREFIX + text[0].upper() + text[1:]

    def _involvements(self, event_type: str) -> list[tuple[int, str]]:
        rng = self.rng
        if self.attackers is None or event_type in NO_WEAPON:
            return []
        wanted = ACTOR_COUNT.pick(rng)
        chosen: list[tuple[int, str]] = []
        if event_type == E.STRIKE and self.defenders is not None:
            # A strike turns the roles round: the coalition strikes a group.
            chosen.append((self.defenders.pick(rng), R.PERPETRATOR))
            if wanted == 2:
                chosen.append((self.attackers.pick(rng), R.TARGET))
            return chosen
        if wanted >= 1:
            chosen.append((self.attackers.pick(rng), ATTACK_ROLES.pick(rng)))
        if wanted == 2:
            if self.defenders is not None and rng.random() < 0.6:
                chosen.append((self.defenders.pick(rng), R.TARGET))
            else:
                other = (self.attackers.pick(rng), ATTACK_ROLES.pick(rng))
                if other not in chosen:  # (incident, actor, role) is unique
                    chosen.append(other)
        return chosen

    def _citations(self) -> list[tuple[int, str, str]]:
        rng = self.rng
        picked = rng.sample(self.sources, CITATION_COUNT.pick(rng))
        return [
            (
                pk,
                STANCES[kind].pick(rng),
                QUOTES[rng.randrange(len(QUOTES))] if rng.random() < 0.15 else "",
            )
            for pk, kind in picked
        ]

    def incident(self, n: int):
        """One incident (unsaved) and its relations: sites, involvements, citations."""
        rng = self.rng
        event_type = EVENT_TYPES.pick(rng)
        weapon = "" if event_type in NO_WEAPON else WEAPONS.pick(rng)
        precision = DATE_PRECISIONS.pick(rng)
        occurred_at = None
        if precision == Incident.DatePrecision.DAY and rng.random() < 0.4:
            occurred_at = datetime.time(HOURS.pick(rng), rng.randrange(60))
        if self.unplaced and rng.random() < 0.01:
            # A site known only by name: the incident has no point either.
            site_id, country, admin1, name = self.unplaced[
                rng.randrange(len(self.unplaced))
            ]
            site_ids = [site_id]
            latitude = longitude = precision_m = None
            site_name = site_ar = name
        else:
            site = self.site_pick.pick(rng)
            site_ids = [site.id]
            if site.neighbour is not None and rng.random() < 0.04:
                site_ids.append(site.neighbour)
            latitude = min(max(rng.gauss(site.latitude, site.sigma_lat), -90.0), 90.0)
            longitude = min(
                max(rng.gauss(site.longitude, site.sigma_lon), -180.0), 180.0
            )
            precision_m = site.precision_m
            country, admin1 = site.country, site.admin1
            site_name, site_ar = site.name, site.name_ar
        summary = self._summary(event_type, weapon, site_name, site_ar)
        damage = DAMAGE[rng.randrange(len(DAMAGE))] if rng.random() < 0.15 else ""
        external_id = f"{EXTERNAL_ID_PREFIX}{self.seed}-{n:07d}"
        incident = self.new_incident(
            occurred_on=self._day(precision),
            occurred_at=occurred_at,
            date_precision=precision,
            event_type=event_type,
            weapon=weapon,
            latitude=latitude,
            longitude=longitude,
            precision_m=precision_m,
            country=country,
            admin1=admin1,
            injured=self._count(0.55, 0.30, 2.0),
            killed=self._count(0.70, 0.27, 0.5),
            damage=damage,
            summary=summary,
            status=STATUSES.pick(rng),
            external_id=external_id,
            search_text=self._search_text(summary, damage, external_id),
        )
        return incident, site_ids, self._involvements(event_type), self._citations()


def generate_synthetic(
    *, count: int, seed: int = 0, chunk_size: int = DEFAULT_CHUNK
) -> GenerateResult:
    """Insert ``count`` synthetic incidents with their relations; see the module.

    Raises ``ReferenceDataMissing`` without placed sites, and ``SyntheticSeedInUse``
    when this seed's rows exist already (remove them, or use another seed).
    """
    if count < 0:
        raise ValueError("count must be zero or more")
    started = time.perf_counter()
    prefix = f"{EXTERNAL_ID_PREFIX}{seed}-"
    if synthetic_incidents().filter(external_id__startswith=prefix).exists():
        raise SyntheticSeedInUse(
            f"synthetic incidents for seed {seed} exist already; remove them "
            "(generate_incidents --remove) or use another --seed"
        )
    with transaction.atomic():
        generator = _Generator(seed=seed)
    through = Incident.sites.through
    new_link, new_involvement = _Rows(through), _Rows(Involvement)
    new_citation = _Rows(Citation)
    totals = {"links": 0, "involvements": 0, "citations": 0}
    for first in range(0, count, chunk_size):
        drawn = [
            generator.incident(n)
            for n in range(first + 1, min(first + chunk_size, count) + 1)
        ]
        with transaction.atomic():
            incidents = Incident.objects.bulk_create([d[0] for d in drawn])
            if incidents and incidents[0].pk is None:
                # The relations need the new ids; SQLite 3.35+ and PostgreSQL
                # return them from a bulk insert, MySQL does not.
                raise NotImplementedError(
                    "synthetic data needs a database that returns ids from bulk "
                    "inserts (SQLite 3.35+ or PostgreSQL)"
                )
            links, involvements, citations = [], [], []
            for incident, (_obj, site_ids, actors, sources) in zip(
                incidents, drawn, strict=True
            ):
                pk = incident.pk
                links += [new_link(incident_id=pk, site_id=s) for s in site_ids]
                involvements += [
                    new_involvement(incident_id=pk, actor_id=a, role=role)
                    for a, role in actors
                ]
                citations += [
                    new_citation(
                        incident_id=pk, source_id=s, stance=stance, quote=quote
                    )
                    for s, stance, quote in sources
                ]
            through.objects.bulk_create(links)
            Involvement.objects.bulk_create(involvements)
            Citation.objects.bulk_create(citations)
        totals["links"] += len(links)
        totals["involvements"] += len(involvements)
        totals["citations"] += len(citations)
    return GenerateResult(
        seed=seed,
        incidents=count,
        site_links=totals["links"],
        involvements=totals["involvements"],
        citations=totals["citations"],
        sources_created=generator.sources_created,
        seconds=time.perf_counter() - started,
    )
