/**
 * The map page's labels and language, read from the page, with the helpers that
 * need them; the page-independent DOM helpers are common/dom.js's (re-exported here
 * for the map's modules). Everything from the data reaches the page through these:
 * strings become text nodes, never HTML.
 */

export { el, fill, safeHttpUrl, svgNode } from "../common/dom.js";

export const labels = JSON.parse(document.getElementById("bw-labels").textContent);
export const text = labels.text;
/** The page's language, as Django set it on <html lang>. */
export const pageLang = document.documentElement.lang || "en";
export const isArabic = pageLang.toLowerCase().startsWith("ar");
// Numbers are written in Latin digits in every language ("-u-nu-latn"): dates
// (ISO, 2023-11-15), coordinates and the address bar are in Latin digits anyway,
// and one page mixing them with Arabic-Indic counts would read inconsistently.
// Separators still follow the language.
const numberFormat = new Intl.NumberFormat(`${pageLang}-u-nu-latn`);

/**
 * A site's or an actor's name in the page's language: its Arabic name on an Arabic
 * page when it has one, else its (English) name.
 */
export function displayName(obj) {
  if (!obj) return "";
  if (isArabic && obj.name_ar) return obj.name_ar;
  return obj.name || "";
}

/**
 * Props for the element holding `displayName(obj)`: the Arabic name is marked as
 * Arabic and right-to-left; any other name gets dir="auto", so a name in either
 * script keeps its order inside text of the other direction.
 */
export function nameProps(obj) {
  return isArabic && obj && obj.name_ar
    ? { lang: "ar", dir: "rtl" }
    : { dir: "auto" };
}

export function label(group, value) {
  return (labels[group] && labels[group][value]) || value;
}

export function formatCount(value) {
  return numberFormat.format(value);
}

/** GET JSON; a failed answer throws, with the API's parsed error body as .body. */
export async function getJson(url) {
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  let body;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = new Error(`${url}: HTTP ${response.status}`);
    error.body = body;
    throw error;
  }
  return body;
}
