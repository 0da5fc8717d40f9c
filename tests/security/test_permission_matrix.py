"""The permission matrix: every role × every incident state × every public URL and
export, and the admin for the staff roles.

Roles: an anonymous reader, a signed-in *member* with no permission, an *editor*
(group Editor, staff), a *reviewer* (group Reviewer, staff) and a *superuser*. The
last three hold ``incidents.view_incident``, which is what
``selectors.user_sees_unpublished`` asks: they are the API's "viewers"; anonymous
and member are its "readers" and must see exactly the same.

What it proves, per role (one ``world``, one incident per state, per test):

- ``test_every_url_shows_a_role_only_what_it_may``: the route walker of
  ``test_public_urls`` (every route of the URLconf, its parameters filled with the
  ids of incidents and sources in every state) with its query variants, sync
  with CSV and GeoJSON, and an explicit ``status``: no 5xx,
  and no marker of a non-published incident anywhere except where ``_viewer_may_see``
  allows a viewer to see it (API detail and ``status=`` lists of drafts and
  review items; sources).
- ``test_the_matrix``: ``MATRIX`` below, cell by cell, for each state and each URL
  of its surface; a failure names role, state and URL. Public figures (incident
  page, map, site page, stats, clusters, timeline, official totals, site and actor
  counts) count and show published incidents only, for every role.
- the admin (``ADMIN``): change page reachable and saving allowed or 403, delete
  page 403 for all but the superuser, and each workflow action posted to the
  changelist for every state moves the incident exactly when ``workflow.MOVES``
  and the role allow it.

- merges (``MERGED_TABLE``, the end of this file): a published incident merged
  into the published one, for every role, on every surface (its old page and
  API address redirect to the survivor, sync gives its tombstone with
  ``merged_into``, nothing else shows it); every route walked with its id shows
  its content to nobody; every merge door (admin from two incidents, admin from
  a proposal, API) merges only for reviewers and superusers, every dismissal
  likewise, every proposal door for editors too; a tombstone's change form is
  read-only for every role.

Not repeated here: the API reader/editor detail, CSV, sync and ``status`` cases of
``test_visibility`` (anonymous, member, a permission-holding user), the
workflow service rules and the editor-on-published change page of
``rules/test_workflow``, the retraction notice of ``pages/test_incident_page`` and
the admin pages for a superuser in ``admin/test_editing``. Two leaks this matrix
found are fixed and stay pinned: ACLED files left retracted incidents in full
(ACLED cannot say "withdrawn", so they are left out), and a retracted incident's
page kept its corrections log (the withdrawn facts, old and new).
"""

import csv
import datetime
import io

import orjson
import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import get_resolver, reverse

from incidents.corroborate import incidents_merge, merge_proposal_create
from incidents.models import Incident, MergeProposal, OfficialTotal
from incidents.rules.workflow import MOVES, incident_move
from incidents.services import incident_update

from .test_public_urls import NOT_PUBLIC, QUERY_VARIANTS, _routes, _urls, _values
from .test_visibility import HIDDEN, STATUSES, marker, world  # noqa: F401

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "editor", "reviewer", "superuser"]
READERS = ("anonymous", "member")  # no view permission: readers, in the API too
VIEWERS = ("editor", "reviewer", "superuser")  # incidents.view_incident
STAFF = VIEWERS
SINCE = "updated_since=2000-01-01T00:00:00Z"
INCIDENTS = "/api/v1/incidents/"

# --- the expectations -----------------------------------------------------------------
#
# One row per surface and audience; one column per state of the incident.
#   content    its facts (its marker) are in the answer
#   tombstone  only {id, status, updated_at} (ACLED CSV cannot carry one: there it
#              means the row holds none of its content, or is left out)
#   notice     the retraction notice (when, and the public reason), no content
#   absent     a 200 answer without it
#   404, 403   the answer's status
#   counted / uncounted   whether the public figures count it
MATRIX_TABLE = """
surface  audience  draft      review     published  retracted
page     everyone  404        404        content    notice
figures  everyone  uncounted  uncounted  counted    uncounted
list     everyone  absent     absent     content    absent
sync     everyone  absent     absent     content    tombstone
detail   readers   404        404        content    404
detail   viewers   content    content    content    tombstone
status   readers   403        403        403        403
status   viewers   content    content    content    tombstone
source   readers   404        404        content    404
source   viewers   content    content    content    content
"""
# page:    /incidents/<id>/
# figures: stats (timeline, sites, actors, weapons) and clusters, filtered by the
#          incident's marker text (q); their totals, the site and actor counts,
#          the site page and the official totals must add up to the counted column.
# list:    the paginated list and the streaming export, in every format
# sync:    the same with updated_since
# detail:  /api/v1/incidents/<id>/
# status:  the list and the export with status=<state>
# source:  /api/v1/sources/<id of the source only this incident cites>/


def _parse(table: str) -> dict[tuple[str, str, str], str]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    states = header[2:]
    cells = {}
    for surface, audience, *outcomes in rows:
        roles = {"everyone": ROLES, "readers": READERS, "viewers": VIEWERS}[audience]
        for role in roles:
            for state, outcome in zip(states, outcomes, strict=True):
                cells[(surface, role, state)] = outcome
    return cells


MATRIX = _parse(MATRIX_TABLE)

LIST_URLS = [  # (path and query, format)
    (INCIDENTS, "geojson"),
    (f"{INCIDENTS}?format=geojson", "geojson"),
    (f"{INCIDENTS}?format=csv", "csv"),
    (f"{INCIDENTS}?format=acled", "acled"),
    (f"{INCIDENTS}export/", "geojson"),
    (f"{INCIDENTS}export/?format=geojson", "geojson"),
    (f"{INCIDENTS}export/?format=csv", "csv"),
    (f"{INCIDENTS}export/?format=acled", "acled"),
]

# --- the roles ------------------------------------------------------------------------


@pytest.fixture
def clients(django_user_model, client):
    def signed_in(user):
        signed = Client()
        signed.force_login(user)
        return signed

    def staff(name, group):
        user = django_user_model.objects.create_user(name, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return signed_in(user)

    return {
        "anonymous": client,
        "member": signed_in(django_user_model.objects.create_user("member")),
        "editor": staff("editor", "Editor"),
        "reviewer": staff("reviewer", "Reviewer"),
        "superuser": signed_in(
            django_user_model.objects.create_superuser("boss", "boss@example.org")
        ),
    }


def _get(client, url):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    return response


def _json(client, url):
    response = _get(client, url)
    assert response.status_code == 200, (url, response.status_code)
    return orjson.loads(response.content)


# --- observing one incident in one answer -------------------------------------------


def _observe(response, fmt: str, incident: Incident) -> str:
    """What ``response`` holds of ``incident``, in the table's words."""
    if response.status_code in (400, 403, 404):
        return str(response.status_code)
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    body = response.getvalue().decode()
    has_content = marker(incident.status) in body
    if fmt == "html":
        if has_content:
            return "content"
        return "notice" if 'id="bw-retraction"' in body else "a page without it"
    if fmt == "json":  # a source
        return "content" if has_content else "absent"
    if fmt == "geojson":
        document = orjson.loads(body)
        features = document.get("features", [document])
        mine = [f for f in features if f["id"] == incident.pk]
        bare = bool(mine) and (
            mine[0]["geometry"] is None
            and set(mine[0]["properties"]) == {"id", "status", "updated_at"}
        )
    else:
        rows = list(csv.DictReader(io.StringIO(body)))
        if fmt == "csv":
            mine = [r for r in rows if r["id"] == str(incident.pk)]
            bare = bool(mine) and mine[0]["status"] == "retracted"
            bare = bare and not mine[0]["occurred_on"] and not mine[0]["summary"]
        else:  # acled: no tombstone row exists in that format
            mine = [r for r in rows if r["event_id_cnty"] == f"BW-{incident.pk}"]
            bare = bool(mine)
    if has_content:
        return "content"
    if not mine:
        return "absent"
    return "tombstone" if bare else "a row without its marker"


def _agrees(expected: str, observed: str, fmt: str) -> bool:
    if expected == "tombstone" and fmt == "acled":
        return observed in ("tombstone", "absent")
    return expected == observed


def _cells(world, surface: str, state: str):  # noqa: F811
    """(url, format) of ``surface`` for the incident in ``state``."""
    incident = world[state]
    if surface == "page":
        return [(f"/incidents/{incident.pk}/", "html")]
    if surface == "detail":
        return [(f"{INCIDENTS}{incident.pk}/", "geojson")]
    if surface == "source":
        return [(f"/api/v1/sources/{world[f'source_{state}'].pk}/", "json")]
    extra = {"list": "", "sync": SINCE, "status": f"status={state}"}[surface]
    if not extra:
        return LIST_URLS
    return [(url + ("&" if "?" in url else "?") + extra, fmt) for url, fmt in LIST_URLS]


def _mismatches(client, role, world) -> tuple[list[str], int]:  # noqa: F811
    """Every cell of the table but the figures, for ``role``."""
    failures, checked = [], 0
    for surface in ("page", "list", "sync", "detail", "status", "source"):
        for state in STATUSES:
            expected = MATRIX[(surface, role, state)]
            for url, fmt in _cells(world, surface, state):
                observed = _observe(_get(client, url), fmt, world[state])
                checked += 1
                if not _agrees(expected, observed, fmt):
                    failures.append(
                        f"{role} × {state} × {url}: the table says {expected}, "
                        f"got {observed}"
                    )
    return failures, checked


@pytest.mark.parametrize("role", ROLES)
def test_the_matrix(clients, world, role):  # noqa: F811
    failures, checked = _mismatches(clients[role], role, world)
    assert not failures, "\n".join(failures)
    assert checked == 4 * (3 + 3 * len(LIST_URLS))


# --- public figures -----------------------------------------------------------------


FIGURES = {  # url (the q filter is added) -> the number it counts
    "/api/v1/stats/timeline/?interval=month": lambda d: sum(
        r["incidents"] for r in d["results"]
    ),
    "/api/v1/stats/sites/": lambda d: sum(r["incidents"] for r in d["results"]),
    "/api/v1/stats/actors/": lambda d: sum(r["incidents"] for r in d["results"]),
    "/api/v1/stats/weapons/": lambda d: sum(r["incidents"] for r in d["results"]),
    f"{INCIDENTS}clusters/?zoom=5": lambda d: d["count"] + d["unplaced"],
}


@pytest.mark.parametrize("role", ROLES)
def test_public_figures_count_published_incidents_only(clients, world, role):  # noqa: F811
    OfficialTotal.objects.create(
        as_of=datetime.date(2024, 1, 31), reported_by="Pentagon", total_attacks=150
    )
    client = clients[role]
    failures = []
    for state in STATUSES:
        expected = MATRIX[("figures", role, state)]
        for url, count in FIGURES.items():
            joined = url + ("&" if "?" in url else "?") + f"q={marker(state)}"
            response = _get(client, joined)
            assert response.status_code == 200, (role, joined, response.content)
            n = count(orjson.loads(response.content))
            observed = {0: "uncounted", 1: "counted"}.get(n, f"counted {n} times")
            if observed != expected:
                failures.append(
                    f"{role} × {state} × {joined}: the table says {expected}, "
                    f"got {observed}"
                )
    assert not failures, "\n".join(failures)

    counted = sum(MATRIX[("figures", role, s)] == "counted" for s in STATUSES)
    site_page = _get(client, "/sites/the-base/")
    totals = {
        "/sites/the-base/": site_page.context["site"].attack_count,
        "/api/v1/sites/the-base/": _json(client, "/api/v1/sites/the-base/")[
            "properties"
        ]["attack_count"],
        "/api/v1/actors/the-group/": _json(client, "/api/v1/actors/the-group/")[
            "incident_count"
        ],
        "/api/v1/stats/official-totals/": _json(
            client, "/api/v1/stats/official-totals/"
        )["documented"][0]["cumulative_incidents"],
    }
    for url, count in FIGURES.items():
        totals[url] = count(_json(client, url))
    assert totals == dict.fromkeys(totals, counted), role

    # Public figures take no status parameter, from anyone.
    for url in FIGURES:
        joined = url + ("&" if "?" in url else "?") + "status=draft"
        response = _get(client, joined)
        assert response.status_code == 400, (role, joined)
        assert marker("draft").encode() not in response.content


def test_a_retracted_incident_page_is_its_notice_for_every_role(clients, world):  # noqa: F811
    world["retracted"].retraction_reason = "Two reports of one event."
    world["retracted"].retracted_at = datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)
    world["retracted"].save()
    for role in ROLES:
        body = _get(clients[role], f"/incidents/{world['retracted'].pk}/")
        html = body.content.decode()
        assert body.status_code == 200, role
        assert "Two reports of one event." in html, role
        assert "2024-02-01" in html, role
        for text in (marker("retracted"), "The Base", "The Group", "example.org"):
            assert text not in html, (role, text)


@pytest.mark.parametrize("role", ROLES)
def test_a_retracted_page_keeps_no_corrected_fact(clients, make, role):
    reviewer = Group.objects.get(name="Reviewer").user_set.get()
    incident = make.incident(status="draft", summary="MARKER-BEFORE-7f3a")
    incident_move(incident=incident, user=reviewer, move="publish")
    incident_update(
        incident=incident, user=reviewer, fields={"summary": "MARKER-AFTER-7f3a"}
    )
    incident_move(
        incident=incident, user=reviewer, move="retract", reason="Double report."
    )
    html = _get(clients[role], f"/incidents/{incident.pk}/").content.decode()
    assert "Double report." in html
    assert "MARKER-BEFORE-7f3a" not in html, role
    assert "MARKER-AFTER-7f3a" not in html, role


# --- every route, every variant -----------------------------------------------------

WALK_VARIANTS = [
    *QUERY_VARIANTS,
    f"?{SINCE}&format=csv",
    f"?{SINCE}&format=geojson",
    "?status=draft,review,published,retracted",
    "?status=draft,review,published,retracted&format=csv",
    f"?{SINCE}&format=acled",
    "?status=draft,review,published,retracted&format=acled",
]


def _viewer_may_see(route: str, url: str, query: str, world) -> set[str]:  # noqa: F811
    """The hidden states whose markers a viewer may meet at ``url + query``."""
    last = url.rstrip("/").rsplit("/", 1)[-1]
    if route == "api/v1/sources/":
        return set(HIDDEN)  # every source, cited or not (test_visibility)
    if route == "api/v1/sources/<str:source_id>/" and not query:
        return {s for s in HIDDEN if str(world[f"source_{s}"].pk) == last}
    if route == "api/v1/incidents/<str:incident_id>/" and not query:
        # Drafts and review items in full; a retraction is a tombstone.
        return {s for s in ("draft", "review") if str(world[s].pk) == last}
    if route in ("api/v1/incidents/", "api/v1/incidents/export/"):
        return {"draft", "review"} if "status=" in query else set()
    return set()


@pytest.mark.parametrize("role", ROLES)
def test_every_url_shows_a_role_only_what_it_may(clients, world, role):  # noqa: F811
    client = clients[role]
    values = _values(world)
    failures, walked, seen = [], 0, set()
    for route in _routes(get_resolver().url_patterns):
        if any(route.startswith(prefix) for prefix in NOT_PUBLIC):
            continue
        for url in _urls(route, values):
            for query in WALK_VARIANTS:
                body = _get(client, url + query).getvalue()
                walked += 1
                may = set()
                if role in VIEWERS:
                    may = _viewer_may_see(route, url, query, world)
                for state in HIDDEN:
                    if marker(state).encode() in body:
                        seen.add(state)
                        if state not in may:
                            failures.append(f"{role} × {state} × {url + query}")
    assert not failures, "hidden content shown:\n" + "\n".join(failures)
    assert walked > 300
    # Viewers do meet drafts and review items, so the scan can find them.
    assert seen == ({"draft", "review", "retracted"} if role in VIEWERS else set())


# --- the admin ---------------------------------------------------------------------
#
#   saved      the change form (GET 200) saves a changed summary (302)
#   read-only  the change form shows (GET 200, no change permission); a POST is 403
#   403        refused
#   login      sent to the admin's login page (not staff)
ADMIN_TABLE = """
page    role       draft  review  published  retracted
change  anonymous  login  login   login      login
change  member     login  login   login      login
change  editor     saved  saved   read-only  read-only
change  reviewer   saved  saved   saved      saved
change  superuser  saved  saved   saved      saved
delete  anonymous  login  login   login      login
delete  member     login  login   login      login
delete  editor     403    403     403        403
delete  reviewer   403    403     403        403
delete  superuser  200    200     200        200
"""
ADMIN = {
    (page, role, state): outcome
    for page, role, *outcomes in (
        line.split() for line in ADMIN_TABLE.strip().splitlines()[1:]
    )
    for state, outcome in zip(ADMIN_TABLE.split()[2:6], outcomes, strict=True)
}
# The changelist's actions per role (rules/test_workflow checks parts of these sets).
ACTIONS = {
    "editor": {"submit", "propose_merge"},
    "reviewer": {
        "submit",
        "publish",
        "send_back",
        "retract",
        "reinstate",
        "merge_selected",
        "propose_merge",
    },
    "superuser": {
        "submit",
        "publish",
        "send_back",
        "retract",
        "reinstate",
        "merge_selected",
        "propose_merge",
        "delete_selected",
    },
}
ROLE_MOVES = {  # the workflow moves each role may make (incidents.rules.workflow.MOVES)
    "anonymous": set(),
    "member": set(),
    "editor": {"submit"},
    "reviewer": set(MOVES),
    "superuser": set(MOVES),
}


def _change_form_data(page, **changes) -> dict:
    """The change form as the browser would post it back, inlines included."""
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None and value is not False:
                data[key] = str(value)
    data.update(changes)
    return data


def _is_login(response) -> bool:
    return response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_admin_change_and_delete_pages(clients, world, role):  # noqa: F811
    client = clients[role]
    failures = []
    for state in STATUSES:
        incident = world[state]
        change = reverse("admin:incidents_incident_change", args=[incident.pk])
        delete = reverse("admin:incidents_incident_delete", args=[incident.pk])
        expected = ADMIN[("change", role, state)]
        page = _get(client, change)
        if _is_login(page):
            observed = "login"
            assert _is_login(client.post(change, {"summary": "changed"}))
        elif page.status_code != 200:
            observed = f"GET {page.status_code}"
        else:
            posted = client.post(
                change, _change_form_data(page, summary=f"changed by {role}")
            )
            incident.refresh_from_db()
            saved = incident.summary == f"changed by {role}"
            if posted.status_code == 302 and saved:
                observed = "saved"
            elif posted.status_code == 403 and not saved:
                can = page.context["has_change_permission"]
                observed = "read-only" if not can else "403 on a writable form"
            else:
                errors = getattr(posted, "context", None) and posted.context.get(
                    "errors"
                )
                observed = f"POST {posted.status_code} {errors or ''}"
        if observed != expected:
            failures.append(f"{role} × {state} × {change}: {expected} != {observed}")

        expected = ADMIN[("delete", role, state)]
        response = _get(client, delete)
        observed = "login" if _is_login(response) else str(response.status_code)
        if role != "superuser":
            refused = client.post(delete, {"post": "yes"})
            assert _is_login(refused) or refused.status_code == 403, (role, state)
            assert Incident.objects.filter(pk=incident.pk).exists(), (role, state)
        if observed != expected:
            failures.append(f"{role} × {state} × {delete}: {expected} != {observed}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", STAFF)
def test_admin_actions_move_only_what_the_role_may(clients, world, role):  # noqa: F811
    client = clients[role]
    changelist = reverse("admin:incidents_incident_changelist")
    page = _get(client, changelist)
    offered = {name for name, _ in page.context["action_form"].fields["action"].choices}
    assert offered - {""} == ACTIONS[role], role

    failures = []
    for state in STATUSES:
        incident = world[state]
        for move, step in MOVES.items():
            post = {"action": move, "_selected_action": [incident.pk]}
            if move == "retract":
                post.update(confirm="1", reason="A reason.")
            response = client.post(changelist, post)
            assert response.status_code < 500, (role, state, move)
            incident.refresh_from_db()
            allowed = move in ROLE_MOVES[role] and move in ACTIONS[role]
            expected = step.target if allowed and state in step.sources else state
            if incident.status != expected:
                failures.append(
                    f"{role} × {state} × action {move}: expected {expected}, "
                    f"got {incident.status}"
                )
            Incident.objects.filter(pk=incident.pk).update(
                status=state, retraction_reason="", retracted_at=None
            )
    assert not failures, "\n".join(failures)


# --- merges --------------------------------------------------------------------------
#
# The merged incident of ``merged_world`` (published, merged into the published one)
# on each surface, for every role:
#   redirect   301 to the survivor's page or API address
#   tombstone  only {id, status: merged, merged_into, updated_at}
MERGED_TABLE = """
surface  audience  merged
page     everyone  redirect
detail   everyone  redirect
list     everyone  absent
sync     everyone  tombstone
status   readers   403
status   viewers   tombstone
figures  everyone  uncounted
"""
MERGED = {
    (surface, role): outcome
    for surface, audience, outcome in (
        line.split() for line in MERGED_TABLE.strip().splitlines()[1:]
    )
    for role in {"everyone": ROLES, "readers": READERS, "viewers": VIEWERS}[audience]
}


@pytest.fixture
def merged_world(world):  # noqa: F811
    """``world`` and a published incident merged into its published one, its
    marker in the fields that stay on the tombstone."""
    merged = Incident.objects.create(
        occurred_on=world["published"].occurred_on,
        event_type="attack",
        weapon="rocket",
        status="published",
        country="SY",
        latitude=35.0,
        longitude=40.0,
        summary=f"{marker('merged')} summary",
        admin1=marker("merged"),
    )
    incidents_merge(survivor=world["published"], merged=merged, user=None)
    merged.refresh_from_db()
    return {**world, "merged": merged}


def _observe_merged(response, fmt: str, incident: Incident) -> str:
    if response.status_code in (400, 403, 404):
        return str(response.status_code)
    if response.status_code == 301:
        return "redirect"
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    body = response.getvalue().decode()
    if marker("merged") in body:
        return "content"
    if fmt == "geojson":
        features = orjson.loads(body).get("features", [])
        mine = [f["properties"] for f in features if f["id"] == incident.pk]
        shape = {"id", "status", "merged_into", "updated_at"}
        bare = bool(mine) and set(mine[0]) == shape
    else:
        rows = list(csv.DictReader(io.StringIO(body)))
        key, value = ("id", str(incident.pk))
        if fmt == "acled":
            key, value = "event_id_cnty", f"BW-{incident.pk}"
        mine = [r for r in rows if r[key] == value]
        bare = bool(mine) and fmt == "csv" and not mine[0]["occurred_on"]
        if bare:
            filled = {k for k, v in mine[0].items() if v}
            bare = filled == {"id", "status", "updated_at", "merged_into"}
    if not mine:
        return "absent"
    if not bare:
        return "a row that is no tombstone"
    survivor = mine[0]["merged_into"]
    return "tombstone" if str(survivor) == str(incident.merged_into_id) else "astray"


@pytest.mark.parametrize("role", ROLES)
def test_a_merged_incident_on_every_surface(clients, merged_world, role):
    client, merged = clients[role], merged_world["merged"]
    survivor = merged_world["published"]
    failures = []

    def check(surface, url, fmt):
        expected = MERGED[(surface, role)]
        observed = _observe_merged(_get(client, url), fmt, merged)
        if not _agrees(expected, observed, fmt):
            failures.append(
                f"{role} × {url}: the table says {expected}, got {observed}"
            )

    page = _get(client, f"/incidents/{merged.pk}/")
    assert page["Location"] == f"/incidents/{survivor.pk}/", role
    check("page", f"/incidents/{merged.pk}/", "html")
    detail = _get(client, f"{INCIDENTS}{merged.pk}/")
    assert detail["Location"].endswith(f"{INCIDENTS}{survivor.pk}/"), role
    check("detail", f"{INCIDENTS}{merged.pk}/", "geojson")
    for url, fmt in LIST_URLS:
        check("list", url, fmt)
        joined = "&" if "?" in url else "?"
        check("sync", f"{url}{joined}{SINCE}", fmt)
        check("status", f"{url}{joined}status=merged", fmt)
    for url, count in FIGURES.items():
        joined = url + ("&" if "?" in url else "?") + f"q={marker('merged')}"
        n = count(_json(client, joined))
        if {0: "uncounted"}.get(n, "counted") != MERGED[("figures", role)]:
            failures.append(f"{role} × {joined}: counted {n}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_hides_a_merged_incidents_content(clients, merged_world, role):
    client = clients[role]
    values = _values(merged_world)
    values["incident_id"] = [*values["incident_id"], str(merged_world["merged"].pk)]
    failures, walked = [], 0
    for route in _routes(get_resolver().url_patterns):
        if any(route.startswith(prefix) for prefix in NOT_PUBLIC):
            continue
        for url in _urls(route, values):
            for query in [*WALK_VARIANTS, "?status=merged"]:
                body = _get(client, url + query).getvalue()
                walked += 1
                if marker("merged").encode() in body:
                    failures.append(f"{role} × {url + query}")
    assert not failures, "merged content shown:\n" + "\n".join(failures)
    assert walked > 300


# Every door that merges, and whether each role gets through it.
MERGE_DOORS = ("admin: two incidents", "admin: a proposal", "api")
MAY_MERGE = {"anonymous": False, "member": False, "editor": False}


def _through(door: str, client, survivor: Incident, merged: Incident, proposal):
    if door == "api":
        return client.post(
            f"{INCIDENTS}{merged.pk}/merge/",
            orjson.dumps({"into": survivor.pk}),
            content_type="application/json",
        )
    if door == "admin: two incidents":
        url = reverse("admin:incidents_incident_changelist")
        action, selected = "merge_selected", [survivor.pk, merged.pk]
    else:
        url = reverse("admin:incidents_mergeproposal_changelist")
        action, selected = "merge_proposal", [proposal.pk]
    return client.post(
        url,
        {
            "action": action,
            "_selected_action": selected,
            "confirm": "1",
            "survivor": survivor.pk,
        },
    )


@pytest.mark.parametrize("door", MERGE_DOORS)
@pytest.mark.parametrize("role", ROLES)
def test_only_reviewers_merge_through_any_door(clients, make, role, door):
    survivor = make.incident(summary="kept")
    merged = make.incident(status="draft", summary="merged away")
    proposal = merge_proposal_create(
        incident=merged, candidate=survivor, user=None, reason="same"
    )
    response = _through(door, clients[role], survivor, merged, proposal)
    assert response.status_code < 500, (role, door)
    merged.refresh_from_db()
    proposal.refresh_from_db()
    if MAY_MERGE.get(role, True):
        assert (merged.status, merged.merged_into_id) == ("merged", survivor.pk)
        assert proposal.status == "merged"
    else:
        assert (merged.status, merged.merged_into_id) == ("draft", None), (role, door)
        assert proposal.status == "open"
        if door == "api":
            assert response.status_code == (401 if role == "anonymous" else 403)
        elif role in READERS:
            assert _is_login(response), (role, door)


@pytest.mark.parametrize("role", ROLES)
def test_who_proposes_and_who_dismisses(clients, make, role):
    client = clients[role]
    a, b = make.incident(), make.incident(status="draft")
    proposed = client.post(
        "/api/v1/merge-proposals/",
        orjson.dumps({"incident": b.pk, "candidate": a.pk}),
        content_type="application/json",
    )
    may_propose = role in VIEWERS
    assert proposed.status_code == (
        201 if may_propose else 401 if role == "anonymous" else 403
    )
    if role in STAFF:
        c, d = make.incident(), make.incident()
        client.post(
            reverse("admin:incidents_incident_changelist"),
            {
                "action": "propose_merge",
                "_selected_action": [c.pk, d.pk],
                "confirm": "1",
            },
        )
        assert MergeProposal.objects.filter(incident=d, candidate=c).exists(), role

    proposal = merge_proposal_create(
        incident=make.incident(), candidate=make.incident(), user=None
    )
    api = client.post(f"/api/v1/merge-proposals/{proposal.pk}/dismiss/")
    proposal.refresh_from_db()
    may_dismiss = MAY_MERGE.get(role, True)
    assert (proposal.status == "dismissed") == may_dismiss, role
    if not may_dismiss:
        assert api.status_code in (401, 403)
    if role in STAFF and not may_dismiss:
        client.post(
            reverse("admin:incidents_mergeproposal_changelist"),
            {"action": "dismiss_proposals", "_selected_action": [proposal.pk]},
        )
        proposal.refresh_from_db()
        assert proposal.status == "open", role


@pytest.mark.parametrize("role", STAFF)
def test_a_tombstones_change_page_is_read_only_for_every_role(
    clients, merged_world, role
):
    merged = merged_world["merged"]
    client = clients[role]
    change = reverse("admin:incidents_incident_change", args=[merged.pk])
    page = _get(client, change)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    posted = client.post(change, _change_form_data(page, summary=f"by {role}"))
    assert posted.status_code == 403
    merged.refresh_from_db()
    assert merged.summary == f"{marker('merged')} summary"
    assert merged.status == "merged"
