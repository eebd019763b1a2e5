// The static quizzes' checker (bpcore.quiz; class names in bpcore/dom.py).
// bpcore.render inlines this file after every quiz; it installs itself once per page
// (window.bpQuiz) and handles every quiz, including ones inserted later, by delegation.
(function () {
  "use strict";
  if (window.bpQuiz) { window.bpQuiz.init(); return; }
  function parseNumber(text) {
    var s = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (/^[+-]?\d+,\d+$/.test(s)) { s = s.replace(",", "."); }
    var num = "[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?";
    var m = new RegExp("^(" + num + ")(?:/(" + num + "))?$").exec(s);
    if (!m) { return null; }
    var v = parseFloat(m[1]);
    if (m[2] !== undefined) {
      var d = parseFloat(m[2]);
      if (d === 0) { return null; }
      v = v / d;
    }
    return isFinite(v) ? v : null;
  }
  // A checked answer is announced to the page: the book's bp-progress.js remembers it.
  function announce(root, ok) {
    var id = root.getAttribute("data-bp-question");
    if (!id || typeof window.CustomEvent !== "function") { return; }
    root.dispatchEvent(new CustomEvent("bp-answer",
      { bubbles: true, detail: { id: id, correct: ok } }));
  }
  function say(root, ok, text) {
    var fb = root.querySelector(".bp-quiz-feedback");
    if (!fb) { return; }
    fb.classList.remove("bp-quiz-ok", "bp-quiz-no");
    if (ok === null) { fb.textContent = text; return; }
    fb.classList.add(ok ? "bp-quiz-ok" : "bp-quiz-no");
    fb.textContent = (ok ? "\u2713 Correct. " : "\u2717 Not yet. ") + text;
    announce(root, ok);
  }
  function checkNumeric(root, spec) {
    var input = root.querySelector(".bp-quiz-input");
    var v = parseNumber(input ? input.value : "");
    if (v === null) {
      say(root, null, "Type a number first, for example 0.25, -1.5e-3 or 3/4.");
      return;
    }
    if (Math.abs(v - spec.answer) <= spec.tol) { say(root, true, spec.explanation || ""); return; }
    for (var i = 0; i < spec.wrong.length; i++) {
      if (Math.abs(v - spec.wrong[i][0]) <= spec.tol) {
        say(root, false, spec.wrong[i][1]);
        return;
      }
    }
    say(root, false, spec.hint);
  }
  function checkChoice(root, spec) {
    var picked = root.querySelector("input[type=radio]:checked");
    if (!picked) { say(root, null, "Choose one of the options first."); return; }
    var k = String(picked.value);
    if (k === String(spec.correct)) { say(root, true, spec.explanation || ""); return; }
    say(root, false, spec.hints[k] || spec.hint);
  }
  function check(root) {
    if (!root) { return; }
    var spec;
    try { spec = JSON.parse(root.getAttribute("data-bp-quiz")); } catch (err) { return; }
    if (spec.kind === "numeric") { checkNumeric(root, spec); } else { checkChoice(root, spec); }
  }
  function init() {
    var roots = document.querySelectorAll(".bp-quiz:not([data-bp-ready])");
    for (var i = 0; i < roots.length; i++) {
      roots[i].setAttribute("data-bp-ready", "");
      var note = roots[i].querySelector(".bp-quiz-nojs");
      if (note) { note.hidden = true; }
    }
  }
  function quizOf(target) {
    return target && target.closest ? target.closest(".bp-quiz") : null;
  }
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.closest && t.closest(".bp-quiz-check")) { init(); check(quizOf(t)); }
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || !t || !t.matches) { return; }
    if (t.matches(".bp-quiz .bp-quiz-input, .bp-quiz input[type=radio]")) {
      e.preventDefault();
      e.stopPropagation();
      init();
      check(quizOf(t));
    }
  });
  window.bpQuiz = { check: check, init: init, parseNumber: parseNumber };
  init();
})();
