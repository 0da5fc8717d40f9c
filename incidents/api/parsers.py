"""The API's JSON body parser: DRF's, with every malformed body a 400.

DRF's ``JSONParser`` turns a syntax error into a 400, but a body nested deeply
enough makes Python's ``json`` raise ``RecursionError``, which reached the client as
a 500. Here that, and any body nested deeper than :data:`MAX_DEPTH` (no resource
has more than four levels: an incident, its citations, a citation's fields), is a
``ParseError``: a 400 saying what is wrong, before any serializer sees it.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 16


def depth(value) -> int:
    """How deeply ``value`` nests lists and objects, counted without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON bodies nested at most :data:`MAX_DEPTH` levels; anything else is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                f"JSON parse error - nested more than {MAX_DEPTH} levels deep"
            ) from None
        if depth(data) > MAX_DEPTH:
            raise ParseError(
                f"JSON parse error - nested more than {MAX_DEPTH} levels deep"
            )
        return data
