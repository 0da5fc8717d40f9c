// The map's address beyond the filters (static/incidents/js/common/url_state.js):
// a bbox as the view, and the bad parameters the server names (flagged), kept in
// the address as given until the reader changes that filter. Pure, no browser.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import test from "node:test";

import {
  flaggedParams,
  keepFlagged,
  parseBbox,
  readState,
  stateQuery,
  withoutFlagged,
} from "../../static/incidents/js/common/url_state.js";

test("a bbox is read as the API writes it: minlon,minlat,maxlon,maxlat", () => {
  assert.deepEqual(readState("?bbox=38.5,33,41,36.8").bbox, [38.5, 33, 41, 36.8]);
  assert.deepEqual(parseBbox(" 38.5 , 33,41,36.8"), [38.5, 33, 41, 36.8]);
  assert.equal(readState("").bbox, null);
});

test("a box that is not one is no view", () => {
  for (const raw of ["", "1,2,3", "1,2,3,4,5", "a,2,3,4", "41,33,38,36", "38,36,41,33",
    "38,33,181,36", "38,-91,41,36", "38,,41,36", "Infinity,1,2,3"]) {
    assert.equal(parseBbox(raw), null, raw);
  }
});

const errors = {
  weapon: { value: "laser", error: "'laser' is not one of rocket, drone" },
  date_from: { value: "2023-13-45", error: "not a date" },
};

test("the parameters the server named are flagged with the address's own text", () => {
  const search = "?weapon=laser&date_from=2023-13-45&q=omar";
  assert.deepEqual(flaggedParams(search, errors), {
    weapon: "laser",
    date_from: "2023-13-45",
  });
  // A later entry of the history no longer holds the bad value: not flagged.
  assert.deepEqual(flaggedParams("?weapon=drone", errors), {});
  assert.deepEqual(flaggedParams("?weapon=laser", {}), {});
  assert.deepEqual(flaggedParams("?weapon=laser", undefined), {});
});

test("a flagged filter is not applied, and a flagged bbox is no view", () => {
  const state = readState("?weapon=laser&q=omar&bbox=38,33,41,36");
  const flagged = { weapon: "laser", bbox: "38,33,41,36" };
  const next = withoutFlagged(state, flagged);
  assert.deepEqual(next.filters, { q: "omar" });
  assert.equal(next.bbox, null);
  assert.deepEqual(next.flagged, flagged);
  // The state read is left as it was.
  assert.deepEqual(state.filters.weapon, ["laser"]);
});

test("flagged values stay in the address as given, beside the good filters", () => {
  const query = stateQuery({
    filters: { q: "omar" },
    flagged: { weapon: "laser", date_from: "2023-13-45" },
    view: { lat: 35, lon: 40, z: 7 },
    incident: null,
  });
  const params = new URLSearchParams(query);
  assert.equal(params.get("weapon"), "laser");
  assert.equal(params.get("date_from"), "2023-13-45");
  assert.equal(params.get("q"), "omar");
  assert.equal(params.get("z"), "7");
});

test("a bbox stands for the view in the address until it is cleared", () => {
  const boxed = new URLSearchParams(
    stateQuery({ filters: {}, bbox: [38.5, 33, 41, 36.8], view: { lat: 35, lon: 40, z: 7 } }),
  );
  assert.equal(boxed.get("bbox"), "38.5,33,41,36.8");
  assert.equal(boxed.get("lat"), null);
  // A bad bbox is kept as given; the view is not written beside it.
  const bad = new URLSearchParams(
    stateQuery({ filters: {}, flagged: { bbox: "1,2" }, view: { lat: 35, lon: 40, z: 7 } }),
  );
  assert.equal(bad.get("bbox"), "1,2");
  assert.equal(bad.get("z"), null);
  const moved = new URLSearchParams(
    stateQuery({ filters: {}, bbox: null, view: { lat: 35, lon: 40, z: 7 } }),
  );
  assert.equal(moved.get("bbox"), null);
  assert.equal(moved.get("lat"), "35.0000");
});

test("a flag goes when the reader changes that filter, or clears them all", () => {
  const flagged = { weapon: "laser", date_from: "2023-13-45", bbox: "1,2" };
  // Another filter changed: both bad filters stay.
  assert.deepEqual(keepFlagged(flagged, {}, { q: "omar" }), flagged);
  // The weapon changed: its flag goes, the others stay.
  assert.deepEqual(keepFlagged(flagged, {}, { weapon: ["drone"] }), {
    date_from: "2023-13-45",
    bbox: "1,2",
  });
  assert.deepEqual(
    keepFlagged(flagged, { date_from: "2023-01-01" }, {}),
    { weapon: "laser", bbox: "1,2" },
  );
  assert.deepEqual(keepFlagged(flagged, {}, {}, { cleared: true }), {});
  assert.deepEqual(keepFlagged(undefined, {}, { q: "x" }), {});
});
