/* bp-stepper-nav.js: Previous/Next without a kernel. See docs/page-contract.md. */
(function () {
  "use strict";
  var D = window.bpDom;
  var STEPPER = "." + D.STEPPER;
  var PREV = "." + D.PREV;
  var NEXT = "." + D.NEXT;

  function own(root, selector) {
    // elements matching selector whose nearest stepper is root
    return Array.prototype.filter.call(root.querySelectorAll(selector),
      function (el) { return el.closest(STEPPER) === root; });
  }

  function handleOf(root) {
    var sliders = own(root, "." + D.STEP_SLIDER);
    if (!sliders.length) sliders = own(root, ".widget-hslider");
    return sliders.length ? sliders[0].querySelector(".noUi-handle") : null;
  }

  // aria-disabled (not the disabled property): the button keeps keyboard
  // focus at the first/last step, and the model's own `disabled` is untouched.
  function setDisabled(button, off) {
    var value = off ? "true" : "false";
    if (button.getAttribute("aria-disabled") !== value) {
      button.setAttribute("aria-disabled", value);
    }
  }

  function refresh(root) {
    var handle = handleOf(root);
    if (!handle) return;
    var now = parseFloat(handle.getAttribute("aria-valuenow"));
    var min = parseFloat(handle.getAttribute("aria-valuemin"));
    var max = parseFloat(handle.getAttribute("aria-valuemax"));
    if (isNaN(now) || isNaN(min) || isNaN(max)) return;
    own(root, PREV).forEach(function (b) { setDisabled(b, now <= min); });
    own(root, NEXT).forEach(function (b) { setDisabled(b, now >= max); });
  }

  // A Button cannot be jslinked: its click becomes ArrowLeft/ArrowRight on the slider's
  // handle, and the slider's jslink moves the Stack. Stopped in the capture phase, so a
  // live kernel's Python on_click does not step a second time.
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest && target.closest(PREV + ", " + NEXT);
    if (!button) return;
    var root = button.closest(STEPPER);
    var handle = root && handleOf(root);
    if (!handle) return;
    event.stopPropagation(); // the Python on_click fallback must not step too
    event.preventDefault();
    if (button.getAttribute("aria-disabled") === "true") return;
    var forward = button.classList.contains(D.NEXT);
    handle.dispatchEvent(new KeyboardEvent("keydown", {
      key: forward ? "ArrowRight" : "ArrowLeft", bubbles: true, cancelable: true,
    }));
    refresh(root);
  }, true);

  window.bpOnRender(function () {
    document.querySelectorAll(STEPPER).forEach(refresh);
  });
})();
