"""The admin of incidents: the change list (confidence, folded search, points), the
form with its point map, citations and involvements inline, the workflow and
merge actions, and the incidents on record a new entry may repeat."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..corroborate import incident_record_candidates
from ..models import (
    Actor,
    Citation,
    Incident,
    Involvement,
    MergeProposal,
    Site,
)
from ..rules.confidence import EXPLANATIONS, Confidence
from ..services import incident_apply_site_defaults, incident_set_sites
from .changelist import ConfidenceListFilter, FoldedSearchMixin, HasPointListFilter
from .forms import POINT_MAP_CLASS, IncidentForm
from .import_views import acled_import_view, article_view
from .lookups import incident_point_lookup
from .merges import MERGE_ACTIONS, MergeAdminMixin
from .proposals import MergeProposalAdmin
from .workflow_actions import WORKFLOW_ACTIONS, WorkflowPermissionsMixin


def _reported_count(value: int | None) -> str:
    # null and 0 mean different things; an editor must be able to tell them apart.
    return _("not reported") if value is None else str(value)


# --- sites, actors, sources ----------------------------------------------------------


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 0
    autocomplete_fields = ("source",)
    fields = (("source", "stance"), "quote", "note")


class InvolvementInline(admin.TabularInline):
    model = Involvement
    extra = 0
    autocomplete_fields = ("actor",)
    fields = ("actor", "role", "note")


admin.site.register(MergeProposal, MergeProposalAdmin)


@admin.register(Incident)
class IncidentAdmin(
    FoldedSearchMixin, MergeAdminMixin, WorkflowPermissionsMixin, SimpleHistoryAdmin
):
    form = IncidentForm
    actions = (*WORKFLOW_ACTIONS, *MERGE_ACTIONS)
    inlines = (CitationInline, InvolvementInline)
    list_display = (
        "occurred_on",
        "event_type",
        "weapon",
        "site_names",
        "actor_names",
        "country",
        "status",
        "confidence_column",
        "injured_count",
        "killed_count",
    )
    list_display_links = ("occurred_on", "event_type")
    list_filter = (
        "status",
        ConfidenceListFilter,
        "event_type",
        "weapon",
        "country",
        ("sites", admin.RelatedOnlyFieldListFilter),
        HasPointListFilter,
    )
    date_hierarchy = "occurred_on"
    search_fields = (
        "summary",
        "external_id",
        "sites__search_text",
        "actors__search_text",
    )
    folded_search_fields = ("sites__search_text", "actors__search_text")
    search_help_text = _(
        "Summary, external id, or any name or alias of its sites and actors."
    )
    autocomplete_fields = ("sites",)
    readonly_fields = (
        # Status moves only through the workflow actions, which check roles.
        "status",
        "retraction_reason",
        "confidence_explained",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("occurred_on", "occurred_at", "date_precision"),
                    ("event_type", "weapon"),
                    "status",
                    "external_id",
                )
            },
        ),
        (
            _("Location"),
            {
                "classes": (POINT_MAP_CLASS,),
                "description": _(
                    "Left empty, the point is taken from the first placed site "
                    "when the incident is saved."
                ),
                "fields": (
                    "sites",
                    ("latitude", "longitude"),
                    "precision_m",
                    ("country", "admin1"),
                ),
            },
        ),
        (_("Outcome"), {"fields": (("injured", "killed"), "damage", "summary")}),
    )
    record_fieldset = (
        _("Record"),
        {
            "fields": (
                "confidence_explained",
                "retraction_reason",
                ("created_at", "created_by"),
                ("updated_at", "updated_by"),
            )
        },
    )

    def get_urls(self):
        lookup = self.admin_site.admin_view(
            lambda request: incident_point_lookup(self, request)
        )
        acled = self.admin_site.admin_view(
            lambda request: acled_import_view(self, request)
        )
        article = self.admin_site.admin_view(
            lambda request: article_view(self, request)
        )
        return [
            path("point-lookup/", lookup, name="incidents_incident_point_lookup"),
            path("import-acled/", acled, name="incidents_incident_import_acled"),
            path("from-article/", article, name="incidents_incident_extract_article"),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form
        # The add form looks for the incidents on record it may repeat, showing
        # this user those it may see (IncidentForm.clean).
        return type(
            form.__name__,
            (form,),
            {"checks_candidates": True, "requester": request.user},
        )

    def get_fieldsets(self, request, obj=None):
        # Nothing is recorded before the first save, so the add form leaves it out.
        if obj is None:
            return self.fieldsets
        return (*self.fieldsets, self.record_fieldset)

    def get_queryset(self, request):
        # Confidence is derived: annotate it once in SQL for the column, its sorting
        # and the filter, instead of one query per row.
        return (
            super()
            .get_queryset(request)
            .with_confidence()
            .prefetch_related(
                Prefetch("sites", queryset=Site.objects.only("id", "name")),
                Prefetch("actors", queryset=Actor.objects.only("id", "name")),
            )
        )

    @admin.display(description=_("sites"))
    def site_names(self, obj: Incident) -> str:
        return ", ".join(site.name for site in obj.sites.all())

    @admin.display(description=_("actors"))
    def actor_names(self, obj: Incident) -> str:
        # One actor may hold two roles (claimed by and perpetrator): name it once.
        return ", ".join(dict.fromkeys(actor.name for actor in obj.actors.all()))

    @admin.display(description=_("confidence"), ordering="confidence_level")
    def confidence_column(self, obj: Incident) -> str:
        return Confidence(obj.confidence_level).label

    @admin.display(description=_("confidence"))
    def confidence_explained(self, obj: Incident) -> str:
        level = Confidence(getattr(obj, "confidence_level", None) or obj.confidence)
        return f"{level.label}: {EXPLANATIONS[level]}"

    @admin.display(description=_("injured"), ordering="injured")
    def injured_count(self, obj: Incident) -> str:
        return _reported_count(obj.injured)

    @admin.display(description=_("killed"), ordering="killed")
    def killed_count(self, obj: Incident) -> str:
        return _reported_count(obj.killed)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The sites go through the service (one history record per change of
        # sites, in the order given), not save_m2m's remove-then-add.
        sites = form.cleaned_data.pop("sites", None)
        super().save_related(request, form, formsets, change)
        linked = set(form.instance.sites.values_list("pk", flat=True))
        # The form's list has no order of its own: same sites, nothing to record.
        if sites is not None and {site.pk for site in sites} != linked:
            incident_set_sites(
                incident=form.instance, sites=list(sites), user=request.user
            )
        # Only once the sites are linked can an incident without a point take its
        # first site's.
        incident_apply_site_defaults(incident=form.instance)
        if not change:
            self._record_candidates(request, form.instance)

    def _record_candidates(self, request, incident: Incident) -> None:
        """A new incident saved although it may repeat incidents on record (the
        editor ticked "I have checked these"): each is proposed to a reviewer as a
        merge, matched now with the inlines' actors too."""
        candidates = incident_record_candidates(
            incident=incident, user=request.user, origin=MergeProposal.Origin.ENTRY
        )
        if candidates:
            self.message_user(
                request,
                gettext(
                    "Saved as a new incident, and proposed to a reviewer as a "
                    "possible repeat of %(ids)s."
                )
                % {"ids": ", ".join(f"#{c.incident_id}" for c in candidates)},
                messages.INFO,
            )
