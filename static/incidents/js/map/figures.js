/**
 * The figures beside the map that follow the filters: the histogram under the map
 * (per day, over every date, so the brush can widen a range as well as narrow it)
 * and the sites' incident counts that size and label their icons.
 *
 * Each loader remembers its newest request, so an answer overtaken by a newer
 * filter change is dropped, and a failed request leaves the figure as it was: the
 * incident request reports bad filters and failures to the reader.
 */

import { fill, formatCount, getJson, label, text } from "./dom.js";
import { apiUrl, filterParams } from "../common/url_state.js";

const DATE_KEYS = ["date_from", "date_to"];

/** The filters without their date range. */
export function withoutDates(filters) {
  const rest = { ...filters };
  for (const key of DATE_KEYS) delete rest[key];
  return rest;
}

/** The histogram in words, for screen readers. */
export function describeTimeline(bins, interval) {
  if (!bins.length) return text.timeline_empty;
  return fill(text.timeline_description, {
    interval: label("interval", interval),
    from: new Date(bins[0].start * 86400000).toISOString().slice(0, 10),
    to: new Date((bins[bins.length - 1].end - 1) * 86400000).toISOString().slice(0, 10),
    count: formatCount(bins.reduce((sum, bin) => sum + bin.count, 0)),
  });
}

/**
 * `load(filters)`: redraw `timeline` (map/timeline.js) when the filters other than
 * dates changed since it was drawn, and show the filters' date range on it.
 */
export function createTimelineLoader(timeline, { timelineUrl }) {
  let drawnFor = null; // the filters the histogram was drawn for
  let newest = 0;
  return async function load(filters) {
    const range = { from: filters.date_from, to: filters.date_to };
    const params = filterParams(withoutDates(filters));
    const key = params.toString();
    if (key !== drawnFor) {
      const mine = ++newest;
      params.set("interval", "day");
      let data;
      try {
        data = await getJson(apiUrl(timelineUrl, params));
      } catch {
        return;
      }
      if (mine !== newest) return;
      drawnFor = key;
      timeline.update(data.results);
    }
    timeline.setRange(range);
  };
}

/** `load(filters)`: the sites' incident counts under `filters`, to `onCounts(Map)`. */
export function createSiteCountsLoader({ siteStatsUrl, onCounts }) {
  let newest = 0;
  return async function load(filters) {
    const mine = ++newest;
    let data;
    try {
      data = await getJson(apiUrl(siteStatsUrl, filterParams(filters)));
    } catch {
      return;
    }
    if (mine !== newest) return;
    onCounts(new Map(data.results.map((row) => [row.slug, row.incidents])));
  };
}
