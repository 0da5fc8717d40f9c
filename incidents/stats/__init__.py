"""Numbers a reader sees, computed from published incidents: the aggregates the
API's ``stats/`` endpoints and the figures page share (``aggregates``: per site,
per actor, over time, beside the official totals), and the figures page's tables,
cached under the data version (``figures``).

May import: ``models``, ``rules``, ``selectors``, ``filters``, ``upkeep``
(the data version). Imported by the API's stats views and ``pages``.
"""
