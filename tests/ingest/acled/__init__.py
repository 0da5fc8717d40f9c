"""Tests of ``incidents.ingest.acled``: ACLED CSV import, export, corroboration."""
