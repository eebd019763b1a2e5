/* bp-fontawesome.js: Font Awesome nests its <svg> in a widget's <i>. See docs/page-contract.md. */
(function () {
  "use strict";
  // The theme's fontawesome.js replaces <i class="fa ..."> with <svg>, which breaks
  // widgets that keep a reference to their <i> (Play); "nest" puts the <svg> inside it.
  window.FontAwesomeConfig = Object.assign({}, window.FontAwesomeConfig || {},
    { autoReplaceSvg: "nest" });
})();
