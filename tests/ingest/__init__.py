"""Tests of ``incidents.ingest``: a folder per source (acled/, article/, reference/)."""
