"""The "Possible duplicates" list in the admin (``MergeProposal``): every proposal
with both incidents (date, sites, status), where it came from, why, and what was
decided. Editors and reviewers see it (``rules.may_propose_merge``; no model
permission needed); nobody edits a proposal by hand. Reviewers (``rules.may_merge``)
merge one, through the page of ``merges``, or dismiss proposals (the two are
different events).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import rules
from ..corroborate import merge_proposal_dismiss
from ..models import Incident, MergeProposal, Site
from .merges import change_url, merge_page


def _side(incident: Incident) -> str:
    sites = ", ".join(site.name for site in incident.sites.all())
    return format_html(
        '<a href="{}">#{}</a> <span class="nowrap">{}</span><br>{}{}',
        change_url(incident.pk),
        incident.pk,
        incident.occurred_on.isoformat(),
        incident.get_status_display(),
        format_html(" · <bdi>{}</bdi>", sites) if sites else "",
    )


@admin.action(
    description=gettext_lazy("Merge (choose which is kept)"), permissions=["merge"]
)
def merge_proposal(model_admin, request, queryset):
    proposals = list(queryset[:2])
    if len(proposals) != 1:
        model_admin.message_user(
            request, _("Choose exactly one proposal to merge."), messages.WARNING
        )
        return None
    (proposal,) = proposals
    if proposal.status != MergeProposal.Status.OPEN:
        model_admin.message_user(
            request,
            _("Proposal #%(id)s was already decided (%(status)s).")
            % {"id": proposal.pk, "status": proposal.get_status_display()},
            messages.WARNING,
        )
        return None
    return merge_page(
        model_admin,
        request,
        incident_ids=[proposal.incident_id, proposal.candidate_id],
        # The candidate is the incident on record that the other may repeat.
        preferred=proposal.candidate_id,
        action="merge_proposal",
        selected=[proposal.pk],
    )


@admin.action(
    description=gettext_lazy("Dismiss: different events"), permissions=["merge"]
)
def dismiss_proposals(model_admin, request, queryset):
    done = 0
    for proposal in queryset:
        try:
            merge_proposal_dismiss(proposal=proposal, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(getattr(error, "messages", [str(error)]))
            model_admin.message_user(
                request, f"#{proposal.pk}: {text}", messages.WARNING
            )
        else:
            done += 1
    if done:
        model_admin.message_user(
            request, _("%(count)d dismissed.") % {"count": done}, messages.SUCCESS
        )


class MergeProposalAdmin(admin.ModelAdmin):
    list_display = (
        "incident_column",
        "candidate_column",
        "origin",
        "reason_column",
        "status",
        "created_column",
    )
    # The proposal's own page (read-only) from its date; the incidents' links
    # lead to the incidents.
    list_display_links = ("created_column",)
    list_filter = ("status", "origin")
    actions = (merge_proposal, dismiss_proposals)
    readonly_fields = (
        "incident",
        "candidate",
        "origin",
        "reason",
        "status",
        "proposed_by",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    fields = readonly_fields

    class Media:
        css = {"all": ("incidents/css/admin_merge.css",)}

    def get_queryset(self, request):
        sites = Prefetch("sites", queryset=Site.objects.only("id", "name"))
        return (
            super()
            .get_queryset(request)
            .select_related("incident", "candidate")
            .prefetch_related(
                Prefetch("incident__sites", queryset=sites.queryset),
                Prefetch("candidate__sites", queryset=sites.queryset),
            )
        )

    # The proposals name drafts: for those who may see and propose them.
    def has_module_permission(self, request):
        return rules.may_propose_merge(request.user)

    def has_view_permission(self, request, obj=None):
        return rules.may_propose_merge(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_merge_permission(self, request):
        return rules.may_merge(request.user)

    @admin.display(
        description=gettext_lazy("incident"), ordering="incident__occurred_on"
    )
    def incident_column(self, obj: MergeProposal) -> str:
        return _side(obj.incident)

    @admin.display(
        description=gettext_lazy("may be the same as"),
        ordering="candidate__occurred_on",
    )
    def candidate_column(self, obj: MergeProposal) -> str:
        return _side(obj.candidate)

    @admin.display(description=gettext_lazy("created"), ordering="created_at")
    def created_column(self, obj: MergeProposal) -> str:
        return format_html(
            '<span class="nowrap">{}</span>',
            timezone.localtime(obj.created_at).strftime("%Y-%m-%d"),
        )

    @admin.display(description=gettext_lazy("why"))
    def reason_column(self, obj: MergeProposal) -> str:
        reason = obj.reason if len(obj.reason) <= 160 else obj.reason[:159] + "…"
        # Its own direction: an English reason on an Arabic page keeps its order.
        return format_html('<span dir="auto">{}</span>', reason)
