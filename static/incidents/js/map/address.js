/**
 * The address bar holds the whole view (common/url_state.js): a filter change
 * pushes a history entry, moving the map or opening an incident replaces the
 * current one (main.js restores an entry on back/forward). The permalink box and
 * its copy button show the same address, the downloads the same filters.
 *
 * Bad values in the address (`/?weapon=laser`, `/?date_from=2023-13-45`, a bbox
 * that is not one) are found by the server with the API's own rules
 * (incidents/pages/address.py, in #bw-address-errors) and named in the status
 * line. They stay in the address as given until the reader changes that filter
 * (a bad bbox: moves the map) or clears the filters, so the link still says what
 * was asked; meanwhile the map shows the incidents without them (the status says
 * so), since the API would refuse the whole request.
 *
 * `app` is main.js's: {root, store, map}.
 */

import { text } from "./dom.js";
import { setDownloads, setStanding } from "./panel.js";
import {
  apiUrl,
  filterParams,
  flaggedParams,
  keepFlagged,
  readState,
  stateQuery,
  withoutFlagged,
} from "../common/url_state.js";

const addressErrors = JSON.parse(
  document.getElementById("bw-address-errors")?.textContent || "{}",
);

export function createAddress(app) {
  const input = document.getElementById("bw-permalink");

  function updatePermalink() {
    input.value = window.location.href;
  }

  /** Write the store's view to the address: "push" a new entry or "replace". */
  function writeHistory(how) {
    if (app.store.restoring) return;
    const { pathname, search, hash } = window.location;
    const url = pathname + stateQuery(app.store.state) + hash;
    if (url !== pathname + search + hash) {
      window.history[how === "push" ? "pushState" : "replaceState"](null, "", url);
    }
    updatePermalink();
  }

  /** Keep the map's centre and zoom in the store; a reader's move ends a bbox. */
  function rememberView() {
    if (!app.map) return;
    const { state } = app.store;
    const centre = app.map.getCenter();
    state.view = { lat: centre.lat, lon: centre.lng, z: app.map.getZoom() };
    if (app.store.restoring) return;
    state.bbox = null;
    if (state.flagged?.bbox !== undefined) {
      state.flagged = { ...state.flagged };
      delete state.flagged.bbox;
      showFlagged(state.flagged);
    }
  }

  /** The address's state, its bad parameters flagged (named, not applied). */
  function readAddress() {
    const search = window.location.search;
    const next = withoutFlagged(readState(search), flaggedParams(search, addressErrors));
    showFlagged(next.flagged);
    return next;
  }

  /**
   * The reader changed the filters from `before` to `after` (`cleared`: all of
   * them): forget the flags of the changed ones; true when any was forgotten.
   */
  function forgetFlagged(before, after, cleared = false) {
    const { state } = app.store;
    const kept = keepFlagged(state.flagged, before, after, { cleared });
    const forgot = Object.keys(kept).length !== Object.keys(state.flagged || {}).length;
    state.flagged = kept;
    showFlagged(kept);
    return forgot;
  }

  /** Put the map on `next`'s view, else its bbox; false when it has neither. */
  function showView(next) {
    if (next.view) {
      app.map.setView([next.view.lat, next.view.lon], next.view.z, { animate: false });
    } else if (next.bbox) {
      const [west, south, east, north] = next.bbox;
      const bounds = window.L.latLngBounds([south, west], [north, east]);
      app.map.fitBounds(bounds, { animate: false });
    } else {
      return false;
    }
    return true;
  }

  function updateDownloads() {
    // The export endpoint streams every match: no page size, no cap.
    const { root, store } = app;
    const params = filterParams(store.state.filters);
    const geojson = apiUrl(root.dataset.exportUrl, params);
    const figures = apiUrl(root.dataset.statsPageUrl, params);
    params.set("format", "csv");
    const csv = apiUrl(root.dataset.exportUrl, params);
    setDownloads({ csv, geojson, figures });
  }

  function watchCopyLink() {
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
  }

  return {
    forgetFlagged,
    readAddress,
    rememberView,
    showView,
    updateDownloads,
    updatePermalink,
    watchCopyLink,
    writeHistory,
  };
}

/**
 * Name the flagged parameters in the status line, in the API's words (English,
 * as the API's documentation; each isolated left to right, so an Arabic line does
 * not reorder its punctuation).
 */
function showFlagged(flagged) {
  const named = Object.keys(flagged).map(
    (name) => `\u2066${name}: ${addressErrors[name]?.error || ""}\u2069`,
  );
  setStanding(
    named.length ? `${text.filter_error} ${named.join("; ")}. ${text.filter_left_out}` : "",
  );
}
