"""Tests of ``incidents.filters``: reader queries and the indexes serving them."""
