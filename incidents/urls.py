"""Reader-facing pages: the map, one page per site, one per incident, the figures."""

from django.urls import path

from .pages import views

app_name = "incidents"

urlpatterns = [
    path("", views.map_page, name="map"),
    # <slug:...> so that a malformed slug never reaches the view: Django's own 404.
    path("sites/<slug:slug>/", views.site_page, name="site"),
    path("incidents/<int:incident_id>/", views.incident_page, name="incident"),
    path("stats/", views.stats_page, name="stats"),
]
