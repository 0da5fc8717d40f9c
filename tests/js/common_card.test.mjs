// The incident card both pages show (static/incidents/js/common/card.js) and the
// words it is made with (common/locale.js), against a tiny fake document
// (fake_dom.mjs): labels are passed in, nothing is read from a page.
// Run: node --test tests/js/   (tests/test_js_units.py runs it with the suite).

import assert from "node:assert/strict";
import test from "node:test";

import { createCard } from "../../static/incidents/js/common/card.js";
import { createLocale } from "../../static/incidents/js/common/locale.js";
import { install } from "./fake_dom.mjs";

// Imported above with no document at all: neither module touches a page at import.
const importedWithoutDocument = typeof globalThis.document === "undefined";
install();

const LABELS = {
  weapon: { drone: "drone", small_arms: "small arms" },
  event_type: { attack: "attack" },
  confidence: { confirmed: "confirmed" },
  confidence_explanation: { confirmed: "an official source confirms it" },
  role: { claimed_by: "claimed by" },
  stance: { confirms: "confirms", claims: "claims" },
  date_precision: { month: "known to the month" },
  text: {
    not_reported: "not reported",
    none_reported: "none reported",
    no_weapon: "no weapon",
    no_site: "no site",
    none: "none",
    sources: "Sources",
    no_sources: "No sources",
    incident_page: "Details and corrections",
    event_type: "Type",
    weapon: "Weapon",
    sites: "Sites",
    injured: "Injured",
    killed: "Killed",
    confidence: "Confidence",
    actors: "Actors",
  },
};

const HOSTILE = '<img src=x onerror="window.__xss=1">';

function incident(overrides = {}) {
  return {
    id: 42,
    occurred_on: "2023-11-20",
    date_precision: "day",
    event_type: "attack",
    weapon: "drone",
    injured: null,
    killed: 0,
    confidence: "confirmed",
    summary: HOSTILE,
    sites: [{ name: "Al-Omar", name_ar: "حقل العمر" }],
    actors: [{ name: "IRI", role: "claimed_by" }],
    sources: [
      { publisher: "CENTCOM", stance: "confirms", url: "https://www.centcom.mil/s" },
      { publisher: "Hostile", stance: "claims", url: "javascript:alert(1)", title: "x" },
    ],
    ...overrides,
  };
}

const english = createLocale({ labels: LABELS, lang: "en" });
const arabic = createLocale({ labels: LABELS, lang: "ar" });

const row = (article, className) => article.byClass(className)[0]?.byTag("dd")[0];

test("neither module reads a page at import", () => {
  assert.equal(importedWithoutDocument, true);
});

test("not reported and none reported never look alike; counts in Latin digits", () => {
  const card = createCard(english);
  assert.equal(card.casualtyText(null), "not reported");
  assert.equal(card.casualtyText(undefined), "not reported");
  assert.equal(card.casualtyText(0), "none reported");
  assert.equal(card.casualtyText(1234), "1,234");
  // Latin digits on an Arabic page too (the separator is the language's).
  assert.match(createCard(arabic).casualtyText(1234), /^1[^0-9]?234$/);
});

test("a date says how precisely it is known", () => {
  const card = createCard(english);
  const known = card.dateNode({ occurred_on: "2023-11-05", date_precision: "month" });
  assert.equal(known.textContent, "2023-11-05 (known to the month)");
  assert.equal(known.byTag("time")[0].getAttribute("datetime"), "2023-11-05");
  const exact = card.dateNode({ occurred_on: "2023-11-20", date_precision: "day" });
  assert.equal(exact.textContent, "2023-11-20");
});

test("names follow the page's language, each marked with its direction", () => {
  const site = { name: "Al-Omar", name_ar: "حقل العمر" };
  const en = createCard(english).nameNode(site);
  assert.equal(en.textContent, "Al-Omar");
  assert.equal(en.getAttribute("dir"), "auto");
  const ar = createCard(arabic).nameNode(site);
  assert.equal(ar.textContent, "حقل العمر");
  assert.equal(ar.getAttribute("lang"), "ar");
  assert.equal(ar.getAttribute("dir"), "rtl");
  const two = { sites: [site, { name: "Conoco" }] };
  assert.equal(createCard(arabic).siteNames(two).textContent, "حقل العمر، Conoco");
  assert.equal(createCard(english).siteNames({ sites: [] }), "no site");
});

test("the map's card: its classes, id, sites row and incident page link", () => {
  const pages = [];
  const card = createCard(english, {
    incidentPageUrl: (id) => {
      pages.push(id);
      return `/incidents/${id}/`;
    },
  });
  const article = card.incidentCard(incident(), {
    level: 2,
    className: "bw-popup bw-incident",
    titleClassName: "bw-popup-title",
  });
  assert.equal(article.tagName, "ARTICLE");
  assert.equal(article.className, "bw-popup bw-incident");
  assert.equal(article.getAttribute("data-incident-id"), "42");
  assert.equal(article.byTag("h2")[0].className, "bw-popup-title");
  assert.equal(article.byTag("h3")[0].textContent, "Sources");
  assert.equal(row(article, "bw-sites").textContent, "Al-Omar");
  assert.equal(row(article, "bw-weapon").textContent, "drone");
  assert.equal(row(article, "bw-injured").textContent, "not reported");
  assert.equal(row(article, "bw-killed").textContent, "none reported");
  assert.equal(
    row(article, "bw-confidence-row").textContent,
    "confirmed — an official source confirms it",
  );
  assert.equal(article.byClass("bw-actors")[0].textContent, "IRI (claimed by)");
  const link = article.byClass("bw-incident-page")[0].byTag("a")[0];
  assert.equal(link.getAttribute("href"), "/incidents/42/");
  assert.deepEqual(pages, [42]);
});

test("the site page's card: no sites row, no id on the article, h3 and h4", () => {
  const article = createCard(english).incidentCard(incident(), {
    level: 3,
    className: "bw-incident",
    titleClassName: "bw-incident-title",
    withId: false,
    withSites: false,
  });
  assert.equal(article.className, "bw-incident");
  assert.equal(article.getAttribute("data-incident-id"), null);
  assert.equal(article.byTag("h3")[0].className, "bw-incident-title");
  assert.equal(article.byTag("h4")[0].textContent, "Sources");
  assert.equal(article.byClass("bw-sites").length, 0);
  // No page to link to unless the page says where.
  assert.equal(article.byClass("bw-incident-page").length, 0);
});

test("untrusted text stays text and only http(s) URLs become links", () => {
  const article = createCard(english).incidentCard(incident());
  const summary = article.byClass("bw-summary")[0];
  assert.equal(summary.textContent, HOSTILE);
  assert.equal(summary.children.length, 0); // one text node, no element parsed
  assert.equal(article.byTag("img").length, 0);
  const [good, hostile] = article.byClass("bw-source");
  const link = good.byTag("a")[0];
  assert.equal(link.getAttribute("href"), "https://www.centcom.mil/s");
  assert.equal(link.getAttribute("rel"), "noopener noreferrer");
  assert.equal(hostile.byTag("a").length, 0);
  assert.equal(hostile.byClass("bw-unlinked")[0].textContent, "x");
});

test("no actors and no sources say so", () => {
  const article = createCard(english).incidentCard(incident({ actors: [], sources: [] }));
  assert.equal(row(article, "bw-actors-row").textContent, "none");
  assert.equal(article.byClass("bw-no-sources")[0].textContent, "No sources");
  assert.equal(article.byClass("bw-sources").length, 0);
});

test("a weapon without a label is shown as recorded, none as 'no weapon'", () => {
  const card = createCard(english);
  assert.equal(card.weaponLabel("small_arms"), "small arms");
  assert.equal(card.weaponLabel("laser"), "laser");
  assert.equal(card.weaponLabel(""), "no weapon");
});
