"""``isolate_parentheses``, ``isolate_dates``, ``isolate_latin`` and ``isolate_ltr``
(one value, such as a coordinate, kept left to right): a reason such
as "same site (ain-al-asad); same weapon (drone)", a date's evidence «مساء الاثنين
→ 2023-12-04», or an import's «'Ras Isa' لا يسمّي أي موقع» keeps its Latin values
readable inside Arabic text.

The reasons are written in the reader's language around values that are not
(slugs, weapons, dates); in a right-to-left paragraph the bidirectional algorithm
splits such a value at its hyphens and moves the brackets. Each bracketed value
is put in a ``<bdi>``, which isolates its direction. The text is escaped first, so
only the ``<bdi>`` tags are markup: incident text stays text.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html
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


_ARABIC = re.compile("[\u0600-\u06ff]")
# A quoted value as Python's repr writes it ('Erbil', "Sa'ad"), or a run of Latin
# words, digits and hyphens (a slug, ACLED's "Violence against civilians").
_LATIN_RUN = re.compile(
    r"'[^'\n]*'|\"[^\"\n]*\"|[A-Za-z0-9][\w\-]*(?:[ ./][A-Za-z0-9][\w\-]*)*", re.ASCII
)


@register.filter
def isolate_latin(text) -> str:
    """Quoted values and runs of Latin text kept whole inside Arabic text (the
    reasons an import gives name ACLED's places, event types and our slugs): each
    in a ``<bdi>``. Every piece is escaped; only the ``<bdi>`` tags are markup."""
    text = str(text)
    if not _ARABIC.search(text):
        # Nothing to isolate from; and Chromium breaks no line inside a <bdi>,
        # so a whole English sentence of them would not wrap on a phone.
        return conditional_escape(text)
    pieces: list[str] = []
    last = 0
    for match in _LATIN_RUN.finditer(text):
        pieces.append(conditional_escape(text[last : match.start()]))
        pieces.append(f"<bdi>{conditional_escape(match.group())}</bdi>")
        last = match.end()
    pieces.append(conditional_escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308


@register.filter
def isolate_ltr(value) -> str:
    """A number, date, coordinate or code kept left to right on an Arabic page
    (after Arabic letters "33.8, 42.44" would read "42.44 ,33.8"): the value,
    escaped, in a ``<bdi dir="ltr">``. Safe inside ``blocktranslate``."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)
