"""The clusters API (/api/v1/incidents/clusters/): counts that add up to the incidents
API's, a grid that merges near points when zoomed out and splits them when zoomed
in, published incidents only, every filter honoured, strict parameters, and one
query whatever the number of rows."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.clusters.grid import (
    TooManyCells,
    cell_size,
    incident_clusters,
)
from incidents.models import Incident

pytestmark = pytest.mark.django_db

CLUSTERS = "/api/v1/incidents/clusters/"
INCIDENTS = "/api/v1/incidents/"


def get(client, url=CLUSTERS, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def errors(client, **params) -> dict:
    response = client.get(CLUSTERS, params)
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def summed(body: dict) -> int:
    return sum(f["properties"]["count"] for f in body["features"])


def listed(client, **params) -> int:
    """How many incidents /api/v1/incidents/ counts under the same filters."""
    return get(client, INCIDENTS, page_size="1", **params)["count"]


@pytest.fixture
def spread(make):
    """Incidents of several kinds, places and dates, two of them unplaced."""
    omar = make.site(slug="al-omar", latitude=35.0, longitude=40.5)
    asad = make.site(slug="ain-al-asad", country="IQ", latitude=33.8, longitude=42.4)
    for i, (lat, lon) in enumerate(
        [(35.0, 40.5), (35.01, 40.52), (33.8, 42.4), (33.79, 42.41), (36.5, 41.0)]
    ):
        make.incident(
            sites=[omar if lon < 42 else asad],
            latitude=lat,
            longitude=lon,
            occurred_on=day("2023-10-20") + datetime.timedelta(days=10 * i),
            weapon=["drone", "rocket"][i % 2],
            country="SY" if lon < 42 else "IQ",
        )
    make.incident(latitude=None, longitude=None, weapon="drone")
    make.incident(latitude=None, longitude=None, occurred_on=day("2024-03-01"))
    make.incident(latitude=35.0, longitude=40.5, status="draft")


def test_a_feature_collection_of_cells(client, spread):
    body = get(client, zoom="3")

    assert body["type"] == "FeatureCollection"
    assert body["zoom"] == 3
    assert body["cell_deg"] == pytest.approx(60 * 360 / (256 * 8))
    assert body["count"] == 5
    assert body["unplaced"] == 2
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        min_lon, min_lat, max_lon, max_lat = feature["properties"]["bbox"]
        assert min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"weapon": "drone"},
        {"date_from": "2023-10-25", "date_to": "2023-11-25"},
        {"bbox": "40,34,41,36"},
        {"country": "IQ"},
        {"site": "al-omar"},
        {"near": "40.5,35", "radius_km": "10"},
        {"confidence": "reported"},
        {"confidence": "confirmed"},
        {"q": "never-matches"},
        {"updated_since": "2000-01-01T00:00:00Z", "event_type": "attack"},
    ],
)
@pytest.mark.parametrize("zoom", ["0", "5", "12"])
def test_counts_add_up_to_the_incidents_api(client, spread, params, zoom):
    body = get(client, zoom=zoom, **params)

    assert summed(body) == body["count"]
    if "bbox" in params or "near" in params:
        # Only placed incidents can be in a box or near a point.
        assert body["count"] == listed(client, **params)
    else:
        assert body["count"] + body["unplaced"] == listed(client, **params)
        assert body["count"] == listed(client, bbox="-180,-90,180,90", **params)


def test_filters_are_honoured(client, spread):
    assert get(client, zoom="5", weapon="drone")["count"] == 3
    assert get(client, zoom="5", weapon="drone")["unplaced"] == 1
    dated = get(client, zoom="5", date_from="2023-10-25", date_to="2023-11-25")
    assert dated["count"] == 3
    assert dated["unplaced"] == 1  # the drone, on the default 2023-11-15
    boxed = get(client, zoom="5", bbox="42,33,43,34")
    assert boxed["count"] == 2
    for feature in boxed["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 42 <= lon <= 43 and 33 <= lat <= 34
    # The box limits placed incidents only: the unplaced are still counted.
    assert boxed["unplaced"] == 2
    # Uncited incidents are "reported"; the annotation must not split the cells.
    reported = get(client, zoom="0", confidence="reported")
    assert (reported["count"], len(reported["features"])) == (5, 1)
    assert get(client, zoom="0", confidence="confirmed")["count"] == 0


def test_near_points_merge_when_zoomed_out_and_split_when_zoomed_in(client, make):
    a = make.incident(latitude=35.001, longitude=40.001)
    b = make.incident(latitude=35.011, longitude=40.021)

    merged = get(client, zoom="4")["features"]
    assert len(merged) == 1
    (cluster,) = merged
    assert cluster["properties"]["count"] == 2
    assert "incident" not in cluster["properties"]
    assert cluster["properties"]["bbox"] == [40.001, 35.001, 40.021, 35.011]
    assert cluster["geometry"]["coordinates"] == [40.011, 35.006]

    split = get(client, zoom="14")["features"]
    assert len(split) == 2
    assert {f["properties"]["incident"] for f in split} == {a.pk, b.pk}
    for feature in split:
        assert feature["properties"]["count"] == 1
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["properties"]["bbox"] == [lon, lat, lon, lat]


def test_cells_are_anchored_to_the_world_not_the_view(client, make):
    # Two points either side of a cell edge at zoom 6 stay apart in any view.
    cell = cell_size(6)
    edge_lon = -180 + cell * round((40 + 180) / cell)
    make.incident(latitude=35.0, longitude=edge_lon - 0.01)
    make.incident(latitude=35.0, longitude=edge_lon + 0.01)
    for bbox in ("-180,-90,180,90", f"{edge_lon - 1},34,{edge_lon + 1},36"):
        features = get(client, zoom="6", bbox=bbox)["features"]
        assert [f["properties"]["count"] for f in features] == [1, 1]


def test_points_on_the_edges_of_the_world(client, make):
    for lat, lon in [(-90, -180), (90, 180), (0, 0), (-89.9, 179.9)]:
        make.incident(latitude=lat, longitude=lon)
    for zoom in ("0", "1", "20"):
        body = get(client, zoom=zoom)
        assert body["count"] == summed(body) == 4


def test_singletons_carry_their_incident_id(client, make):
    lone = make.incident(latitude=33.3, longitude=44.4)
    make.incident(latitude=36.0, longitude=38.0)
    make.incident(latitude=36.0, longitude=38.0)

    features = get(client, zoom="6")["features"]
    by_count = {f["properties"]["count"]: f["properties"] for f in features}
    assert by_count[1]["incident"] == lone.pk
    assert by_count[1]["bbox"] == [44.4, 33.3, 44.4, 33.3]
    assert "incident" not in by_count[2]


@pytest.mark.parametrize(
    "params",
    # Box and dates only are merged from the rollup; a weapon filter groups rows.
    [{}, {"date_from": "2023-01-01"}, {"weapon": "drone,rocket,unknown"}],
)
def test_singletons_carry_their_weapon_to_be_drawn_as_incidents(client, make, params):
    drone = make.incident(latitude=33.3, longitude=44.4, weapon="drone")
    make.incident(latitude=36.0, longitude=38.0, weapon="rocket")
    make.incident(latitude=36.0, longitude=38.0, weapon="drone")
    unknown = make.incident(latitude=30.0, longitude=47.0, weapon="unknown")

    features = get(client, zoom="5", **params)["features"]
    singles = {
        f["properties"]["incident"]: f["properties"].get("weapon")
        for f in features
        if f["properties"]["count"] == 1
    }
    assert singles == {drone.pk: "drone", unknown.pk: "unknown"}
    pair = next(f["properties"] for f in features if f["properties"]["count"] == 2)
    assert "weapon" not in pair


@pytest.mark.parametrize("status", ["draft", "review", "retracted"])
def test_unpublished_incidents_are_never_counted_even_for_staff(client, make, status):
    make.incident(latitude=35.0, longitude=40.0, status=status)
    make.incident(latitude=None, longitude=None, status=status)
    make.incident(latitude=35.0, longitude=40.0)
    staff = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")

    for who in (None, staff):
        if who:
            client.force_login(who)
        body = get(client, zoom="2", updated_since="2000-01-01T00:00:00Z")
        assert (body["count"], body["unplaced"]) == (1, 0)
        # Status is not a parameter here, for anyone.
        assert "status" in errors(client, zoom="2", status=status)


def test_no_incidents_at_all(client, db):
    body = get(client, zoom="0")
    assert body == {
        "type": "FeatureCollection",
        "count": 0,
        "unplaced": 0,
        "zoom": 0,
        "cell_deg": 60 * 360 / 256,
        "features": [],
    }


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({}, "zoom"),
        ({"zoom": ""}, "zoom"),
        ({"zoom": "-1"}, "zoom"),
        ({"zoom": "21"}, "zoom"),
        ({"zoom": "5.0"}, "zoom"),
        ({"zoom": "five"}, "zoom"),
        ({"zoom": "٥"}, "zoom"),  # Arabic-Indic digit
        ({"zoom": "99999999999999999999"}, "zoom"),
        ({"zoom": "5", "bbox": "1,2,3"}, "bbox"),
        ({"zoom": "5", "bbox": "50,30,40,35"}, "bbox"),
        ({"zoom": "5", "bbox": "40,30,50,95"}, "bbox"),
        ({"zoom": "5", "bbox": "nan,30,50,35"}, "bbox"),
        ({"zoom": "5", "zom": "5"}, "zom"),
        ({"zoom": "5", "page_size": "10"}, "page_size"),
        ({"zoom": "5", "format": "csv"}, "format"),
        ({"zoom": "5", "weapon": "laser"}, "weapon"),
        (
            {"zoom": "5", "date_from": "2024-01-02", "date_to": "2024-01-01"},
            "date_from",
        ),
        ({"zoom": "5", "near": "40,35"}, "radius_km"),
        ({"zoom": "5", "site": "no-such-site"}, "site"),
        ({"zoom": "5", "actor": "no-such-actor"}, "actor"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, db, params, name):
    assert name in errors(client, **params)


def test_a_repeated_zoom_is_refused(client, db):
    response = client.get(CLUSTERS + "?zoom=3&zoom=4")
    assert response.status_code == 400
    assert "zoom" in response.json()["errors"]


def test_clusters_is_not_taken_for_an_incident_id(client, db):
    response = client.get(CLUSTERS, {"zoom": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"


def grouping(captured: CaptureQueriesContext) -> list[dict]:
    """The queries but the one every API read makes first: the data version
    (incidents.api.caching), a single primary-key read, asserted as such."""
    version = [q for q in captured.captured_queries if "dataversion" in q["sql"]]
    assert len(version) == 1
    return [q for q in captured.captured_queries if q not in version]


def test_one_query_whatever_the_number_of_rows(client, make):
    def add(n: int, offset: int):
        for i in range(n):
            make.incident(
                latitude=30 + (i + offset) * 0.37 % 7,
                longitude=38 + (i + offset) * 0.53 % 9,
            )
        make.incident(latitude=None, longitude=None)

    add(3, 0)
    params = {"zoom": "7", "bbox": "35,29,49,38", "weapon": "rocket,drone"}
    with CaptureQueriesContext(connection) as few:
        small = get(client, **params)
    assert len(grouping(few)) == 1

    add(60, 3)
    with CaptureQueriesContext(connection) as many:
        large = get(client, **params)
    assert len(grouping(many)) == 1
    assert large["count"] == 63 and small["count"] == 3
    assert large["unplaced"] == 2
    # The grouping happens in SQL: the query groups and the rows are cells.
    (query,) = grouping(many)
    assert "GROUP BY" in query["sql"].upper()
    assert len(large["features"]) < large["count"]


def test_selector_refuses_an_impossible_zoom(db):
    with pytest.raises(ValueError, match="zoom"):
        incident_clusters(queryset=Incident.objects.published(), zoom=21)


def test_documented_in_the_schema(client):
    response = client.get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    operation = response.json()["paths"][CLUSTERS]["get"]
    assert operation["operationId"] == "incident_clusters"
    names = {param["name"] for param in operation["parameters"]}
    assert names == set(
        "zoom bbox date_from date_to site actor weapon event_type country confidence "
        "q near radius_km within located updated_since".split()
    )
    body = operation["responses"]["200"]["content"]["application/geo+json"]["schema"]
    assert {"count", "unplaced", "zoom", "cell_deg", "features"} <= set(
        body["properties"]
    )


def test_more_clusters_than_allowed_is_a_400_naming_zoom_and_bbox(
    client, make, monkeypatch
):
    monkeypatch.setattr("incidents.clusters.grid.MAX_CLUSTERS", 2)
    for lon in (40.0, 41.0, 42.0):
        make.incident(status="published", latitude=35.0, longitude=lon)
    make.incident(status="published")  # unplaced: never a cluster
    refused = client.get(CLUSTERS, {"zoom": 10})  # three cells
    assert refused.status_code == 400
    assert {"zoom", "bbox"} <= set(refused.json()["errors"])
    assert "more than 2 clusters" in refused.json()["errors"]["zoom"]
    # Fewer cells (a lower zoom, or a smaller box) are fine.
    for params in ({"zoom": 2}, {"zoom": 10, "bbox": "39.5,34.5,41.5,35.5"}):
        fine = client.get(CLUSTERS, params)
        assert fine.status_code == 200, params
        assert len(fine.json()["features"]) <= 2
    with pytest.raises(TooManyCells):
        incident_clusters(queryset=Incident.objects.published(), zoom=20)
