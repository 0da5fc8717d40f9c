"""App configuration for incidents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # The project uses SimpleAdminConfig (no autodiscovery, which would pull in
        # leaflet.admin and so GDAL), so our admin registers itself here.
        from . import admin, checks, upkeep  # noqa: F401

        upkeep.connect()
