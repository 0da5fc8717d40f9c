"""Top-level URLs: the map, site pages, the admin, the API and the language switch."""

import django.contrib.auth.admin  # noqa: F401  (registers User and Group: no autodiscovery)
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("incidents.api.urls")),
    # Django's set_language view (POST, with CSRF): stores the choice in the language
    # cookie and redirects to the form's "next", if that is a URL of this site.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("incidents.urls")),
]
