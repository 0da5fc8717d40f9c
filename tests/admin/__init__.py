"""Tests of ``incidents.admin``: its pages, forms, imports and merges."""
