"""Tests of ``incidents.pages``: the map, site and incident pages, no browser."""
