/* bp-a11y.js: names for slider handles, alt text for pictures. See docs/page-contract.md. */
(function () {
  "use strict";
  var D = window.bpDom;

  // ipywidgets 8 leaves slider handles (role=slider) and the editable readout unnamed.
  function nameSliders() {
    document.querySelectorAll(".widget-slider").forEach(function (slider) {
      var label = slider.querySelector(".widget-label");
      var name = (label && label.textContent.trim()) || slider.getAttribute("title") || "Step";
      slider.querySelectorAll(".noUi-handle").forEach(function (h) {
        if (!h.hasAttribute("aria-label") && !h.hasAttribute("aria-labelledby")) {
          h.setAttribute("aria-label", name);
        }
      });
      slider.querySelectorAll(".widget-readout[contenteditable]").forEach(function (r) {
        if (!r.hasAttribute("aria-label")) {
          r.setAttribute("role", "textbox");
          r.setAttribute("aria-label", name + " value");
        }
      });
    });
  }

  // The Image widget has no alt trait: a picture's words, written beside it in a
  // paragraph, become its alt text; any other widget picture gets its title, or "".
  function altText() {
    document.querySelectorAll("." + D.STEP + ", ." + D.FIGURE_GROUP).forEach(function (step) {
      var text = step.querySelector("." + D.ALT);
      var img = step.querySelector("img." + D.FIGURE);
      if (text && img && !img.getAttribute("alt")) {
        img.setAttribute("alt", text.textContent.trim());
      }
    });
    document.querySelectorAll(".jupyter-widgets img:not([alt])").forEach(function (img) {
      img.setAttribute("alt", img.getAttribute("title") || "");
    });
  }

  window.bpOnRender(function () { nameSliders(); altText(); });
})();
