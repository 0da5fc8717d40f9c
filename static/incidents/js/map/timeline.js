/**
 * The timeline under the map: a histogram of the filtered incidents per day, week
 * or month, and a brush. Dragging across it chooses a date range, which becomes the
 * date_from/date_to filters (so map, list, totals and address bar follow); a click
 * without a drag clears it. The date inputs in the filter form hold the same range,
 * so the keyboard reaches it there.
 *
 * The histogram shows every date the other filters allow, not only the chosen
 * range, so the range can be widened again from where it is drawn.
 *
 * Dates are calendar days ("YYYY-MM-DD") and all arithmetic is in UTC, so no time
 * zone or daylight saving change can move a bar.
 */

import { svgNode } from "./dom.js";

const DAY_MS = 86400000;
const HEIGHT = 64;
const AXIS = 16; // room for the first and last date under the bars
/** Spans up to this many days are drawn per day, then per week, then per month. */
const DAILY_UP_TO = 120;
const WEEKLY_UP_TO = 3 * 366;
/** A drag shorter than this (pixels) is a click, which clears the range. */
const CLICK_PX = 4;

export function dayNumber(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function isoDay(number) {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday (ISO week start) on or before the day. */
function weekStart(number) {
  const weekday = (new Date(number * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
  return number - weekday;
}

function monthStart(number) {
  const date = new Date(number * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
}

function nextMonth(number) {
  const date = new Date(number * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}

/**
 * Daily rows from the API ({period, incidents}, empty days left out) as bins of
 * {start, end (exclusive), count}, every bin present from the first to the last.
 */
export function binRows(rows) {
  if (!rows.length) return { interval: "day", bins: [] };
  const days = rows.map((row) => [dayNumber(row.period), row.incidents]);
  const first = days[0][0];
  const last = days[days.length - 1][0];
  const span = last - first + 1;
  const interval = span <= DAILY_UP_TO ? "day" : span <= WEEKLY_UP_TO ? "week" : "month";
  const startOf = { day: (d) => d, week: weekStart, month: monthStart }[interval];
  const after = { day: (d) => d + 1, week: (d) => d + 7, month: nextMonth }[interval];
  const counts = new Map();
  for (const [day, count] of days) {
    const start = startOf(day);
    counts.set(start, (counts.get(start) || 0) + count);
  }
  const bins = [];
  for (let start = startOf(first); start <= last; start = after(start)) {
    bins.push({ start, end: after(start), count: counts.get(start) || 0 });
  }
  return { interval, bins };
}

/**
 * A timeline drawn into `container`. `onChange({from, to})` (inclusive ISO days)
 * or `onChange(null)` reports the reader's brush; `describe(bins, interval)` gives
 * the chart's accessible name. Returns {update(rows), setRange(range)}.
 */
export function createTimeline(container, { onChange, describe }) {
  let bins = [];
  let interval = "day";
  let range = null; // {from, to} as day numbers, inclusive
  let drag = null;
  const svg = svgNode("svg", { class: "bw-tl-svg", role: "img", height: HEIGHT });
  const title = svgNode("title");
  const bars = svgNode("g", { class: "bw-tl-bars" });
  const selection = svgNode("rect", { class: "bw-tl-selection", y: 0 });
  const axis = svgNode("g", { class: "bw-tl-axis" });
  svg.append(title, bars, selection, axis);
  container.append(svg);

  const width = () => Math.max(container.clientWidth, 100);
  const domain = () =>
    bins.length ? [bins[0].start, bins[bins.length - 1].end] : [0, 1];
  const xOf = (day) => {
    const [lo, hi] = domain();
    return ((day - lo) / (hi - lo)) * width();
  };
  const dayAt = (x) => {
    const [lo, hi] = domain();
    const clamped = Math.min(Math.max(x, 0), width() - 0.001);
    return lo + (clamped / width()) * (hi - lo);
  };
  const binAt = (x) => {
    const day = dayAt(x);
    return bins.find((bin) => day >= bin.start && day < bin.end) || null;
  };

  function drawSelection() {
    const shown = drag ? drag.range : range;
    if (!shown || !bins.length) {
      selection.setAttribute("width", "0");
      selection.removeAttribute("data-from");
      selection.removeAttribute("data-to");
      for (const bar of bars.children) bar.classList.remove("bw-tl-in");
      return;
    }
    const x0 = xOf(Math.max(shown.from, domain()[0]));
    const x1 = xOf(Math.min(shown.to + 1, domain()[1]));
    selection.setAttribute("x", String(Math.min(x0, x1)));
    selection.setAttribute("width", String(Math.max(Math.abs(x1 - x0), 1)));
    selection.setAttribute("height", String(HEIGHT - AXIS));
    selection.dataset.from = isoDay(shown.from);
    selection.dataset.to = isoDay(shown.to);
    for (const bar of bars.children) {
      const start = dayNumber(bar.dataset.start);
      const last = dayNumber(bar.dataset.end); // inclusive, as the range is
      bar.classList.toggle("bw-tl-in", start <= shown.to && last >= shown.from);
    }
  }

  function draw() {
    const w = width();
    svg.setAttribute("width", String(w));
    svg.setAttribute("viewBox", `0 0 ${w} ${HEIGHT}`);
    title.textContent = describe(bins, interval);
    const max = Math.max(1, ...bins.map((bin) => bin.count));
    const plot = HEIGHT - AXIS - 2;
    bars.replaceChildren();
    for (const bin of bins) {
      const x = xOf(bin.start);
      const barWidth = Math.max(xOf(bin.end) - x - 1, 1);
      const height = bin.count ? Math.max((bin.count / max) * plot, 2) : 0;
      const bar = svgNode("rect", {
        class: "bw-tl-bar",
        x,
        y: HEIGHT - AXIS - height,
        width: barWidth,
        height,
      });
      bar.dataset.start = isoDay(bin.start);
      bar.dataset.end = isoDay(bin.end - 1);
      bar.dataset.count = String(bin.count);
      bars.append(bar);
    }
    axis.replaceChildren();
    if (bins.length) {
      const [lo, hi] = domain();
      const first = svgNode("text", { x: 2, y: HEIGHT - 4, class: "bw-tl-tick" });
      first.textContent = isoDay(lo);
      const last = svgNode("text", {
        x: w - 2,
        y: HEIGHT - 4,
        class: "bw-tl-tick bw-tl-tick-end",
      });
      last.textContent = isoDay(hi - 1);
      axis.append(first, last);
    }
    drawSelection();
  }

  function rangeBetween(xa, xb) {
    const a = binAt(Math.min(xa, xb));
    const b = binAt(Math.max(xa, xb));
    if (!a || !b) return null;
    return { from: a.start, to: b.end - 1 };
  }

  svg.addEventListener("pointerdown", (event) => {
    if (!bins.length || event.button !== 0) return;
    svg.setPointerCapture(event.pointerId);
    const x = event.offsetX;
    drag = { x0: x, x1: x, range: rangeBetween(x, x) };
    drawSelection();
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    drag.x1 = event.offsetX;
    drag.range = rangeBetween(drag.x0, drag.x1);
    drawSelection();
  });
  const finish = (event) => {
    if (!drag) return;
    const { x0 } = drag;
    const moved = Math.abs(event.offsetX - x0) >= CLICK_PX;
    const chosen = moved ? rangeBetween(x0, event.offsetX) : null;
    drag = null;
    range = chosen;
    drawSelection();
    onChange(chosen ? { from: isoDay(chosen.from), to: isoDay(chosen.to) } : null);
  };
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", () => {
    drag = null;
    drawSelection();
  });
  new ResizeObserver(() => draw()).observe(container);

  return {
    /** New daily rows (the filters without their date range). */
    update(rows) {
      ({ interval, bins } = binRows(rows));
      container.dataset.interval = interval;
      draw();
    },
    /** The range the filters hold now ({from, to} ISO days, either may be absent). */
    setRange(next) {
      if (!next || (!next.from && !next.to)) {
        range = null;
      } else {
        const [lo, hi] = domain();
        range = {
          from: next.from ? dayNumber(next.from) : lo,
          to: next.to ? dayNumber(next.to) : hi - 1,
        };
      }
      drawSelection();
    },
  };
}
