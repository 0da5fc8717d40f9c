/**
 * One site's page at "/sites/<slug>/": a small map centred on the site, a bar chart
 * of its published incidents per month (site/chart.js), and the list of those
 * incidents (site/incidents.js, each the incident card the map's popups show).
 *
 * The site's own facts are rendered by Django. Everything else is fetched from the
 * API URLs named in #bw-site[data-incidents-url] and [data-timeline-url]; labels
 * (already translated by Django) come from the inert JSON in #bw-labels, read when
 * the page starts and passed to common/'s helpers. Incident text comes from
 * untrusted reporting, so every string from the data is put into the page as text
 * (common/dom.js), never parsed as HTML, and a source URL only becomes a link when
 * it is http: or https:.
 */

import { apiUrl, getJson } from "../common/api.js";
import { createCard } from "../common/card.js";
import { setStatus } from "../common/dom.js";
import { createLocale } from "../common/locale.js";
import { drawChart } from "./chart.js";
import { renderIncidents } from "./incidents.js";

// Enough for any one site in the reference data many times over; beyond it the
// page says how many it left out rather than pretending the list is complete.
const PAGE_SIZE = 1000;

const root = document.getElementById("bw-site");

// django-leaflet creates the map on window "load" and calls this; it is defined
// here, before "load", because module scripts run before the load event fires.
window.basewatchSiteMapInit = (map) => drawMap(map);

function drawMap(map) {
  const L = window.L;
  const latitude = Number(root.dataset.latitude);
  const longitude = Number(root.dataset.longitude);
  const centre = [latitude, longitude];
  L.circleMarker(centre, {
    radius: 7,
    color: "#ffffff",
    weight: 2,
    fillColor: "#1d4e89",
    fillOpacity: 1,
    className: "bw-site-point",
  }).addTo(map);
  if (root.dataset.precisionCircle === "yes") {
    // Faint on purpose: it says "somewhere in here", not "this is the base".
    const circle = L.circle(centre, {
      radius: Number(root.dataset.precisionM),
      color: "#1d4e89",
      weight: 1,
      opacity: 0.5,
      fillOpacity: 0.08,
      interactive: false,
      className: "bw-precision-circle",
    }).addTo(map);
    map.fitBounds(circle.getBounds(), { padding: [16, 16], animate: false });
  } else {
    map.setView(centre, 13, { animate: false });
  }
  root.dataset.map = "ready";
}

async function start() {
  const locale = createLocale({
    labels: JSON.parse(document.getElementById("bw-labels").textContent),
    lang: document.documentElement.lang,
  });
  const card = createCard(locale);
  const { text } = locale;
  const site = root.dataset.siteSlug;
  const [timeline, incidents] = await Promise.allSettled([
    getJson(apiUrl(root.dataset.timelineUrl, { site, interval: "month" })),
    getJson(apiUrl(root.dataset.incidentsUrl, { site, page_size: String(PAGE_SIZE) })),
  ]);
  // A network or server failure is the reader's problem to know about, not a bug.
  const problems = [];
  if (timeline.status === "fulfilled") {
    drawChart(document.getElementById("bw-chart"), timeline.value.results, locale);
  } else {
    problems.push(text.chart_error);
  }
  if (incidents.status === "fulfilled") {
    const list = document.getElementById("bw-incident-list");
    renderIncidents(list, incidents.value, { card, locale });
  } else {
    problems.push(text.load_error);
  }
  setStatus(document.getElementById("bw-status"), problems.join(" "));
  root.dataset.state = problems.length ? "error" : "ready";
}

// Errors in our own code are left uncaught on purpose: they surface as page errors,
// which the browser tests fail on.
start();
