"""One event, many reports: the records that keep a second report from becoming a
second incident.

- ``MergeProposal``: two incidents that may be one event, waiting for a reviewer.
  Made when a report matched incidents on record but not clearly enough to be
  attached (several candidates, or a weak match), when the reference data says two
  rows may be one event, or when an editor proposes a merge. A reviewer merges
  them (``incidents.corroborate.merge``) or dismisses the proposal.
- ``ExternalReport``: an outside record (an ACLED event) that was attached to an
  incident already on record instead of becoming an incident of its own. It keeps
  the record's id and version stamp, so that importing the same file again
  changes nothing, and what the record contributed (``data["links"]``: its
  citations, involvements and site), so that a newer version replaces only that.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .incidents import Incident


class MergeProposalQuerySet(models.QuerySet):
    def open(self) -> "MergeProposalQuerySet":
        return self.filter(status=MergeProposal.Status.OPEN)


class MergeProposal(models.Model):
    class Origin(models.TextChoices):
        REFERENCE = "reference", _("reference data")
        ACLED = "acled", _("ACLED import")
        ARTICLE = "article", _("article")
        ENTRY = "entry", _("new incident")
        EDITOR = "editor", _("proposed by an editor")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "merged", _("merged")
        DISMISSED = "dismissed", _("dismissed")

    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="merge_proposals",
        help_text=_("The incident that may repeat another."),
    )
    candidate = models.ForeignKey(
        Incident,
        verbose_name=_("may be the same as"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The incident on record it may describe."),
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    reason = models.TextField(
        _("why"), blank=True, help_text=_("How the two matched, or why proposed.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = MergeProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "candidate"], name="merge_proposal_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(incident=F("candidate")),
                name="merge_proposal_two_incidents",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.incident_id} ~ #{self.candidate_id}"


class ExternalReport(models.Model):
    class System(models.TextChoices):
        ACLED = "acled", "ACLED"

    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="external_reports",
    )
    system = models.CharField(_("system"), max_length=10, choices=System.choices)
    external_id = models.CharField(_("external id"), max_length=100, unique=True)
    external_timestamp = models.BigIntegerField(
        _("external timestamp"), null=True, blank=True
    )
    # The record's cells as written, and what it contributed ("links").
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("attached outside report")
        verbose_name_plural = _("attached outside reports")
        ordering = ["incident", "id"]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.external_id} → #{self.incident_id}"
