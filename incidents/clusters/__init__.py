"""The map's clusters and the list beside it, read side: incidents grouped on the
grid (``grid``), the same groups merged from the per-day rollup when a request
allows it (``from_rollup``, with the list's exact count), and the newest-first
page of a box read the way SQLite does it fast (``list_pages``).

The rollup is kept current on write by ``upkeep.rollup``; this package only reads
it. May import: ``models``, ``selectors``, ``upkeep.rollup`` (the base grid's
constants), ``sql_ids``. Imported by the API's cluster and list views.
"""
