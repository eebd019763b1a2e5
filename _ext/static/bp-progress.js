/* bp-progress.js: the reader's progress, kept in this browser. See docs/page-contract.md.

   Quizzes and formula questions announce every checked answer with an ANSWER_EVENT whose
   detail is {id, correct}; a question answered correctly once stays counted (a later wrong
   try does not undo it).  The ids answered correctly are kept in localStorage under one
   versioned key; nothing is sent anywhere.  Each chapter page with questions shows "k of n
   questions answered correctly" under its title, with a reset; the sidebar shows "k/n" after
   each chapter's link, from window.bpQuestions (bp-questions.js, written at build time:
   every page's question ids).  Where storage is unavailable (it throws in some private
   modes and on file:// pages in some browsers), progress is kept in memory for this page
   and the box says so once. */
(function () {
  "use strict";
  var D = window.bpDom;
  if (!D || window.bpProgress) { return; }

  var KEY = "bpbook-progress-v1";   // version the key: a new format gets a new key
  var script = document.currentScript;
  var root = null;                  // the book's root URL: this file is <root>/_static/
  try { root = script && script.src ? new URL("../", script.src) : null; } catch (err) { }

  // --- storage, or memory where the browser refuses it ---------------------------------
  var store = null, unavailable = false, memory = {};
  try {
    store = window.localStorage;
    store.setItem(KEY + "-probe", "1");
    store.removeItem(KEY + "-probe");
  } catch (err) {
    store = null;
    unavailable = true;
    lendMemoryStorage();
  }

  // The theme's own scripts (colour mode) read and write localStorage too and would throw:
  // give them an in-memory stand-in, holding what the real one still lets us read.
  function lendMemoryStorage() {
    var items = {}, real = null;
    try { real = window.localStorage; } catch (err) { real = null; }
    try {
      for (var i = 0; real && i < real.length; i++) {
        items[real.key(i)] = real.getItem(real.key(i));
      }
    } catch (err) { }
    var stand = {
      getItem: function (k) { k = String(k); return own(items, k) ? items[k] : null; },
      setItem: function (k, v) { items[String(k)] = String(v); },
      removeItem: function (k) { delete items[String(k)]; },
      clear: function () { items = {}; },
      key: function (n) { var keys = Object.keys(items); return n < keys.length ? keys[n] : null; },
      get length() { return Object.keys(items).length; }
    };
    try {
      Object.defineProperty(window, "localStorage", { configurable: true, value: stand });
    } catch (err) { }
  }

  function read() {   // {question id: when it was first answered correctly}
    if (!store) { return memory; }
    var data = null;
    try { data = JSON.parse(store.getItem(KEY) || "null"); } catch (err) { data = null; }
    if (!data || data.version !== 1 || typeof data.correct !== "object" || !data.correct) {
      return {};
    }
    return data.correct;
  }
  function write(correct) {
    memory = correct;
    if (!store) { return; }
    try {
      store.setItem(KEY, JSON.stringify({ version: 1, correct: correct }));
    } catch (err) {   // full, or refused since the page loaded: keep it in memory
      store = null;
      unavailable = true;
      tellUnavailable();
    }
  }
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  // --- pages and their questions -------------------------------------------------------
  function pageOf(href) {   // "chapters/04_output_delta" for a URL inside the book
    if (!root) { return null; }
    var url;
    try { url = new URL(href, window.location.href); } catch (err) { return null; }
    if (url.protocol !== root.protocol || url.host !== root.host
        || url.pathname.indexOf(root.pathname) !== 0) { return null; }
    var rel = url.pathname.slice(root.pathname.length);
    try { rel = decodeURIComponent(rel); } catch (err) { }
    if (rel === "" || rel.charAt(rel.length - 1) === "/") { rel += "index.html"; }
    return rel.replace(/\.html$/, "");
  }
  function questionsOnThisPage() {
    var found = [], seen = {};
    var roots = document.querySelectorAll("[" + D.QUESTION_ATTRIBUTE + "]");
    for (var i = 0; i < roots.length; i++) {
      var id = roots[i].getAttribute(D.QUESTION_ATTRIBUTE);
      if (id && !own(seen, id)) { seen[id] = true; found.push(id); }
    }
    return found;
  }
  function questionsOf(page) {
    var all = window.bpQuestions || {};
    if (page && own(all, page)) { return all[page]; }
    return page === thisPage ? questionsOnThisPage() : [];
  }
  function tally(ids, correct) {
    var k = 0;
    ids.forEach(function (id) { if (own(correct, id)) { k += 1; } });
    return k;
  }
  function sentence(k, n) {
    return k + " of " + n + " question" + (n === 1 ? "" : "s") + " answered correctly";
  }

  // --- what the page shows -------------------------------------------------------------
  var thisPage = pageOf(window.location.href);
  var box = null, statusLine = null, toldUnavailable = false;

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    return node;
  }
  function status(text) { if (statusLine) { statusLine.textContent = text; } }
  function tellUnavailable() {
    if (toldUnavailable || !statusLine) { return; }
    toldUnavailable = true;
    status("This browser does not let the page store data (a private window, or a page "
      + "opened from a file), so your progress is kept only while this page is open.");
  }

  function buildBox(ids) {
    var title = document.querySelector(".bd-article h1");
    if (!title || !ids.length) { return; }
    box = el("div");
    box.classList.add(D.PROGRESS);
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Your progress");
    var count = el("p");
    count.classList.add(D.PROGRESS_COUNT);
    var reset = el("button", "Reset progress");
    reset.classList.add(D.PROGRESS_RESET);
    reset.type = "button";
    reset.setAttribute("aria-expanded", "false");
    var confirmBox = el("span");
    confirmBox.classList.add(D.PROGRESS_CONFIRM);
    confirmBox.id = D.PROGRESS_CONFIRM + "-panel";
    confirmBox.hidden = true;
    reset.setAttribute("aria-controls", confirmBox.id);
    var ask = el("span", "Clear the answers saved for every chapter?");
    var yes = el("button", "Clear progress");
    var no = el("button", "Keep it");
    yes.type = "button";
    no.type = "button";
    confirmBox.appendChild(ask);
    confirmBox.appendChild(yes);
    confirmBox.appendChild(no);
    statusLine = el("p");
    statusLine.classList.add(D.PROGRESS_STATUS);
    statusLine.setAttribute("role", "status");
    statusLine.setAttribute("aria-live", "polite");
    box.appendChild(count);
    box.appendChild(reset);
    box.appendChild(confirmBox);
    box.appendChild(statusLine);
    title.parentNode.insertBefore(box, title.nextSibling);

    function close(focusReset) {
      confirmBox.hidden = true;
      reset.setAttribute("aria-expanded", "false");
      if (focusReset) { reset.focus(); }
    }
    reset.addEventListener("click", function () {
      confirmBox.hidden = false;
      reset.setAttribute("aria-expanded", "true");
      status("");
      no.focus();
    });
    yes.addEventListener("click", function () {
      write({});
      close(true);
      render(true);
      status("Progress cleared: no question of the book is counted as answered now.");
    });
    no.addEventListener("click", function () {
      close(true);
      status("Nothing was cleared.");
    });
    confirmBox.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(true); status("Nothing was cleared."); }
    });
  }

  function markQuestions(correct) {   // a note on each question answered correctly before
    var roots = document.querySelectorAll("[" + D.QUESTION_ATTRIBUTE + "]");
    for (var i = 0; i < roots.length; i++) {
      var note = roots[i].querySelector("." + D.PROGRESS_DONE);
      var done = own(correct, roots[i].getAttribute(D.QUESTION_ATTRIBUTE));
      if (done && !note) {
        note = el("p", "\u2713 You answered this question correctly before.");
        note.classList.add(D.PROGRESS_DONE);
        roots[i].insertBefore(note, roots[i].firstChild);
      } else if (!done && note) {
        note.parentNode.removeChild(note);
      }
    }
  }

  function badges(correct) {
    var links = document.querySelectorAll(".bd-docs-nav a.reference.internal");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var ids = questionsOf(pageOf(link.getAttribute("href") || ""));
      var badge = link.querySelector("." + D.PROGRESS_BADGE);
      if (!ids.length) {
        if (badge) { badge.parentNode.removeChild(badge); }
        continue;
      }
      var k = tally(ids, correct), n = ids.length;
      if (!badge) {
        badge = el("span");
        badge.classList.add(D.PROGRESS_BADGE);
        var shown = el("span");
        shown.setAttribute("aria-hidden", "true");
        var said = el("span");
        said.classList.add("visually-hidden");   // the theme's (Bootstrap's) screen-reader text
        badge.appendChild(shown);
        badge.appendChild(said);
        link.appendChild(badge);
      }
      badge.firstChild.textContent = (k === n ? "\u2713 " : "") + k + "/" + n;
      badge.lastChild.textContent = " (" + sentence(k, n) + ")";
    }
  }

  function render(notes) {   // notes: also add or remove the notes on the questions
    var correct = read();
    if (box) {
      var ids = questionsOf(thisPage);
      box.querySelector("." + D.PROGRESS_COUNT).textContent = "Your progress on this page: "
        + sentence(tally(ids, correct), ids.length) + ".";
    }
    if (notes) { markQuestions(correct); }
    badges(correct);
  }

  function answered(e) {
    var d = e && e.detail;
    if (!d || typeof d.id !== "string" || d.correct !== true) { return; }
    var correct = read();
    if (own(correct, d.id)) { return; }   // counted already
    var next = {};
    Object.keys(correct).forEach(function (id) { next[id] = correct[id]; });
    next[d.id] = new Date().toISOString();
    write(next);
    render(false);
  }

  function start() {
    buildBox(questionsOf(thisPage));
    if (unavailable) { tellUnavailable(); }
    render(true);
  }

  document.addEventListener(D.ANSWER_EVENT, answered);
  window.addEventListener("storage", function (e) {   // another tab answered or reset
    if (e.key === KEY || e.key === null) { render(true); }
  });
  window.bpProgress = { key: KEY, read: read, page: thisPage, render: render,
    stored: function () { return store !== null; } };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
