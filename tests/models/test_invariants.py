"""Model invariants the database itself enforces, and the derived confidence."""

import itertools

import pytest
from django.db import IntegrityError, transaction

from incidents.models import Citation, Incident, Site, Source
from incidents.rules.confidence import Confidence, derive_confidence

pytestmark = pytest.mark.django_db


def _violates(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (90.5, 40.0),
        (-91, 40.0),
        (35.0, 180.01),
        (35.0, -181),
        (35.0, None),
        (None, 40.0),
    ],
)
def test_site_coordinates_out_of_range_or_unpaired_are_rejected(
    make, latitude, longitude
):
    assert _violates(lambda: make.site(latitude=latitude, longitude=longitude))


def test_site_may_lack_coordinates(make):
    site = make.site(latitude=None, longitude=None, precision_m=None)
    assert not site.has_location


@pytest.mark.parametrize("field", ["injured", "killed", "precision_m"])
def test_incident_counts_cannot_be_negative(make, field):
    # .update() bypasses model validation, so only the database can refuse it.
    incident = make.incident()
    assert _violates(
        lambda: Incident.objects.filter(pk=incident.pk).update(**{field: -1})
    )


def test_incident_coordinates_are_checked(make):
    assert _violates(lambda: make.incident(latitude=91, longitude=40))
    assert _violates(lambda: make.incident(latitude=35, longitude=None))


def test_not_reported_and_reported_none_stay_distinct(make):
    unknown = make.incident(injured=None, killed=None)
    none = make.incident(injured=0, killed=0)
    unknown.refresh_from_db()
    none.refresh_from_db()
    assert (unknown.injured, unknown.killed) == (None, None)
    assert (none.injured, none.killed) == (0, 0)


def test_external_id_unique_only_when_set(make):
    make.incident(external_id="")
    make.incident(external_id="")
    make.incident(external_id="SYR1")
    assert _violates(lambda: make.incident(external_id="SYR1"))


def test_source_url_unique_only_when_set(make):
    make.source(url="")
    make.source(url="")
    make.source(url="https://example.org/a")
    assert _violates(lambda: make.source(url="https://example.org/a"))


def test_search_text_folds_arabic_and_latin_names(make):
    site = make.site(
        name="Ain al-Asad Air Base", name_ar="قاعدة عين الأسد", aliases=["Al Asad"]
    )
    for query in ["عين الاسد", "عَيْنِ الأَسَد", "AIN AL ASAD", "al-asad"]:
        assert list(Site.objects.matching(query)) == [site], query
    assert not Site.objects.matching("   ").exists()


def test_published_is_the_only_public_gate(make):
    made = {status: make.incident(status=status) for status in Incident.Status.values}
    published = set(Incident.objects.published().values_list("pk", flat=True))
    # The merged tombstone's survivor is published too; nothing else is.
    survivor = made["merged"].merged_into_id
    assert published == {made["published"].pk, survivor}


STANCES = Citation.Stance.values
KINDS = Source.Kind.values


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        ([], Confidence.REPORTED),
        ([("reports", "news")], Confidence.REPORTED),
        ([("confirms", "official")], Confidence.CONFIRMED),
        ([("confirms", "news"), ("claims", "claim_channel")], Confidence.CONFIRMED),
        ([("claims", "news")], Confidence.CLAIMED),
        ([("reports", "claim_channel"), ("claims", "news")], Confidence.CLAIMED),
        ([("confirms", "claim_channel")], Confidence.CLAIMED),
        ([("claims", "news"), ("reports", "news")], Confidence.REPORTED),
        ([("confirms", "official"), ("denies", "news")], Confidence.DISPUTED),
    ],
)
def test_derive_confidence_rules(citations, expected):
    assert derive_confidence(citations) == expected


def test_sql_and_python_confidence_agree_on_every_pair_of_citations(make):
    """The SQL annotation and the Python rule must never drift apart."""
    sources = {kind: make.source(kind=kind) for kind in KINDS}
    combos = [()] + [
        tuple(pair)
        for pair in itertools.combinations_with_replacement(
            itertools.product(STANCES, KINDS), 2
        )
        if pair[0][1] != pair[1][1]  # one citation per source
    ]
    expected = {}
    for combo in combos[::3]:
        incident = make.incident(
            citations=[(sources[kind], stance) for stance, kind in combo]
        )
        expected[incident.pk] = derive_confidence(combo)
    annotated = dict(
        Incident.objects.with_confidence().values_list("pk", "confidence_level")
    )
    assert annotated == {pk: level.value for pk, level in expected.items()}
    prefetched = Incident.objects.prefetch_related("citations__source")
    assert {i.pk: i.confidence for i in prefetched} == expected
