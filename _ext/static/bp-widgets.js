/*
 * bp-widgets.js -- glue that makes the book's embedded ipywidgets work in the
 * static HTML with no kernel and no network. Added to every page by
 * _ext/bpbook_html.py with priority 450, i.e. before myst-nb's RequireJS and
 * widget-manager scripts, Sphinx's MathJax config/script and the theme's
 * (deferred) Font Awesome script.
 *
 * (The RequireJS paths that the widget manager needs to find its fonts are
 * in bp-requirejs-config.js, loaded only on pages with widgets.)
 *
 * 1. Font Awesome: the theme's fontawesome.js replaces <i class="fa ..."> with
 *    <svg>, which breaks widgets that keep a reference to their <i> (Play).
 *    autoReplaceSvg = "nest" puts the <svg> inside the <i> instead.
 *
 * 2. MathJax 2 API on MathJax 3: ipywidgets typesets HTMLMath, labels and
 *    descriptions with MathJax.Hub.Queue(["Typeset", MathJax.Hub, el]) (the
 *    MathJax 2 API), while Sphinx loads MathJax 3. We give every object that
 *    is assigned to window.MathJax (Sphinx's config object, then MathJax 3
 *    itself) a non-enumerable `Hub` with Queue/Typeset, implemented with
 *    MathJax 3's typesetClear/typesetPromise after MathJax's startup promise.
 *    Inline `$...$` delimiters come from mathjax3_config in _config.yml.
 *
 * 3. Steppers (contract with the steppers' Python code, see
 *    tests/browser/README.md):
 *      .bp-stepper            outer widget of one stepper (add_class)
 *      .bp-step-slider        the horizontal IntSlider / SelectionSlider that
 *                             is jslink'ed to the Stack(s)' selected_index --
 *                             the single source of truth for the current step
 *                             (`.bp-slider` is accepted as an alias)
 *      .bp-prev / .bp-next    Button widgets
 *      .bp-step               each step's view (used by the browser test)
 *    Buttons cannot be jslink'ed, so a click on .bp-prev/.bp-next inside a
 *    .bp-stepper is turned, client-side, into ArrowLeft/ArrowRight on the
 *    slider's handle; noUiSlider moves one step and the slider view updates
 *    its model, which propagates over the jslink to the Stack. The click is
 *    stopped in the capture phase, so with a live kernel (thebe) the Python
 *    on_click fallback does not step a second time. The buttons get
 *    aria-disabled="true" (and look disabled) at the first/last step.
 *
 * 4. Accessibility: ipywidgets 8 leaves slider handles (role=slider) and
 *    the editable readout without an accessible name; they get aria-label
 *    from the slider's description (or "Step"). Image widgets have no alt
 *    trait (and a tooltip on an Image crashes ipywidgets 8.1's view), so
 *    their <img> gets alt="" (decorative: the step text must carry the
 *    meaning; use an HTML widget with <img alt=...> for a described image).
 */
(function () {
  "use strict";

  /* ---- 1. Font Awesome ---------------------------------------------------- */
  window.FontAwesomeConfig = Object.assign({}, window.FontAwesomeConfig || {},
    { autoReplaceSvg: "nest" });

  /* ---- 2. MathJax.Hub shim on MathJax 3 ------------------------------------ */
  var resolveReady;
  var mathjaxReady = new Promise(function (resolve) { resolveReady = resolve; });
  var queue = Promise.resolve();

  function mj() { return window.MathJax; }

  function typeset(target) {
    var els;
    if (target === undefined || target === null) {
      els = undefined; // whole document
    } else if (typeof target === "string") {
      var el = document.getElementById(target);
      els = el ? [el] : [];
    } else {
      els = Array.isArray(target) ? target : [target];
    }
    if (els && els.length === 0) return Promise.resolve();
    var M = mj();
    if (M.typesetClear && els) M.typesetClear(els); // drop stale math items
    return M.typesetPromise(els);
  }

  function runJob(job) {
    if (typeof job === "function") return job();
    if (Array.isArray(job)) {
      if (typeof job[0] === "function") return job[0].apply(null, job.slice(1));
      if (job[0] === "Typeset") return typeset(job[2]);
    }
    return undefined; // other MathJax 2 commands: nothing to do in v3
  }

  var Hub = {
    Queue: function () {
      var jobs = Array.prototype.slice.call(arguments);
      jobs.forEach(function (job) {
        queue = queue
          .then(function () { return mathjaxReady; })
          .then(function () { return runJob(job); })
          .catch(function (err) {
            console.error("bp-widgets: MathJax typeset failed", err);
          });
      });
      return queue;
    },
    Typeset: function (el, callback) {
      return Hub.Queue(["Typeset", Hub, el], callback || function () {});
    },
    Config: function () {},
    Configured: function () {},
    Register: { StartupHook: function () {}, MessageHook: function () {} },
  };

  function decorate(obj) {
    if (!obj || typeof obj !== "object") return obj;
    if (!Object.prototype.hasOwnProperty.call(obj, "Hub")) {
      Object.defineProperty(obj, "Hub", {
        value: Hub, configurable: true, writable: true, enumerable: false,
      });
    }
    if (!obj.version) {
      // A configuration object (MathJax 3 not loaded yet): hook its startup
      // so queued typesetting runs once MathJax has typeset the page.
      obj.startup = obj.startup || {};
      if (!obj.startup.__bpHooked) {
        var userReady = obj.startup.ready;
        obj.startup.ready = function () {
          if (userReady) userReady(); else window.MathJax.startup.defaultReady();
          window.MathJax.startup.promise.then(function () { resolveReady(); });
        };
        Object.defineProperty(obj.startup, "__bpHooked", { value: true });
      }
    } else if (obj.startup && obj.startup.promise && obj.typesetPromise) {
      obj.startup.promise.then(function () { resolveReady(); });
    }
    return obj;
  }

  var current = decorate(window.MathJax);
  try {
    Object.defineProperty(window, "MathJax", {
      configurable: true,
      enumerable: true,
      get: function () { return current; },
      set: function (value) { current = decorate(value); },
    });
  } catch (err) {
    console.error("bp-widgets: cannot install the MathJax.Hub shim", err);
  }

  /* ---- 3. steppers --------------------------------------------------------- */
  function own(root, selector) {
    // elements matching selector whose nearest .bp-stepper is root
    return Array.prototype.filter.call(root.querySelectorAll(selector),
      function (el) { return el.closest(".bp-stepper") === root; });
  }

  function handleOf(root) {
    var sliders = own(root, ".bp-step-slider, .bp-slider");
    if (!sliders.length) sliders = own(root, ".widget-hslider");
    return sliders.length ? sliders[0].querySelector(".noUi-handle") : null;
  }

  function refresh(root) {
    var handle = handleOf(root);
    if (!handle) return;
    var now = parseFloat(handle.getAttribute("aria-valuenow"));
    var min = parseFloat(handle.getAttribute("aria-valuemin"));
    var max = parseFloat(handle.getAttribute("aria-valuemax"));
    if (isNaN(now) || isNaN(min) || isNaN(max)) return;
    own(root, ".bp-prev").forEach(function (b) { setDisabled(b, now <= min); });
    own(root, ".bp-next").forEach(function (b) { setDisabled(b, now >= max); });
  }

  // aria-disabled (not the disabled property): the button keeps keyboard
  // focus at the first/last step, and the model's own `disabled` is untouched.
  function setDisabled(button, off) {
    var value = off ? "true" : "false";
    if (button.getAttribute("aria-disabled") !== value) {
      button.setAttribute("aria-disabled", value);
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest && target.closest(".bp-prev, .bp-next");
    if (!button) return;
    var root = button.closest(".bp-stepper");
    var handle = root && handleOf(root);
    if (!handle) return;
    event.stopPropagation(); // the Python on_click fallback must not step too
    event.preventDefault();
    if (button.getAttribute("aria-disabled") === "true") return;
    var forward = button.classList.contains("bp-next");
    handle.dispatchEvent(new KeyboardEvent("keydown", {
      key: forward ? "ArrowRight" : "ArrowLeft", bubbles: true, cancelable: true,
    }));
    refresh(root);
  }, true);

  /* ---- 4. accessibility + stepper state on render ------------------------ */
  function enhance() {
    document.querySelectorAll(".widget-slider").forEach(function (slider) {
      var label = slider.querySelector(".widget-label");
      var name = (label && label.textContent.trim()) || slider.getAttribute("title") || "Step";
      slider.querySelectorAll(".noUi-handle").forEach(function (h) {
        if (!h.hasAttribute("aria-label") && !h.hasAttribute("aria-labelledby")) {
          h.setAttribute("aria-label", name);
        }
      });
      // the editable readout next to the slider
      slider.querySelectorAll(".widget-readout[contenteditable]").forEach(function (r) {
        if (!r.hasAttribute("aria-label")) {
          r.setAttribute("role", "textbox");
          r.setAttribute("aria-label", name + " value");
        }
      });
    });
    // A stepper picture's description is written out beside it (.bp-alt, because the
    // Image widget has no alt trait); make it the image's real alt text too. A choice
    // picture of a stepper sits with its words in a .bp-figure-group.
    document.querySelectorAll(".bp-step, .bp-figure-group").forEach(function (step) {
      var text = step.querySelector(".bp-alt");
      var img = step.querySelector("img.bp-figure");
      if (text && img && !img.getAttribute("alt")) {
        img.setAttribute("alt", text.textContent.trim());
      }
    });
    document.querySelectorAll(".jupyter-widgets img:not([alt])").forEach(function (img) {
      img.setAttribute("alt", img.getAttribute("title") || "");
    });
    document.querySelectorAll(".bp-stepper").forEach(refresh);
  }

  var scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; enhance(); });
  }

  function observe() {
    if (!document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]')) return;
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true,
      attributes: true, attributeFilter: ["aria-valuenow"],
    });
    schedule();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", observe);
  } else {
    observe();
  }
})();
