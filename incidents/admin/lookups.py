"""The admin's geocoding: the "geocode selected sites" action and the two JSON
lookups behind the change forms (``static/incidents/js/admin/place_lookup.js``):

- the site form's "Find this place" button asks ``…/site/geocode-lookup/`` with
  the names typed in the form, and fills the point inputs from the answer for
  the editor to check and save (nothing is saved by the lookup itself);
- the incident form asks ``…/incident/point-lookup/`` whenever its point changes,
  to fill an empty country and governorate and suggest the nearest site.

Both are behind ``admin_site.admin_view`` (staff only) and the model's change or
add permission, and answer 400 with a message for bad input.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..geo.placing import names_geocode, point_describe, site_geocode


def _require_edit(model_admin, request) -> None:
    if not (
        model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
    ):
        raise PermissionDenied


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def site_geocode_lookup(model_admin, request) -> JsonResponse:
    _require_edit(model_admin, request)
    names = [*request.GET.getlist("name"), *request.GET.get("aliases", "").splitlines()]
    exclude = request.GET.get("site") or None
    if exclude is not None and not exclude.isdigit():
        return _bad_request(_("site must be a site id."))
    try:
        lookup = names_geocode(
            names=names,
            country=request.GET.get("country", "").strip().upper(),
            exclude_site_id=int(exclude) if exclude else None,
        )
    except ValueError as error:
        return _bad_request(str(error))
    result = lookup.result
    return JsonResponse(
        {
            "found": result is not None,
            "latitude": result.latitude if result else None,
            "longitude": result.longitude if result else None,
            "precision_m": result.precision_m if result else None,
            "location_source": result.location_source() if result else None,
            "geocoder": result.geocoder if result else None,
            "address": result.address if result else None,
            "country": lookup.country,
            "admin1": lookup.admin1,
            "other_site": lookup.other_site,
            "notes": lookup.notes,
        }
    )


def _coordinate(request, name: str, limit: float) -> float:
    raw = request.GET.get(name, "")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(
            _("%(name)s must be a number, not %(raw)r.") % {"name": name, "raw": raw}
        ) from None
    if not -limit <= value <= limit:
        raise ValueError(
            _("%(name)s must be between -%(limit)s and %(limit)s.")
            % {"name": name, "limit": limit}
        )
    return value


def incident_point_lookup(model_admin, request) -> JsonResponse:
    _require_edit(model_admin, request)
    try:
        latitude = _coordinate(request, "lat", 90)
        longitude = _coordinate(request, "lon", 180)
    except ValueError as error:
        return _bad_request(str(error))
    facts = point_describe(longitude=longitude, latitude=latitude)
    return JsonResponse(facts.as_dict())


@admin.action(
    description=gettext_lazy("Geocode selected sites"), permissions=["change"]
)
def geocode_selected_sites(model_admin, request, queryset) -> None:
    """Admin action: place unplaced sites by their names (online geocoders only,
    when configured) and fill empty countries and governorates from points."""
    placed, filled, notes = 0, 0, []
    for site in queryset.order_by("name"):
        outcome = site_geocode(site=site)
        placed += outcome.placed
        filled += bool(outcome.filled) and not outcome.placed
        notes += [f"{site.name}: {note}" for note in outcome.notes]
    model_admin.message_user(
        request,
        ngettext(
            "%(placed)d site placed, %(filled)d completed, of %(count)d selected.",
            "%(placed)d sites placed, %(filled)d completed, of %(count)d selected.",
            placed,
        )
        % {"placed": placed, "filled": filled, "count": queryset.count()},
        messages.SUCCESS if not notes else messages.WARNING,
    )
    for note in notes[:20]:
        model_admin.message_user(request, note, messages.WARNING)
