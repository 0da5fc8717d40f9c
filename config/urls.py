"""Top-level URLs: the map, site pages, the admin and the API."""

import django.contrib.auth.admin  # noqa: F401  (registers User and Group: no autodiscovery)
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("incidents.api.urls")),
    path("", include("incidents.urls")),
]
