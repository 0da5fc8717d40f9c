"""``isolate_parentheses``: a reason such as "same site (ain-al-asad); same weapon
(drone)" keeps its Latin values readable inside Arabic text.

The reasons are written in the reader's language around values that are not
(slugs, weapons, dates); in a right-to-left paragraph the bidirectional algorithm
splits such a value at its hyphens and moves the brackets. Each bracketed value
is put in a ``<bdi>``, which isolates its direction. The text is escaped first, so
only the ``<bdi>`` tags are markup: incident text stays text.
"""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()
_BRACKETED = re.compile(r"\(([^()]*)\)")


@register.filter
def isolate_parentheses(text) -> str:
    escaped = conditional_escape(text)
    return mark_safe(_BRACKETED.sub(r"(<bdi>\1</bdi>)", escaped))  # noqa: S308
