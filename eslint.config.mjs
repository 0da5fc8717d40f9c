// ESLint for Basewatch's own JavaScript (make lint, and the pre-commit hook).
// The browser code is plain ES modules loaded by the pages, with no build step;
// the unit tests under tests/js/ run on Node. Vendored libraries are not ours.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/**", "tests/browser/vendor/**", "staticfiles/**", "node_modules/**", ".venv/**"] },
  js.configs.recommended,
  {
    files: ["static/incidents/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // Leaflet is loaded by a classic <script> before the modules and read as L.
      globals: { ...globals.browser, L: "readonly" },
    },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node },
    },
  },
  {
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      // Incident text is hostile: it reaches the page only as text.
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Use textContent or DOM nodes." },
        { property: "outerHTML", message: "Use textContent or DOM nodes." },
        { property: "insertAdjacentHTML", message: "Use DOM nodes." },
      ],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
    },
  },
  {
    // django-leaflet's per-map script, replaced by a classic script whose exact text
    // the Content-Security-Policy pins by SHA-256: its style stays as it is.
    files: ["templates/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly" },
    },
    rules: { "no-var": "off", eqeqeq: "off" },
  },
];
