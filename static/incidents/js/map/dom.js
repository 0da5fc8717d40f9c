/**
 * DOM helpers and the translated labels. Everything from the data reaches the page
 * through these: strings become text nodes, never HTML.
 */

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
 * A new element. `children` may be nodes or strings; strings become text nodes,
 * so nothing passed here is ever parsed as HTML.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === "" || value === false) {
      continue;
    }
    if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === undefined || child === null || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(child));
  }
  return node;
}

/** A new SVG element (in the SVG namespace, or the browser would draw nothing). */
export function svgNode(tag, attributes = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  return node;
}

/** The URL as a string if it is http(s), else null: never a javascript: link. */
export function safeHttpUrl(raw) {
  if (!raw) return null;
  let url;
  try {
    url = new URL(raw); // relative or malformed URLs throw: no link
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

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

/** A label with {name} placeholders filled in (plain text, used with textContent). */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) =>
    Object.hasOwn(values, name) ? String(values[name]) : match,
  );
}

/** GET JSON; a failed answer throws, with the API's parsed error body as .body. */
export async function getJson(url) {
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  let body = null;
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
