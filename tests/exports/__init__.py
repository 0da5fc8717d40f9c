"""Tests of ``incidents.exports``: the streamed CSV / GeoJSON writers."""
