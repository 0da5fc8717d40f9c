"""Tests of ``incidents.models``: the invariants the database enforces."""
