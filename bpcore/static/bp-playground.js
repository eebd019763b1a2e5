// The live playground of the running example (bpcore.playground; names in bpcore/dom.py).
// bpcore.playground inlines this file after the playground's root and bp-playground-engine.js
// (the arithmetic); it installs itself once per page (window.bpPlayground) and builds every
// root with a data-bp-playground spec: the inputs, the network diagram, the tables and the
// cost curve, recomputed on every change. No kernel, no network, no eval.
(function () {
  "use strict";
  if (window.bpPlayground) { window.bpPlayground.init(); return; }
  var E = window.bpPlaygroundEngine;
  var compute = E.compute, symbolValues = E.symbolValues, finite = E.finite, fmt = E.fmt;
  var parseNumber = E.parseNumber, sum = E.sum, sup = E.sup, sub = E.sub;
  var SVGNS = "http://www.w3.org/2000/svg";
  var MAX_STEPS = 10000;

  // ---------------------------------------------------------------------------------------
  // The diagram's colours: matplotlib's RdBu sampled by bpcore (spec.colormap), blue positive,
  // red negative, white at 0, as in bpcore/diagrams.py.
  function hexToRgb(h) {
    return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
  }
  function colour(stops, t) {
    t = Math.min(1, Math.max(0, t));
    var x = t * (stops.length - 1), i = Math.min(Math.floor(x), stops.length - 2), f = x - i;
    var c0 = stops[i], c1 = stops[i + 1];
    return [0, 1, 2].map(function (c) { return Math.round(c0[c] + f * (c1[c] - c0[c])); });
  }
  function css(rgb) { return "rgb(" + rgb.join(",") + ")"; }
  function textColour(rgb) {
    return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255 > 0.5 ? "#000" : "#fff";
  }
  function visible(t) {  // away from the white centre, so a weight near 0 stays visible
    return 0.5 + Math.sign(t - 0.5) * (0.12 + 0.76 * Math.abs(t - 0.5));
  }

  // ---------------------------------------------------------------------------------------
  // Building the page.
  var uid = 0;
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in (attrs || {})) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in (attrs || {})) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function Playground(root, spec) {
    this.root = root;
    this.spec = spec;
    this.sizes = spec.sizes;
    this.L = spec.sizes.length - 1;
    this.stops = spec.colormap.map(hexToRgb);
    this.id = root.id || ("bp-playground-" + (++uid));
    this.inputs = {};        // symbol -> input of a parameter
    this.shown = {};         // symbol -> elements that show its value
    this.good = null;        // the last valid state and its results
    this.message = "";
    this.build();
    this.reset();
  }

  Playground.prototype.build = function () {
    var self = this, spec = this.spec, L = this.L, root = this.root;
    var h = "h" + spec.heading_level;
    root.appendChild(el("p", {}, "One sample (m = 1): C is the cost of that one sample, and " +
      "BP3 and BP4 need no 1/m. Change any number below, an activation or the cost: every " +
      "value is recomputed at once, in this page. In a number box, \u2191 and \u2193 change " +
      "the number by 0.01 (with Shift, by 0.1)."));

    // The choices: one activation per layer, the cost, the learning rate.
    var choices = el("div", {});
    choices.classList.add("bp-playground-params");
    this.selects = [null];
    for (var l = 1; l <= L; l++) {
      var sid = this.id + "-f" + l;
      var wrap = el("span", {});
      wrap.appendChild(el("label", { "for": sid }, "f" + sup(l) + " (" +
        (l === L ? "output layer" : "hidden layer " + l) + ") "));
      var sel = el("select", { id: sid });
      spec.offered.activations.forEach(function (a) {
        if ((l === L ? a.output : a.hidden)) { sel.appendChild(el("option", { value: a.name }, a.label)); }
      });
      wrap.appendChild(sel);
      choices.appendChild(wrap);
      this.selects.push(sel);
    }
    var cwrap = el("span", {});
    cwrap.appendChild(el("label", { "for": this.id + "-cost" }, "cost C "));
    this.costSelect = el("select", { id: this.id + "-cost" });
    spec.offered.losses.forEach(function (c) {
      self.costSelect.appendChild(el("option", { value: c.name }, c.label));
    });
    cwrap.appendChild(this.costSelect);
    choices.appendChild(cwrap);
    var ewrap = el("span", {});
    ewrap.appendChild(el("label", { "for": this.id + "-eta" }, "learning rate \u03b7 "));
    this.eta = el("input", { type: "text", id: this.id + "-eta", inputmode: "decimal",
      autocomplete: "off", spellcheck: "false", size: "7" });
    this.eta.setAttribute("data-bp-symbol", "eta");
    ewrap.appendChild(this.eta);
    choices.appendChild(ewrap);
    root.appendChild(choices);

    // The parameters: x and y, then [W^l | b^l] for each layer.
    root.appendChild(el(h, {}, "The numbers: input, target, weights and biases"));
    var params = el("div", {});
    params.classList.add("bp-playground-params");
    params.appendChild(this.vectorInputs("x", "input x = a\u2070", spec.sizes[0], "x"));
    params.appendChild(this.vectorInputs("y", "target y", spec.sizes[L], "y"));
    for (l = 1; l <= L; l++) { params.appendChild(this.layerInputs(l)); }
    root.appendChild(params);
    var buttons = el("div", {});
    buttons.classList.add("bp-playground-params");
    var resetButton = el("button", { type: "button" }, "Reset to the running example");
    resetButton.addEventListener("click", function () { self.reset(); });
    buttons.appendChild(resetButton);
    root.appendChild(buttons);

    this.status = el("p", { role: "status", "aria-live": "polite" });
    this.status.classList.add("bp-playground-status");
    root.appendChild(this.status);

    // The diagram.
    root.appendChild(el(h, {}, "The network"));
    var views = el("fieldset", {});
    views.appendChild(el("legend", {}, "Show on the diagram"));
    this.view = "forward";
    [["forward", "forward pass: a on the neurons, W on the lines"],
      ["backward", "backward pass: \u03b4 on the neurons, \u2202C/\u2202W on the lines"]]
      .forEach(function (v, i) {
        var rid = self.id + "-view-" + v[0];
        var r = el("input", { type: "radio", name: self.id + "-view", id: rid, value: v[0] });
        if (i === 0) { r.checked = true; }
        r.addEventListener("change", function () { self.view = v[0]; self.drawDiagram(); });
        var lab = el("label", { "for": rid }, v[1]);
        var span = el("span", {});
        span.appendChild(r);
        span.appendChild(lab);
        views.appendChild(span);
      });
    root.appendChild(views);
    this.diagram = el("div", {});
    this.diagram.classList.add("bp-playground-diagram");
    root.appendChild(this.diagram);
    this.caption = el("p", {});
    root.appendChild(this.caption);

    // The equations, as tables.
    root.appendChild(el(h, {}, "Forward pass and cost"));
    root.appendChild(el("p", {}, "a\u2070 = x, then z\u02e1 = W\u02e1 a\u02e1\u207b\u00b9 + b\u02e1 and " +
      "a\u02e1 = f\u02e1(z\u02e1) for l = 1, \u2026, L."));
    root.appendChild(this.forwardTable());
    this.costLine = el("p", {});
    root.appendChild(this.costLine);
    root.appendChild(el(h, {}, "Backward pass: BP1 and BP2"));
    root.appendChild(el("p", {}, "BP1: \u03b4\u1d38 = \u2202C/\u2202a\u1d38 \u2299 f\u2032(z\u1d38).  " +
      "BP2: \u03b4\u02e1 = ((W\u02e1\u207a\u00b9)\u1d40 \u03b4\u02e1\u207a\u00b9) \u2299 f\u2032(z\u02e1), from l = L \u2212 1 down to 1."));
    root.appendChild(this.backwardTable());
    this.bp1Note = el("p", {});
    root.appendChild(this.bp1Note);
    root.appendChild(el(h, {}, "Gradients: BP3 and BP4"));
    root.appendChild(el("p", {}, "BP3: \u2202C/\u2202b\u02e1 = \u03b4\u02e1.  BP4: \u2202C/\u2202W\u02e1 = " +
      "\u03b4\u02e1 (a\u02e1\u207b\u00b9)\u1d40, that is \u2202C/\u2202w\u02e1\u2c7c\u2096 = \u03b4\u02e1\u2c7c a\u02e1\u207b\u00b9\u2096."));
    for (l = 1; l <= L; l++) { root.appendChild(this.matrixTable(l, "grad")); }
    root.appendChild(el(h, {}, "One gradient-descent step"));
    this.stepNote = el("p", {});
    root.appendChild(this.stepNote);
    for (l = 1; l <= L; l++) { root.appendChild(this.matrixTable(l, "step")); }
    this.stepCost = el("p", {});
    root.appendChild(this.stepCost);
    var stepButton = el("button", { type: "button" }, "Take this step");
    stepButton.addEventListener("click", function () { self.takeStep(); });
    root.appendChild(stepButton);

    // Training.
    root.appendChild(el(h, {}, "Train"));
    var twrap = el("div", {});
    twrap.classList.add("bp-playground-params");
    twrap.appendChild(el("label", { "for": this.id + "-steps" }, "steps N "));
    this.steps = el("input", { type: "text", id: this.id + "-steps", inputmode: "numeric",
      autocomplete: "off", spellcheck: "false", size: "6" });
    this.steps.setAttribute("data-bp-symbol", "steps");
    twrap.appendChild(this.steps);
    var trainButton = el("button", { type: "button" }, "Train N steps");
    trainButton.addEventListener("click", function () { self.train(); });
    twrap.appendChild(trainButton);
    root.appendChild(twrap);
    this.curve = el("div", {});
    this.curve.classList.add("bp-playground-curve");
    root.appendChild(this.curve);
    this.curveNote = el("p", {});
    root.appendChild(this.curveNote);
    this.drawCurve(null);

    // The pictures follow the column's width.
    var lastWidth = this.width(), timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (self.width() === lastWidth) { return; }
        lastWidth = self.width();
        self.drawDiagram();
        if (self.costs) { self.drawCurve(self.costs); }
      }, 150);
    });

    // Every change recomputes everything; arrow keys nudge a number.
    root.addEventListener("input", function () { self.update(); });
    root.addEventListener("change", function (e) { if (e.target.tagName === "SELECT") { self.update(); } });
    root.addEventListener("keydown", function (e) {
      var t = e.target;
      if ((e.key !== "ArrowUp" && e.key !== "ArrowDown") || t.tagName !== "INPUT" ||
          t.type !== "text" || t === self.steps) { return; }
      var p = parseNumber(t.value);
      if (p.error) { return; }
      e.preventDefault();
      var d = (e.shiftKey ? 0.1 : 0.01) * (e.key === "ArrowUp" ? 1 : -1);
      t.value = String(Number((p.value + d).toPrecision(12)));
      self.update();
    });
  };

  Playground.prototype.input = function (symbol, label) {
    var i = el("input", { type: "text", inputmode: "decimal", autocomplete: "off",
      spellcheck: "false", "aria-label": label, size: "7" });
    i.setAttribute("data-bp-symbol", symbol);
    this.inputs[symbol] = i;
    return i;
  };

  Playground.prototype.scroller = function (table, label) {
    var box = el("div", { role: "region", tabindex: "0", "aria-label": label });
    box.classList.add("bp-playground-table");
    box.appendChild(table);
    return box;
  };

  Playground.prototype.vectorInputs = function (name, title, n, sym) {
    var t = el("table", {});
    t.appendChild(el("caption", {}, title));
    var tb = el("tbody", {});
    for (var j = 1; j <= n; j++) {
      var tr = el("tr", {});
      tr.appendChild(el("th", { scope: "row" }, name + sub(j)));
      var td = el("td", {});
      td.appendChild(this.input(sym + "[" + j + "]", name + sub(j) + (name === "x" ?
        ", input " + j : ", target of output " + j)));
      tr.appendChild(td);
      tb.appendChild(tr);
    }
    t.appendChild(tb);
    return this.scroller(t, title);
  };

  Playground.prototype.layerInputs = function (l) {
    var n = this.sizes[l], nin = this.sizes[l - 1];
    var t = el("table", {});
    t.appendChild(el("caption", {}, "layer " + l + ": W" + sup(l) + " and b" + sup(l)));
    var head = el("tr", {});
    head.appendChild(el("th", { scope: "col" }, "j"));
    for (var k = 1; k <= nin; k++) { head.appendChild(el("th", { scope: "col" }, "w" + sup(l) + "\u2c7c" + sub(k))); }
    head.appendChild(el("th", { scope: "col" }, "b" + sup(l) + "\u2c7c"));
    var thead = el("thead", {});
    thead.appendChild(head);
    t.appendChild(thead);
    var tb = el("tbody", {});
    for (var j = 1; j <= n; j++) {
      var tr = el("tr", {});
      tr.appendChild(el("th", { scope: "row" }, String(j)));
      for (k = 1; k <= nin; k++) {
        var td = el("td", {});
        td.appendChild(this.input("W" + l + "[" + j + "," + k + "]", "w" + sup(l) + sub(j) + sub(k) +
          ", weight into neuron " + j + " of layer " + l + " from neuron " + k + " of layer " + (l - 1)));
        tr.appendChild(td);
      }
      var tdb = el("td", {});
      tdb.appendChild(this.input("b" + l + "[" + j + "]", "b" + sup(l) + sub(j) + ", bias of neuron " + j +
        " of layer " + l));
      tr.appendChild(tdb);
      tb.appendChild(tr);
    }
    t.appendChild(tb);
    return this.scroller(t, "layer " + l + " weights and biases");
  };

  // A cell that shows the value of `symbol`.
  Playground.prototype.cell = function (symbol, tag) {
    var c = el(tag || "td", {});
    this.register(c, symbol);
    return c;
  };
  Playground.prototype.register = function (node, symbol) {
    node.setAttribute("data-bp-symbol", symbol);
    node.bpSymbol = symbol;
    (this.shown[symbol] = this.shown[symbol] || []).push(node);
  };

  Playground.prototype.forwardTable = function () {
    var L = this.L, rows = Math.max.apply(null, this.sizes);
    var t = el("table", {});
    t.appendChild(el("caption", {}, "the forward pass, neuron by neuron"));
    var head = el("tr", {});
    head.appendChild(el("th", { scope: "col" }, "j"));
    head.appendChild(el("th", { scope: "col" }, "x\u2c7c"));
    for (var l = 1; l <= L; l++) {
      head.appendChild(el("th", { scope: "col" }, "z" + sup(l) + "\u2c7c"));
      head.appendChild(el("th", { scope: "col" }, "a" + sup(l) + "\u2c7c"));
    }
    head.appendChild(el("th", { scope: "col" }, "y\u2c7c"));
    var thead = el("thead", {});
    thead.appendChild(head);
    t.appendChild(thead);
    var tb = el("tbody", {});
    for (var j = 1; j <= rows; j++) {
      var tr = el("tr", {});
      tr.appendChild(el("th", { scope: "row" }, String(j)));
      var i = "[" + j + "]";
      tr.appendChild(j <= this.sizes[0] ? this.cell("x" + i) : el("td", {}));
      for (l = 1; l <= L; l++) {
        tr.appendChild(j <= this.sizes[l] ? this.cell("z" + l + i) : el("td", {}));
        tr.appendChild(j <= this.sizes[l] ? this.cell("a" + l + i) : el("td", {}));
      }
      tr.appendChild(j <= this.sizes[L] ? this.cell("y" + i) : el("td", {}));
      tb.appendChild(tr);
    }
    t.appendChild(tb);
    return this.scroller(t, "forward pass");
  };

  Playground.prototype.backwardTable = function () {
    var L = this.L, rows = Math.max.apply(null, this.sizes.slice(1));
    var t = el("table", {});
    t.appendChild(el("caption", {}, "BP1 and BP2, neuron by neuron"));
    var head = el("tr", {}), cols = [];
    head.appendChild(el("th", { scope: "col" }, "j"));
    function col(title, sym, l) { head.appendChild(el("th", { scope: "col" }, title)); cols.push([sym, l]); }
    col("\u2202C/\u2202a" + sup(L) + "\u2c7c", "dCda" + L, L);
    col("f\u2032(z" + sup(L) + "\u2c7c)", "fprime" + L, L);
    col("\u03b4" + sup(L) + "\u2c7c", "delta" + L, L);
    for (var l = L - 1; l >= 1; l--) {
      col("((W" + sup(l + 1) + ")\u1d40\u03b4" + sup(l + 1) + ")\u2c7c", "WTdelta" + l, l);
      col("f\u2032(z" + sup(l) + "\u2c7c)", "fprime" + l, l);
      col("\u03b4" + sup(l) + "\u2c7c", "delta" + l, l);
    }
    var thead = el("thead", {});
    thead.appendChild(head);
    t.appendChild(thead);
    var tb = el("tbody", {});
    for (var j = 1; j <= rows; j++) {
      var tr = el("tr", {});
      tr.appendChild(el("th", { scope: "row" }, String(j)));
      for (var c = 0; c < cols.length; c++) {
        tr.appendChild(j <= this.sizes[cols[c][1]] ? this.cell(cols[c][0] + "[" + j + "]") : el("td", {}));
      }
      tb.appendChild(tr);
    }
    t.appendChild(tb);
    return this.scroller(t, "backward pass");
  };

  // kind "grad": dC/dW^l = delta^l (a^{l-1})^T and dC/db^l = delta^l;
  // kind "step": W^l - eta dC/dW^l and b^l - eta dC/db^l.
  Playground.prototype.matrixTable = function (l, kind) {
    var n = this.sizes[l], nin = this.sizes[l - 1], s = sup(l), grad = kind === "grad";
    var t = el("table", {});
    t.appendChild(el("caption", {}, "layer " + l + (grad ? ": \u2202C/\u2202W" + s + " and \u2202C/\u2202b" + s
      : ": new W" + s + " and b" + s)));
    var head = el("tr", {});
    head.appendChild(el("th", { scope: "col" }, "j"));
    for (var k = 1; k <= nin; k++) {
      head.appendChild(el("th", { scope: "col" }, (grad ? "\u2202C/\u2202w" : "new w") + s + "\u2c7c" + sub(k)));
    }
    head.appendChild(el("th", { scope: "col" }, (grad ? "\u2202C/\u2202b" : "new b") + s + "\u2c7c"));
    var thead = el("thead", {});
    thead.appendChild(head);
    t.appendChild(thead);
    var tb = el("tbody", {});
    for (var j = 1; j <= n; j++) {
      var tr = el("tr", {});
      tr.appendChild(el("th", { scope: "row" }, String(j)));
      for (k = 1; k <= nin; k++) {
        tr.appendChild(this.cell((grad ? "dW" + l : "W" + l + "_new") + "[" + j + "," + k + "]"));
      }
      tr.appendChild(this.cell((grad ? "db" + l : "b" + l + "_new") + "[" + j + "]"));
      tb.appendChild(tr);
    }
    t.appendChild(tb);
    return this.scroller(t, (grad ? "gradients" : "step") + " of layer " + l);
  };

  // ---------------------------------------------------------------------------------------
  // State: the spec's values into the inputs, the inputs into numbers.
  Playground.prototype.reset = function () {
    var spec = this.spec, L = this.L;
    this.setParameters({ x: spec.x, y: spec.y, W: [null].concat(spec.W), b: [null].concat(spec.b) });
    for (var l = 1; l <= L; l++) { this.selects[l].value = spec.activations[l - 1]; }
    this.costSelect.value = spec.loss;
    this.eta.value = String(spec.learning_rate);
    this.steps.value = String(spec.steps);
    this.drawCurve(null);
    this.update();
  };

  Playground.prototype.setParameters = function (p) {
    var self = this;
    p.x.forEach(function (v, k) { self.inputs["x[" + (k + 1) + "]"].value = String(v); });
    p.y.forEach(function (v, j) { self.inputs["y[" + (j + 1) + "]"].value = String(v); });
    for (var l = 1; l <= this.L; l++) {
      p.W[l].forEach(function (row, j) {
        row.forEach(function (v, k) { self.inputs["W" + l + "[" + (j + 1) + "," + (k + 1) + "]"].value = String(v); });
      });
      p.b[l].forEach(function (v, j) { self.inputs["b" + l + "[" + (j + 1) + "]"].value = String(v); });
    }
  };

  function label(sym) {   // W2[1,3] -> w²₁₃, b1[2] -> b¹₂, x[1] -> x₁
    var m = /^([A-Za-z]+)(\d*)\[(\d+)(?:,(\d+))?\]$/.exec(sym);
    if (!m) { return sym === "eta" ? "\u03b7" : sym; }
    var name = m[1] === "W" ? "w" : m[1];
    return name + (m[2] ? sup(m[2]) : "") + sub(m[3]) + (m[4] ? sub(m[4]) : "");
  }

  // Read and check every input; return {p, acts, loss, eta} or {error, input}.
  Playground.prototype.read = function () {
    var spec = this.spec, L = this.L, values = {}, bad = null, self = this;
    Object.keys(this.inputs).concat(["eta"]).forEach(function (sym) {
      var box = sym === "eta" ? self.eta : self.inputs[sym], r = parseNumber(box.value);
      box.removeAttribute("aria-invalid");
      if (r.error && !bad) {
        bad = { input: box, error: box.value.trim() === ""
          ? label(sym) + " is empty: type a number, such as 0.15 or \u22121.2e-3."
          : r.error === "too large"
            ? label(sym) + " = " + box.value.trim() + " is too large for a double; type a smaller number."
            : label(sym) + ": \u201c" + box.value.trim() + "\u201d is not a number; type a decimal such as 0.15, \u22120.2 or 1.5e-3." };
      }
      if (r.error) { box.setAttribute("aria-invalid", "true"); }
      values[sym] = r.value;
    });
    if (bad) { return bad; }
    if (!(values.eta > 0)) {
      this.eta.setAttribute("aria-invalid", "true");
      return { input: this.eta, error: "The learning rate \u03b7 must be a positive number, got " + fmt(values.eta) + "." };
    }
    var p = { x: [], y: [], W: [null], b: [null] }, acts = [null];
    for (var k = 1; k <= this.sizes[0]; k++) { p.x.push(values["x[" + k + "]"]); }
    for (var j = 1; j <= this.sizes[L]; j++) { p.y.push(values["y[" + j + "]"]); }
    for (var l = 1; l <= L; l++) {
      var W = [], b = [];
      for (j = 1; j <= this.sizes[l]; j++) {
        var row = [];
        for (k = 1; k <= this.sizes[l - 1]; k++) { row.push(values["W" + l + "[" + j + "," + k + "]"]); }
        W.push(row);
        b.push(values["b" + l + "[" + j + "]"]);
      }
      p.W.push(W);
      p.b.push(b);
      acts.push(this.selects[l].value);
    }
    var loss = this.costSelect.value, problem = this.domain(p, acts, loss);
    if (problem) { return { error: problem }; }
    return { p: p, acts: acts, loss: loss, eta: values.eta };
  };

  // The rules of bpcore's checks (bpcore/_validate.py) for this cost and output activation.
  Playground.prototype.domain = function (p, acts, loss) {
    var spec = this.spec, L = this.L, rec = null, out = null;
    spec.offered.losses.forEach(function (c) { if (c.name === loss) { rec = c; } });
    spec.offered.activations.forEach(function (a) { if (a.name === acts[L]) { out = a; } });
    if (rec.needs_probabilities && !out.probability) {
      var ok = spec.offered.activations.filter(function (a) { return a.probability && a.output; })
        .map(function (a) { return a.name; });
      return "The " + rec.label + " cost needs outputs in (0, 1) so that ln a is defined, but f" +
        sup(L) + " is " + out.name + ": choose " + ok.join(" or ") + " for f" + sup(L) +
        ", or the quadratic cost.";
    }
    if (rec.unit_targets) {
      for (var j = 0; j < p.y.length; j++) {
        if (!(p.y[j] >= 0 && p.y[j] <= 1)) {
          this.inputs["y[" + (j + 1) + "]"].setAttribute("aria-invalid", "true");
          return "The " + rec.label + " cost needs targets in [0, 1], but y" + sub(j + 1) + " = " +
            fmt(p.y[j]) + ".";
        }
      }
      if (rec.distribution_with.indexOf(acts[L]) >= 0 &&
          Math.abs(sum(p.y) - 1) > spec.distribution_tolerance) {
        return "With a " + acts[L] + " output the " + rec.label + " cost needs targets that sum " +
          "to 1 (a distribution), but they sum to " + fmt(sum(p.y)) + ".";
      }
    }
    return null;
  };

  Playground.prototype.say = function (text) {
    if (text !== this.message) { this.message = text; this.status.textContent = text; }
  };

  Playground.prototype.update = function () {
    var s = this.read();
    if (s.error) { return this.stale(s.error); }
    var r = compute(s.p, s.acts, s.loss, s.eta), values = symbolValues(s.p, r);
    var bad = finite(values, false);
    if (bad) {
      return this.stale("With these numbers " + label(bad) + " overflows (" + fmt(values[bad]) +
        "): make the weights or inputs smaller.");
    }
    this.good = { s: s, r: r, values: values };
    this.root.classList.remove("bp-playground-stale");
    var far = finite(values, true);
    this.say(this.trainMessage || (far ? "One step with \u03b7 = " + s.eta + " goes too far: " +
      label(far) + " overflows (" + fmt(values[far]) + "). Choose a smaller \u03b7." : ""));
    this.trainMessage = "";
    this.render();
  };

  Playground.prototype.stale = function (text) {
    this.root.classList.add("bp-playground-stale");
    this.say(text + (this.good ? " The values shown are those of the last valid numbers." : ""));
  };

  Playground.prototype.render = function () {
    var g = this.good, values = g.values, L = this.L;
    for (var sym in this.shown) {
      var v = values[sym];
      this.shown[sym].forEach(function (node) {
        if (v === undefined) {          // f'(z^L) of softmax: a Jacobian, not one number each
          node.removeAttribute("data-bp-symbol");
          node.removeAttribute("data-bp-value");
          node.textContent = "\u2014";
        } else {
          node.setAttribute("data-bp-symbol", node.bpSymbol);
          node.setAttribute("data-bp-value", String(v));
          node.textContent = fmt(v);
        }
      });
    }
    var loss = null;
    this.spec.offered.losses.forEach(function (c) { if (c.name === g.s.loss) { loss = c; } });
    this.costLine.textContent = "";
    this.costLine.appendChild(document.createTextNode("Cost, " + loss.formula + ": C = "));
    this.costLine.appendChild(this.valueSpan("C", g.r.C));
    var out = g.s.acts[L];
    this.bp1Note.textContent = g.r.shortcut
      ? "With " + out + " outputs and this cost, bpcore computes \u03b4" + sup(L) + " directly as " +
        (out === "sigmoid" && g.s.loss === "cross_entropy" ? "\u2212y \u2299 (1 \u2212 a" + sup(L) + ")" : "a" + sup(L) + " \u2212 y") +
        " (the factors of BP1 cancel), which equals their product."
      : (this.selects[L].value === "softmax"
        ? "Softmax is not element-wise: BP1 multiplies \u2202C/\u2202a" + sup(L) + " by its Jacobian, (J)\u1d40 \u2202C/\u2202a" + sup(L) + ", so there is no f\u2032 per neuron."
        : "");
    this.stepNote.textContent = "W \u2190 W \u2212 \u03b7 \u2202C/\u2202W and b \u2190 b \u2212 \u03b7 \u2202C/\u2202b with \u03b7 = " +
      g.s.eta + ", every gradient taken before any parameter moves.";
    this.stepCost.textContent = "";
    this.stepCost.appendChild(document.createTextNode("Cost after the step: "));
    this.stepCost.appendChild(this.valueSpan("C_new", g.r.Cnew));
    this.stepCost.appendChild(document.createTextNode(" (before: " + fmt(g.r.C) + ")."));
    this.drawDiagram();
  };

  Playground.prototype.valueSpan = function (sym, v) {
    var s = el("strong", {}, fmt(v));
    s.setAttribute("data-bp-symbol", sym);
    s.setAttribute("data-bp-value", String(v));
    return s;
  };

  // The pictures' width in SVG units: the column's width in pixels (300 to 560), so that
  // their numbers keep their size on a phone.
  Playground.prototype.width = function () {
    var w = this.diagram.clientWidth || 560;
    return Math.max(300, Math.min(560, Math.round(w)));
  };

  // ---------------------------------------------------------------------------------------
  // The network diagram: layer 0 on the left, neuron 1 at the top (bpcore/diagrams.py).
  Playground.prototype.drawDiagram = function () {
    if (!this.good) { return; }
    var g = this.good, sizes = this.sizes, L = this.L, back = this.view === "backward";
    var W = this.width(), H = 84 + 78 * Math.max.apply(null, sizes), R = W < 420 ? 24 : 27;
    var pos = function (l, j) {
      return [60 + l * (W - 120) / L, 30 + ((Math.max.apply(null, sizes) - sizes[l]) / 2 + j) * 78 + 26];
    };
    var s = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Diagram of the " + sizes.join("-") + " network, " + (back
        ? "\u03b4 on the neurons and \u2202C/\u2202W on the lines"
        : "a on the neurons and W on the lines") + "; the same numbers are in the tables." });
    s.appendChild(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#fff" }));
    var edges = [], nodes = [];
    for (var l = 1; l <= L; l++) {
      for (var j = 0; j < sizes[l]; j++) {
        for (var k = 0; k < sizes[l - 1]; k++) {
          edges.push({ l: l, j: j, k: k, v: back ? g.r.dW[l][j][k] : g.s.p.W[l][j][k] });
        }
      }
    }
    for (l = 0; l <= L; l++) {
      for (j = 0; j < sizes[l]; j++) {
        var i = "[" + (j + 1) + "]";
        nodes.push(l === 0
          ? { l: 0, j: j, v: back ? null : g.s.p.x[j], sym: "x" + i }
          : { l: l, j: j, v: back ? g.r.delta[l][j] : g.r.a[l][j], sym: (back ? "delta" : "a") + l + i });
      }
    }
    var emax = Math.max.apply(null, edges.map(function (e) { return Math.abs(e.v); })) || 1;
    // the neurons' colour scale: shared in the forward view; per layer in the backward view,
    // where delta shrinks layer by layer (as the steppers' per-layer node_vmax)
    var nmax = [];
    for (l = 0; l <= L; l++) {
      nmax.push(Math.max.apply(null, nodes.map(function (n) {
        return n.v === null || (back && n.l !== l) ? 0 : Math.abs(n.v);
      })) || 1);
    }
    var self = this;
    edges.forEach(function (e) {
      var p0 = pos(e.l - 1, e.k), p1 = pos(e.l, e.j);
      var dx = p1[0] - p0[0], dy = p1[1] - p0[1], len = Math.sqrt(dx * dx + dy * dy);
      var ux = dx / len, uy = dy / len, t = 0.5 + 0.5 * e.v / emax;
      var line = svg("line", { x1: p0[0] + ux * R, y1: p0[1] + uy * R, x2: p1[0] - ux * R, y2: p1[1] - uy * R,
        stroke: css(colour(self.stops, visible(t))),
        "stroke-width": (1.2 + 4.8 * Math.min(Math.abs(e.v) / emax, 1)).toFixed(2) });
      if (e.v < 0) { line.setAttribute("stroke-dasharray", "7 4"); }
      line.appendChild(svg("title", {}, (back ? "\u2202C/\u2202" : "") + "w" + sup(e.l) + sub(e.j + 1) +
        sub(e.k + 1) + " = " + fmt(e.v)));
      s.appendChild(line);
    });
    nodes.forEach(function (n) {
      var p = pos(n.l, n.j);
      if (n.v === null) {
        s.appendChild(svg("circle", { cx: p[0], cy: p[1], r: R, fill: "#fff", stroke: "#777",
          "stroke-dasharray": "2 3", "stroke-width": 1.2 }));
        return;
      }
      var fill = colour(self.stops, 0.5 + 0.5 * n.v / nmax[n.l]);
      s.appendChild(svg("circle", { cx: p[0], cy: p[1], r: R, fill: css(fill), stroke: "#555", "stroke-width": 1.2 }));
      var text = svg("text", { x: p[0], y: p[1] + 4.5, "text-anchor": "middle", "font-size": 12,
        fill: textColour(fill) }, fmt(n.v));
      self.register(text, n.sym);
      text.setAttribute("data-bp-value", String(n.v));
      s.appendChild(text);
    });
    for (l = 0; l <= L; l++) {   // "layer l" over "input", "hidden" or "output"
      var name = svg("text", { x: pos(l, 0)[0], y: H - 28, "text-anchor": "middle", "font-size": 13,
        fill: "#333" }, "layer " + l);
      name.appendChild(svg("tspan", { x: pos(l, 0)[0], dy: 16 }, l === 0 ? "input" : l === L ? "output" : "hidden"));
      s.appendChild(name);
    }
    this.diagram.textContent = "";
    this.diagram.appendChild(s);
    // the diagram's texts are made anew at every drawing: forget the old ones
    for (var sym in this.shown) {
      this.shown[sym] = this.shown[sym].filter(function (node) { return node.isConnected; });
    }
    this.caption.textContent = back
      ? "Fill: \u03b4\u02e1, each layer on its own colour scale (the inputs have no \u03b4); lines: \u2202C/\u2202w\u02e1\u2c7c\u2096. Blue is positive, red negative, white 0; a line is dashed when negative and thicker when larger. Hover over a line for its value."
      : "Fill: a\u02e1 (the inputs show x); lines: the weights w\u02e1\u2c7c\u2096. Blue is positive, red negative, white 0; a line is dashed when negative and thicker when larger. Hover over a line for its value.";
  };

  // ---------------------------------------------------------------------------------------
  // Gradient descent: one step, or N of them with the cost curve.
  Playground.prototype.takeStep = function () {
    if (this.root.classList.contains("bp-playground-stale") || !this.good) {
      this.say("Fix the input first: " + this.message);
      return;
    }
    var r = this.good.r, far = finite(this.good.values, true);
    if (far) {
      this.say("This step goes too far (" + label(far) + " overflows): choose a smaller \u03b7 first.");
      return;
    }
    this.setParameters({ x: this.good.s.p.x, y: this.good.s.p.y, W: r.Wnew, b: r.bnew });
    this.trainMessage = "Took one step: C went from " + fmt(r.C) + " to " + fmt(r.Cnew) + ".";
    this.update();
  };

  Playground.prototype.train = function () {
    this.update();
    if (this.root.classList.contains("bp-playground-stale")) { return; }
    var n = parseNumber(this.steps.value).value;
    this.steps.removeAttribute("aria-invalid");
    if (!(n >= 1 && n <= MAX_STEPS && Math.floor(n) === n)) {
      this.steps.setAttribute("aria-invalid", "true");
      this.say("N, the number of steps, must be a whole number from 1 to " + MAX_STEPS + "; got \u201c" +
        this.steps.value.trim() + "\u201d.");
      return;
    }
    var s = this.good.s, p = s.p, costs = [this.good.r.C];
    for (var t = 1; t <= n; t++) {
      var r = compute(p, s.acts, s.loss, s.eta);
      p = { x: p.x, y: p.y, W: r.Wnew, b: r.bnew };
      if (!isFinite(r.Cnew)) {
        this.say("The cost became " + fmt(r.Cnew) + " at step " + t + ": \u03b7 = " + s.eta +
          " is probably too large. The parameters were left as they were.");
        return;
      }
      costs.push(r.Cnew);
    }
    this.setParameters(p);
    this.drawCurve(costs);
    this.trainMessage = "Trained " + n + " steps with \u03b7 = " + s.eta + ": C went from " +
      fmt(costs[0]) + " to " + fmt(costs[n]) + ". The numbers above are now the trained ones.";
    this.update();
  };

  Playground.prototype.drawCurve = function (costs) {
    this.curve.textContent = "";
    this.curveNote.textContent = "";
    this.costs = null;
    if (!costs) {
      this.curveNote.textContent = "Press \u201cTrain N steps\u201d to run N gradient-descent steps " +
        "from the numbers above and draw the cost after each one.";
      return;
    }
    var W = this.width(), H = 240, x0 = 70, x1 = W - 20, y0 = 20, y1 = H - 42, n = costs.length - 1;
    this.costs = costs;
    var positive = costs.every(function (c) { return c > 0; });
    var f = positive ? function (c) { return Math.log(c) / Math.LN10; } : function (c) { return c; };
    var vals = costs.map(f), lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals);
    if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
    var X = function (t) { return x0 + (x1 - x0) * t / Math.max(n, 1); };
    var Y = function (v) { return y1 - (y1 - y0) * (v - lo) / (hi - lo); };
    var s = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label":
      "The cost C after each of " + n + " gradient-descent steps, " + (positive ? "on a logarithmic scale, " : "") +
      "from " + fmt(costs[0]) + " to " + fmt(costs[n]) + "." });
    s.appendChild(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#fff" }));
    s.appendChild(svg("line", { x1: x0, y1: y1, x2: x1, y2: y1, stroke: "#333" }));
    s.appendChild(svg("line", { x1: x0, y1: y0, x2: x0, y2: y1, stroke: "#333" }));
    var every = Math.max(1, Math.ceil(n / 600)), pts = [];
    for (var t = 0; t <= n; t += every) { pts.push(X(t).toFixed(1) + "," + Y(vals[t]).toFixed(1)); }
    if ((n % every) !== 0) { pts.push(X(n).toFixed(1) + "," + Y(vals[n]).toFixed(1)); }
    s.appendChild(svg("polyline", { points: pts.join(" "), fill: "none", stroke: "#1f4e99", "stroke-width": 2.2 }));
    var ticks = [];
    if (positive) {
      for (var e = Math.ceil(lo - 1e-9); e <= Math.floor(hi + 1e-9); e++) { ticks.push(e); }
    }
    if (ticks.length < 2) { ticks = [lo, hi]; }
    ticks.forEach(function (v) {
      s.appendChild(svg("line", { x1: x0 - 4, y1: Y(v), x2: x0, y2: Y(v), stroke: "#333" }));
      s.appendChild(svg("text", { x: x0 - 7, y: Y(v) + 4, "text-anchor": "end", "font-size": 12, fill: "#222" },
        positive ? fmt(Math.pow(10, v)) : fmt(v)));
    });
    [0, n].forEach(function (t) {
      s.appendChild(svg("text", { x: X(t), y: y1 + 16, "text-anchor": "middle", "font-size": 12, fill: "#222" }, String(t)));
    });
    s.appendChild(svg("text", { x: (x0 + x1) / 2, y: H - 6, "text-anchor": "middle", "font-size": 13, fill: "#222" }, "step t"));
    s.appendChild(svg("text", { x: 14, y: (y0 + y1) / 2, "text-anchor": "middle", "font-size": 13, fill: "#222",
      transform: "rotate(-90 14 " + (y0 + y1) / 2 + ")" }, "cost C"));
    this.curve.appendChild(s);
    this.curveNote.appendChild(document.createTextNode("C before training: "));
    var first = el("strong", {}, fmt(costs[0]));
    first.setAttribute("data-bp-symbol", "C_step[0]");
    first.setAttribute("data-bp-value", String(costs[0]));
    this.curveNote.appendChild(first);
    this.curveNote.appendChild(document.createTextNode("; after " + n + " steps: "));
    var last = el("strong", {}, fmt(costs[n]));
    last.setAttribute("data-bp-symbol", "C_step[" + n + "]");
    last.setAttribute("data-bp-value", String(costs[n]));
    this.curveNote.appendChild(last);
    this.curveNote.appendChild(document.createTextNode("."));
  };

  // ---------------------------------------------------------------------------------------
  function init() {
    var roots = document.querySelectorAll("[data-bp-playground]");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (root.hasAttribute("data-bp-ready")) { continue; }
      root.setAttribute("data-bp-ready", "");
      var spec = JSON.parse(root.getAttribute("data-bp-playground"));
      root.bpPlayground = new Playground(root, spec);
    }
  }
  window.bpPlayground = { init: init, implemented: E.IMPLEMENTED,
    tables: { activations: Object.keys(E.ACTIVATIONS), losses: Object.keys(E.LOSSES),
      shortcuts: Object.keys(E.LOSSES).reduce(function (o, k) { o[k] = Object.keys(E.LOSSES[k].shortcuts); return o; }, {}) } };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  init();
})();
