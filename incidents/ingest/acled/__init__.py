"""ACLED CSV import and export.

Analysts work in ACLED's CSV export (31 columns, ``ACLED_COLUMNS``). This package
reads such files into incidents and writes incidents back out in the same shape:

- ``import_acled(source, *, dry_run=False, status="review", user=None,
  take_all=False)`` ->
  ``AcledReport``: all or nothing, two streaming passes, upsert on
  ``event_id_cnty`` by ACLED's ``timestamp`` (``importer``); a new event that is a
  second report of one incident on record is attached to it
  (``incidents.corroborate``), an update changes only what its event gave
  (``links``, ``fields``), and a user who may not change an incident on the
  public record imports no file that would (``incidents.rules``); a new row
  about no tracked site is skipped unless ``take_all`` (``relevance``);
- ``export_acled_lines(queryset)`` / ``write_acled_csv(queryset, out)``: streaming
  CSV in ACLED's column order (``export``).

Mapping decisions (tables in ``mapping``, lookups in ``resolve``):

- **sub_event_type -> event type, weapon.** Shelling/artillery/missile attack ->
  attack, weapon from the notes (else unknown); Air/drone strike -> attack by a
  drone (notes may say otherwise), but *strike* when actor1 is a state or
  external force (inter1 1 or 8); Remote explosive/landmine/IED and Suicide bomb
  -> attack, ied; Armed clash -> attack, small_arms; Attack, Grenade -> attack,
  weapon from the notes; Disrupted weapons use -> interception; Agreement ->
  meeting; Change to group/activity -> statement; territory changes -> other,
  unknown; base established, arrests, protests, riots -> other, no weapon. An
  unknown sub-event type is no error: other, unknown (the original is kept).
- **Weapon from the notes** where the type is generic: drone/UAV/مسيّرة -> drone,
  mortar/هاون -> mortar, rocket/Katyusha/صاروخ/صواريخ -> rocket, missile ->
  missile; two or more of these -> mixed. (Arabic صاروخ is both rocket and
  missile; the militias' claims mostly mean rockets.)
- **time_precision** 1/2/3 -> day/week/month. **geo_precision** 1/2/3 ->
  precision 2 km (the town or spot), 10 km (near it), 50 km (the province); any
  other code is a bad row.
- **Actors**: actor1 and assoc_actor_1 are perpetrators, actor2 and assoc_actor_2
  targets; several names in one cell are split on ";" outside parentheses. Known
  actors match by name, Arabic name or alias (exact or normalised, never fuzzy),
  then by ACLED's standard name for them (``actor_names``); unknown ones are
  created, kind from inter1/inter2 as numbers or ACLED's words: 1 state forces
  and 8 external/other forces -> state_force, 2-4 (rebels, militias) ->
  armed_group, 5 rioters, 6 protesters, 7 civilians -> their own kinds, anything
  else -> armed_group.
- **Sources**: one Source per publisher named in ``source`` (split on ";"), URL
  empty, title ``ACLED: <publisher>``, reused across imports; cited "reports".
- **Numbers** (``notes``): fatalities -> killed, but 0 is ACLED's "none
  reported", so not reported unless the event's sentences say nobody was hurt;
  injured from the event's sentences. ``iso`` (any ISO 3166 numeric code) ->
  alpha-2, else from the ``country`` name; admin1 as written.
- **Optional columns**: only the id, date, sub-event type and point are required
  (``columns.REQUIRED_COLUMNS``); without a timestamp a row is version 0 and
  never overwrites an event on record.
- **Basewatch's own facts** ride in ``tags`` as ``bw:`` tags (``tags``), so our
  export imports back unchanged.
- **Site**: ACLED's ``location`` through the gazetteer; else the nearest placed
  site within 5 / 15 / 30 km for geo_precision 1 / 2 / 3; only for events that
  can concern a site, and a settlement's bare name links a facility of the same
  name only with the point or the notes to back it (``relevance``). A new row
  with no site is skipped, or with ``take_all`` imported "unlinked". The
  incident keeps ACLED's own point either way.
- Everything else ACLED says goes into ``Incident.external_data["acled"]``, the
  timestamp into ``external_timestamp``, event_id_cnty into ``external_id``.
- Imported incidents start in review unless told otherwise; an update keeps the
  incident's status.
"""

from .columns import ACLED_COLUMNS, AcledError
from .export import export_acled_lines, write_acled_csv
from .importer import import_acled
from .report import AcledReport

__all__ = [
    "ACLED_COLUMNS",
    "AcledError",
    "AcledReport",
    "export_acled_lines",
    "import_acled",
    "write_acled_csv",
]
