"""Sites and actors made for unpublished work stay hidden from readers (issue 21).

Red-team case: an editor adds a site (or an ACLED import adds an actor) for a
draft; before, anonymous readers saw it at once in ``sites/`` and ``actors/``,
naming the target or suspect of an incident nobody had checked. Now a site or
actor outside the reference data exists for readers only once a published
incident names it (an umbrella, once one of its members is known): everywhere
else it answers as a slug that was never made.
"""

import csv
import io

import orjson
import pytest
from django.test import Client

from incidents.ingest.acled import import_acled
from incidents.models import Actor, Incident
from incidents.place_selectors import (
    UnknownReference,
    actor_with_members,
    public_actor_ids,
    public_sites,
)
from tests import TEST_DATA
from tests.api.test_caching import editor, fresh_cache  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def secret(make):
    """A draft at a new site, claimed by a new group under a new umbrella."""
    gazetteer = make.site(slug="known-base", name="Known Base", latitude=33.0)
    site = make.site(
        slug="secret-base", name="Secret Base", reference=False, latitude=36.9
    )
    umbrella = make.actor(slug="new-front", name="New Front", reference=False)
    group = make.actor(
        slug="new-cell", name="New Cell", reference=False, parent=umbrella
    )
    make.incident(sites=[gazetteer], summary="On the record.")
    draft = make.incident(
        status=Incident.Status.DRAFT,
        sites=[site],
        involvements=[(group, "claimed_by")],
        summary="Not checked yet.",
    )
    return {"site": site, "group": group, "umbrella": umbrella, "draft": draft}


def _slugs(client: Client, url: str) -> set[str]:
    document = orjson.loads(client.get(url).content)
    if "features" in document:
        return {f["properties"]["slug"] for f in document["features"]}
    return {row["slug"] for row in document["results"]}


def _words(response, slug: str) -> bytes:
    """What an answer says, the asked-for slug (the asker's own input) aside."""
    if response.get("Content-Type", "").startswith("text/html"):
        errors = response.context.get("errors") if response.context else None
        return repr(errors).replace(slug, "X").encode()
    body = response.getvalue() if response.streaming else response.content
    return body.replace(slug.encode(), b"X")


def _as_never_made(client: Client, url: str, slug: str, query=None) -> int:
    """``slug`` answers at ``url`` as a slug nobody ever made does, word for word."""
    hidden = client.get(url.format(slug), {k: slug for k in query or ()})
    never = client.get(url.format("never-made"), {k: "never-made" for k in query or ()})
    assert hidden.status_code == never.status_code, (url, hidden.status_code)
    assert _words(hidden, slug) == _words(never, "never-made"), url
    for text in (b"Secret Base", b"New Cell", b"New Front", b"Not checked yet"):
        assert text not in _words(hidden, slug), text
    return hidden.status_code


def test_readers_are_told_of_no_hidden_site_or_actor(client, secret):
    assert _slugs(client, f"{API}/sites/") == {"known-base"}
    assert _slugs(client, f"{API}/actors/") == set()
    csv_rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"{API}/sites/?format=csv").content.decode())
        )
    )
    assert [row["slug"] for row in csv_rows] == ["known-base"]
    for url in (f"{API}/sites/{{}}/", f"{API}/actors/{{}}/", "/sites/{}/"):
        for slug in ("secret-base", "new-cell", "new-front"):
            assert _as_never_made(client, url, slug) == 404
    # The map's first view is not stretched north to the hidden site.
    page = client.get("/").content.decode()
    assert 'data-sites-bounds="40.000000,33.000000,40.000000,33.000000"' in page


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/incidents/",
        f"{API}/incidents/export/",
        f"{API}/stats/timeline/",
        f"{API}/stats/sites/",
        "/stats/",
    ],
)
@pytest.mark.parametrize(
    ("param", "slug"),
    [("site", "secret-base"), ("actor", "new-cell"), ("actor", "new-front")],
)
def test_a_hidden_slug_in_a_filter_answers_as_a_typo(client, secret, url, param, slug):
    assert _as_never_made(client, url, slug, query=[param]) == 400


def test_editors_see_them_all(editor, secret):  # noqa: F811
    assert "secret-base" in _slugs(editor, f"{API}/sites/")
    assert _slugs(editor, f"{API}/actors/") == {"new-cell", "new-front"}
    assert editor.get(f"{API}/sites/secret-base/").status_code == 200
    assert editor.get("/sites/secret-base/").status_code == 200
    response = editor.get(
        f"{API}/incidents/", {"status": "draft", "site": "secret-base"}
    )
    assert response.status_code == 200
    assert orjson.loads(response.content)["count"] == 1
    response = editor.get(
        f"{API}/incidents/", {"status": "draft", "actor": "new-front"}
    )
    assert orjson.loads(response.content)["count"] == 1


def test_publishing_the_draft_shows_them_umbrella_too(client, secret):
    draft = secret["draft"]
    draft.status = Incident.Status.PUBLISHED
    draft.save()
    assert _slugs(client, f"{API}/sites/") == {"known-base", "secret-base"}
    assert _slugs(client, f"{API}/actors/") == {"new-cell", "new-front"}
    site = orjson.loads(client.get(f"{API}/sites/secret-base/").content)
    assert site["properties"]["attack_count"] == 1
    assert client.get("/sites/secret-base/").status_code == 200
    response = client.get(f"{API}/incidents/", {"actor": "new-front"})
    assert orjson.loads(response.content)["count"] == 1


def test_the_hidden_sites_changes_leave_readers_validators_alone(client, secret):
    url = f"{API}/sites/"
    before = client.get(url)["ETag"]
    site = secret["site"]
    site.name = "Secret Base (renamed)"
    site.save()
    secret["group"].name = "New Cell (renamed)"
    secret["group"].save()
    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 304
    # A site readers see moves it.
    known = public_sites().get(slug="known-base")
    known.name = "Known Base (renamed)"
    known.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200


def test_an_acled_import_of_drafts_adds_actors_readers_do_not_see(
    client, reference_data
):
    before = set(Actor.objects.values_list("slug", flat=True))
    report = import_acled(TEST_DATA / "acled" / "current-style.csv")
    assert report.ok, report.errors
    added = set(Actor.objects.values_list("slug", flat=True)) - before
    assert added, "the file names actors the reference data does not"
    assert not added & _slugs(client, f"{API}/actors/?page_size=1000")
    for incident in Incident.objects.filter(status=Incident.Status.REVIEW):
        incident.status = Incident.Status.PUBLISHED
        incident.save()  # through the ORM, as the workflow does: the version moves
    named = set(
        Actor.objects.filter(
            slug__in=added, involvements__incident__status=Incident.Status.PUBLISHED
        ).values_list("slug", flat=True)
    )
    assert named and named <= _slugs(client, f"{API}/actors/?page_size=1000")


# --- the rule itself, without HTTP ----------------------------------------------------


def test_an_umbrella_is_known_through_any_depth_of_members(make):
    top = make.actor(slug="top", reference=False)
    middle = make.actor(slug="middle", reference=False, parent=top)
    leaf = make.actor(slug="leaf", reference=False, parent=middle)
    assert public_actor_ids() & {top.pk, middle.pk, leaf.pk} == set()
    with pytest.raises(UnknownReference) as raised:
        actor_with_members(["top", "leaf"], every_place=False)
    assert raised.value.missing == ["top", "leaf"]
    assert actor_with_members(["top"], every_place=True) == sorted(
        [top.pk, middle.pk, leaf.pk]
    )

    make.incident(involvements=[(leaf, "claimed_by")])
    assert {top.pk, middle.pk, leaf.pk} <= public_actor_ids()
    # Named together, an umbrella and its member: both known through the leaf.
    assert actor_with_members(["top", "middle"], every_place=False) == sorted(
        [top.pk, middle.pk, leaf.pk]
    )


def test_a_reference_actor_costs_no_extra_query(make, django_assert_num_queries):
    make.actor(slug="listed")  # the factory's actors are of the reference data
    with django_assert_num_queries(2):  # the slug, then its (empty) members
        actor_with_members(["listed"], every_place=False)
