"""The figures page (/stats/): the tables agree with the API, every linked count
lists exactly its incidents on the map's filters, bad filters are a 400 naming
them, unpublished incidents never count, hostile names stay text, Arabic reads
right to left."""

import datetime
import html
import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from django.http import QueryDict

from incidents.models import Incident, OfficialTotal, Source
from incidents.selectors import UnknownReference
from incidents.stats.figures import PAGE_FILTER_NAMES, figures_page, map_query

STATS = "/stats/"
API = "/api/v1/incidents/"


def page_for(query: str = ""):
    return figures_page(query=QueryDict(query))


def api_count(client, map_address: str) -> int:
    """How many incidents the API lists for a map address's filters: what the map
    shows for it."""
    params = dict(parse_qsl(map_address.removeprefix("?")))
    response = client.get(API, {**params, "page_size": 1})
    assert response.status_code == 200, response.content
    return response.json()["count"]


@pytest.mark.parametrize(
    "query",
    ["", "weapon=drone,rocket", "country=SY&date_from=2023-11-01", "q=omar"],
)
def test_every_linked_count_is_what_the_map_lists(client, reference_data, query):
    page = page_for(query)
    assert page.summary["incidents"] == api_count(client, page.query_string)
    assert page.summary["incidents"] > 0
    assert sum(row["incidents"] for row in page.months) == page.summary["incidents"]
    assert sum(row["incidents"] for row in page.weapons) == page.summary["incidents"]
    linked = [*page.months, *page.sites, *page.weapons]
    for row in linked:
        if row["map_query"] is not None:
            assert api_count(client, row["map_query"]) == row["incidents"], row


def test_the_tables_are_the_apis(client, reference_data):
    page = page_for("weapon=drone")
    by_site = client.get("/api/v1/stats/sites/", {"weapon": "drone"}).json()
    assert [(r["slug"], r["incidents"], r["injured"]) for r in page.sites] == [
        (r["slug"], r["incidents"], r["injured"]) for r in by_site["results"]
    ]
    by_actor = client.get("/api/v1/stats/actors/", {"weapon": "drone"}).json()
    assert [(r["slug"], r["role"], r["incidents"]) for r in page.actors] == [
        (r["slug"], r["role"], r["incidents"]) for r in by_actor["results"]
    ]
    assert {row["weapon"] for row in page.weapons} == {"drone"}
    official = client.get("/api/v1/stats/official-totals/").json()
    assert len(page.official) == len(official["results"]) > 0
    documented = {r["date"]: r for r in official["documented"]}
    for row in page.official:
        api_row = documented[row["as_of"].isoformat()]
        assert row["documented"] == api_row["cumulative_incidents"]
        assert row["documented_by_confidence"] == api_row["by_confidence"]


def test_a_month_link_keeps_the_date_filters_inside_the_month(reference_data):
    page = page_for("date_from=2023-11-10&date_to=2023-11-20")
    (november,) = page.months
    assert dict(parse_qsl(november["map_query"][1:])) == {
        "date_from": "2023-11-10",
        "date_to": "2023-11-20",
    }
    first = page_for("").months[0]
    assert first["map_query"] == "?date_from=2023-10-01&date_to=2023-10-31"


def test_the_page_takes_exactly_the_maps_filters():
    """Kept in two languages (common/url_state.js, this page), checked here."""
    from django.conf import settings

    script = (
        Path(settings.BASE_DIR) / "static/incidents/js/common/url_state.js"
    ).read_text(encoding="utf-8")
    block = re.search(r"FILTER_KEYS = \[(.*?)\];", script, re.S).group(1)
    assert tuple(re.findall(r'"([a-z_]+)"', block)) == PAGE_FILTER_NAMES


def test_map_addresses_keep_the_maps_order_and_readable_commas():
    given = {"date_to": "2023-12-01", "weapon": "drone,rocket", "q": "عمر"}
    address = map_query(given, site="al-omar")
    assert address.startswith("?q=%D8%B9")
    names = [name for name, _value in parse_qsl(address[1:])]
    assert names == [n for n in PAGE_FILTER_NAMES if n in {*given, "site"}]
    assert "weapon=drone,rocket" in address


def test_the_page_renders_the_figures_with_links(client, reference_data):
    response = client.get(STATS, {"weapon": "drone"})
    assert response.status_code == 200
    body = response.content.decode()
    page = page_for("weapon=drone")
    assert f">{page.summary['incidents']}</a>" in body
    for row in page.sites:
        assert f'href="/{html.escape(row["map_query"])}"' in body
        assert f'href="/sites/{row["slug"]}/"' in body
    assert 'href="/api/v1/stats/sites/?weapon=drone"' in body
    assert 'href="/?weapon=drone"' in body  # back to the map, same filters


def _official_cells(body: str) -> list[dict[str, str]]:
    """The split cells of each row of the official totals table, by level."""
    table = body.split('id="bw-stats-official"', 1)[1].split("</table>", 1)[0]
    return [
        dict(re.findall(r'<td data-confidence="(\w+)">(\d+)</td>', row))
        for row in table.split("<tr>")[1:]
        if "data-confidence" in row
    ]


def test_the_official_table_splits_the_documented_count(db, client, make):
    """Confirmed and claimed-only attacks stand apart beside the official total,
    with a sentence that says which is which; unpublished attacks never count."""
    official = make.source(kind=Source.Kind.OFFICIAL)
    news = make.source(kind=Source.Kind.NEWS)
    channel = make.source(kind=Source.Kind.CLAIM_CHANNEL)
    on = datetime.date(2023, 11, 1)
    for citations in (
        [(official, "confirms")],
        [(news, "reports"), (official, "confirms")],
        [(channel, "claims")],
        [(channel, "claims")],
        [(channel, "claims")],
        [(news, "reports")],
        [(official, "confirms"), (channel, "denies")],
    ):
        make.incident(occurred_on=on, citations=citations)
    for status in ("draft", "review", "retracted"):
        make.incident(occurred_on=on, citations=[(official, "confirms")], status=status)
    OfficialTotal.objects.create(
        as_of=datetime.date(2023, 11, 14), reported_by="Pentagon", total_attacks=55
    )

    (row,) = page_for().official
    assert row["documented"] == 7
    assert row["documented_by_confidence"] == {
        "confirmed": 2,
        "reported": 1,
        "claimed": 3,
        "disputed": 1,
    }
    body = client.get(STATS).content.decode()
    assert _official_cells(body) == [
        {"confirmed": "2", "claimed": "3", "reported": "1", "disputed": "1"}
    ]
    header = body.split('id="bw-stats-official"', 1)[1].split("</thead>", 1)[0]
    groups, levels = [
        [re.sub(r"<.*?>", "", th) for th in re.findall(r"<th.*?</th>", tr)]
        for tr in header.split("<tr>")[1:]
    ]
    assert groups[3:5] == ["Documented here by then", "Of those documented"]
    assert levels == [
        "confirmed",
        "claimed only",
        "reported, not confirmed",
        "disputed",
    ]
    split = re.search(r'id="bw-stats-official-split">(.*?)</p>', body).group(1)
    split = html.unescape(split)
    assert "confirmed by an official or independent source" in split
    assert "claimed only by the attackers' side" in split
    assert "a claim, not a confirmation" in split

    arabic = client.get(STATS, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert _official_cells(arabic) == _official_cells(body)  # Latin digits
    split_ar = re.search(r'id="bw-stats-official-split">(.*?)</p>', arabic).group(1)
    assert "attackers" not in split_ar and "ادعاء" in split_ar


def test_unpublished_incidents_never_count(db, make):
    site = make.site(slug="base-a")
    make.incident(sites=[site], status=Incident.Status.PUBLISHED, weapon="drone")
    for status in ("draft", "review", "retracted"):
        make.incident(sites=[site], status=status, weapon="drone")
    page = page_for()
    assert page.summary["incidents"] == 1
    assert [(r["slug"], r["incidents"]) for r in page.sites] == [("base-a", 1)]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("wepon=drone", "wepon"),
        ("weapon=laser", "weapon"),
        ("date_from=2023-13-01", "date_from"),
        ("date_from=2023-12-01&date_to=2023-11-01", "date_from"),
        ("site=nowhere", "site"),
        ("weapon=drone&weapon=rocket", "weapon"),
        ("lat=35&lon=40&z=6", "lat"),  # the map's view is not a filter
    ],
)
def test_bad_filters_are_a_400_naming_them(client, reference_data, query, named):
    response = client.get(f"{STATS}?{query}")
    assert response.status_code == 400
    body = response.content.decode()
    assert f"<code>{named}</code>" in body
    assert 'id="bw-stats-summary"' not in body


def test_hostile_names_are_text(db, client, make):
    hostile = '<img src=x onerror="alert(1)">'
    site = make.site(slug="base-h", name=hostile, name_ar=hostile)
    actor = make.actor(slug="group-h", name=hostile, name_ar=hostile)
    make.incident(sites=[site], involvements=[(actor, "claimed_by")])
    for language in ("en", "ar"):
        body = client.get(STATS, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert hostile not in body
        assert html.escape(hostile) in body


def test_a_hostile_filter_value_is_text(client, reference_data):
    hostile = '"><script>alert(1)</script>'
    response = client.get(STATS, {"q": hostile})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_arabic_reads_right_to_left_with_arabic_names(client, reference_data):
    response = client.get(STATS, HTTP_ACCEPT_LANGUAGE="ar")
    body = response.content.decode()
    assert 'dir="rtl"' in body
    assert "الأرقام" in body  # "Figures"
    site = page_for().sites[0]
    assert site["name_ar"] and html.escape(site["name_ar"]) in body


def test_the_map_links_to_the_figures(client, reference_data):
    body = client.get("/").content.decode()
    assert 'id="bw-stats-link" href="/stats/"' in body
    assert 'data-stats-page-url="/stats/"' in body


def test_the_tables_are_kept_until_the_data_changes(
    db, make, django_assert_max_num_queries
):
    site = make.site(slug="base-c")
    make.incident(sites=[site])
    assert page_for("site=base-c").summary["incidents"] == 1
    with django_assert_max_num_queries(1):  # the data version, nothing else
        assert page_for("site=base-c").summary["incidents"] == 1
    make.incident(sites=[site])
    assert page_for("site=base-c").summary["incidents"] == 2
    with pytest.raises(UnknownReference):  # never answered from the cache
        page_for("site=gone")


def test_post_is_not_allowed(client):
    assert client.post(STATS).status_code == 405
