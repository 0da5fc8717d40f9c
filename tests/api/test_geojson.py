"""The API's GeoJSON against RFC 7946, checked by a validator written here.

The validator is deliberately independent of ``incidents.exports.geojson``: it reads the
raw response text (numbers parsed as ``Decimal``, so "at most 6 decimals" is
checked on what was actually sent) and applies the RFC's rules for a
FeatureCollection of Point features: member types, ``geometry`` present (``null``
allowed, section 3.2), ``properties`` an object or null, positions
``[longitude, latitude]`` with two finite numbers in range. Coordinate *order*
cannot be told from ranges alone in Iraq and Syria, so it is pinned by known
places (Al-Tanf at about [38.62, 33.51]) and by comparing every feature with the
database row it came from.
"""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from incidents.models import Incident, Site

pytestmark = pytest.mark.django_db

GEOJSON = "application/geo+json"
MAX_DECIMALS = 6
UNPLACED_SITES = {
    "qasrak",
    "union-iii",
    "mss-euphrates",
    "lafarge",
    "khirbat-adana",
    "al-malikiyah",
    "hemo",
}


class GeoJSONError(AssertionError):
    """The document breaks an RFC 7946 rule; the message says where and which."""


def _fail(where: str, message: str) -> None:
    raise GeoJSONError(f"{where}: {message}")


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def validate_position(position, where: str) -> None:
    if not isinstance(position, list):
        _fail(where, f"a position must be an array, got {type(position).__name__}")
    if len(position) != 2:
        _fail(where, f"expected [longitude, latitude], got {len(position)} numbers")
    for value in position:
        if not _is_number(value):
            _fail(where, f"{value!r} is not a number")
        if not Decimal(value).is_finite():
            _fail(where, f"{value!r} is not finite")
        exponent = Decimal(value).as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
            _fail(where, f"{value} has more than {MAX_DECIMALS} decimals")
    longitude, latitude = (Decimal(v) for v in position)
    if not -180 <= longitude <= 180:
        _fail(where, f"longitude {longitude} is outside -180..180")
    if not -90 <= latitude <= 90:
        _fail(where, f"latitude {latitude} is outside -90..90")


def validate_geometry(geometry, where: str) -> None:
    if geometry is None:
        return  # RFC 7946 3.2: an unlocated feature has a null geometry.
    if not isinstance(geometry, dict):
        _fail(where, "geometry must be an object or null")
    if geometry.get("type") != "Point":
        _fail(where, f"expected a Point geometry, got {geometry.get('type')!r}")
    if "coordinates" not in geometry:
        _fail(where, "a Point must have coordinates")
    validate_position(geometry["coordinates"], f"{where}.coordinates")


def validate_feature(feature, where: str = "feature") -> None:
    if not isinstance(feature, dict):
        _fail(where, "a Feature must be an object")
    if feature.get("type") != "Feature":
        _fail(where, f"type must be 'Feature', got {feature.get('type')!r}")
    for member in ("geometry", "properties"):
        if member not in feature:
            _fail(where, f"a Feature must have a {member!r} member")
    if feature["properties"] is not None and not isinstance(
        feature["properties"], dict
    ):
        _fail(where, "properties must be an object or null")
    if "id" in feature and not (
        isinstance(feature["id"], str) or _is_number(feature["id"])
    ):
        _fail(where, "id must be a string or a number")
    if "crs" in feature:
        _fail(where, "RFC 7946 removed the 'crs' member")
    validate_geometry(feature["geometry"], f"{where}.geometry")


def validate_feature_collection(document) -> None:
    if not isinstance(document, dict):
        _fail("document", "a FeatureCollection must be an object")
    if document.get("type") != "FeatureCollection":
        _fail("document", f"type must be 'FeatureCollection': {document.get('type')!r}")
    if "crs" in document:
        _fail("document", "RFC 7946 removed the 'crs' member")
    if not isinstance(document.get("features"), list):
        _fail("document", "features must be an array")
    for index, feature in enumerate(document["features"]):
        validate_feature(feature, f"features[{index}]")


def load_geojson(response) -> dict:
    """The body with numbers as Decimal, exactly as sent."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == GEOJSON
    return json.loads(response.content, parse_float=Decimal)


def as_floats(position) -> list[float]:
    return [float(v) for v in position]


# --- the validator rejects what it should (so passing it means something) -----------

GOOD_FEATURE = {
    "type": "Feature",
    "id": 1,
    "geometry": {
        "type": "Point",
        "coordinates": [Decimal("38.61778"), Decimal("33.5")],
    },
    "properties": {},
}


@pytest.mark.parametrize(
    "change",
    [
        {"type": "feature"},
        {"geometry": {"type": "Point", "coordinates": [Decimal("181"), Decimal("1")]}},
        {"geometry": {"type": "Point", "coordinates": [Decimal("1"), Decimal("91")]}},
        {"geometry": {"type": "Point", "coordinates": [Decimal("-180.5"), 0]}},
        {"geometry": {"type": "Point", "coordinates": [Decimal("1.1234567"), 0]}},
        {"geometry": {"type": "Point", "coordinates": [1]}},
        {"geometry": {"type": "Point", "coordinates": [1, 2, 3]}},
        {"geometry": {"type": "Point", "coordinates": ["38", "33"]}},
        {"geometry": {"type": "Point", "coordinates": [True, 1]}},
        {"geometry": {"type": "Point", "coordinates": [Decimal("NaN"), 1]}},
        {"geometry": {"type": "Point"}},
        {"geometry": {"type": "LatLng", "coordinates": [1, 2]}},
        {"geometry": [1, 2]},
        {"properties": [1]},
        {"id": [1]},
        {"crs": {"type": "name"}},
    ],
)
def test_validator_rejects_broken_features(change):
    validate_feature(GOOD_FEATURE)
    with pytest.raises(GeoJSONError):
        validate_feature({**GOOD_FEATURE, **change})


@pytest.mark.parametrize("missing", ["type", "geometry", "properties"])
def test_validator_requires_feature_members(missing):
    broken = {k: v for k, v in GOOD_FEATURE.items() if k != missing}
    with pytest.raises(GeoJSONError):
        validate_feature(broken)


def test_validator_checks_the_collection():
    validate_feature_collection({"type": "FeatureCollection", "features": []})
    validate_feature_collection(
        {"type": "FeatureCollection", "features": [{**GOOD_FEATURE, "geometry": None}]}
    )
    for broken in (
        {"type": "Feature", "features": []},
        {"type": "FeatureCollection"},
        {"type": "FeatureCollection", "features": {}},
        {"type": "FeatureCollection", "features": [{"type": "Feature"}]},
        [],
    ):
        with pytest.raises(GeoJSONError):
            validate_feature_collection(broken)


# --- the API on the reference data ----------------------------------------------------


def test_incident_list_is_valid_rfc7946(client, reference_data):
    document = load_geojson(
        client.get(reverse("api:incident-list"), {"page_size": 1000})
    )
    validate_feature_collection(document)
    features = document["features"]
    assert document["count"] == len(features) == 130
    unplaced = [f for f in features if f["geometry"] is None]
    assert len(unplaced) == 14
    assert all(f["properties"] is not None for f in features)
    assert all(f["id"] == f["properties"]["id"] for f in features)


def test_incident_positions_are_longitude_then_latitude(client, reference_data):
    document = load_geojson(
        client.get(reverse("api:incident-list"), {"page_size": 1000})
    )
    rows = {
        i.pk: i
        for i in Incident.objects.published().exclude(latitude=None).order_by("pk")
    }
    placed = [f for f in document["features"] if f["geometry"] is not None]
    assert len(placed) == len(rows) == 116
    for feature in placed:
        row = rows[feature["id"]]
        assert as_floats(feature["geometry"]["coordinates"]) == [
            round(row.longitude, 6),
            round(row.latitude, 6),
        ]


def test_every_incident_detail_is_a_valid_feature(client, reference_data):
    for incident in Incident.objects.published():
        feature = load_geojson(
            client.get(reverse("api:incident-detail", args=[incident.pk]))
        )
        validate_feature(feature, f"incident {incident.pk}")
        assert feature["id"] == incident.pk
        if incident.latitude is None:
            assert feature["geometry"] is None
        else:
            assert as_floats(feature["geometry"]["coordinates"]) == [
                round(incident.longitude, 6),
                round(incident.latitude, 6),
            ]


def test_site_list_is_valid_rfc7946(client, reference_data):
    document = load_geojson(client.get(reverse("api:site-list")))
    validate_feature_collection(document)
    features = document["features"]
    assert document["count"] == len(features) == 26
    assert {f["id"] for f in features} == set(
        Site.objects.values_list("slug", flat=True)
    )
    unplaced = {f["id"] for f in features if f["geometry"] is None}
    assert unplaced == UNPLACED_SITES
    assert sum(f["geometry"] is not None for f in features) == 19


def test_site_positions_match_the_database(client, reference_data):
    document = load_geojson(client.get(reverse("api:site-list")))
    sites = {s.slug: s for s in Site.objects.all()}
    for feature in document["features"]:
        site = sites[feature["id"]]
        assert feature["properties"]["slug"] == site.slug
        if site.latitude is None:
            assert feature["geometry"] is None
        else:
            assert as_floats(feature["geometry"]["coordinates"]) == [
                round(site.longitude, 6),
                round(site.latitude, 6),
            ]


def test_al_tanf_is_longitude_38_62_latitude_33_51(client, reference_data):
    document = load_geojson(client.get(reverse("api:site-list")))
    (tanf,) = [f for f in document["features"] if f["id"] == "al-tanf"]
    longitude, latitude = as_floats(tanf["geometry"]["coordinates"])
    assert longitude == pytest.approx(38.62, abs=0.01)
    assert latitude == pytest.approx(33.51, abs=0.01)

    detail = load_geojson(client.get(reverse("api:site-detail", args=["al-tanf"])))
    validate_feature(detail)
    assert as_floats(detail["geometry"]["coordinates"]) == [longitude, latitude]


def test_al_tanf_incidents_sit_at_al_tanf(client, reference_data):
    document = load_geojson(
        client.get(reverse("api:incident-list"), {"site": "al-tanf"})
    )
    validate_feature_collection(document)
    placed = [f for f in document["features"] if f["geometry"] is not None]
    assert placed
    for feature in placed:
        longitude, latitude = as_floats(feature["geometry"]["coordinates"])
        assert longitude == pytest.approx(38.62, abs=0.05)
        assert latitude == pytest.approx(33.51, abs=0.05)


def test_every_site_detail_is_a_valid_feature(client, reference_data):
    for site in Site.objects.all():
        feature = load_geojson(client.get(reverse("api:site-detail", args=[site.slug])))
        validate_feature(feature, site.slug)
        assert feature["id"] == site.slug
        assert (feature["geometry"] is None) == (site.slug in UNPLACED_SITES)


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "0,0,1,1"},
        {"country": "IQ", "weapon": "drone"},
        {"near": "40.57583,35.15167", "radius_km": "25"},
        {"page_size": "5", "page": "2"},
        {"updated_since": "2000-01-01T00:00:00Z"},
    ],
)
def test_filtered_and_paged_lists_stay_valid(client, reference_data, params):
    document = load_geojson(client.get(reverse("api:incident-list"), params))
    validate_feature_collection(document)


def test_coordinates_are_rounded_to_six_decimals(client, make):
    make.site(slug="fine", longitude=40.123456789, latitude=-35.987654321)
    incident = make.incident(longitude=-179.9999996, latitude=89.1234564999)
    sites = load_geojson(client.get(reverse("api:site-list")))
    validate_feature_collection(sites)
    (site,) = sites["features"]
    assert site["geometry"]["coordinates"] == [
        Decimal("40.123457"),
        Decimal("-35.987654"),
    ]

    feature = load_geojson(
        client.get(reverse("api:incident-detail", args=[incident.pk]))
    )
    validate_feature(feature)
    assert as_floats(feature["geometry"]["coordinates"]) == [-180.0, 89.123456]


def test_unplaced_incident_has_null_geometry_but_keeps_properties(client, make):
    incident = make.incident(latitude=None, longitude=None, summary="somewhere")
    document = load_geojson(client.get(reverse("api:incident-list")))
    validate_feature_collection(document)
    (feature,) = document["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["id"] == incident.pk
    assert feature["properties"]["summary"] == "somewhere"
    assert "latitude" not in feature["properties"]
    assert "longitude" not in feature["properties"]


def test_empty_collection_is_valid(client, db):
    document = load_geojson(client.get(reverse("api:incident-list")))
    validate_feature_collection(document)
    assert document["features"] == []
    assert document["count"] == 0
