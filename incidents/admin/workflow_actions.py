"""Admin actions that move incidents along the review workflow (``rules.workflow``).

Each action is offered only to users who may make that move; each incident moves
in its own transaction, and those that cannot move (wrong state) are listed back.
Retracting asks for the public reason on an intermediate page first.
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..rules import may_change_incident
from ..rules.workflow import incidents_move, may_move


def _report(model_admin, request, outcome, done: str) -> None:
    if outcome.moved:
        model_admin.message_user(
            request, done % {"count": len(outcome.moved)}, messages.SUCCESS
        )
    for pk, why in outcome.refused[:20]:
        model_admin.message_user(request, f"#{pk}: {why}", messages.WARNING)


def _action(move: str, description, done: str):
    @admin.action(description=description, permissions=[move])
    def action(model_admin, request, queryset):
        outcome = incidents_move(incidents=queryset, user=request.user, move=move)
        _report(model_admin, request, outcome, done)

    action.__name__ = move
    return action


submit = _action(
    "submit",
    gettext_lazy("Submit for review"),
    gettext_lazy("%(count)d submitted for review."),
)
publish = _action(
    "publish", gettext_lazy("Publish"), gettext_lazy("%(count)d published.")
)
send_back = _action(
    "send_back",
    gettext_lazy("Send back to draft"),
    gettext_lazy("%(count)d sent back to draft."),
)


@admin.action(
    description=gettext_lazy("Retract (with a public reason)"), permissions=["retract"]
)
def retract(model_admin, request, queryset):
    reason = request.POST.get("reason", "").strip()
    if "confirm" not in request.POST or not reason:
        return TemplateResponse(
            request,
            "admin/incidents/incident/retract.html",
            {
                **model_admin.admin_site.each_context(request),
                "opts": model_admin.model._meta,
                "title": _("Retract incidents"),
                "incidents": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "missing_reason": "confirm" in request.POST,
            },
        )
    outcome = incidents_move(
        incidents=queryset, user=request.user, move="retract", reason=reason
    )
    _report(model_admin, request, outcome, _("%(count)d retracted."))
    return None


reinstate = _action(
    "reinstate",
    gettext_lazy("Reinstate (withdraw the retraction)"),
    gettext_lazy("%(count)d reinstated."),
)


WORKFLOW_ACTIONS = (submit, publish, send_back, retract, reinstate)


class WorkflowPermissionsMixin:
    """``has_<move>_permission`` for the actions above; deleting is for superusers
    only (everyone else retracts); a published or retracted incident is changed
    only by reviewers."""

    def has_submit_permission(self, request):
        return may_move(request.user, "submit")

    def has_publish_permission(self, request):
        return may_move(request.user, "publish")

    def has_send_back_permission(self, request):
        return may_move(request.user, "send_back")

    def has_retract_permission(self, request):
        return may_move(request.user, "retract")

    def has_reinstate_permission(self, request):
        return may_move(request.user, "reinstate")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change_incident(request.user, obj.status)
