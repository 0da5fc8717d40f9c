"""Tests of ``incidents.api``: endpoints, schema, errors, caching, kept exports."""
