"""Who sees what: anonymous readers, a signed-in reader without rights, and an
editor (``view``/``add``/``change`` on incidents), against incidents in every
status, on every read endpoint.

Readers only ever see published incidents: not in lists, details, counts, CSV,
the sources they cite, nor in the per-actor and per-site numbers. Retracted ones
reach them only as tombstones in the sync feed. Every non-published incident
carries a unique marker in its text, and no reader response may contain it.
"""

import csv
import io

import orjson
import pytest
from django.contrib.auth.models import Permission
from django.test import Client

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"
STATUSES = ["published", "draft", "review", "retracted"]
HIDDEN = ["draft", "review", "retracted"]
EDITOR_PERMS = ["view_incident", "add_incident", "change_incident"]


def marker(status: str) -> str:
    return f"MARKER-{status.upper()}-7f3a"


@pytest.fixture
def world(make):
    """One incident per status at one site with one actor; each cites a source of
    its own, and one source is shared by the published incident and the draft."""
    site = make.site(slug="the-base", name="The Base")
    actor = make.actor(slug="the-group", name="The Group")
    shared = make.source(url="https://example.org/shared", title="shared")
    rows = {"site": site, "actor": actor, "shared": shared}
    for status in STATUSES:
        own = make.source(
            url=f"https://example.org/{status}", title=f"{marker(status)} title"
        )
        citations = [(own, "reports")]
        if status in ("published", "draft"):
            citations.append((shared, "reports"))
        rows[status] = make.incident(
            status=status,
            summary=f"{marker(status)} summary",
            admin1=marker(status),
            sites=[site],
            involvements=[(actor, "claimed_by")],
            citations=citations,
        )
        rows[f"source_{status}"] = own
    return rows


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="incidents", codename__in=EDITOR_PERMS
        )
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member(django_user_model):
    """Signed in, but without any right on incidents: a reader."""
    user = django_user_model.objects.create_user("member")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewers(client, member, editor):
    return {"anonymous": client, "member": member, "editor": editor}


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, (url, response.content[:300])
    return orjson.loads(response.content)


def list_ids(client, params=None) -> set[int]:
    document = get_json(client, INCIDENTS, {**(params or {}), "page_size": 1000})
    assert document["count"] == len(document["features"])
    return {f["id"] for f in document["features"]}


def reader_urls(world) -> list[str]:
    """Every read URL a reader could try, including guesses at hidden ids."""
    urls = [
        INCIDENTS,
        f"{INCIDENTS}?format=csv",
        f"{INCIDENTS}?updated_since=2000-01-01T00:00:00Z",
        f"{INCIDENTS}?updated_since=2000-01-01T00:00:00Z&format=csv",
        f"{INCIDENTS}?site=the-base&actor=the-group&q=marker",
        f"{INCIDENTS}?format=acled",
        f"{INCIDENTS}export/",
        f"{INCIDENTS}export/?format=csv",
        f"{INCIDENTS}export/?format=acled",
        f"{INCIDENTS}export/?q=marker",
        "/api/v1/sites/",
        "/api/v1/sites/?format=csv",
        "/api/v1/sites/the-base/",
        "/api/v1/actors/",
        "/api/v1/actors/the-group/",
        "/api/v1/sources/",
        "/api/v1/schema/",
    ]
    for status in STATUSES:
        urls.append(f"{INCIDENTS}{world[status].pk}/")
        urls.append(f"/api/v1/sources/{world[f'source_{status}'].pk}/")
    return urls


# --- the matrix ----------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_readers_see_only_published_in_the_list(viewers, world, viewer):
    client = viewers[viewer]
    assert list_ids(client) == {world["published"].pk}
    document = get_json(client, INCIDENTS)
    assert document["count"] == 1


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
@pytest.mark.parametrize("status", STATUSES)
def test_reader_detail_by_status(viewers, world, viewer, status):
    response = viewers[viewer].get(f"{INCIDENTS}{world[status].pk}/")
    if status == "published":
        assert response.status_code == 200
        assert orjson.loads(response.content)["properties"]["summary"] == (
            f"{marker(status)} summary"
        )
    else:
        # Exactly the answer for an id that does not exist: nothing to learn.
        assert response.status_code == 404
        missing = viewers[viewer].get(f"{INCIDENTS}999999/")
        assert (
            orjson.loads(response.content).keys()
            == orjson.loads(missing.content).keys()
        )


@pytest.mark.parametrize("status", STATUSES)
def test_editor_detail_by_status(editor, world, status):
    feature = get_json(editor, f"{INCIDENTS}{world[status].pk}/")
    assert feature["id"] == world[status].pk
    assert feature["properties"]["status"] == status
    if status != "retracted":
        assert feature["properties"]["summary"] == f"{marker(status)} summary"


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_readers_csv_has_only_published(viewers, world, viewer):
    response = viewers[viewer].get(INCIDENTS, {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [int(r["id"]) for r in rows] == [world["published"].pk]
    assert response["X-Total-Count"] == "1"


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_readers_sync_feed_has_tombstones_but_no_drafts(viewers, world, viewer):
    document = get_json(
        viewers[viewer], INCIDENTS, {"updated_since": "2000-01-01T00:00:00Z"}
    )
    by_id = {f["id"]: f for f in document["features"]}
    assert set(by_id) == {world["published"].pk, world["retracted"].pk}
    assert document["count"] == 2
    tombstone = by_id[world["retracted"].pk]
    assert tombstone["geometry"] is None
    assert set(tombstone["properties"]) == {"id", "status", "updated_at"}


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_no_reader_response_contains_hidden_text(viewers, world, viewer):
    client = viewers[viewer]
    for url in reader_urls(world):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        body = response.getvalue()  # streamed downloads too
        for status in HIDDEN:
            assert marker(status).encode() not in body, (url, status)
    # The published one is really there, so the scan could have found text.
    assert marker("published").encode() in client.get(INCIDENTS).content


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_reader_sources_are_those_of_published_incidents(viewers, world, viewer):
    client = viewers[viewer]
    document = get_json(client, "/api/v1/sources/")
    urls = {s["url"] for s in document["results"]}
    assert urls == {"https://example.org/published", "https://example.org/shared"}
    assert document["count"] == 2
    for status in STATUSES:
        source = world[f"source_{status}"]
        response = client.get(f"/api/v1/sources/{source.pk}/")
        assert response.status_code == (200 if status == "published" else 404)
    assert client.get(f"/api/v1/sources/{world['shared'].pk}/").status_code == 200


def test_editor_sees_every_source(editor, world):
    document = get_json(editor, "/api/v1/sources/")
    urls = {s["url"] for s in document["results"]}
    assert urls == {f"https://example.org/{s}" for s in STATUSES} | {
        "https://example.org/shared"
    }
    for status in HIDDEN:
        source = world[f"source_{status}"]
        assert get_json(editor, f"/api/v1/sources/{source.pk}/")["id"] == source.pk


@pytest.mark.parametrize("viewer", ["anonymous", "member", "editor"])
def test_counts_on_actors_and_sites_are_published_only(viewers, world, viewer):
    client = viewers[viewer]
    actors = get_json(client, "/api/v1/actors/")["results"]
    (actor,) = [a for a in actors if a["slug"] == "the-group"]
    assert actor["incident_count"] == 1
    assert get_json(client, "/api/v1/actors/the-group/")["incident_count"] == 1

    sites = get_json(client, "/api/v1/sites/")["features"]
    (site,) = [s for s in sites if s["id"] == "the-base"]
    assert site["properties"]["attack_count"] == 1
    detail = get_json(client, "/api/v1/sites/the-base/")
    assert detail["properties"]["attack_count"] == 1
    response = client.get("/api/v1/sites/", {"format": "csv"})
    (row,) = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["attack_count"] == "1"


def test_counts_follow_publication(client, world):
    """The counts are live: publishing the draft raises them, retracting lowers.
    (Saved as every write path saves, so the data version moves and cached counts
    are dropped; a bare ``QuerySet.update`` would bypass that, and no path uses it.)"""
    draft, published = world["draft"], world["published"]
    assert get_json(client, "/api/v1/actors/the-group/")["incident_count"] == 1
    draft.status = "published"
    draft.save()
    assert get_json(client, "/api/v1/actors/the-group/")["incident_count"] == 2
    site = get_json(client, "/api/v1/sites/the-base/")
    assert site["properties"]["attack_count"] == 2
    published.status, published.retraction_reason = "retracted", "Duplicate."
    published.save()
    assert get_json(client, "/api/v1/actors/the-group/")["incident_count"] == 1
    assert list_ids(client) == {draft.pk}


# --- the status parameter -------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
@pytest.mark.parametrize("value", ["draft", "review", "retracted", "published"])
def test_readers_may_not_filter_by_status(viewers, world, viewer, value):
    response = viewers[viewer].get(INCIDENTS, {"status": value})
    # 403, not 400: the request is well formed, the asker may not make it.
    assert response.status_code == 403
    assert orjson.loads(response.content)["detail"].startswith("status:")
    assert marker("draft").encode() not in response.content


def test_readers_may_not_filter_by_status_in_csv_or_sync(client, world):
    for extra in ({"format": "csv"}, {"updated_since": "2000-01-01T00:00:00Z"}):
        response = client.get(INCIDENTS, {"status": "draft", **extra})
        assert response.status_code == 403
        assert orjson.loads(response.content)["detail"].startswith("status:")
        assert marker("draft").encode() not in response.content


def test_editor_default_list_is_published(editor, world):
    assert list_ids(editor) == {world["published"].pk}


@pytest.mark.parametrize(
    "value,expected",
    [
        ("draft", {"draft"}),
        ("review", {"review"}),
        ("draft,review", {"draft", "review"}),
        ("published,draft", {"published", "draft"}),
        ("published", {"published"}),
        ("retracted", {"retracted"}),
        ("draft,review,published,retracted", set(STATUSES)),
    ],
)
def test_editor_status_filter(editor, world, value, expected):
    assert list_ids(editor, {"status": value}) == {world[s].pk for s in expected}


def test_editor_sees_drafts_with_their_content(editor, world):
    document = get_json(editor, INCIDENTS, {"status": "draft"})
    (feature,) = document["features"]
    assert feature["properties"]["status"] == "draft"
    assert feature["properties"]["summary"] == f"{marker('draft')} summary"
    assert document["count"] == 1


def test_editor_drafts_in_csv(editor, world):
    response = editor.get(INCIDENTS, {"status": "draft,review", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["status"] for r in rows} == {"draft", "review"}
    assert response["X-Total-Count"] == "2"


def test_editor_status_combines_with_filters(editor, world, make):
    other = make.incident(status="draft", country="IQ")
    assert list_ids(editor, {"status": "draft", "country": "IQ"}) == {other.pk}
    assert list_ids(editor, {"status": "draft", "site": "the-base"}) == {
        world["draft"].pk
    }


def test_editor_status_filter_rejects_bad_values(editor, world):
    response = editor.get(INCIDENTS, {"status": "deleted"})
    assert response.status_code == 400
    assert "status" in orjson.loads(response.content)["errors"]


def test_view_permission_alone_is_what_opens_drafts(django_user_model, world):
    user = django_user_model.objects.create_user("viewer")
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="incidents", codename="view_incident"
        )
    )
    client = Client()
    client.force_login(user)
    assert list_ids(client, {"status": "draft"}) == {world["draft"].pk}

    adder = django_user_model.objects.create_user("adder")
    adder.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="incidents", codename="add_incident"
        )
    )
    client = Client()
    client.force_login(adder)
    assert client.get(INCIDENTS, {"status": "draft"}).status_code == 403
    assert client.get(f"{INCIDENTS}{world['draft'].pk}/").status_code == 404


def test_inactive_editor_is_a_reader(django_user_model, world):
    user = django_user_model.objects.create_user("gone")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="incidents", codename__in=EDITOR_PERMS
        )
    )
    client = Client()
    client.force_login(user)
    assert list_ids(client, {"status": "draft"}) == {world["draft"].pk}
    user.is_active = False
    user.save()
    assert client.get(INCIDENTS, {"status": "draft"}).status_code == 403
    assert client.get(f"{INCIDENTS}{world['draft'].pk}/").status_code == 404


def test_editor_status_is_kept_in_the_sync_feed(editor, world):
    got = list_ids(editor, {"status": "draft", "updated_since": "2000-01-01T00:00:00Z"})
    assert got == {world["draft"].pk}
