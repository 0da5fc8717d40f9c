"""HTTP caching of the API's reads (``incidents.api.caching``): ETag, Last-Modified
and 304 on every read endpoint, validators that tell apart what differs (caller's
scope, language, format), and the cached aggregates.

The endpoints are walked from the API's URLconf, so a new read endpoint is covered
the day it is added: one whose parameters the walker cannot fill fails until it is
taught (``VALUES``, ``QUERIES``) or excluded with a reason (``NOT_CACHED``).
"""

import gzip
import os
import re
import uuid

import orjson
import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle

from incidents.api import urls as api_urls
from incidents.api.caching import ConditionalReadMixin
from incidents.models import Incident

pytestmark = pytest.mark.django_db

API = "/api/v1/"
NOT_CACHED = {
    "schema": "the OpenAPI document: generated from code, not data",
    "docs": "an HTML page with a per-response CSP nonce: never a 304",
    "incident-merge": "POST only: a reviewer's merge",
    "merge-proposal-dismiss": "POST only: a reviewer's decision",
    "merge-proposal-list": "editors' work list: proposals do not move the data "
    "version, so no validator could tell a new one (answered private, no-cache)",
}
# Path parameters by route name (a slug is a site's or an actor's).
VALUES = {
    "incident-detail": {"incident_id": "published"},
    "site-detail": {"slug": "the-base"},
    "actor-detail": {"slug": "the-group"},
    "source-detail": {"source_id": "source"},
}
QUERIES = {"incident-clusters": "?zoom=5"}
DRAFT_MARKER = "MARKER-DRAFT-c4c4"
STATS_SITES = "/api/v1/stats/sites/"


def _read_routes() -> list[URLPattern]:
    return [
        entry
        for entry in api_urls.urlpatterns
        if isinstance(entry, URLPattern) and entry.name not in NOT_CACHED
    ]


@pytest.fixture
def world(make):
    site = make.site(slug="the-base", name="The Base")
    actor = make.actor(slug="the-group", name="The Group")
    source = make.source(title="a report")
    published = make.incident(
        sites=[site],
        involvements=[(actor, "claimed_by")],
        citations=[(source, "reports")],
        summary="Rockets on the base.",
    )
    draft = make.incident(
        status=Incident.Status.DRAFT,
        sites=[site],
        involvements=[(actor, "claimed_by")],
        citations=[(source, "reports")],
        summary=f"{DRAFT_MARKER} not yet checked",
    )
    return {"published": published, "draft": draft, "source": source}


def _url(route: URLPattern, world) -> str:
    path = API + str(route.pattern)
    names = re.findall(r"<(?:\w+:)?(\w+)>", path)
    values = VALUES.get(route.name, {})
    missing = [name for name in names if name not in values]
    assert not missing, f"teach the walker {missing} for {route.name!r}"
    for name in names:
        value = values[name]
        value = str(world[value].pk) if value in world else value
        path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
    return path + QUERIES.get(route.name, "")


def read_urls(world) -> list[str]:
    return [_url(route, world) for route in _read_routes()]


@pytest.fixture(autouse=True)
def fresh_cache():
    # Throttle counts and aggregates live in the default cache, across tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="incidents",
            codename__in=["view_incident", "add_incident", "change_incident"],
        )
    )
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    return response.getvalue()  # streaming or not


# --- every read endpoint --------------------------------------------------------------


def test_every_api_view_but_schema_and_docs_is_conditional():
    routes = _read_routes()
    assert len(routes) >= 14
    for route in routes:
        assert issubclass(route.callback.cls, ConditionalReadMixin), route.name
    for entry in api_urls.urlpatterns:
        if entry.name in NOT_CACHED:
            assert not issubclass(entry.callback.cls, ConditionalReadMixin)


def test_every_read_endpoint_answers_304_to_a_current_copy(client, world, make):
    urls = read_urls(world)
    assert any(url.startswith(API + "stats/") for url in urls)
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, (url, body(first)[:300])
        etag, last_modified = first["ETag"], first["Last-Modified"]
        assert re.fullmatch(r'W/"[0-9a-f]{40}"', etag), url
        assert last_modified.endswith(" GMT"), url
        assert first["Cache-Control"] == "public, max-age=0, must-revalidate", url
        vary = {v.strip() for v in first["Vary"].split(",")}
        assert {"Accept", "Accept-Language", "Cookie", "Authorization"} <= vary, url

        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert body(again) == b""
        assert again["ETag"] == etag
        assert again["Last-Modified"] == last_modified
        assert again["Cache-Control"] == first["Cache-Control"]
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
        head = client.head(url, HTTP_IF_NONE_MATCH=etag)
        assert head.status_code == 304, url

        # If-None-Match takes precedence over If-Modified-Since.
        stale = client.get(
            url,
            HTTP_IF_NONE_MATCH='W/"0000"',
            HTTP_IF_MODIFIED_SINCE=last_modified,
        )
        assert stale.status_code == 200, url

    old = {url: client.get(url)["ETag"] for url in urls}
    make.actor()  # any change a reader could see
    for url in urls:
        response = client.get(url, HTTP_IF_NONE_MATCH=old[url])
        assert response.status_code == 200, url
        assert response["ETag"] != old[url]
        assert body(response)


def test_a_strong_or_listed_etag_matches_too(client, world):
    etag = client.get(API + "actors/")["ETag"]
    strong = etag.removeprefix("W/")
    assert client.get(API + "actors/", HTTP_IF_NONE_MATCH=strong).status_code == 304
    listed = f'"other", {etag}'
    assert client.get(API + "actors/", HTTP_IF_NONE_MATCH=listed).status_code == 304
    assert client.get(API + "actors/", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_an_older_if_modified_since_gets_the_body(client, world):
    response = client.get(
        API + "sites/", HTTP_IF_MODIFIED_SINCE="Mon, 16 Oct 2023 00:00:00 GMT"
    )
    assert response.status_code == 200
    assert orjson.loads(response.content)["count"] == 1


def test_signed_in_callers_get_private_responses(editor, world):
    response = editor.get(API + "incidents/")
    assert response["Cache-Control"] == "private, max-age=0, must-revalidate"
    again = editor.get(API + "incidents/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, max-age=0, must-revalidate"


# --- what gets no validator -----------------------------------------------------------


def test_errors_and_writes_carry_no_validators(client, world, django_user_model):
    for url in [
        API + "incidents/?bbox=nonsense",
        API + "incidents/999999/",
        API + "incidents/clusters/",  # zoom is required
        API + "stats/timeline/?interval=fortnight",
        API + "actors/?page=99",
    ]:
        response = client.get(url)
        assert 400 <= response.status_code < 500, url
        assert "ETag" not in response and "Last-Modified" not in response, url

    refused = client.post(API + "incidents/", {}, content_type="application/json")
    assert refused.status_code in (401, 403)
    assert "ETag" not in refused

    admin = django_user_model.objects.create_superuser("boss", password="x")  # noqa: S106
    client.force_login(admin)
    created = client.post(
        API + "incidents/",
        {
            "occurred_on": "2023-11-20",
            "event_type": "attack",
            "weapon": "drone",
            "country": "SY",
            "summary": "Drone at the base.",
            "sites": ["the-base"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert "ETag" not in created and "Last-Modified" not in created
    patched = client.patch(
        created["Location"], {"summary": "Two drones."}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert "ETag" not in patched


def test_docs_and_schema_are_never_304(client):
    for url in [API + "docs/", API + "schema/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "ETag" not in response
        assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 200


# --- a 304 is no way around authentication or the throttle ----------------------------


def test_a_bad_token_gets_401_not_304(client, world):
    etag = client.get(API + "incidents/")["ETag"]
    response = client.get(
        API + "incidents/", HTTP_IF_NONE_MATCH=etag, HTTP_AUTHORIZATION="Token nope"
    )
    assert response.status_code == 401
    assert "ETag" not in response


def test_304s_count_against_the_throttle(client, world, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    etag = client.get(STATS_SITES)["ETag"]
    assert client.get(STATS_SITES, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(STATS_SITES, HTTP_IF_NONE_MATCH=etag).status_code == 304
    throttled = client.get(STATS_SITES, HTTP_IF_NONE_MATCH=etag)
    assert throttled.status_code == 429
    assert "ETag" not in throttled


def test_if_match_on_a_read_is_a_json_412(client, world):
    response = client.get(API + "actors/", HTTP_IF_MATCH='"something-else"')
    assert response.status_code == 412
    assert "detail" in response.json()


# --- validators tell representations apart --------------------------------------------


def test_readers_and_editors_get_different_etags(client, editor, world):
    url = API + "incidents/"
    reader, staff = client.get(url), editor.get(url)
    assert reader["ETag"] != staff["ETag"]
    # An editor's copy is no current copy for a reader, even of the same data.
    assert client.get(url, HTTP_IF_NONE_MATCH=staff["ETag"]).status_code == 200
    # Two readers, one anonymous and one signed in without rights, see the same.
    url = API + "sources/"
    assert editor.get(url)["ETag"] != client.get(url)["ETag"]


def test_languages_get_different_etags(client, world):
    url = API + "stats/timeline/"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert english["ETag"] != arabic["ETag"]
    assert arabic["Content-Language"] == "ar"
    answer = client.get(
        url, HTTP_ACCEPT_LANGUAGE="ar", HTTP_IF_NONE_MATCH=english["ETag"]
    )
    assert answer.status_code == 200


def test_formats_get_different_etags(client, world):
    tags = {
        fmt: client.get(API + "incidents/", {"format": fmt})["ETag"]
        for fmt in ("geojson", "csv", "acled")
    }
    assert len(set(tags.values())) == 3
    export = {
        fmt: client.get(API + "incidents/export/", {"format": fmt})["ETag"]
        for fmt in ("geojson", "csv")
    }
    assert export["geojson"] != export["csv"]
    indented = client.get(API + "actors/", HTTP_ACCEPT="application/json; indent=2")
    assert indented["ETag"] != client.get(API + "actors/")["ETag"]


def test_a_streamed_export_gets_validators_before_its_body_is_read(client, world):
    with CaptureQueriesContext(connection) as before_body:
        response = client.get(API + "incidents/export/", {"format": "csv"})
    assert response.streaming
    assert response["ETag"] and response["Last-Modified"]
    assert not any(
        "incidents_incident" in query["sql"] for query in before_body.captured_queries
    ), "the export's rows were read before the body was"
    assert b"Rockets on the base." in body(response)
    again = client.get(
        API + "incidents/export/",
        {"format": "csv"},
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304
    assert not again.streaming and again.content == b""


# --- cached aggregates ----------------------------------------------------------------


def test_stats_come_from_the_cache_until_something_changes(
    client, world, make, django_assert_num_queries
):
    first = client.get(STATS_SITES)
    (row,) = first.json()["results"]
    assert row["incidents"] == 1
    with django_assert_num_queries(1):  # the data version, nothing else
        second = client.get(STATS_SITES)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]

    make.incident(sites=[world["draft"].sites.get()])
    (row,) = client.get(STATS_SITES).json()["results"]
    assert row["incidents"] == 2


@pytest.mark.parametrize(
    "url",
    [
        API + "stats/timeline/?interval=month",
        API + "stats/actors/?role=claimed_by",
        API + "stats/weapons/",
        API + "stats/official-totals/",
        API + "incidents/clusters/?zoom=7",
    ],
)
def test_every_aggregate_is_cached(client, world, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content


def test_a_signed_in_hit_costs_only_the_version_and_the_session(editor, world):
    editor.get(STATS_SITES)
    with CaptureQueriesContext(connection) as hit:
        assert editor.get(STATS_SITES).status_code == 200
    tables = " ".join(query["sql"] for query in hit.captured_queries)
    assert "incidents_incident" not in tables
    assert "incidents_dataversion" in tables


def _cache_key(etag: str) -> str:
    # caching.py names an aggregate's entry after the token its ETag carries.
    return "api-read:" + etag.removeprefix('W/"').removesuffix('"')


def test_an_editors_cached_aggregate_never_reaches_a_reader(client, editor, world):
    staff = editor.get(STATS_SITES)
    # Make the editor's entry hold a draft, as if editors' numbers counted drafts.
    poisoned = orjson.dumps({"results": [{"slug": DRAFT_MARKER}]})
    cache.set(_cache_key(staff["ETag"]), (poisoned, "application/json"))
    assert editor.get(STATS_SITES).content == poisoned  # the key was the right one

    with CaptureQueriesContext(connection) as computed:
        reader = client.get(STATS_SITES)
    assert DRAFT_MARKER.encode() not in reader.content
    assert len(computed) > 1, "the reader's numbers were computed, not shared"
    assert reader["ETag"] != staff["ETag"]


def test_languages_have_their_own_cached_aggregates(client, world):
    english = client.get(STATS_SITES, HTTP_ACCEPT_LANGUAGE="en")
    poisoned = b'{"results": ["english only"]}'
    cache.set(_cache_key(english["ETag"]), (poisoned, "application/json"))
    arabic = client.get(STATS_SITES, HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic.content != poisoned


def test_only_successes_are_cached(client, world):
    bad = client.get(API + "stats/timeline/?interval=fortnight")
    assert bad.status_code == 400
    again = client.get(API + "stats/timeline/?interval=fortnight")
    assert again.status_code == 400
    assert again.json() == bad.json()


# --- gzip -----------------------------------------------------------------------------


def test_json_is_gzipped_and_a_304_has_no_body(client, reference_data):
    url = API + "incidents/?page_size=100"
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    document = orjson.loads(gzip.decompress(response.content))
    assert document["type"] == "FeatureCollection"
    assert response["ETag"].startswith('W/"')

    not_modified = client.get(
        url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert "Content-Encoding" not in not_modified


def test_token_callers_are_private_and_cached_apart(client, world, django_user_model):
    user = django_user_model.objects.create_user("script")
    token = Token.objects.create(user=user)
    signed = client.get(STATS_SITES, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert signed["Cache-Control"].startswith("private")
    anonymous = client.get(STATS_SITES)
    assert anonymous["Cache-Control"].startswith("public")
    # A reader without rights sees what anonymous readers see: the same ETag.
    assert signed["ETag"] == anonymous["ETag"]


# --- Redis ----------------------------------------------------------------------------


@pytest.mark.skipif(
    os.environ.get("BASEWATCH_TEST_REDIS") != "1",
    reason="needs a Redis at 127.0.0.1:6379: set BASEWATCH_TEST_REDIS=1 to run",
)
def test_aggregates_and_throttles_work_on_redis(
    client, world, settings, monkeypatch, django_assert_num_queries
):
    from config.environment import cache_settings

    redis = cache_settings("redis://127.0.0.1:6379/0")
    # A prefix of its own: nothing left from another run is read, nothing deleted.
    redis["KEY_PREFIX"] = f"basewatch-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": redis}
    assert isinstance(caches["default"], RedisCache)

    first = client.get(STATS_SITES)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        second = client.get(STATS_SITES)
    assert second.content == first.content

    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    statuses = [
        client.get(API + "actors/", REMOTE_ADDR="192.0.2.55").status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
