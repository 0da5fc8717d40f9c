"""Change list search and filters for the admin.

Search folds what the editor types with ``normalize_name``, the same way the
``search_text`` columns were folded, so Arabic typed with or without diacritics or
hamza, and any Latin spelling kept as an alias, finds the row.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from ..geo.names import normalize_name
from ..rules.confidence import Confidence


class FoldedSearchMixin:
    """Each searched word matches as typed *or* folded.

    Django's own search (``search_fields``) matches the word as typed; the folded word
    is also looked up in ``folded_search_fields``, which hold folded text. Both sides
    are ``pk IN (subquery)`` conditions, so the outer query never joins a to-many
    relation: rows cannot repeat and no ``distinct`` (or the changelist's ``Exists``
    wrapper) is needed.
    """

    folded_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        base = self.model._default_manager.all()
        for bit in smart_split(search_term):
            word = bit
            if bit[0] in "\"'" and bit[0] == bit[-1] and len(bit) > 1:
                word = unescape_string_literal(bit)
            # Django's search for this one word (it unquotes the bit itself).
            as_typed, _dups = super().get_search_results(request, base, bit)
            matches = Q(pk__in=as_typed.values("pk"))
            folded = normalize_name(word)
            if folded and self.folded_search_fields:
                folded_q = Q.create(
                    [
                        (f"{path}__contains", folded)
                        for path in self.folded_search_fields
                    ],
                    connector=Q.OR,
                )
                matches |= Q(pk__in=base.filter(folded_q).values("pk"))
            queryset = queryset.filter(matches)
        return queryset, False


class HasPointListFilter(admin.SimpleListFilter):
    title = _("point")
    parameter_name = "has_point"

    def lookups(self, request, model_admin):
        return [("yes", _("placed")), ("no", _("not placed yet"))]

    def queryset(self, request, queryset):
        # Latitude alone suffices: the database keeps the pair together.
        if self.value() == "yes":
            return queryset.filter(latitude__isnull=False)
        if self.value() == "no":
            return queryset.filter(latitude__isnull=True)
        return queryset


class ConfidenceListFilter(admin.SimpleListFilter):
    """Filters on the derived confidence, computed in SQL (``rules.confidence``)."""

    title = _("confidence")
    parameter_name = "confidence"

    def lookups(self, request, model_admin):
        return Confidence.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in Confidence.values:
            # The changelist turns this into its "invalid filter" redirect rather
            # than silently showing every incident.
            raise IncorrectLookupParameters(f"unknown confidence {value!r}")
        return queryset.with_confidence_in([value])
