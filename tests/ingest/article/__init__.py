"""Tests of ``incidents.ingest.article``: article text to draft incidents."""
