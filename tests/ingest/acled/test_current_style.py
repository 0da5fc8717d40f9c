"""ACLED's current export style, in files written by hand as ACLED writes them.

``tests/data/acled/current-style.csv`` has ACLED's 31 columns in its 2024 style:
inter codes and interactions as words ("Political militia", "External/Other
forces", "Protesters only"), ACLED's own actor names ("Military Forces of the
United States (2021-)", "Protesters (Iraq)", "Civilians (Iraq)"), an assoc-actor
cell whose ";" is inside parentheses, a Yemeni row (iso 887) and off-topic rows
(a protest in Baghdad 3 km from the US embassy, a shooting and a clash in Erbil
city 7 km from the air base, a troop movement to Tadmor) beside attacks on bases
(Ain al-Asad by name, drones at "Erbil" that the notes place at its airport,
rockets near Conoco given as the village of Khasham, 3 km away) and a convoy
arriving at al-Tanf. By default the off-topic rows are skipped; ``current_all``
takes every row, as ``--all`` does.
``api-subset.csv`` is what ACLED's API gives for a field subset: no timestamp,
no iso, no precision codes, a blank fatalities cell.
"""

import pytest

from incidents.ingest.acled import import_acled
from incidents.models import Actor, Incident, Involvement
from tests import TEST_DATA

DATA = TEST_DATA / "acled"
CURRENT = DATA / "current-style.csv"
SUBSET = DATA / "api-subset.csv"


@pytest.fixture
def current(reference_data):
    report = import_acled(CURRENT)
    assert report.ok, report.errors
    return report


@pytest.fixture
def current_all(reference_data):
    report = import_acled(CURRENT, take_all=True)
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
def test_inter_words_give_unarmed_people_their_own_kinds(current_all):
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
def test_a_yemeni_row_is_in_yemen(current_all):
    assert Incident.objects.get(external_id="YEM44001").country == "YE"


@pytest.mark.django_db
def test_the_attack_on_the_base_is_linked_to_it(current):
    linked = {event: slug for _line, event, slug, _how in current.linked}
    assert linked["IRQ33001"] == "ain-al-asad"
    assert linked["SYR55001"] == "al-tanf"
    # ACLED names the city; the notes say the drones were aimed at its airport.
    assert linked["IRQ33005"] == "erbil-air-base"
    assert current.linked[-1][1:] == ("SYR55003", "conoco", "nearest (3.0 km)")


OFF_TOPIC = {"IRQ33002", "IRQ33003", "YEM44001", "IRQ33004", "SYR55002"}


@pytest.mark.django_db
def test_rows_about_no_tracked_site_are_skipped_and_say_why(current):
    why = {event: reason for _line, event, reason in current.skipped}
    assert set(why) == OFF_TOPIC
    assert all(reason.startswith("not about a tracked site") for reason in why.values())
    assert "Protests" in why["IRQ33002"]
    assert "Violence against civilians" in why["IRQ33003"]
    # A clash in the city of Erbil is not one at the air base of the same name.
    assert "'Erbil' is the place, not erbil-air-base" in why["IRQ33004"]
    assert "'Tadmor' names none" in why["SYR55002"]
    assert not Incident.objects.filter(external_id__in=OFF_TOPIC).exists()
    # Nothing of a skipped row is created: not its actors, not its sources.
    assert not Actor.objects.filter(
        name__in=["Protesters (Iraq)", "Civilians (Iraq)", "Ansar Allah"]
    ).exists()
    assert (current.created, len(current.matched), len(current.skipped)) == (3, 1, 5)


@pytest.mark.django_db
def test_with_all_the_off_topic_rows_are_imported_unlinked(current_all):
    assert current_all.skipped == []
    unlinked = {event for _line, event, _location in current_all.unlinked}
    assert unlinked == OFF_TOPIC
    # The protest 3 km from the embassy is not pinned on it by distance.
    protest = Incident.objects.get(external_id="IRQ33002")
    assert not protest.sites.exists()


@pytest.mark.django_db
def test_an_api_subset_without_timestamp_imports(reference_data):
    # The Yemeni launch concerns no tracked site: taken here with take_all.
    report = import_acled(SUBSET, take_all=True)
    assert report.ok, report.errors
    assert report.created + len(report.matched) == 2
    yemen = Incident.objects.get(external_id="YEM55102")
    assert yemen.country == "YE"  # from the country name: no iso column
    assert yemen.killed is None  # a blank fatalities cell says nothing
    assert (yemen.date_precision, yemen.precision_m) == ("day", 10_000)
    assert yemen.external_timestamp == 0


@pytest.mark.django_db
def test_a_row_without_timestamp_never_overwrites(reference_data, tmp_path):
    assert import_acled(SUBSET, take_all=True).ok
    changed = tmp_path / "changed.csv"
    changed.write_text(
        SUBSET.read_text(encoding="utf-8").replace(
            "fired a missile from Ras Isa", "fired two missiles from Ras Isa"
        ),
        encoding="utf-8",
    )
    report = import_acled(changed, take_all=True)
    assert report.ok and report.unchanged == 2 and report.updated == 0
    assert "fired a missile" in Incident.objects.get(external_id="YEM55102").summary


@pytest.mark.django_db
def test_an_api_subset_without_event_type_is_judged_by_its_sub_event_type(
    reference_data,
):
    report = import_acled(SUBSET)
    assert report.ok, report.errors
    # "Shelling/artillery/missile attack" can concern a base; Ras Isa names none
    # and is 1,000 km from every site. The drone on Conoco is taken.
    assert [event for _line, event, _why in report.skipped] == ["YEM55102"]
    assert report.created + len(report.matched) == 1
