/**
 * An incident's or a site's details as DOM nodes: used in map popups and in the
 * panel ("Location unknown"). Incident text comes from untrusted reporting, so it
 * is only ever text, and a source URL only becomes a link when it is http(s).
 */

import {
  displayName,
  el,
  formatCount,
  isArabic,
  label,
  labels,
  nameProps,
  safeHttpUrl,
  text,
} from "./dom.js";

// Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
// Keys are Incident.Weapon values; "" is an incident with no weapon (a statement).
export const WEAPON_COLOURS = {
  rocket: "#d55e00",
  drone: "#0072b2",
  missile: "#cc79a7",
  mortar: "#e69f00",
  ied: "#009e73",
  small_arms: "#56b4e9",
  mixed: "#6a3d9a",
  unknown: "#7f7f7f",
  "": "#c8c8c8",
};

export function weaponKey(weapon) {
  return Object.hasOwn(WEAPON_COLOURS, weapon || "") ? weapon || "" : "unknown";
}

export function weaponLabel(weapon) {
  return weapon ? label("weapon", weapon) : text.no_weapon;
}

/** null is "not reported", 0 is "none reported": the two must never look alike. */
export function casualtyText(value) {
  if (value === null || value === undefined) return text.not_reported;
  if (value === 0) return text.none_reported;
  return formatCount(value);
}

export function dateNode(props) {
  const node = el("span", { className: "bw-date" });
  node.append(el("time", { datetime: props.occurred_on }, props.occurred_on));
  const precision = labels.date_precision[props.date_precision];
  if (precision) {
    node.append(" ", el("span", { className: "bw-precision" }, `(${precision})`));
  }
  return node;
}

/** Between names in a list: the Arabic comma on an Arabic page. */
const NAME_SEPARATOR = isArabic ? "\u060c " : ", ";

/** One name in the page's language, as an element marked with its direction. */
export function nameNode(obj, tag = "span") {
  return el(tag, nameProps(obj), displayName(obj));
}

/**
 * A site's (or actor's) name in the page's language, then its name in the other
 * language when it has one: "Al-Omar حقل العمر" on an English page, the
 * reverse on an Arabic one. Each name is its own element with lang and dir.
 */
export function bothNames(obj, tag = "span") {
  const nodes = [nameNode(obj, tag)];
  if (obj.name_ar) {
    const other = isArabic
      ? el("span", { lang: "en", dir: "ltr" }, obj.name)
      : el("span", { lang: "ar", dir: "rtl" }, obj.name_ar);
    nodes.push(" ", other);
  }
  return nodes;
}

/** An incident's sites in the page's language, as one node (text only). */
export function siteNames(props) {
  if (!props.sites.length) return text.no_site;
  const node = el("span", { className: "bw-site-names" });
  props.sites.forEach((site, index) => {
    if (index) node.append(NAME_SEPARATOR);
    node.append(nameNode(site));
  });
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
  item.append(el("span", { className: "bw-publisher" }, source.publisher));
  if (source.language) {
    item.append(" ", el("span", { className: "bw-language" }, `(${source.language})`));
  }
  const stance = label("stance", source.stance);
  item.append(" · ", el("span", { className: "bw-stance" }, stance));
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
  if (source.quote) {
    item.append(el("q", { className: "bw-source-quote", dir: "auto" }, source.quote));
  }
  if (source.note) item.append(el("div", { className: "bw-source-note" }, source.note));
  return item;
}

/**
 * An incident's detail. In a popup (its own context) the title is an h2; inside
 * the panel's "Location unknown" list (under an h3) an h4.
 */
export function incidentDetails(props, { level = 2 } = {}) {
  const article = el("article", {
    className: "bw-popup bw-incident",
    "data-incident-id": String(props.id),
  });
  article.append(el(`h${level}`, { className: "bw-popup-title" }, dateNode(props)));

  const actors = el("ul", { className: "bw-actors" });
  for (const actor of props.actors) {
    actors.append(el("li", {}, nameNode(actor), ` (${label("role", actor.role)})`));
  }
  const confidence = el(
    "span",
    { className: `bw-confidence bw-confidence-${props.confidence}` },
    label("confidence", props.confidence),
  );
  const explanation = labels.confidence_explanation[props.confidence];
  article.append(
    facts([
      [text.event_type, label("event_type", props.event_type), "bw-event"],
      [text.weapon, weaponLabel(props.weapon), "bw-weapon"],
      [text.sites, siteNames(props), "bw-sites"],
      [text.injured, casualtyText(props.injured), "bw-injured"],
      [text.killed, casualtyText(props.killed), "bw-killed"],
      [
        text.confidence,
        el(
          "span",
          {},
          confidence,
          explanation ? el("small", {}, ` — ${explanation}`) : null,
        ),
        "bw-confidence-row",
      ],
      [text.actors, props.actors.length ? actors : text.none, "bw-actors-row"],
    ]),
  );
  if (props.summary) {
    article.append(el("p", { className: "bw-summary", dir: "auto" }, props.summary));
  }
  article.append(el(`h${level + 1}`, { className: "bw-sources-title" }, text.sources));
  if (props.sources.length) {
    const sources = props.sources.map(sourceItem);
    article.append(el("ul", { className: "bw-sources" }, ...sources));
  } else {
    article.append(el("p", { className: "bw-no-sources" }, text.no_sources));
  }
  const page = incidentPageUrl(props.id);
  if (page && text.incident_page) {
    article.append(
      el("p", { className: "bw-incident-page" }, el("a", { href: page }, text.incident_page)),
    );
  }
  return article;
}

/** The incident's own page (facts and corrections log), where the page names it. */
function incidentPageUrl(id) {
  const template = document.querySelector("[data-incident-page-url]");
  if (!template || !Number.isInteger(id)) {
    return null;
  }
  return template.dataset.incidentPageUrl.replace("/0/", `/${id}/`);
}

export function siteDetails(props) {
  const article = el("article", { className: "bw-popup bw-site" });
  article.append(el("h2", { className: "bw-popup-title" }, ...bothNames(props)));
  const region = [props.admin1, props.country].filter(Boolean).join(NAME_SEPARATOR);
  const rows = [
    [text.kind, label("site_kind", props.kind), "bw-kind"],
    [text.region, region, "bw-region"],
    [text.attack_count, formatCount(props.attack_count), "bw-attack-count"],
  ];
  if (props.precision_m !== null) {
    rows.push([
      text.precision,
      `${formatCount(props.precision_m)} ${text.metres}`,
      "bw-precision-m",
    ]);
  }
  if (props.location_source) {
    // Free text in any script: its own direction, whatever the page's.
    const source = el("span", { dir: "auto" }, props.location_source);
    rows.push([text.location_source, source, "bw-location-source"]);
  }
  article.append(facts(rows));
  return article;
}
