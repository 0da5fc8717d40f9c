/**
 * What the map is doing, in one place: the reader's view (filters, map view, open
 * incident), the mode its incidents are drawn in, the phase of the newest load and
 * the ONE request token that says which answer may still draw.
 *
 *   mode   "detail"     every match is fetched and drawn one by one (up to
 *                       `detailLimit`); moving the map only re-reads the list.
 *          "clustered"  more match: each view asks the server for its clusters.
 *   phase  "loading" | "ready" | "error", of the newest load.
 *
 * A load is `begin("filters")` (what the filters select, then, clustered, the
 * view) or `begin("view")` (clustered: one view). Each begin takes a new token and
 * every answer is checked with `isCurrent(token)`, so an answer overtaken by a
 * newer load never draws. A map move during a filters load does not start a view
 * load of its own: the filters load draws the view it finds, and when the map
 * moved under its view requests, `settle()` says to load the view again.
 *
 * Pure: no DOM, nothing read at import (tests/js/map_store.test.mjs runs it in
 * Node). main.js mirrors `mode` and `phase` onto #bw-app through `onChange`.
 */

export const MODES = Object.freeze(["detail", "clustered"]);
export const PHASES = Object.freeze(["loading", "ready", "error"]);

export function createStore({ detailLimit, firstPage, onChange = () => {} }) {
  const limit = detailLimit;
  const first = firstPage ?? Math.min(200, limit);
  let token = 0;
  let loading = null; // what the current token loads: "filters", "view" or null
  let movedWhileLoading = false;
  let restoring = 0;

  const state = {
    mode: "detail",
    phase: "loading",
    filters: {},
    view: null, // {lat, lon, z}
    incident: null, // the open incident's id
    matching: 0, // incidents the filters select, placed or not
    incidents: [], // the first page's (detail: every) features, newest first
    viewFeatures: [], // clustered: the incidents fetched for the current view
    unplaced: [], // the (newest) matching incidents without a point
    unplacedCount: 0, // how many match without a point, in all
    inViewCount: 0, // clustered: how many are placed in the view, in all
  };

  function set(changes) {
    const before = { mode: state.mode, phase: state.phase };
    Object.assign(state, changes);
    if (before.mode !== state.mode || before.phase !== state.phase) {
      onChange({ mode: state.mode, phase: state.phase });
    }
  }

  return {
    state,
    detailLimit: limit,
    firstPage: first,

    get token() {
      return token;
    },
    get restoring() {
      return restoring > 0;
    },

    /** Run `fn` while a state is applied: no history written, no view loaded. */
    quietly(fn) {
      restoring += 1;
      try {
        return fn();
      } finally {
        restoring -= 1;
      }
    },

    /** Start a load ("filters" or "view"); returns its token. */
    begin(kind) {
      if (kind !== "filters" && kind !== "view") throw new Error(`no load ${kind}`);
      token += 1;
      loading = kind;
      movedWhileLoading = false;
      set({ phase: "loading" });
      return token;
    },

    /** Whether an answer to the load of `mine` may still draw. */
    isCurrent(mine) {
      return mine === token;
    },

    /** Whether the first page's count needs every match fetched to draw them. */
    needsAll(count) {
      return count > first && count <= limit;
    },

    /** Whether a view holding `count` placed incidents is drawn one by one. */
    drawsSingly(count) {
      return count <= limit;
    },

    /**
     * The answer to the filters: sets the mode from its count and keeps its
     * dated features. False (and nothing changed) when the answer is stale.
     */
    matched(mine, data) {
      if (!this.isCurrent(mine)) return false;
      const incidents = data.features.filter((f) => f.properties && f.properties.occurred_on);
      const unplaced = incidents.filter((f) => !f.geometry);
      set({
        mode: data.count > limit ? "clustered" : "detail",
        matching: data.count,
        incidents,
        viewFeatures: [],
        unplaced,
        unplacedCount: unplaced.length,
        inViewCount: 0,
      });
      return true;
    },

    /** Clustered: one view's answer (its clusters' totals, its newest incidents). */
    viewed(mine, { clusters, features }) {
      if (!this.isCurrent(mine) || state.mode !== "clustered") return false;
      set({
        viewFeatures: features,
        unplacedCount: clusters.unplaced,
        inViewCount: clusters.count,
      });
      return true;
    },

    /** Clustered: the newest incidents without a point (the view counts them all). */
    unplacedListed(mine, data) {
      if (!this.isCurrent(mine) || state.mode !== "clustered") return false;
      set({ unplaced: data.features });
      return true;
    },

    /** The view's requests are being made now, from the map as it is. */
    viewAsked() {
      movedWhileLoading = false;
    },

    /**
     * The map's view changed (a move, or back/forward): "list" (re-read the list),
     * "view" (load the view) or "none" (a load under way draws it).
     */
    moved() {
      if (state.mode === "detail") return "list";
      if (restoring) return "none"; // whoever applies the state loads the view after
      if (loading === "filters" && state.phase === "loading") {
        movedWhileLoading = true;
        return "none";
      }
      return "view";
    },

    /**
     * The load of `mine` is done: "stale" when a newer one began, "view" when the
     * map moved under a clustered filters load (load the view again), else "ready".
     */
    settle(mine) {
      if (!this.isCurrent(mine)) return "stale";
      if (movedWhileLoading && state.mode === "clustered") {
        movedWhileLoading = false;
        return "view";
      }
      loading = null;
      set({ phase: "ready" });
      return "ready";
    },

    /** The load of `mine` failed: true when it is current (the reader is told). */
    failed(mine) {
      if (!this.isCurrent(mine)) return false;
      loading = null;
      set({ phase: "error" });
      return true;
    },

    /** Clustered: the list's features, the view's newest then those without a point. */
    listed() {
      return [...state.viewFeatures, ...state.unplaced];
    },
  };
}
