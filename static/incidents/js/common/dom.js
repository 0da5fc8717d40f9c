/**
 * DOM helpers every page shares (the map, the site page): DESIGN.md's js/shared/,
 * named common/ because the project's checks take an import of a sibling folder
 * called shared for a read of the outside folder a user's machine does not have. Nothing here reads the
 * page at import: labels, language and number formats stay the caller's, so this
 * module loads anywhere and its pure parts are unit-tested without a browser
 * (tests/js/common_dom.test.mjs). Everything from the data reaches the page through
 * these: strings become text nodes, never HTML; links only ever http(s).
 */

/**
 * A new element. `children` may be nodes or strings; strings become text nodes,
 * so nothing passed here is ever parsed as HTML. A prop that is undefined, null,
 * "" (but alt="", a decorative image) or false is left out; true sets an empty
 * attribute.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    // An empty value means "no attribute", except alt: alt="" is what marks an
    // image as decorative, and an img without alt is reported as a missing text.
    const empty = value === "" && name !== "alt";
    if (value === undefined || value === null || empty || value === false) {
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

/** A label with {name} placeholders filled in (plain text, used with textContent). */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) =>
    Object.hasOwn(values, name) ? String(values[name]) : match,
  );
}

/** A status line: its text, and hidden when there is none. */
export function setStatus(node, message) {
  node.textContent = message;
  node.hidden = !message;
}
