// Site labels without collisions (static/incidents/js/map/label_layout.js).
// Pure: no DOM. Run: node --test tests/js/

import assert from "node:assert/strict";
import test from "node:test";

import {
  byImportance,
  inside,
  mirrored,
  overlaps,
  placeLabels,
} from "../../static/incidents/js/map/label_layout.js";

const box = (x, y, w = 60, h = 16) => ({ x, y, w, h });
const area = box(0, 0, 400, 300);

test("boxes that touch within the gap overlap; apart they do not", () => {
  assert.ok(overlaps(box(0, 0), box(50, 0)));
  assert.ok(!overlaps(box(0, 0), box(61, 0)));
  assert.ok(overlaps(box(0, 0), box(61, 0), 2));
  assert.ok(!overlaps(box(0, 0), box(0, 20)));
});

test("inside means wholly inside", () => {
  assert.ok(inside(box(0, 0), area));
  assert.ok(!inside(box(350, 0), area));
  assert.ok(!inside(box(-1, 0), area));
});

test("more incidents win, then the kind, then the name", () => {
  const sorted = [
    { id: "b", count: 1, kind: "town" },
    { id: "a", count: 1, kind: "airfield" },
    { id: "c", count: 5, kind: "town" },
    { id: "d", count: 1, kind: "airfield" },
  ].sort(byImportance);
  assert.deepEqual(
    sorted.map((l) => l.id),
    ["c", "a", "d", "b"],
  );
});

test("a label overlapping a more important one is hidden", () => {
  const chosen = placeLabels(
    [
      { id: "tal-tamr", count: 1, kind: "base", candidates: [box(10, 10)] },
      { id: "tal-baydar", count: 9, kind: "base", candidates: [box(20, 14)] },
    ],
    area,
  );
  assert.equal(chosen.get("tal-baydar"), 0);
  assert.equal(chosen.get("tal-tamr"), -1);
});

test("a label takes the other side when its own side is taken or off the map", () => {
  const chosen = placeLabels(
    [
      { id: "big", count: 9, candidates: [box(100, 100)] },
      { id: "small", count: 1, candidates: [box(120, 100), box(20, 100)] },
      { id: "edge", count: 1, candidates: [box(360, 200), box(250, 200)] },
    ],
    area,
  );
  assert.deepEqual(Object.fromEntries(chosen), { big: 0, small: 1, edge: 1 });
});

test("labels never cover another site's icon or an obstacle", () => {
  const chosen = placeLabels(
    [
      { id: "a", count: 9, candidates: [box(10, 10)], icon: box(0, 10, 10, 10) },
      { id: "b", count: 1, candidates: [box(100, 10)], icon: box(30, 12, 10, 10) },
      { id: "c", count: 1, candidates: [box(200, 100)] },
    ],
    area,
    [box(190, 90, 20, 20)],
  );
  assert.equal(chosen.get("a"), -1); // it would cover b's icon
  assert.equal(chosen.get("b"), 0);
  assert.equal(chosen.get("c"), -1);
});

test("the answer does not depend on the input's order", () => {
  const labels = [
    { id: "x", count: 2, candidates: [box(0, 0)] },
    { id: "y", count: 2, candidates: [box(10, 0)] },
  ];
  const one = placeLabels(labels, area);
  const two = placeLabels([...labels].reverse(), area);
  assert.deepEqual([...one].sort(), [...two].sort());
  assert.equal(one.get("x"), 0);
});

test("mirroring puts a box on the other side of the icon's axis", () => {
  assert.deepEqual(mirrored(box(110, 5, 60, 16), 100), box(30, 5, 60, 16));
});
