(function () {
    // Basewatch's stand-in for django-leaflet's per-map inline script. This text
    // never changes, so the Content-Security-Policy allows it by its SHA-256
    // (config/settings.py); the map's own options come from the inert element just
    // before this script. Keep template syntax out of this file.
    var holder = document.currentScript.previousElementSibling;
    var name = holder.getAttribute("data-name");
    var globals = holder.getAttribute("data-globals") === "true";
    var loadevents = JSON.parse(holder.getAttribute("data-loadevents"));
    var callbackPath = holder.getAttribute("data-callback");

    function resolve(path) {
        // A dotted name such as "window.basewatchMapInit", read when the map is made.
        if (!path) return null;
        var value = window;
        var parts = path.replace(/^window\./, "").split(".");
        for (var i = 0; i < parts.length && value != null; i++) value = value[parts[i]];
        return typeof value === "function" ? value : null;
    }

    function loadmap() {
        var options = {
            djoptions: JSON.parse(holder.getAttribute("data-options")),
            initfunc: loadmap,
            globals: globals,
            callback: resolve(callbackPath)
        };
        var map = L.Map.djangoMap(name, options);
        if (globals) window["leafletmap" + name] = map;
    }

    if (loadevents.length === 0) loadmap();
    else {
        for (var i = 0; i < loadevents.length; i++) {
            window.addEventListener(loadevents[i], loadmap, false);
        }
    }
    if (globals) window["loadmap" + name] = loadmap;
})();
