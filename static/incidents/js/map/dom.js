/**
 * DOM helpers and the translated labels. Everything from the data reaches the page
 * through these: strings become text nodes, never HTML.
 */

export const labels = JSON.parse(document.getElementById("bw-labels").textContent);
export const text = labels.text;
const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "en");

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
