/**
 * The site page's list of its published incidents, newest first: each one is
 * common/card.js's incident card (the map's popups show the same), titled in an
 * h3 under the page's h2, the list item carrying its id. Says so when there are
 * none, and how many it left out when the API's page held fewer than all.
 */

import { el, fill } from "../common/dom.js";

/** Fill `list` with the API's `collection`; `card` is createCard's, for the page. */
export function renderIncidents(list, collection, { card, locale }) {
  const { text, formatCount } = locale;
  const features = collection.features;
  for (const { properties } of features) {
    const article = card.incidentCard(properties, {
      level: 3,
      className: "bw-incident",
      titleClassName: "bw-incident-title",
      withId: false,
      withSites: false, // they are this page's site
    });
    list.append(el("li", { "data-incident-id": String(properties.id) }, article));
  }
  if (!features.length) {
    list.after(el("p", { className: "bw-note bw-no-incidents" }, text.no_incidents));
  } else if (collection.count > features.length) {
    const truncated = fill(text.truncated, {
      shown: formatCount(features.length),
      count: formatCount(collection.count),
    });
    list.after(el("p", { className: "bw-note bw-truncated" }, truncated));
  }
}
