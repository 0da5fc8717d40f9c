"""Tests of ``incidents.upkeep``: the bulk-write entry point and the data version."""
