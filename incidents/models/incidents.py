"""Incidents: what happened, where and when, and its place in the review workflow.
How actors and sources are tied to an incident is in ``ties``.

``null`` and ``0`` differ on purpose for ``injured`` and ``killed``: null is *not
reported*, 0 is *reported as none*. Confidence is never stored; it is derived from
the citations (``incidents.rules.confidence``).
"""

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..geo.names import normalize_name
from ..rules.confidence import Confidence, ConfidenceQuerySetMixin, derive_confidence
from .places import (
    LATITUDE_VALIDATORS,
    LONGITUDE_VALIDATORS,
    Actor,
    Site,
    coordinate_constraints,
)
from .sources import Source

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .ties import Citation, Involvement


def incident_search_text(summary: str, damage: str, external_id: str) -> str:
    """An incident's own words, folded, so text search ignores diacritics and case.

    Site and actor names are matched through their own ``search_text`` instead, so a
    renamed site is found at once without touching its incidents.
    """
    return "\n".join(normalize_name(t) for t in (summary, damage, external_id) if t)


class IncidentQuerySet(ConfidenceQuerySetMixin, models.QuerySet):
    def published(self) -> "IncidentQuerySet":
        """The only incidents a reader may ever see."""
        return self.filter(status=Incident.Status.PUBLISHED)


class Incident(models.Model):
    # Set on an instance, never stored: who django-simple-history records as the
    # author of the next save, and the day the stored row had before it (the
    # rollup's upkeep, incidents.upkeep.rollup).
    _history_user: "User | None"
    _rollup_day_before: datetime.date | None

    class DatePrecision(models.TextChoices):
        DAY = "day", _("day")
        WEEK = "week", _("week")
        MONTH = "month", _("month")

    class EventType(models.TextChoices):
        ATTACK = "attack", _("attack")
        INTERCEPTION = "interception", _("interception")
        STRIKE = "strike", _("strike")
        STATEMENT = "statement", _("statement")
        SANCTION = "sanction", _("sanction")
        MEETING = "meeting", _("meeting")
        OTHER = "other", _("other")

    class Weapon(models.TextChoices):
        ROCKET = "rocket", _("rocket")
        DRONE = "drone", _("drone")
        MISSILE = "missile", _("missile")
        MORTAR = "mortar", _("mortar")
        IED = "ied", _("IED")
        SMALL_ARMS = "small_arms", _("small arms")
        MIXED = "mixed", _("mixed")
        UNKNOWN = "unknown", _("unknown")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        PUBLISHED = "published", _("published")
        RETRACTED = "retracted", _("retracted")
        # Another incident now holds this one's reports (``merged_into``): what
        # is left is a tombstone, so mirrors and old links follow the survivor.
        MERGED = "merged", _("merged")

    occurred_on = models.DateField(_("date"))
    occurred_at = models.TimeField(_("time"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "As ACLED's time_precision: known to the day, the week or the month."
        ),
    )
    event_type = models.CharField(
        _("event type"), max_length=20, choices=EventType.choices
    )
    weapon = models.CharField(
        _("weapon"),
        max_length=20,
        choices=Weapon.choices,
        blank=True,
        help_text=_("Blank when no weapon applies (statement, sanction, meeting)."),
    )
    sites = models.ManyToManyField(
        Site, verbose_name=_("sites"), related_name="incidents", blank=True
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=LATITUDE_VALIDATORS
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=LONGITUDE_VALIDATORS
    )
    precision_m = models.PositiveIntegerField(_("precision (m)"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    admin1 = models.CharField(_("governorate / province"), max_length=100, blank=True)
    injured = models.PositiveIntegerField(
        _("injured"),
        null=True,
        blank=True,
        help_text=_("Blank: not reported. 0: reported as none."),
    )
    killed = models.PositiveIntegerField(
        _("killed"),
        null=True,
        blank=True,
        help_text=_("Blank: not reported. 0: reported as none."),
    )
    damage = models.TextField(_("damage"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_(
            "An outside identifier such as ACLED's event_id_cnty; unique when set."
        ),
    )
    # What an import source said that our model has no field for (ACLED's
    # disorder_type, inter codes, admin2, tags...), kept so that an export gives the
    # source back what it gave, and its own version stamp, so a re-import updates
    # only when the source's row is newer.
    external_data = models.JSONField(
        _("external data"), default=dict, blank=True, editable=False
    )
    external_timestamp = models.BigIntegerField(
        _("external timestamp"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The source's own version stamp (ACLED's timestamp column)."),
    )
    retraction_reason = models.TextField(
        _("retraction reason"),
        blank=True,
        help_text=_("Public: why this incident was withdrawn from the record."),
    )
    retracted_at = models.DateTimeField(
        _("retracted at"), null=True, blank=True, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        # A survivor goes only after the tombstones that name it.
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
        help_text=_("The incident that now holds this one's reports."),
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    actors: "models.ManyToManyField[Actor, Involvement]" = models.ManyToManyField(
        Actor, through="Involvement", related_name="incidents", verbose_name=_("actors")
    )
    sources: "models.ManyToManyField[Source, Citation]" = models.ManyToManyField(
        Source, through="Citation", related_name="incidents", verbose_name=_("sources")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = IncidentQuerySet.as_manager()
    # Who changed what and when (django-simple-history); derived and bulky
    # columns stay out of it. Which sites an incident concerns is a fact too, so
    # each historical record keeps its site links.
    history = HistoricalRecords(
        excluded_fields=["search_text", "external_data", "updated_at"],
        m2m_fields=[sites],
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = [
            ("publish_incident", _("Can publish or retract incidents")),
        ]
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["occurred_on"], name="incident_occurred_on"),
            # Readers' lists are "published, newest first", often within a date
            # range and a map box. (status, occurred_on, id) is that order exactly,
            # so a page reads the index backwards and stops after LIMIT rows; with
            # the point appended, the page's COUNT(*) for a date range plus a bbox,
            # and the clusters of a date range, read this index alone and never
            # the table. (Replaces (status, occurred_on), a prefix of it.) The
            # last three columns cover the timeline (incidents, casualties and
            # date precision per day): 26 instead of 208 ms at 200,000 rows.
            # tests/filters/test_query_plans.py; timings in bench/README.md, "Indexes".
            models.Index(
                fields=[
                    "status",
                    "occurred_on",
                    "id",
                    "longitude",
                    "latitude",
                    "date_precision",
                    "injured",
                    "killed",
                ],
                name="incident_status_date_cover",
            ),
            # The map without a date range: clusters (and the list's COUNT(*)) of
            # a bbox read a longitude range of this index, which covers the
            # clusters' columns (id, longitude, latitude), not the table.
            models.Index(
                fields=["status", "longitude", "latitude"], name="incident_status_place"
            ),
        ]
        constraints = [
            *coordinate_constraints("incident"),
            models.CheckConstraint(
                condition=Q(injured__isnull=True) | Q(injured__gte=0),
                name="incident_injured_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(killed__isnull=True) | Q(killed__gte=0),
                name="incident_killed_non_negative",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="incident_external_id_unique_when_set",
            ),
            # A tombstone always names its survivor, and only a tombstone does.
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False))
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="incident_merged_into_iff_merged",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")),
                name="incident_not_merged_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_event_type_display()} #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = incident_search_text(
            self.summary, self.damage, self.external_id
        )
        super().save(*args, **kwargs)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def confidence(self) -> Confidence:
        """Derived from the citations; uses prefetched ones when present."""
        citations = self.citations.all()
        return derive_confidence((c.stance, c.source.kind) for c in citations)


# An incident's own content: what an editor writes and what the API reads back.
INCIDENT_CONTENT_FIELDS = (
    "occurred_on",
    "occurred_at",
    "date_precision",
    "event_type",
    "weapon",
    "latitude",
    "longitude",
    "precision_m",
    "country",
    "admin1",
    "injured",
    "killed",
    "damage",
    "summary",
    "status",
    "external_id",
)
