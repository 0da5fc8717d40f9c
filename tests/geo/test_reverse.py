"""Reverse geocoding without a network: nearest site by great-circle distance, and
the country from the bundled borders, uncertain within a band of a border."""

import math

import pytest

from incidents.geo.reverse import (
    BORDER_UNCERTAINTY_KM,
    CountryLocator,
    SiteLocator,
    haversine_km,
    reverse_geocode,
)
from incidents.models import Site

pytestmark = pytest.mark.django_db

AL_OMAR = (40.57583, 35.15167)


def placed_sites():
    return list(
        Site.objects.filter(latitude__isnull=False).values_list(
            "slug", "longitude", "latitude", "country"
        )
    )


def test_every_placed_site_finds_itself_and_its_country(reference_data):
    sites = SiteLocator.from_database()
    countries = CountryLocator.bundled()
    rows = placed_sites()
    assert len(rows) == 19
    uncertain = set()
    for slug, longitude, latitude, country in rows:
        answer = reverse_geocode(longitude, latitude, sites=sites, countries=countries)
        assert answer.site.slug == slug
        assert answer.site.distance_km < 0.001
        # The recorded country is always among the answers; it is the only one
        # unless the point lies within the borders' uncertainty of another country.
        assert country in answer.country.candidates, (slug, answer.country)
        if len(answer.country.candidates) == 1:
            assert answer.country.country == country
        else:
            uncertain.add(slug)
    # Only the two sites on the Syria-Jordan border, 0.6 and 2 km from it.
    assert uncertain == {"rukban", "tower-22"}


def test_a_point_on_the_border_band_is_answered_with_both_countries(reference_data):
    rukban = Site.objects.get(slug="rukban")
    answer = CountryLocator.bundled().at(rukban.longitude, rukban.latitude)
    # 1:50m borders put the camp 0.6 km inside Jordan; it is in Syria.
    assert set(answer.candidates) == {"JO", "SY"}


def test_deep_inside_a_country_is_confident():
    countries = CountryLocator.bundled()
    assert countries.at(*AL_OMAR).candidates == ("SY",)
    assert countries.at(44.396, 33.299).candidates == ("IQ",)  # Baghdad
    assert countries.at(35.93, 31.95).candidates == ("JO",)  # Amman


def test_sea_and_outside_the_region_have_no_country():
    countries = CountryLocator.bundled()
    assert countries.at(34.0, 34.0).country is None  # the Mediterranean
    assert countries.at(-74.0, 40.7).candidates == ()  # New York: not bundled


def km_north(point, km):
    longitude, latitude = point
    return longitude, latitude + km / (math.pi * 6371.0088 / 180)


def test_nearest_site_by_great_circle_within_the_limit():
    locator = SiteLocator([("al-omar", *AL_OMAR), ("far", 45.0, 30.0)])
    found = locator.nearest(*km_north(AL_OMAR, 10), max_km=25)
    assert found.slug == "al-omar"
    assert found.distance_km == pytest.approx(10, abs=0.01)
    assert locator.nearest(*km_north(AL_OMAR, 30), max_km=25) is None


def test_nearest_is_not_fooled_by_flat_degrees():
    # At 60°N a degree of longitude is half a degree of latitude: the site 0.8°
    # east is nearer than the one 0.5° north.
    locator = SiteLocator([("north", 10.0, 60.5), ("east", 10.8, 60.0)])
    assert locator.nearest(10.0, 60.0, max_km=100).slug == "east"
    assert haversine_km(10.0, 60.0, 10.8, 60.0) < haversine_km(10.0, 60.0, 10.0, 60.5)


@pytest.mark.parametrize(
    "longitude,latitude", [(181, 0), (-181, 0), (0, 91), (0, -90.5), (math.nan, 0)]
)
def test_impossible_points_are_errors(longitude, latitude):
    with pytest.raises(ValueError, match="not a WGS84"):
        CountryLocator.bundled().at(longitude, latitude)
    with pytest.raises(ValueError, match="not a WGS84"):
        SiteLocator([]).nearest(longitude, latitude, max_km=10)


def test_max_km_must_be_positive():
    with pytest.raises(ValueError, match="max_km"):
        SiteLocator([]).nearest(40, 35, max_km=0)


def test_border_band_is_a_few_kilometres():
    assert 1 <= BORDER_UNCERTAINTY_KM <= 5


def random_points(count, seed=7):
    import numpy as np

    rng = np.random.default_rng(seed)
    # The region and a margin around it, sea and neighbours included.
    return rng.uniform(30.0, 52.0, count), rng.uniform(26.0, 42.0, count)


def test_many_points_agree_with_one_at_a_time(reference_data):
    sites = SiteLocator.from_database()
    countries = CountryLocator.bundled()
    longitudes, latitudes = random_points(3000)
    nearest, distance = sites.nearest_many(longitudes, latitudes, max_km=150)
    codes = countries.countries_of(longitudes, latitudes)
    found = 0
    for i, (longitude, latitude) in enumerate(zip(longitudes, latitudes, strict=True)):
        one = sites.nearest(longitude, latitude, max_km=150)
        if one is None:
            assert nearest[i] == -1 and math.isnan(distance[i])
        else:
            found += 1
            assert sites.slug(nearest[i]) == one.slug
            assert distance[i] == pytest.approx(one.distance_km)
        assert codes[i] == countries.at(longitude, latitude).country
    assert 100 < found < 3000  # both cases were exercised
    assert {"SY", "IQ", "JO", "TR", "SA", None} <= set(codes)


def test_many_points_reject_an_impossible_one():
    with pytest.raises(ValueError, match="not a WGS84"):
        CountryLocator.bundled().countries_of([40.0, 200.0], [35.0, 35.0])
    with pytest.raises(ValueError, match="not a WGS84"):
        SiteLocator([("a", 40.0, 35.0)]).nearest_many([40.0], [95.0], max_km=10)
