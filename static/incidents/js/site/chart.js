/**
 * The site page's bar chart: its published incidents per month, every month from
 * the first to the last, as SVG nodes (counts and months as text, never markup),
 * each bar with its count above it where the number fits.
 * Words and numbers come from the `locale` passed in (common/locale.js).
 */

import { el, fill, svgNode as svg } from "../common/dom.js";

// About the width of one character of a count at the chart's 11px (site.css).
const DIGIT_WIDTH = 7;

/** Every month from the first to the last period, with 0 where none happened. */
export function fillMonths(rows) {
  if (!rows.length) return [];
  const counts = new Map(rows.map((row) => [row.period.slice(0, 7), row.incidents]));
  const [firstYear, firstMonth] = rows[0].period.split("-").map(Number);
  const last = rows[rows.length - 1].period.slice(0, 7);
  const months = [];
  for (let year = firstYear, month = firstMonth; ; ) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    months.push({ month: key, count: counts.get(key) || 0 });
    if (key >= last) break;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** Draw the timeline's `rows` (the API's monthly periods) into `chart`. */
export function drawChart(chart, rows, { text, formatCount }) {
  const months = fillMonths(rows);
  if (!months.length) {
    chart.append(el("p", { className: "bw-note" }, text.no_incidents));
    return;
  }
  // Wide bars while there are few months; narrower ones keep a long series readable
  // (the chart scrolls sideways past the page width rather than thinning bars).
  const barWidth = months.length <= 6 ? 48 : months.length <= 12 ? 32 : 14;
  const gap = months.length <= 6 ? 10 : 4;
  const height = 120;
  const top = 16; // room for the tallest bar's count above it
  const bottom = 20; // room for the first and last month under the axis
  const plotWidth = months.length * (barWidth + gap) - gap;
  const width = Math.max(plotWidth, 120);
  const max = Math.max(...months.map((m) => m.count), 1);

  const figure = svg("svg", {
    viewBox: `0 0 ${width} ${top + height + bottom}`,
    width,
    height: top + height + bottom,
    role: "img",
    class: "bw-chart-svg",
  });
  const title = svg("title");
  title.textContent = text.chart_title;
  figure.append(title);

  months.forEach(({ month, count }, index) => {
    const barHeight = (count / max) * height;
    const x = index * (barWidth + gap);
    const bar = svg("rect", {
      x,
      y: top + height - barHeight,
      width: barWidth,
      height: barHeight,
      class: "bw-bar",
      "data-month": month,
      "data-count": count,
    });
    const tip = svg("title");
    tip.textContent = fill(text.bar_title, {
      month,
      count: formatCount(count),
    });
    bar.append(tip);
    figure.append(bar);
    // Every bar's count just above it, where the number fits in the bar's width
    // and the gap beside it; a month of none has no bar to label.
    const shown = formatCount(count);
    if (count > 0 && shown.length * DIGIT_WIDTH <= barWidth + gap) {
      const value = svg("text", {
        x: x + barWidth / 2,
        y: top + height - barHeight - 4,
        "text-anchor": "middle",
        class: "bw-chart-value",
        "data-month": month,
      });
      value.textContent = shown;
      figure.append(value);
    }
  });
  figure.append(
    svg("line", {
      x1: 0,
      x2: width,
      y1: top + height,
      y2: top + height,
      class: "bw-chart-axis",
    }),
  );
  // Every month is labelled under its bar when there is room (a few months);
  // otherwise only the first and last, at the ends of the axis.
  const everyMonth = barWidth >= 48;
  const labelled = everyMonth
    ? months.map((_, index) => index)
    : [...new Set([0, months.length - 1])];
  for (const index of labelled) {
    const atEnd = !everyMonth && index === months.length - 1 && index > 0;
    let x = index * (barWidth + gap);
    if (everyMonth) x += barWidth / 2;
    else if (atEnd) x = plotWidth;
    const tick = svg("text", {
      x,
      y: top + height + 14,
      "text-anchor": everyMonth ? "middle" : atEnd ? "end" : "start",
      class: "bw-chart-label",
    });
    tick.textContent = months[index].month;
    figure.append(tick);
  }
  chart.append(figure);
}
