/*
 * bp-requirejs-config.js -- RequireJS paths for the widget manager, loaded
 * (through `nb_ipywidgets_js` in _config.yml) on pages with widgets, between
 * vendor/requirejs/require.js and vendor/jupyter-widgets/html-manager/embed-amd.js.
 *
 * Each AMD module in embed-amd.js (@jupyter-widgets/base, controls,
 * html-manager, ...) computes the URL of the Font Awesome fonts its CSS uses
 * from its own RequireJS module URL. By default RequireJS resolves a module id
 * next to the *page* (chapters/@jupyter-widgets/base.js), so the fonts 404.
 * These `paths` map every module into vendor/jupyter-widgets/html-manager/,
 * where the fonts are. (html-manager also reads
 * window.__jupyter_widgets_assets_path__, but only after its own CSS has
 * been injected, so that alone is not enough; it is set as well.) Nothing is
 * fetched through these paths: embed-amd.js defines all the modules itself.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src || typeof window.require !== "function" || !window.require.config) {
    console.error("bp-requirejs-config.js: load it right after require.js");
    return;
  }
  // this file is <root>/_static/bp-requirejs-config.js
  var assets = new URL("../vendor/jupyter-widgets/html-manager/", me.src).href;
  var paths = {};
  ["base", "base7", "controls", "controls7", "output", "html-manager"].forEach(function (m) {
    paths["@jupyter-widgets/" + m] = assets + m;
  });
  paths["@jupyter-widgets/html-manager/dist/libembed-amd"] = assets + "libembed-amd";
  window.require.config({ paths: paths });
  if (!window.__jupyter_widgets_assets_path__) {
    window.__jupyter_widgets_assets_path__ = assets;
  }
})();
