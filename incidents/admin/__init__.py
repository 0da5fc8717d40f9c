"""The Django admin: where editors add and correct sites, actors, sources and incidents.

Registered explicitly (the project uses ``SimpleAdminConfig``, see ``incidents.apps``)
and never through ``leaflet.admin``, which needs GDAL. Importing this package
registers everything.

The map on the Site and Incident change forms is not a form widget: the template
``admin/incidents/point_map_change_form.html`` draws it above the fieldset whose
classes include ``has-point-map``, and ``static/incidents/js/admin/point_map.js`` keeps
it in step with the plain latitude/longitude inputs, which stay the one source of
truth for the point.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Basewatch administration")
admin.site.site_title = _("Basewatch")

# A module per model; importing each registers its admin.
from . import incidents, places, sources  # noqa: E402, F401
