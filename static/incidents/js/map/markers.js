/**
 * Leaflet layers: sites as icons, incidents as circle markers coloured by weapon.
 * Popups are built from DOM nodes only when opened (map/popup.js).
 */

import { WEAPON_COLOURS, incidentDetails, siteDetails, weaponKey } from "./popup.js";

export const POPUP_OPTIONS = { maxWidth: 340, minWidth: 220, maxHeight: 380 };

export function drawSites(map, sites, iconUrl) {
  const L = window.L;
  const siteIcon = L.icon({
    iconUrl,
    iconSize: [22, 22],
    iconAnchor: [11, 11], // the icon is centred on the point: it is the place itself
    popupAnchor: [0, -11],
    className: "bw-site-marker",
  });
  for (const { geometry, properties: site } of sites) {
    if (!geometry) continue;
    const [longitude, latitude] = geometry.coordinates;
    const marker = L.marker([latitude, longitude], {
      icon: siteIcon,
      pane: "bw-sites",
      title: site.name,
      alt: site.name,
    })
      .bindPopup(() => siteDetails(site), POPUP_OPTIONS)
      .addTo(map);
    marker.getElement().dataset.siteSlug = site.slug;
  }
}

/**
 * Replace the incident markers in `layer` (on the map) with `incidents` (newest
 * first); returns id -> marker. Each marker carries `incidentId`.
 */
export function drawIncidents(layer, incidents) {
  const L = window.L;
  const markers = new Map();
  layer.clearLayers();
  // Drawn oldest first, so that where points coincide the newest incident is on
  // top. Points are never moved apart.
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
    layer.addLayer(marker);
    marker.getElement().dataset.incidentId = String(incident.id);
    markers.set(incident.id, marker);
  }
  return markers;
}

/** Fit the map to every placed feature given (no animation: it is the start). */
export function fitAll(map, features) {
  const bounds = window.L.latLngBounds([]);
  for (const f of features) {
    if (!f.geometry) continue;
    const [longitude, latitude] = f.geometry.coordinates;
    bounds.extend([latitude, longitude]);
  }
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 9, animate: false });
  }
}
