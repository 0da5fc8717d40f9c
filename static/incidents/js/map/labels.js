/**
 * The sites' name labels on the map, placed without collisions by
 * label_layout.js: measured where Leaflet drew them (each a permanent tooltip),
 * each label reads away from its icon (right in English, left in Arabic) or, if
 * that side is taken or off the map, the other; one that fits nowhere is hidden
 * until a zoom gives it room, or while its site is hovered or focused. A hidden
 * label's name stays in its marker's accessible name and in the site's popup.
 * Placed again on every zoom, move and resize, and when the counts change.
 */

import { isArabic } from "./dom.js";
import { mirrored, placeLabels } from "./label_layout.js";

const READING_SIDE = isArabic ? "left" : "right";
const OTHER_SIDE = isArabic ? "right" : "left";

function relativeBox(node, origin) {
  const r = node.getBoundingClientRect();
  return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height };
}

/** Put a site's label on `side` of its icon, `half` pixels from its centre. */
export function setLabelSide(marker, wanted) {
  const side = wanted || READING_SIDE;
  const tooltip = marker.getTooltip();
  const half = marker.options.icon.options.iconSize[0] / 2;
  tooltip.options.direction = side;
  tooltip.options.offset = [side === "right" ? half : -half, 0];
  marker.labelSide = side;
  if (tooltip.isOpen()) tooltip.update();
}

/**
 * Keep `drawn` ([{site, marker, count}]) labelled without collisions; returns
 * {place()}, to call when the counts change.
 */
export function createLabelPlacer(map, drawn) {
  const container = map.getContainer();

  function place() {
    const origin = container.getBoundingClientRect();
    const area = { x: 0, y: 0, w: origin.width, h: origin.height };
    // Nothing covers a map control (the zoom buttons, a legend) or a stack badge.
    const obstacles = [...container.querySelectorAll(".leaflet-control, .bw-stack")].map(
      (node) => relativeBox(node, origin),
    );
    const labels = [];
    const byId = new Map();
    for (const item of drawn) {
      const { site, marker } = item;
      const node = marker.getTooltip()?.getElement();
      const icon = marker.getElement();
      if (!node || !icon) continue;
      const box = relativeBox(node, origin);
      const iconBox = relativeBox(icon, origin);
      const cx = iconBox.x + iconBox.w / 2;
      const other = mirrored(box, cx);
      const onReadingSide = (marker.labelSide || READING_SIDE) === READING_SIDE;
      labels.push({
        id: site.slug,
        count: item.count,
        kind: site.kind,
        icon: iconBox,
        candidates: onReadingSide ? [box, other] : [other, box],
      });
      node.dataset.siteSlug = site.slug;
      byId.set(site.slug, { marker, node });
    }
    const chosen = placeLabels(labels, area, obstacles);
    for (const [id, index] of chosen) {
      const { marker, node } = byId.get(id);
      const hidden = index === -1;
      node.classList.toggle("bw-label-hidden", hidden);
      const side = index === 1 ? OTHER_SIDE : READING_SIDE;
      if (!hidden && side !== (marker.labelSide || READING_SIDE)) setLabelSide(marker, side);
    }
    container.dataset.labelsPlaced = String(Number(container.dataset.labelsPlaced || 0) + 1);
  }

  /** While a site is hovered or focused its label shows, placed or not. */
  function peek(marker, on) {
    marker.getTooltip()?.getElement()?.classList.toggle("bw-label-peek", on);
  }
  const bySlug = new Map();
  for (const { site, marker } of drawn) {
    bySlug.set(site.slug, marker);
    marker.on("mouseover", () => peek(marker, true));
    marker.on("mouseout", () => peek(marker, false));
  }
  // Delegated: a site's icon element is replaced whenever its count changes.
  const focused = (event) => {
    const slug = event.target.closest?.(".bw-site-marker")?.dataset.siteSlug;
    return slug && bySlug.get(slug);
  };
  container.addEventListener("focusin", (event) => {
    const marker = focused(event);
    if (marker) peek(marker, true);
  });
  container.addEventListener("focusout", (event) => {
    const marker = focused(event);
    if (marker) peek(marker, false);
  });

  map.on("zoomend moveend resize bw:stacks", place);
  return { place };
}
