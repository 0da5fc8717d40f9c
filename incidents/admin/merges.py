"""One event, many reports, in the admin: a reviewer's merge, an editor's
proposal, and what the incident change form says about them. The "Possible
duplicates" list, with its merge and dismissal, is ``proposals``.

- **Merge** (reviewers, ``rules.may_merge``): from one proposal, or from two
  incidents selected on the incident list, an intermediate page shows both side
  by side with their sources; the reviewer picks the survivor (a choice the
  merge would refuse is shown disabled, with why) and may leave a note.
  ``corroborate.merge.incidents_merge`` does the rest.
- **Propose as the same event** (editors): two incidents selected on the
  incident list become a proposal, with an optional why.
- The change form of a merged tombstone is read-only for everyone and names its
  survivor; every change form lists the open proposals that name its incident.
  The history's "revert" form saves only for those who may change the incident
  as it is now (simple-history checks the old version's status, which would let
  anyone revert a tombstone, or an editor a published incident).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import rules
from ..corroborate import (
    incidents_merge,
    merge_proposal_create,
)
from ..corroborate.merge import merge_refusals
from ..models import Citation, Incident, Involvement, MergeProposal
from ..rules.confidence import Confidence

MERGE_TEMPLATE = "admin/incidents/merge.html"
PROPOSE_TEMPLATE = "admin/incidents/propose_merge.html"


def change_url(incident_id: int) -> str:
    return reverse("admin:incidents_incident_change", args=[incident_id])


def _with_everything(ids) -> list[Incident]:
    """The incidents with their citations, involvements and sites (as
    ``site_names``, in the order they were linked)."""
    incidents = list(
        Incident.objects.filter(pk__in=ids)
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source").order_by("pk"),
            ),
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("actor").order_by("pk"),
            ),
        )
        .order_by("pk")
    )
    names: dict[int, list[str]] = {i.pk: [] for i in incidents}
    links = Incident.sites.through.objects.filter(incident_id__in=list(names))
    for incident_id, name in links.order_by("pk").values_list(
        "incident_id", "site__name"
    ):
        names[incident_id].append(name)
    for incident in incidents:
        incident.site_names = names[incident.pk]
    return incidents


def _count(value) -> str:
    return _("not reported") if value is None else str(value)


def _point(incident: Incident) -> str:
    if not incident.has_location:
        return _("none")
    # Isolated left to right, so an Arabic page keeps "latitude, longitude".
    text = f"\u2066{incident.latitude:.5f}, {incident.longitude:.5f}\u2069"
    if incident.precision_m:
        text += " " + _("(± %(metres)s m)") % {"metres": incident.precision_m}
    return text


def _comparison(incidents: list[Incident]) -> list[dict]:
    """Rows of the side-by-side table: a label and one cell per incident, each
    a list of lines (text only: the template escapes it)."""

    def row(label, cell):
        return {"label": label, "cells": [cell(i) for i in incidents]}

    def one(value):
        return [value] if value not in (None, "") else []

    return [
        row(_("status"), lambda i: [i.get_status_display()]),
        row(
            _("date"),
            lambda i: [
                f"{i.occurred_on.isoformat()}"
                + (f" {i.occurred_at:%H:%M}" if i.occurred_at else "")
                + f" ({i.get_date_precision_display()})"
            ],
        ),
        row(_("event type"), lambda i: [i.get_event_type_display()]),
        row(_("weapon"), lambda i: one(i.get_weapon_display())),
        row(_("sites"), lambda i: i.site_names),
        row(_("point"), lambda i: [_point(i)]),
        row(
            _("country, governorate"),
            lambda i: one(", ".join(x for x in (i.country, i.admin1) if x)),
        ),
        row(_("injured"), lambda i: [_count(i.injured)]),
        row(_("killed"), lambda i: [_count(i.killed)]),
        row(_("damage"), lambda i: one(i.damage)),
        row(_("summary"), lambda i: one(i.summary)),
        row(
            _("actors"),
            lambda i: [
                f"{v.actor.name} ({v.get_role_display()})" for v in i.involvements.all()
            ],
        ),
        row(
            _("sources"),
            lambda i: [
                " · ".join(
                    part
                    for part in (
                        c.source.publisher,
                        c.get_stance_display(),
                        c.source.title,
                        c.source.url,
                        f"“{c.quote}”" if c.quote else "",
                    )
                    if part
                )
                for c in i.citations.all()
            ],
        ),
        row(
            _("confidence"),
            lambda i: [Confidence(i.confidence).label],
        ),
        row(_("external id"), lambda i: one(i.external_id)),
    ]


def _choices(
    incidents: list[Incident], preferred: int
) -> tuple[list[dict], int | None]:
    """Each incident as a possible survivor, with why the merge would refuse it;
    and which to offer first: ``preferred`` unless refused, else any allowed."""
    first, second = incidents
    sides = []
    for keep, lose in ((first, second), (second, first)):
        refusals = merge_refusals(keep, lose)
        sides.append(
            {
                "incident": keep,
                "url": change_url(keep.pk),
                "refusal": " ".join(refusals.values()),
            }
        )
    allowed = [s["incident"].pk for s in sides if not s["refusal"]]
    checked = preferred if preferred in allowed else (allowed[0] if allowed else None)
    return sides, checked


def merge_page(
    model_admin,
    request,
    *,
    incident_ids: list[int],
    preferred: int,
    action: str,
    selected: list[int],
):
    """The intermediate page of both merge actions, and the merge once the
    reviewer confirms it. None when done (back to the list, with a message)."""
    incidents = _with_everything(incident_ids)
    if len(incidents) != 2:
        model_admin.message_user(
            request, _("Choose exactly two incidents to merge."), messages.WARNING
        )
        return None
    errors: list[str] = []
    if "confirm" in request.POST:
        by_id = {i.pk: i for i in incidents}
        try:
            survivor_id = int(request.POST.get("survivor", ""))
        except ValueError:
            survivor_id = None
        if survivor_id not in by_id:
            errors.append(_("Choose which incident is kept."))
        else:
            (merged_id,) = set(by_id) - {survivor_id}
            try:
                incidents_merge(
                    survivor=by_id[survivor_id],
                    merged=by_id[merged_id],
                    user=request.user,
                    note=request.POST.get("note", "").strip(),
                )
            except PermissionDenied as error:
                model_admin.message_user(request, str(error), messages.ERROR)
                return None
            except ValidationError as error:
                errors += error.messages
            else:
                model_admin.message_user(
                    request,
                    format_html(
                        _('Merged #{merged} into <a href="{url}">#{survivor}</a>.'),
                        merged=merged_id,
                        survivor=survivor_id,
                        url=change_url(survivor_id),
                    ),
                    messages.SUCCESS,
                )
                return None
        incidents = _with_everything(incident_ids)
    sides, checked = _choices(incidents, preferred)
    return TemplateResponse(
        request,
        MERGE_TEMPLATE,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("Merge two incidents"),
            "sides": sides,
            "checked": checked,
            "rows": _comparison(incidents),
            "errors": errors,
            "note": request.POST.get("note", ""),
            "action": action,
            "selected": selected,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _preferred_survivor(incidents: list[Incident]) -> int:
    """The published one if only one is; else the one on record first."""
    published = [i.pk for i in incidents if i.status == Incident.Status.PUBLISHED]
    return published[0] if len(published) == 1 else min(i.pk for i in incidents)


# --- on the incident list ----------------------------------------------------------


@admin.action(
    description=gettext_lazy("Merge selected incidents (two)"),
    permissions=["merge"],
)
def merge_selected(model_admin, request, queryset):
    ids = sorted(queryset.values_list("pk", flat=True))
    if len(ids) != 2:
        model_admin.message_user(
            request, _("Choose exactly two incidents to merge."), messages.WARNING
        )
        return None
    return merge_page(
        model_admin,
        request,
        incident_ids=ids,
        preferred=_preferred_survivor(list(Incident.objects.filter(pk__in=ids))),
        action="merge_selected",
        selected=ids,
    )


@admin.action(
    description=gettext_lazy("Propose as the same event (two)"),
    permissions=["propose_merge"],
)
def propose_merge(model_admin, request, queryset):
    incidents = list(queryset.order_by("pk"))
    if len(incidents) != 2:
        model_admin.message_user(
            request,
            _("Choose exactly two incidents to propose as one event."),
            messages.WARNING,
        )
        return None
    older, newer = incidents
    if "confirm" not in request.POST:
        return TemplateResponse(
            request,
            PROPOSE_TEMPLATE,
            {
                **model_admin.admin_site.each_context(request),
                "opts": model_admin.model._meta,
                "title": _("Propose as the same event"),
                "incidents": incidents,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
    try:
        merge_proposal_create(
            incident=newer,
            candidate=older,
            user=request.user,
            reason=request.POST.get("reason", "").strip(),
        )
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(getattr(error, "messages", [str(error)]))
        model_admin.message_user(request, text, messages.ERROR)
        return None
    model_admin.message_user(
        request,
        _("Proposed #%(newer)s and #%(older)s as one event, for a reviewer to decide.")
        % {"newer": newer.pk, "older": older.pk},
        messages.SUCCESS,
    )
    return None


MERGE_ACTIONS = (merge_selected, propose_merge)


class MergeAdminMixin:
    """For ``IncidentAdmin``: who is offered the merge actions; tombstones
    read-only; the change form's notes on merges and proposals; a history
    revert only for those who may change the incident as it stands."""

    change_form_template = "admin/incidents/incident/merge_change_form.html"

    def has_merge_permission(self, request) -> bool:
        return rules.may_merge(request.user)

    def has_propose_merge_permission(self, request) -> bool:
        return rules.may_propose_merge(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Incident.Status.MERGED:
            return False  # a tombstone only names its survivor
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        incident = self.get_object(request, unquote(object_id))
        if incident is not None:
            extra_context = {**(extra_context or {}), **merge_notes(incident)}
        return super().change_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def merge_notes(incident: Incident) -> dict:
    """The change form's context: the survivor of a tombstone, and the open
    proposals naming this incident (with the other incident of each)."""
    proposals = (
        MergeProposal.objects.open()
        .filter(Q(incident=incident) | Q(candidate=incident))
        .select_related("incident", "candidate")
    )
    listed = []
    for proposal in proposals:
        other = (
            proposal.candidate
            if proposal.incident_id == incident.pk
            else proposal.incident
        )
        listed.append(
            {
                "proposal": proposal,
                "other": other,
                "other_url": change_url(other.pk),
                "url": reverse(
                    "admin:incidents_mergeproposal_change", args=[proposal.pk]
                ),
            }
        )
    notes = {"merge_proposals": listed}
    if incident.status == Incident.Status.MERGED:
        notes["merged_into_url"] = change_url(incident.merged_into_id)
    return notes
