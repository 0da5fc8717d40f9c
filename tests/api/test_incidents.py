"""GET /api/v1/incidents/: every filter alone and combined, ordering, pagination,
CSV, the sync feed, detail routes and the query count.

Small hand-made data sets give exact expectations; the reference data gives
realistic ones (Arabic and Latin search, the Islamic Resistance umbrella, radius
searches around Al-Omar). Distances are checked against a haversine written here,
not the one in ``incidents.selectors``.
"""

import csv
import datetime
import io
import math
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import Actor, Incident, Involvement, Source
from incidents.upkeep import rollup

pytestmark = pytest.mark.django_db

LIST = "/api/v1/incidents/"
EARTH_RADIUS_KM = 6371.0088
AL_OMAR = (40.57583, 35.15167)  # lon, lat
D = datetime.date


# --- helpers --------------------------------------------------------------------------


def fetch(client, params=None, status=200) -> dict:
    response = client.get(LIST, params or {})
    assert response.status_code == status, response.content[:500]
    return orjson.loads(response.content)


def ids(document: dict) -> list[int]:
    return [f["id"] for f in document["features"]]


def id_set(client, params=None) -> set[int]:
    document = fetch(client, {**(params or {}), "page_size": 10000})
    assert document["count"] == len(document["features"])
    return set(ids(document))


def haversine_km(lon1, lat1, lon2, lat2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def destination(lon, lat, bearing_deg, distance_km) -> tuple[float, float]:
    """The point ``distance_km`` from (lon, lat) on the initial ``bearing_deg``."""
    delta = distance_km / EARTH_RADIUS_KM
    theta = math.radians(bearing_deg)
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta)
        + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    )
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(lmb2), math.degrees(phi2)


def test_own_haversine_and_destination_agree():
    lon, lat = destination(40.0, 35.0, 60, 30.0)
    assert haversine_km(40.0, 35.0, lon, lat) == pytest.approx(30.0, abs=1e-6)
    # One degree of latitude is about 111.19 km on the mean sphere.
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.001)


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def set_updated_at(incident: Incident, when: datetime.datetime) -> None:
    """``updated_at`` is auto_now; a queryset update sets it without save()."""
    Incident.objects.filter(pk=incident.pk).update(updated_at=when)


# --- a small world with exact expectations --------------------------------------------

WEAPONS = ["rocket", "drone", "missile", "mortar"]
POINTS = [(40.0, 35.0), (40.5, 35.5), (42.4, 33.8), None]
CONFIDENCES = ["confirmed", "reported", "claimed", "disputed"]
WORDS = ["tanker", "hangar", "convoy"]


@pytest.fixture
def world(make):
    """24 published incidents whose attributes vary independently, plus the
    expected attributes of each, to compute expectations in Python."""
    sites = {
        "north": make.site(slug="north", name="North Base", country="SY"),
        "south": make.site(
            slug="south", name="South Field", country="IQ", latitude=33.8
        ),
        "nowhere": make.site(
            slug="nowhere", name="Nowhere", latitude=None, longitude=None
        ),
    }
    umbrella = make.actor(slug="umbrella", name="Umbrella Front")
    member = make.actor(slug="member", name="Member Brigade", parent=umbrella)
    grandchild = make.actor(slug="grandchild", name="Cell Seven", parent=member)
    other = make.actor(slug="other", name="Other Group")
    actors = [umbrella, member, grandchild, other, None]
    official = make.source(kind=Source.Kind.OFFICIAL)
    news = make.source(kind=Source.Kind.NEWS)
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL)
    citations = {
        "confirmed": [(official, "confirms"), (news, "reports")],
        "reported": [(news, "reports")],
        "claimed": [(channel, "claims")],
        "disputed": [(official, "denies"), (news, "reports")],
    }
    rows = {}
    for i in range(24):
        point = POINTS[(i // 2) % 4]
        site_key = ["north", "south", "nowhere", None][i % 4 if i % 5 else 3]
        actor = actors[i % 5]
        attrs = {
            "occurred_on": D(2023, 11, 1) + datetime.timedelta(days=i),
            "weapon": WEAPONS[i % 4],
            "event_type": "attack" if i % 3 else "interception",
            "country": "SY" if i % 2 == 0 else "IQ",
            "point": point,
            "site": site_key,
            "actors": {a.slug for a in [actor] if a},
            "confidence": CONFIDENCES[(i // 3) % 4],
            "word": WORDS[i % 3],
        }
        incident = make.incident(
            occurred_on=attrs["occurred_on"],
            weapon=attrs["weapon"],
            event_type=attrs["event_type"],
            country=attrs["country"],
            longitude=point[0] if point else None,
            latitude=point[1] if point else None,
            summary=f"Report {i}: the {attrs['word']} was hit",
            sites=[sites[site_key]] if site_key else [],
            involvements=[(actor, "claimed_by")] if actor else [],
            citations=citations[attrs["confidence"]],
        )
        rows[incident.pk] = attrs
    return rows


def expected(world, predicate) -> set[int]:
    return {pk for pk, attrs in world.items() if predicate(attrs)}


def in_bbox(point, bbox) -> bool:
    if point is None:
        return False
    min_lon, min_lat, max_lon, max_lat = bbox
    return min_lon <= point[0] <= max_lon and min_lat <= point[1] <= max_lat


# Each actor with everyone under it, at any depth.
UNDER = {
    "umbrella": {"umbrella", "member", "grandchild"},
    "member": {"member", "grandchild"},
}


def under(slugs: str) -> set[str]:
    return set().union(*(UNDER.get(slug, {slug}) for slug in slugs.split(",")))


PREDICATES = {
    "bbox": lambda v: lambda a: in_bbox(a["point"], [float(x) for x in v.split(",")]),
    "date_from": lambda v: lambda a: a["occurred_on"] >= D.fromisoformat(v),
    "date_to": lambda v: lambda a: a["occurred_on"] <= D.fromisoformat(v),
    "site": lambda v: lambda a: a["site"] in v.split(","),
    "actor": lambda v: lambda a: bool(a["actors"] & under(v)),
    "weapon": lambda v: lambda a: a["weapon"] in v.split(","),
    "event_type": lambda v: lambda a: a["event_type"] in v.split(","),
    "country": lambda v: lambda a: a["country"] in v.upper().split(","),
    "confidence": lambda v: lambda a: a["confidence"] in v.split(","),
    "q": lambda v: lambda a: a["word"] == v,
}


def predicate_for(params: dict):
    checks = [PREDICATES[k](v) for k, v in params.items() if k in PREDICATES]
    if "near" in params:
        lon, lat = (float(x) for x in params["near"].split(","))
        radius = float(params["radius_km"])
        checks.append(
            lambda a: (
                a["point"] is not None and haversine_km(lon, lat, *a["point"]) <= radius
            )
        )
    return lambda a: all(check(a) for check in checks)


SINGLE_FILTERS = [
    {"bbox": "39.9,34.9,40.1,35.1"},
    {"bbox": "39,33,43,36"},
    {"bbox": "40,35,40.5,35.5"},  # both points exactly on the edges
    {"bbox": "40,35,40,35"},  # a degenerate box: one point
    {"bbox": "40.000001,35,41,36"},  # just east of (40, 35)
    {"bbox": "-10,-10,10,10"},
    {"date_from": "2023-11-10"},
    {"date_to": "2023-11-10"},
    {"date_from": "2023-11-05", "date_to": "2023-11-05"},
    {"site": "north"},
    {"site": "south,nowhere"},
    {"actor": "other"},
    {"actor": "member"},
    {"actor": "grandchild"},
    {"actor": "umbrella"},
    {"actor": "grandchild,other"},
    {"weapon": "drone"},
    {"weapon": "drone,mortar"},
    {"event_type": "interception"},
    {"event_type": "attack,interception"},
    {"country": "SY"},
    {"country": "iq"},
    {"country": "SY,IQ"},
    {"country": "JO"},
    {"confidence": "confirmed"},
    {"confidence": "reported"},
    {"confidence": "claimed"},
    {"confidence": "disputed"},
    {"confidence": "claimed,disputed"},
    {"q": "tanker"},
    {"q": "convoy"},
    {"near": "40,35", "radius_km": "10"},
    {"near": "40,35", "radius_km": "100"},
    {"near": "42.4,33.8", "radius_km": "1"},
]


EVERYTHING = [{"event_type": "attack,interception"}, {"country": "SY,IQ"}]
NOTHING = [{"bbox": "-10,-10,10,10"}, {"country": "JO"}]


@pytest.mark.parametrize("params", SINGLE_FILTERS, ids=lambda p: str(p))
def test_each_filter_alone(client, world, params):
    want = expected(world, predicate_for(params))
    assert id_set(client, params) == want
    # The data set is built so that each case is a real test of the filter.
    if params in EVERYTHING:
        assert want == set(world)
    elif params in NOTHING:
        assert want == set()
    else:
        assert 0 < len(want) < len(world)


COMBINATIONS = [
    {"weapon": "drone", "country": "IQ"},
    {"weapon": "rocket,missile", "country": "SY", "date_from": "2023-11-05"},
    {"site": "north", "actor": "umbrella"},
    {"site": "north,south", "confidence": "confirmed,claimed", "q": "hangar"},
    {"bbox": "39,33,43,36", "date_to": "2023-11-15", "event_type": "attack"},
    {"near": "40,35", "radius_km": "100", "weapon": "rocket"},
    {"near": "40,35", "radius_km": "100", "bbox": "40.2,35.2,41,36"},
    {"actor": "member", "date_from": "2023-11-03", "date_to": "2023-11-20"},
    {"q": "tanker", "country": "sy", "confidence": "reported,disputed"},
    {
        "bbox": "39,33,43,36",
        "date_from": "2023-11-02",
        "date_to": "2023-11-22",
        "site": "north,south",
        "actor": "umbrella,other",
        "weapon": "rocket,drone,missile",
        "event_type": "attack",
        "country": "SY,IQ",
        "confidence": "confirmed,reported,claimed",
        "q": "hangar",
        "near": "41,35",
        "radius_km": "400",
    },
]


@pytest.mark.parametrize("params", COMBINATIONS, ids=lambda p: ",".join(p))
def test_filters_combine_as_and(client, world, params):
    want = expected(world, predicate_for(params))
    got = id_set(client, params)
    assert got == want
    # Each filter narrows further: the combination is inside every single one.
    for name, value in params.items():
        if name in ("near", "radius_km"):
            continue
        assert got <= id_set(client, {name: value})


def test_combination_that_matches_nothing_is_an_empty_collection(client, world):
    document = fetch(client, {"weapon": "drone", "q": "convoy", "country": "SY"})
    assert expected(
        world, predicate_for({"weapon": "drone", "q": "convoy", "country": "SY"})
    ) == set(ids(document))
    document = fetch(client, {"country": "JO"})
    assert document == {
        "type": "FeatureCollection",
        "count": 0,
        "next": None,
        "previous": None,
        "features": [],
    }


def test_confidence_property_matches_the_confidence_filter(client, world):
    for level in CONFIDENCES:
        features = fetch(client, {"confidence": level})["features"]
        assert features
        assert {f["properties"]["confidence"] for f in features} == {level}


def test_incident_without_citations_is_reported(client, make):
    incident = make.incident()
    assert id_set(client, {"confidence": "reported"}) == {incident.pk}
    assert id_set(client, {"confidence": "confirmed,claimed,disputed"}) == set()


def test_claim_channel_confirming_is_not_confirmed(client, make):
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL)
    incident = make.incident(citations=[(channel, "confirms")])
    assert id_set(client, {"confidence": "confirmed"}) == set()
    assert id_set(client, {"confidence": "claimed"}) == {incident.pk}


# --- bbox edges -----------------------------------------------------------------------


def test_bbox_includes_points_on_every_edge_and_corner(client, make):
    inside = {
        make.incident(longitude=lon, latitude=lat).pk
        for lon, lat in [(39, 34), (41, 34), (39, 36), (41, 36), (40, 34), (39, 35)]
    }
    outside = {
        make.incident(longitude=lon, latitude=lat).pk
        for lon, lat in [(38.999999, 35), (41.000001, 35), (40, 33.999999), (40, 36.1)]
    }
    make.incident(longitude=None, latitude=None)
    assert id_set(client, {"bbox": "39,34,41,36"}) == inside
    assert not inside & outside


def test_bbox_at_the_limits_of_the_world(client, make):
    corners = {
        make.incident(longitude=lon, latitude=lat).pk
        for lon, lat in [(-180, -90), (180, 90), (0, 0)]
    }
    unplaced = make.incident(longitude=None, latitude=None).pk
    assert id_set(client, {"bbox": "-180,-90,180,90"}) == corners
    assert unplaced not in id_set(client, {"bbox": "-180,-90,180,90"})


# --- great-circle radius --------------------------------------------------------------


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 180, 225, 270, 315])
def test_near_a_point_30_km_away(client, make, bearing):
    centre = (40.0, 35.0)
    lon, lat = destination(*centre, bearing, 30.0)
    assert haversine_km(*centre, lon, lat) == pytest.approx(30.0, abs=1e-6)
    incident = make.incident(longitude=lon, latitude=lat)
    near = f"{centre[0]},{centre[1]}"
    assert id_set(client, {"near": near, "radius_km": "31"}) == {incident.pk}
    assert id_set(client, {"near": near, "radius_km": "30.05"}) == {incident.pk}
    assert id_set(client, {"near": near, "radius_km": "29.95"}) == set()
    assert id_set(client, {"near": near, "radius_km": "29"}) == set()


def test_near_is_great_circle_not_flat_degrees(client, make):
    # At 60°N a degree of longitude is about 55.6 km, not 111: a flat-degree
    # distance would put this point 55 km away; on the sphere it is 27.8 km.
    incident = make.incident(longitude=20.5, latitude=60.0)
    distance = haversine_km(20.0, 60.0, 20.5, 60.0)
    assert 27 < distance < 28.5
    assert id_set(client, {"near": "20,60", "radius_km": "29"}) == {incident.pk}
    assert id_set(client, {"near": "20,60", "radius_km": "27"}) == set()


def test_near_across_the_antimeridian(client, make):
    east = make.incident(longitude=179.9, latitude=0.0).pk
    west = make.incident(longitude=-179.9, latitude=0.0).pk
    make.incident(longitude=170.0, latitude=0.0)
    assert haversine_km(179.9, 0, -179.9, 0) < 23
    assert id_set(client, {"near": "179.9,0", "radius_km": "25"}) == {east, west}


def test_near_the_pole(client, make):
    across = make.incident(longitude=-170.0, latitude=89.5).pk
    here = make.incident(longitude=10.0, latitude=89.5).pk
    make.incident(longitude=10.0, latitude=80.0)
    assert haversine_km(10, 89.5, -170, 89.5) < 112
    assert id_set(client, {"near": "10,89.5", "radius_km": "120"}) == {across, here}


def test_within_a_polygon_as_wkt_or_geojson(client, make):
    inside = make.incident(longitude=40.5, latitude=35.0, weapon="drone")
    on_edge = make.incident(longitude=40.0, latitude=35.0, weapon="drone")
    # Inside the polygon's bounding box, outside the triangle: the exact test
    # must leave it out, not the box.
    in_box_only = make.incident(longitude=40.9, latitude=35.9, weapon="drone")
    make.incident(longitude=45.0, latitude=30.0, weapon="drone")
    make.incident(longitude=None, latitude=None, weapon="drone")
    triangle = "POLYGON((40 34, 41 34, 40 36, 40 34))"
    assert id_set(client, {"within": triangle}) == {inside.pk, on_edge.pk}
    geojson = orjson.dumps(
        {"type": "Polygon", "coordinates": [[[40, 34], [41, 34], [40, 36], [40, 34]]]}
    ).decode()
    assert id_set(client, {"within": geojson}) == {inside.pk, on_edge.pk}
    square = "POLYGON((40 34, 41 34, 41 36, 40 36, 40 34))"
    assert in_box_only.pk in id_set(client, {"within": square})
    # It combines with the other filters and pages like any of them.
    assert id_set(client, {"within": triangle, "weapon": "rocket"}) == set()
    page = fetch(client, {"within": triangle, "page_size": 1})
    assert page["count"] == 2 and len(page["features"]) == 1


def test_within_a_multipolygon(client, make):
    west = make.incident(longitude=38.5, latitude=33.5)
    east = make.incident(longitude=44.3, latitude=33.3)
    make.incident(longitude=41.0, latitude=34.0)
    both = (
        "MULTIPOLYGON(((38 33, 39 33, 39 34, 38 33)), ((44 33, 45 33, 45 34, 44 33)))"
    )
    assert id_set(client, {"within": both}) == {west.pk, east.pk}


def test_located_selects_incidents_with_or_without_a_point(client, make):
    placed = make.incident(longitude=40.0, latitude=35.0, weapon="drone")
    unplaced = make.incident(longitude=None, latitude=None, weapon="drone")
    make.incident(longitude=None, latitude=None, weapon="rocket")
    assert id_set(client, {"located": "true"}) == {placed.pk}
    assert id_set(client, {"located": "false", "weapon": "drone"}) == {unplaced.pk}
    assert len(id_set(client)) == 3


def test_near_leaves_out_unplaced_incidents(client, make):
    make.incident(longitude=None, latitude=None)
    assert id_set(client, {"near": "40,35", "radius_km": "2000"}) == set()


@pytest.mark.parametrize(
    "centre,radius_km,distance_km",
    [
        ((40.0, 35.0), 2000, 1990),
        (AL_OMAR, 1000, 999.5),
        (AL_OMAR, 300, 299.99),
        ((10.0, 60.0), 1000, 995),
    ],
)
def test_near_keeps_points_at_the_east_and_west_extremes(
    client, make, centre, radius_km, distance_km
):
    # The point of the circle furthest east is not due east of the centre: it lies
    # on a bearing below 90°, further east in longitude than r/cos(lat) says.
    best = max(
        (destination(*centre, b / 100, distance_km) for b in range(0, 18000)),
        key=lambda p: p[0],
    )
    assert haversine_km(*centre, *best) == pytest.approx(distance_km, abs=1e-6)
    east = make.incident(longitude=best[0], latitude=best[1]).pk
    mirrored = 2 * centre[0] - best[0]
    west = make.incident(longitude=mirrored, latitude=best[1]).pk
    near = f"{centre[0]},{centre[1]}"
    assert id_set(client, {"near": near, "radius_km": str(radius_km)}) == {east, west}


def test_near_al_omar_on_reference_data(client, reference_data):
    everything = fetch(client, {"page_size": 1000})["features"]
    placed = [f for f in everything if f["geometry"]]
    for radius in (1, 25, 35, 150, 300):
        want = {
            f["id"]
            for f in placed
            if haversine_km(*AL_OMAR, *f["geometry"]["coordinates"]) <= radius
        }
        got = id_set(client, {"near": "40.57583,35.15167", "radius_km": str(radius)})
        assert got == want, radius
    # Al-Omar itself (15) and Al-Mayadin (1), 18.5 km away; Conoco (12) is 31.7 km.
    assert len(id_set(client, {"near": "40.57583,35.15167", "radius_km": "25"})) == 16
    assert len(id_set(client, {"near": "40.57583,35.15167", "radius_km": "35"})) == 28
    al_omar = id_set(client, {"site": "al-omar"})
    assert al_omar <= id_set(client, {"near": "40.57583,35.15167", "radius_km": "1"})


# --- text search ----------------------------------------------------------------------


def test_q_matches_summary_case_and_diacritics_insensitive(client, make):
    hit = make.incident(summary="Drones struck the Hangar near ĀIN-al-Asad").pk
    make.incident(summary="Rockets fell short")
    for text in ("hangar", "HANGAR", "Ain al Asad", "ain-al-asad", "āin"):
        assert id_set(client, {"q": text}) == {hit}, text


def test_q_arabic_variants_and_diacritics(client, make):
    hit = make.incident(summary="هجوم بطائرة مسيرة على قاعدة عين الأسد").pk
    make.incident(summary="هجوم على حقل العمر")
    for text in ("عين الأسد", "عين الاسد", "عَيْن الأَسَد", "عين الإسد", "مسيره"):
        assert id_set(client, {"q": text}) == {hit}, text


def test_q_every_word_must_match_anywhere(client, make):
    tanf = make.site(slug="tanf", name="Al-Tanf Garrison", name_ar="التنف")
    group = make.actor(slug="kh", name="Kataib Hezbollah", aliases=["KH"])
    both = make.incident(
        summary="one-way drone", sites=[tanf], involvements=[(group, "claimed_by")]
    ).pk
    drone_only = make.incident(summary="one-way drone").pk
    assert id_set(client, {"q": "drone"}) == {both, drone_only}
    assert id_set(client, {"q": "drone Tanf"}) == {both}
    assert id_set(client, {"q": "drone التنف"}) == {both}
    assert id_set(client, {"q": "hezbollah drone"}) == {both}
    assert id_set(client, {"q": "drone missile"}) == set()


def test_q_matches_site_and_actor_aliases(client, make):
    site = make.site(slug="omar", name="Al-Omar", aliases=["Green Village"])
    actor = make.actor(slug="iri", name="Islamic Resistance", aliases=["IRI"])
    at_site = make.incident(sites=[site]).pk
    by_actor = make.incident(involvements=[(actor, "claimed_by")]).pk
    make.incident()
    assert id_set(client, {"q": "green village"}) == {at_site}
    assert id_set(client, {"q": "iri"}) == {by_actor}


def test_q_treats_like_wildcards_literally(client, make):
    make.incident(summary="plain text")
    assert id_set(client, {"q": "plain_text"}) == set()
    assert id_set(client, {"q": "plain%text"}) == id_set(client, {"q": "plain text"})


@pytest.mark.parametrize(
    "variants",
    [
        ("عين الأسد", "عين الاسد", "عَيْن الأَسَد", "عين ٱلأسد"),
        ("Ain al-Asad", "ain al asad", "AIN AL-ASAD"),
    ],
)
def test_q_ain_al_asad_on_reference_data(client, reference_data, variants):
    at_site = set(
        Incident.objects.published()
        .filter(sites__slug="ain-al-asad")
        .values_list("pk", flat=True)
    )
    assert len(at_site) == 21
    results = [id_set(client, {"q": v}) for v in variants]
    assert all(r == results[0] for r in results), variants
    assert at_site <= results[0]
    assert len(results[0]) < 130


def test_q_actor_names_in_both_scripts_on_reference_data(client, reference_data):
    kh = set(
        Involvement.objects.filter(actor__slug="kataib-hezbollah").values_list(
            "incident_id", flat=True
        )
    )
    assert kh
    for text in ("كتائب حزب الله", "Kata'ib Hizballah", "kataib hizballah"):
        assert kh <= id_set(client, {"q": text}), text


def test_q_site_arabic_name_on_reference_data(client, reference_data):
    tanf = id_set(client, {"site": "al-tanf"})
    assert tanf
    assert tanf <= id_set(client, {"q": "التنف"})
    assert tanf <= id_set(client, {"q": "Al-Tanf"})
    al_omar = id_set(client, {"site": "al-omar"})
    assert al_omar
    assert al_omar <= id_set(client, {"q": "Green Village"})  # an alias
    assert al_omar <= id_set(client, {"q": "القرية الخضراء"})  # an Arabic alias


# --- actor umbrella on the reference data ---------------------------------------------


def test_actor_umbrella_includes_members_on_reference_data(client, reference_data):
    iri = Actor.objects.get(slug="islamic-resistance-in-iraq")
    members = list(iri.members.values_list("slug", flat=True))
    assert "kataib-hezbollah" in members
    direct = set(
        Involvement.objects.filter(actor=iri).values_list("incident_id", flat=True)
    )
    through_members = set(
        Involvement.objects.filter(actor__parent=iri).values_list(
            "incident_id", flat=True
        )
    )
    got = id_set(client, {"actor": "islamic-resistance-in-iraq"})
    assert got == direct | through_members
    assert through_members - direct, "a member-only incident proves the umbrella"
    kh = id_set(client, {"actor": "kataib-hezbollah"})
    assert kh and kh <= got
    assert not (direct - through_members) <= kh  # a member does not widen upwards


def test_reference_filters_match_the_database(client, reference_data):
    published = Incident.objects.published()
    cases = {
        (("country", "SY"),): published.filter(country="SY"),
        (("country", "IQ"),): published.filter(country="IQ"),
        (("weapon", "drone"),): published.filter(weapon="drone"),
        (("event_type", "attack"),): published.filter(event_type="attack"),
        (("date_from", "2023-11-01"), ("date_to", "2023-11-10")): published.filter(
            occurred_on__range=(D(2023, 11, 1), D(2023, 11, 10))
        ),
        (("site", "conoco"),): published.filter(sites__slug="conoco"),
    }
    for params, queryset in cases.items():
        want = set(queryset.values_list("pk", flat=True))
        assert want, params
        assert id_set(client, dict(params)) == want, params


# --- ordering -------------------------------------------------------------------------


@pytest.fixture
def dated(make):
    """Five incidents on three days, two pairs sharing a day."""
    days = [D(2023, 11, 2), D(2023, 11, 1), D(2023, 11, 3), D(2023, 11, 2)]
    rows = [make.incident(occurred_on=day) for day in days]
    rows.append(make.incident(occurred_on=D(2023, 11, 1)))
    return rows


def test_default_order_is_newest_first_then_highest_id(client, dated):
    want = sorted(dated, key=lambda i: (i.occurred_on, i.pk), reverse=True)
    assert ids(fetch(client)) == [i.pk for i in want]


def test_ordering_oldest_first(client, dated):
    want = sorted(dated, key=lambda i: (i.occurred_on, i.pk))
    assert ids(fetch(client, {"ordering": "occurred_on"})) == [i.pk for i in want]
    want.reverse()
    assert ids(fetch(client, {"ordering": "-occurred_on"})) == [i.pk for i in want]


def test_ordering_by_updated_at(client, dated):
    base = timezone.now() - datetime.timedelta(days=1)
    stamps = [3, 1, 4, 0, 2]
    for incident, hours in zip(dated, stamps, strict=True):
        set_updated_at(incident, base + datetime.timedelta(hours=hours))
    by_update = [dated[i].pk for i in (3, 1, 4, 0, 2)]
    assert ids(fetch(client, {"ordering": "updated_at"})) == by_update
    assert ids(fetch(client, {"ordering": "-updated_at"})) == by_update[::-1]
    # The sync feed defaults to oldest change first, so a client can resume.
    since = (base - datetime.timedelta(hours=1)).isoformat()
    assert ids(fetch(client, {"updated_since": since})) == by_update


# --- pagination -----------------------------------------------------------------------


def bulk_incidents(count: int) -> list[int]:
    """``count`` published incidents in one insert. ``bulk_create`` sends no
    signals, so, like the app's own bulk writers, it counts them into the clusters'
    rollup itself (which the list's count may read)."""
    day = D(2023, 11, 1)
    created = Incident.objects.bulk_create(
        Incident(
            occurred_on=day + datetime.timedelta(days=n % 30),
            event_type="attack",
            weapon="drone",
            status="published",
            country="IQ",
            latitude=33.0,
            longitude=43.0,
        )
        for n in range(count)
    )
    rollup.add_incidents(incident.pk for incident in created)
    return list(Incident.objects.values_list("pk", flat=True))


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_default_page_size_is_100_with_links_and_total(client, db):
    all_ids = bulk_incidents(101)
    first = fetch(client)
    assert first["count"] == 101
    assert len(first["features"]) == 100
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/incidents/?")
    assert query_of(first["next"]) == {"page": "2"}
    second = orjson.loads(client.get(first["next"]).content)
    assert second["count"] == 101
    assert len(second["features"]) == 1
    assert second["next"] is None
    assert query_of(second["previous"]) == {"page": "1"}
    assert set(ids(first)) | set(ids(second)) == set(all_ids)


def test_maximum_page_size_is_accepted(client, db):
    bulk_incidents(120)
    document = fetch(client, {"page_size": "10000"})
    assert len(document["features"]) == 120
    assert document["next"] is None
    fetch(client, {"page_size": "10001"}, status=400)


def test_following_next_links_visits_every_row_once_in_order(client, dated, make):
    for _ in range(6):
        make.incident(occurred_on=D(2023, 11, 2))
    unpaged = ids(fetch(client, {"page_size": 1000, "weapon": "rocket"}))
    seen, url, pages = [], LIST + "?page_size=3&weapon=rocket", 0
    while url:
        document = orjson.loads(client.get(url).content)
        assert document["count"] == len(unpaged)
        assert len(document["features"]) <= 3
        seen += ids(document)
        if document["next"]:
            assert query_of(document["next"])["weapon"] == "rocket"
            assert query_of(document["next"])["page_size"] == "3"
        url, pages = document["next"], pages + 1
    assert pages == math.ceil(len(unpaged) / 3) == 4
    assert seen == unpaged


def test_previous_link_goes_back(client, dated):
    page3 = fetch(client, {"page_size": 2, "page": 3})
    assert page3["next"] is None
    assert query_of(page3["previous"]) == {"page_size": "2", "page": "2"}
    page2 = orjson.loads(client.get(page3["previous"]).content)
    assert query_of(page2["previous"]) == {"page_size": "2", "page": "1"}
    assert query_of(page2["next"]) == {"page_size": "2", "page": "3"}


def test_page_past_the_end_is_404(client, dated):
    fetch(client, {"page_size": 2, "page": 3})
    response = client.get(LIST, {"page_size": 2, "page": 4})
    assert response.status_code == 404
    assert "detail" in orjson.loads(response.content)


def test_empty_result_has_a_page_one_but_no_page_two(client, db):
    assert fetch(client)["count"] == 0
    assert client.get(LIST, {"page": 2}).status_code == 404


# --- CSV ------------------------------------------------------------------------------

CSV_HEADER = [
    "id",
    "occurred_on",
    "date_precision",
    "event_type",
    "weapon",
    "longitude",
    "latitude",
    "precision_m",
    "country",
    "admin1",
    "injured",
    "killed",
    "confidence",
    "status",
    "sites",
    "actors",
    "source_urls",
    "summary",
    "external_id",
    "updated_at",
    "merged_into",
]


@pytest.mark.parametrize(
    "params",
    [{}, {"country": "IQ"}, {"q": "hangar", "weapon": "rocket,drone"}],
    ids=["all", "country", "q+weapon"],
)
def test_csv_has_the_same_rows_as_geojson(client, world, params):
    document = fetch(client, {**params, "page_size": 1000})
    response = client.get(LIST, {**params, "page_size": 1000, "format": "csv"})
    rows = read_csv(response)
    assert response["X-Total-Count"] == str(document["count"])
    assert "attachment" in response["Content-Disposition"]
    assert [int(r["id"]) for r in rows] == ids(document)
    for row, feature in zip(rows, document["features"], strict=True):
        props = feature["properties"]
        assert row["occurred_on"] == props["occurred_on"]
        assert row["weapon"] == props["weapon"]
        assert row["country"] == props["country"]
        assert row["confidence"] == props["confidence"]
        assert row["summary"] == props["summary"]
        assert row["sites"] == " ; ".join(s["slug"] for s in props["sites"])
        if feature["geometry"] is None:
            assert (row["longitude"], row["latitude"]) == ("", "")
        else:
            lon, lat = feature["geometry"]["coordinates"]
            assert (float(row["longitude"]), float(row["latitude"])) == (lon, lat)


def test_csv_header(client, make):
    make.incident()
    response = client.get(LIST, {"format": "csv"})
    assert response.content.decode().splitlines()[0].split(",") == CSV_HEADER
    client_rows = read_csv(response)
    assert len(client_rows) == 1


def test_csv_of_nothing_is_just_the_header(client, db):
    response = client.get(LIST, {"format": "csv"})
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [",".join(CSV_HEADER)]
    assert response["X-Total-Count"] == "0"


@pytest.mark.parametrize(
    "summary",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
    ],
)
def test_csv_guards_against_formula_injection(client, make, summary):
    make.incident(summary=summary, admin1=summary, external_id=summary)
    (row,) = read_csv(client.get(LIST, {"format": "csv"}))
    for column in ("summary", "admin1", "external_id"):
        assert row[column] == "'" + summary, column
        assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("path", [LIST, LIST + "export/"])
def test_csv_guards_the_joined_cells_too(client, make, path):
    """Sites, actors and source URLs are text from the data as well: a slug may
    start with "-" and a source row's URL is whatever was stored."""
    hostile = '=HYPERLINK("http://evil.example","x")'
    make.incident(
        sites=[make.site(slug="-2-cmd")],
        involvements=[(make.actor(slug="-1-cmd"), "claimed_by")],
        citations=[(make.source(url=hostile), "reports")],
    )
    response = client.get(path, {"format": "csv"})
    assert response.status_code == 200
    body = getattr(response, "streaming_content", None)
    text = b"".join(body) if body is not None else response.content
    (row,) = csv.DictReader(io.StringIO(text.decode("utf-8")))
    assert row["sites"] == "'-2-cmd"
    assert row["actors"] == "'-1-cmd:claimed_by"
    assert row["source_urls"] == "'" + hostile


def test_csv_leaves_ordinary_text_alone(client, make):
    make.incident(summary='Two drones; "minor" damage, 3 injured\nSecond line')
    (row,) = read_csv(client.get(LIST, {"format": "csv"}))
    assert row["summary"] == 'Two drones; "minor" damage, 3 injured\nSecond line'


def test_csv_is_paginated_like_geojson(client, dated):
    response = client.get(LIST, {"format": "csv", "page_size": 2})
    rows = read_csv(response)
    assert len(rows) == 2
    assert response["X-Total-Count"] == "5"
    assert 'rel="next"' in response["Link"]
    assert "format=csv" in response["Link"]
    geo = fetch(client, {"page_size": 2})
    assert [int(r["id"]) for r in rows] == ids(geo)


# --- sync -----------------------------------------------------------------------------


@pytest.fixture
def synced(make):
    """Incidents changed before and after a cut-off; one retracted, one draft."""
    cut = timezone.now() - datetime.timedelta(days=1)
    before, after = cut - datetime.timedelta(hours=2), cut + datetime.timedelta(hours=2)
    rows = {
        "old": make.incident(summary="old news"),
        "new": make.incident(summary="fresh news"),
        "retracted": make.incident(
            status="retracted", summary="RETRACTED-SECRET text", admin1="Secretia"
        ),
        "old_retracted": make.incident(status="retracted", summary="OLD-RETRACTED"),
        "draft": make.incident(status="draft", summary="DRAFT-SECRET text"),
        "review": make.incident(status="review", summary="REVIEW-SECRET text"),
    }
    for key, incident in rows.items():
        set_updated_at(incident, before if key.startswith("old") else after)
    rows["cut"] = cut
    return rows


def test_updated_since_returns_changes_and_tombstones(client, synced):
    response = client.get(LIST, {"updated_since": synced["cut"].isoformat()})
    document = orjson.loads(response.content)
    assert set(ids(document)) == {synced["new"].pk, synced["retracted"].pk}
    assert document["count"] == 2
    body = response.content.decode()
    for secret in ("RETRACTED-SECRET", "Secretia", "DRAFT-SECRET", "REVIEW-SECRET"):
        assert secret not in body


def test_tombstone_has_only_id_status_updated_at(client, synced):
    document = fetch(client, {"updated_since": synced["cut"].isoformat()})
    (tombstone,) = [
        f for f in document["features"] if f["id"] == synced["retracted"].pk
    ]
    assert tombstone["geometry"] is None
    assert set(tombstone["properties"]) == {"id", "status", "updated_at"}
    assert tombstone["properties"]["status"] == "retracted"
    assert tombstone["properties"]["id"] == synced["retracted"].pk
    stamp = datetime.datetime.fromisoformat(tombstone["properties"]["updated_at"])
    assert stamp > synced["cut"]
    assert set(tombstone) == {"type", "id", "geometry", "properties"}


def test_live_rows_in_the_sync_feed_are_full_features(client, synced):
    document = fetch(client, {"updated_since": synced["cut"].isoformat()})
    (live,) = [f for f in document["features"] if f["id"] == synced["new"].pk]
    assert live["properties"]["summary"] == "fresh news"
    assert live["properties"]["status"] == "published"
    assert live["geometry"]["coordinates"] == [40.0, 35.0]


def test_retracted_only_appear_in_the_sync_feed(client, synced):
    everything = id_set(client)
    assert everything == {synced["old"].pk, synced["new"].pk}
    assert synced["retracted"].pk not in id_set(client, {"country": "SY"})


def test_sync_feed_from_the_beginning_has_every_tombstone(client, synced):
    got = id_set(client, {"updated_since": "2000-01-01T00:00:00Z"})
    assert got == {synced[k].pk for k in ("old", "new", "retracted", "old_retracted")}


def test_sync_in_csv_keeps_tombstones_empty(client, synced):
    response = client.get(
        LIST, {"updated_since": synced["cut"].isoformat(), "format": "csv"}
    )
    rows = {int(r["id"]): r for r in read_csv(response)}
    assert set(rows) == {synced["new"].pk, synced["retracted"].pk}
    tomb = rows[synced["retracted"].pk]
    assert tomb["status"] == "retracted"
    assert tomb["summary"] == tomb["admin1"] == tomb["sites"] == ""
    assert tomb["updated_at"]
    assert b"RETRACTED-SECRET" not in response.content
    assert b"DRAFT-SECRET" not in response.content


def test_updated_since_boundary_and_time_zones(client, make):
    incident = make.incident()
    stamp = datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.UTC)
    set_updated_at(incident, stamp)
    included = [
        "2024-01-01T12:00:00Z",
        "2024-01-01T12:00:00",  # no offset: UTC
        "2024-01-01T12:00:00+00:00",
        "2024-01-01T13:00:00+01:00",
        "2024-01-01T11:59:59Z",
        "2024-01-01",
    ]
    excluded = ["2024-01-01T12:00:01Z", "2024-01-01T12:00:00-01:00"]
    for text in included:
        assert id_set(client, {"updated_since": text}) == {incident.pk}, text
    for text in excluded:
        assert id_set(client, {"updated_since": text}) == set(), text


def test_updated_since_follows_a_save(client, make):
    incident = make.incident(summary="v1")
    set_updated_at(incident, timezone.now() - datetime.timedelta(days=2))
    cut = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert id_set(client, {"updated_since": cut}) == set()
    incident.refresh_from_db()
    incident.summary = "v2"
    incident.save()
    assert id_set(client, {"updated_since": cut}) == {incident.pk}
    incident.status = "retracted"
    incident.save()
    (feature,) = fetch(client, {"updated_since": cut})["features"]
    assert feature["properties"] == {
        "id": incident.pk,
        "status": "retracted",
        "updated_at": feature["properties"]["updated_at"],
    }


def test_sync_feed_combines_with_filters(client, synced, make):
    cut = synced["cut"].isoformat()
    iq = make.incident(country="IQ", summary="iraq")
    # Filters narrow the live rows; tombstones of every retraction in the window
    # come regardless, so they cannot be used to probe retracted content.
    assert id_set(client, {"updated_since": cut, "country": "IQ"}) == {
        iq.pk,
        synced["retracted"].pk,
    }


def test_tombstones_do_not_reveal_content_through_filters(client, synced):
    cut = synced["cut"].isoformat()
    with_secret = id_set(client, {"updated_since": cut, "q": "RETRACTED-SECRET"})
    without = id_set(client, {"updated_since": cut, "q": "nothing-like-it"})
    tombstones = {synced["retracted"].pk}
    assert with_secret & tombstones == without & tombstones


# --- detail ---------------------------------------------------------------------------


def test_detail_of_a_published_incident(client, make):
    site = make.site(slug="al-omar", name="Al-Omar")
    actor = make.actor(slug="iri", name="IRI")
    source = make.source(kind=Source.Kind.OFFICIAL, url="https://cent.example/1")
    incident = make.incident(
        summary="two drones",
        injured=0,
        killed=None,
        sites=[site],
        involvements=[(actor, "claimed_by")],
        citations=[(source, "confirms")],
    )
    response = client.get(reverse("api:incident-detail", args=[incident.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = orjson.loads(response.content)
    assert feature["type"] == "Feature"
    assert feature["id"] == incident.pk
    props = feature["properties"]
    assert props["summary"] == "two drones"
    assert props["injured"] == 0 and props["killed"] is None
    assert props["confidence"] == "confirmed"
    assert [s["slug"] for s in props["sites"]] == ["al-omar"]
    assert [(a["slug"], a["role"]) for a in props["actors"]] == [("iri", "claimed_by")]
    assert [s["url"] for s in props["sources"]] == ["https://cent.example/1"]
    listed = fetch(client)["features"][0]
    assert listed == feature


def test_detail_unknown_id_is_404(client, make):
    incident = make.incident()
    for missing in (incident.pk + 1000, 0, 999999999999):
        response = client.get(f"{LIST}{missing}/")
        assert response.status_code == 404, missing
        assert "detail" in orjson.loads(response.content)


@pytest.mark.parametrize("bad", ["abc", "1.0", "-1", "0x1", "1e3", "1%20", "%201"])
def test_detail_non_numeric_id_is_400(client, make, bad):
    make.incident()
    response = client.get(f"{LIST}{bad}/")
    assert response.status_code == 400
    assert "id" in orjson.loads(response.content)["errors"]


def test_detail_rejects_query_parameters(client, make):
    incident = make.incident()
    response = client.get(f"{LIST}{incident.pk}/", {"format": "xml"})
    assert response.status_code == 400
    assert "format" in orjson.loads(response.content)["errors"]


# --- query count ----------------------------------------------------------------------


def _rich_incidents(make, actor, count: int) -> None:
    for n in range(count):
        make.incident(
            summary=f"incident {n}",
            sites=[make.site()],
            involvements=[(actor, "claimed_by")],
            citations=[(make.source(), "reports"), (make.source(), "confirms")],
        )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"format": "csv"},
        {"actor": "actor-x", "q": "incident", "near": "40,35", "radius_km": "50"},
        {"updated_since": "2000-01-01T00:00:00Z", "confidence": "confirmed"},
    ],
    ids=["plain", "csv", "filters", "sync"],
)
def test_query_count_does_not_grow_with_rows(
    client, make, django_assert_max_num_queries, params
):
    actor = make.actor(slug="actor-x")
    _rich_incidents(make, actor, 5)
    params = {**params, "page_size": 100}
    with CaptureQueriesContext(connection) as five:
        response = client.get(LIST, params)
    assert response.status_code == 200
    assert len(five) <= 10
    _rich_incidents(make, actor, 45)
    with django_assert_max_num_queries(len(five)):
        response = client.get(LIST, params)
    assert response.status_code == 200
    if params.get("format") == "csv":
        assert response["X-Total-Count"] == "50"
        assert len(read_csv(response)) == 50
    else:
        document = orjson.loads(response.content)
        assert document["count"] == len(document["features"]) == 50
        assert all(len(f["properties"]["sources"]) == 2 for f in document["features"])
