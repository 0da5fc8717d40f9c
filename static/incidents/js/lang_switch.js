/**
 * The language switch (templates/incidents/_language_switch.html) works without
 * this script. With it, "next" is the address as it is when the form is sent, not
 * as it was when the page was served: the map rewrites the address (filters, view,
 * open incident) as the reader goes, and all of that should survive the switch.
 * The server still only follows "next" when it is a URL of this site.
 */

for (const form of document.querySelectorAll("form.bw-lang")) {
  form.addEventListener("submit", () => {
    const next = form.elements.namedItem("next");
    const { pathname, search, hash } = window.location;
    if (next) next.value = pathname + search + hash;
  });
}
