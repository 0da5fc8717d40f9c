/**
 * Opening an incident on the map, per mode: "detail", the popup bound to its
 * marker (flying there when asked); "clustered", a popup standing on its own at
 * its point, since it may sit inside a cluster or not be loaded at all. An
 * incident without a point opens in the panel's "Location unknown" instead.
 *
 * Esc closes a popup and goes back to the list item it was opened from.
 *
 * `app` is main.js's: {root, store, map, markers}.
 */

import { getJson } from "./dom.js";
import { POPUP_OPTIONS } from "./markers.js";
import { openUnplaced } from "./panel.js";
import { incidentDetails } from "./popup.js";
import { FOCUS_ZOOM } from "./view.js";

export function createOpener(app) {
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  /** A popup of its own (not bound to a marker) for an incident at `latlng`. */
  function openLoosePopup(props, latlng) {
    const popup = window.L.popup(POPUP_OPTIONS)
      .setLatLng(latlng)
      .setContent(() => incidentDetails(props));
    popup.incidentId = props.id;
    popup.precisionM = props.precision_m;
    app.map.openPopup(popup);
    return popup;
  }

  const byMode = {
    detail(id, { fly }) {
      const { map } = app;
      const marker = app.markers.get(id);
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
    },

    async clustered(id, { fly }) {
      const { map, store } = app;
      let feature = [...store.state.viewFeatures, ...store.state.incidents].find(
        (f) => f.id === id,
      );
      if (!feature) {
        try {
          feature = await getJson(`${app.root.dataset.incidentsUrl}${id}/`);
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
    },
  };

  /**
   * Open an incident: its popup when it has a point, else its details in the
   * panel. Resolves false when there is nothing to open.
   */
  async function openIncident(id, { fly = false } = {}) {
    return byMode[app.store.state.mode](id, { fly });
  }

  /** From the list: close what is open, go to the incident and open it. */
  function focusIncident(id) {
    app.map.closePopup();
    openIncident(id, { fly: true });
  }

  /**
   * Esc on an open popup closes it and, when it was opened from the list, takes
   * focus back there. In the capture phase, before Leaflet's own Escape handler
   * on the map closes the popup: we need to know it was open, and where focus was.
   */
  function watchEscape() {
    document.addEventListener(
      "keydown",
      (event) => {
        const { map } = app;
        if (event.key !== "Escape" || !map) return;
        if (!map.getContainer().querySelector(".leaflet-popup")) return;
        const id = app.store.state.incident;
        const focusInMap = map.getContainer().contains(document.activeElement);
        map.closePopup();
        const item = document.querySelector(`#bw-list li[data-incident-id="${id}"] button`);
        if (item && focusInMap) item.focus();
      },
      true,
    );
  }

  return { focusIncident, openIncident, openLoosePopup, watchEscape };
}
