"""The reader's pages: the map, a site, an incident, the figures (``views``), thin
views over ``selectors``, ``filters`` and ``stats``; templates in
``templates/incidents/``. May import anything below them; nothing imports them but
``urls``.
"""
