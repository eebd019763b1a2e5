/* bp-on-render.js: bpOnRender(f) runs f as widgets render. See docs/page-contract.md. */
(function () {
  "use strict";
  var callbacks = [];
  var observing = false;
  var scheduled = false;

  // At most once a frame, after the widget manager has changed the page.
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      callbacks.forEach(function (callback) { callback(); });
    });
  }

  var STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';

  function observe() {
    if (!document.querySelector(STATE)) return;  // no embedded widgets on this page
    observing = true;
    // aria-valuenow: a slider moved, so Previous/Next may change state
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true,
      attributes: true, attributeFilter: ["aria-valuenow"],
    });
    schedule();
  }

  window.bpOnRender = function (callback) {
    callbacks.push(callback);
    if (observing) schedule();
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", observe);
  } else {
    observe();
  }
})();
