"""Answers from online geocoders, kept: each lookup is asked of a service at most
once, and every point that came from one can be traced to which service said it,
for which query, and when.

A "not found" is kept too (``found`` false), so a name no service knows is not
asked again on every import; an error (timeout, refusal) is never kept, so the
next lookup asks again.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .places import coordinate_constraints


class GeocodeAnswer(models.Model):
    geocoder = models.CharField(
        _("geocoder"), max_length=40, help_text=_("Which service answered.")
    )
    query = models.TextField(_("query"), help_text=_("The text as it was asked."))
    # The cache key: the query with case, Unicode form and spacing folded, and no
    # more (a service may read "al-Tanf" and "Tanf" differently).
    query_key = models.CharField(_("query key"), max_length=300)
    found = models.BooleanField(_("found"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    precision_m = models.PositiveIntegerField(_("precision (m)"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    raw = models.JSONField(_("raw answer"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("geocoder answer")
        verbose_name_plural = _("geocoder answers")
        ordering = ["-answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["geocoder", "query_key"], name="geocode_answer_unique_query"
            ),
            # A found answer has a point; a not-found one has none.
            models.CheckConstraint(
                condition=Q(found=False, latitude__isnull=True)
                | Q(found=True, latitude__isnull=False),
                name="geocode_answer_found_has_point",
            ),
            *coordinate_constraints("geocode_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.geocoder}: {self.query}"
