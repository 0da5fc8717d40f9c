"""The API's merge doors: ``POST incidents/<id>/merge/`` for reviewers, the
proposals (``merge-proposals/``), merged tombstones in the sync feed (GeoJSON,
CSV, exports) and old addresses redirecting to the survivor (API and page).
"""

import csv
import io
import json

import orjson
import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from incidents.corroborate import merge_proposal_create
from incidents.corroborate.merge import incidents_merge
from incidents.models import Citation, Incident, MergeProposal

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"
PROPOSALS = "/api/v1/merge-proposals/"
SINCE = "2000-01-01T00:00:00Z"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def users(django_user_model):
    def staff(name, group):
        user = django_user_model.objects.create_user(name, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "editor": staff("editor", "Editor"),
        "reviewer": staff("reviewer", "Reviewer"),
        "member": django_user_model.objects.create_user("member"),
    }


@pytest.fixture
def clients(users):
    return {
        "anonymous": _client(),
        **{role: _client(user) for role, user in users.items()},
    }


def post(client, url, body):
    # json, not orjson: a body may hold an integer too large for 64 bits.
    return client.post(url, json.dumps(body), content_type="application/json")


def errors(response) -> dict:
    assert response.status_code == 400, response.content[:300]
    return orjson.loads(response.content)["errors"]


@pytest.fixture
def pair(make):
    source = make.source(url="https://example.org/moved")
    survivor = make.incident(summary="Survivor words.")
    merged = make.incident(summary="MERGED-SECRET", citations=[(source, "confirms")])
    return survivor, merged


def _state(*incidents):
    return [
        (
            Incident.objects.filter(pk=i.pk).values().get(),
            list(Citation.objects.filter(incident=i).values()),
        )
        for i in incidents
    ]


# --- merging -------------------------------------------------------------------------


def test_a_reviewer_merges_and_gets_the_survivor(clients, users, pair):
    survivor, merged = pair
    response = post(
        clients["reviewer"],
        f"{INCIDENTS}{merged.pk}/merge/",
        {"into": survivor.pk, "note": "Same attack."},
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    feature = orjson.loads(response.content)
    assert feature["id"] == survivor.pk
    assert feature["properties"]["confidence"] == "confirmed"
    assert [s["url"] for s in feature["properties"]["sources"]] == [
        "https://example.org/moved"
    ]
    merged.refresh_from_db()
    assert (merged.status, merged.merged_into_id) == ("merged", survivor.pk)
    record = merged.history.latest("history_date")
    assert record.history_user == users["reviewer"]
    assert record.history_change_reason.endswith("Same attack.")


@pytest.mark.parametrize(
    ("role", "status", "says"),
    [
        ("editor", 403, "Propose the merge instead"),
        ("member", 403, "may not merge"),
        ("anonymous", 401, "credentials"),
    ],
)
def test_others_may_not_merge_and_nothing_changes(clients, pair, role, status, says):
    survivor, merged = pair
    before = _state(survivor, merged)
    response = post(
        clients[role], f"{INCIDENTS}{merged.pk}/merge/", {"into": survivor.pk}
    )
    assert response.status_code == status
    assert says in orjson.loads(response.content)["detail"]
    assert _state(survivor, merged) == before
    # Refused before the body or the ids are looked at.
    assert post(clients[role], f"{INCIDENTS}999999/merge/", {}).status_code == status


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "into"),
        ({"into": "seven"}, "into"),
        ({"into": 0}, "into"),
        ({"into": 10**30}, "into"),
        ({"into": 999999}, "into"),
        ({"into": "SURVIVOR", "colour": "red"}, "colour"),
        ({"into": "SURVIVOR", "note": "x" * 2001}, "note"),
        ({"into": "MERGED"}, "into"),
        ([1, 2], "non_field_errors"),
    ],
)
def test_bad_bodies_name_the_field(clients, pair, body, field):
    survivor, merged = pair
    if isinstance(body, dict):
        names = {"SURVIVOR": survivor.pk, "MERGED": merged.pk}
        body = {k: names.get(v, v) for k, v in body.items()}
    before = _state(survivor, merged)
    response = post(clients["reviewer"], f"{INCIDENTS}{merged.pk}/merge/", body)
    assert field in errors(response)
    assert _state(survivor, merged) == before


def test_refusals_of_the_merge_name_the_side(clients, make, pair):
    survivor, merged = pair
    draft = make.incident(status="draft")
    url = f"{INCIDENTS}{merged.pk}/merge/"
    # Published into a draft would hide a public record.
    assert "into" in errors(post(clients["reviewer"], url, {"into": draft.pk}))
    tombstone = make.incident(status="merged")
    got = errors(
        post(clients["reviewer"], f"{INCIDENTS}{tombstone.pk}/merge/", {"into": 1})
    )
    assert "into" in got or "id" in got
    got = errors(
        post(
            clients["reviewer"],
            f"{INCIDENTS}{tombstone.pk}/merge/",
            {"into": survivor.pk},
        )
    )
    assert "already merged" in got["id"][0]


def test_unknown_and_malformed_path_ids(clients, pair):
    survivor, _merged = pair
    reviewer = clients["reviewer"]
    assert post(reviewer, f"{INCIDENTS}999999/merge/", {"into": 1}).status_code == 404
    assert "id" in errors(post(reviewer, f"{INCIDENTS}abc/merge/", {"into": 1}))
    response = reviewer.post(
        f"{INCIDENTS}{survivor.pk}/merge/?into=3", {}, content_type="application/json"
    )
    assert "into" in errors(response)  # a query parameter is not the body
    assert reviewer.get(f"{INCIDENTS}{survivor.pk}/merge/").status_code == 405


# --- proposals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("member", 403), ("editor", 200), ("reviewer", 200)],
)
def test_who_sees_the_proposals(clients, users, make, role, status):
    draft = make.incident(status="draft", summary="DRAFT-SECRET")
    merge_proposal_create(
        incident=draft, candidate=make.incident(), user=users["editor"], reason="x"
    )
    response = clients[role].get(PROPOSALS)
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"] == "private, no-cache"
        assert "ETag" not in response
        document = orjson.loads(response.content)
        assert document["count"] == 1
        (row,) = document["results"]
        assert row["incident"]["id"] == draft.pk
        assert row["incident"]["status"] == "draft"
        assert row["proposed_by"] == "editor"
        assert row["origin"] == "editor"
    assert b"DRAFT-SECRET" not in response.content


def test_proposals_filter_by_status_and_incident(clients, users, make):
    a, b, c = make.incident(), make.incident(), make.incident()
    first = merge_proposal_create(incident=a, candidate=b, user=users["editor"])
    merge_proposal_create(incident=c, candidate=a, user=users["editor"])
    MergeProposal.objects.filter(pk=first.pk).update(status="dismissed")
    client = clients["editor"]

    def listed(query):
        response = client.get(PROPOSALS, query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in orjson.loads(response.content)["results"]]

    assert len(listed({})) == 2
    assert listed({"status": "dismissed"}) == [first.pk]
    assert len(listed({"incident": a.pk})) == 2
    assert len(listed({"incident": b.pk, "status": "open"})) == 0
    for bad in ({"status": "closed"}, {"incident": "x"}, {"colour": "red"}):
        response = client.get(PROPOSALS, bad)
        assert set(errors(response)) == set(bad)


def test_an_editor_proposes(clients, users, make):
    a, b = make.incident(status="draft"), make.incident()
    response = post(
        clients["editor"],
        PROPOSALS,
        {"incident": a.pk, "candidate": b.pk, "reason": "Same base, same night."},
    )
    assert response.status_code == 201, response.content
    row = orjson.loads(response.content)
    assert (row["incident"]["id"], row["candidate"]["id"]) == (a.pk, b.pk)
    assert (row["status"], row["origin"]) == ("open", "editor")
    proposal = MergeProposal.objects.get(pk=row["id"])
    assert proposal.proposed_by == users["editor"]
    assert proposal.reason == "Same base, same night."

    again = post(clients["editor"], PROPOSALS, {"incident": b.pk, "candidate": a.pk})
    assert "candidate" in errors(again)
    assert "candidate" in errors(
        post(clients["editor"], PROPOSALS, {"incident": a.pk, "candidate": a.pk})
    )
    assert "incident" in errors(
        post(clients["editor"], PROPOSALS, {"incident": 999999, "candidate": a.pk})
    )
    assert "candidate" in errors(post(clients["editor"], PROPOSALS, {"incident": 1}))
    for role, status in (("member", 403), ("anonymous", 401)):
        refused = post(clients[role], PROPOSALS, {"incident": a.pk, "candidate": b.pk})
        assert refused.status_code == status
    assert MergeProposal.objects.count() == 1


def test_a_reviewer_dismisses(clients, users, make):
    proposal = merge_proposal_create(
        incident=make.incident(), candidate=make.incident(), user=users["editor"]
    )
    url = f"{PROPOSALS}{proposal.pk}/dismiss/"
    for role, status in (("editor", 403), ("member", 403), ("anonymous", 401)):
        assert post(clients[role], url, {}).status_code == status
    assert MergeProposal.objects.get(pk=proposal.pk).status == "open"

    response = post(clients["reviewer"], url, {"note": "Two different nights."})
    assert response.status_code == 200, response.content
    row = orjson.loads(response.content)
    assert (row["status"], row["decided_by"]) == ("dismissed", "reviewer")
    assert row["decision_note"] == "Two different nights."
    assert "status" in errors(post(clients["reviewer"], url, {}))
    assert "colour" in errors(post(clients["reviewer"], url, {"colour": 1}))
    missing = post(clients["reviewer"], f"{PROPOSALS}999999/dismiss/", {})
    assert missing.status_code == 404


# --- sync ----------------------------------------------------------------------------


@pytest.fixture
def merged_pair(pair, users):
    survivor, merged = pair
    incidents_merge(survivor=survivor, merged=merged, user=users["reviewer"])
    merged.refresh_from_db()
    return survivor, merged


def _feature(document, pk):
    (found,) = [f for f in document["features"] if f["id"] == pk]
    return found


@pytest.mark.parametrize("url", [INCIDENTS, f"{INCIDENTS}export/"])
@pytest.mark.parametrize("role", ["anonymous", "member", "editor"])
def test_sync_gives_the_tombstone_with_its_survivor(clients, merged_pair, url, role):
    survivor, merged = merged_pair
    body = clients[role].get(url, {"updated_since": SINCE}).getvalue()
    assert b"MERGED-SECRET" not in body
    document = orjson.loads(body)
    tombstone = _feature(document, merged.pk)
    assert tombstone["geometry"] is None
    assert set(tombstone["properties"]) == {"id", "status", "merged_into", "updated_at"}
    assert tombstone["properties"]["status"] == "merged"
    assert tombstone["properties"]["merged_into"] == survivor.pk
    assert _feature(document, survivor.pk)["properties"]["sources"]


@pytest.mark.parametrize("url", [INCIDENTS, f"{INCIDENTS}export/"])
def test_sync_in_csv_gives_the_tombstone_with_its_survivor(client, merged_pair, url):
    survivor, merged = merged_pair
    body = client.get(url, {"updated_since": SINCE, "format": "csv"}).getvalue()
    assert b"MERGED-SECRET" not in body
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(body.decode()))}
    tombstone = rows[merged.pk]
    assert tombstone["status"] == "merged"
    assert tombstone["merged_into"] == str(survivor.pk)
    assert tombstone["updated_at"]
    filled = {k for k, v in tombstone.items() if v}
    assert filled == {"id", "status", "updated_at", "merged_into"}
    assert rows[survivor.pk]["merged_into"] == ""


def test_the_tombstone_comes_whatever_the_filters(client, make, merged_pair):
    _survivor, merged = merged_pair
    elsewhere = make.site(slug="elsewhere")
    response = client.get(
        INCIDENTS,
        {"updated_since": SINCE, "site": elsewhere.slug, "q": "nothing-matches"},
    )
    assert [f["id"] for f in orjson.loads(response.content)["features"]] == [merged.pk]


def test_without_updated_since_no_tombstone(client, merged_pair):
    _survivor, merged = merged_pair
    for url in (INCIDENTS, f"{INCIDENTS}export/"):
        for fmt in ("geojson", "csv", "acled"):
            response = client.get(url, {"format": fmt})
            assert response.status_code == 200
            assert f"{merged.pk}" not in _ids(response, fmt)
    acled = client.get(INCIDENTS, {"format": "acled", "updated_since": SINCE})
    body = acled.getvalue().decode()
    assert "MERGED-SECRET" not in body
    assert f"BW-{merged.pk}" not in body


def _ids(response, fmt) -> set[str]:
    if fmt == "geojson":
        return {str(f["id"]) for f in orjson.loads(response.getvalue())["features"]}
    rows = csv.DictReader(io.StringIO(response.getvalue().decode()))
    key = "event_id_cnty" if fmt == "acled" else "id"
    return {r[key].removeprefix("BW-") for r in rows}


def test_a_merge_among_drafts_is_not_in_the_readers_feed(client, make, users):
    survivor = make.incident(status="draft")
    merged = make.incident(status="draft", summary="DRAFT-SECRET")
    incidents_merge(survivor=survivor, merged=merged, user=users["reviewer"])
    response = client.get(INCIDENTS, {"updated_since": SINCE})
    assert orjson.loads(response.content)["features"] == []


def test_editors_asking_for_merged_get_tombstones(clients, merged_pair):
    survivor, merged = merged_pair
    response = clients["editor"].get(INCIDENTS, {"status": "merged"})
    document = orjson.loads(response.content)
    (feature,) = document["features"]
    assert feature["properties"] == {
        "id": merged.pk,
        "status": "merged",
        "merged_into": survivor.pk,
        "updated_at": feature["properties"]["updated_at"],
    }
    assert clients["member"].get(INCIDENTS, {"status": "merged"}).status_code == 403


def test_a_merge_moves_the_survivor_into_the_feed(client, make, users):
    survivor, merged = make.incident(), make.incident()
    Incident.objects.filter(pk=survivor.pk).update(updated_at="2001-01-01T00:00:00Z")
    incidents_merge(survivor=survivor, merged=merged, user=users["reviewer"])
    response = client.get(INCIDENTS, {"updated_since": "2020-01-01T00:00:00Z"})
    ids = {f["id"] for f in orjson.loads(response.content)["features"]}
    assert ids == {survivor.pk, merged.pk}


# --- old addresses -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "member", "editor", "reviewer"])
def test_old_addresses_redirect_to_the_survivor(clients, merged_pair, role):
    survivor, merged = merged_pair
    client = clients[role]
    page = client.get(f"/incidents/{merged.pk}/")
    assert page.status_code == 301
    assert page["Location"] == reverse("incidents:incident", args=[survivor.pk])
    api = client.get(f"{INCIDENTS}{merged.pk}/")
    assert api.status_code == 301
    assert api["Location"] == f"http://testserver{INCIDENTS}{survivor.pk}/"
    assert "Cookie" in api["Vary"]
    assert b"MERGED-SECRET" not in page.content + api.content
    assert client.get(api["Location"]).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_readers_get_404_when_the_survivor_is_hidden(clients, make, users, role):
    survivor = make.incident(status="draft")
    merged = make.incident(status="review")
    incidents_merge(survivor=survivor, merged=merged, user=users["reviewer"])
    assert clients[role].get(f"{INCIDENTS}{merged.pk}/").status_code == 404
    assert clients[role].get(f"/incidents/{merged.pk}/").status_code == 404
    # An editor, who sees drafts, is led to it in the API; the page is public.
    editor = clients["editor"]
    response = editor.get(f"{INCIDENTS}{merged.pk}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"{INCIDENTS}{survivor.pk}/")
    assert editor.get(f"/incidents/{merged.pk}/").status_code == 404


def test_a_retracted_survivors_page_is_its_notice(client, merged_pair, users):
    from incidents.rules.workflow import incident_move

    survivor, merged = merged_pair
    incident_move(
        incident=survivor, user=users["reviewer"], move="retract", reason="Wrong."
    )
    page = client.get(f"/incidents/{merged.pk}/")
    assert page.status_code == 301
    assert client.get(page["Location"]).status_code == 200
    # The API shows readers no retracted incident.
    assert client.get(f"{INCIDENTS}{merged.pk}/").status_code == 404
    # The feed still tells mirrors where the tombstone went.
    document = orjson.loads(client.get(INCIDENTS, {"updated_since": SINCE}).content)
    assert _feature(document, merged.pk)["properties"]["merged_into"] == survivor.pk


def test_a_tombstone_cannot_be_changed_through_the_api(clients, merged_pair):
    _survivor, merged = merged_pair
    response = clients["reviewer"].patch(
        f"{INCIDENTS}{merged.pk}/",
        orjson.dumps({"summary": "new"}),
        content_type="application/json",
    )
    assert "merged into" in errors(response)["status"][0]
    merged.refresh_from_db()
    assert merged.summary == "MERGED-SECRET"


def test_the_schema_documents_the_merge_doors(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    paths = schema["paths"]
    assert "post" in paths["/api/v1/incidents/{incident_id}/merge/"]
    assert {"get", "post"} <= set(paths["/api/v1/merge-proposals/"])
    assert "post" in paths["/api/v1/merge-proposals/{proposal_id}/dismiss/"]
    detail = paths["/api/v1/incidents/{incident_id}/"]["get"]
    assert "301" in detail["responses"]
    listing = paths["/api/v1/merge-proposals/"]["get"]
    # Proposals do not move the data version: no validators, no 304.
    assert "304" not in listing["responses"]
    assert {p["name"] for p in listing["parameters"]} == {
        "status",
        "incident",
        "page",
        "page_size",
    }
