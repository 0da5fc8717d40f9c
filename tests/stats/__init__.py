"""Tests of ``incidents.stats``: the figures page."""
