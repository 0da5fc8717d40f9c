"""Reports (sources) and the official running totals kept beside our own counts."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        OFFICIAL = "official", _("official")
        MONITOR = "monitor", _("monitor")
        CLAIM_CHANNEL = "claim_channel", _("claim channel")
        SOCIAL = "social", _("social media")

    url = models.URLField(_("URL"), max_length=1000, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    title = models.CharField(_("title"), max_length=500, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("ISO 639-1; blank when unknown."),
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS
    )
    archived_url = models.URLField(_("archived URL"), max_length=1000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["publisher", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_set"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or self.publisher


class OfficialTotal(models.Model):
    """A running total someone official (or a monitor) published on a given day.

    Kept apart from incidents on purpose: "55 attacks since 17 October" is a claim
    about a count, not 55 incidents, and the reader compares it with what Basewatch
    documents. Blank numbers were not given.
    """

    class AsOfPrecision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")

    as_of = models.DateField(_("as of"))
    as_of_precision = models.CharField(
        _("as-of precision"),
        max_length=5,
        choices=AsOfPrecision.choices,
        default=AsOfPrecision.DAY,
    )
    reported_by = models.CharField(_("reported by"), max_length=200)
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    total_attacks = models.PositiveIntegerField(
        _("total attacks"), null=True, blank=True
    )
    iraq = models.PositiveIntegerField(_("in Iraq"), null=True, blank=True)
    syria = models.PositiveIntegerField(_("in Syria"), null=True, blank=True)
    us_injured = models.PositiveIntegerField(_("US injured"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source_urls = models.JSONField(_("source URLs"), default=list, blank=True)

    class Meta:
        verbose_name = _("official running total")
        verbose_name_plural = _("official running totals")
        ordering = ["as_of", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_attacks__isnull=True) | Q(total_attacks__gte=0),
                name="official_total_attacks_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} {self.reported_by}"
