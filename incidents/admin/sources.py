"""The admin of sources, and of the geocoders' kept answers (read-only)."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .. import rules
from ..models import (
    GeocodeAnswer,
    Source,
)


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("publisher", "title", "kind", "language", "published_on", "url")
    list_filter = ("kind", "language")
    date_hierarchy = "published_on"
    search_fields = ("title", "publisher", "url")
    # A pasted "example.org/report" means https; Django 6 assumes so as well.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        cited_on_record = obj.citations.filter(
            incident__status__in=rules.PUBLIC_RECORD
        ).exists()
        return rules.may_change_source(request.user, cited_on_record=cited_on_record)


@admin.register(GeocodeAnswer)
class GeocodeAnswerAdmin(admin.ModelAdmin):
    """Kept answers from online geocoders: where a geocoded point came from, and
    when. Read-only: they are what a service said; deleting one (superusers) makes
    the next lookup ask again."""

    list_display = ("query", "geocoder", "found", "address", "answered_at")
    list_filter = ("geocoder", "found")
    search_fields = ("query", "address")
    date_hierarchy = "answered_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# --- incidents -----------------------------------------------------------------------
