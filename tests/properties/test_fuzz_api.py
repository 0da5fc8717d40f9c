"""Schemathesis against the API's own OpenAPI schema, in-process through WSGI.

Every operation the schema at ``/api/v1/schema/`` documents gets generated requests
(schemathesis' examples, coverage and fuzzing phases: valid and invalid parameters,
bodies and path ids) against the reference data. Each response is checked, one check
at a time so that one failure cannot hide another:

- ``not_a_server_error``: no 5xx;
- ``status_code_conformance``: the status is documented for the operation;
- ``content_type_conformance``: so is the Content-Type;
- ``response_schema_conformance``: the body matches the documented schema.

Writes go out anonymously and must be refused (401/403), never carried out.

Known app bugs would be listed in ``KNOWN_BUGS``, each tolerated only in its
exact shape; there are none now. The bugs this run found (a 500 and three schema
mismatches) were fixed, and their reproductions (``FIXED_BUGS``) must stay clean.

``BASEWATCH_FUZZ_SCALE`` multiplies the fuzzing examples per operation (default
60: about 1,850 requests) for a longer run: ``make fuzz``.
"""

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from config.wsgi import application

load_all_checks()

from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Fuzzing-phase examples per operation; the examples and coverage phases add their
# own cases on top. 22 operations.
MAX_EXAMPLES = 60 * int(os.environ.get("BASEWATCH_FUZZ_SCALE", "1"))
MIN_REQUESTS = 1_000
# GZipMiddleware compresses for requests' default Accept-Encoding, and the WSGI
# transport hands schemathesis the compressed bytes as they are.
HEADERS = {"Accept-Encoding": "identity"}

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

REQUESTS: Counter[str] = Counter()
TOLERATED: Counter[str] = Counter()
ELAPSED: dict[str, float] = {}


@dataclass(frozen=True)
class KnownBug:
    """An app bug the fuzzer finds, tolerated only where ``matches`` says."""

    name: str
    description: str
    matches: Callable[..., bool]  # (case, response, check name) -> bool


# Bugs the fuzzer found and that were fixed (see FIXED_BUGS below): none is
# tolerated any more. A new one goes here, in its exact shape, with a strict xfail
# reproduction, until it is fixed.
KNOWN_BUGS: list[KnownBug] = []


def _known_bug(case, response, check_name: str) -> KnownBug | None:
    for bug in KNOWN_BUGS:
        if bug.matches(case, response, check_name):
            return bug
    return None


@pytest.fixture
def keep_test_connection():
    """Keep the test's database connection open across WSGI requests.

    Django's WSGI handler closes "old" connections when a request starts and ends;
    inside the test's transaction (autocommit off) that closes the very connection
    the reference data lives in. Django's own test client disconnects the same
    receiver for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded at import, before any test database exists: the schema view reads none.
# The coverage phase sends each write some 700 body variants, every one refused
# with the same 401 before its body is read: fuzzing's 60 are plenty there.
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-method": ["POST", "PUT", "PATCH"],
                "phases": {"coverage": {"enabled": False}},
            }
        ]
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


def _call(case):
    # Anonymous throttling (600/minute) would answer 429 part-way through.
    cache.clear()
    REQUESTS[case.operation.label] += 1
    return case.call(headers=HEADERS)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, reference_data, keep_test_connection):
    ELAPSED.setdefault("first", time.monotonic())
    response = _call(case)
    failures = []
    for check in CHECKS:
        try:
            case.validate_response(response, checks=[check], headers=HEADERS)
        except FailureGroup as group:
            bug = _known_bug(case, response, check.__name__)
            if bug is None:
                failures.append(group)
            else:
                TOLERATED[bug.name] += 1
    if case.method.upper() not in SAFE_METHODS:
        # Anonymous: a write (or DELETE, TRACE... from the coverage phase) is refused.
        assert response.status_code in (401, 403, 405), (
            f"anonymous {case.method} {case.formatted_path} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    ELAPSED["last"] = time.monotonic()
    if failures:
        raise (
            failures[0]
            if len(failures) == 1
            else BaseExceptionGroup(
                f"{case.method} {case.path}: {len(failures)} checks failed", failures
            )
        )


def test_fuzzing_sent_enough_requests():
    """Runs after the fuzzing above (file order): it made at least 1,000 requests."""
    if not REQUESTS:
        pytest.skip("test_api_conforms_to_its_schema did not run (deselected?)")
    total = REQUESTS.total()
    print(
        f"\nschemathesis: {total} requests over {len(REQUESTS)} operations in "
        f"{ELAPSED['last'] - ELAPSED['first']:.1f} s (generation included)"
    )
    for label, count in sorted(REQUESTS.items()):
        print(f"  {count:5d}  {label}")
    for name, count in sorted(TOLERATED.items()):
        print(f"  known bug {name}: {count} responses")
    assert len(REQUESTS) == len(list(schema.get_all_operations())), REQUESTS
    assert total >= MIN_REQUESTS


# --- Bugs the fuzzer found, each fixed: their reproductions must stay clean ------

POLYGON = "POLYGON((40 34.5, 41 34.5, 41 35.5, 40 35.5, 40 34.5))"
FIXED_BUGS = {
    # A 500: the within filter named the incident table in raw SQL, which broke
    # when Django aliased it inside the per-actor query.
    "stats-actors-within-500": (
        "GET",
        "/api/v1/stats/actors/",
        {},
        {"within": POLYGON},
    ),
    # Anonymous writes answer 401 (token auth first); the schema said only 403.
    "write-401-undocumented": ("POST", "/api/v1/incidents/", {}, {}),
    # GeoJSON is application/geo+json; the schema said application/json.
    "geojson-content-type-undocumented": ("GET", "/api/v1/sites/", {}, {}),
    "geojson-content-type-clusters": (
        "GET",
        "/api/v1/incidents/clusters/",
        {},
        {"zoom": 5},
    ),
    # A page past the last is a 404; the schema said only 200 and 400.
    "page-404-undocumented": ("GET", "/api/v1/actors/", {}, {"page": 500}),
}


def _operation(method: str, path: str):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == method and operation.path == path:
            return operation
    raise LookupError(f"{method} {path} is not in the schema")


@pytest.mark.parametrize("name", list(FIXED_BUGS))
def test_fixed_bug_stays_fixed(name, reference_data, keep_test_connection):
    method, path, path_parameters, query = FIXED_BUGS[name]
    case = _operation(method, path).Case(
        path_parameters=path_parameters or None, query=query or None
    )
    response = _call(case)
    failing = []
    for check in CHECKS:
        try:
            case.validate_response(response, checks=[check], headers=HEADERS)
        except FailureGroup as group:
            failing.append((check.__name__, group))
    assert failing == []
