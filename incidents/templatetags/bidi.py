"""``isolate_parentheses`` and ``isolate_dates``: a reason such as "same site
(ain-al-asad); same weapon (drone)", or a date's evidence «مساء الاثنين →
2023-12-04», keeps its Latin values readable inside Arabic text.

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


_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@register.filter
def isolate_dates(text) -> str:
    """ISO dates kept left to right inside Arabic text («مساء الاثنين → 2023-12-04»
    would otherwise read 04-12-2023): each in a ``<bdi dir="ltr">``, the rest
    escaped."""
    escaped = conditional_escape(text)
    return mark_safe(_ISO_DATE.sub(r'<bdi dir="ltr">\g<0></bdi>', escaped))  # noqa: S308
