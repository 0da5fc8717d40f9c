"""Routes under /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularSwaggerView

from . import cluster_views, export_views, merge_views, stats_views, views
from .schema_view import SchemaView

app_name = "api"

urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="incident-list"),
    # Before the detail route, which would take "clusters" or "export" for an id.
    path(
        "incidents/export/",
        export_views.IncidentExportView.as_view(),
        name="incident-export",
    ),
    path(
        "incidents/clusters/",
        cluster_views.IncidentClustersView.as_view(),
        name="incident-clusters",
    ),
    path(
        "incidents/<str:incident_id>/",
        views.IncidentDetailView.as_view(),
        name="incident-detail",
    ),
    path(
        "incidents/<str:incident_id>/merge/",
        merge_views.IncidentMergeView.as_view(),
        name="incident-merge",
    ),
    path(
        "merge-proposals/",
        merge_views.MergeProposalListView.as_view(),
        name="merge-proposal-list",
    ),
    path(
        "merge-proposals/<str:proposal_id>/dismiss/",
        merge_views.MergeProposalDismissView.as_view(),
        name="merge-proposal-dismiss",
    ),
    path("sites/", views.SiteListView.as_view(), name="site-list"),
    path("sites/<str:slug>/", views.SiteDetailView.as_view(), name="site-detail"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("actors/<str:slug>/", views.ActorDetailView.as_view(), name="actor-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path(
        "sources/<str:source_id>/",
        views.SourceDetailView.as_view(),
        name="source-detail",
    ),
    path(
        "stats/timeline/",
        stats_views.StatsTimelineView.as_view(),
        name="stats-timeline",
    ),
    path("stats/sites/", stats_views.StatsSitesView.as_view(), name="stats-sites"),
    path("stats/actors/", stats_views.StatsActorsView.as_view(), name="stats-actors"),
    path(
        "stats/weapons/", stats_views.StatsWeaponsView.as_view(), name="stats-weapons"
    ),
    path(
        "stats/official-totals/",
        stats_views.StatsOfficialTotalsView.as_view(),
        name="stats-official-totals",
    ),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
