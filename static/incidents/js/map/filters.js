/**
 * The filter form in the side panel. Its controls (with their labels) are in the
 * template; this fills the options that come from the API (actors, sites,
 * countries), reads the form into a filters object (see common/url_state.js) and writes one
 * back into it, and reports changes: at once for checkboxes, selects and dates,
 * debounced while typing a search.
 */

import { displayName, el, nameProps, pageLang } from "./dom.js";
import { FILTER_KEYS, LIST_KEYS } from "../common/url_state.js";

const SEARCH_DELAY_MS = 350;
const INDENT = "\u00a0\u00a0\u00a0\u00a0";

/**
 * An option shows its name in the page's language (displayName) and says so when
 * that is Arabic. No dir: an option takes the select's direction, so the indent of
 * a member stays on the inline-start side whatever script its name is in.
 */
function optionLang(obj) {
  return nameProps(obj).lang;
}

/**
 * Drop the stand-in options writeForm made for values from the address bar before
 * the real options arrived, keeping the selection.
 */
function dropStandIns(select) {
  const value = select.value;
  for (const option of select.querySelectorAll("option[data-unlisted]")) {
    option.remove();
  }
  return value;
}

/** Select `value` again, with a stand-in option if no real one has it. */
function reselect(select, value) {
  if (value && ![...select.options].some((option) => option.value === value)) {
    select.append(el("option", { value, "data-unlisted": true }, value));
  }
  select.value = value;
}

/** One option per actor; members indented under their umbrella, at any depth. */
export function populateActors(select, actors) {
  const value = dropStandIns(select);
  const children = new Map();
  const slugs = new Set(actors.map((actor) => actor.slug));
  for (const actor of actors) {
    const parent = actor.parent && slugs.has(actor.parent) ? actor.parent : "";
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(actor);
  }
  const seen = new Set();
  const add = (parent, depth) => {
    for (const actor of children.get(parent) || []) {
      if (seen.has(actor.slug)) continue; // a cycle in the data must not hang us
      seen.add(actor.slug);
      const option = el(
        "option",
        { value: actor.slug, "data-depth": String(depth), lang: optionLang(actor) },
        INDENT.repeat(depth) + displayName(actor),
      );
      if (children.has(actor.slug)) option.className = "bw-umbrella";
      select.append(option);
      add(actor.slug, depth + 1);
    }
  };
  add("", 0);
  reselect(select, value);
}

/** One option per site, named and sorted in the page's language. */
export function populateSites(select, sites) {
  const value = dropStandIns(select);
  const collator = new Intl.Collator(pageLang);
  const named = sites.map(({ properties: site }) => [displayName(site), site]);
  named.sort(([a], [b]) => collator.compare(a, b));
  for (const [name, site] of named) {
    select.append(el("option", { value: site.slug, lang: optionLang(site) }, name));
  }
  reselect(select, value);
}

export function populateCountries(select, sites) {
  let names;
  try {
    names = new Intl.DisplayNames([pageLang], { type: "region" });
  } catch {
    names = null;
  }
  const codes = [...new Set(sites.map((f) => f.properties.country).filter(Boolean))];
  for (const code of codes.sort()) {
    let name;
    try {
      name = names ? names.of(code) || code : code;
    } catch {
      name = code;
    }
    select.append(el("option", { value: code }, name));
  }
}

export function readForm(form) {
  const filters = {};
  for (const key of FILTER_KEYS) {
    if (LIST_KEYS.has(key)) {
      const checked = [...form.querySelectorAll(`input[name="${key}"]:checked`)].map(
        (input) => input.value,
      );
      if (checked.length) filters[key] = checked;
    } else {
      const control = form.elements.namedItem(key);
      const value = control ? control.value.trim() : "";
      if (value) filters[key] = value;
    }
  }
  return filters;
}

export function writeForm(form, filters) {
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (LIST_KEYS.has(key)) {
      const wanted = new Set(value || []);
      for (const input of form.querySelectorAll(`input[name="${key}"]`)) {
        input.checked = wanted.has(input.value);
      }
      continue;
    }
    const control = form.elements.namedItem(key);
    if (!control) continue;
    const wanted = value || "";
    if (
      control.tagName === "SELECT" &&
      wanted &&
      ![...control.options].some((option) => option.value === wanted)
    ) {
      // A value from the address bar that we have no option for: show it as it is
      // (as text) rather than pretend no filter is applied.
      control.append(el("option", { value: wanted, "data-unlisted": true }, wanted));
    }
    control.value = wanted;
  }
}

/** Call `onChange(filters)` whenever the reader changes a filter. */
export function watchForm(form, { onChange, onClear }) {
  let timer = null;
  const report = () => {
    clearTimeout(timer);
    timer = null;
    onChange(readForm(form));
  };
  form.addEventListener("change", report);
  form.addEventListener("input", (event) => {
    if (event.target.name !== "q") return;
    clearTimeout(timer);
    timer = setTimeout(report, SEARCH_DELAY_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    report();
  });
  const clear = form.querySelector("[data-action=clear-filters]");
  clear.addEventListener("click", () => {
    clearTimeout(timer);
    writeForm(form, {});
    onClear();
  });
}
