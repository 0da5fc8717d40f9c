"""The admin of sites and actors: folded search, the point map and geocoding on a
site's form, incident counts."""

from django.contrib import admin
from django.db.models import Count
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    Actor,
    Site,
)
from .changelist import FoldedSearchMixin, HasPointListFilter
from .forms import POINT_MAP_CLASS, ActorForm, SiteForm
from .lookups import geocode_selected_sites, site_geocode_lookup


@admin.register(Site)
class SiteAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    form = SiteForm
    list_display = (
        "name",
        "name_ar",
        "kind",
        "country",
        "admin1",
        "has_point",
        "precision_m",
        "incident_count",
        "reference",
    )
    # Readers see a site outside the reference gazetteer only once a published
    # incident names it (incidents.place_selectors); the flag is the loader's.
    list_filter = ("kind", "country", "reference", HasPointListFilter)
    readonly_fields = ("reference",)
    # Explicit, because the incident count's GROUP BY drops Meta.ordering and the
    # autocomplete's pagination needs an order.
    ordering = ("name",)
    search_fields = ("search_text", "admin1")
    folded_search_fields = ("search_text",)
    search_help_text = _("Any name or alias, Arabic or Latin; diacritics optional.")
    prepopulated_fields = {"slug": ("name",)}
    actions = (geocode_selected_sites,)
    fieldsets = (
        (None, {"fields": ("name", "name_ar", "slug", "aliases", "kind", "reference")}),
        (
            _("Location"),
            {
                "classes": (POINT_MAP_CLASS,),
                "fields": (
                    ("latitude", "longitude"),
                    "precision_m",
                    "location_source",
                    ("country", "admin1"),
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(_incident_count=Count("incidents"))
        )

    def get_urls(self):
        lookup = self.admin_site.admin_view(
            lambda request: site_geocode_lookup(self, request)
        )
        return [
            path("geocode-lookup/", lookup, name="incidents_site_geocode_lookup"),
            *super().get_urls(),
        ]

    @admin.display(description=_("point"), boolean=True, ordering="latitude")
    def has_point(self, obj: Site) -> bool:
        return obj.has_location

    @admin.display(description=_("incidents"), ordering="_incident_count")
    def incident_count(self, obj: Site) -> int:
        return obj._incident_count


@admin.register(Actor)
class ActorAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    form = ActorForm
    list_display = ("name", "name_ar", "kind", "parent", "reference")
    list_filter = ("kind", "reference")
    readonly_fields = ("reference",)
    list_select_related = ("parent",)
    search_fields = ("search_text",)
    folded_search_fields = ("search_text",)
    search_help_text = _("Any name or alias, Arabic or Latin; diacritics optional.")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    fields = ("name", "name_ar", "slug", "aliases", "kind", "parent", "reference")
