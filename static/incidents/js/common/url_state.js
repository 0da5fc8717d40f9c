/**
 * What the reader sees, as a URL query string and back: the filters (named and
 * formatted as the API takes them, so they can be passed straight through), the
 * map's centre and zoom, and the open incident.
 *
 *   ?weapon=drone,rocket&date_from=2023-11-01&lat=35.1&lon=40.5&z=8&incident=42
 *
 * Values from the address bar are untrusted; the view and incident are checked
 * here, and filter values are left to the API, which answers a bad one with a 400
 * naming it (shown to the reader).
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
  return { filters, view, incident };
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
  if (state.view) {
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
