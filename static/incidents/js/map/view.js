/**
 * The clustered map's questions about one view, as the API takes them: the view
 * as a bbox, the two requests a view makes (its clusters, its newest incidents)
 * and where a chosen cluster takes the map. Pure of the page's state: the map,
 * the filters and the API URLs are passed in.
 */

import { getJson } from "./dom.js";
import { apiUrl, filterParams } from "../common/url_state.js";

/** At least this close when the map goes to one incident or one point. */
export const FOCUS_ZOOM = 8;

/** The map's bounds as an API bbox, inside the valid ranges. */
export function viewBbox(map) {
  const bounds = map.getBounds();
  const clamp = (value, limit) => Math.min(Math.max(value, -limit), limit);
  return [
    clamp(bounds.getWest(), 180),
    clamp(bounds.getSouth(), 90),
    clamp(bounds.getEast(), 180),
    clamp(bounds.getNorth(), 90),
  ]
    .map((value) => value.toFixed(5))
    .join(",");
}

/**
 * The two requests of a clustered view: its clusters (`clustersUrl`, also the
 * view's `key`) and the query of its newest `listSize` incidents (`inView`).
 */
export function viewRequests(map, filters, { clustersUrl, listSize }) {
  const bbox = viewBbox(map);
  const params = filterParams(filters);
  params.set("bbox", bbox);
  params.set("zoom", String(Math.round(map.getZoom())));
  const inView = filterParams(filters);
  inView.set("bbox", bbox);
  inView.set("page_size", String(listSize));
  const url = apiUrl(clustersUrl, params);
  return { key: url, clustersUrl: url, inView };
}

/** Both answers at once: the newest in view are the list whichever way it is drawn. */
export function fetchView({ clustersUrl, inView }, incidentsUrl) {
  return Promise.all([getJson(clustersUrl), getJson(apiUrl(incidentsUrl, inView))]);
}

/** Show what a chosen cluster holds. */
export function zoomToCluster(map, cluster, latlng) {
  const [west, south, east, north] = cluster.bbox;
  if (west === east && south === north) {
    // Every member on one point: zooming in would never split them; the list
    // (now of this point's view) names them.
    map.setView(latlng, Math.max(map.getZoom() + 2, FOCUS_ZOOM));
  } else {
    map.fitBounds(
      [
        [south, west],
        [north, east],
      ],
      { padding: [24, 24] },
    );
  }
}
