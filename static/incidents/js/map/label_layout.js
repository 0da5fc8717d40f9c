/**
 * Where site labels go without colliding: pure geometry, no DOM, so it is
 * unit-tested under node (tests/js/map_label_layout.test.mjs). map/labels.js
 * measures the labels on the map and applies the answer.
 *
 * Each label has candidate boxes in order of preference (its reading side, then
 * the other side of its icon). The most important labels are placed first; a
 * label takes its first candidate that stays inside the visible area and
 * overlaps neither a label already placed nor an obstacle (a map control, the
 * icon of another site). A label with no such candidate is hidden.
 */

/** Site kinds from most to least important, after the count. */
export const KIND_RANK = ["airfield", "base", "oil_field", "camp", "outpost", "town"];

/** Labels this close (pixels) count as touching: a hairline gap still reads as one. */
export const LABEL_GAP = 2;

/** Do boxes {x, y, w, h} overlap, with `gap` pixels kept between them? */
export function overlaps(a, b, gap = 0) {
  return (
    a.x < b.x + b.w + gap &&
    b.x < a.x + a.w + gap &&
    a.y < b.y + b.h + gap &&
    b.y < a.y + a.h + gap
  );
}

/** Is box `a` wholly inside box `area`? */
export function inside(a, area) {
  return (
    a.x >= area.x && a.y >= area.y && a.x + a.w <= area.x + area.w && a.y + a.h <= area.y + area.h
  );
}

/** The rank of a kind: lower is more important; unknown kinds come last. */
function kindRank(kind) {
  const rank = KIND_RANK.indexOf(kind);
  return rank === -1 ? KIND_RANK.length : rank;
}

/**
 * More important first: more incidents under the filters, then the site kind,
 * then the name (so that the answer never depends on the input's order).
 */
export function byImportance(a, b) {
  return (
    (b.count || 0) - (a.count || 0) ||
    kindRank(a.kind) - kindRank(b.kind) ||
    String(a.id).localeCompare(String(b.id))
  );
}

/**
 * Place labels. `labels`: [{id, count, kind, candidates: [box, ...], icon: box}];
 * `area`: the visible box; `obstacles`: boxes nothing may cover. Returns
 * Map id -> index of the chosen candidate, or -1 when the label is hidden.
 * Every other label's icon is an obstacle too: a label never covers a site.
 */
export function placeLabels(labels, area, obstacles = []) {
  const placed = [];
  const chosen = new Map();
  const icons = labels.filter((l) => l.icon).map((l) => ({ id: l.id, box: l.icon }));
  for (const label of [...labels].sort(byImportance)) {
    const index = label.candidates.findIndex(
      (box) =>
        inside(box, area) &&
        !placed.some((other) => overlaps(box, other, LABEL_GAP)) &&
        !obstacles.some((other) => overlaps(box, other)) &&
        !icons.some((icon) => icon.id !== label.id && overlaps(box, icon.box)),
    );
    chosen.set(label.id, index);
    if (index !== -1) placed.push(label.candidates[index]);
  }
  return chosen;
}

/** The box mirrored about the icon's vertical axis at `cx`: the other side. */
export function mirrored(box, cx) {
  return { x: 2 * cx - (box.x + box.w), y: box.y, w: box.w, h: box.h };
}
