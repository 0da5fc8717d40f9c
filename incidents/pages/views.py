"""Reader-facing pages: the map at ``/``, one page per site at ``/sites/<slug>/``,
one per incident and the figures for the map's filters at ``/stats/``.

The page itself carries no incident data: it names the data URL in a ``data-``
attribute and ``static/incidents/js/map/`` fetches it, so nothing from the database
is ever pasted into a script. Our only JSON in the page is the translated labels
(choice names and UI phrases), through ``json_script`` (django-leaflet adds its own
settings the same way).
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .. import place_selectors as places
from .. import selectors
from ..filters.parsers import ParamError
from ..geo.regions import COUNTRY_NAMES, list_separator, region_names
from ..models import Citation, Incident, Involvement, Site
from ..rules.confidence import EXPLANATIONS, Confidence
from ..rules.corrections import incident_corrections
from ..stats.figures import figures_page
from .address import address_errors


def incident_labels() -> dict:
    """The words for one incident (choices, casualties, confidence and why), shared
    by every page that shows incidents so they read the same everywhere."""
    return {
        "weapon": dict(Incident.Weapon.choices),
        "event_type": dict(Incident.EventType.choices),
        "role": dict(Involvement.Role.choices),
        "stance": dict(Citation.Stance.choices),
        "confidence": dict(Confidence.choices),
        "confidence_explanation": {k.value: v for k, v in EXPLANATIONS.items()},
        "date_precision": {
            "week": _("known to the week"),
            "month": _("known to the month"),
        },
        "text": {
            "weapon": _("Weapon"),
            "no_weapon": _("none"),
            "event_type": _("Event"),
            "injured": _("Injured"),
            "killed": _("Killed"),
            "not_reported": _("not reported"),
            "none_reported": _("none reported"),
            "confidence": _("Confidence"),
            "actors": _("Actors"),
            "sources": _("Sources"),
            "no_sources": _("No source recorded."),
            "incident_page": _("Details and corrections"),
        },
    }


def map_labels() -> dict:
    """Everything the map writes for a reader, translated here so JS holds no text."""
    labels = incident_labels()
    labels["site_kind"] = dict(Site.Kind.choices)
    # A site popup's region names its country, not its ISO code.
    labels["country"] = dict(COUNTRY_NAMES)
    labels["interval"] = {"day": _("day"), "week": _("week"), "month": _("month")}
    labels["text"] |= {
        "sites": _("Sites"),
        "no_site": _("no named site"),
        "kind": _("Kind"),
        "region": _("Region"),
        "attack_count": _("Published incidents"),
        "precision": _("Point accurate to about"),
        "location_source": _("Location source"),
        "no_location_reason": _("No reason recorded."),
        "metres": _("m"),
        "load_error": _("The map data could not be loaded. Try reloading the page."),
        "loading": _("Loading…"),
        "none": _("None."),
        "filter_error": _("The filters in this address are not valid:"),
        "filter_left_out": _(
            "The map shows the incidents without them until you change or clear them."
        ),
        "legend": _("Legend"),
        "legend_weapons": _("Incidents, by weapon"),
        "legend_site": _(
            "Military site: the larger the icon, the more incidents under the filters"
        ),
        # Drawn around a chosen marker whose point is only roughly known.
        "legend_uncertainty": _(
            "Dashed circle, around a chosen marker: how far off its point may be"
        ),
        "legend_cluster": _(
            "Group: how many incidents are in that area; choose it to zoom in"
        ),
        "shown_of": _("Showing the newest {shown} of {count} incidents."),
        "list_empty": _("None."),
        "list_more": _("{count} more: zoom in to list them."),
        "copied": _("Link copied."),
        "copy_fallback": _("The link is selected: press Ctrl+C (⌘C) to copy it."),
        # {interval}, {from}, {to} and {count} are filled in by map/main.js.
        "timeline_description": _(
            "Published incidents per {interval} from {from} to {to}: {count} in all."
        ),
        # {count} is filled in by map/main.js.
        "site_in_filter": _("Incidents here under the current filters: {count}"),
        "site_page": _("Site page: every incident, timeline and location source"),
        "official_published": _("Official running total of attacks"),
        "official_documented": _("Documented here: all attacks"),
        "official_confirmed": _("Documented here: confirmed"),
        "official_claimed": _("Documented here: claimed only"),
        "official_none": _("No official total has been recorded."),
        # {official}, {date}, {by} and {documented} are filled in by map/main.js.
        "official_summary": _(
            "Latest official total: {official} attacks as of {date} ({by}); "
            "documented here by then: {documented}."
        ),
        # The same with the documented count split by confidence: {confirmed},
        # {claimed}, {reported} and {disputed} add up to {documented}.
        "official_summary_split": _(
            "By {date}, {by} counted {official} attacks. Documented here by then: "
            "{documented}, of which {confirmed} confirmed by an official or "
            "independent source, {claimed} claimed only by the attackers' side, "
            "{reported} reported otherwise and {disputed} disputed (a source "
            "denies them). A claim is not a confirmation."
        ),
        # {count} is filled in by map/main.js.
        "clustered_note": _(
            "{count} incidents match: the map groups them until few are in view."
        ),
        "cluster_title": _("{count} incidents here: choose to zoom in"),
        "single_title": _("One incident ({weapon}): choose to open it"),
        # The badge of incidents sharing one point; {count} is filled in by map/fan.js.
        "stack_title": _("{count} incidents at this point: choose to show each one"),
        # An incident's circle on the map, as a screen reader names it.
        "incident_marker": _("Incident of {date}, {weapon}: open its details"),
        # {count} is filled in by map/main.js.
        "unplaced_more": _(
            "{count} more without a location: narrow the filters to list them."
        ),
        "timeline_empty": _("No published incident matches the filters."),
    }
    return labels


# map/main.js's imports, preloaded by the page (a test checks this list against them).
MAP_MODULES = [
    f"incidents/js/map/{name}.js"
    for name in (
        "address",
        "dom",
        "fan",
        "figures",
        "filters",
        "legend",
        "label_layout",
        "labels",
        "list",
        "load",
        "markers",
        "official",
        "official_series",
        "open",
        "panel",
        "popup",
        "store",
        "timeline",
        "view",
    )
] + [
    f"incidents/js/common/{name}.js"
    for name in ("api", "basemap", "card", "dom", "locale", "url_state")
]


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "incidents/map.html",
        {
            "labels": map_labels(),
            # The filter checkboxes: values as the API takes them, translated names.
            "weapon_choices": Incident.Weapon.choices,
            "confidence_choices": Confidence.choices,
            "detail_limit": settings.BASEWATCH_MAP_DETAIL_LIMIT,
            "map_modules": MAP_MODULES,
            # Bad filters in the address, in the API's words (map/address.js).
            "address_errors": address_errors(request.GET),
            # Lets the map take its first view before the sites arrive (plain
            # decimals: a template would localise them, with an Arabic comma).
            "sites_bounds": ",".join(
                f"{value:.6f}"
                for value in places.placed_sites_bounds(user=request.user) or ()
            ),
        },
    )


def site_labels() -> dict:
    """Everything site/main.js writes for a reader, translated here so JS holds no text.

    Kept apart from ``map_labels`` so that either page's script can change its
    phrases without breaking the other.
    """
    labels = incident_labels()
    labels["text"] |= {
        "none": _("None."),
        "no_incidents": _("No published incident at this site yet."),
        # {shown} and {count} are filled in by site/main.js.
        "truncated": _("Showing the newest {shown} of {count} incidents."),
        "chart_title": _("Published incidents per month"),
        # {month} and {count} are filled in by site/main.js, per bar.
        "bar_title": _("{month}: {count}"),
        "load_error": _("The incidents could not be loaded. Try reloading the page."),
        "chart_error": _("The timeline could not be loaded. Try reloading the page."),
    }
    return labels


@require_safe
def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One site: its names, place and how well it is placed, rendered here; its
    timeline and incidents are fetched by site/main.js from the API (one query here)."""
    site = places.site_get(slug=slug, user=request.user)
    if site is None:
        raise Http404("No such site.")
    return render(
        request,
        "incidents/site.html",
        {
            "site": site,
            "labels": site_labels(),
            # Worse than about a kilometre is worth drawing: a faint circle tells
            # the reader the point is only roughly where the site is.
            "show_precision_circle": bool(site.precision_m and site.precision_m > 1000),
            "region": region_names(site.country, site.admin1),
            "separator": list_separator(),
        },
    )


def incident_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    """One incident for readers: its facts, sources and public corrections log; a
    retracted one only as its retraction notice; a merged one's old address leads
    to its survivor for good (301)."""
    incident = selectors.incident_public(incident_id=incident_id)
    if incident is None:
        survivor = selectors.incident_survivor(
            user=request.user, incident_id=incident_id, page=True
        )
        if survivor is not None:
            return redirect("incidents:incident", incident_id=survivor, permanent=True)
        raise Http404("No such incident.")
    retracted = incident.status == incident.Status.RETRACTED
    confidence = incident.confidence
    return render(
        request,
        "incidents/incident.html",
        {
            "incident": incident,
            "retracted": retracted,
            # What the map's popup says too: the level, and why.
            "confidence": confidence,
            "confidence_explanation": EXPLANATIONS.get(confidence, ""),
            "region": region_names(incident.country, incident.admin1),
            "separator": list_separator(),
            # A corrections log would show the withdrawn facts again.
            "corrections": [] if retracted else incident_corrections(incident=incident),
        },
    )


@require_safe
def stats_page(request: HttpRequest) -> HttpResponse:
    """The figures for the map's filters (``figures_page``); a bad filter is a 400
    page naming it, as the API would."""
    try:
        page = figures_page(query=request.GET)
    except ParamError as error:
        return _bad_filters(request, error.errors)
    except selectors.UnknownReference as error:
        return _bad_filters(request, {error.field: str(error)})
    return render(request, "incidents/stats.html", {"page": page})


def _bad_filters(request: HttpRequest, errors: dict[str, str]) -> HttpResponse:
    return render(request, "incidents/stats.html", {"errors": errors}, status=400)
