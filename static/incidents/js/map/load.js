/**
 * Loading what the map shows, through the store's one request token (store.js):
 * what the filters select (`loadIncidents`), then per mode: in "detail" every
 * match, drawn one by one; "clustered", each view's clusters (`loadView`) and the
 * newest incidents without a point. The first page and the first view are asked
 * for at start (`prefetch`), beside the sites, and used when they still fit.
 *
 * `app` is main.js's: {root, store, map, layer, markers, mapReady} and the hooks
 * {updateDownloads, writeHistory, openIncident, openLoosePopup, showList,
 * onUnplacedToggle}.
 */

import { fill, formatCount, getJson, text } from "./dom.js";
import { fanOf } from "./fan.js";
import { weaponLabel } from "./popup.js";
import { drawClusters, drawIncidents, fitBounds } from "./markers.js";
import { renderUnplacedIncidents, setTotal, showStatus } from "./panel.js";
import { fetchView, viewRequests, zoomToCluster } from "./view.js";
import { apiUrl, filterParams } from "../common/url_state.js";

/** Clustered, the list shows this many of the newest incidents in view. */
export const VIEW_LIST_SIZE = 100;

export function createLoader(app) {
  const { root, store } = app;
  const urls = root.dataset;
  let prefetched = null; // {url, answer}: the first page, asked for at start
  let prefetchedView = null; // {key, answer}: the first view's clusters and list

  /** The first request loadIncidents makes for the current filters. */
  function firstPageUrl() {
    const params = filterParams(store.state.filters);
    params.set("page_size", String(store.firstPage));
    return apiUrl(urls.incidentsUrl, params);
  }

  /** The two requests of the current clustered view. */
  function currentViewRequests() {
    return viewRequests(app.map, store.state.filters, {
      clustersUrl: urls.clustersUrl,
      listSize: VIEW_LIST_SIZE,
    });
  }

  function showLoadError(error) {
    const errors = error.body && error.body.errors;
    if (errors) {
      const detail = Object.entries(errors).map(([k, v]) => `${k}: ${v}`);
      showStatus(`${text.filter_error} ${detail.join("; ")}`);
    } else {
      showStatus(text.load_error);
    }
  }

  /** The placed sites' extent, as the page gives it (empty bounds when none). */
  function sitesBounds() {
    const bounds = window.L.latLngBounds([]);
    if (urls.sitesBounds) {
      const [west, south, east, north] = urls.sitesBounds.split(",").map(Number);
      bounds.extend([south, west]).extend([north, east]);
    }
    return bounds;
  }

  /** At start: the first page and the first view, asked for before they are used. */
  function prefetch() {
    const url = firstPageUrl();
    prefetched = { url, answer: getJson(url) };
    prefetched.answer.catch(() => {}); // loadIncidents reports it, if it is used
  }

  function prefetchView() {
    const first = currentViewRequests();
    prefetchedView = { key: first.key, answer: fetchView(first, urls.incidentsUrl) };
    prefetchedView.answer.catch(() => {}); // loadView reports it, if it is used
  }

  /** Each mode's drawing of what the filters selected, under the load `mine`. */
  const draw = {
    async detail() {
      prefetchedView = null; // asked for in case; not needed
      app.markers = drawIncidents(app.layer, store.state.incidents, fanOf(app.map));
      app.showList();
      return true;
    },
    async clustered(mine) {
      const [drawn] = await Promise.all([viewOf(mine), loadUnplaced(mine)]);
      return drawn;
    },
  };

  /**
   * Load what the filters select. Up to the detail limit incidents are all
   * fetched and drawn one by one, and moving the map only re-reads the list.
   * Beyond that the map is "clustered": each view asks the server for grid
   * clusters, and draws single incidents again once few remain in view.
   */
  async function loadIncidents({ open = null, fit = false } = {}) {
    const mine = store.begin("filters");
    app.updateDownloads();
    const url = firstPageUrl();
    const early = prefetched && prefetched.url === url ? prefetched.answer : null;
    prefetched = null;
    let data;
    try {
      data = await (early || getJson(url));
      if (store.needsAll(data.count)) {
        const all = filterParams(store.state.filters);
        all.set("page_size", String(store.detailLimit));
        data = await getJson(apiUrl(urls.incidentsUrl, all));
      }
    } catch (error) {
      if (store.failed(mine)) showLoadError(error);
      return;
    }
    if (!store.matched(mine, data)) return; // a newer filter change won
    const { mode, incidents, unplaced } = store.state;
    showStatus("");
    setTotal("incidents", data.count);
    if (mode === "detail") {
      setTotal("incidents-placed", incidents.length - unplaced.length);
      setTotal("incidents-unplaced", unplaced.length);
    }
    const note = document.getElementById("bw-shown-note");
    note.textContent =
      mode === "clustered" ? fill(text.clustered_note, { count: formatCount(data.count) }) : "";
    note.hidden = !note.textContent;
    renderUnplacedIncidents(unplaced, app.onUnplacedToggle);
    await app.mapReady;
    if (!store.isCurrent(mine)) return;
    if (fit) {
      store.quietly(() => {
        // Every site and, when they are few enough to draw, every incident.
        const bounds = sitesBounds();
        if (mode === "detail") {
          for (const f of incidents) {
            if (!f.geometry) continue;
            const [longitude, latitude] = f.geometry.coordinates;
            bounds.extend([latitude, longitude]);
          }
        }
        fitBounds(app.map, bounds);
        app.rememberView();
      });
    }
    if (!(await draw[mode](mine)) || !store.isCurrent(mine)) return;
    if (open !== null) {
      store.state.incident = open;
      if (!(await app.openIncident(open))) store.state.incident = null;
      if (!store.isCurrent(mine)) return;
    }
    app.writeHistory("replace");
    settle(mine);
  }

  function settle(mine) {
    if (store.settle(mine) === "view") loadView();
  }

  /** Clustered: one view, as its own load. Resolves true when it was drawn. */
  async function loadView() {
    const mine = store.begin("view");
    const drawn = await viewOf(mine);
    if (drawn) settle(mine);
    return drawn;
  }

  /**
   * Clustered mode, one view under the load `mine`: the server's clusters for it,
   * or its incidents one by one when no more than the detail limit are in it; the
   * list gets the newest in view. Resolves true when this view was drawn.
   */
  async function viewOf(mine) {
    store.viewAsked();
    const requests = currentViewRequests();
    const early = prefetchedView?.key === requests.key ? prefetchedView.answer : null;
    prefetchedView = null;
    const { inView } = requests;
    let clusters;
    let listed;
    try {
      [clusters, listed] = await (early || fetchView(requests, urls.incidentsUrl));
      if (store.drawsSingly(clusters.count) && clusters.count > listed.features.length) {
        // Few enough to draw one by one: fetch them all.
        inView.set("page_size", String(store.detailLimit));
        listed = await getJson(apiUrl(urls.incidentsUrl, inView));
      }
    } catch (error) {
      if (store.failed(mine)) showLoadError(error);
      return false;
    }
    if (!store.viewed(mine, { clusters, features: listed.features })) return false;
    const features = store.state.viewFeatures;
    if (store.drawsSingly(clusters.count)) {
      app.markers = drawIncidents(app.layer, features, fanOf(app.map));
      // Each view redraws the markers, which would close a popup bound to one of
      // them: here popups stand on their own, at the marker's point.
      for (const feature of features) {
        const marker = app.markers.get(feature.id);
        if (!marker) continue;
        marker.unbindPopup();
        marker.on("click", () => app.openLoosePopup(feature.properties, marker.getLatLng()));
      }
    } else {
      app.markers = new Map();
      drawClusters(app.layer, clusters.features, {
        onChoose: (cluster, latlng) => zoomToCluster(app.map, cluster, latlng),
        onOpen: (id) => app.openIncident(id),
        describe: (count) => fill(text.cluster_title, { count: formatCount(count) }),
        describeSingle: (weapon) => fill(text.single_title, { weapon: weaponLabel(weapon) }),
      });
    }
    setTotal("incidents-placed", store.state.matching - clusters.unplaced);
    setTotal("incidents-unplaced", clusters.unplaced);
    setTotal("incidents-in-view", clusters.count);
    app.showList();
    return true;
  }

  /**
   * Clustered: the newest incidents without a point, for "Location unknown" and
   * the list (the first page holds only those among the newest few).
   */
  async function loadUnplaced(mine) {
    const params = filterParams(store.state.filters);
    params.set("located", "false");
    params.set("page_size", String(VIEW_LIST_SIZE));
    let data;
    try {
      data = await getJson(apiUrl(urls.incidentsUrl, params));
    } catch {
      return; // the panel keeps what the first page gave
    }
    if (!store.unplacedListed(mine, data)) return;
    renderUnplacedIncidents(data.features, app.onUnplacedToggle, data.count);
    app.showList();
  }

  return { firstPageUrl, loadIncidents, loadView, prefetch, prefetchView, sitesBounds };
}
