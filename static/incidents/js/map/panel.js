/**
 * The side panel's read-outs: status line, totals, downloads and the
 * "Location unknown" lists (sites and incidents without a point).
 */

import { setStatus } from "../common/dom.js";
import { el, fill, formatCount, label, text } from "./dom.js";
import { bothNames, dateNode, incidentDetails, siteNames } from "./popup.js";

const root = document.getElementById("bw-app");

/** The reader's page of a site, from the URL pattern the template gives. */
export function sitePageUrl(slug) {
  return root.dataset.sitePageUrl.replace("__slug__", encodeURIComponent(slug));
}

export function setTotal(name, value) {
  for (const node of root.querySelectorAll(`[data-total="${name}"]`)) {
    node.textContent = formatCount(value);
  }
}

// What stays in the status line until its cause goes (a bad filter in the
// address, map/address.js), before whatever the loading says.
let standing = "";
let latest = "";

export function showStatus(message) {
  latest = message;
  const shown = [standing, latest].filter(Boolean).join(" ");
  setStatus(document.getElementById("bw-status"), shown);
}

export function setStanding(message) {
  standing = message;
  showStatus(latest);
}

export function renderUnplacedSites(sites) {
  const unplaced = sites.filter((f) => !f.geometry);
  setTotal("sites-placed", sites.length - unplaced.length);
  setTotal("sites-unplaced", unplaced.length);
  const list = document.getElementById("bw-unplaced-sites");
  list.replaceChildren();
  for (const { properties: site } of unplaced) {
    list.append(
      el(
        "li",
        { "data-site-slug": site.slug },
        // Its page lists what happened there, located or not.
        el("a", { href: sitePageUrl(site.slug) }, ...bothNames(site, "strong")),
        el(
          "div",
          { className: "bw-why", dir: "auto" },
          site.location_source || text.no_location_reason,
        ),
      ),
    );
  }
  if (!unplaced.length) list.append(el("li", {}, text.none));
}

/** `onToggle(id, open)` is told when a reader opens or closes one. */
/** `total`, when `features` are only the newest, is how many there are in all. */
export function renderUnplacedIncidents(features, onToggle, total = features.length) {
  const list = document.getElementById("bw-unplaced-incidents");
  list.replaceChildren();
  for (const { properties: incident } of features) {
    const summary = el(
      "summary",
      {},
      dateNode(incident),
      ` · ${label("event_type", incident.event_type)} · `,
      siteNames(incident),
    );
    const details = el("details", {}, summary, incidentDetails(incident, { level: 4 }));
    details.addEventListener("toggle", () => onToggle(incident.id, details.open));
    list.append(el("li", { "data-incident-id": String(incident.id) }, details));
  }
  if (!features.length) list.append(el("li", {}, text.none));
  if (total > features.length) {
    const more = fill(text.unplaced_more, { count: formatCount(total - features.length) });
    list.append(el("li", { className: "bw-list-more" }, more));
  }
}

/** Open an unplaced incident's details; false when it is not listed. */
export function openUnplaced(id) {
  const item = document.querySelector(
    `#bw-unplaced-incidents li[data-incident-id="${id}"] details`,
  );
  if (!item) return false;
  item.open = true;
  item.scrollIntoView({ block: "nearest" });
  item.querySelector("summary").focus({ preventScroll: true });
  return true;
}

/** Point the downloads and the figures page at the current filters. */
export function setDownloads({ csv, geojson, figures }) {
  document.getElementById("bw-download-csv").setAttribute("href", csv);
  document.getElementById("bw-download-geojson").setAttribute("href", geojson);
  document.getElementById("bw-stats-link").setAttribute("href", figures);
}
