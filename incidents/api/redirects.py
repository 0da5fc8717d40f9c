"""Old API addresses of merged incidents: ``incidents/<merged id>/`` answers 301
with the survivor's address (``selectors.incident_survivor`` says whom the asker
may be led to; anyone else gets the 404 of an unknown id)."""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from .. import selectors
from .caching import VARY


def merged_redirect(
    request: Request, incident_id: int
) -> HttpResponsePermanentRedirect:
    """301 to the survivor of merged ``incident_id``, or NotFound."""
    survivor = selectors.incident_survivor(user=request.user, incident_id=incident_id)
    if survivor is None:
        raise NotFound(f"no incident {incident_id}")
    response = HttpResponsePermanentRedirect(
        request.build_absolute_uri(reverse("api:incident-detail", args=[survivor]))
    )
    # Whether there is a redirect depends on who asks (a draft survivor is shown
    # to editors only): shared caches keep it apart, and everyone asks again.
    patch_vary_headers(response, VARY)
    scope = "private" if request.user.is_authenticated else "public"
    patch_cache_control(response, **{scope: True}, max_age=0, must_revalidate=True)
    return response
