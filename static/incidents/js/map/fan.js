/**
 * Incidents that share a point, fanned out around it on demand. Sites are drawn
 * above incidents (markers.js's panes), so an incident on its site's point, or
 * several on one point, would be out of reach: each such point gets a small
 * "stack" badge with the number of incidents there, beside the site's icon (on
 * the side away from its label). Choosing the badge (click, Enter or Space)
 * spreads the point's circles on a ring around it, each joined to the true
 * point by a thin leg, focusable and named; Esc, a click elsewhere, a zoom or
 * the badge again puts them back. Points are only moved apart while fanned out.
 */

import { el, fill, formatCount, isArabic, text } from "./dom.js";
import { weaponLabel } from "./popup.js";

/** Gap between fanned circles and the least ring radius (clear of a site's icon). */
const FAN_STEP_PX = 20;
const FAN_MIN_RADIUS_PX = 50; // clear of the icon and of the badge beside it
const BADGE_PX = 20;

/** Points are the same to five decimals (about a metre). */
export function pointKey(latlng) {
  return `${latlng.lat.toFixed(5)},${latlng.lng.toFixed(5)}`;
}

/** The ring's radius for `n` circles: they never touch, and clear the icon. */
export function fanRadius(n) {
  return Math.max(FAN_MIN_RADIUS_PX, (n * FAN_STEP_PX) / (2 * Math.PI));
}

function onActivate(node, act) {
  node.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault(); // Space would scroll the page
    event.stopPropagation();
    act(event);
  });
}

const fans = new WeakMap();

/** The map's one fan: its badges, and which point is fanned out. */
export function fanOf(map) {
  if (!fans.has(map)) fans.set(map, createFan(map));
  return fans.get(map);
}

function createFan(map) {
  const L = window.L;
  const layer = L.layerGroup().addTo(map); // the badges and, when fanned, the legs
  let sitePoints = new Set();
  let open = null; // {badge, members, legs}

  function collapse({ focusBadge = false } = {}) {
    if (!open) return;
    const { badge, members, legs } = open;
    open = null;
    for (const marker of members) {
      marker.setLatLng(marker.homeLatLng);
      const node = marker.getElement();
      node?.removeAttribute("tabindex");
      node?.setAttribute("role", "img");
      node?.classList.remove("bw-fanned");
    }
    for (const leg of legs) leg.remove();
    const node = badge.getElement();
    node?.setAttribute("aria-expanded", "false");
    if (focusBadge) node?.focus();
  }

  function expand(badge, members, { focusFirst }) {
    collapse();
    const centre = map.latLngToLayerPoint(badge.getLatLng());
    const radius = fanRadius(members.length);
    const legs = [];
    members.forEach((marker, i) => {
      // Clockwise from the top, so that Tab goes round the ring.
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / members.length;
      const point = centre.add(L.point(radius * Math.cos(angle), radius * Math.sin(angle)));
      const latlng = map.layerPointToLatLng(point);
      legs.push(
        L.polyline([marker.homeLatLng, latlng], {
          pane: "bw-incidents",
          interactive: false,
          className: "bw-fan-leg",
          weight: 1,
        }).addTo(layer),
      );
      marker.setLatLng(latlng);
      marker.bringToFront();
      const node = marker.getElement();
      // A button only while it can be reached: the list is the way in otherwise.
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.classList.add("bw-fanned");
    });
    open = { badge, members, legs };
    badge.getElement().setAttribute("aria-expanded", "true");
    if (focusFirst) members[0].getElement().focus();
  }

  function drawBadge(latlng, members) {
    const count = members.length;
    const name = fill(text.stack_title, { count: formatCount(count) });
    // Above the icon's top corner, away from the label (right in English) and
    // clear of the labels beside it, which are centred on the point.
    const anchor = isArabic ? [-BADGE_PX / 2, BADGE_PX + 11] : [BADGE_PX + 10, BADGE_PX + 11];
    const badge = L.marker(latlng, {
      pane: "bw-stacks",
      keyboard: true,
      title: name,
      alt: name,
      icon: L.divIcon({
        html: el("span", { className: "bw-stack-count" }, formatCount(count)),
        className: "bw-stack",
        iconSize: [BADGE_PX, BADGE_PX],
        iconAnchor: anchor,
      }),
    }).addTo(layer);
    const node = badge.getElement();
    node.setAttribute("aria-label", name);
    node.setAttribute("aria-expanded", "false");
    node.dataset.count = String(count);
    node.dataset.point = pointKey(latlng);
    const toggle = (focusFirst) => {
      if (open?.badge === badge) collapse();
      else expand(badge, members, { focusFirst });
    };
    badge.on("click", () => toggle(false));
    onActivate(node, () => toggle(true));
  }

  /** Give each incident marker its accessible name and its key to open it. */
  function prepare(marker, incident) {
    marker.homeLatLng = marker.getLatLng();
    const node = marker.getElement();
    node.dataset.point = pointKey(marker.homeLatLng);
    node.setAttribute("role", "img");
    node.setAttribute(
      "aria-label",
      fill(text.incident_marker, {
        date: incident.occurred_on,
        weapon: weaponLabel(incident.weapon),
      }),
    );
    onActivate(node, () => marker.fire("click", { latlng: marker.getLatLng() }));
  }

  let drawn = []; // the current incident markers

  function drawBadges() {
    collapse();
    layer.clearLayers();
    const groups = new Map();
    for (const marker of drawn) {
      const key = pointKey(marker.homeLatLng);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(marker);
    }
    for (const [key, members] of groups) {
      if (members.length < 2 && !sitePoints.has(key)) continue;
      drawBadge(members[0].homeLatLng, members);
    }
    map.fire("bw:stacks"); // labels.js keeps clear of the badges
  }

  /**
   * After markers.js drew the incidents (`markers`: id -> marker, `incidents`:
   * id -> properties): a badge for each point with two or more of them, or with
   * one on a site's point.
   */
  function draw(markers, incidents) {
    open = null;
    drawn = [...markers.entries()].map(([id, marker]) => {
      prepare(marker, incidents.get(id));
      return marker;
    });
    drawBadges();
  }

  map.on("zoomstart", () => collapse());
  map.on("click", (event) => {
    const target = event.originalEvent?.target;
    if (target?.closest?.(".bw-fanned, .bw-stack")) return;
    collapse();
  });
  // Esc with a popup open closes the popup (open.js) and leaves the ring, focus
  // back on the circle it came from; Esc with none open closes the ring. In the
  // capture phase on window: before open.js's handler on document.
  window.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || !open) return;
      const popup = map.getContainer().querySelector(".leaflet-popup");
      const active = document.activeElement;
      if (popup) {
        // After open.js, which may have sent focus to the list.
        if (active?.classList?.contains("bw-fanned")) setTimeout(() => active.focus(), 0);
        return;
      }
      collapse({ focusBadge: map.getContainer().contains(active) });
    },
    true,
  );

  return {
    draw,
    collapse,
    /** The sites' points: an incident on one gets a badge, even alone. */
    setSitePoints(latlngs) {
      sitePoints = new Set(latlngs.map(pointKey));
      drawBadges();
    },
  };
}
