"""How actors and sources are tied to an incident: an involvement says what an actor
did (claimed it, was blamed, was its target); a citation says what a source said of
it (reported, claimed, confirmed, denied), and the citations decide the incident's
confidence (``incidents.rules.confidence``)."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .incidents import Incident
from .places import Actor
from .sources import Source

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Involvement(models.Model):
    class Role(models.TextChoices):
        PERPETRATOR = "perpetrator", _("perpetrator")
        CLAIMED_BY = "claimed_by", _("claimed by")
        ATTRIBUTED_TO = "attributed_to", _("attributed to")
        TARGET = "target", _("target")
        # Attended a meeting or issued a statement: present, not a doer.
        PARTICIPANT = "participant", _("participant")

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="involvements",
        verbose_name=_("incident"),
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="involvements",
        verbose_name=_("actor"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "actor", "role"], name="involvement_unique_role"
            ),
        ]
        indexes = [
            # ``actor=<slug>``: the incident ids of an actor come from this index
            # alone (the actor_id index would fetch every involvement row).
            models.Index(
                fields=["actor", "incident"], name="involvement_actor_incident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


class Citation(models.Model):
    _history_user: "User | None"  # django-simple-history's author of the next save

    class Stance(models.TextChoices):
        REPORTS = "reports", _("reports")
        CLAIMS = "claims", _("claims")
        CONFIRMS = "confirms", _("confirms")
        DENIES = "denies", _("denies")

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="citations",
        verbose_name=_("incident"),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("source"),
    )
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance.choices, default=Stance.REPORTS
    )
    quote = models.TextField(_("quote"), blank=True)
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Qualifiers, e.g. whose claim this source relays."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "source"], name="citation_unique_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_stance_display()}"
