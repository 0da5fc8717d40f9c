"""ACLED's current export style, in files written by hand as ACLED writes them.

``tests/data/acled/current-style.csv`` has ACLED's 31 columns in its 2024 style:
inter codes and interactions as words ("Political militia", "External/Other
forces", "Protesters only"), ACLED's own actor names ("Military Forces of the
United States (2021-)", "Protesters (Iraq)", "Civilians (Iraq)"), an assoc-actor
cell whose ";" is inside parentheses, a Yemeni row (iso 887) and off-topic rows
(a protest, a shooting in a city, a troop movement) beside an attack on a base.
``api-subset.csv`` is what ACLED's API gives for a field subset: no timestamp,
no iso, no precision codes, a blank fatalities cell.
"""

from pathlib import Path

import pytest

from incidents.ingest.acled import import_acled
from incidents.models import Actor, Incident, Involvement

DATA = Path(__file__).parent / "data" / "acled"
CURRENT = DATA / "current-style.csv"
SUBSET = DATA / "api-subset.csv"


@pytest.fixture
def current(reference_data):
    report = import_acled(CURRENT)
    assert report.ok, report.errors
    return report


def involved(report, event_id: str) -> set[tuple[str, str]]:
    """(actor slug, role) of the incident an event created or was attached to."""
    attached = {event: pk for _line, event, pk, _how in report.matched}
    incident = (
        Incident.objects.get(pk=attached[event_id])
        if event_id in attached
        else Incident.objects.get(external_id=event_id)
    )
    return set(incident.involvements.values_list("actor__slug", "role"))


@pytest.mark.django_db
def test_acleds_name_for_us_forces_is_our_actor(current):
    assert not Actor.objects.filter(name__startswith="Military Forces of").exists()
    assert ("us-forces", Involvement.Role.TARGET) in involved(current, "IRQ33001")
    assert ("us-forces", Involvement.Role.PERPETRATOR) in involved(current, "SYR55001")


@pytest.mark.django_db
def test_inter_words_give_unarmed_people_their_own_kinds(current):
    kinds = dict(Actor.objects.values_list("name", "kind"))
    assert kinds["Protesters (Iraq)"] == Actor.Kind.PROTESTERS
    assert kinds["Civilians (Iraq)"] == Actor.Kind.CIVILIANS
    assert kinds["Ansar Allah"] == Actor.Kind.ARMED_GROUP  # "Rebel group"
    assert kinds["Unidentified Armed Group (Iraq)"] == Actor.Kind.ARMED_GROUP


@pytest.mark.django_db
def test_a_semicolon_inside_parentheses_does_not_split_a_name(current):
    assert Actor.objects.filter(name="Tribal Militia (Syria; Iraq)").exists()
    assert Actor.objects.filter(name="Maghaweir al-Thowra").exists()
    assert not Actor.objects.filter(name__in=["Tribal Militia (Syria", "Iraq)"])


@pytest.mark.django_db
def test_a_yemeni_row_is_in_yemen(current):
    assert Incident.objects.get(external_id="YEM44001").country == "YE"


@pytest.mark.django_db
def test_the_attack_on_the_base_is_linked_to_it(current):
    linked = {event: slug for _line, event, slug, _how in current.linked}
    assert linked["IRQ33001"] == "ain-al-asad"
    assert linked["SYR55001"] == "al-tanf"


@pytest.mark.django_db
def test_an_api_subset_without_timestamp_imports(reference_data):
    report = import_acled(SUBSET)
    assert report.ok, report.errors
    assert report.created + len(report.matched) == 2
    yemen = Incident.objects.get(external_id="YEM55102")
    assert yemen.country == "YE"  # from the country name: no iso column
    assert yemen.killed is None  # a blank fatalities cell says nothing
    assert (yemen.date_precision, yemen.precision_m) == ("day", 10_000)
    assert yemen.external_timestamp == 0


@pytest.mark.django_db
def test_a_row_without_timestamp_never_overwrites(reference_data, tmp_path):
    assert import_acled(SUBSET).ok
    changed = tmp_path / "changed.csv"
    changed.write_text(
        SUBSET.read_text(encoding="utf-8").replace(
            "fired a missile from Ras Isa", "fired two missiles from Ras Isa"
        ),
        encoding="utf-8",
    )
    report = import_acled(changed)
    assert report.ok and report.unchanged == 2 and report.updated == 0
    assert "fired a missile" in Incident.objects.get(external_id="YEM55102").summary
