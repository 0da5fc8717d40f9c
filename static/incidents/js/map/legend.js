/**
 * The map's legend, on the map (a Leaflet control): what the weapon colours, the
 * site shield, the dashed circle and a group's number mean. It replaces the
 * panel's old legend, which sat below the lists where nobody looking at the map
 * would find it; saying it twice would only be longer.
 *
 * A button (aria-expanded) folds it. It starts open where the map is wide and
 * folded on a phone, where it would cover the map; the choice is not remembered
 * (no storage, nothing in the address: it is not part of the view a link shares).
 * It sits at the top on the side the page reads from (top right in English, top
 * left under the zoom buttons in Arabic), away from the attribution at the bottom.
 * Swatches are drawn with CSS; the shield is the map's own icon, beside its words.
 */

import { el, isArabic, text } from "./dom.js";
import { WEAPON_COLOURS, weaponLabel } from "./popup.js";

/** Narrower than this, the legend starts folded (map.css's phone layout). */
const FOLDED_BELOW = "(max-width: 700px)";

function legendItem(className, mark, words) {
  return el("li", { className }, mark, el("span", {}, words));
}

function legendBody(iconUrl) {
  const weapons = el("ul", { className: "bw-map-legend-weapons" });
  for (const [weapon, colour] of Object.entries(WEAPON_COLOURS)) {
    const swatch = el("span", { className: "bw-legend-swatch", "aria-hidden": "true" });
    swatch.style.backgroundColor = colour;
    const item = legendItem("bw-map-legend-weapon", swatch, weaponLabel(weapon));
    item.dataset.weapon = weapon;
    weapons.append(item);
  }
  const shield = el("img", { src: iconUrl, alt: "", width: "18", height: "18" });
  const circle = el("span", { className: "bw-legend-circle", "aria-hidden": "true" });
  const group = el("span", { className: "bw-legend-cluster", "aria-hidden": "true" }, "12");
  return el(
    "div",
    { className: "bw-map-legend-body", id: "bw-map-legend-body" },
    el("p", { className: "bw-map-legend-heading" }, text.legend_weapons),
    weapons,
    el(
      "ul",
      { className: "bw-map-legend-marks" },
      legendItem("bw-map-legend-site", shield, text.legend_site),
      legendItem("bw-map-legend-uncertainty", circle, text.legend_uncertainty),
      legendItem("bw-map-legend-cluster", group, text.legend_cluster),
    ),
  );
}

/** Add the legend to `map`; `iconUrl` is the site shield's. */
export function addLegend(map, { iconUrl }) {
  const folded = window.matchMedia(FOLDED_BELOW).matches;
  const button = el(
    "button",
    {
      type: "button",
      className: "bw-map-legend-toggle",
      "aria-expanded": String(!folded),
      "aria-controls": "bw-map-legend-body",
    },
    text.legend,
  );
  const body = legendBody(iconUrl);
  body.hidden = folded;
  const box = el("section", { className: "bw-map-legend", "aria-label": text.legend });
  box.append(button, body);
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    body.hidden = !open;
  });
  const Legend = window.L.Control.extend({
    onAdd() {
      // Clicks, scrolls and drags on the legend are not the map's.
      window.L.DomEvent.disableClickPropagation(box);
      window.L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  new Legend({ position: isArabic ? "topleft" : "topright" }).addTo(map);
  return box;
}
