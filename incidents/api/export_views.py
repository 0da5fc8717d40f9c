"""``GET /api/v1/incidents/export/``: every incident the filters match, streamed as
GeoJSON, CSV or ACLED-style CSV (``exports``). The paginated ``incidents/`` stays
the API for programs; this is the download a reader expects from "Download what
is filtered", with no 10,000-row page cap. An export without filters is also kept
as a file until the data changes (``export_files``)."""

from django.http import HttpResponseBase
from rest_framework.request import Request
from rest_framework.views import APIView

from .. import selectors
from ..exports.streams import STREAMS
from ..filters import params as p
from ..filters.query import incident_filters
from .caching import ConditionalReadMixin
from .export_files import export_response
from .schema import document
from .views import incident_ordering

EXPORT_FORMATS = list(STREAMS)


class IncidentExportView(ConditionalReadMixin, APIView):
    @document("incident_export")
    def get(self, request: Request) -> HttpResponseBase:
        accepted = [*p.INCIDENT_FILTERS, p.ORDERING, p.format_param(EXPORT_FORMATS)]
        if (
            selectors.user_sees_unpublished(request.user)
            or "status" in request.query_params
        ):
            accepted.append(p.STATUS_FILTER)
        parsed = p.parse_query(request.query_params, accepted)
        queryset = selectors.incident_list(
            user=request.user, filters=incident_filters(parsed)
        ).order_by(*incident_ordering(parsed))
        stream, content_type, filename = STREAMS[parsed.get("format", "geojson")]
        response = export_response(
            request, lambda: stream(queryset), self.read_validators, content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
