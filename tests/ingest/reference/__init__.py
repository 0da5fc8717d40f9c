"""Tests of ``incidents.ingest.reference``: the loaders and the fixtures built."""
