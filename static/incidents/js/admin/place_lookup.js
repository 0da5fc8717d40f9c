/**
 * Geocoding on the admin change forms (the server side is incidents/admin/lookups.py).
 *
 * Site form: "Find this place" looks the names typed in the form up and, when a
 * geocoder places them, fills the point, its precision and source, and an empty
 * country and governorate. Nothing is saved: the editor checks the marker and saves.
 *
 * Incident form: whenever the point changes (typed, clicked or dragged), the server
 * says which country and governorate hold it and which site is nearest; empty
 * country and governorate inputs are filled (and refilled while they still hold
 * what was filled), and the nearest site is offered with a button that adds it to
 * the incident's sites.
 *
 * Every text from the server goes in as text (common/dom.js's el): names come from
 * the database and from online geocoders, neither of them trusted.
 */

import { getJson } from "../common/api.js";
import { el } from "../common/dom.js";

const LOOKUP_DELAY_MS = 300;

function byId(id) {
  return document.getElementById(id);
}

/** A lookup's answer; a refusal throws with the lookup's own words (body.error). */
async function lookupJson(url) {
  try {
    return await getJson(url);
  } catch (error) {
    throw new Error((error.body && error.body.error) || error.message, {
      cause: error,
    });
  }
}

/** Set an input as if typed, so the point map and Django's own scripts follow. */
function setInput(input, value) {
  if (!input) {
    return;
  }
  input.value = value === null || value === undefined ? "" : String(value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

function showLines(box, lines, state) {
  box.replaceChildren(...lines.map((line) => el("p", {}, line)));
  box.dataset.state = state;
}

// --- the site form ---------------------------------------------------------------

function bindSiteLookup(panel) {
  const button = byId("find-place");
  const result = byId("place-lookup-result");
  const labels = panel.dataset;
  button.addEventListener("click", async () => {
    const params = new URLSearchParams();
    for (const id of ["id_name", "id_name_ar"]) {
      const value = byId(id)?.value.trim();
      if (value) {
        params.append("name", value);
      }
    }
    params.set("aliases", byId("id_aliases")?.value || "");
    params.set("country", byId("id_country")?.value || "");
    if (labels.siteId) {
      params.set("site", labels.siteId);
    }
    button.disabled = true;
    showLines(result, [labels.searching], "busy");
    try {
      const answer = await lookupJson(`${labels.siteLookupUrl}?${params}`);
      if (answer.found) {
        setInput(byId("id_latitude"), answer.latitude);
        setInput(byId("id_longitude"), answer.longitude);
        setInput(byId("id_precision_m"), answer.precision_m);
        setInput(byId("id_location_source"), answer.location_source);
        for (const [id, value] of [
          ["id_country", answer.country],
          ["id_admin1", answer.admin1],
        ]) {
          if (value && !byId(id).value.trim()) {
            setInput(byId(id), value);
          }
        }
        showLines(
          result,
          [`${labels.foundBy} ${answer.geocoder}: ${answer.address}`, ...answer.notes],
          "found",
        );
      } else {
        showLines(result, answer.notes, "not-found");
      }
    } catch (error) {
      showLines(result, [error.message], "error");
    } finally {
      button.disabled = false;
    }
  });
}

// --- the incident form -----------------------------------------------------------

function selectedSiteIds() {
  const select = byId("id_sites");
  return select ? Array.from(select.selectedOptions, (option) => option.value) : [];
}

function addSite(site) {
  const select = byId("id_sites");
  let option = Array.from(select.options).find((o) => o.value === String(site.id));
  if (!option) {
    option = new Option(site.name, site.id, true, true);
    select.append(option);
  }
  option.selected = true;
  // The admin's autocomplete is select2 on Django's jQuery: it redraws on its
  // jQuery change event, not on a native one.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(select).trigger("change");
  } else {
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

function bindPointLookup(panel) {
  const labels = panel.dataset;
  const box = byId("point-suggestion");
  const latInput = byId("id_latitude");
  const lngInput = byId("id_longitude");
  const filled = { id_country: null, id_admin1: null };
  let timer = null;
  let latest = 0;

  function fill(id, value) {
    const input = byId(id);
    const current = input.value.trim();
    // Fill an empty input, or one still holding what we filled: never an editor's.
    if (value && (current === "" || current === filled[id])) {
      setInput(input, value);
      filled[id] = value;
    }
  }

  function render(facts) {
    const lines = [];
    if (facts.country) {
      const others = facts.country_candidates.filter((c) => c !== facts.country);
      lines.push(
        others.length
          ? `${labels.country} ${facts.country} (${labels.nearBorder} ${others.join(", ")})`
          : `${labels.country} ${facts.country}`,
      );
    } else {
      lines.push(labels.noCountry);
    }
    if (facts.admin1) {
      lines.push(`${labels.admin1} ${facts.admin1}`);
    }
    const nodes = lines.map((line) => el("p", {}, line));
    const site = facts.nearest_site;
    if (site) {
      const row = el("p", {}, `${labels.nearest} ${site.name} (${site.distance_km} km)`);
      row.className = "nearest-site";
      if (!selectedSiteIds().includes(String(site.id))) {
        const add = el("button", { className: "button" }, `${labels.addSite} ${site.name}`);
        add.type = "button";
        add.addEventListener("click", () => {
          addSite(site);
          add.remove();
        });
        row.append(" ", add);
      }
      nodes.push(row);
    } else {
      nodes.push(el("p", {}, labels.noSite));
    }
    box.replaceChildren(...nodes);
    box.dataset.state = "ready";
  }

  async function lookUp() {
    // Every call, valid point or not, outdates answers still on their way: a
    // cleared point must not be filled in by the answer for the point before.
    const ticket = ++latest;
    const lat = Number(latInput.value);
    const lon = Number(lngInput.value);
    const valid =
      latInput.value.trim() !== "" &&
      lngInput.value.trim() !== "" &&
      Math.abs(lat) <= 90 &&
      Math.abs(lon) <= 180;
    if (!valid) {
      box.replaceChildren();
      box.dataset.state = "empty";
      return;
    }
    try {
      const facts = await lookupJson(
        `${labels.pointLookupUrl}?${new URLSearchParams({ lat, lon })}`,
      );
      if (ticket !== latest) {
        return; // a newer point was asked about meanwhile
      }
      fill("id_country", facts.country);
      fill("id_admin1", facts.admin1);
      render(facts);
    } catch (error) {
      showLines(box, [error.message], "error");
    }
  }

  function schedule() {
    latest += 1; // an answer for the point before this change is stale already
    clearTimeout(timer);
    timer = setTimeout(lookUp, LOOKUP_DELAY_MS);
  }

  for (const input of [latInput, lngInput]) {
    input.addEventListener("input", schedule);
    input.addEventListener("change", schedule);
  }
  lookUp();
}

const panel = document.querySelector("[data-place-lookup]");
if (panel && panel.dataset.siteLookupUrl) {
  bindSiteLookup(panel);
}
if (panel && panel.dataset.pointLookupUrl) {
  bindPointLookup(panel);
}
