// The formula questions' checker (bpcore.formula; class names in bpcore/dom.py).
// bpcore.render inlines this file after every formula question; it installs itself once per
// page (window.bpFormula) and serves every question by delegation.  What the reader types is
// parsed by mathjs (window.math, which the book loads on pages with a question) into a tree;
// this script walks the tree itself, accepting only numbers, the question's symbols, the
// operators + - * / .* ./ ^ .^ ' and the question's functions, and does the arithmetic with a
// mathjs instance whose code-running functions are disabled.  The text never reaches eval,
// Function or mathjs's evaluate.  Results are compared with the numbers bpcore computed.
(function () {
  "use strict";
  if (window.bpFormula) { window.bpFormula.init(); return; }

  var MAX_LENGTH = 400;   // characters in the box
  var MAX_DEPTH = 40;     // nesting of the parsed formula
  var MAX_POWER = 16;     // largest |exponent| of ^ and .^
  // mathjs functions that import, create units or read text as a new expression (mathjs's
  // "security" page), plus JavaScript's own: the instance below replaces the mathjs ones,
  // and a formula that calls any of them is told they are disabled.
  var DISABLED = ["import", "createUnit", "evaluate", "parse", "compile", "simplify",
    "simplifyCore", "simplifyConstant", "derivative", "resolve", "rationalize", "chain",
    "help", "leafCount", "symbolicEqual", "map", "forEach", "filter", "apply", "reviver",
    "replacer"];
  var DISABLED_TOO = ["eval", "Function", "config", "typed", "factory", "create", "require"];
  // Typed look-alikes, replaced one character for one so positions stay right.
  var LOOKALIKES = [[/\u2212/g, "-"], [/[\u2019\u2032\u00b4]/g, "'"],
    [/[\u00d7\u22c5\u00b7]/g, "*"]];

  function Problem(text) { this.text = text; }   // a message for the reader, not a bug
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  var lib = null;
  function mathjs() {
    if (lib) { return lib; }
    var m = window.math;
    if (!m || typeof m.create !== "function") { return null; }
    var M = m.create({ predictable: true });      // sqrt(-1) is NaN, not a complex number
    var parse = M.parse;                          // kept before it is disabled below
    var off = {};
    DISABLED.forEach(function (name) {
      off[name] = function () { throw new Problem(name + "(...) is disabled here."); };
    });
    M.import(off, { override: true });
    lib = { M: M, parse: parse };
    return lib;
  }

  // --- values: a number, or a 2-D array of rows; a 1x1 array counts as a number ---------
  function isNum(v) { return typeof v === "number"; }
  function tidy(v) { return !isNum(v) && v.length === 1 && v[0].length === 1 ? v[0][0] : v; }
  function dims(v) { return isNum(v) ? null : [v.length, v[0].length]; }
  function shapeText(v) {
    var d = dims(v);
    return d ? "shape (" + d[0] + ", " + d[1] + ")" : "a single number";
  }
  function each(v, f) {
    var g = function (x) { return f(x); };   // map's index and array must not reach f
    return isNum(v) ? g(v) : v.map(function (row) { return row.map(g); });
  }
  function widen(v, d) {   // a (n, 1) column or (1, m) row repeated to shape d
    var out = [];
    for (var i = 0; i < d[0]; i++) {
      var row = [];
      for (var j = 0; j < d[1]; j++) {
        row.push(v[v.length === 1 ? 0 : i][v[0].length === 1 ? 0 : j]);
      }
      out.push(row);
    }
    return out;
  }
  function entries(v) { return isNum(v) ? [v] : [].concat.apply([], v); }

  // --- the functions a question may offer (bpcore.formula.FUNCTIONS lists the same) ------
  function reduce(v, dim, how, name) {
    var d = dims(v);
    if (dim !== undefined && dim !== 1 && dim !== 2) {
      throw new Problem(name + "(A, dim) takes dim = 1 (down each column) or 2 (along each row).");
    }
    var total = function (xs) {
      var s = 0;
      xs.forEach(function (x) { s += x; });
      return how === "mean" ? s / xs.length : s;
    };
    if (isNum(v)) { return v; }
    if (dim === undefined) { return total(entries(v)); }
    if (dim === 1) {
      var row = [];
      for (var j = 0; j < d[1]; j++) { row.push(total(v.map(function (r) { return r[j]; }))); }
      return [row];
    }
    return v.map(function (r) { return [total(r)]; });
  }
  var FUNCTIONS = {
    sigma: { args: [1], tex: "\\sigma",
      run: function (M, v) { return each(v, function (x) { return 1 / (1 + M.exp(-x)); }); } },
    sigma_prime: { args: [1], tex: "\\sigma'",
      run: function (M, v) {
        return each(v, function (x) { var s = 1 / (1 + M.exp(-x)); return s * (1 - s); });
      } },
    tanh: { args: [1], tex: "\\tanh", run: function (M, v) { return each(v, M.tanh); } },
    exp: { args: [1], tex: "\\exp", run: function (M, v) { return each(v, M.exp); } },
    log: { args: [1], tex: "\\ln", run: function (M, v) { return each(v, M.log); } },
    sqrt: { args: [1], run: function (M, v) { return each(v, M.sqrt); } },
    abs: { args: [1], run: function (M, v) { return each(v, M.abs); } },
    sum: { args: [1, 2], tex: "\\operatorname{sum}",
      run: function (M, v, dim) { return reduce(v, dim, "sum", "sum"); } },
    mean: { args: [1, 2], tex: "\\operatorname{mean}",
      run: function (M, v, dim) { return reduce(v, dim, "mean", "mean"); } },
    norm: { args: [1], run: function (M, v) { return M.norm(isNum(v) ? v : entries(v)); } },
    diag: { args: [1], tex: "\\operatorname{diag}",
      run: function (M, v) {
        var d = dims(v);
        if (d && d[0] !== 1 && d[1] !== 1) {
          throw new Problem("diag(v) takes a column or a row, and got " + shapeText(v) + ".");
        }
        var xs = entries(v), out = [];
        for (var i = 0; i < xs.length; i++) {
          var row = [];
          for (var j = 0; j < xs.length; j++) { row.push(i === j ? xs[i] : 0); }
          out.push(row);
        }
        return out;
      } }
  };

  // --- walking the parsed formula ----------------------------------------------------------
  function quote(node) { return "\u201c" + node.toString() + "\u201d"; }
  function listOf(names, suffix) {
    return names.length ? names.map(function (n) { return n + suffix; }).join(", ") : "none";
  }

  function Evaluator(M, spec, values) {
    this.M = M;
    this.spec = spec;
    this.values = values;
    this.symbols = spec.symbols.map(function (s) { return s.name; });
  }
  Evaluator.prototype.symbolList = function () { return listOf(this.symbols, ""); };
  Evaluator.prototype.functionList = function () {
    return listOf(this.spec.functions, "(\u00b7)");
  };

  Evaluator.prototype.value = function (node, depth) {
    if (depth > MAX_DEPTH) { throw new Problem("The formula is nested too deeply."); }
    var t = node.type;
    if (t === "ParenthesisNode") { return this.value(node.content, depth + 1); }
    if (t === "ConstantNode") {
      if (typeof node.value !== "number") {
        throw new Problem(quote(node) + " is not a number: a formula holds numbers, symbols, "
          + "operators and functions only.");
      }
      if (!isFinite(node.value)) { throw new Problem("A number in the formula is too large."); }
      return node.value;
    }
    if (t === "SymbolNode") { return this.symbol(node.name); }
    if (t === "OperatorNode") { return this.operator(node, depth); }
    if (t === "FunctionNode") { return this.call(node, depth); }
    if (t === "AssignmentNode" || t === "FunctionAssignmentNode") {
      throw new Problem(quote(node) + " assigns with =; type only the formula, with no = sign.");
    }
    if (t === "AccessorNode" || t === "IndexNode") {
      throw new Problem(quote(node) + " picks entries; type the formula for whole arrays, "
        + "with no [ ] or dots after a name.");
    }
    throw new Problem(quote(node) + " is not part of a formula here: use numbers, the symbols "
      + this.symbolList() + ", the operators + - * / .* ./ ^ .^ ' and the functions "
      + this.functionList() + ".");
  };

  Evaluator.prototype.symbol = function (name) {
    if (own(this.values, name)) { return this.values[name]; }
    if (own(FUNCTIONS, name) && this.spec.functions.indexOf(name) >= 0) {
      throw new Problem(name + " is a function: write " + name + "(...), with its argument "
        + "in parentheses.");
    }
    var extra = name === "e" ? " For e to a power, write exp(...)." : "";
    throw new Problem("Unknown symbol " + name + ". The symbols of this question are "
      + this.symbolList() + "." + extra);
  };

  Evaluator.prototype.operator = function (node, depth) {
    var M = this.M, fn = node.fn, self = this;
    if (node.implicit) {
      throw new Problem("Write every product with * (matrix product) or .* (entry by entry): "
        + quote(node) + " leaves it out between " + quote(node.args[0]) + " and "
        + quote(node.args[1]) + ".");
    }
    var known = ["add", "subtract", "multiply", "divide", "dotMultiply", "dotDivide", "pow",
      "dotPow", "unaryMinus", "unaryPlus", "ctranspose", "transpose"];
    if (known.indexOf(fn) < 0) {
      throw new Problem("The operator " + node.op + " in " + quote(node) + " is not used here; "
        + "the operators are + - * / .* ./ ^ .^ and ' (transpose).");
    }
    var args = node.args.map(function (a) { return self.value(a, depth + 1); });
    var a = args[0], b = args[1], r;
    if (fn === "unaryMinus") { r = M.unaryMinus(a); }
    else if (fn === "unaryPlus") { r = a; }
    else if (fn === "ctranspose" || fn === "transpose") { r = isNum(a) ? a : M.transpose(a); }
    else if (fn === "add" || fn === "subtract") { r = this.addLike(node, a, b); }
    else if (fn === "multiply") { r = this.product(node, a, b); }
    else if (fn === "dotMultiply" || fn === "dotDivide") { r = this.entrywise(node, a, b); }
    else if (fn === "divide") {
      if (!isNum(b)) {
        throw new Problem("In " + quote(node) + ", / divides by a number, and "
          + quote(node.args[1]) + " has " + shapeText(b) + ": use ./ to divide entry by entry.");
      }
      r = M.divide(a, b);
    } else { r = this.power(node, a, b); }
    return tidy(r);
  };

  Evaluator.prototype.addLike = function (node, a, b) {
    var op = node.fn === "add" ? this.M.add : this.M.subtract;
    if (isNum(a) || isNum(b)) { return op(a, b); }
    var da = dims(a), db = dims(b);
    if (da[0] === db[0] && da[1] === db[1]) { return op(a, b); }
    // The book adds a column b to every column of W a (and a row to every row in a row
    // layout); any other pair of shapes is a mistake the page reports.
    var rows = da[0] === db[0], cols = da[1] === db[1];
    if ((rows && db[1] === 1) || (cols && db[0] === 1)) { return op(a, widen(b, da)); }
    if ((rows && da[1] === 1) || (cols && da[0] === 1)) { return op(widen(a, db), b); }
    throw new Problem("In " + quote(node) + ", the shapes (" + da.join(", ") + ") and ("
      + db.join(", ") + ") do not fit: " + node.op + " needs equal shapes, or a column added "
      + "to every column of an array with as many rows.");
  };

  Evaluator.prototype.product = function (node, a, b) {
    if (isNum(a) || isNum(b)) { return this.M.multiply(a, b); }
    var da = dims(a), db = dims(b);
    if (da[1] !== db[0]) {
      throw new Problem("In " + quote(node) + ", a (" + da.join(", ") + ") array times a ("
        + db.join(", ") + ") does not fit: for A * B the columns of A (" + da[1] + ") must "
        + "equal the rows of B (" + db[0] + "). Is a transpose (') missing, or did you mean "
        + ".* (entry by entry)?");
    }
    return this.M.multiply(a, b);
  };

  Evaluator.prototype.entrywise = function (node, a, b) {
    var op = node.fn === "dotMultiply" ? this.M.dotMultiply : this.M.dotDivide;
    if (!isNum(a) && !isNum(b)) {
      var da = dims(a), db = dims(b);
      if (da[0] !== db[0] || da[1] !== db[1]) {
        throw new Problem("In " + quote(node) + ", the shapes (" + da.join(", ") + ") and ("
          + db.join(", ") + ") differ: " + node.op + " works entry by entry and needs equal "
          + "shapes.");
      }
    }
    return op(a, b);
  };

  Evaluator.prototype.power = function (node, a, b) {
    if (!isNum(b)) {
      throw new Problem("In " + quote(node) + ", the exponent has " + shapeText(b)
        + "; an exponent must be a number.");
    }
    if (Math.abs(b) > MAX_POWER) {
      throw new Problem("The power in " + quote(node) + " is too large: the exponent is "
        + b + ", and no answer here needs one beyond " + MAX_POWER + ".");
    }
    if (node.fn === "pow" && !isNum(a)) {
      throw new Problem("In " + quote(node) + ", ^ raises a number, and " + quote(node.args[0])
        + " has " + shapeText(a) + ": use .^ to raise every entry.");
    }
    return isNum(a) ? this.M.pow(a, b) : this.M.dotPow(a, b);
  };

  Evaluator.prototype.call = function (node, depth) {
    var self = this;
    var name = node.fn && node.fn.type === "SymbolNode" ? node.fn.name : null;
    if (name === null) {
      throw new Problem(quote(node) + " calls something that is not a function name.");
    }
    if (DISABLED.indexOf(name) >= 0 || DISABLED_TOO.indexOf(name) >= 0) {
      throw new Problem(name + "(...) is disabled: a formula here is evaluated without running "
        + "any other code. The functions of this question are " + this.functionList() + ".");
    }
    if (this.symbols.indexOf(name) >= 0) {
      throw new Problem(name + " is a symbol, not a function: to multiply, write " + name
        + " * (...) or " + name + " .* (...).");
    }
    var f = own(FUNCTIONS, name) ? FUNCTIONS[name] : null;
    if (!f || this.spec.functions.indexOf(name) < 0) {
      throw new Problem((f ? "This question does not use " : "Unknown function ") + name
        + "(...). The functions of this question are " + this.functionList() + ".");
    }
    if (f.args.indexOf(node.args.length) < 0) {
      throw new Problem(name + "(...) takes " + f.args.join(" or ") + " argument"
        + (f.args[f.args.length - 1] > 1 ? "s" : "") + ", and " + quote(node) + " has "
        + node.args.length + ".");
    }
    var args = node.args.map(function (a) { return self.value(a, depth + 1); });
    if (args.length > 1 && !isNum(args[1])) {
      throw new Problem("In " + quote(node) + ", the second argument must be a number.");
    }
    return tidy(f.run.apply(null, [this.M].concat(args)));
  };

  // --- comparing with the numbers bpcore computed ------------------------------------------
  function close(g, w, spec) {
    g = tidy(g); w = tidy(w);
    if (isNum(g) !== isNum(w)) { return false; }
    var dg = dims(g), dw = dims(w);
    if (dg && (dg[0] !== dw[0] || dg[1] !== dw[1])) { return false; }
    var xs = entries(g), ys = entries(w), scale = 0, worst = 0;
    for (var i = 0; i < xs.length; i++) {
      scale = Math.max(scale, Math.abs(xs[i]), Math.abs(ys[i]));
      worst = Math.max(worst, Math.abs(xs[i] - ys[i]));
    }
    return worst <= spec.rtol * scale + spec.atol;
  }
  function where(v, k) {   // "entry (i, j)" of flat index k, 1-based like the book
    var d = dims(v);
    return d ? " at entry (" + (Math.floor(k / d[1]) + 1) + ", " + (k % d[1] + 1) + ")" : "";
  }
  function fmt(x) { return isFinite(x) ? String(Number(x.toPrecision(6))) : String(x); }

  function scaled(v, c) { return each(tidy(v), function (x) { return c * x; }); }

  function ratio(results, spec) {   // c with result = c * answer on every data set, or null
    var c = null;
    results.forEach(function (r, s) {
      var g = entries(tidy(r)), w = entries(tidy(spec.datasets[s].answer));
      for (var i = 0; i < w.length && c === null; i++) {
        if (Math.abs(w[i]) > 1e-12) { c = g[i] / w[i]; }
      }
    });
    if (c === null || !isFinite(c)) { return null; }
    var everywhere = results.every(function (r, s) {
      return close(r, scaled(spec.datasets[s].answer, c), spec);
    });
    return everywhere ? c : null;
  }

  function syntaxProblem(err, text) {
    var at = typeof err.char === "number" ? err.char : null;
    var what = String(err.message || err).replace(/\s*\(char \d+\)\s*$/, "");
    what = what.charAt(0).toLowerCase() + what.slice(1);
    if (at === null) { return "Syntax error: " + what + "."; }
    var before = text.slice(0, Math.max(0, at - 1)).trim();
    return "Syntax error at character " + at + ": " + what + "."
      + (before ? " The formula reads well up to \u201c" + before + "\u201d." : "");
  }

  function normalise(text) {
    var s = String(text);
    LOOKALIKES.forEach(function (pair) { s = s.replace(pair[0], pair[1]); });
    return s;
  }

  function notChecked(text) { return { ok: null, text: text }; }

  // The formula's value on every data set, or the problem that stops it.
  function evaluateAll(L, spec, tree) {
    var results = [];
    for (var s = 0; s < spec.datasets.length; s++) {
      var ds = spec.datasets[s], r;
      try {
        r = tidy(new Evaluator(L.M, spec, ds.values).value(tree, 0));
      } catch (err) {
        if (err instanceof Problem) { return notChecked(err.text); }
        return notChecked("This formula cannot be evaluated: " + (err && err.message || err));
      }
      var xs = entries(r);
      for (var k = 0; k < xs.length; k++) {
        if (isFinite(xs[k])) { continue; }
        var why = isNaN(xs[k])
          ? "NaN, not a number (a log or square root of a negative number, or 0/0?)"
          : "an infinite value (a division by zero, or an exp or power too large?)";
        return notChecked("On " + ds.label + " your formula gives " + why + where(r, k) + ".");
      }
      results.push(r);
    }
    return results;
  }

  // Why a formula that matches neither the answer nor a mistake is wrong.
  function diagnose(spec, results) {
    var q = spec.quantity, s;
    for (s = 0; s < results.length; s++) {
      var want = tidy(spec.datasets[s].answer), got = results[s];
      var dg = dims(got), dw = dims(want);
      if (isNum(got) !== isNum(want) || (dg && (dg[0] !== dw[0] || dg[1] !== dw[1]))) {
        var flipped = dg && dw && dg[0] === dw[1] && dg[1] === dw[0] ? " Transposed?" : "";
        return "Your formula gives " + shapeText(got) + " on " + spec.datasets[s].label
          + ", but " + q + " has " + shapeText(want) + "." + flipped;
      }
    }
    var c = ratio(results, spec);
    if (c !== null && Math.abs(c + 1) < 1e-6) {
      return "The sign is flipped: your formula gives minus " + q + ".";
    }
    if (c !== null) {
      return "Your formula gives " + fmt(c) + " times " + q + ": a constant factor is wrong or "
        + "missing.";
    }
    for (s = 0; s < results.length; s++) {
      if (close(results[s], spec.datasets[s].answer, spec)) { continue; }
      var g = entries(results[s]), w = entries(tidy(spec.datasets[s].answer)), j = 0;
      for (var i = 1; i < w.length; i++) {
        if (Math.abs(g[i] - w[i]) > Math.abs(g[j] - w[j])) { j = i; }
      }
      return "On " + spec.datasets[s].label + " your formula gives " + fmt(g[j])
        + where(results[s], j) + ", where " + q + " is " + fmt(w[j]) + "."
        + (spec.hint ? " " + spec.hint : "");
    }
    return spec.hint || "Check your working and try again.";
  }

  // The verdict on a typed formula: {ok, text}, with ok true (correct), false (wrong, and
  // `mistake` names a catalogued mistake it matched) or null: not checked, because the input
  // cannot be read or evaluated; the text then says how to fix it.
  function verdict(spec, raw) {
    var text = normalise(raw);
    var names = spec.symbols.map(function (s) { return s.name; }).join(", ");
    if (!text.trim()) { return notChecked("Type a formula first, in the symbols " + names + "."); }
    if (text.length > MAX_LENGTH) {
      return notChecked("The formula is longer than " + MAX_LENGTH + " characters; no answer "
        + "here needs that many.");
    }
    var L = mathjs();
    if (!L) {
      return notChecked("Checking a formula needs the book's web page, which loads the "
        + "expression library mathjs. In a notebook, check your answer with the exercise's "
        + "check.");
    }
    var tree;
    try { tree = L.parse(text); } catch (err) { return notChecked(syntaxProblem(err, text)); }
    var results = evaluateAll(L, spec, tree);
    if (!Array.isArray(results)) { return results; }
    var agrees = function (values) {
      return results.every(function (r, s) { return close(r, values[s], spec); });
    };
    if (agrees(spec.datasets.map(function (d) { return d.answer; }))) {
      return { ok: true, text: spec.explanation || "" };
    }
    for (var m = 0; m < spec.mistakes.length; m++) {
      var mk = spec.mistakes[m];
      if (agrees(mk.values)) { return { ok: false, text: mk.hint, mistake: mk.name }; }
    }
    return { ok: false, text: diagnose(spec, results) };
  }

  // --- the typeset preview -------------------------------------------------------------------
  function texOf(spec, tree) {
    var symbolTex = {};
    spec.symbols.forEach(function (s) { symbolTex[s.name] = s.tex; });
    var plain = function (name) { return "\\mathrm{" + name.replace(/_/g, "\\_") + "}"; };
    var handler = function (node, options) {
      var arg = function (i) { return node.args[i].toTex(options); };
      // (W²)ᵀ, not W^{2^T}: a symbol written with a superscript gets parentheses.
      var base = function (i) {
        var a = node.args[i];
        var raised = a.type === "SymbolNode" && own(symbolTex, a.name)
          && /\^/.test(symbolTex[a.name]);
        return raised ? "\\left(" + arg(i) + "\\right)" : arg(i);
      };
      if (node.type === "SymbolNode") {
        var known = own(symbolTex, node.name) ? symbolTex[node.name] : undefined;
        return known !== undefined ? "{" + known + "}" : plain(node.name);
      }
      if (node.type === "OperatorNode" && !node.implicit) {
        if (node.fn === "dotMultiply") { return arg(0) + " \\odot " + arg(1); }
        if (node.fn === "dotDivide") { return arg(0) + " \\oslash " + arg(1); }
        if (node.fn === "dotPow") { return "{" + base(0) + "}^{\\circ " + arg(1) + "}"; }
        if (node.fn === "pow") { return "{" + base(0) + "}^{" + arg(1) + "}"; }
        if (node.fn === "ctranspose" || node.fn === "transpose") {
          return "{" + base(0) + "}^{\\top}";
        }
      }
      if (node.type === "FunctionNode" && node.fn.type === "SymbolNode") {
        var name = node.fn.name;
        var inner = node.args.map(function (a) { return a.toTex(options); }).join(", ");
        if (name === "sqrt") { return "\\sqrt{" + inner + "}"; }
        if (name === "abs") { return "\\left|" + inner + "\\right|"; }
        if (name === "norm") { return "\\left\\lVert " + inner + "\\right\\rVert"; }
        var f = own(FUNCTIONS, name) ? FUNCTIONS[name] : null;
        return (f && f.tex ? f.tex : "\\operatorname{" + name.replace(/_/g, "\\_") + "}")
          + "\\left(" + inner + "\\right)";
      }
      return undefined;
    };
    return tree.toTex({ handler: handler, parenthesis: "keep", implicit: "show" });
  }

  var typesetting = Promise.resolve();
  function preview(root) {
    var box = root.querySelector(".bp-formula-preview");
    var input = root.querySelector(".bp-formula-input");
    var spec = specOf(root);
    if (!box || !input || !spec) { return; }
    var text = normalise(input.value);
    var L = mathjs();
    if (!text.trim()) { box.textContent = ""; return; }
    var tree = null;
    try { tree = L ? L.parse(text) : null; } catch (err) {
      var why = syntaxProblem(err, text).replace(/^Syntax error/, "syntax error");
      box.textContent = "Preview: not a formula yet (" + why + ")";
      return;
    }
    var MJ = window.MathJax;
    if (!tree || !MJ || typeof MJ.typesetPromise !== "function") {
      box.textContent = "Preview: " + (tree ? tree.toString() : text);
      return;
    }
    var tex;
    try { tex = texOf(spec, tree); } catch (err) {
      box.textContent = "Preview: " + tree.toString();
      return;
    }
    typesetting = typesetting.then(function () {
      if (normalise(input.value) !== text) { return null; }   // a newer keystroke will typeset
      box.style.visibility = "hidden";
      box.textContent = "Preview: \\(" + tex + "\\)";
      if (MJ.typesetClear) { MJ.typesetClear([box]); }
      return MJ.typesetPromise([box]);
    }).then(function () { box.style.visibility = ""; }, function () {
      box.textContent = "Preview: " + tree.toString();
      box.style.visibility = "";
    });
  }

  // --- the page ------------------------------------------------------------------------------
  function specOf(root) {
    try { return JSON.parse(root.getAttribute("data-bp-formula")); } catch (err) { return null; }
  }
  function say(root, result) {
    var fb = root.querySelector(".bp-formula-feedback");
    if (!fb) { return; }
    fb.classList.remove("bp-formula-ok", "bp-formula-no");
    if (result.ok === null) { fb.textContent = result.text; return; }
    fb.classList.add(result.ok ? "bp-formula-ok" : "bp-formula-no");
    fb.textContent = (result.ok ? "\u2713 Correct. " : "\u2717 Not yet. ") + result.text;
  }
  function check(root) {
    if (!root) { return; }
    var spec = specOf(root), input = root.querySelector(".bp-formula-input");
    if (!spec || !input) { return; }
    var result = verdict(spec, input.value);
    var outcome = result.ok === true ? "correct" : result.ok === false ? "wrong" : "";
    root.setAttribute("data-bp-result", outcome);
    say(root, result);
    // Announced to the page: the book's bp-progress.js remembers a correct answer.
    var id = root.getAttribute("data-bp-question");
    if (id && result.ok !== null && typeof window.CustomEvent === "function") {
      root.dispatchEvent(new CustomEvent("bp-answer",
        { bubbles: true, detail: { id: id, correct: result.ok } }));
    }
  }
  function init() {
    var roots = document.querySelectorAll(".bp-formula:not([data-bp-ready])");
    for (var i = 0; i < roots.length; i++) {
      roots[i].setAttribute("data-bp-ready", "");
      var note = roots[i].querySelector(".bp-formula-nojs");
      if (note) { note.hidden = true; }
    }
  }
  function rootOf(target) {
    return target && target.closest ? target.closest(".bp-formula") : null;
  }
  var timers = new WeakMap();
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.closest && t.closest(".bp-formula-check")) { init(); check(rootOf(t)); }
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "Enter" && t && t.matches && t.matches(".bp-formula .bp-formula-input")) {
      e.preventDefault();
      e.stopPropagation();
      init();
      check(rootOf(t));
    }
  });
  document.addEventListener("input", function (e) {
    var t = e.target, root;
    if (!t || !t.matches || !t.matches(".bp-formula .bp-formula-input")) { return; }
    root = rootOf(t);
    clearTimeout(timers.get(root));
    timers.set(root, setTimeout(function () { preview(root); }, 150));
  });
  window.bpFormula = { check: check, init: init, verdict: verdict, preview: preview, tex: texOf,
    FUNCTIONS: FUNCTIONS };
  init();
})();
