// The page-independent parts of static/incidents/js/common/dom.js, which the map
// and the site page share: the http(s)-only link check and the label filler.
// Run: node --test tests/js/   (tests/project/test_js_units.py runs it with the suite).

import assert from "node:assert/strict";
import test from "node:test";

import { fill, safeHttpUrl } from "../../static/incidents/js/common/dom.js";

test("only http and https URLs become links", () => {
  assert.equal(safeHttpUrl("https://example.org/a?b=1"), "https://example.org/a?b=1");
  assert.equal(safeHttpUrl("http://example.org"), "http://example.org/");
  for (const raw of [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/",
    "//example.org/relative",
    "/relative/path",
    "not a url",
    "",
    null,
    undefined,
  ]) {
    assert.equal(safeHttpUrl(raw), null, String(raw));
  }
});

test("a label's placeholders are filled, unknown ones left as written", () => {
  assert.equal(fill("{count} of {total}", { count: 3, total: 10 }), "3 of 10");
  assert.equal(fill("{count} {missing}", { count: 0 }), "0 {missing}");
  // A value is text: braces or markup in it are not placeholders nor HTML.
  assert.equal(fill("{name}", { name: "<b>{total}</b>" }), "<b>{total}</b>");
  // Only own keys count, never the prototype's.
  assert.equal(fill("{toString}", {}), "{toString}");
});

test("the module reads nothing from a page at import", () => {
  // Node has no document: that the import above succeeded is the proof.
  assert.equal(typeof globalThis.document, "undefined");
});
