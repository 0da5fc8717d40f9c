"""The map's address (``/?weapon=…&bbox=…``) checked by the API's own rules.

The map takes the API's filter parameters in its address, so a link can move
between the two. Its values are parsed here with the API's parameter table
(``filters.params``) and its cross-field rules (``filters.query``), so a value
the API would answer with a 400 is named on the page too, in the API's words:
one rule, in one place. ``map/address.js`` shows the errors, keeps the bad
values in the address until the reader changes that filter, and applies only
the good ones.

Only the map's own parameters are checked: the view (``lat``, ``lon``, ``z``) and
the open incident are the map's, not the API's, and are checked by
``common/url_state.js``; anything else (a tracking tag, say) is left alone, as
before. An empty value is no filter, as the map reads it.
"""

from django.http import QueryDict

from ..filters import params as p
from ..filters.parsers import ParamError
from ..filters.query import incident_filters
from ..stats.figures import PAGE_FILTER_NAMES

# The map's filters (common/url_state.js's FILTER_KEYS, as the figures page's),
# plus bbox: a view the map fits on load.
MAP_PARAMS = (*PAGE_FILTER_NAMES, "bbox")


def address_errors(query: QueryDict) -> dict[str, dict[str, str]]:
    """Each bad map parameter: its value as given and what the API says of it."""
    given = QueryDict(mutable=True)
    for name in MAP_PARAMS:
        values = [value for value in query.getlist(name) if value.strip()]
        if values:
            given.setlist(name, values)
    accepted = [param for param in p.INCIDENT_FILTERS if param.name in MAP_PARAMS]
    try:
        incident_filters(p.parse_query(given, accepted))
    except ParamError as error:
        return {
            name: {"value": given.getlist(name)[0], "error": message}
            for name, message in error.errors.items()
            if name in given
        }
    return {}
