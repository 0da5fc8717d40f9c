"""Concurrent requests against the live server, as the map and site pages make them.

The site page asks for its timeline (a query calling Django's Python date-truncation
function inside SQLite) and its incident list at the same time. On a shared sqlite3
connection those two deadlock, which once hung the whole browser suite; the test
database is a file for that reason (tests/conftest.py). This test keeps it so: with
the shared connection it failed or hung in about one run of three. A hang ends the
run with every thread's stack (``faulthandler_timeout`` in pyproject.toml).
"""

import datetime
import json
import threading
import urllib.request

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

REPEATS = 100


def test_parallel_timeline_and_list_requests_all_answer(live_server, make):
    site = make.site(slug="busy")
    for day in range(1, 21):
        make.incident(sites=[site], occurred_on=datetime.date(2023, 11, day))
    urls = [
        f"{live_server.url}/api/v1/stats/timeline/?site=busy&interval=month",
        f"{live_server.url}/api/v1/incidents/?site=busy&page_size=100",
    ]
    answers: list[tuple[str, int, dict]] = []
    failures: list[BaseException] = []

    def fetch_repeatedly(url: str) -> None:
        try:
            for _ in range(REPEATS):
                with urllib.request.urlopen(url, timeout=60) as response:
                    answers.append((url, response.status, json.load(response)))
        except BaseException as exc:  # reported below, in the test's own thread
            failures.append(exc)

    threads = [threading.Thread(target=fetch_repeatedly, args=(u,)) for u in urls * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures, failures
    assert len(answers) == len(threads) * REPEATS
    assert {status for _, status, _ in answers} == {200}
    timelines = [body for url, _, body in answers if "timeline" in url]
    assert all(
        [(row["period"][:7], row["incidents"]) for row in body["results"]]
        == [("2023-11", 20)]
        for body in timelines
    ), timelines[0]
    lists = [body for url, _, body in answers if "timeline" not in url]
    assert all(len(body["features"]) == 20 for body in lists)
