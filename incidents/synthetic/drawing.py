"""Drawing synthetic incidents: the reference data they cluster around, and the
generator that draws each incident with its sites, actors and citations.

Nothing here writes incidents: ``_Generator.incident`` returns plain values (see
``INCIDENT_FIELDS``), and ``writing`` inserts them.
"""

import datetime
import math
import random
from dataclasses import dataclass

from django.db.models import Count

from ..models import (
    INCIDENT_CONTENT_FIELDS,
    Actor,
    Incident,
    Site,
    Source,
    incident_search_text,
)
from .marking import synthetic_incidents, synthetic_sources
from .tables import (
    ACTOR_COUNT,
    ARABIC_ATTACK,
    ATTACK_ROLES,
    ATTACK_TEMPLATES,
    ATTACKER_KINDS,
    ATTACKER_WEIGHTS,
    CITATION_COUNT,
    DAMAGE,
    DATE_PRECISIONS,
    DEFENDER_KINDS,
    DEFENDER_WEIGHTS,
    EVENT_TYPES,
    EXTERNAL_ID_PREFIX,
    FIRST_DAY,
    FIRST_WAVE_END,
    HOURS,
    KM_PER_DEGREE,
    LAST_DAY,
    NO_WEAPON,
    OTHER_TEMPLATES,
    OUTCOMES,
    QUOTES,
    SOURCE_POOL,
    SOURCE_URL_PREFIX,
    STANCES,
    STATUSES,
    SUMMARY_PREFIX,
    WEAPON_WORDS,
    WEAPONS,
    E,
    R,
    Weighted,
    weighted,
)

# The incident's fields ``_Generator.incident`` draws, in the order of its tuple;
# every other field gets what the ORM would give it (see ``writing``).
INCIDENT_FIELDS = (*INCIDENT_CONTENT_FIELDS, "search_text")


class ReferenceDataMissing(RuntimeError):
    """Synthetic incidents need the reference sites (and actors) to cluster around."""


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


def _actor_pools() -> tuple[Weighted | None, Weighted | None]:
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
        weighted(attackers) if attackers else None,
        weighted(defenders) if defenders else None,
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
        self.site_pick = Weighted(self.sites, _site_weights(self.sites))
        self.unplaced = list(
            Site.objects.filter(latitude__isnull=True)
            .order_by("pk")
            .values_list("pk", "country", "admin1", "name")
        )
        self.attackers, self.defenders = _actor_pools()
        self.sources, self.sources_created = _source_pool()
        days = _day_weights(self.rng)
        self.day_pick = Weighted(
            [FIRST_DAY + datetime.timedelta(days=d) for d in range(len(days))], days
        )
        # Summaries repeat (a few templates x sites x weapons), so their folded
        # search text is worth computing once; see ``_search_text``.
        self._folded: dict[tuple[str, str], str] = {}
        self._id_prefix = f"{EXTERNAL_ID_PREFIX}{seed}-"
        self._folded_id_prefix = _folded_prefix(self._id_prefix)

    def _search_text(self, summary: str, damage: str, number: str) -> str:
        """``incident_search_text(summary, damage, external_id)``, faster: the
        summary/damage part memoised, the external id's folded prefix computed
        once (``_folded_prefix``).

        The parts are joined the way ``incident_search_text`` joins them; a test
        checks every generated row against the plain function, so the two cannot
        drift apart.
        """
        head = self._folded.get((summary, damage))
        if head is None:
            head = self._folded[(summary, damage)] = incident_search_text(
                summary, damage, ""
            )
        prefix = self._folded_id_prefix
        if prefix is None:
            tail = incident_search_text("", "", self._id_prefix + number)
        else:
            tail = prefix + number
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
        """Incident number ``n``: its values (``INCIDENT_FIELDS``, in that order),
        its site ids, involvements ``(actor_id, role)`` and citations
        ``(source_id, stance, quote)``."""
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
        number = f"{n:07d}"
        # The keyword order of the old ``Incident(...)`` call is the order of the
        # draws below (day, injured, killed, status): it must stay, or a seed would
        # give other rows than before.
        occurred_on = self._day(precision)
        injured = self._count(0.55, 0.30, 2.0)
        killed = self._count(0.70, 0.27, 0.5)
        status = STATUSES.pick(rng)
        values = (
            occurred_on,
            occurred_at,
            precision,
            event_type,
            weapon,
            latitude,
            longitude,
            precision_m,
            country,
            admin1,
            injured,
            killed,
            damage,
            summary,
            status,
            self._id_prefix + number,
            self._search_text(summary, damage, number),
        )
        return values, site_ids, self._involvements(event_type), self._citations()


def _folded_prefix(id_prefix: str) -> str | None:
    """What ``normalize_name`` makes of ``id_prefix`` followed by digits, minus the
    digits ("SYN-3-" gives "syn 3 "), or None when that does not hold for this
    prefix (then each id is folded in full)."""

    def fold(text: str) -> str:
        return incident_search_text("", "", text)

    folded = fold(id_prefix + "0000000")
    head = folded[: -len("0000000")]
    probes = ("0000001", "1234567", "12345678")
    if folded.endswith("0000000") and all(
        fold(id_prefix + p) == head + p for p in probes
    ):
        return head
    return None
