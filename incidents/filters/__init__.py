"""The map's and the API's filters, in one place both sit on: which query
parameters there are and what each accepts (``params``, ``parsers``), a parsed
query as ``selectors.IncidentFilters`` (``query``), and the spatial filters
(``spatial``: box, circle, polygon).

The API (``api/``) and the reader's pages (``pages/``, with the figures of
``stats/``) import from here, so neither imports the other. May import:
``models``, ``rules``, ``geo``, ``selectors``, ``sql_ids``; never ``api`` nor
any page.
"""
