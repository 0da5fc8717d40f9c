"""The aggregates API (/api/v1/stats/...): sums that keep "not reported" apart from
zero, every incident filter honoured, unpublished incidents never counted, strict
parameters, the official totals beside the documented count, and a constant number
of queries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident, Involvement, OfficialTotal, Source

pytestmark = pytest.mark.django_db

TIMELINE = "/api/v1/stats/timeline/"
SITES = "/api/v1/stats/sites/"
ACTORS = "/api/v1/stats/actors/"
WEAPONS = "/api/v1/stats/weapons/"
OFFICIAL = "/api/v1/stats/official-totals/"
INCIDENT_ENDPOINTS = [TIMELINE, SITES, ACTORS, WEAPONS]

CLAIMED_BY = Involvement.Role.CLAIMED_BY
TARGET = Involvement.Role.TARGET


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def errors(client, url, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def counted(client, **params) -> int:
    """How many incidents the timeline counts under these filters."""
    rows = get(client, TIMELINE, **params)["results"]
    return sum(row["incidents"] for row in rows)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


NUMBERS = ("incidents", "injured", "killed", "injured_reported", "killed_reported")


def numbers(row: dict) -> tuple:
    return tuple(row[k] for k in NUMBERS)


# --- timeline ---------------------------------------------------------------------


def test_timeline_weeks_start_on_monday_and_keep_null_apart_from_zero(client, make):
    make.incident(occurred_on=day("2023-10-15"), injured=3)  # a Sunday
    make.incident(occurred_on=day("2023-10-16"), injured=None, killed=0)  # Monday
    make.incident(occurred_on=day("2023-10-22"), injured=0, killed=0)  # Sunday
    make.incident(occurred_on=day("2023-10-22"), injured=5, killed=None)
    make.incident(occurred_on=day("2023-10-30"))  # nothing reported at all

    body = get(client, TIMELINE)

    assert body["interval"] == "week"
    rows = body["results"]
    assert [(r["period"], *numbers(r)) for r in rows] == [
        ("2023-10-09", 1, 3, None, 1, 0),
        ("2023-10-16", 3, 5, 0, 2, 2),
        # The week of 23 October has no incident and is omitted, not zero-filled.
        ("2023-10-30", 1, None, None, 0, 0),
    ]
    assert set(rows[0]) == {"period", "imprecise", *NUMBERS}


def test_timeline_day_and_month_intervals(client, make):
    make.incident(occurred_on=day("2023-10-31"), injured=1)
    make.incident(occurred_on=day("2023-11-01"), injured=2)
    make.incident(occurred_on=day("2023-11-30"), injured=4)

    by_day = get(client, TIMELINE, interval="day")
    assert by_day["interval"] == "day"
    assert [(r["period"], r["injured"]) for r in by_day["results"]] == [
        ("2023-10-31", 1),
        ("2023-11-01", 2),
        ("2023-11-30", 4),
    ]
    by_month = get(client, TIMELINE, interval="month")["results"]
    assert [(r["period"], r["incidents"], r["injured"]) for r in by_month] == [
        ("2023-10-01", 1, 1),
        ("2023-11-01", 2, 6),
    ]


def test_timeline_flags_dates_coarser_than_the_interval(client, make):
    make.incident(occurred_on=day("2023-11-15"))
    make.incident(occurred_on=day("2023-11-15"), date_precision="week")
    make.incident(occurred_on=day("2023-11-01"), date_precision="month")

    def imprecise(interval):
        rows = get(client, TIMELINE, interval=interval)["results"]
        return {r["period"]: (r["incidents"], r["imprecise"]) for r in rows}

    # Filed under their own occurred_on, flagged where the period is finer.
    assert imprecise("day") == {"2023-11-01": (1, 1), "2023-11-15": (2, 1)}
    assert imprecise("week") == {"2023-10-30": (1, 1), "2023-11-13": (2, 0)}
    assert imprecise("month") == {"2023-11-01": (3, 0)}


# --- sites, actors, weapons -------------------------------------------------------


def test_sites_count_an_incident_at_two_sites_for_each(client, make):
    omar = make.site(slug="al-omar", name="Al-Omar", name_ar="العمر")
    conoco = make.site(slug="conoco", name="Conoco")
    make.site(slug="quiet", name="Quiet")  # no incident: left out
    make.incident(sites=[omar, conoco], injured=2, killed=0)
    make.incident(sites=[omar], injured=None, killed=1)
    make.incident(sites=[])  # no site: in no row

    rows = get(client, SITES)["results"]

    assert [(r["slug"], *numbers(r)) for r in rows] == [
        ("al-omar", 2, 2, 1, 1, 2),
        ("conoco", 1, 2, 0, 1, 1),
    ]
    assert (rows[0]["name"], rows[0]["name_ar"]) == ("Al-Omar", "العمر")
    assert set(rows[0]) == {"slug", "name", "name_ar", *NUMBERS}


def test_sites_with_equal_counts_are_ordered_by_name(client, make):
    b, a = make.site(name="Bravo"), make.site(name="Alpha")
    make.incident(sites=[b])
    make.incident(sites=[a])
    assert [r["name"] for r in get(client, SITES)["results"]] == ["Alpha", "Bravo"]


def test_actors_are_counted_per_role(client, make):
    iri = make.actor(slug="iri", name="Islamic Resistance in Iraq")
    kh = make.actor(slug="kh", name="Kataib Hezbollah", parent=iri)
    us = make.actor(slug="us-forces", name="US forces", kind="state_force")
    make.incident(involvements=[(kh, CLAIMED_BY), (us, TARGET)])
    make.incident(involvements=[(kh, Involvement.Role.ATTRIBUTED_TO), (us, TARGET)])
    make.incident(involvements=[(iri, CLAIMED_BY), (kh, CLAIMED_BY)])

    rows = get(client, ACTORS)["results"]
    by_key = {(r["slug"], r["role"]): r["incidents"] for r in rows}
    assert by_key == {
        ("kh", "claimed_by"): 2,
        ("kh", "attributed_to"): 1,
        ("us-forces", "target"): 2,
        ("iri", "claimed_by"): 1,
    }
    assert rows[0]["incidents"] == 2
    kh_row = next(r for r in rows if r["slug"] == "kh")
    assert kh_row["parent"] == "iri" and kh_row["name"] == "Kataib Hezbollah"

    claimed = get(client, ACTORS, role="claimed_by")["results"]
    assert {(r["slug"], r["incidents"]) for r in claimed} == {("kh", 2), ("iri", 1)}
    assert {r["role"] for r in claimed} == {"claimed_by"}


def test_weapons_report_blank_as_none(client, make):
    make.incident(weapon="drone", injured=4)
    make.incident(weapon="drone", injured=0)
    make.incident(weapon="rocket")
    make.incident(weapon="", event_type="statement")

    rows = get(client, WEAPONS)["results"]

    assert [(r["weapon"], *numbers(r)) for r in rows] == [
        ("drone", 2, 4, None, 2, 0),
        ("none", 1, None, None, 0, 0),
        ("rocket", 1, None, None, 0, 0),
    ]
    assert set(rows[0]) == {"weapon", *NUMBERS}


# --- filters ----------------------------------------------------------------------


@pytest.fixture
def filter_data(make):
    """Two incidents that differ in everything a filter can see."""
    iri = make.actor(slug="islamic-resistance-in-iraq", name="IRI")
    kh = make.actor(slug="kataib-hezbollah", name="Kataib Hezbollah", parent=iri)
    other = make.actor(slug="other-group")
    asad = make.site(slug="ain-al-asad", name="Ain al-Asad", country="IQ")
    tanf = make.site(slug="al-tanf", name="Al-Tanf")
    official = make.source(kind=Source.Kind.OFFICIAL)
    in_iraq = make.incident(
        occurred_on=day("2023-10-18"),
        sites=[asad],
        involvements=[(kh, CLAIMED_BY)],
        citations=[(official, "confirms")],
        weapon="drone",
        country="IQ",
        latitude=33.8,
        longitude=42.43,
        summary="Drones over the airbase",
        injured=4,
    )
    in_syria = make.incident(
        occurred_on=day("2023-11-20"),
        sites=[tanf],
        involvements=[(other, CLAIMED_BY)],
        weapon="rocket",
        country="SY",
        latitude=33.5,
        longitude=38.6,
        summary="Rockets at the garrison",
        injured=1,
    )
    return in_iraq, in_syria


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 2),
        ({"bbox": "41,33,44,35"}, 1),
        ({"date_from": "2023-11-01"}, 1),
        ({"date_to": "2023-10-31"}, 1),
        ({"date_from": "2023-10-18", "date_to": "2023-11-20"}, 2),
        ({"site": "ain-al-asad"}, 1),
        ({"site": "ain-al-asad,al-tanf"}, 2),
        # The umbrella includes what its member groups claimed.
        ({"actor": "islamic-resistance-in-iraq"}, 1),
        ({"actor": "kataib-hezbollah"}, 1),
        ({"weapon": "rocket"}, 1),
        ({"weapon": "mortar"}, 0),
        ({"event_type": "statement"}, 0),
        ({"country": "iq"}, 1),
        ({"confidence": "confirmed"}, 1),
        ({"confidence": "reported"}, 1),
        ({"q": "garrison"}, 1),
        ({"q": "asad"}, 1),  # through the site's name
        ({"near": "42.4,33.8", "radius_km": "20"}, 1),
    ],
)
def test_every_incident_filter_is_honoured(client, filter_data, params, expected):
    assert counted(client, **params) == expected


def test_filters_apply_to_sites_actors_and_weapons_too(client, filter_data):
    params = {"actor": "islamic-resistance-in-iraq", "date_to": "2023-12-31"}
    sites = get(client, SITES, **params)["results"]
    assert [(r["slug"], r["incidents"], r["injured"]) for r in sites] == [
        ("ain-al-asad", 1, 4)
    ]
    actors = get(client, ACTORS, **params)["results"]
    assert [(r["slug"], r["role"]) for r in actors] == [
        ("kataib-hezbollah", "claimed_by")
    ]
    weapons = get(client, WEAPONS, confidence="reported")["results"]
    assert [(r["weapon"], r["incidents"]) for r in weapons] == [("rocket", 1)]


def test_filters_on_reference_data(client, reference_data):
    published = Incident.objects.published()
    assert counted(client) == published.count() == 130
    iri = "islamic-resistance-in-iraq"
    direct = published.filter(involvements__actor__slug=iri).distinct()
    with_members = published.filter(
        Q(involvements__actor__slug=iri) | Q(involvements__actor__parent__slug=iri)
    ).distinct()
    assert with_members.count() > direct.count()  # the umbrella adds its members'
    assert counted(client, actor=iri) == with_members.count()
    weapons = get(client, WEAPONS)["results"]
    assert sum(r["incidents"] for r in weapons) == 130
    drones = published.filter(weapon="drone").count()
    assert counted(client, weapon="drone") == drones


# --- unpublished incidents --------------------------------------------------------


@pytest.fixture
def mixed_statuses(make):
    site = make.site(slug="base")
    group = make.actor(slug="group")
    common = {"sites": [site], "involvements": [(group, CLAIMED_BY)], "injured": 1}
    make.incident(status=Incident.Status.PUBLISHED, **common)
    for status in ("draft", "review", "retracted"):
        make.incident(status=status, weapon="mortar", **common)


@pytest.mark.parametrize("url", INCIDENT_ENDPOINTS)
@pytest.mark.parametrize(
    "params", [{}, {"updated_since": "2000-01-01T00:00:00Z"}, {"weapon": "mortar"}]
)
def test_unpublished_incidents_are_never_counted(client, mixed_statuses, url, params):
    rows = get(client, url, **params)["results"]
    expected = 0 if params.get("weapon") == "mortar" else 1
    assert sum(r["incidents"] for r in rows) == expected
    if url != ACTORS and rows:
        assert rows[0]["injured"] == 1


def test_editors_see_the_same_published_numbers(client, mixed_statuses):
    editor = get_user_model().objects.create_superuser("editor", "e@example.org", "x")
    client.force_login(editor)
    assert counted(client) == 1
    assert counted(client, updated_since="2000-01-01T00:00:00Z") == 1
    # Stats have no status parameter, for editors either.
    assert "status" in errors(client, TIMELINE, status="draft")


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "param"),
    [
        (TIMELINE, {"interval": "year"}, "interval"),
        (TIMELINE, {"interval": ""}, "interval"),
        (TIMELINE, {"wepon": "drone"}, "wepon"),
        (TIMELINE, {"status": "draft"}, "status"),
        (TIMELINE, {"role": "target"}, "role"),  # role is for actors only
        (SITES, {"bbox": "1,2,3"}, "bbox"),
        (SITES, {"bbox": "50,30,40,35"}, "bbox"),
        (SITES, {"interval": "week"}, "interval"),
        (WEAPONS, {"date_from": "2023-12-01", "date_to": "2023-11-01"}, "date_from"),
        (WEAPONS, {"date_from": "yesterday"}, "date_from"),
        (WEAPONS, {"near": "40,35"}, "radius_km"),
        (ACTORS, {"role": "victim"}, "role"),
        (ACTORS, {"actor": "no-such-group"}, "actor"),
        (ACTORS, {"site": "atlantis"}, "site"),
        (OFFICIAL, {"date_from": "2024-01-01", "date_to": "2023-11-01"}, "date_from"),
        (OFFICIAL, {"date_to": "soon"}, "date_to"),
        (OFFICIAL, {"country": "IQ"}, "country"),
        (OFFICIAL, {"reported_by": "Pentagon"}, "reported_by"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, url, params, param):
    assert param in errors(client, url, **params)


def test_a_repeated_parameter_is_a_400(client):
    response = client.get(TIMELINE + "?interval=week&interval=month")
    assert response.status_code == 400
    assert response.json()["errors"]["interval"] == "given more than once"


# --- official totals --------------------------------------------------------------


def test_official_totals_are_listed_with_nulls_kept(client, reference_data):
    body = get(client, OFFICIAL)
    rows = body["results"]
    assert len(rows) == OfficialTotal.objects.count() == 37
    assert [r["as_of"] for r in rows] == sorted(r["as_of"] for r in rows)

    singh = next(
        r
        for r in rows
        if r["as_of"] == "2023-11-14" and r["reported_by"] == "Pentagon (Singh)"
    )
    assert (singh["total_attacks"], singh["iraq"], singh["syria"]) == (55, 27, 28)
    assert singh["us_injured"] == 59
    assert singh["as_of_precision"] == "day"
    assert singh["scope"] == "since Oct 17"
    assert singh["source_urls"] and singh["note"]

    (monthly,) = [r for r in rows if r["as_of_precision"] == "month"]
    assert monthly["as_of"].startswith("2024-04")
    assert monthly["iraq"] is None and monthly["syria"] is None
    assert monthly["total_attacks"] == 170

    assert set(rows[0]) == set(
        "as_of as_of_precision reported_by scope total_attacks iraq syria "
        "us_injured note source_urls".split()
    )


def test_documented_series_counts_published_attacks_up_to_each_date(
    client, reference_data
):
    body = get(client, OFFICIAL)
    documented = body["documented"]
    dates = [d["date"] for d in documented]
    assert dates == sorted(set(r["as_of"] for r in body["results"]))
    counts = [d["cumulative_incidents"] for d in documented]
    assert counts == sorted(counts)  # running totals never go down

    attacks = Incident.objects.published().filter(
        event_type="attack", occurred_on__gte=day("2023-10-17")
    )
    by_date = dict(zip(dates, counts, strict=True))
    for as_of in ("2023-11-14", "2024-01-18", "2024-09-28"):
        assert by_date[as_of] == attacks.filter(occurred_on__lte=day(as_of)).count()
    assert 0 < by_date["2023-11-14"] < 55


def test_documented_series_ignores_other_events_and_unpublished(client, make):
    OfficialTotal.objects.create(
        as_of=day("2023-11-01"), reported_by="Pentagon", total_attacks=10
    )
    OfficialTotal.objects.create(
        as_of=day("2023-11-30"), reported_by="Pentagon", total_attacks=20
    )
    make.incident(occurred_on=day("2023-10-16"))  # before the wave
    make.incident(occurred_on=day("2023-10-17"))
    make.incident(occurred_on=day("2023-11-01"))
    make.incident(occurred_on=day("2023-11-02"))
    make.incident(occurred_on=day("2023-11-02"), event_type="interception")
    make.incident(occurred_on=day("2023-11-02"), status="draft")
    make.incident(occurred_on=day("2023-11-02"), status="retracted")
    make.incident(occurred_on=day("2023-12-01"))

    body = get(client, OFFICIAL)
    # Without citations an attack is "reported": never confirmed, never claimed.
    assert body["documented"] == [
        {
            "date": "2023-11-01",
            "cumulative_incidents": 2,
            "by_confidence": split(reported=2),
        },
        {
            "date": "2023-11-30",
            "cumulative_incidents": 3,
            "by_confidence": split(reported=3),
        },
    ]
    assert [r["total_attacks"] for r in body["results"]] == [10, 20]


def split(**counts: int) -> dict:
    """A ``by_confidence`` object: every level present, 0 unless given."""
    levels = ("confirmed", "reported", "claimed", "disputed")
    assert set(counts) <= set(levels)
    return {level: counts.get(level, 0) for level in levels}


@pytest.fixture
def cited_attacks(make):
    """Attacks whose citations make each confidence level, two official totals,
    and what must never count: other events, attacks before the wave, and
    unpublished attacks however well confirmed."""
    official = make.source(kind=Source.Kind.OFFICIAL, publisher="CENTCOM")
    monitor = make.source(kind=Source.Kind.MONITOR, publisher="Monitor")
    news = make.source(kind=Source.Kind.NEWS, publisher="Wire")
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL, publisher="Channel")
    by_date = {
        "2023-10-20": [
            [(official, "confirms")],  # confirmed
            [(channel, "claims")],  # claimed
            [(news, "reports")],  # reported
        ],
        "2023-10-31": [
            [(news, "reports"), (monitor, "confirms")],  # confirmed
            [(channel, "confirms")],  # claimed: a claim channel's word is a claim
            [(news, "claims")],  # claimed: a news item relaying the claim
            [],  # reported: no source at all
            [(official, "confirms"), (news, "denies")],  # disputed
        ],
        "2023-11-10": [
            [(channel, "claims"), (news, "reports")],  # reported: not only claims
            [(channel, "reports")],  # claimed
            [(channel, "claims"), (official, "denies")],  # disputed
        ],
    }
    for date, citation_sets in by_date.items():
        for citations in citation_sets:
            make.incident(occurred_on=day(date), citations=citations)
    confirmed = [(official, "confirms")]
    make.incident(occurred_on=day("2023-10-16"), citations=confirmed)  # before
    make.incident(
        occurred_on=day("2023-10-20"), citations=confirmed, event_type="interception"
    )
    for status in ("draft", "review", "retracted"):
        make.incident(occurred_on=day("2023-10-20"), citations=confirmed, status=status)
        make.incident(occurred_on=day("2023-11-10"), status=status)
    for as_of, total in (("2023-10-31", 20), ("2023-11-14", 55)):
        OfficialTotal.objects.create(
            as_of=day(as_of), reported_by="Pentagon", total_attacks=total
        )


def test_documented_series_is_split_by_confidence(client, cited_attacks):
    documented = get(client, OFFICIAL)["documented"]
    assert documented == [
        {
            "date": "2023-10-31",
            "cumulative_incidents": 8,
            "by_confidence": split(confirmed=2, claimed=3, reported=2, disputed=1),
        },
        {
            "date": "2023-11-14",
            "cumulative_incidents": 11,
            "by_confidence": split(confirmed=2, claimed=4, reported=3, disputed=2),
        },
    ]
    for row in documented:
        assert sum(row["by_confidence"].values()) == row["cumulative_incidents"]


def test_unpublished_attacks_never_count_in_the_split(client, cited_attacks):
    """The fixture's draft, review and retracted attacks (confirmed ones among
    them) are not in the counts above; and retracting a confirmed attack takes it
    out of "confirmed" and of the total alike."""
    assert Incident.objects.exclude(status="published").count() == 6
    before = get(client, OFFICIAL)["documented"]
    assert [r["by_confidence"]["confirmed"] for r in before] == [2, 2]
    attack = Incident.objects.published().get(
        event_type="attack", occurred_on=day("2023-10-20"), citations__stance="confirms"
    )
    attack.status = Incident.Status.RETRACTED
    attack.retraction_reason = "Duplicate of another report."
    attack.save()
    after = get(client, OFFICIAL)["documented"]
    assert [r["by_confidence"]["confirmed"] for r in after] == [1, 1]
    assert [r["cumulative_incidents"] for r in after] == [7, 10]
    for status in ("draft", "review"):
        attack.status = status
        attack.save()
        assert get(client, OFFICIAL)["documented"] == after


def test_a_total_before_any_attack_has_every_level_at_zero(client, cited_attacks):
    OfficialTotal.objects.create(
        as_of=day("2023-10-18"), reported_by="Pentagon", total_attacks=1
    )
    first = get(client, OFFICIAL)["documented"][0]
    assert first == {
        "date": "2023-10-18",
        "cumulative_incidents": 0,
        "by_confidence": split(),
    }


def test_the_split_is_the_confidence_filters_on_reference_data(client, reference_data):
    """Each level counts what ``confidence=<level>`` lists: the same rule."""
    documented = get(client, OFFICIAL)["documented"]
    for row in documented:
        assert sum(row["by_confidence"].values()) == row["cumulative_incidents"]
    last = documented[-1]
    for level, n in last["by_confidence"].items():
        listed = get(
            client,
            "/api/v1/incidents/",
            event_type="attack",
            confidence=level,
            date_from="2023-10-17",
            date_to=last["date"],
            page_size=1,
        )["count"]
        assert n == listed, level
    assert last["by_confidence"]["confirmed"] > 0
    assert last["by_confidence"]["claimed"] > 0


def test_official_totals_date_range(client, reference_data):
    rows = get(client, OFFICIAL, date_from="2023-11-14", date_to="2023-11-14")
    assert [r["reported_by"] for r in rows["results"]] == [
        "Pentagon (Singh)",
        "Washington Institute Militia Monitor",
    ]
    assert len(rows["documented"]) == 1


# --- queries and schema -----------------------------------------------------------


def _add_incidents(make, n: int, sites, actors, source):
    for i in range(n):
        make.incident(
            occurred_on=datetime.date(2023, 10, 17) + datetime.timedelta(days=i * 3),
            sites=sites[i % 2 :],
            involvements=[(actors[i % 2], CLAIMED_BY)],
            citations=[(source, "reports")],
            weapon=["drone", "rocket", ""][i % 3],
            injured=i % 4 or None,
        )


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (TIMELINE, {"interval": "day", "confidence": "reported", "q": "site"}),
        (SITES, {"bbox": "30,30,50,40", "site": "s-a"}),
        (ACTORS, {"role": "claimed_by", "near": "40,35", "radius_km": "50"}),
        (WEAPONS, {"updated_since": "2000-01-01T00:00:00Z", "weapon": "drone,rocket"}),
        (OFFICIAL, {"date_from": "2023-10-01"}),
    ],
)
def test_query_count_does_not_grow_with_the_data(
    client, make, django_assert_max_num_queries, url, params
):
    sites = [make.site(slug="s-a"), make.site(slug="s-b")]
    actors = [make.actor(), make.actor()]
    source = make.source()
    _add_incidents(make, 5, sites, actors, source)
    for i in range(5):
        OfficialTotal.objects.create(
            as_of=datetime.date(2023, 11, 1 + i), reported_by="x", total_attacks=i
        )
    with CaptureQueriesContext(connection) as few:
        small = get(client, url, **params)
    assert len(few) <= 3  # the aggregate, plus checking the named site exists

    _add_incidents(make, 45, sites, actors, source)
    for i in range(45):
        OfficialTotal.objects.create(
            as_of=datetime.date(2024, 1, 1 + i % 28), reported_by="y", total_attacks=i
        )
    with django_assert_max_num_queries(len(few)):
        large = get(client, url, **params)
    assert large != small  # the larger data set really was counted


def test_endpoints_are_in_the_schema_with_their_parameters(client):
    response = client.get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    paths = response.json()["paths"]

    def names(path):
        return {param["name"] for param in paths[path]["get"]["parameters"]}

    filters = set(
        "bbox date_from date_to site actor weapon event_type country confidence q "
        "near radius_km within located updated_since".split()
    )
    assert names(TIMELINE) == filters | {"interval"}
    assert names(SITES) == filters
    assert names(WEAPONS) == filters
    assert names(ACTORS) == filters | {"role"}
    assert names(OFFICIAL) == {"date_from", "date_to"}
    assert paths[TIMELINE]["get"]["operationId"] == "stats_timeline"
    timeline_200 = paths[TIMELINE]["get"]["responses"]["200"]
    props = timeline_200["content"]["application/json"]["schema"]["properties"]
    assert "imprecise" in props["results"]["items"]["properties"]


def test_actor_stats_honour_within(client, reference_data):
    """``within`` inside a query on involvements (Django aliases the incident
    table there): once a 500, now the same numbers as the equal bbox."""
    square = "POLYGON((40 34.5, 41 34.5, 41 35.5, 40 35.5, 40 34.5))"
    within = client.get("/api/v1/stats/actors/", {"within": square})
    bbox = client.get("/api/v1/stats/actors/", {"bbox": "40,34.5,41,35.5"})
    assert within.status_code == bbox.status_code == 200
    assert within.json() == bbox.json()
    assert within.json()["results"]
