/**
 * "Official totals beside ours": the running totals of attacks that officials
 * published (the series of data/aggregates.csv) against the running count of
 * attacks documented here one by one, with sources (published incidents of type
 * attack since 17 October 2023, whatever the filters). The gap is how much of what
 * officials count has not been documented incident by incident.
 *
 * The documented count is split by confidence, because a claim is not a
 * confirmation: beside the official line and the documented total, the attacks an
 * official or independent source confirmed and those only the attackers' side
 * claims are lines of their own (solid, dashed, dotted: told apart without colour
 * too, and named in the legend). The sentence under the chart gives the four
 * numbers (confirmed, claimed only, reported otherwise, disputed) for the latest
 * official total, for screen readers and for anyone who would rather read than
 * estimate from lines.
 *
 * Every documented number comes from /api/v1/stats/official-totals/ itself
 * (`documented`, one row per official date, with `by_confidence`), not from the
 * timeline endpoint: it is the same count the figures page shows beside the same
 * totals, split by the same rule as the confidence filter, in one request. So the
 * documented lines are sampled at the officials' dates and step there like theirs.
 * The numbers are shaped in map/official_series.js (no DOM, tested with node).
 */

import { dayNumber, isoDay } from "./timeline.js";
import { el, fill, formatCount, getJson, svgNode, text } from "./dom.js";
import {
  documentedSeries,
  officialPoints,
  summaryValues,
} from "./official_series.js";

const WIDTH = 320;
const HEIGHT = 150;
const PAD = { left: 30, right: 8, top: 8, bottom: 18 };

/**
 * The documented lines, in the legend's order after the official line: their
 * series, CSS class (colour and dash pattern, see map-layers.css) and label. The
 * official line is drawn after them, on top.
 */
const LINES = [
  { key: "all", className: "bw-official-documented", label: "official_documented" },
  { key: "confirmed", className: "bw-official-confirmed", label: "official_confirmed" },
  { key: "claimed", className: "bw-official-claimed", label: "official_claimed" },
];

function stepPath(points, x, y) {
  if (!points.length) return "";
  const parts = [`M${x(points[0][0])},${y(0)}`, `L${x(points[0][0])},${y(points[0][1])}`];
  for (let i = 1; i < points.length; i += 1) {
    parts.push(`L${x(points[i][0])},${y(points[i - 1][1])}`);
    parts.push(`L${x(points[i][0])},${y(points[i][1])}`);
  }
  return parts.join(" ");
}

/** The sentence under the chart: its template and the values to put in it. */
function summaryParts(values) {
  const numbers = {
    official: formatCount(values.official),
    date: values.date,
    by: values.by,
    documented: formatCount(values.documented),
  };
  for (const [level, count] of Object.entries(values.split || {})) {
    numbers[level] = formatCount(count);
  }
  return [values.split ? text.official_summary_split : text.official_summary, numbers];
}

/**
 * The sentence as nodes, each value in its own <bdi>: inside Arabic text an ISO
 * date would otherwise read backwards (2024-04-23 as 23-04-2024) and a Latin name
 * would swap places with the number after it. Dates are always left to right;
 * a name takes the direction of its own script.
 */
function summaryNodes(template, values) {
  const nodes = [];
  let at = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    if (!Object.hasOwn(values, match[1])) continue;
    nodes.push(template.slice(at, match.index));
    const props = match[1] === "date" ? { dir: "ltr" } : {};
    nodes.push(el("bdi", props, String(values[match[1]])));
    at = match.index + match[0].length;
  }
  nodes.push(template.slice(at));
  return nodes;
}

function axis(x, y, { lo, hi, top }) {
  const group = svgNode("g", { class: "bw-official-axis" });
  group.append(
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
    group.append(tick);
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
    group.append(tick);
  }
  return group;
}

/** A legend entry: a stretch of the same line (colour and dashes), then its name. */
function keyItem(className, label) {
  const swatch = svgNode("svg", {
    class: "bw-key-swatch",
    viewBox: "0 0 24 8",
    width: 24,
    height: 8,
    "aria-hidden": "true",
  });
  swatch.append(
    svgNode("line", { class: `bw-official-line ${className}`, x1: 1, x2: 23, y1: 4, y2: 4 }),
  );
  return el("li", { "data-line": className }, swatch, label);
}

/**
 * Draw into `container` the API's answer: `official` its `results` (those with a
 * total of attacks are drawn), `documented` its `documented` rows.
 */
export function renderOfficialTotals(container, { official, documented }) {
  const points = officialPoints(official).map((row) => ({
    ...row,
    day: dayNumber(row.as_of),
  }));
  container.replaceChildren();
  const values = summaryValues(official, documented);
  if (!values) {
    container.append(el("p", { className: "bw-note" }, text.official_none));
    return;
  }
  const series = Object.fromEntries(
    Object.entries(documentedSeries(documented, values.date)).map(([key, rows]) => [
      key,
      rows.map(([date, count]) => [dayNumber(date), count]),
    ]),
  );
  const days = [...points.map((row) => row.day), ...series.all.map(([day]) => day)];
  const lo = Math.min(...days);
  const hi = Math.max(...days, lo + 1);
  const top = Math.max(
    ...points.map((row) => row.total_attacks),
    ...series.all.map(([, count]) => count),
    1,
  );
  const x = (day) => PAD.left + ((day - lo) / (hi - lo)) * (WIDTH - PAD.left - PAD.right);
  const y = (value) => HEIGHT - PAD.bottom - (value / top) * (HEIGHT - PAD.top - PAD.bottom);

  const [template, numbers] = summaryParts(values);
  const svg = svgNode("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": fill(template, numbers),
  });
  svg.append(axis(x, y, { lo, hi, top }));
  const drawn = LINES.filter((line) => series[line.key]);
  for (const line of drawn) {
    svg.append(
      svgNode("path", {
        class: `bw-official-line ${line.className}`,
        d: stepPath(series[line.key], x, y),
      }),
    );
  }
  const officialLine = points.map((row) => [row.day, row.total_attacks]);
  svg.append(
    svgNode("path", {
      class: "bw-official-line bw-official-published",
      d: stepPath(officialLine, x, y),
    }),
  );
  for (const row of points) {
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
    keyItem("bw-official-published", text.official_published),
    ...drawn.map((line) => keyItem(line.className, text[line.label])),
  );
  const summary = el("p", { className: "bw-official-summary bw-note" });
  summary.append(...summaryNodes(template, numbers));
  container.append(svg, key, summary);
  container.dataset.latestOfficial = String(values.official);
  container.dataset.documented = String(values.documented);
  for (const [level, count] of Object.entries(values.split || {})) {
    container.dataset[level] = String(count);
  }
}

/**
 * Fetch the official totals with the documented counts beside them and draw them
 * into `chart`. Drawn once: the filters do not apply (see the module docstring).
 */
export async function loadOfficialTotals(chart, { officialUrl }) {
  try {
    const answer = await getJson(officialUrl);
    renderOfficialTotals(chart, {
      official: answer.results,
      documented: answer.documented,
    });
  } catch {
    chart.textContent = text.load_error;
  }
}
