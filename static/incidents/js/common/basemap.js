/**
 * The bundled basemap (static/incidents/basemap/region.geojson, Natural Earth
 * borders): drawn under the tiles on every map, so that when the tiles cannot
 * load a reader still sees the region and an editor places a point on land and
 * borders rather than on grey. The public map and the admin's point map share it.
 */

import { getJson } from "./api.js";

/** Leaflet's tile pane is at z-index 200: this lies under it, hidden once tiles load. */
const PANE = "bw-basemap";
const PANE_Z_INDEX = "150";

// Drawn with Leaflet's path options rather than a stylesheet, so every page that
// draws a basemap looks the same without sharing the map's CSS.
const COUNTRY_STYLE = {
  className: "bw-basemap-country",
  color: "#9aa5b1",
  weight: 1,
  fillColor: "#f4f1ea",
  fillOpacity: 0.2,
};

/**
 * Draws the country borders at `url` on `map` in their own pane. Resolves true
 * once drawn, false if the file could not be read.
 */
export async function drawBasemap(map, url) {
  if (!map.getPane(PANE)) map.createPane(PANE).style.zIndex = PANE_Z_INDEX;
  let data;
  try {
    data = await getJson(url);
  } catch {
    return false; // tiles may still load; nothing else on the map needs it
  }
  window.L.geoJSON(data, { pane: PANE, interactive: false, style: COUNTRY_STYLE }).addTo(
    map,
  );
  return true;
}
