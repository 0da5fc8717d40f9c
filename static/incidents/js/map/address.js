/**
 * The address bar holds the whole view (common/url_state.js): a filter change
 * pushes a history entry, moving the map or opening an incident replaces the
 * current one (main.js restores an entry on back/forward). The permalink box and
 * its copy button show the same address.
 *
 * `app` is main.js's: {store, map}.
 */

import { text } from "./dom.js";
import { stateQuery } from "../common/url_state.js";

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

  /** Keep the map's centre and zoom in the store. */
  function rememberView() {
    if (!app.map) return;
    const centre = app.map.getCenter();
    app.store.state.view = { lat: centre.lat, lon: centre.lng, z: app.map.getZoom() };
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

  return { rememberView, updatePermalink, watchCopyLink, writeHistory };
}
