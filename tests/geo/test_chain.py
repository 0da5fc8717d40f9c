"""The geocoder chain (``incidents.geo.chain``): gazetteer first, online geocoders
only when configured, every online answer kept with when and where it came from.

The network is faked at geopy's boundary only (``tests/fake_geocoders.py``).
"""

import json
import socket
import time
from io import StringIO

import geopy.geocoders
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from geopy.exc import GeocoderTimedOut

from incidents.checks import geocoder_settings_check
from incidents.geo import chain as chain_module
from incidents.geo.chain import (
    GeocoderChain,
    configured_online_geocoders,
    precision_from_raw,
    query_key,
)
from incidents.models import GeocodeAnswer
from tests.fake_geocoders import (
    NOMINATIM_HAJIN,
    CannedAdapter,
    canned_geocoders,
    reset_canned,
)


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


online = canned_geocoders


# --- nothing online unless configured ------------------------------------------------


def test_by_default_the_chain_is_the_gazetteer_alone(reference_data, no_network):
    chain = GeocoderChain()
    assert chain.names == ["gazetteer"]
    outcome = chain.lookup("Hajin town")
    assert outcome.result is None
    assert outcome.tried == ["gazetteer"]
    assert GeocodeAnswer.objects.count() == 0


def test_the_gazetteer_answers_first_and_nothing_goes_online(reference_data, canned):
    chain = GeocoderChain(online=online("nominatim"))
    result = chain.geocode("قاعدة عين الاسد")
    assert result.geocoder == "gazetteer"
    assert result.site.slug == "ain-al-asad"
    assert (result.latitude, result.longitude) == (33.8, 42.433)
    assert canned.requests == []


# --- online geocoders, through geopy's real classes ----------------------------------


def test_nominatim_answers_a_name_the_gazetteer_lacks(reference_data, canned):
    chain = GeocoderChain(online=online("nominatim"))
    outcome = chain.lookup("Hajin town")
    assert outcome.tried == ["gazetteer", "nominatim"]
    result = outcome.result
    assert result.geocoder == "nominatim"
    assert (result.latitude, result.longitude) == (35.3359, 40.1408)
    assert result.address.startswith("هجين")
    assert not result.cached
    # The box reaches 0.05° each way: its corner is about 7 km from the point.
    assert 6500 < result.precision_m < 7500
    (request,) = canned.requests
    assert request["query"]["q"] == ["Hajin town"]
    # Only the region is searched, and Basewatch says who it is.
    assert request["query"]["countrycodes"] == ["sy,iq,jo,lb,tr,ir,sa,kw,il,ps"]
    assert request["headers"]["User-Agent"].startswith("Basewatch")
    kept = GeocodeAnswer.objects.get()
    assert (kept.geocoder, kept.query, kept.found) == (
        "nominatim",
        "Hajin town",
        True,
    )
    assert kept.answered_at is not None
    assert kept.raw["place_id"] == 1
    assert "nominatim: 'Hajin town' on " in result.location_source()


def test_a_kept_answer_is_reused_not_asked_again(reference_data, canned):
    chain = GeocoderChain(online=online("nominatim"))
    chain.lookup("Hajin town")
    again = GeocoderChain(online=online("nominatim")).lookup("  hajin   TOWN ")
    assert again.result.cached
    assert again.result.latitude == 35.3359
    assert len(canned.requests) == 1


def test_not_found_is_kept_and_the_next_geocoder_asked(reference_data, canned):
    canned.responses["nominatim.openstreetmap.org"] = []
    chain = GeocoderChain(online=online("nominatim", "photon"))
    outcome = chain.lookup("Qasrek village")
    assert outcome.result.geocoder == "photon"
    assert (outcome.result.latitude, outcome.result.longitude) == (36.78, 40.95)
    # Photon's extent is [west, north, east, south]: a corner about 1.4 km away.
    assert 1300 < outcome.result.precision_m < 1500
    assert GeocodeAnswer.objects.get(geocoder="nominatim").found is False
    chain.lookup("Qasrek village")
    assert [r["host"] for r in canned.requests] == [
        "nominatim.openstreetmap.org",
        "photon.komoot.io",
    ]


def test_an_error_is_reported_and_never_kept(reference_data, canned):
    canned.responses["nominatim.openstreetmap.org"] = GeocoderTimedOut("too slow")
    chain = GeocoderChain(online=online("nominatim"))
    outcome = chain.lookup("Hajin town")
    assert outcome.result is None
    assert outcome.errors == ["nominatim: GeocoderTimedOut: too slow"]
    assert GeocodeAnswer.objects.count() == 0
    canned.responses["nominatim.openstreetmap.org"] = NOMINATIM_HAJIN
    assert chain.geocode("Hajin town").geocoder == "nominatim"


def test_a_known_site_without_a_point_is_looked_up_online(reference_data, canned):
    chain = GeocoderChain(online=online("photon"))
    outcome = chain.lookup("Qasrak")
    assert outcome.site_without_point.slug == "qasrak"
    assert outcome.result.geocoder == "photon"


def test_the_rate_limiter_spaces_calls(reference_data, canned):
    chain = GeocoderChain(online=online("nominatim", delay=0.3))
    started = time.monotonic()
    chain.lookup("first town")
    chain.lookup("second town")
    assert time.monotonic() - started >= 0.3
    assert len(canned.requests) == 2


def test_bad_queries_are_errors_before_anything_is_asked(reference_data, canned):
    chain = GeocoderChain(online=online("nominatim"))
    for query in ["", "   ", "x" * 201]:
        with pytest.raises(ValueError):
            chain.lookup(query)
    assert canned.requests == []


# --- configuration --------------------------------------------------------------------


@pytest.fixture
def fresh_geocoders():
    chain_module._rate_limited.cache_clear()
    yield
    chain_module._rate_limited.cache_clear()


@override_settings(BASEWATCH_GEOCODERS=["nominatim", "photon"])
def test_settings_choose_the_online_geocoders(fresh_geocoders, no_network):
    assert [name for name, _ in configured_online_geocoders()] == [
        "nominatim",
        "photon",
    ]
    # Built once per process, so the rate limiter remembers its last call.
    assert configured_online_geocoders()[0][1] is configured_online_geocoders()[0][1]


@override_settings(BASEWATCH_GEOCODERS=["google"])
def test_an_unknown_geocoder_is_a_configuration_error(fresh_geocoders):
    (error,) = geocoder_settings_check(None)
    assert error.id == "basewatch.E001"
    assert "google" in error.msg
    with pytest.raises(Exception, match="unknown geocoder"):
        configured_online_geocoders()


@override_settings(BASEWATCH_GEOCODERS=["nominatim"], BASEWATCH_GEOCODER_MIN_DELAY=0)
def test_the_command_uses_configured_geocoders(
    reference_data, canned, fresh_geocoders, monkeypatch
):
    monkeypatch.setattr(
        geopy.geocoders.options, "default_adapter_factory", CannedAdapter
    )
    out = StringIO()
    call_command("geocode", "Hajin town", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["geocoder"] == "nominatim"
    assert result["method"] == "online"
    assert result["slug"] is None
    assert result["tried"] == ["gazetteer", "nominatim"]
    with pytest.raises(CommandError, match=r"tried: gazetteer\.$"):
        call_command("geocode", "Hajin town", "--offline", stdout=StringIO())


def test_query_key_folds_only_case_form_and_spacing():
    assert query_key("  Al-Tanf\u00a0 Base ") == "al-tanf base"
    assert query_key("Tanf") != query_key("al-Tanf")


def test_precision_without_a_box_is_unknown():
    assert precision_from_raw("nominatim", 35, 40, {}) is None
    assert precision_from_raw("photon", 35, 40, {"properties": {}}) is None
    assert precision_from_raw("other", 35, 40, {"boundingbox": [1, 2, 3, 4]}) is None
