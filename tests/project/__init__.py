"""Project-wide checks: layers, settings, vendored assets, i18n, JS, concurrency."""
