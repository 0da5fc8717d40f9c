/**
 * The public map at "/": sites as shield icons, the filtered published incidents
 * as circle markers coloured by weapon (or, past the detail limit, the server's
 * clusters), and a side panel with filters, totals, a list of the incidents in
 * view, downloads, a permalink and everything that has no point ("Location
 * unknown"); the legend is on the map. This module only wires the parts together:
 *
 *   store.js    the view, the mode, the phase and the one request token
 *   load.js     what is fetched and drawn, per mode; open.js opens an incident
 *   address.js  the address bar, its bad values, permalink; filters.js the form
 *   markers.js, popup.js, panel.js, legend.js, list.js, figures.js, timeline.js,
 *   official.js
 *
 * Data comes from the REST API, whose URLs the template gives in data- attributes
 * of #bw-app (built with {% url %}); labels, already translated by Django, from the
 * inert JSON in #bw-labels. Incident text comes from untrusted reporting, so every
 * string from the data is put into the page as text (common/dom.js), never parsed
 * as HTML, and a source URL only becomes a link when it is http: or https:.
 *
 * django-leaflet creates the map on window "load" and calls
 * window.basewatchMapInit(map); the data is fetched straight away, so the panel is
 * filled whether or not the map (or its tiles) ever loads.
 */

import { createAddress } from "./address.js";
import { drawBasemap } from "../common/basemap.js";
import { getJson, text } from "./dom.js";
import {
  createSiteCountsLoader,
  createTimelineLoader,
  describeTimeline,
  withoutDates,
} from "./figures.js";
import {
  populateActors,
  populateCountries,
  populateSites,
  readForm,
  watchForm,
  writeForm,
} from "./filters.js";
import { addLegend } from "./legend.js";
import { showList } from "./list.js";
import { createLoader } from "./load.js";
import { addPanes, drawSites, fitBounds, showUncertainty } from "./markers.js";
import { loadOfficialTotals } from "./official.js";
import { createOpener } from "./open.js";
import { renderUnplacedSites, showStatus } from "./panel.js";
import { createStore } from "./store.js";
import { createTimeline } from "./timeline.js";
import { apiUrl, sameFilters } from "../common/url_state.js";

const root = document.getElementById("bw-app");
const form = document.getElementById("bw-filters");
/** Up to this many matching incidents are drawn one by one; beyond, clustered. */
const detailLimit = Number(root.dataset.detailLimit) || 1000;

/** What every part shares: the store, the map and its incident layer, the hooks. */
const app = {
  root,
  store: createStore({
    detailLimit,
    onChange({ mode, phase }) {
      root.dataset.mode = mode;
      root.dataset.state = phase;
    },
  }),
  map: null,
  layer: null,
  markers: new Map(), // the drawn incidents: id -> circle marker
  // Resolved by django-leaflet's callback; defined before "load" because module
  // scripts run before the load event fires.
  mapReady: new Promise((resolve) => {
    window.basewatchMapInit = (map) => resolve(map);
  }),
};
const { store } = app;
const { state } = store;
const address = createAddress(app);
const opener = createOpener(app);
const { updateDownloads } = address;
Object.assign(app, address, opener, {
  showList: () => showList(app, opener.focusIncident),
  onUnplacedToggle(id, open) {
    if (open) state.incident = id;
    else if (state.incident === id) state.incident = null;
    else return;
    address.writeHistory("replace");
  },
});
const loader = createLoader(app);

let siteLayer = null; // {setCounts}, once the sites are drawn
let siteCounts = null; // slug -> incidents under the current filters
let timelineLoader = null; // set up with the timeline in setupPanel
const siteCountsLoader = createSiteCountsLoader({
  siteStatsUrl: root.dataset.siteStatsUrl,
  onCounts: (counts) => {
    siteCounts = counts;
    siteLayer?.setCounts(counts); // else start() applies them when it draws sites
  },
});

/* ----- the figures that follow the filters ----- */

function loadFigures({ counts = true } = {}) {
  timelineLoader?.(state.filters);
  if (counts) siteCountsLoader(state.filters);
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

/** `cleared`: the reader cleared them all (and so every bad one in the address). */
function onFiltersChange(filters, cleared = false) {
  const forgot = address.forgetFlagged(state.filters, filters, cleared);
  if (!forgot && sameFilters(filters, state.filters)) return;
  state.filters = filters;
  state.incident = null;
  app.map?.closePopup();
  address.rememberView();
  address.writeHistory("push");
  loadFigures();
  loader.loadIncidents();
}

/** Back or forward: apply the address's filters, view and incident. */
function applyState() {
  const next = address.readAddress();
  const filtersChanged = store.quietly(() => {
    writeForm(form, next.filters);
    // Read back: what the form cannot hold is never sent to the API (the bad
    // values the server found are flagged by readAddress, and named).
    next.filters = readForm(form);
    const changed = !sameFilters(next.filters, state.filters);
    state.filters = next.filters;
    Object.assign(state, { flagged: next.flagged, bbox: next.bbox });
    if (app.map) address.showView(next);
    state.view = next.view;
    app.map?.closePopup();
    return changed;
  });
  loadFigures({ counts: filtersChanged });
  if (filtersChanged) {
    loader.loadIncidents({ open: next.incident });
    return;
  }
  if (store.moved() === "view") loader.loadView();
  state.incident = null;
  // Opening sets state.incident (popupopen, or the panel's toggle).
  if (next.incident !== null) opener.openIncident(next.incident);
  updateDownloads();
  address.updatePermalink();
}

function setupMap(map) {
  addPanes(map);
  addLegend(map, { iconUrl: root.dataset.siteIconUrl });
  app.layer = window.L.layerGroup().addTo(map);
  drawBasemap(map, root.dataset.basemapUrl).then((drawn) => {
    if (drawn) root.dataset.basemap = "ready";
  });
  map.on("moveend", () => {
    address.rememberView();
    const next = store.moved();
    if (next === "list") app.showList();
    else if (next === "view") loader.loadView();
    address.writeHistory("replace");
  });
  let hideUncertainty = () => {};
  map.on("popupopen", (event) => {
    // A popup bound to a marker, or one standing on its own (clustered map).
    const source = event.popup._source || event.popup;
    hideUncertainty();
    const at = source.homeLatLng || source.getLatLng(); // a fanned circle's true point
    hideUncertainty = showUncertainty(map, at, source.precisionM);
    const id = source.incidentId;
    if (id === undefined) return;
    state.incident = id;
    address.writeHistory("replace");
  });
  map.on("popupclose", (event) => {
    hideUncertainty();
    hideUncertainty = () => {};
    const id = (event.popup._source || event.popup).incidentId;
    if (id === undefined || state.incident !== id) return;
    state.incident = null;
    address.writeHistory("replace");
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
    onClear: () => onFiltersChange({}, true),
  });
  address.watchCopyLink();
  opener.watchEscape();
  window.addEventListener("popstate", applyState);
}

async function start() {
  const initial = address.readAddress(); // bad values flagged, not applied
  Object.assign(state, initial);
  setupPanel();
  writeForm(form, state.filters);
  // Read back: what the form cannot hold is never sent to the API (the bad values
  // the server found are flagged by readAddress, named, and kept in the address).
  state.filters = readForm(form);
  updateDownloads();
  address.updatePermalink();
  // The first page of incidents is asked for now, beside the sites, not after.
  loader.prefetch();
  const sitesRequest = getJson(root.dataset.sitesUrl);
  sitesRequest.catch(() => {}); // reported below

  const map = await app.mapReady;
  app.map = map;
  store.quietly(() => {
    setupMap(map);
    // Else the sites' extent, which loadIncidents fits again (with the incidents,
    // when they are few): taken now so the view's data can be asked for at once.
    if (!address.showView(initial)) fitBounds(map, loader.sitesBounds());
    address.rememberView();
  });
  // Asked for at once in case the filters select more than the detail limit (a
  // few KB wasted when they do not).
  loader.prefetchView();

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
  await loader.loadIncidents({ open: initial.incident, fit: !initial.view && !initial.bbox });
  await sitesDrawn;
  // The incidents first, these after: on one small server they would slow the
  // map's own requests, and the map is what a reader waits for. Actors only fill
  // a select; an actor named in the address keeps a stand-in option until then.
  const actorsUrl = apiUrl(root.dataset.actorsUrl, [["page_size", "1000"]]);
  getJson(actorsUrl).then(
    (actors) => populateActors(form.elements.namedItem("actor"), actors.results),
    () => showStatus(text.load_error),
  );
  loadFigures();
  loadOfficialTotals(document.getElementById("bw-official-chart"), {
    officialUrl: root.dataset.officialUrl,
  });
}

// Errors in our own code are left uncaught on purpose: they surface as page errors,
// which the browser tests fail on.
start();
