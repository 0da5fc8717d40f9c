"""The REST API under /api/v1/: GeoJSON, CSV and JSON for programs and the map."""
