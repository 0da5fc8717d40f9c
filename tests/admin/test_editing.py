"""The admin as an editor uses it: pages, search, filters, and saving an incident."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from incidents.models import Actor, Citation, Incident, Involvement, Site, Source

pytestmark = pytest.mark.django_db

MODELS = ["site", "actor", "source", "incident"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="not-a-real-password"
    )


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def one_of_each(make):
    site = make.site(name="Tower 22", slug="tower-22")
    actor = make.actor(name="Islamic Resistance in Iraq")
    source = make.source(title="A report")
    incident = make.incident(
        sites=[site],
        citations=[(source, Citation.Stance.REPORTS)],
        involvements=[(actor, Involvement.Role.CLAIMED_BY)],
    )
    return {"site": site, "actor": actor, "source": source, "incident": incident}


def _changelist(model: str) -> str:
    return reverse(f"admin:incidents_{model}_changelist")


def _found(response) -> list:
    return list(response.context["cl"].result_list)


# --- every page, and who may see it --------------------------------------------------


def test_login_page(client):
    assert client.get(reverse("admin:login")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_changelist_add_and_change_pages(admin_client, one_of_each, model):
    obj = one_of_each[model]
    urls = [
        _changelist(model),
        reverse(f"admin:incidents_{model}_add"),
        reverse(f"admin:incidents_{model}_change", args=[obj.pk]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", MODELS)
def test_anonymous_is_sent_to_login(client, one_of_each, model):
    obj = one_of_each[model]
    urls = [
        _changelist(model),
        reverse(f"admin:incidents_{model}_add"),
        reverse(f"admin:incidents_{model}_change", args=[obj.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_change_forms_carry_the_point_map(admin_client, one_of_each):
    for model in ("site", "incident"):
        for url in (
            reverse(f"admin:incidents_{model}_add"),
            reverse(f"admin:incidents_{model}_change", args=[one_of_each[model].pk]),
        ):
            html = admin_client.get(url).content.decode()
            assert 'id="point-map"' in html, url
            assert "incidents/js/admin/point_map.js" in html, url
            assert "leaflet/leaflet" in html, url
            assert 'data-latitude-input="id_latitude"' in html, url
            assert 'id="id_latitude"' in html, url


def test_site_without_point_shows_why_escaped(admin_client, make):
    site = make.site(
        latitude=None,
        longitude=None,
        location_source="<script>alert(1)</script> not found in any gazetteer",
    )
    response = admin_client.get(reverse("admin:incidents_site_change", args=[site.pk]))
    html = response.content.decode()
    assert 'id="point-map-note"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; not found" in html
    assert "<script>alert(1)</script>" not in html


def test_site_with_point_shows_no_note(admin_client, make):
    site = make.site(location_source="manual")
    response = admin_client.get(reverse("admin:incidents_site_change", args=[site.pk]))
    assert 'id="point-map-note"' not in response.content.decode()


# --- search --------------------------------------------------------------------------


@pytest.fixture
def named_sites(make):
    ain_al_asad = make.site(
        slug="ain-al-asad",
        name="Ain al-Asad Air Base",
        name_ar="قاعدة عين الأسد الجوية",
        aliases=["Al Asad Airbase", "Ayn al-Asad", "عين الأسد"],
        country="IQ",
    )
    conoco = make.site(
        slug="conoco",
        name="Conoco gas field base",
        name_ar="حقل كونيكو للغاز",
        aliases=["Koniko", "Koniko gas field", "كونيكو"],
    )
    make.site(slug="tower-22", name="Tower 22", name_ar="البرج 22", country="JO")
    return {"ain_al_asad": ain_al_asad, "conoco": conoco}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("عين الاسد", "ain_al_asad"),  # no hamza
        ("عين الأسد", "ain_al_asad"),  # as written
        ("عَيْن الأَسَد", "ain_al_asad"),  # with diacritics
        ("Ain al-Asad", "ain_al_asad"),
        ("ain al asad", "ain_al_asad"),
        ('"Ayn al-Asad"', "ain_al_asad"),
        ("Koniko", "conoco"),
        ("كونيكو", "conoco"),
    ],
)
def test_site_search_finds_arabic_and_latin_names(
    admin_client, named_sites, term, expected
):
    response = admin_client.get(_changelist("site"), {"q": term})
    assert _found(response) == [named_sites[expected]]


def test_site_search_without_match_is_empty(admin_client, named_sites):
    response = admin_client.get(_changelist("site"), {"q": "Harir"})
    assert _found(response) == []


def test_site_autocomplete_folds_the_term(admin_client, named_sites):
    # The incident form's site picker goes through the same search.
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "incidents",
            "model_name": "incident",
            "field_name": "sites",
            "term": "عَيْن الأَسَد",
        },
    )
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [str(named_sites["ain_al_asad"].pk)]


def test_actor_search_folds_the_term(admin_client, make):
    kataib = make.actor(
        name="Kata'ib Hezbollah", name_ar="كتائب حزب الله", aliases=["KH"]
    )
    make.actor(name="Harakat al-Nujaba", name_ar="حركة النجباء")
    # A typographic apostrophe folds like the straight one.
    for term in ("كتائب حزب الله", "كتايب حزب الله", "kata’ib", "KH"):
        response = admin_client.get(_changelist("actor"), {"q": term})
        assert _found(response) == [kataib], term


def test_incident_search_by_site_actor_summary_and_external_id(
    admin_client, make, named_sites
):
    actor = make.actor(name="Kata'ib Hezbollah", name_ar="كتائب حزب الله")
    # Two matching sites must still list the incident once.
    both = make.incident(
        sites=[named_sites["ain_al_asad"], named_sites["conoco"]],
        involvements=[(actor, Involvement.Role.CLAIMED_BY)],
        summary="Drones launched at two bases.",
        external_id="SYR12345",
    )
    other = make.incident(summary="A rocket near the airport.")
    cases = {
        "عين الاسد": [both],
        "Koniko": [both],
        "base": [both],  # both site names contain it
        "كتايب": [both],
        "rocket airport": [other],
        "SYR12345": [both],
        "عَيْن drones": [both],  # one word folded, one in the summary
    }
    for term, expected in cases.items():
        response = admin_client.get(_changelist("incident"), {"q": term})
        assert _found(response) == expected, term


# --- list columns and filters --------------------------------------------------------


@pytest.fixture
def one_per_confidence(make):
    official = make.source(kind=Source.Kind.OFFICIAL)
    news = make.source(kind=Source.Kind.NEWS)
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL)
    return {
        "confirmed": make.incident(
            citations=[(official, "confirms"), (news, "reports")]
        ),
        "claimed": make.incident(citations=[(channel, "claims")]),
        "disputed": make.incident(
            citations=[(channel, "claims"), (official, "denies")]
        ),
        "reported": make.incident(citations=[(news, "reports")]),
        "unsourced": make.incident(),
    }


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("confirmed", ["confirmed"]),
        ("claimed", ["claimed"]),
        ("disputed", ["disputed"]),
        ("reported", ["reported", "unsourced"]),
    ],
)
def test_confidence_filter(admin_client, one_per_confidence, level, expected):
    response = admin_client.get(_changelist("incident"), {"confidence": level})
    assert response.status_code == 200
    found = {obj.pk for obj in _found(response)}
    assert found == {one_per_confidence[name].pk for name in expected}


def test_unknown_confidence_is_refused_not_ignored(admin_client, one_per_confidence):
    response = admin_client.get(_changelist("incident"), {"confidence": "certain"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_confidence_column_and_sorting(admin_client, one_per_confidence):
    response = admin_client.get(_changelist("incident"))
    html = response.content.decode()
    for level in ("confirmed", "claimed", "disputed", "reported"):
        assert f'<td class="field-confidence_column">{level}</td>' in html
    # Sortable: the column is an annotation, not a per-row property.
    sorted_response = admin_client.get(_changelist("incident"), {"o": "8"})
    levels = [obj.confidence_level for obj in _found(sorted_response)]
    assert levels == sorted(levels)


def test_casualties_tell_not_reported_from_zero(admin_client, make):
    make.incident(injured=None, killed=0)
    html = admin_client.get(_changelist("incident")).content.decode()
    assert '<td class="field-injured_count">not reported</td>' in html
    assert '<td class="field-killed_count">0</td>' in html


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ({"status__exact": "draft"}, 1),
        ({"weapon__exact": "drone"}, 1),
        ({"event_type__exact": "interception"}, 1),
        ({"country": "IQ"}, 1),
        ({"has_point": "no"}, 1),
        ({"occurred_on__year": "2024"}, 1),
    ],
)
def test_incident_filters(admin_client, make, filters, count):
    make.incident()
    make.incident(
        status=Incident.Status.DRAFT,
        weapon=Incident.Weapon.DRONE,
        event_type=Incident.EventType.INTERCEPTION,
        country="IQ",
        latitude=None,
        longitude=None,
        occurred_on=datetime.date(2024, 1, 28),
    )
    response = admin_client.get(_changelist("incident"), filters)
    assert response.status_code == 200
    assert len(_found(response)) == count


def test_incident_site_filter(admin_client, make):
    site = make.site()
    hit = make.incident(sites=[site, make.site()])
    make.incident(sites=[make.site()])
    response = admin_client.get(_changelist("incident"), {"sites__id__exact": site.pk})
    assert _found(response) == [hit]


def _incidents_with_everything(make, n: int) -> None:
    for _ in range(n):
        make.incident(
            sites=[make.site(), make.site()],
            citations=[(make.source(), "reports")],
            involvements=[(make.actor(), "claimed_by"), (make.actor(), "target")],
        )


@pytest.mark.parametrize("model", MODELS)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, make, model, django_assert_max_num_queries
):
    _incidents_with_everything(make, 2)
    for _ in range(2):
        make.actor(parent=make.actor())
    admin_client.get(_changelist(model))  # warm up sessions, content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(_changelist(model))
    _incidents_with_everything(make, 6)
    for _ in range(6):
        make.actor(parent=make.actor())
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(_changelist(model))


# --- saving --------------------------------------------------------------------------


def _incident_post(**fields) -> dict:
    data = {
        "occurred_on": "2024-01-28",
        "occurred_at": "",
        "date_precision": "day",
        "event_type": "attack",
        "weapon": "drone",
        "status": "draft",
        "external_id": "",
        "country": "",
        "admin1": "",
        "latitude": "",
        "longitude": "",
        "precision_m": "",
        "injured": "",
        "killed": "",
        "damage": "",
        "summary": "One-way drone on the base.",
    }
    for prefix in ("citations", "involvements"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data


def test_add_incident_records_editor_and_takes_the_site_point(
    admin_client, editor, make
):
    site = make.site(latitude=33.8, longitude=42.433, country="IQ", admin1="Anbar")
    source = make.source()
    actor = make.actor()
    data = _incident_post(
        sites=[site.pk],
        **{
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": source.pk,
            "citations-0-stance": "confirms",
            "citations-0-quote": "«هجوم بطائرة مسيرة»",
            "citations-0-note": "",
            "involvements-TOTAL_FORMS": "1",
            "involvements-0-actor": actor.pk,
            "involvements-0-role": "claimed_by",
            "involvements-0-note": "",
        },
    )
    response = admin_client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    incident = Incident.objects.get()
    assert incident.created_by == editor
    assert incident.updated_by == editor
    assert (incident.latitude, incident.longitude) == (33.8, 42.433)
    assert (incident.country, incident.admin1) == ("IQ", "Anbar")
    assert incident.precision_m == site.precision_m
    assert incident.citations.get().quote == "«هجوم بطائرة مسيرة»"
    assert incident.involvements.get().actor == actor


def test_editors_own_point_wins_over_the_site(admin_client, make):
    site = make.site(latitude=33.8, longitude=42.433)
    data = _incident_post(sites=[site.pk], latitude="33.79", longitude="42.44")
    response = admin_client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.latitude, incident.longitude) == (33.79, 42.44)


def test_change_keeps_creator_and_records_updater(
    admin_client, editor, django_user_model, make
):
    author = django_user_model.objects.create_user(username="author")
    incident = make.incident(created_by=author, summary="old")
    data = _incident_post(
        summary="new",
        latitude=str(incident.latitude),
        longitude=str(incident.longitude),
    )
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    assert admin_client.post(url, data).status_code == 302
    incident.refresh_from_db()
    assert (incident.summary, incident.created_by, incident.updated_by) == (
        "new",
        author,
        editor,
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("95", "40", "latitude"),
        ("-90.5", "40", "latitude"),
        ("35", "181", "longitude"),
        ("35", "", "longitude"),
        ("", "40", "latitude"),
    ],
)
def test_bad_point_is_a_form_error_not_a_500(admin_client, latitude, longitude, field):
    data = _incident_post(latitude=latitude, longitude=longitude)
    response = admin_client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Incident.objects.exists()


def test_site_latitude_95_is_a_form_error(admin_client):
    data = {
        "name": "Somewhere",
        "name_ar": "",
        "slug": "somewhere",
        "aliases": "",
        "kind": "base",
        "country": "IQ",
        "admin1": "",
        "latitude": "95",
        "longitude": "40",
        "precision_m": "",
        "location_source": "",
    }
    response = admin_client.post(reverse("admin:incidents_site_add"), data)
    assert response.status_code == 200
    assert "latitude" in response.context["adminform"].form.errors
    assert not Site.objects.exists()


def test_site_aliases_are_edited_one_per_line(admin_client):
    data = {
        "name": "Conoco gas field base",
        "name_ar": "حقل كونيكو للغاز",
        "slug": "conoco",
        "aliases": "Koniko\r\n\r\nكونيكو\r\n  Koniko  \r\n",
        "kind": "oil_field",
        "country": "SY",
        "admin1": "Deir ez-Zor",
        "latitude": "35.33611",
        "longitude": "40.30944",
        "precision_m": "3000",
        "location_source": "manual",
    }
    response = admin_client.post(reverse("admin:incidents_site_add"), data)
    assert response.status_code == 302
    site = Site.objects.get()
    assert site.aliases == ["Koniko", "كونيكو"]
    assert Site.objects.matching("koniko").get() == site

    change = admin_client.get(reverse("admin:incidents_site_change", args=[site.pk]))
    assert "Koniko\nكونيكو</textarea>" in change.content.decode()


def test_actor_umbrella_is_picked_by_autocomplete(admin_client, make):
    umbrella = make.actor(name="Islamic Resistance in Iraq")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "incidents",
            "model_name": "actor",
            "field_name": "parent",
            "term": "resistance",
        },
    )
    assert [row["id"] for row in response.json()["results"]] == [str(umbrella.pk)]
    assert Actor.objects.count() == 1


def test_delete_selected_incidents(admin_client, one_per_confidence):
    # The changelist queryset is annotated and prefetched; bulk delete must cope.
    pks = [one_per_confidence["confirmed"].pk, one_per_confidence["claimed"].pk]
    data = {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    response = admin_client.post(_changelist("incident"), data)
    assert response.status_code == 302
    assert not Incident.objects.filter(pk__in=pks).exists()
    assert Incident.objects.count() == 3


@pytest.mark.skipif(
    not (settings.BASE_DIR / "fixtures" / "sites.json").exists(),
    reason="reference fixtures not built",
)
@pytest.mark.parametrize(
    ("term", "slug"),
    [("عين الاسد", "ain-al-asad"), ("Koniko", "conoco"), ("عَيْن الأَسَد", "ain-al-asad")],
)
def test_search_in_the_reference_sites(admin_client, reference_data, term, slug):
    # Among all the real sites, the folded search must not drag in near-misses.
    response = admin_client.get(_changelist("site"), {"q": term})
    assert [site.slug for site in _found(response)] == [slug]
