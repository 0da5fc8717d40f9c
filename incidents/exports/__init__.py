"""Incidents and sites written out for other programs, read side only: GeoJSON
geometry (``geojson``) and features built from plain rows (``features``, the API's
fast path), CSV rows and the formula guard every CSV cell passes
(``csv_rows``, ``formula_guard``), the whole-set CSV straight from the database
(``csv_stream``), and every whole-set download streamed in constant memory
(``streams``: GeoJSON, CSV, ACLED-style CSV).

What HTTP adds (the views, kept files, ETags) stays in ``api/``. May import:
``models``, ``rules``, ``sql_ids``, ``ingest.acled`` (its CSV writer).
"""
