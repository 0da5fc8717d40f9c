"""Schemathesis against the API's own OpenAPI schema, in-process through WSGI.

Every operation the schema at ``/api/v1/schema/`` documents gets generated requests
(schemathesis' examples, coverage and fuzzing phases: valid and invalid parameters,
bodies and path ids) against the reference data. Each response is checked, one check
at a time so that one failure cannot hide another:

- ``not_a_server_error``: no 5xx;
- ``status_code_conformance``: the status is documented for the operation;
- ``content_type_conformance``: so is the Content-Type;
- ``response_schema_conformance``: the body matches the documented schema;
- ``positive_data_acceptance``: a request the schema calls valid is accepted (no
  400), unless it breaks one of the operation's documented ``x-dependencies`` (the
  rules between parameters that a JSON Schema cannot state, in IDL): then it must be
  a 400 naming a parameter of that rule (``dependencies_respected``).

Four string formats are Basewatch's own, and say what a pattern cannot; their
values are generated here as the schema's descriptions define them: ``bbox``
(corners in order), ``polygon`` (a valid one, WKT or GeoJSON), ``site-slugs`` and
``actor-slugs`` (slugs of rows that exist: those of the reference fixtures the
test loads).

Writes go out anonymously and must be refused (401/403), never carried out.

Known app bugs would be listed in ``KNOWN_BUGS``, each tolerated only in its
exact shape; there are none now. The bugs this run found (a 500 and three schema
mismatches) were fixed, and their reproductions (``FIXED_BUGS``) must stay clean.

``BASEWATCH_FUZZ_SCALE`` multiplies the fuzzing examples per operation (default
60: about 3,300 requests with the examples and coverage phases) for a longer run:
``make fuzz``.
"""

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from config.wsgi import application

load_all_checks()

from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

# --- The schema's own formats, generated as its descriptions define them ---------

_LON = st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 4))
_LAT = st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 4))


def _box(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> str:
    return (
        f"{min(lon_a, lon_b)},{min(lat_a, lat_b)},{max(lon_a, lon_b)},"
        f"{max(lat_a, lat_b)}"
    )


def _square(lon: int, lat: int, wkt: bool) -> str:
    ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
    if wkt:
        return "POLYGON((" + ", ".join(f"{x} {y}" for x, y in ring) + "))"
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _existing_slugs(fixture: str):
    # The committed reference fixtures, which ``reference_data`` loads: schemathesis
    # draws its examples when it collects the test, before any database exists.
    path = django_settings.BASE_DIR / "fixtures" / fixture
    rows = json.loads(path.read_text("utf-8"))
    slugs = sorted(row["fields"]["slug"] for row in rows)
    assert slugs, f"no slugs in fixtures/{fixture}"
    return st.lists(st.sampled_from(slugs), min_size=1, max_size=3, unique=True).map(
        ",".join
    )


schemathesis.openapi.format("bbox", st.builds(_box, _LON, _LAT, _LON, _LAT))
schemathesis.openapi.format(
    "polygon",
    st.builds(_square, st.integers(-179, 178), st.integers(-89, 88), st.booleans()),
)
schemathesis.openapi.format("site-slugs", _existing_slugs("sites.json"))
schemathesis.openapi.format("actor-slugs", _existing_slugs("actors.json"))


# --- x-dependencies: the IDL rules between parameters -----------------------------

_ALL_OR_NONE = re.compile(r"AllOrNone\((?P<names>[\w, ]+)\);")
_AT_MOST = re.compile(r"(?P<low>\w+) <= (?P<high>\w+);")
_IF_NOT = re.compile(
    r"IF (?P<name>\w+)=='(?P<value>[^']*)' THEN (?P<then>NOT \w+(?: AND NOT \w+)*);"
)


def broken_dependency(rule: str, query: dict) -> set[str] | None:
    """The parameters of ``rule`` if ``query`` breaks it, else None. Only the IDL
    forms the schema uses; a new form fails here until it is taught."""
    if match := _ALL_OR_NONE.fullmatch(rule):
        names = {name.strip() for name in match["names"].split(",")}
        given = names & set(query)
        return names if given and given != names else None
    if match := _AT_MOST.fullmatch(rule):
        low, high = match["low"], match["high"]
        if low in query and high in query and str(query[low]) > str(query[high]):
            return {low, high}  # ISO dates: their text sorts as they do
        return None
    if match := _IF_NOT.fullmatch(rule):
        banned = set(re.findall(r"NOT (\w+)", match["then"]))
        if str(query.get(match["name"])) == match["value"] and banned & set(query):
            return banned | {match["name"]}
        return None
    raise AssertionError(f"an x-dependencies rule this test cannot read: {rule!r}")


@schemathesis.check
def dependencies_respected(ctx, response, case):
    """A valid request is accepted, or, if it breaks a documented dependency, is
    a 400 naming one of that rule's parameters."""
    rules = case.operation.definition.raw.get("x-dependencies", [])
    broken = [
        names
        for rule in rules
        if (names := broken_dependency(rule, dict(case.query or {}))) is not None
    ]
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if not broken or not positive:
        return positive_data_acceptance(ctx, response, case)
    if response.status_code == 403:
        # Refused for who asks (an anonymous ``status``) before its values are
        # weighed: documented, and no claim about the data.
        return None
    named = (
        set(response.json().get("errors", {})) if response.status_code == 400 else set()
    )
    assert any(names & named for names in broken), (
        f"{case.method} {case.formatted_path} {case.query} breaks {rules} but "
        f"answered {response.status_code}: {response.text[:300]}"
    )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    dependencies_respected,
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


# A query that breaks each documented rule, and one that keeps it: the check above
# relies on reading the rules right, and the API must answer as they say.
DEPENDENCY_CASES = [
    ({"near": "40.5,35.1"}, {"near": "40.5,35.1", "radius_km": "5"}),
    (
        {"date_from": "2024-01-02", "date_to": "2024-01-01"},
        {"date_from": "2024-01-01", "date_to": "2024-01-01"},
    ),
    ({"format": "acled", "page": "1"}, {"format": "acled"}),
]


def test_documented_dependencies_are_read_and_enforced(
    reference_data, keep_test_connection
):
    incidents = _operation("GET", "/api/v1/incidents/")
    rules = incidents.definition.raw["x-dependencies"]
    assert len(rules) == len(DEPENDENCY_CASES)
    for (broken, kept), rule in zip(DEPENDENCY_CASES, rules, strict=True):
        names = broken_dependency(rule, broken)
        assert names and broken_dependency(rule, kept) is None, rule
        response = _call(incidents.Case(query=broken))
        assert response.status_code == 400, (rule, response.text[:300])
        assert names & set(response.json()["errors"]), (rule, response.json())
        assert _call(incidents.Case(query=kept)).status_code == 200, rule
