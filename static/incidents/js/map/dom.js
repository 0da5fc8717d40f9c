/**
 * The map page's words and language, read from the page (#bw-labels, <html lang>)
 * once, with the helpers made from them: common/locale.js's names and numbers and
 * common/card.js's incident card, as one instance every map module shares. The
 * page-independent DOM and API helpers are common/'s, re-exported here. Everything
 * from the data reaches the page through these: strings become text nodes, never
 * HTML.
 */

import { createCard } from "../common/card.js";
import { createLocale } from "../common/locale.js";

export { getJson } from "../common/api.js";
export { el, fill, safeHttpUrl, svgNode } from "../common/dom.js";

export const locale = createLocale({
  labels: JSON.parse(document.getElementById("bw-labels").textContent),
  lang: document.documentElement.lang,
});
export const { labels, text, pageLang, isArabic, nameSeparator } = locale;
export const { label, formatCount, displayName, nameProps } = locale;

/** The incident's own page (facts and corrections log), where the page names it. */
function incidentPageUrl(id) {
  const template = document.querySelector("[data-incident-page-url]");
  return template ? template.dataset.incidentPageUrl.replace("/0/", `/${id}/`) : null;
}

export const card = createCard(locale, { incidentPageUrl });
