"""Placing sites and incidents (``incidents.geo.placing``) and the admin's geocoding:
the "geocode selected sites" action and the JSON lookups behind the change forms.

Online geocoders answer from canned JSON at geopy's boundary
(``tests/fake_geocoders.py``); nothing here touches a network.
"""

import socket

import geopy.geocoders
import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse

from incidents.geo import chain as chain_module
from incidents.geo.chain import GeocoderChain
from incidents.geo.placing import names_geocode, point_describe, site_geocode
from incidents.models import GeocodeAnswer, Site
from tests.fake_geocoders import CannedAdapter, canned_geocoders, reset_canned

pytestmark = pytest.mark.django_db

SITE_LOOKUP = "admin:incidents_site_geocode_lookup"
POINT_LOOKUP = "admin:incidents_incident_point_lookup"


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("something tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def canned(no_network):
    reset_canned()
    yield CannedAdapter
    reset_canned()


@pytest.fixture
def configured(canned, monkeypatch, settings):
    """Settings name Nominatim and Photon; geopy's transport is the canned one."""
    settings.BASEWATCH_GEOCODERS = ["nominatim", "photon"]
    settings.BASEWATCH_GEOCODER_MIN_DELAY = 0
    monkeypatch.setattr(
        geopy.geocoders.options, "default_adapter_factory", CannedAdapter
    )
    chain_module._rate_limited.cache_clear()
    yield canned
    chain_module._rate_limited.cache_clear()


# --- point_describe -------------------------------------------------------------------


def test_a_point_near_a_site_is_described(reference_data):
    facts = point_describe(longitude=40.58, latitude=35.16)  # by Al-Omar
    assert facts.country == "SY"
    assert facts.admin1 == "Deir ez-Zor"
    assert facts.admin1_ar == "دير الزور"
    assert facts.nearest_site["slug"] == "al-omar"
    assert facts.nearest_site["distance_km"] < 2


def test_a_point_near_a_border_names_both_countries(reference_data):
    rukban = Site.objects.get(slug="rukban")
    facts = point_describe(longitude=rukban.longitude, latitude=rukban.latitude)
    assert set(facts.country_candidates) == {"JO", "SY"}
    assert len(facts.admin1_candidates) >= 2


def test_a_point_far_from_every_site_has_no_nearest(reference_data):
    facts = point_describe(longitude=36.3, latitude=29.5)  # southern Jordan
    assert facts.country == "JO"
    assert facts.nearest_site is None


# --- names_geocode (the site form's button) -------------------------------------------


def test_a_name_of_another_site_is_a_warning_not_a_point(reference_data, canned):
    chain = GeocoderChain(online=canned_geocoders("nominatim"))
    lookup = names_geocode(names=["New site", "Koniko"], chain=chain)
    assert lookup.result is None
    assert lookup.other_site["slug"] == "conoco"
    assert "Conoco gas field base" in lookup.notes[0]
    assert canned.requests == []


def test_a_name_only_spelt_like_another_sites_is_looked_up(reference_data, canned):
    # "Kuniku" has Conoco's consonants (a skeleton match): maybe Conoco, maybe
    # another place; the editor is told, and the online geocoder is asked.
    chain = GeocoderChain(online=canned_geocoders("nominatim"))
    lookup = names_geocode(names=["Kuniku"], chain=chain)
    assert lookup.other_site is None
    assert "spelt like a name of the site Conoco gas field base" in lookup.notes[0]
    assert len(canned.requests) == 1
    assert lookup.result is not None


def test_the_sites_own_names_are_looked_up_online(reference_data, canned):
    qasrak = Site.objects.get(slug="qasrak")
    chain = GeocoderChain(online=canned_geocoders("photon"))
    lookup = names_geocode(
        names=["Qasrak"], country="SY", exclude_site_id=qasrak.pk, chain=chain
    )
    assert lookup.result.geocoder == "photon"
    assert (lookup.country, lookup.admin1) == ("SY", "Hasakah")


def test_an_answer_in_another_country_is_refused(reference_data, canned):
    chain = GeocoderChain(online=canned_geocoders("photon"))
    lookup = names_geocode(names=["Somewhere new"], country="JO", chain=chain)
    assert lookup.result is None
    assert any("not JO" in note for note in lookup.notes)


def test_without_online_geocoders_the_lookup_says_so(reference_data, no_network):
    lookup = names_geocode(names=["Somewhere new"], chain=GeocoderChain(online=[]))
    assert lookup.result is None
    assert "BASEWATCH_GEOCODERS" in lookup.notes[-1]


def test_no_names_is_an_error(reference_data):
    with pytest.raises(ValueError, match="name"):
        names_geocode(names=["", "  "], chain=GeocoderChain(online=[]))


# --- site_geocode (the admin action) --------------------------------------------------


def test_an_unplaced_site_is_placed_and_completed(reference_data, canned):
    qasrak = Site.objects.get(slug="qasrak")
    qasrak.admin1 = ""
    qasrak.location_source = ""
    qasrak.save()
    outcome = site_geocode(
        site=qasrak, chain=GeocoderChain(online=canned_geocoders("photon"))
    )
    assert outcome.placed
    qasrak.refresh_from_db()
    assert (qasrak.latitude, qasrak.longitude) == (36.78, 40.95)
    assert 1300 < qasrak.precision_m < 1500
    assert qasrak.location_source.startswith("photon: 'Qasrak base' on ")
    assert qasrak.admin1 == "Hasakah"  # the stored spelling, not "Al-Hasakah"
    assert GeocodeAnswer.objects.filter(geocoder="photon").count() == 1


def test_a_site_not_found_says_why_and_keeps_an_explanation(reference_data, canned):
    canned.responses["photon.komoot.io"] = {"features": []}
    hemo = Site.objects.get(slug="hemo")
    before = hemo.location_source
    assert before  # the reference data says why it has no point
    site_geocode(site=hemo, chain=GeocoderChain(online=canned_geocoders("photon")))
    hemo.refresh_from_db()
    assert hemo.location_source == before
    assert not hemo.has_location
    hemo.location_source = ""
    hemo.save()
    site_geocode(site=hemo, chain=GeocoderChain(online=canned_geocoders("photon")))
    hemo.refresh_from_db()
    assert hemo.location_source.startswith("No point: not found by photon on ")


def test_a_placed_site_gets_an_empty_country_and_governorate(reference_data, canned):
    tanf = Site.objects.get(slug="al-tanf")
    point = (tanf.latitude, tanf.longitude)
    Site.objects.filter(pk=tanf.pk).update(country="", admin1="")
    outcome = site_geocode(site=tanf, chain=GeocoderChain(online=[]))
    tanf.refresh_from_db()
    assert (tanf.country, tanf.admin1) == ("SY", "Homs")
    assert (tanf.latitude, tanf.longitude) == point
    assert set(outcome.filled) == {"country", "admin1"}
    assert canned.requests == []


def test_a_disagreeing_country_is_reported_not_overwritten(reference_data, canned):
    omar = Site.objects.get(slug="al-omar")
    Site.objects.filter(pk=omar.pk).update(country="IQ")
    outcome = site_geocode(site=omar, chain=GeocoderChain(online=[]))
    omar.refresh_from_db()
    assert omar.country == "IQ"
    assert outcome.notes == ["Its point lies in SY, but its country is IQ."]


# --- the admin ------------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="not-a-real-password"
    )


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def test_the_action_geocodes_selected_sites(reference_data, configured, admin_client):
    ids = list(
        Site.objects.filter(slug__in=["qasrak", "al-tanf"]).values_list("pk", flat=True)
    )
    response = admin_client.post(
        reverse("admin:incidents_site_changelist"),
        {"action": "geocode_selected_sites", "_selected_action": ids},
        follow=True,
    )
    assert response.status_code == 200
    text = [str(m) for m in response.context["messages"]]
    assert text[0].startswith("1 site placed")
    assert Site.objects.get(slug="qasrak").has_location


def test_site_lookup_answers_json(reference_data, configured, admin_client):
    qasrak = Site.objects.get(slug="qasrak")
    response = admin_client.get(
        reverse(SITE_LOOKUP),
        {"name": "Qasrak", "aliases": "Qasrak base\n", "site": qasrak.pk},
    )
    assert response.status_code == 200
    body = response.json()
    # Nominatim is asked first and answers (canned) a point in Deir ez-Zor.
    assert body["found"] and body["geocoder"] == "nominatim"
    assert body["location_source"].startswith("nominatim: 'Qasrak' on ")
    assert Site.objects.get(pk=qasrak.pk).latitude is None  # nothing saved


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "name"), ({"name": "x", "site": "one"}, "site must be a site id")],
)
def test_site_lookup_rejects_bad_input(reference_data, admin_client, params, message):
    response = admin_client.get(reverse(SITE_LOOKUP), params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_point_lookup_answers_json(reference_data, admin_client):
    response = admin_client.get(reverse(POINT_LOOKUP), {"lat": "35.16", "lon": "40.58"})
    body = response.json()
    assert (body["country"], body["admin1"]) == ("SY", "Deir ez-Zor")
    assert body["nearest_site"]["slug"] == "al-omar"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "abc", "lon": "40"}, "lat must be a number"),
        ({"lat": "95", "lon": "40"}, "lat must be between -90 and 90"),
        ({"lat": "35", "lon": "nan"}, "lon must be between"),
        ({"lat": "35"}, "lon must be a number"),
    ],
)
def test_point_lookup_rejects_bad_input(reference_data, admin_client, params, message):
    response = admin_client.get(reverse(POINT_LOOKUP), params)
    assert response.status_code == 400
    assert message in response.json()["error"]


@override_settings(BASEWATCH_GEOCODERS=[])
def test_lookups_need_staff_and_permission(reference_data, client, django_user_model):
    url = reverse(POINT_LOOKUP) + "?lat=35&lon=40"
    assert client.get(url).status_code == 302  # to the login page
    user = django_user_model.objects.create_user(
        username="reader", password="not-a-real-password", is_staff=True
    )
    client.force_login(user)
    assert client.get(url).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="change_incident"))
    assert client.get(url).status_code == 200
    assert client.get(reverse(SITE_LOOKUP), {"name": "x"}).status_code == 403
