/**
 * What the reader sees, as a URL query string and back: the filters (named and
 * formatted as the API takes them, so they can be passed straight through), the
 * map's centre and zoom, and the open incident.
 *
 *   ?weapon=drone,rocket&date_from=2023-11-01&lat=35.1&lon=40.5&z=8&incident=42
 *
 * A link may give the view as the API's box instead, `bbox=minlon,minlat,maxlon,
 * maxlat`: the map fits it on load and keeps it in the address until the reader
 * moves the map (then the view is centre and zoom again, as for every move).
 *
 * Values from the address bar are untrusted; the view and incident are checked
 * here. Filter values (and bbox) are checked by the API's own rules on the server
 * (incidents/pages/address.py), which names the bad ones to the page; those are
 * `flagged` here: kept in the address as given, until the reader changes that
 * filter, and never sent to the API.
 *
 * Pure: the address is passed in (readState's default reads it only when called),
 * so this is unit-tested without a browser.
 */

import { queryString } from "./api.js";

export { apiUrl, queryString } from "./api.js";

export const FILTER_KEYS = [
  "q",
  "weapon",
  "actor",
  "site",
  "country",
  "confidence",
  "date_from",
  "date_to",
];
/** Filters that are comma-separated lists ("any of"); the others are one value. */
export const LIST_KEYS = new Set(["weapon", "confidence"]);

function number(params, name, min, max) {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= min && value <= max ? value : null;
}

export function readState(search = globalThis.location?.search || "") {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const key of FILTER_KEYS) {
    const raw = (params.get(key) || "").trim();
    if (!raw) continue;
    if (LIST_KEYS.has(key)) {
      const items = [...new Set(raw.split(",").map((s) => s.trim()).filter(Boolean))];
      if (items.length) filters[key] = items;
    } else {
      filters[key] = raw;
    }
  }
  const lat = number(params, "lat", -90, 90);
  const lon = number(params, "lon", -180, 180);
  const z = number(params, "z", 0, 24);
  const view = lat !== null && lon !== null && z !== null ? { lat, lon, z } : null;
  const incident = /^[0-9]{1,18}$/.test(params.get("incident") || "")
    ? Number(params.get("incident"))
    : null;
  return { filters, view, incident, bbox: parseBbox(params.get("bbox")) };
}

/** `minlon,minlat,maxlon,maxlat` as four numbers, or null (the server says why). */
export function parseBbox(raw) {
  const parts = (raw || "").split(",").map((part) => part.trim());
  if (parts.length !== 4 || parts.some((part) => part === "")) return null;
  const box = parts.map(Number);
  if (!box.every(Number.isFinite)) return null;
  const [west, south, east, north] = box;
  const inRange = Math.abs(west) <= 180 && Math.abs(east) <= 180 && Math.abs(south) <= 90;
  return inRange && Math.abs(north) <= 90 && west <= east && south <= north ? box : null;
}

/**
 * The parameters of `search` the server found bad (`errors`: name -> {value,
 * error}), as they stand in it: name -> value. One whose value the address no
 * longer holds (a later history entry) is not flagged.
 */
export function flaggedParams(search, errors) {
  const params = new URLSearchParams(search);
  const flagged = {};
  for (const [name, { value }] of Object.entries(errors || {})) {
    const raw = params.get(name);
    if (raw !== null && raw.trim() === String(value).trim()) flagged[name] = raw;
  }
  return flagged;
}

/** `state` without the flagged parameters: none of them is applied. */
export function withoutFlagged(state, flagged) {
  const filters = { ...state.filters };
  for (const name of Object.keys(flagged)) delete filters[name];
  return { ...state, filters, bbox: "bbox" in flagged ? null : state.bbox, flagged };
}

/**
 * What stays flagged when the reader changes the filters from `before` to
 * `after` (or clears them all): those whose filter did not change.
 */
export function keepFlagged(flagged, before, after, { cleared = false } = {}) {
  if (cleared) return {};
  const kept = {};
  for (const [name, value] of Object.entries(flagged || {})) {
    const changed =
      FILTER_KEYS.includes(name) &&
      filterParams({ [name]: before[name] }).toString() !==
        filterParams({ [name]: after[name] }).toString();
    if (!changed) kept[name] = value;
  }
  return kept;
}

/** The filters as API query parameters (empty ones left out: the API rejects them). */
export function filterParams(filters) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value === undefined || value === null) continue;
    const joined = Array.isArray(value) ? value.join(",") : String(value).trim();
    if (joined) params.set(key, joined);
  }
  return params;
}

export function stateQuery(state) {
  const params = filterParams(state.filters);
  for (const [name, value] of Object.entries(state.flagged || {})) {
    if (!params.has(name)) params.set(name, value);
  }
  if (state.bbox && !params.has("bbox")) {
    params.set("bbox", state.bbox.join(","));
  } else if (state.view && !params.has("bbox")) {
    params.set("lat", state.view.lat.toFixed(4));
    params.set("lon", state.view.lon.toFixed(4));
    params.set("z", String(Math.round(state.view.z * 100) / 100));
  }
  if (state.incident !== null && state.incident !== undefined) {
    params.set("incident", String(state.incident));
  }
  return queryString(params);
}

export function sameFilters(a, b) {
  return filterParams(a).toString() === filterParams(b).toString();
}
