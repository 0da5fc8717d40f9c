/**
 * The point picker on the admin's Site and Incident change forms.
 *
 * django-leaflet's {% leaflet_map %} tag creates the map on window load and calls
 * window.basewatchPointMap(map, options). The latitude/longitude inputs stay the one
 * source of truth (they are what the form posts): a click or a marker drag writes
 * them, typing in them moves the marker, and clearing either removes it. A value
 * that is not a number in WGS84 range leaves the marker where it was; the form
 * rejects such a value on save, so the map must not pretend it is a place.
 *
 * Which inputs to bind, the zoom for a placed point and the bundled basemap's URL
 * come from data- attributes on the element around the map ([data-point-map]). The
 * basemap (common/basemap.js, as on the public map) lies under the tiles, so an
 * editor still sees borders when the tiles cannot load.
 */

import { drawBasemap } from "../common/basemap.js";

const DECIMALS = 6;
const DEFAULT_POINT_ZOOM = 11;
const LIMITS = { lat: 90, lng: 180 };

/** "empty", "invalid" or a number, for one input. */
function readCoordinate(input, limit) {
  // A number input reports unparsable text ("3e") as value "", so ask validity
  // first: such text is a typo in progress, not a cleared field.
  if (input.validity && input.validity.badInput) {
    return "invalid";
  }
  const text = input.value.trim();
  if (text === "") {
    return "empty";
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value < -limit || value > limit) {
    return "invalid";
  }
  return value;
}

/** The point the inputs describe: { state: "empty" | "invalid" | "valid", latlng }. */
function readPoint(latInput, lngInput) {
  const lat = readCoordinate(latInput, LIMITS.lat);
  const lng = readCoordinate(lngInput, LIMITS.lng);
  // Half a pair is no point (the form says so too), so it shows no marker.
  if (lat === "empty" || lng === "empty") {
    return { state: "empty" };
  }
  if (lat === "invalid" || lng === "invalid") {
    return { state: "invalid" };
  }
  return { state: "valid", latlng: L.latLng(lat, lng) };
}

function rounded(latlng) {
  // wrap(): a click on a repeated world copy still gives a longitude in range.
  const wrapped = latlng.wrap();
  return L.latLng(
    Number(wrapped.lat.toFixed(DECIMALS)),
    Number(wrapped.lng.toFixed(DECIMALS)),
  );
}

function bindPointMap(map, panel) {
  const latInput = document.getElementById(panel.dataset.latitudeInput);
  const lngInput = document.getElementById(panel.dataset.longitudeInput);
  if (!latInput || !lngInput) {
    return null;
  }
  const pointZoom = Number(panel.dataset.pointZoom) || DEFAULT_POINT_ZOOM;
  let marker = null;

  function writeInputs(latlng) {
    latInput.value = latlng.lat.toFixed(DECIMALS);
    lngInput.value = latlng.lng.toFixed(DECIMALS);
    // Tell the form, as typing would: the incident form looks the point up.
    for (const input of [latInput, lngInput]) {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function placeMarker(latlng) {
    if (marker) {
      marker.setLatLng(latlng);
      return;
    }
    marker = L.marker(latlng, { draggable: true, autoPan: true }).addTo(map);
    marker.on("dragend", () => {
      const point = rounded(marker.getLatLng());
      marker.setLatLng(point);
      writeInputs(point);
    });
  }

  function removeMarker() {
    if (marker) {
      marker.remove();
      marker = null;
    }
  }

  map.on("click", (event) => {
    const point = rounded(event.latlng);
    placeMarker(point);
    writeInputs(point);
  });

  function followInputs() {
    const point = readPoint(latInput, lngInput);
    if (point.state === "empty") {
      removeMarker();
    } else if (point.state === "valid") {
      placeMarker(point.latlng);
      if (!map.getBounds().contains(point.latlng)) {
        map.panTo(point.latlng);
      }
    }
  }

  for (const input of [latInput, lngInput]) {
    input.addEventListener("input", followInputs);
    input.addEventListener("change", followInputs);
  }

  const initial = readPoint(latInput, lngInput);
  if (initial.state === "valid") {
    placeMarker(initial.latlng);
    map.setView(initial.latlng, pointZoom);
  }

  return {
    map,
    /** [lat, lng] of the marker, or null: for tests and the browser console. */
    markerLatLng() {
      if (!marker) {
        return null;
      }
      const { lat, lng } = marker.getLatLng();
      return [lat, lng];
    },
  };
}

// The callback django-leaflet's tag names; it must exist before window load, which
// a module script guarantees (modules run before DOMContentLoaded).
window.basewatchPointMap = (map) => {
  const panel = map.getContainer().closest("[data-point-map]");
  if (panel) {
    window.basewatchAdminMap = bindPointMap(map, panel);
    drawBasemap(map, panel.dataset.basemapUrl).then((drawn) => {
      if (drawn) panel.dataset.basemap = "ready";
    });
  }
};
