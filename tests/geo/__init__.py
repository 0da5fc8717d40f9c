"""Tests of ``incidents.geo``: names, gazetteer, geocoders, reverse, placing."""
