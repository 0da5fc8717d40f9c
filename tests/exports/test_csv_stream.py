"""The streamed CSV export (``incidents.exports.csv_stream``) writes the same bytes as
the paginated CSV, which builds its rows from GeoJSON features: for every kind of
row (several sites, actors and sources in link order, a source without a URL, each
confidence, text a spreadsheet would run as a formula, no point, no counts,
retracted rows as tombstones for an editor), on SQLite and PostgreSQL, across
chunk boundaries."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from incidents.exports import streams as exports
from incidents.models import Incident, Involvement, Source

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/incidents/export/"
LIST = "/api/v1/incidents/"


@pytest.fixture
def varied(make):
    omar = make.site(slug="al-omar")
    conoco = make.site(slug="conoco")
    militia = make.actor(slug="militia")
    coalition = make.actor(slug="coalition")
    news = make.source(kind=Source.Kind.NEWS)
    official = make.source(kind=Source.Kind.OFFICIAL)
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL)
    no_url = make.source(kind=Source.Kind.SOCIAL, url="")
    day = datetime.date(2024, 2, 1)
    stances = [
        [],
        [(news, "reports")],
        [(official, "confirms"), (news, "reports")],
        [(channel, "claims")],
        [(channel, "confirms")],
        [(news, "denies"), (official, "confirms")],
        [(no_url, "reports"), (news, "claims")],
    ]
    for n in range(30):
        make.incident(
            occurred_on=day - datetime.timedelta(days=n % 9),
            # Linked in an order that is not the sites' primary-key order.
            sites=[conoco, omar] if n % 2 else [omar],
            involvements=[
                (militia, Involvement.Role.CLAIMED_BY),
                (coalition, Involvement.Role.TARGET),
            ][: n % 3],
            citations=stances[n % len(stances)],
            latitude=None if n % 5 == 0 else 35.123456789 + n / 1000,
            longitude=None if n % 5 == 0 else 40.1 + n / 7,
            admin1=["=HYPERLINK(1)", "+1", "Deir ez-Zor", "", "@x"][n % 5],
            summary=['=cmd|"/c calc"!A1', 'line\nbreak, "quoted"', "-2", "plain"][
                n % 4
            ],
            external_id="" if n % 3 else f"-ACLED{n}",
            injured=None if n % 2 else n,
            killed=0 if n % 4 else None,
            precision_m=None if n % 6 == 0 else 250,
        )
    make.incident(status=Incident.Status.RETRACTED, retraction_reason="Duplicate.")
    make.incident(status=Incident.Status.DRAFT, summary="Draft only.")


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


def streamed(client, **params) -> bytes:
    response = client.get(EXPORT, {"format": "csv", **params})
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def paged(client, **params) -> bytes:
    response = client.get(LIST, {"format": "csv", "page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return response.content


@pytest.mark.parametrize("chunk", [4, 2000])
def test_same_bytes_as_the_paginated_csv(client, varied, monkeypatch, chunk):
    monkeypatch.setattr(exports, "IDS_PER_CHUNK", chunk)
    body = streamed(client)
    assert body == paged(client)
    assert body.count(b"'=HYPERLINK") == 6  # formula text is defused
    assert b"Draft only." not in body


@pytest.mark.parametrize("chunk", [3, 2000])
def test_same_bytes_for_an_editor_with_tombstones(editor, varied, monkeypatch, chunk):
    monkeypatch.setattr(exports, "IDS_PER_CHUNK", chunk)
    params = {"status": "published,retracted,draft"}
    body = streamed(editor, **params)
    assert body == paged(editor, **params)
    assert b"retracted" in body and b"Duplicate." not in body
    assert b"Draft only." in body


def test_same_bytes_with_filters(client, varied):
    params = {"site": "conoco", "date_from": "2024-01-27", "confidence": "confirmed"}
    body = streamed(client, **params)
    assert body == paged(client, **params)
    assert body.count(b"\r\n") > 1
