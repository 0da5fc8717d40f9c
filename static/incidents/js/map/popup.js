/**
 * An incident's or a site's details as DOM nodes, for map popups and the panel's
 * "Location unknown": the incident is common/card.js's card (the one the site page
 * shows), with the map's classes; the weapon colours the markers and legend use.
 * Incident text comes from untrusted reporting, so it is only ever text, and a
 * source URL only becomes a link when it is http(s).
 */

import { card, el, formatCount, label, nameSeparator, text } from "./dom.js";

export const { bothNames, casualtyText, dateNode, nameNode, siteNames, weaponLabel } =
  card;

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

/**
 * An incident's detail. In a popup (its own context) the title is an h2; inside
 * the panel's "Location unknown" list (under an h3) an h4.
 */
export function incidentDetails(props, { level = 2 } = {}) {
  return card.incidentCard(props, {
    level,
    className: "bw-popup bw-incident",
    titleClassName: "bw-popup-title",
  });
}

export function siteDetails(props) {
  const article = el("article", { className: "bw-popup bw-site" });
  article.append(el("h2", { className: "bw-popup-title" }, ...bothNames(props)));
  const country = props.country && label("country", props.country);
  const region = [props.admin1, country].filter(Boolean).join(nameSeparator);
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
  article.append(card.facts(rows));
  return article;
}
