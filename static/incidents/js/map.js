/**
 * The public map at "/": sites as shield icons, the filtered published incidents
 * as circle markers coloured by weapon, and a side panel with filters, totals, a
 * list of the incidents in view, downloads, a permalink, a legend and everything
 * that has no point ("Location unknown").
 *
 * Data comes from the REST API, whose URLs the template gives in data- attributes
 * of #bw-app (built with {% url %}); labels, already translated by Django, from the
 * inert JSON in #bw-labels. Incident text comes from untrusted reporting, so every
 * string from the data is put into the page as text (see map/dom.js), never parsed
 * as HTML, and a source URL only becomes a link when it is http: or https:.
 *
 * The address bar holds the whole view (map/state.js): a filter change pushes a
 * history entry, moving the map or opening an incident replaces the current one,
 * and back/forward (popstate) restore it.
 *
 * django-leaflet creates the map on window "load" and calls
 * window.basewatchMapInit(map); the data is fetched straight away, so the panel is
 * filled whether or not the map (or its tiles) ever loads.
 */

import { fill, formatCount, getJson, text } from "./map/dom.js";
import {
  createSiteCountsLoader,
  createTimelineLoader,
  describeTimeline,
  withoutDates,
} from "./map/figures.js";
import {
  populateActors,
  populateCountries,
  populateSites,
  readForm,
  watchForm,
  writeForm,
} from "./map/filters.js";
import { renderList } from "./map/list.js";
import { incidentDetails } from "./map/popup.js";
import {
  POPUP_OPTIONS,
  drawBasemap,
  drawClusters,
  drawIncidents,
  drawSites,
  fitBounds,
  showUncertainty,
} from "./map/markers.js";
import { loadOfficialTotals } from "./map/official.js";
import { FOCUS_ZOOM, fetchView, viewRequests, zoomToCluster } from "./map/view.js";
import { createTimeline } from "./map/timeline.js";
import {
  openUnplaced,
  renderLegend,
  renderUnplacedIncidents,
  renderUnplacedSites,
  setDownloads,
  setTotal,
  showStatus,
} from "./map/panel.js";
import {
  apiUrl,
  filterParams,
  readState,
  sameFilters,
  stateQuery,
} from "./map/state.js";

export { casualtyText, incidentDetails } from "./map/popup.js";
export { safeHttpUrl } from "./map/dom.js";

const root = document.getElementById("bw-app");
/** Up to this many matching incidents are drawn one by one; beyond, clustered. */
const DETAIL_LIMIT = Number(root.dataset.detailLimit) || 1000;
/** The first request: every incident of most filters, little when there are many. */
const FIRST_PAGE = Math.min(200, DETAIL_LIMIT);
/** Clustered, the list shows this many of the newest incidents in view. */
const VIEW_LIST_SIZE = 100;

const form = document.getElementById("bw-filters");
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

// Resolved by django-leaflet's callback; defined before "load" because module
// scripts run before the load event fires.
const mapReady = new Promise((resolve) => {
  window.basewatchMapInit = (map) => resolve(map);
});

const state = readState();
let map = null;
let incidents = []; // the current features, newest first
let incidentMarkers = new Map(); // id -> circle marker
let incidentLayer = null;
let mode = "detail"; // "clustered" when more than DETAIL_LIMIT match
let viewFeatures = []; // clustered: the incidents fetched for the current view
let viewRequest = 0;
let matching = 0; // incidents the filters select, placed or not
let prefetched = null; // {url, answer}: the first page, asked for at start
let prefetchedView = null; // {key, answer}: the first view's clusters and list
let unplacedFeatures = []; // the (newest) matching incidents without a point
let unplacedCount = 0; // how many match without a point, in all
let inViewCount = 0; // clustered: how many are placed in the view, in all
let request = 0; // only the newest incident request may draw
let restoring = false; // applying a state: do not write history meanwhile
let siteLayer = null; // {setCounts}
let siteCounts = null; // slug -> incidents under the current filters
let hideUncertainty = () => {};
let timelineLoader = null; // set up with the timeline in setupPanel
const siteCountsLoader = createSiteCountsLoader({
  siteStatsUrl: root.dataset.siteStatsUrl,
  onCounts: (counts) => {
    siteCounts = counts;
    siteLayer?.setCounts(counts); // else start() applies them when it draws sites
  },
});

/* ----- the address bar ----- */

function writeHistory(mode) {
  if (restoring) return;
  const url = window.location.pathname + stateQuery(state) + window.location.hash;
  if (url === window.location.pathname + window.location.search + window.location.hash) {
    updatePermalink();
    return;
  }
  window.history[mode === "push" ? "pushState" : "replaceState"](null, "", url);
  updatePermalink();
}

function updatePermalink() {
  document.getElementById("bw-permalink").value = window.location.href;
}

function rememberView() {
  if (!map) return;
  const centre = map.getCenter();
  state.view = { lat: centre.lat, lon: centre.lng, z: map.getZoom() };
}

function updateDownloads() {
  // The export endpoint streams every match: no page size, no cap.
  const params = filterParams(state.filters);
  const geojson = apiUrl(root.dataset.exportUrl, params);
  const figures = apiUrl(root.dataset.statsPageUrl, params);
  params.set("format", "csv");
  const csv = apiUrl(root.dataset.exportUrl, params);
  setDownloads({ csv, geojson, figures });
}

/**
 * Re-render the list without losing the reader's place: when focus was on an item,
 * it moves to the same incident's new item (the map moves under a popup that was
 * opened from the list, and Esc must find the way back).
 */
function renderListKeepingFocus(options) {
  const focused = document.activeElement?.closest?.("#bw-list li[data-incident-id]");
  const inView = renderList(options);
  if (focused && !focused.isConnected) {
    const id = focused.dataset.incidentId;
    document.querySelector(`#bw-list li[data-incident-id="${id}"] button`)?.focus();
  }
  return inView;
}

function updateList() {
  const bounds = map ? map.getBounds() : null;
  const inView = renderListKeepingFocus({
    features: incidents,
    contains: (f) => {
      if (!bounds) return true;
      const [longitude, latitude] = f.geometry.coordinates;
      return bounds.contains([latitude, longitude]);
    },
    onSelect: focusIncident,
  });
  setTotal("incidents-in-view", inView);
}

/* ----- the map ----- */

/** A popup of its own (not bound to a marker) for an incident at `latlng`. */
function openLoosePopup(props, latlng) {
  const popup = window.L.popup(POPUP_OPTIONS)
    .setLatLng(latlng)
    .setContent(() => incidentDetails(props));
  popup.incidentId = props.id;
  popup.precisionM = props.precision_m;
  map.openPopup(popup);
  return popup;
}

/** Clustered: open an incident that may sit inside a cluster, or not be loaded. */
async function openClustered(id, { fly }) {
  let feature =
    viewFeatures.find((f) => f.id === id) || incidents.find((f) => f.id === id);
  if (!feature) {
    try {
      feature = await getJson(`${root.dataset.incidentsUrl}${id}/`);
    } catch {
      return false; // unknown or not published: nothing to open
    }
  }
  if (!feature.geometry) return openUnplaced(id);
  const [longitude, latitude] = feature.geometry.coordinates;
  const latlng = window.L.latLng(latitude, longitude);
  if (fly) map.setView(latlng, Math.max(map.getZoom(), FOCUS_ZOOM), { animate: false });
  const popup = openLoosePopup(feature.properties, latlng);
  if (fly) popup.getElement()?.querySelector(".leaflet-popup-close-button")?.focus();
  return true;
}

/**
 * Open an incident: its popup when it has a point, else its details in the panel.
 * Resolves false when there is nothing to open.
 */
async function openIncident(id, { fly = false } = {}) {
  if (mode === "clustered") return openClustered(id, { fly });
  const marker = incidentMarkers.get(id);
  if (!marker) return openUnplaced(id);
  const open = () => {
    marker.openPopup();
    const content = marker.getPopup().getElement();
    if (content && fly) content.querySelector(".leaflet-popup-close-button")?.focus();
  };
  if (!fly) {
    open();
    return true;
  }
  const target = marker.getLatLng();
  const zoom = Math.max(map.getZoom(), FOCUS_ZOOM);
  const here = map.getCenter();
  if (reducedMotion || (map.getZoom() === zoom && here.distanceTo(target) < 1)) {
    map.setView(target, zoom, { animate: false });
    open();
  } else {
    map.once("moveend", open);
    map.flyTo(target, zoom, { duration: 0.6 });
  }
  return true;
}

function onUnplacedToggle(id, open) {
  if (open) state.incident = id;
  else if (state.incident === id) state.incident = null;
  else return;
  writeHistory("replace");
}

function focusIncident(id) {
  map.closePopup();
  openIncident(id, { fly: true });
}

/* ----- loading ----- */

/** The first request loadIncidents makes for the current filters. */
function firstPageUrl() {
  const params = filterParams(state.filters);
  params.set("page_size", String(FIRST_PAGE));
  return apiUrl(root.dataset.incidentsUrl, params);
}

function showLoadError(error) {
  const errors = error.body && error.body.errors;
  if (errors) {
    const detail = Object.entries(errors).map(([k, v]) => `${k}: ${v}`);
    showStatus(`${text.filter_error} ${detail.join("; ")}`);
  } else {
    showStatus(text.load_error);
  }
  root.dataset.state = "error";
}

/** The placed sites' extent, as the page gives it (empty bounds when none). */
function sitesBounds() {
  const bounds = window.L.latLngBounds([]);
  if (root.dataset.sitesBounds) {
    const [west, south, east, north] = root.dataset.sitesBounds.split(",").map(Number);
    bounds.extend([south, west]).extend([north, east]);
  }
  return bounds;
}

/**
 * Load what the filters select. Up to DETAIL_LIMIT incidents are all fetched and
 * drawn one by one, and moving the map only re-reads the list. Beyond that the
 * map is "clustered": each view asks the server for grid clusters (loadView), and
 * draws single incidents again once few remain in view.
 */
async function loadIncidents({ open = null, fit = false } = {}) {
  const mine = ++request;
  root.dataset.state = "loading";
  updateDownloads();
  const url = firstPageUrl();
  const early = prefetched && prefetched.url === url ? prefetched.answer : null;
  prefetched = null;
  let data;
  try {
    data = await (early || getJson(url));
    if (data.count > FIRST_PAGE && data.count <= DETAIL_LIMIT) {
      const all = filterParams(state.filters);
      all.set("page_size", String(DETAIL_LIMIT));
      data = await getJson(apiUrl(root.dataset.incidentsUrl, all));
    }
  } catch (error) {
    if (mine === request) showLoadError(error);
    return;
  }
  if (mine !== request) return; // a newer filter change won
  mode = data.count > DETAIL_LIMIT ? "clustered" : "detail";
  if (mode === "detail") prefetchedView = null; // asked for in case; not needed
  root.dataset.mode = mode;
  incidents = data.features.filter((f) => f.properties && f.properties.occurred_on);
  showStatus("");
  const unplaced = incidents.filter((f) => !f.geometry);
  unplacedFeatures = unplaced;
  unplacedCount = unplaced.length;
  matching = data.count;
  setTotal("incidents", data.count);
  if (mode === "detail") {
    setTotal("incidents-placed", incidents.length - unplaced.length);
    setTotal("incidents-unplaced", unplaced.length);
  }
  const note = document.getElementById("bw-shown-note");
  note.textContent =
    mode === "clustered"
      ? fill(text.clustered_note, { count: formatCount(data.count) })
      : "";
  note.hidden = !note.textContent;
  renderUnplacedIncidents(unplaced, onUnplacedToggle);
  await mapReady;
  if (mine !== request) return;
  restoring = true;
  if (fit) {
    // Every site and, when they are few enough to draw, every incident.
    const bounds = sitesBounds();
    if (mode === "detail") {
      for (const f of incidents) {
        if (!f.geometry) continue;
        const [longitude, latitude] = f.geometry.coordinates;
        bounds.extend([latitude, longitude]);
      }
    }
    fitBounds(map, bounds);
    rememberView();
  }
  restoring = false;
  if (mode === "clustered") {
    if (!(await loadView())) return;
    loadUnplaced(mine);
  } else {
    incidentMarkers = drawIncidents(incidentLayer, incidents);
    updateList();
  }
  if (mine !== request) return;
  if (open !== null) {
    state.incident = open;
    if (!(await openIncident(open))) state.incident = null;
  }
  writeHistory("replace");
  root.dataset.state = "ready";
}

/** The two requests of the current clustered view. */
function currentViewRequests() {
  return viewRequests(map, state.filters, {
    clustersUrl: root.dataset.clustersUrl,
    listSize: VIEW_LIST_SIZE,
  });
}

/**
 * Clustered mode, one view: the server's clusters for it, or its incidents one by
 * one when no more than DETAIL_LIMIT are in it; the list gets the newest in view.
 * Resolves true when this view was drawn (not overtaken by a newer one).
 */
async function loadView() {
  const mine = ++viewRequest;
  root.dataset.state = "loading";
  const requests = currentViewRequests();
  const early = prefetchedView?.key === requests.key ? prefetchedView.answer : null;
  prefetchedView = null;
  const { inView } = requests;
  let clusters;
  let listed;
  try {
    const answers = early || fetchView(requests, root.dataset.incidentsUrl);
    [clusters, listed] = await answers;
    if (clusters.count <= DETAIL_LIMIT && clusters.count > listed.features.length) {
      // Few enough to draw one by one: fetch them all.
      inView.set("page_size", String(DETAIL_LIMIT));
      listed = await getJson(apiUrl(root.dataset.incidentsUrl, inView));
    }
  } catch (error) {
    if (mine === viewRequest) showLoadError(error);
    return false;
  }
  if (mine !== viewRequest || mode !== "clustered") return false;
  viewFeatures = listed.features;
  if (clusters.count <= DETAIL_LIMIT) {
    incidentMarkers = drawIncidents(incidentLayer, viewFeatures);
    // Each view redraws the markers, which would close a popup bound to one of
    // them: here popups stand on their own, at the marker's point.
    for (const feature of viewFeatures) {
      const marker = incidentMarkers.get(feature.id);
      if (!marker) continue;
      marker.unbindPopup();
      marker.on("click", () => openLoosePopup(feature.properties, marker.getLatLng()));
    }
  } else {
    incidentMarkers = new Map();
    drawClusters(incidentLayer, clusters.features, {
      onChoose: (cluster, latlng) => zoomToCluster(map, cluster, latlng),
      describe: (count) => fill(text.cluster_title, { count: formatCount(count) }),
    });
  }
  unplacedCount = clusters.unplaced;
  setTotal("incidents-placed", matching - clusters.unplaced);
  setTotal("incidents-unplaced", clusters.unplaced);
  setTotal("incidents-in-view", clusters.count);
  inViewCount = clusters.count;
  renderClusteredList();
  root.dataset.state = "ready";
  return true;
}

function renderClusteredList() {
  renderListKeepingFocus({
    features: [...viewFeatures, ...unplacedFeatures],
    contains: () => true,
    onSelect: focusIncident,
    inViewTotal: inViewCount,
    unplacedTotal: unplacedCount,
  });
}

/**
 * Clustered: the newest incidents without a point, for "Location unknown" and the
 * list (the first page holds only those among the newest few).
 */
async function loadUnplaced(mine) {
  const params = filterParams(state.filters);
  params.set("located", "false");
  params.set("page_size", String(VIEW_LIST_SIZE));
  let data;
  try {
    data = await getJson(apiUrl(root.dataset.incidentsUrl, params));
  } catch {
    return; // the panel keeps what the first page gave
  }
  if (mine !== request || mode !== "clustered") return;
  unplacedFeatures = data.features;
  renderUnplacedIncidents(unplacedFeatures, onUnplacedToggle, data.count);
  renderClusteredList();
}

/* ----- the figures that follow the filters ----- */

function loadTimeline() {
  return timelineLoader?.(state.filters);
}

function loadSiteCounts() {
  return siteCountsLoader(state.filters);
}

function onBrush(range) {
  const filters = withoutDates(state.filters);
  if (range) {
    filters.date_from = range.from;
    filters.date_to = range.to;
  }
  writeForm(form, filters);
  onFiltersChange(readForm(form));
}

function onFiltersChange(filters) {
  if (sameFilters(filters, state.filters)) return;
  state.filters = filters;
  state.incident = null;
  map?.closePopup();
  rememberView();
  writeHistory("push");
  loadTimeline();
  loadSiteCounts();
  loadIncidents();
}

function applyState() {
  const next = readState();
  restoring = true;
  writeForm(form, next.filters);
  // Read back: values the form cannot hold (an unknown weapon, a malformed date)
  // are dropped here rather than sent to the API.
  next.filters = readForm(form);
  const filtersChanged = !sameFilters(next.filters, state.filters);
  state.filters = next.filters;
  if (next.view && map) {
    map.setView([next.view.lat, next.view.lon], next.view.z, { animate: false });
  }
  state.view = next.view;
  map?.closePopup();
  restoring = false;
  loadTimeline();
  if (filtersChanged) {
    loadSiteCounts();
    loadIncidents({ open: next.incident });
  } else {
    if (mode === "clustered") loadView();
    state.incident = null;
    // Opening sets state.incident (popupopen, or the panel's toggle).
    if (next.incident !== null) openIncident(next.incident);
    updateDownloads();
    updatePermalink();
  }
}

function setupMap() {
  const L = window.L;
  // Incidents above sites: an incident usually sits exactly on its site's point,
  // and the incident is what a reader came to open. Both stay below popups (700).
  // The bundled basemap lies under the tiles (200), which hide it when they load.
  map.createPane("bw-basemap").style.zIndex = "150";
  map.createPane("bw-uncertainty").style.zIndex = "440";
  map.createPane("bw-sites").style.zIndex = "450";
  map.createPane("bw-labels").style.zIndex = "455";
  map.createPane("bw-incidents").style.zIndex = "460";
  incidentLayer = L.layerGroup().addTo(map);
  drawBasemap(map, root.dataset.basemapUrl).then((drawn) => {
    if (drawn) root.dataset.basemap = "ready";
  });
  map.on("moveend", () => {
    rememberView();
    // While a state is applied, whoever applies it loads the view once after.
    if (mode === "clustered") {
      if (!restoring) loadView();
    } else {
      updateList();
    }
    writeHistory("replace");
  });
  map.on("popupopen", (event) => {
    // A popup bound to a marker, or one standing on its own (clustered map).
    const source = event.popup._source || event.popup;
    hideUncertainty();
    hideUncertainty = showUncertainty(map, source.getLatLng(), source.precisionM);
    const id = source.incidentId;
    if (id === undefined) return;
    state.incident = id;
    writeHistory("replace");
  });
  map.on("popupclose", (event) => {
    hideUncertainty();
    hideUncertainty = () => {};
    const id = (event.popup._source || event.popup).incidentId;
    if (id === undefined || state.incident !== id) return;
    state.incident = null;
    writeHistory("replace");
  });
}

function setupPanel() {
  const timeline = createTimeline(document.getElementById("bw-timeline-chart"), {
    onChange: onBrush,
    describe: describeTimeline,
  });
  timelineLoader = createTimelineLoader(timeline, {
    timelineUrl: root.dataset.timelineUrl,
  });
  watchForm(form, {
    onChange: onFiltersChange,
    onClear: () => onFiltersChange({}),
  });
  const input = document.getElementById("bw-permalink");
  document.getElementById("bw-copy-link").addEventListener("click", async () => {
    updatePermalink();
    const message = document.getElementById("bw-copy-status");
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("none");
      await navigator.clipboard.writeText(input.value);
      message.textContent = text.copied;
    } catch {
      input.focus();
      input.select();
      message.textContent = text.copy_fallback;
    }
  });
  // In the capture phase, before Leaflet's own Escape handler on the map closes
  // the popup: we need to know it was open, and where focus was.
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || !map) return;
      if (!map.getContainer().querySelector(".leaflet-popup")) return;
      const id = state.incident;
      const focusInMap = map.getContainer().contains(document.activeElement);
      map.closePopup();
      // Back to where the reader chose it from, when that was the list.
      const item = document.querySelector(
        `#bw-list li[data-incident-id="${id}"] button`,
      );
      if (item && focusInMap) item.focus();
    },
    true,
  );
  window.addEventListener("popstate", applyState);
}

async function start() {
  renderLegend();
  setupPanel();
  writeForm(form, state.filters);
  // Read back: what the form cannot hold (an unknown weapon, a malformed date) is
  // dropped before anything is asked of the API.
  state.filters = readForm(form);
  updateDownloads();
  updatePermalink();
  // The first page of incidents is asked for now, beside the sites, not after.
  prefetched = { url: firstPageUrl(), answer: getJson(firstPageUrl()) };
  prefetched.answer.catch(() => {}); // loadIncidents reports it, if it is used
  const sitesRequest = getJson(root.dataset.sitesUrl);
  sitesRequest.catch(() => {}); // reported below

  const initial = readState();
  map = await mapReady;
  restoring = true;
  setupMap();
  if (initial.view) {
    map.setView([initial.view.lat, initial.view.lon], initial.view.z, {
      animate: false,
    });
  } else {
    // The sites' extent, which loadIncidents fits again (with the incidents, when
    // they are few): taken now so the view's data can be asked for at once.
    fitBounds(map, sitesBounds());
  }
  rememberView();
  restoring = false;
  // Asked for at once in case the filters select more than the detail limit (a
  // few KB wasted when they do not).
  const first = currentViewRequests();
  prefetchedView = {
    key: first.key,
    answer: fetchView(first, root.dataset.incidentsUrl),
  };
  prefetchedView.answer.catch(() => {}); // loadView reports it, if it is used

  // The sites are drawn when they come; the incidents do not wait for them.
  const sitesDrawn = sitesRequest.then(
    ({ features: sites }) => {
      siteLayer = drawSites(map, sites, { iconUrl: root.dataset.siteIconUrl });
      if (siteCounts) siteLayer.setCounts(siteCounts);
      populateSites(form.elements.namedItem("site"), sites);
      populateCountries(form.elements.namedItem("country"), sites);
      writeForm(form, state.filters); // now that the options exist
      renderUnplacedSites(sites);
    },
    () => {
      // A network or server failure is the reader's problem to know about.
      showStatus(text.load_error);
    },
  );
  await loadIncidents({ open: initial.incident, fit: !initial.view });
  await sitesDrawn;
  // The incidents first, these after: on one small server they would slow the
  // map's own requests, and the map is what a reader waits for. Actors only fill
  // a select; an actor named in the address keeps a stand-in option until then.
  const actorsUrl = apiUrl(root.dataset.actorsUrl, [["page_size", "1000"]]);
  getJson(actorsUrl).then(
    (actors) => populateActors(form.elements.namedItem("actor"), actors.results),
    () => showStatus(text.load_error),
  );
  loadTimeline();
  loadSiteCounts();
  loadOfficialTotals(document.getElementById("bw-official-chart"), {
    officialUrl: root.dataset.officialUrl,
  });
}

// Errors in our own code are left uncaught on purpose: they surface as page errors,
// which the browser tests fail on.
start();
