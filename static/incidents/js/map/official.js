/**
 * "Official totals beside ours": the running totals of attacks that officials
 * published (the series of data/aggregates.csv, from /api/v1/stats/official-totals/)
 * against the running count of attacks documented here, one by one, with sources
 * (published incidents of type attack, whatever the filters). The gap is how much
 * of what officials count has not been documented incident by incident.
 *
 * The sentence under the chart says the same as the chart, for screen readers and
 * for anyone who would rather read than estimate from lines.
 */

import { dayNumber, isoDay } from "./timeline.js";
import { el, fill, formatCount, getJson, svgNode, text } from "./dom.js";
import { apiUrl } from "./state.js";

const WIDTH = 320;
const HEIGHT = 140;
const PAD = { left: 30, right: 8, top: 8, bottom: 18 };

/** Daily timeline rows as running totals: [[day number, total so far], ...]. */
export function runningTotals(rows) {
  let total = 0;
  return rows.map((row) => {
    total += row.incidents;
    return [dayNumber(row.period), total];
  });
}

/** How many were documented on or before `day` (a day number). */
export function documentedBy(running, day) {
  let count = 0;
  for (const [when, total] of running) {
    if (when > day) break;
    count = total;
  }
  return count;
}

function stepPath(points, x, y) {
  if (!points.length) return "";
  const parts = [`M${x(points[0][0])},${y(0)}`, `L${x(points[0][0])},${y(points[0][1])}`];
  for (let i = 1; i < points.length; i += 1) {
    parts.push(`L${x(points[i][0])},${y(points[i - 1][1])}`);
    parts.push(`L${x(points[i][0])},${y(points[i][1])}`);
  }
  return parts.join(" ");
}

/**
 * Draw into `container`: `official` are the API's rows (those with a total of
 * attacks are drawn), `documented` daily timeline rows of our published attacks.
 */
export function renderOfficialTotals(container, { official, documented }) {
  const published = official
    .filter((row) => row.total_attacks !== null && row.total_attacks !== undefined)
    .map((row) => ({ ...row, day: dayNumber(row.as_of) }));
  const running = runningTotals(documented);
  container.replaceChildren();
  if (!published.length) {
    container.append(el("p", { className: "bw-note" }, text.official_none));
    return;
  }
  const days = [...published.map((row) => row.day), ...running.map(([d]) => d)];
  const lo = Math.min(...days);
  const hi = Math.max(...days, lo + 1);
  const top = Math.max(
    ...published.map((row) => row.total_attacks),
    running.length ? running[running.length - 1][1] : 0,
    1,
  );
  const x = (day) =>
    PAD.left + ((day - lo) / (hi - lo)) * (WIDTH - PAD.left - PAD.right);
  const y = (value) => HEIGHT - PAD.bottom - (value / top) * (HEIGHT - PAD.top - PAD.bottom);

  const latest = published[published.length - 1];
  const summary = fill(text.official_summary, {
    official: formatCount(latest.total_attacks),
    date: latest.as_of,
    by: latest.reported_by,
    documented: formatCount(documentedBy(running, latest.day)),
  });
  const svg = svgNode("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": summary,
  });
  const axis = svgNode("g", { class: "bw-official-axis" });
  axis.append(
    svgNode("line", {
      x1: PAD.left,
      x2: WIDTH - PAD.right,
      y1: y(0),
      y2: y(0),
      stroke: "#8a949e",
    }),
  );
  for (const [value, anchor] of [
    [0, y(0)],
    [top, y(top)],
  ]) {
    const tick = svgNode("text", {
      x: PAD.left - 4,
      y: anchor + 4,
      "text-anchor": "end",
      "font-size": 10,
    });
    tick.textContent = formatCount(value);
    axis.append(tick);
  }
  for (const [day, anchor] of [
    [lo, "start"],
    [hi, "end"],
  ]) {
    const tick = svgNode("text", {
      x: x(day),
      y: HEIGHT - 4,
      "text-anchor": anchor,
      "font-size": 10,
    });
    tick.textContent = isoDay(day);
    axis.append(tick);
  }
  svg.append(axis);
  svg.append(
    svgNode("path", {
      class: "bw-official-line bw-official-documented",
      d: stepPath(running, x, y),
    }),
  );
  const officialLine = published.map((row) => [row.day, row.total_attacks]);
  svg.append(
    svgNode("path", {
      class: "bw-official-line bw-official-published",
      d: stepPath(officialLine, x, y),
    }),
  );
  for (const row of published) {
    const point = svgNode("circle", {
      class: "bw-official-point",
      cx: x(row.day),
      cy: y(row.total_attacks),
      r: 3,
    });
    point.dataset.asOf = row.as_of;
    point.dataset.total = String(row.total_attacks);
    const title = svgNode("title");
    title.textContent = `${row.as_of}: ${formatCount(row.total_attacks)} (${row.reported_by})`;
    point.append(title);
    svg.append(point);
  }
  const key = el(
    "ul",
    { className: "bw-official-key" },
    el(
      "li",
      {},
      el("span", { "aria-hidden": "true", className: "bw-key-published" }),
      text.official_published,
    ),
    el(
      "li",
      {},
      el("span", { "aria-hidden": "true", className: "bw-key-documented" }),
      text.official_documented,
    ),
  );
  container.append(
    svg,
    key,
    el("p", { className: "bw-official-summary bw-note" }, summary),
  );
  container.dataset.latestOfficial = String(latest.total_attacks);
  container.dataset.documented = String(documentedBy(running, latest.day));
}

/**
 * Fetch both series (official totals, and published attacks per day) and draw them
 * into `chart`. Drawn once: the filters do not apply (see the module docstring).
 */
export async function loadOfficialTotals(chart, { officialUrl, timelineUrl }) {
  const documentedUrl = apiUrl(timelineUrl, [
    ["event_type", "attack"],
    ["interval", "day"],
  ]);
  try {
    const [official, documented] = await Promise.all([
      getJson(officialUrl),
      getJson(documentedUrl),
    ]);
    renderOfficialTotals(chart, {
      official: official.results,
      documented: documented.results,
    });
  } catch {
    chart.textContent = text.load_error;
  }
}
