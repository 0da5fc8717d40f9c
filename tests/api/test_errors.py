"""Bad input answers 400 with ``{"errors": {<parameter>: <what is wrong>}}``;
unknown ids answer 404; nothing answers 500 and nothing is silently ignored.

Every request here goes through a client that turns an unhandled exception into
the 500 a real client would see (``raise_request_exception=False``), so a crash
fails the status assertion instead of surfacing as a traceback.
"""

import orjson
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"
SITES = "/api/v1/sites/"
ACTORS = "/api/v1/actors/"
SOURCES = "/api/v1/sources/"


@pytest.fixture
def api():
    return Client(raise_request_exception=False)


@pytest.fixture
def data(make):
    site = make.site(slug="al-omar", name="Al-Omar")
    actor = make.actor(slug="iri", name="Islamic Resistance in Iraq")
    source = make.source()
    incident = make.incident(
        summary="drone attack",
        sites=[site],
        involvements=[(actor, "claimed_by")],
        citations=[(source, "reports")],
    )
    return {"site": site, "actor": actor, "source": source, "incident": incident}


def errors_of(response, *names) -> dict:
    """Assert a 400 whose JSON ``errors`` names each of ``names``; return them."""
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = orjson.loads(response.content)
    assert set(body) == {"errors"}, body
    errors = body["errors"]
    assert isinstance(errors, dict)
    for name in names:
        assert name in errors, (name, errors)
        message = errors[name]
        assert isinstance(message, str) and message.strip(), errors
    return errors


def not_found(response) -> None:
    assert response.status_code == 404, (response.status_code, response.content[:300])
    assert "detail" in orjson.loads(response.content)


# --- incidents: one bad parameter at a time -----------------------------------------

BAD_INCIDENT_PARAMS = [
    ("within", "POLYGON((40 34, 41 35, 41 34, 40 35, 40 34))"),  # a bow tie
    ("within", "POINT(40 35)"),
    ("within", "LINESTRING(40 35, 41 36)"),
    ("within", '{"type": "Polygon", "coordinates": [[[40, 34], [41'),
    ("within", '{"type": "Point", "coordinates": [40, 35]}'),
    ("within", "POLYGON((40 34, 200 34, 200 35, 40 34))"),
    ("within", "POLYGON EMPTY"),
    ("within", "not geometry"),
    (
        "within",
        "POLYGON((" + ", ".join(f"{i % 90} {i % 45}" for i in range(3000)) + "))",
    ),
    ("located", "yes"),
    ("located", "True"),
    ("located", ""),
    # bbox: shape, numbers, ranges, inversion
    ("bbox", ""),
    ("bbox", "1,2,3"),
    ("bbox", "1,2,3,4,5"),
    ("bbox", "a,b,c,d"),
    ("bbox", "38;33;39;34"),
    ("bbox", "38 33 39 34"),
    ("bbox", "41,33,40,34"),  # minlon > maxlon
    ("bbox", "40,34,41,33"),  # minlat > maxlat
    ("bbox", "-181,0,0,1"),
    ("bbox", "0,0,181,1"),
    ("bbox", "0,-91,1,0"),
    ("bbox", "0,0,1,91"),
    ("bbox", "nan,0,1,1"),
    ("bbox", "0,0,inf,1"),
    ("bbox", "-inf,0,1,1"),
    ("bbox", "1e999,0,1,1"),
    ("bbox", ",,,"),
    # near: shape and ranges (radius given so only near is wrong)
    ("near", "abc"),
    ("near", "40"),
    ("near", "40,35,1"),
    ("near", "181,35"),
    ("near", "-180.0001,35"),
    ("near", "40,90.5"),
    ("near", "40,-91"),
    ("near", "nan,35"),
    ("near", "40,inf"),
    ("near", "35N,40E"),
    # radius_km (near given so only radius_km is wrong)
    ("radius_km", "-1"),
    ("radius_km", "0"),
    ("radius_km", "-0"),
    ("radius_km", "2000.001"),
    ("radius_km", "1e9"),
    ("radius_km", "abc"),
    ("radius_km", "nan"),
    ("radius_km", "inf"),
    ("radius_km", "10km"),
    ("radius_km", ""),
    # dates
    ("date_from", "2023-13-01"),
    ("date_from", "2023-02-30"),
    ("date_from", "yesterday"),
    ("date_from", "15/11/2023"),
    ("date_from", "2023-11-15T00:00"),
    ("date_from", ""),
    ("date_to", "2023-11-31"),
    ("date_to", "0000-01-01"),
    ("date_to", "11-15-2023"),
    ("updated_since", "yesterday"),
    ("updated_since", "2023-13-01T00:00:00Z"),
    ("updated_since", "2023-11-15T25:00:00Z"),
    ("updated_since", "2023-11-15T00:00:00+99:00"),
    ("updated_since", ""),
    ("updated_since", "1700000000"),
    # choices
    ("weapon", "laser"),
    ("weapon", "drone,laser"),
    ("weapon", "Drone"),
    ("weapon", "drone,"),
    ("weapon", ""),
    ("event_type", "battle"),
    ("event_type", "attack,,strike"),
    ("confidence", "certain"),
    ("confidence", "confirmed,maybe"),
    ("country", "IRQ"),
    ("country", "1Q"),
    ("country", "SY,Syria"),
    ("country", ""),
    ("ordering", "date"),
    ("ordering", "summary"),
    ("ordering", "-id"),
    ("format", "xml"),
    ("format", "json"),
    ("format", ""),
    # slugs: malformed, and well-formed but unknown
    ("site", "Al Omar"),
    ("site", "AL-OMAR"),
    ("site", "no-such-site"),
    ("site", "al-omar,no-such-site"),
    ("site", "al-omar,"),
    ("site", ""),
    ("actor", "no-such-actor"),
    ("actor", "iri,ghost"),
    ("actor", "Islamic Resistance"),
    ("actor", ""),
    # text
    ("q", ""),
    ("q", "   "),
    ("q", "!!!"),
    ("q", "%"),
    ("q", "x" * 201),
    # pagination
    ("page", "0"),
    ("page", "-1"),
    ("page", "1.5"),
    ("page", "abc"),
    ("page", ""),
    ("page_size", "0"),
    ("page_size", "10001"),
    ("page_size", "99999999999999999999999999"),
    ("page_size", "-5"),
    ("page_size", "ten"),
    # unknown parameters are never ignored
    ("wepon", "drone"),
    ("sites", "al-omar"),
    ("search", "drone"),
    ("limit", "10"),
    ("radius", "10"),
    ("lat", "35"),
]
COMPANION = {"near": {"radius_km": "10"}, "radius_km": {"near": "40,35"}}


@pytest.mark.parametrize(
    "name,value",
    BAD_INCIDENT_PARAMS,
    ids=[f"{n}={v[:20]}" for n, v in BAD_INCIDENT_PARAMS],
)
def test_bad_incident_parameter_is_400_naming_it(api, data, name, value):
    params = {name: value, **COMPANION.get(name, {})}
    errors = errors_of(api.get(INCIDENTS, params), name)
    assert set(errors) == {name}, errors


@pytest.mark.parametrize("name,value", BAD_INCIDENT_PARAMS[:40])
def test_bad_parameter_is_400_in_csv_too(api, data, name, value):
    params = {name: value, "format": "csv", **COMPANION.get(name, {})}
    errors_of(api.get(INCIDENTS, params), name)


def test_inverted_date_range_names_the_dates(api, data):
    errors = errors_of(
        api.get(INCIDENTS, {"date_from": "2023-11-20", "date_to": "2023-11-10"})
    )
    assert {"date_from", "date_to"} & set(errors)
    # The same day at both ends is a one-day range, not an error.
    response = api.get(INCIDENTS, {"date_from": "2023-11-15", "date_to": "2023-11-15"})
    assert response.status_code == 200


def test_near_needs_radius_and_radius_needs_near(api, data):
    errors_of(api.get(INCIDENTS, {"near": "40,35"}), "radius_km")
    errors_of(api.get(INCIDENTS, {"radius_km": "10"}), "near")


def test_largest_radius_and_whole_world_bbox_are_accepted(api, data):
    for params in (
        {"near": "40,35", "radius_km": "2000"},
        {"bbox": "-180,-90,180,90"},
        {"page_size": "10000"},
    ):
        assert api.get(INCIDENTS, params).status_code == 200, params


def test_every_problem_is_reported_at_once(api, data):
    errors = errors_of(
        api.get(
            INCIDENTS,
            {"bbox": "x", "weapon": "laser", "wepon": "drone", "page_size": "0"},
        ),
        "bbox",
        "weapon",
        "wepon",
        "page_size",
    )
    assert len(errors) == 4


@pytest.mark.parametrize(
    "name,first,second",
    [
        ("weapon", "drone", "rocket"),
        ("weapon", "drone", "drone"),
        ("bbox", "39,33,41,36", "39,33,41,36"),
        ("date_from", "2023-11-01", "2023-11-02"),
        ("q", "drone", "attack"),
        ("page", "1", "1"),
        ("site", "al-omar", "al-omar"),
        ("format", "csv", "geojson"),
    ],
)
def test_repeated_parameter_is_400(api, data, name, first, second):
    errors_of(api.get(f"{INCIDENTS}?{name}={first}&{name}={second}"), name)


def test_anonymous_status_filter_is_403_and_a_bad_one_400(api, data):
    for value in ("draft", "published", "review,retracted"):
        response = api.get(INCIDENTS, {"status": value})
        assert response.status_code == 403, response.content
        assert response.json() == {
            "detail": "status: only editors may filter by status"
        }
    errors_of(api.get(INCIDENTS, {"status": "bogus"}), "status")


def test_errors_body_says_what_is_wrong(api, data):
    errors = errors_of(api.get(INCIDENTS, {"weapon": "laser"}), "weapon")
    assert "laser" in errors["weapon"]
    assert "drone" in errors["weapon"]  # the allowed values are listed
    errors = errors_of(api.get(INCIDENTS, {"site": "no-such-site"}), "site")
    assert "no-such-site" in errors["site"]
    errors = errors_of(api.get(INCIDENTS, {"wepon": "drone"}), "wepon")
    assert "weapon" in errors["wepon"]  # the accepted parameters are listed


# --- incident detail ------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["abc", "1.0", "-1", "+1", "0x1", "1e3", "1_0", "%201", "1%20", "one"]
)
def test_incident_non_numeric_id_is_400(api, data, bad):
    errors_of(api.get(f"{INCIDENTS}{bad}/"), "id")


def test_incident_unknown_id_is_404(api, data):
    not_found(api.get(f"{INCIDENTS}{data['incident'].pk + 100}/"))
    not_found(api.get(f"{INCIDENTS}0/"))


def test_incident_detail_rejects_unknown_parameters(api, data):
    errors_of(api.get(f"{INCIDENTS}{data['incident'].pk}/", {"foo": "1"}), "foo")


# --- sites, actors, sources -----------------------------------------------------------


@pytest.mark.parametrize(
    "url,params,name",
    [
        (SITES, {"format": "xml"}, "format"),
        (SITES, {"format": ""}, "format"),
        # ACLED lists events; a site is not one (it used to answer GeoJSON).
        (SITES, {"format": "acled"}, "format"),
        (SITES, {"bbox": "0,0,1,1"}, "bbox"),
        (SITES, {"page": "1"}, "page"),
        (SITES, {"q": "omar"}, "q"),
        (ACTORS, {"page": "0"}, "page"),
        (ACTORS, {"page": "abc"}, "page"),
        (ACTORS, {"page_size": "10001"}, "page_size"),
        (ACTORS, {"page_size": "0"}, "page_size"),
        (ACTORS, {"q": "iri"}, "q"),
        (ACTORS, {"format": "csv"}, "format"),
        (SOURCES, {"page": "-1"}, "page"),
        (SOURCES, {"page_size": "abc"}, "page_size"),
        (SOURCES, {"page_size": "10001"}, "page_size"),
        (SOURCES, {"publisher": "x"}, "publisher"),
        (SOURCES, {"status": "draft"}, "status"),
    ],
)
def test_bad_list_parameters_elsewhere(api, data, url, params, name):
    errors_of(api.get(url, params), name)


def test_repeated_parameter_elsewhere(api, data):
    errors_of(api.get(f"{SITES}?format=csv&format=csv"), "format")
    errors_of(api.get(f"{ACTORS}?page=1&page=1"), "page")
    errors_of(api.get(f"{SOURCES}?page_size=1&page_size=2"), "page_size")


@pytest.mark.parametrize("bad", ["Al-Omar", "al omar", "al.omar", "التنف", "%27--"])
def test_malformed_slug_is_400(api, data, bad):
    errors_of(api.get(f"{SITES}{bad}/"), "slug")
    errors_of(api.get(f"{ACTORS}{bad}/"), "slug")


def test_unknown_slug_is_404(api, data):
    not_found(api.get(f"{SITES}no-such-site/"))
    not_found(api.get(f"{ACTORS}no-such-actor/"))


def test_known_slugs_are_200(api, data):
    assert api.get(f"{SITES}al-omar/").status_code == 200
    assert api.get(f"{ACTORS}iri/").status_code == 200
    assert api.get(f"{SOURCES}{data['source'].pk}/").status_code == 200


@pytest.mark.parametrize("bad", ["abc", "1.5", "-3", "1e2", "x1"])
def test_source_non_numeric_id_is_400(api, data, bad):
    errors_of(api.get(f"{SOURCES}{bad}/"), "id")


def test_source_unknown_id_is_404(api, data):
    not_found(api.get(f"{SOURCES}{data['source'].pk + 100}/"))


def test_detail_routes_reject_parameters(api, data):
    errors_of(api.get(f"{SITES}al-omar/", {"format": "csv"}), "format")
    errors_of(api.get(f"{ACTORS}iri/", {"x": "1"}), "x")
    errors_of(api.get(f"{SOURCES}{data['source'].pk}/", {"x": "1"}), "x")


def test_page_past_the_end_is_404_elsewhere(api, data):
    not_found(api.get(ACTORS, {"page": "2"}))
    not_found(api.get(SOURCES, {"page": "999999999"}))
    not_found(api.get(INCIDENTS, {"page": "999999999"}))
    # Past nine digits a page number is malformed, not merely past the end.
    for url in (SOURCES, INCIDENTS):
        response = api.get(url, {"page": "99999999999999999999"})
        assert response.status_code == 400
        assert "page" in response.json()["errors"]


# --- hostile input: never a 500 -------------------------------------------------------

SQLISH = [
    "1' OR '1'='1",
    "1; DROP TABLE incidents_incident; --",
    '" OR ""="',
    "') UNION SELECT * FROM auth_user --",
    "%' OR 1=1 --",
]


@pytest.mark.parametrize("text", SQLISH)
def test_sql_ish_text_is_data(api, data, text):
    response = api.get(INCIDENTS, {"q": text})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        document = orjson.loads(response.content)
        # Nothing in the data contains these words, so nothing matches.
        assert document["count"] == 0
    for name in ("site", "actor", "bbox", "near", "weapon", "country", "page"):
        errors_of(api.get(INCIDENTS, {name: text, **COMPANION.get(name, {})}), name)
    assert api.get(f"{INCIDENTS}{text}/").status_code in (400, 404)
    assert api.get(f"{SITES}{text}/").status_code in (400, 404)


def test_sql_ish_text_did_no_harm(api, data):
    for text in SQLISH:
        api.get(INCIDENTS, {"q": text})
    response = api.get(INCIDENTS)
    assert orjson.loads(response.content)["count"] == 1


LONG_VALUES = [
    ({"q": "x" * 100_000}, 400),
    ({"x" * 10_000: "1"}, 400),
    ({"site": ",".join(f"s-{n}" for n in range(2000))}, 400),
    ({"bbox": ",".join(["1"] * 10_000)}, 400),
    ({"page_size": "9" * 1000}, 400),
    ({"radius_km": "9" * 400, "near": "40,35"}, 400),
    ({"near": "1" * 400 + ",35", "radius_km": "10"}, 400),
    ({"updated_since": "2" * 5000}, 400),
    ({"date_from": "2023-11-15" * 100}, 400),
    ({"page": "9" * 1000}, 400),
    # Repeats inside a list collapse to one value: a valid request.
    ({"actor": ",".join(["iri"] * 5000)}, 200),
    ({"weapon": "drone," * 2000 + "drone"}, 200),
]


@pytest.mark.parametrize(
    "params,status",
    LONG_VALUES,
    ids=[f"{next(iter(p))[:12]}-{n}" for n, (p, _s) in enumerate(LONG_VALUES)],
)
def test_very_long_values(api, data, params, status):
    response = api.get(INCIDENTS, params)
    assert response.status_code == status
    if status == 400:
        errors_of(response, next(iter(params)))


@pytest.mark.parametrize("name", ["page", "page_size"])
def test_digits_beyond_python_int_limit_are_not_500(api, data, name):
    response = api.get(INCIDENTS, {name: "9" * 5000})
    assert response.status_code in (400, 404), response.status_code


def test_long_ids_are_not_500(api, data):
    assert api.get(f"{INCIDENTS}{'9' * 40}/").status_code in (400, 404)
    assert api.get(f"{SOURCES}{'9' * 40}/").status_code in (400, 404)
    assert api.get(f"{SITES}{'a' * 5000}/").status_code in (400, 404)


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "NaN,NaN,NaN,NaN"},
        {"bbox": "Infinity,0,1,1"},
        {"near": "NaN,35", "radius_km": "10"},
        {"near": "40,35", "radius_km": "NaN"},
        {"near": "40,35", "radius_km": "Infinity"},
        {"near": "40,35", "radius_km": "-inf"},
        {"near": "40,35", "radius_km": "1e-400"},
        {"page": "NaN"},
        {"page_size": "inf"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
def test_nan_and_infinity_are_400(api, data, params):
    errors = errors_of(api.get(INCIDENTS, params))
    assert set(errors) <= set(params)
    assert errors


@pytest.mark.parametrize(
    "params",
    [
        {"q": "💥🚀"},
        {"q": "\u200f\u200e"},  # direction marks only
        {"q": "\u0640\u064b"},  # tatweel and a fatha: nothing to search for
        {"site": "التنف"},
        {"site": "al\u2011omar"},  # non-breaking hyphen
        {"country": "ＩＱ"},  # full-width letters
        {"weapon": "drone\u200b"},
        {"bbox": "٣٨,٣٣,٣٩"},
        {"near": "40\u00a0,35,1", "radius_km": "5"},
        {"date_from": "٢٠٢٣-١١-١٥x"},
        {"ordering": "\u2212occurred_on"},  # minus sign, not a hyphen
    ],
    ids=lambda p: next(iter(p)),
)
def test_unicode_oddities_are_400_naming_the_parameter(api, data, params):
    name = next(iter(params))
    errors_of(api.get(INCIDENTS, params), name)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "عين الأسد"},
        {"q": "a\x00b"},
        {"q": "\u202edrone"},
        {"q": "<script>alert(1)</script>"},
        {"q": "\ufffd"},
    ],
    ids=["arabic", "nul", "rtl-override", "html", "replacement"],
)
def test_unicode_text_search_is_never_500(api, data, params):
    response = api.get(INCIDENTS, params)
    assert response.status_code in (200, 400)
    assert orjson.loads(response.content)


def test_percent_encoding_garbage_is_never_500(api, data):
    for url in (
        f"{INCIDENTS}?q=%FF%FE",
        f"{INCIDENTS}?%FF=1",
        f"{INCIDENTS}?bbox=%00",
        f"{INCIDENTS}?weapon=%E2%80%AE",
        f"{INCIDENTS}%FF/",
        f"{SITES}%FF/",
        f"{ACTORS}%C0%AF/",
        f"{INCIDENTS}?&&&=",
        f"{INCIDENTS}?=drone",
    ):
        response = api.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        f"{INCIDENTS}?page=²",
        f"{INCIDENTS}?page_size=²",
        f"{INCIDENTS}²/",
        f"{SOURCES}²/",
        f"{ACTORS}?page=³",
    ],
)
def test_unicode_superscript_digits_are_400_not_500(api, data, url):
    response = api.get(url)
    assert response.status_code == 400, response.status_code
    assert orjson.loads(response.content)["errors"]


@pytest.mark.parametrize(
    "value", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+01:00"]
)
def test_updated_since_at_the_end_of_time_is_not_500(api, data, value):
    response = api.get(INCIDENTS, {"updated_since": value})
    assert response.status_code in (200, 400), response.status_code


def test_updated_since_at_the_end_of_time_in_utc_is_fine(api, data):
    for value in ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"):
        assert api.get(INCIDENTS, {"updated_since": value}).status_code == 200


def test_every_parameter_given_twice_is_400(api, data):
    params = {
        "bbox": "39,33,41,36",
        "date_from": "2023-10-01",
        "date_to": "2023-12-01",
        "site": "al-omar",
        "actor": "iri",
        "weapon": "drone",
        "event_type": "attack",
        "country": "SY",
        "confidence": "reported",
        "q": "drone",
        "near": "40,35",
        "radius_km": "50",
        "updated_since": "2000-01-01T00:00:00Z",
        "page": "1",
        "page_size": "10",
        "ordering": "occurred_on",
        "format": "geojson",
    }
    assert api.get(INCIDENTS, params).status_code == 200
    query = "&".join(f"{k}={v}&{k}={v}" for k, v in params.items())
    errors = errors_of(api.get(f"{INCIDENTS}?{query}"), *params)
    assert set(errors) == set(params)


def test_write_methods_are_refused_for_anonymous(api, data):
    for url in (INCIDENTS, f"{INCIDENTS}{data['incident'].pk}/", SITES, SOURCES):
        response = api.post(url, {}, content_type="application/json")
        assert response.status_code in (401, 403, 405), (url, response.status_code)
