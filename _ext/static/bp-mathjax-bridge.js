/* bp-mathjax-bridge.js: ipywidgets' MathJax 2 calls on MathJax 3. See docs/page-contract.md. */
(function () {
  "use strict";

  // ipywidgets typesets with MathJax.Hub.Queue(["Typeset", MathJax.Hub, el]) (MathJax 2);
  // Sphinx loads MathJax 3. Every object assigned to window.MathJax (Sphinx's config
  // object, then MathJax 3 itself) gets a non-enumerable Hub whose Queue/Typeset run
  // MathJax 3's typesetClear/typesetPromise after MathJax's startup promise.
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
            console.error("bp-mathjax-bridge: MathJax typeset failed", err);
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
    console.error("bp-mathjax-bridge: cannot install the MathJax.Hub shim", err);
  }
})();
