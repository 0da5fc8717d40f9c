// The map's store (static/incidents/js/map/store.js): its modes, phases and the
// one request token that keeps an overtaken answer from drawing. Pure: no DOM.
// Run: node --test tests/js/   (tests/test_js_units.py runs it with the suite).

import assert from "node:assert/strict";
import test from "node:test";

import { MODES, PHASES, createStore } from "../../static/incidents/js/map/store.js";

const placed = (id) => ({
  id,
  geometry: { type: "Point", coordinates: [40, 35] },
  properties: { id, occurred_on: "2023-11-20" },
});
const unplaced = (id) => ({ id, geometry: null, properties: { id, occurred_on: "2023-11-01" } });
const answer = (count, features) => ({ count, features });

function storeWithLog(options = {}) {
  const changes = [];
  const store = createStore({ detailLimit: 3, firstPage: 2, onChange: (c) => changes.push(c), ...options });
  return { store, changes };
}

test("the store reads nothing at import and names its modes and phases", () => {
  assert.equal(typeof globalThis.document, "undefined");
  assert.deepEqual(MODES, ["detail", "clustered"]);
  assert.deepEqual(PHASES, ["loading", "ready", "error"]);
  const { store } = storeWithLog();
  assert.equal(store.state.mode, "detail");
  assert.equal(store.state.phase, "loading");
});

test("a stale answer is ignored: only the newest load's token may draw", () => {
  const { store } = storeWithLog();
  const first = store.begin("filters");
  const second = store.begin("filters"); // the reader changed a filter again
  assert.equal(store.isCurrent(first), false);
  assert.equal(store.isCurrent(second), true);

  assert.equal(store.matched(first, answer(9, [placed(1)])), false);
  assert.equal(store.state.matching, 0, "the stale answer changed nothing");
  assert.equal(store.state.mode, "detail");
  assert.equal(store.failed(first), false, "a stale failure is not reported");
  assert.equal(store.state.phase, "loading");
  assert.equal(store.settle(first), "stale");

  assert.equal(store.matched(second, answer(1, [placed(2)])), true);
  assert.equal(store.settle(second), "ready");
  assert.equal(store.state.phase, "ready");
});

test("a view load overtakes the previous view load, and a filter change both", () => {
  const { store } = storeWithLog();
  const load = store.begin("filters");
  store.matched(load, answer(10, [placed(1), placed(2)]));
  store.settle(load);
  const view = store.begin("view");
  const newerView = store.begin("view");
  const clusters = { count: 10, unplaced: 0 };
  assert.equal(store.viewed(view, { clusters, features: [placed(7)] }), false);
  assert.deepEqual(store.state.viewFeatures, []);
  store.begin("filters");
  assert.equal(store.viewed(newerView, { clusters, features: [placed(8)] }), false);
});

test("the count of matches sets the mode, and switches it back", () => {
  const { store, changes } = storeWithLog();
  const many = store.begin("filters");
  assert.equal(store.needsAll(2), false, "the first page holds them all");
  assert.equal(store.needsAll(3), true, "more than the first page, within the limit");
  assert.equal(store.needsAll(4), false, "past the limit: clustered, never all");
  store.matched(many, answer(4, [placed(1), unplaced(2)]));
  assert.equal(store.state.mode, "clustered");
  assert.equal(store.state.matching, 4);
  assert.deepEqual(store.state.unplaced.map((f) => f.id), [2]);
  assert.equal(store.settle(many), "ready");

  const few = store.begin("filters");
  store.matched(few, answer(3, [placed(1), placed(3), unplaced(2)]));
  assert.equal(store.state.mode, "detail");
  assert.equal(store.settle(few), "ready");
  assert.deepEqual(changes, [
    { mode: "clustered", phase: "loading" },
    { mode: "clustered", phase: "ready" },
    { mode: "clustered", phase: "loading" },
    { mode: "detail", phase: "loading" },
    { mode: "detail", phase: "ready" },
  ]);
});

test("features without a date are dropped from what is drawn", () => {
  const { store } = storeWithLog();
  const mine = store.begin("filters");
  const undated = { id: 5, geometry: null, properties: { id: 5, occurred_on: null } };
  store.matched(mine, answer(2, [placed(1), undated]));
  assert.deepEqual(store.state.incidents.map((f) => f.id), [1]);
});

test("phases: loading, then ready or error, for the current load only", () => {
  const { store } = storeWithLog();
  const mine = store.begin("filters");
  assert.equal(store.state.phase, "loading");
  assert.equal(store.failed(mine), true);
  assert.equal(store.state.phase, "error");
  const again = store.begin("filters");
  assert.equal(store.state.phase, "loading");
  store.matched(again, answer(0, []));
  assert.equal(store.settle(again), "ready");
  assert.equal(store.state.phase, "ready");
  assert.throws(() => store.begin("everything"));
});

test("a move re-reads the list in detail mode and loads the view when clustered", () => {
  const { store } = storeWithLog();
  assert.equal(store.moved(), "list");
  const mine = store.begin("filters");
  store.matched(mine, answer(50, [placed(1)]));
  store.settle(mine);
  assert.equal(store.moved(), "view");
  // While a state is applied, whoever applies it loads the view once after.
  assert.equal(store.quietly(() => store.moved()), "none");
  assert.equal(store.quietly(() => store.restoring), true);
  assert.equal(store.restoring, false);
});

test("a move during a clustered filters load waits for it, then loads the view", () => {
  const { store } = storeWithLog();
  const before = store.begin("filters");
  store.matched(before, answer(50, [placed(1)]));
  store.settle(before);

  const load = store.begin("filters");
  assert.equal(store.moved(), "none", "the load under way draws the view");
  assert.equal(store.isCurrent(load), true, "and is not overtaken by the move");
  store.matched(load, answer(60, [placed(1)]));
  store.viewAsked(); // its view requests are made from the map as it is now
  assert.equal(store.settle(load) === "ready", true, "moved before: nothing to redo");

  const next = store.begin("filters");
  store.matched(next, answer(70, [placed(1)]));
  store.viewAsked();
  assert.equal(store.moved(), "none");
  assert.equal(store.settle(next), "view", "moved under its view: load it again");
  assert.equal(store.state.phase, "loading");
  const view = store.begin("view");
  const clusters = { count: 12, unplaced: 3 };
  assert.equal(store.viewed(view, { clusters, features: [placed(9)] }), true);
  assert.equal(store.state.inViewCount, 12);
  assert.equal(store.state.unplacedCount, 3);
  assert.equal(store.settle(view), "ready");
});

test("clustered, the list is the view's newest then those without a point", () => {
  const { store } = storeWithLog();
  const mine = store.begin("filters");
  store.matched(mine, answer(40, [placed(1), unplaced(2)]));
  store.viewed(mine, { clusters: { count: 30, unplaced: 10 }, features: [placed(3)] });
  assert.equal(store.unplacedListed(mine, answer(10, [unplaced(4), unplaced(5)])), true);
  assert.deepEqual(store.listed().map((f) => f.id), [3, 4, 5]);
  assert.equal(store.state.unplacedCount, 10);
});

test("view answers are ignored once the filters select few enough for detail", () => {
  const { store } = storeWithLog();
  const mine = store.begin("filters");
  store.matched(mine, answer(2, [placed(1)]));
  assert.equal(store.state.mode, "detail");
  assert.equal(store.viewed(mine, { clusters: { count: 2, unplaced: 0 }, features: [] }), false);
  assert.equal(store.unplacedListed(mine, answer(0, [])), false);
});
