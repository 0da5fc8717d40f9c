"""The reference data: the repository's copy of the gazetteer, the campaign's
attacks and the official totals (``data_copy``, with provenance), and the
committed fixtures built from it (``fixtures``, with the records and checks they
share in ``records``, the seed article's events in ``seed``, and the hand-kept
tables of actors, claimants and probable duplicates in ``catalog``).

May import: ``models`` (the search text functions), ``geo``. Imported by the
``build_fixtures`` and ``import_reference_data`` commands.
"""
