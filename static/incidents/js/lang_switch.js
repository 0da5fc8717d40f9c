/**
 * The language switch (templates/incidents/_language_switch.html) works without
 * this script: choose, then press the button. With it:
 * - choosing a language switches at once, whether by pointer or by Enter, but not
 *   while a keyboard user arrows through the closed select (each arrow fires a
 *   change; reloading on each would be WCAG 3.2.2, On Input): they press Enter, or
 *   the button, which stays;
 * - "next" is the address as it is when the form is sent, not as it was served:
 *   the map rewrites the address (filters, view, open incident) as the reader goes,
 *   and all of that should survive the switch. The server still only follows
 *   "next" when it is a URL of this site.
 */

const BROWSING_KEYS = new Set([
  "ArrowUp",
  "ArrowDown",
  "ArrowLeft",
  "ArrowRight",
  "Home",
  "End",
  "PageUp",
  "PageDown",
]);

for (const form of document.querySelectorAll("form.bw-lang")) {
  form.addEventListener("submit", () => {
    const next = form.elements.namedItem("next");
    const { pathname, search, hash } = window.location;
    if (next) next.value = pathname + search + hash;
  });
  const select = form.elements.namedItem("language");
  if (!select) continue;
  const served = select.value;
  let browsing = false;
  select.addEventListener("keydown", (event) => {
    browsing = BROWSING_KEYS.has(event.key);
    if (event.key === "Enter" && select.value !== served) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  select.addEventListener("pointerdown", () => {
    browsing = false;
  });
  select.addEventListener("change", () => {
    if (!browsing && select.value !== served) form.requestSubmit();
  });
}
