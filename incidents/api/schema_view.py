"""The OpenAPI schema's own view: drf-spectacular's, answering the format asked for.

The project turns DRF's ``?format=`` override off (``URL_FORMAT_OVERRIDE: None``),
because ``format`` is the incident endpoints' own parameter (geojson/csv). So
``/api/v1/schema/?format=json``, which the schema itself documents, was answered in
YAML. Here the schema's ``format`` (``json`` or ``yaml``) chooses the renderer for
this view only; another value is a 400 naming it. Without it the Accept header
decides, as before (YAML for a browser).
"""

from drf_spectacular.views import SpectacularAPIView
from rest_framework.negotiation import DefaultContentNegotiation

from ..filters.parsers import ParamError

FORMATS = ("json", "yaml")


class SchemaFormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        asked = request.query_params.get("format")
        if asked is not None:
            if asked not in FORMATS:
                allowed = ", ".join(FORMATS)
                raise ParamError(
                    {"format": f"unknown value {asked!r}; allowed: {allowed}"}
                )
            format_suffix = asked
        return super().select_renderer(request, renderers, format_suffix)


class SchemaView(SpectacularAPIView):
    content_negotiation_class = SchemaFormatNegotiation
