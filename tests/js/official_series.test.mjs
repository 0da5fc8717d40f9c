// The numbers behind the map's "Official totals beside ours" chart
// (static/incidents/js/map/official_series.js): pure functions, no DOM.
// Run: node --test tests/js/   (tests/project/test_js_units.py runs it with the suite).

import assert from "node:assert/strict";
import test from "node:test";

import {
  DRAWN_LEVELS,
  LEVELS,
  documentedOn,
  documentedSeries,
  hasSplit,
  officialPoints,
  summaryValues,
} from "../../static/incidents/js/map/official_series.js";

const split = (confirmed, reported, claimed, disputed) => ({
  confirmed,
  reported,
  claimed,
  disputed,
});

// As /api/v1/stats/official-totals/ answers: one documented row per as_of.
const OFFICIAL = [
  { as_of: "2023-10-31", reported_by: "Pentagon", total_attacks: 20 },
  { as_of: "2023-11-14", reported_by: "SOHR", total_attacks: null },
  { as_of: "2023-11-14", reported_by: "Pentagon (Singh)", total_attacks: 55 },
];
const DOCUMENTED = [
  { date: "2023-11-14", cumulative_incidents: 11, by_confidence: split(2, 3, 4, 2) },
  { date: "2023-10-31", cumulative_incidents: 8, by_confidence: split(2, 2, 3, 1) },
];

test("the levels are the API's four, confirmed and claimed drawn", () => {
  assert.deepEqual(LEVELS, ["confirmed", "reported", "claimed", "disputed"]);
  assert.deepEqual(DRAWN_LEVELS, ["confirmed", "claimed"]);
});

test("official points leave out totals that were not given", () => {
  assert.deepEqual(
    officialPoints(OFFICIAL).map((row) => row.reported_by),
    ["Pentagon", "Pentagon (Singh)"],
  );
  assert.deepEqual(officialPoints([{ as_of: "2023-11-01", total_attacks: 0 }]).length, 1);
});

test("documented series are in date order, split into confirmed and claimed", () => {
  assert.deepEqual(documentedSeries(DOCUMENTED), {
    all: [
      ["2023-10-31", 8],
      ["2023-11-14", 11],
    ],
    confirmed: [
      ["2023-10-31", 2],
      ["2023-11-14", 2],
    ],
    claimed: [
      ["2023-10-31", 3],
      ["2023-11-14", 4],
    ],
  });
});

test("documented series end with the last official total when asked", () => {
  const series = documentedSeries(DOCUMENTED, "2023-11-01");
  assert.deepEqual(series.all, [["2023-10-31", 8]]);
  assert.deepEqual(series.claimed, [["2023-10-31", 3]]);
});

test("rows without a split draw the documented total alone", () => {
  const old = DOCUMENTED.map(({ date, cumulative_incidents }) => ({
    date,
    cumulative_incidents,
  }));
  assert.equal(hasSplit(old), false);
  assert.equal(hasSplit([]), false);
  assert.equal(hasSplit(DOCUMENTED), true);
  assert.deepEqual(Object.keys(documentedSeries(old)), ["all"]);
  assert.deepEqual(documentedOn(old, "2023-11-14"), { total: 11, split: null });
});

test("what was documented by a date: that day, the last before, or nothing", () => {
  assert.deepEqual(documentedOn(DOCUMENTED, "2023-11-14"), {
    total: 11,
    split: split(2, 3, 4, 2),
  });
  assert.deepEqual(documentedOn(DOCUMENTED, "2023-11-13"), {
    total: 8,
    split: split(2, 2, 3, 1),
  });
  assert.deepEqual(documentedOn(DOCUMENTED, "2023-10-01"), {
    total: 0,
    split: split(0, 0, 0, 0),
  });
});

test("the split always has the four levels, adding up to the total", () => {
  const partial = [{ date: "2023-11-01", cumulative_incidents: 3, by_confidence: { claimed: 3 } }];
  const { total, split: levels } = documentedOn(partial, "2023-11-01");
  assert.deepEqual(Object.keys(levels), LEVELS);
  assert.equal(
    Object.values(levels).reduce((a, b) => a + b, 0),
    total,
  );
});

test("the sentence speaks of the latest official total with a number", () => {
  assert.deepEqual(summaryValues(OFFICIAL, DOCUMENTED), {
    official: 55,
    date: "2023-11-14",
    by: "Pentagon (Singh)",
    documented: 11,
    split: split(2, 3, 4, 2),
  });
  assert.equal(summaryValues([{ as_of: "2023-11-14", total_attacks: null }], DOCUMENTED), null);
  assert.equal(summaryValues([], []), null);
});
