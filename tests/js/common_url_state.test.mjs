// The address bar's state (static/incidents/js/common/url_state.js) and API URLs
// (common/api.js): pure, the address passed in. Values from the address bar are
// untrusted: a view or incident that is not one is dropped.
// Run: node --test tests/js/   (tests/test_js_units.py runs it with the suite).

import assert from "node:assert/strict";
import test from "node:test";

import {
  apiUrl,
  filterParams,
  readState,
  sameFilters,
  stateQuery,
} from "../../static/incidents/js/common/url_state.js";

test("an address reads back into filters, a view and an incident", () => {
  const state = readState(
    "?weapon=drone,rocket,drone&q=%20omar%20&lat=35.1&lon=40.5&z=8&incident=42&x=1",
  );
  assert.deepEqual(state.filters, { q: "omar", weapon: ["drone", "rocket"] });
  assert.deepEqual(state.view, { lat: 35.1, lon: 40.5, z: 8 });
  assert.equal(state.incident, 42);
});

test("a view out of range or an incident that is not an id is dropped", () => {
  assert.equal(readState("?lat=95&lon=40&z=8").view, null);
  assert.equal(readState("?lat=35&lon=40").view, null);
  assert.equal(readState("?incident=1e3").incident, null);
  assert.equal(readState("?incident=-1").incident, null);
  assert.equal(readState("").incident, null);
});

test("the state writes back as a readable query", () => {
  const query = stateQuery({
    filters: { weapon: ["drone", "rocket"], date_from: "2023-11-01", q: " " },
    view: { lat: 35.123456, lon: 40.5, z: 8.256 },
    incident: 7,
  });
  assert.equal(
    query,
    "?weapon=drone,rocket&date_from=2023-11-01&lat=35.1235&lon=40.5000&z=8.26&incident=7",
  );
  assert.equal(stateQuery({ filters: {}, view: null, incident: null }), "");
  assert.deepEqual(readState(query).filters, { weapon: ["drone", "rocket"], date_from: "2023-11-01" });
});

test("filters compare by what the API is sent", () => {
  assert.equal(sameFilters({ weapon: ["drone"] }, { weapon: ["drone"], q: "" }), true);
  assert.equal(sameFilters({ weapon: ["drone"] }, { weapon: ["rocket"] }), false);
  assert.equal(filterParams({ site: "al-omar", unknown: "x" }).toString(), "site=al-omar");
});

test("an API URL keeps its path and takes extra parameters", () => {
  const here = "https://basewatch.example/sites/al-omar/";
  assert.equal(
    apiUrl("/api/v1/incidents/?located=false", { site: "al-omar", page_size: "10" }, here),
    "/api/v1/incidents/?located=false&site=al-omar&page_size=10",
  );
  assert.equal(
    apiUrl("/api/v1/stats/", [["weapon", "drone,rocket"]], here),
    "/api/v1/stats/?weapon=drone,rocket",
  );
});
