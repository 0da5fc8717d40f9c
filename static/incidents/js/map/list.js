/**
 * The list beside the map: the filtered incidents inside the map's bounds, newest
 * first (the API's order), then a "no location" group of those without a point.
 * Items are buttons built from DOM nodes; choosing one calls `onSelect(id)`.
 */

import { el, fill, formatCount, label, text } from "./dom.js";
import { setTotal } from "./panel.js";
import { dateNode, siteNames, weaponLabel } from "./popup.js";

/** Past this many items in view the list asks the reader to zoom in. */
export const LIST_LIMIT = 500;

function item(props, onSelect) {
  const button = el(
    "button",
    { type: "button", className: "bw-list-item" },
    dateNode(props),
    " ",
    el("span", { className: "bw-list-type" }, label("event_type", props.event_type)),
    " · ",
    el("span", { className: "bw-list-weapon" }, weaponLabel(props.weapon)),
    " · ",
    // Each name inside carries its own lang and dir (see siteNames).
    el("span", { className: "bw-list-sites" }, siteNames(props)),
    " · ",
    el(
      "span",
      { className: `bw-list-confidence bw-confidence-${props.confidence}` },
      label("confidence", props.confidence),
    ),
  );
  button.addEventListener("click", () => onSelect(props.id));
  return el("li", { "data-incident-id": String(props.id) }, button);
}

function fillList(list, features, onSelect, total = features.length) {
  const shown = features.slice(0, LIST_LIMIT);
  list.replaceChildren(...shown.map((f) => item(f.properties, onSelect)));
  if (!features.length) {
    list.append(el("li", { className: "bw-list-empty" }, text.list_empty));
  } else if (total > shown.length) {
    const more = fill(text.list_more, {
      count: formatCount(total - shown.length),
    });
    list.append(el("li", { className: "bw-list-more" }, more));
  }
}

/**
 * Fill `#bw-list` and `#bw-list-unplaced`; `contains(feature)` says whether a
 * placed incident is within the map's bounds. `inViewTotal` and `unplacedTotal`,
 * when the features are only the newest (a clustered map), are how many there are
 * in all. Returns how many are in view.
 */
export function renderList({
  features,
  contains,
  onSelect,
  inViewTotal = null,
  unplacedTotal = null,
}) {
  const inView = features.filter((f) => f.geometry && contains(f));
  const unplaced = features.filter((f) => !f.geometry);
  const total = inViewTotal ?? inView.length;
  fillList(document.getElementById("bw-list"), inView, onSelect, total);
  fillList(
    document.getElementById("bw-list-unplaced"),
    unplaced,
    onSelect,
    unplacedTotal ?? unplaced.length,
  );
  return total;
}

/**
 * Re-render the list without losing the reader's place: when focus was on an
 * item, it moves to the same incident's new item (the map moves under a popup
 * that was opened from the list, and Esc must find the way back).
 */
function renderListKeepingFocus(options) {
  const focused = document.activeElement?.closest?.("#bw-list li[data-incident-id]");
  const inView = renderList(options);
  if (focused && !focused.isConnected) {
    const id = focused.dataset.incidentId;
    document.querySelector(`#bw-list li[data-incident-id="${id}"] button`)?.focus();
  }
  return inView;
}

/**
 * The list for the store's mode: "detail", the incidents inside the map's bounds
 * (and their count in view); "clustered", the view's newest as the server gave
 * them, then the newest without a point, with the totals of both.
 */
export function showList({ store, map }, onSelect) {
  const { state } = store;
  if (state.mode === "clustered") {
    renderListKeepingFocus({
      features: store.listed(),
      contains: () => true,
      onSelect,
      inViewTotal: state.inViewCount,
      unplacedTotal: state.unplacedCount,
    });
    return;
  }
  const bounds = map ? map.getBounds() : null;
  const inView = renderListKeepingFocus({
    features: state.incidents,
    contains: (f) => {
      if (!bounds) return true;
      const [longitude, latitude] = f.geometry.coordinates;
      return bounds.contains([latitude, longitude]);
    },
    onSelect,
  });
  setTotal("incidents-in-view", inView);
}
