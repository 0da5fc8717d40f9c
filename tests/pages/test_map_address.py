"""The map page checks its address by the API's rules (``pages/address.py``): a
bad filter or bbox reaches the page named, with the API's own message."""

import pytest
from django.http import QueryDict

from incidents.pages.address import MAP_PARAMS, address_errors

pytestmark = pytest.mark.django_db


def errors(query: str) -> dict:
    return address_errors(QueryDict(query))


def api_errors(client, query: str) -> dict:
    response = client.get(f"/api/v1/incidents/?{query}")
    assert response.status_code == 400
    return response.json()["errors"]


@pytest.mark.parametrize(
    "query, name",
    [
        ("weapon=laser", "weapon"),
        ("weapon=drone,laser", "weapon"),
        ("date_from=2023-13-45", "date_from"),
        ("date_to=yesterday", "date_to"),
        ("confidence=sure", "confidence"),
        ("country=IRQ", "country"),
        ("bbox=41,35,40,36", "bbox"),
        ("bbox=1,2,3", "bbox"),
        ("q=" + "x" * 201, "q"),
        ("date_from=2023-12-01&date_to=2023-11-01", "date_from"),
    ],
)
def test_a_bad_value_is_named_as_the_api_names_it(client, query, name):
    found = errors(query)
    assert set(found) == {name}
    assert found[name]["error"] == api_errors(client, query)[name]
    assert found[name]["value"] == QueryDict(query)[name]


def test_good_and_empty_values_and_the_maps_own_keys_are_no_error():
    assert errors("") == {}
    assert errors("weapon=drone,rocket&date_from=2023-11-01&bbox=38,33,41,36.8") == {}
    # Empty is no filter (the map never writes one); the view and the open
    # incident are the map's, checked by common/url_state.js; other keys are left.
    assert errors("weapon=&q=&lat=x&z=99&incident=abc&utm_source=x") == {}


def test_a_repeated_filter_is_named():
    assert set(errors("weapon=drone&weapon=laser")) == {"weapon"}


def test_the_map_params_are_the_apis():
    from incidents.filters.params import INCIDENT_FILTERS

    assert set(MAP_PARAMS) <= {param.name for param in INCIDENT_FILTERS}


def test_the_page_gives_the_errors_as_inert_json(client):
    response = client.get("/", {"weapon": "</script><b>laser"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="bw-address-errors"' in body
    assert "</script><b>" not in body
    assert "weapon" in response.context["address_errors"]
