/**
 * Leaflet layers: sites as icons sized by their incidents in the current filter and
 * labelled with their names, incidents as circle markers coloured by weapon, and
 * the faint circle of a selected place's uncertainty. Popups are built from DOM
 * nodes only when opened (map/popup.js). Labels are placed by map/labels.js;
 * incidents sharing a point (or a site's point) are fanned out by map/fan.js.
 */

import {
  displayName,
  el,
  fill,
  formatCount,
  nameProps,
  text,
} from "./dom.js";
import { fanOf } from "./fan.js";
import { createLabelPlacer, setLabelSide } from "./labels.js";
import { sitePageUrl } from "./panel.js";
import { WEAPON_COLOURS, incidentDetails, siteDetails, weaponKey } from "./popup.js";

export const POPUP_OPTIONS = { maxWidth: 340, minWidth: 220, maxHeight: 380 };

/** Points placed no better than this many metres get a circle when selected. */
export const UNCERTAIN_FROM_M = 1000;

/** The map's panes, bottom to top (Leaflet's tiles are at 200, popups at 700). */
export function addPanes(map) {
  // Sites above incidents: an incident usually sits exactly on its site's point,
  // and a site's icon must open the site from its middle. The incidents under it
  // are reached through the stack badge above both, which fans them out
  // (fan.js). Labels above the icons, all below popups. The bundled basemap's
  // pane (150, under the tiles) is common/basemap.js's.
  map.createPane("bw-uncertainty").style.zIndex = "440";
  map.createPane("bw-incidents").style.zIndex = "450";
  map.createPane("bw-sites").style.zIndex = "460";
  map.createPane("bw-labels").style.zIndex = "465";
  map.createPane("bw-stacks").style.zIndex = "470";
}

/** Icon side in pixels: the area grows with the count, so big numbers stay honest. */
export function siteIconSize(count) {
  if (count === null || count === undefined) return 22;
  if (count === 0) return 14;
  return Math.min(Math.round(18 + 5 * Math.sqrt(count)), 48);
}

function siteIcon(iconUrl, count) {
  const size = siteIconSize(count);
  const half = Math.round(size / 2);
  return window.L.icon({
    iconUrl,
    iconSize: [size, size],
    iconAnchor: [half, half], // centred on the point: the icon is the place itself
    popupAnchor: [0, -half],
    // The label's side and distance are its tooltip's offset (labels.js).
    tooltipAnchor: [0, 0],
    className: count === 0 ? "bw-site-marker bw-site-none" : "bw-site-marker",
  });
}

function siteLabel(site, count) {
  const node = el("span", nameProps(site), displayName(site));
  if (count !== null && count !== undefined) {
    node.append(" ", el("span", { className: "bw-site-count" }, formatCount(count)));
  }
  return node;
}

/**
 * Draw the placed sites; returns {setCounts(countsBySlug)}, which resizes and
 * relabels them for the incidents in the current filter (null: not known yet).
 * Each site has a permanent name label, so the map reads without tiles; labels
 * that would collide with a more important one are hidden (labels.js).
 */
export function drawSites(map, sites, { iconUrl }) {
  const L = window.L;
  const drawn = [];
  let counts = null;
  for (const { geometry, properties: site } of sites) {
    if (!geometry) continue;
    const [longitude, latitude] = geometry.coordinates;
    const marker = L.marker([latitude, longitude], {
      icon: siteIcon(iconUrl, null),
      pane: "bw-sites",
      title: displayName(site),
      alt: displayName(site),
    })
      .bindPopup(() => {
        const details = siteDetails(site);
        if (counts) {
          const shown = fill(text.site_in_filter, {
            count: formatCount(counts.get(site.slug) || 0),
          });
          details.append(el("p", { className: "bw-site-in-filter" }, shown));
        }
        const href = sitePageUrl(site.slug);
        details.append(
          el("p", {}, el("a", { href, className: "bw-site-page-link" }, text.site_page)),
        );
        return details;
      }, POPUP_OPTIONS)
      .bindTooltip(siteLabel(site, null), {
        permanent: true,
        className: "bw-site-label",
        pane: "bw-labels",
      })
      .addTo(map);
    marker.precisionM = site.precision_m;
    marker.getElement().dataset.siteSlug = site.slug;
    setLabelSide(marker, null);
    drawn.push({ site, marker, count: null });
  }
  const labels = createLabelPlacer(map, drawn);
  labels.place();
  // An incident alone on a site's point is under its icon: it gets a badge too.
  fanOf(map).setSitePoints(drawn.map(({ marker }) => marker.getLatLng()));
  return {
    setCounts(bySlug) {
      counts = bySlug;
      for (const item of drawn) {
        const { site, marker } = item;
        const count = bySlug ? bySlug.get(site.slug) || 0 : null;
        item.count = count;
        marker.setIcon(siteIcon(iconUrl, count));
        setLabelSide(marker, marker.labelSide);
        marker.getElement().dataset.siteSlug = site.slug;
        marker.getElement().dataset.count = count === null ? "" : String(count);
        marker.setTooltipContent(siteLabel(site, count));
      }
      labels.place();
    },
  };
}

/**
 * Show the faint circle of a selected marker's uncertainty (its precision in
 * metres) while its popup is open; returns a function that removes it.
 */
export function showUncertainty(map, latlng, precisionM) {
  if (!precisionM || precisionM <= UNCERTAIN_FROM_M) return () => {};
  const circle = window.L.circle(latlng, {
    radius: precisionM,
    className: "bw-uncertainty",
    interactive: false,
    pane: "bw-uncertainty",
  }).addTo(map);
  return () => circle.remove();
}

/**
 * Replace the incident markers in `layer` (on the map) with `incidents` (newest
 * first); returns id -> marker. Each marker carries `incidentId`. `fan` (fan.js's
 * fanOf) gives markers sharing a point their badge.
 */
export function drawIncidents(layer, incidents, fan) {
  const L = window.L;
  const markers = new Map();
  layer.clearLayers();
  // Drawn oldest first, so that where points coincide the newest incident is on
  // top. Points are only moved apart while their stack is fanned out.
  for (let i = incidents.length - 1; i >= 0; i -= 1) {
    const { geometry, properties: incident } = incidents[i];
    if (!geometry) continue;
    const [longitude, latitude] = geometry.coordinates;
    const weapon = weaponKey(incident.weapon);
    const marker = L.circleMarker([latitude, longitude], {
      pane: "bw-incidents",
      radius: 7,
      color: "#ffffff",
      weight: 1.5,
      fillColor: WEAPON_COLOURS[weapon],
      fillOpacity: 0.9,
      className: `bw-incident-marker bw-weapon-${weapon || "none"}`,
    }).bindPopup(() => incidentDetails(incident), POPUP_OPTIONS);
    marker.incidentId = incident.id;
    marker.precisionM = incident.precision_m;
    layer.addLayer(marker);
    marker.getElement().dataset.incidentId = String(incident.id);
    markers.set(incident.id, marker);
  }
  const byId = new Map(incidents.map((f) => [f.properties.id, f.properties]));
  fan?.draw(markers, byId);
  return markers;
}

/** Fit the map to bounds (no animation: it is the start). */
export function fitBounds(map, bounds) {
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 9, animate: false });
  }
}

/** A cluster's side in pixels: grows with the logarithm of its count. */
export function clusterSize(count) {
  return Math.round(26 + 8 * Math.log10(Math.max(count, 1)));
}

/** The side in pixels of an incident drawn from a cluster of one. */
export const SINGLE_SIZE = 14;

/**
 * Replace what `layer` holds with the server's clusters (GeoJSON points with a
 * count and the extent of their members). A cluster of one that names its
 * weapon is drawn as that incident, a dot in its weapon's colour; choosing it
 * calls `onOpen(incident id)`. Choosing a cluster calls `onChoose(cluster
 * properties, latlng)`. Both are markers that take the keyboard (Enter chooses).
 */
export function drawClusters(layer, clusters, { onChoose, onOpen, describe, describeSingle }) {
  const L = window.L;
  layer.clearLayers();
  for (const { geometry, properties } of clusters) {
    const [longitude, latitude] = geometry.coordinates;
    const single = properties.count === 1 && properties.weapon !== undefined;
    const title = single ? describeSingle(properties.weapon) : describe(properties.count);
    const marker = L.marker([latitude, longitude], {
      icon: single ? singleIcon(properties.weapon) : clusterIcon(properties.count),
      pane: "bw-incidents",
      title,
      alt: title,
      keyboard: true,
    });
    const choose = single
      ? () => onOpen(properties.incident)
      : () => onChoose(properties, marker.getLatLng());
    marker.on("click", choose);
    // Leaflet maps Enter to click only for markers with a popup.
    marker.on("keypress", (event) => {
      if (event.originalEvent.key === "Enter") choose();
    });
    layer.addLayer(marker);
    const node = marker.getElement();
    node.dataset.count = String(properties.count);
    if (properties.incident !== undefined) {
      node.dataset.incidentId = String(properties.incident);
    }
    if (single) node.style.backgroundColor = WEAPON_COLOURS[weaponKey(properties.weapon)];
    node.setAttribute("aria-label", title);
  }
}

function clusterIcon(count) {
  const size = clusterSize(count);
  // The icon is built as a node, its count as text: no HTML string anywhere.
  const body = el("span", { className: "bw-cluster-count" }, formatCount(count));
  return window.L.divIcon({ html: body, className: "bw-cluster", iconSize: [size, size] });
}

function singleIcon(weapon) {
  return window.L.divIcon({
    className: `bw-single-incident bw-weapon-${weaponKey(weapon) || "none"}`,
    iconSize: [SINGLE_SIZE, SINGLE_SIZE],
  });
}
