/**
 * One site's page at "/sites/<slug>/": a small map centred on the site, a bar chart
 * of its published incidents per month, and the list of those incidents.
 *
 * The site's own facts are rendered by Django. Everything else is fetched from the
 * API URLs named in #bw-site[data-incidents-url] and [data-timeline-url]; labels
 * (already translated by Django) come from the inert JSON in #bw-labels. Incident
 * text comes from untrusted reporting, so every string from the data is put into
 * the page as text (createElement + textContent / text nodes), never parsed as
 * HTML, and a source URL only becomes a link when it is http: or https:.
 *
 * The DOM helpers, the http(s)-only link check among them, are common/dom.js's,
 * the same the map uses: one copy of each, nothing read from the page at import.
 */

import { el, fill as format, safeHttpUrl, svgNode as svg } from "./common/dom.js";

// Enough for any one site in the reference data many times over; beyond it the
// page says how many it left out rather than pretending the list is complete.
const PAGE_SIZE = 1000;

const root = document.getElementById("bw-site");
const labels = JSON.parse(document.getElementById("bw-labels").textContent);
const text = labels.text;
const lang = document.documentElement.lang || "en";
const isArabic = lang.toLowerCase().startsWith("ar");
// Latin digits in every language ("-u-nu-latn"), as on the map (map/dom.js): the
// dates and months beside these counts are ISO, in Latin digits, and one page
// mixing the two digit sets reads inconsistently. Separators follow the language.
const numberFormat = new Intl.NumberFormat(`${lang}-u-nu-latn`);

// django-leaflet creates the map on window "load" and calls this; it is defined
// here, before "load", because module scripts run before the load event fires.
window.basewatchSiteMapInit = (map) => drawMap(map);

/** An actor's name in the page's language: Arabic on an Arabic page, when known. */
function displayName(obj) {
  if (isArabic && obj.name_ar) return obj.name_ar;
  return obj.name || "";
}

/** The element holding `displayName(obj)`, marked with its language and direction. */
function nameNode(obj) {
  const props = isArabic && obj.name_ar ? { lang: "ar", dir: "rtl" } : { dir: "auto" };
  return el("span", props, displayName(obj));
}

function label(group, value) {
  return (labels[group] && labels[group][value]) || value;
}

/** null is "not reported", 0 is "none reported": the two must never look alike. */
function casualtyText(value) {
  if (value === null || value === undefined) return text.not_reported;
  if (value === 0) return text.none_reported;
  return numberFormat.format(value);
}

function showStatus(message) {
  const status = document.getElementById("bw-status");
  status.textContent = message;
  status.hidden = !message;
}

async function getJson(base, params) {
  const url = `${base}?${new URLSearchParams(params)}`;
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

// --- the map ---------------------------------------------------------------------

function drawMap(map) {
  const L = window.L;
  const latitude = Number(root.dataset.latitude);
  const longitude = Number(root.dataset.longitude);
  const centre = [latitude, longitude];
  L.circleMarker(centre, {
    radius: 7,
    color: "#ffffff",
    weight: 2,
    fillColor: "#1d4e89",
    fillOpacity: 1,
    className: "bw-site-point",
  }).addTo(map);
  if (root.dataset.precisionCircle === "yes") {
    // Faint on purpose: it says "somewhere in here", not "this is the base".
    const circle = L.circle(centre, {
      radius: Number(root.dataset.precisionM),
      color: "#1d4e89",
      weight: 1,
      opacity: 0.5,
      fillOpacity: 0.08,
      interactive: false,
      className: "bw-precision-circle",
    }).addTo(map);
    map.fitBounds(circle.getBounds(), { padding: [16, 16], animate: false });
  } else {
    map.setView(centre, 13, { animate: false });
  }
  root.dataset.map = "ready";
}

// --- the timeline ----------------------------------------------------------------

/** Every month from the first to the last period, with 0 where none happened. */
function fillMonths(rows) {
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

function drawChart(rows) {
  const chart = document.getElementById("bw-chart");
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
  const top = 16; // room for the largest count above its bar
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
    tip.textContent = format(text.bar_title, {
      month,
      count: numberFormat.format(count),
    });
    bar.append(tip);
    figure.append(bar);
    if (count === max) {
      const value = svg("text", {
        x: x + barWidth / 2,
        y: top - 4,
        "text-anchor": "middle",
        class: "bw-chart-value",
      });
      value.textContent = numberFormat.format(count);
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

// --- the incidents ---------------------------------------------------------------

function dateNode(props) {
  const node = el("span", { className: "bw-date" });
  node.append(el("time", { datetime: props.occurred_on }, props.occurred_on));
  const precision = labels.date_precision[props.date_precision];
  if (precision) {
    node.append(" ", el("span", { className: "bw-precision" }, `(${precision})`));
  }
  return node;
}

function facts(rows) {
  const list = el("dl", { className: "bw-facts" });
  for (const [term, value, className] of rows) {
    list.append(el("div", { className }, el("dt", {}, term), el("dd", {}, value)));
  }
  return list;
}

function sourceItem(source) {
  const item = el("li", { className: "bw-source" });
  item.append(el("span", { className: "bw-publisher", dir: "auto" }, source.publisher));
  if (source.language) {
    item.append(" ", el("span", { className: "bw-language" }, `(${source.language})`));
  }
  item.append(
    " · ",
    el("span", { className: "bw-stance" }, label("stance", source.stance)),
  );
  const href = safeHttpUrl(source.url);
  const title = source.title || source.url;
  if (href) {
    item.append(
      " ",
      el(
        "a",
        {
          href,
          rel: "noopener noreferrer",
          target: "_blank",
          lang: source.language,
          dir: "auto",
        },
        title,
      ),
    );
  } else if (title) {
    // Shown, so a reader sees what was recorded, but not clickable.
    item.append(" ", el("span", { className: "bw-unlinked", dir: "auto" }, title));
  }
  return item;
}

function actorsNode(actors) {
  if (!actors.length) return text.none;
  const list = el("ul", { className: "bw-actors" });
  for (const actor of actors) {
    list.append(
      el(
        "li",
        {},
        nameNode(actor),
        ` (${label("role", actor.role)})`,
      ),
    );
  }
  return list;
}

function incidentItem(props) {
  const article = el("article", { className: "bw-incident" });
  article.append(el("h3", { className: "bw-incident-title" }, dateNode(props)));
  const explanation = labels.confidence_explanation[props.confidence];
  article.append(
    facts([
      [text.event_type, label("event_type", props.event_type), "bw-event"],
      [
        text.weapon,
        props.weapon ? label("weapon", props.weapon) : text.no_weapon,
        "bw-weapon",
      ],
      [text.injured, casualtyText(props.injured), "bw-injured"],
      [text.killed, casualtyText(props.killed), "bw-killed"],
      [
        text.confidence,
        el(
          "span",
          {},
          el(
            "span",
            { className: `bw-confidence bw-confidence-${props.confidence}` },
            label("confidence", props.confidence),
          ),
          explanation ? el("small", {}, ` — ${explanation}`) : null,
        ),
        "bw-confidence-row",
      ],
      [text.actors, actorsNode(props.actors), "bw-actors-row"],
    ]),
  );
  if (props.summary) {
    article.append(el("p", { className: "bw-summary", dir: "auto" }, props.summary));
  }
  article.append(el("h4", { className: "bw-sources-title" }, text.sources));
  if (props.sources.length) {
    article.append(el("ul", { className: "bw-sources" }, ...props.sources.map(sourceItem)));
  } else {
    article.append(el("p", { className: "bw-no-sources" }, text.no_sources));
  }
  return el("li", { "data-incident-id": String(props.id) }, article);
}

function renderIncidents(collection) {
  const list = document.getElementById("bw-incident-list");
  const features = collection.features;
  for (const { properties } of features) list.append(incidentItem(properties));
  if (!features.length) {
    list.after(el("p", { className: "bw-note bw-no-incidents" }, text.no_incidents));
  } else if (collection.count > features.length) {
    list.after(
      el(
        "p",
        { className: "bw-note bw-truncated" },
        format(text.truncated, {
          shown: numberFormat.format(features.length),
          count: numberFormat.format(collection.count),
        }),
      ),
    );
  }
}

async function start() {
  const site = root.dataset.siteSlug;
  const [timeline, incidents] = await Promise.allSettled([
    getJson(root.dataset.timelineUrl, { site, interval: "month" }),
    getJson(root.dataset.incidentsUrl, { site, page_size: String(PAGE_SIZE) }),
  ]);
  // A network or server failure is the reader's problem to know about, not a bug.
  const problems = [];
  if (timeline.status === "fulfilled") drawChart(timeline.value.results);
  else problems.push(text.chart_error);
  if (incidents.status === "fulfilled") renderIncidents(incidents.value);
  else problems.push(text.load_error);
  showStatus(problems.join(" "));
  root.dataset.state = problems.length ? "error" : "ready";
}

// Errors in our own code are left uncaught on purpose: they surface as page errors,
// which the browser tests fail on.
start();
