"""Tests of ``incidents.clusters``: grid clusters, their rollup and the list pages."""
