// The arithmetic of the playground (bpcore.playground): the forward pass, the costs and
// BP1-BP4 for one sample, written to follow bpcore's engine (bpcore/engine.py,
// activations.py, losses.py) operation by operation, so that every value agrees with bpcore
// to about 1e-15; tests/browser/test_playground_page.py checks it to 1e-12. bpcore.playground
// inlines this file before bp-playground.js, which builds the page; it defines
// window.bpPlaygroundEngine once per page. No DOM, no eval.
(function () {
  "use strict";
  if (window.bpPlaygroundEngine) { return; }

  // What this script implements. bpcore.playground reads this line (one line of JSON) and
  // refuses to build a page when a registered activation, cost or shortcut is missing here.
  var IMPLEMENTED = {"activations": ["sigmoid", "tanh", "relu", "identity", "softmax"], "losses": ["mse", "cross_entropy", "binary_cross_entropy"], "shortcuts": {"cross_entropy": ["softmax", "sigmoid"], "binary_cross_entropy": ["sigmoid"]}};

  var MINUS = "\u2212";
  var TINY = 2.2250738585072014e-308;   // np.finfo(float).tiny, the guard of the divisions
  var EPS = 2.220446049250313e-16;      // np.finfo(float).eps
  var SUP = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";
  var SUB = "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089";

  function sup(n) { return String(n).replace(/\d/g, function (d) { return SUP[+d]; }); }
  function sub(n) { return String(n).replace(/\d/g, function (d) { return SUB[+d]; }); }
  function map(v, f) {
    var out = new Array(v.length);
    for (var i = 0; i < v.length; i++) { out[i] = f(v[i], i); }
    return out;
  }
  function sum(v) { var s = 0; for (var i = 0; i < v.length; i++) { s += v[i]; } return s; }
  function vmax(v) { var m = -Infinity; for (var i = 0; i < v.length; i++) { if (v[i] > m) { m = v[i]; } } return m; }
  // numpy's logaddexp(x, y) = ln(e^x + e^y), computed as numpy does.
  function logaddexp(x, y) {
    if (x === y) { return x + Math.LN2; }
    var t = x - y;
    if (t > 0) { return x + Math.log1p(Math.exp(-t)); }
    if (t <= 0) { return y + Math.log1p(Math.exp(t)); }
    return t;
  }

  // ---------------------------------------------------------------------------------------
  // Activations (bpcore/activations.py): f(z), and the derivative the engine uses, from a
  // where bpcore computes it from a; softmax has its Jacobian product instead.
  var ACTIVATIONS = {
    sigmoid: {
      f: function (z) { return map(z, function (t) { return 1 / (1 + Math.exp(-t)); }); },
      derivative: function (z, a) { return map(a, function (t) { return t * (1 - t); }); },
      logA: function (z) { return map(z, function (t) { return -logaddexp(0, -t); }); },
      logOneMinusA: function (z) { return map(z, function (t) { return -logaddexp(0, t); }); }
    },
    tanh: {
      f: function (z) { return map(z, Math.tanh); },
      derivative: function (z, a) { return map(a, function (t) { return 1 - t * t; }); }
    },
    relu: {  // relu'(0) = 0, bpcore's convention
      f: function (z) { return map(z, function (t) { return Math.max(t, 0); }); },
      derivative: function (z) { return map(z, function (t) { return t > 0 ? 1 : 0; }); }
    },
    identity: {
      f: function (z) { return z.slice(); },
      derivative: function (z) { return map(z, function () { return 1; }); }
    },
    softmax: {
      f: function (z) {
        var top = vmax(z), e = map(z, function (t) { return Math.exp(t - top); }), s = sum(e);
        return map(e, function (t) { return t / s; });
      },
      // J^T g with J = diag(a) - a a^T: a (g - sum_i a_i g_i)
      backward: function (z, a, g) {
        var s = sum(map(a, function (t, i) { return t * g[i]; }));
        return map(a, function (t, i) { return t * (g[i] - s); });
      },
      logA: function (z) {
        var top = vmax(z);
        var lse = Math.log(sum(map(z, function (t) { return Math.exp(t - top); })));
        return map(z, function (t) { return t - top - lse; });
      }
    }
  };

  // Costs (bpcore/losses.py): one sample's loss, dC/da^L and the shortcuts for delta^L.
  function logA(act, z, a) { return act.logA ? act.logA(z) : map(a, Math.log); }
  function logOneMinusA(act, z, a) {
    return act.logOneMinusA ? act.logOneMinusA(z)
      : map(a, function (t) { return Math.log1p(-Math.min(t, 1 - EPS)); });
  }
  function aMinusY(a, y) { return map(a, function (t, j) { return t - y[j]; }); }
  var LOSSES = {
    mse: {
      perSample: function (y, a) {
        var s = 0;
        for (var j = 0; j < a.length; j++) { var d = y[j] - a[j]; s += d * d; }
        return 0.5 * s;
      },
      gradient: function (y, a) { return aMinusY(a, y); },
      shortcuts: {}
    },
    cross_entropy: {
      perSample: function (y, a, z, act) {
        var la = logA(act, z, a), s = 0;
        for (var j = 0; j < a.length; j++) { s += y[j] > 0 ? y[j] * la[j] : 0; }
        return -s;
      },
      gradient: function (y, a) { return map(a, function (t, j) { return -y[j] / Math.max(t, TINY); }); },
      shortcuts: {
        softmax: aMinusY,
        sigmoid: function (a, y) { return map(a, function (t, j) { return -y[j] * (1 - t); }); }
      }
    },
    binary_cross_entropy: {
      perSample: function (y, a, z, act) {
        var la = logA(act, z, a), lb = logOneMinusA(act, z, a), s = 0;
        for (var j = 0; j < a.length; j++) {
          s += (y[j] > 0 ? y[j] * la[j] : 0) + (y[j] < 1 ? (1 - y[j]) * lb[j] : 0);
        }
        return -s;
      },
      gradient: function (y, a) {
        return map(a, function (t, j) { return (t - y[j]) / Math.max(t * (1 - t), TINY); });
      },
      shortcuts: { sigmoid: aMinusY }
    }
  };

  // ---------------------------------------------------------------------------------------
  // The forward pass and BP1-BP4 for one sample (m = 1), layers l = 1..L (index 0 unused).
  function cost(p, acts, loss) {
    var L = p.W.length - 1, a = p.x, z = null;
    for (var l = 1; l <= L; l++) { z = affine(p.W[l], a, p.b[l]); a = ACTIVATIONS[acts[l]].f(z); }
    return LOSSES[loss].perSample(p.y, a, z, ACTIVATIONS[acts[L]]);
  }
  function affine(W, a, b) {   // W a + b
    return map(W, function (row, j) {
      var s = 0;
      for (var k = 0; k < row.length; k++) { s += row[k] * a[k]; }
      return s + b[j];
    });
  }
  function compute(p, acts, loss, eta) {
    var L = p.W.length - 1, r = { L: L, z: [null], a: [p.x.slice()], fprime: [null], delta: [],
      WTdelta: [], dW: [null], db: [null], Wnew: [null], bnew: [null] };
    for (var l = 1; l <= L; l++) {
      r.z[l] = affine(p.W[l], r.a[l - 1], p.b[l]);
      r.a[l] = ACTIVATIONS[acts[l]].f(r.z[l]);
      var act = ACTIVATIONS[acts[l]];
      r.fprime[l] = act.derivative ? act.derivative(r.z[l], r.a[l]) : null;
    }
    var out = ACTIVATIONS[acts[L]], rec = LOSSES[loss];
    r.C = rec.perSample(p.y, r.a[L], r.z[L], out);            // the mean over m = 1 sample
    r.dCda = rec.gradient(p.y, r.a[L]);
    var shortcut = rec.shortcuts[acts[L]];
    r.shortcut = !!shortcut;
    // BP1: delta^L = dC/da^L (.) f'(z^L), or the loss's shortcut (a - y for matched pairs)
    r.delta[L] = shortcut ? shortcut(r.a[L], p.y)
      : out.backward ? out.backward(r.z[L], r.a[L], r.dCda)
        : map(r.dCda, function (g, j) { return g * r.fprime[L][j]; });
    // BP2: delta^l = ((W^{l+1})^T delta^{l+1}) (.) f'(z^l)
    for (l = L - 1; l >= 1; l--) {
      var W = p.W[l + 1], d = r.delta[l + 1];
      r.WTdelta[l] = map(W[0], function (_, k) {
        var s = 0;
        for (var j = 0; j < W.length; j++) { s += W[j][k] * d[j]; }
        return s;
      });
      var hidden = ACTIVATIONS[acts[l]];
      r.delta[l] = hidden.backward ? hidden.backward(r.z[l], r.a[l], r.WTdelta[l])
        : map(r.WTdelta[l], function (g, j) { return g * r.fprime[l][j]; });
    }
    for (l = 1; l <= L; l++) {
      var dl = r.delta[l], ain = r.a[l - 1];
      r.db[l] = dl.slice();                                              // BP3 (m = 1)
      r.dW[l] = map(dl, function (dj) { return map(ain, function (ak) { return dj * ak; }); });  // BP4
      r.Wnew[l] = map(p.W[l], function (row, j) {
        return map(row, function (w, k) { return w - eta * r.dW[l][j][k]; });
      });
      r.bnew[l] = map(p.b[l], function (bj, j) { return bj - eta * r.db[l][j]; });
    }
    r.Cnew = cost({ x: p.x, y: p.y, W: r.Wnew, b: r.bnew }, acts, loss);
    return r;
  }

  // The value of each symbol of the page (ASCII, 1-based, as in bpcore.playground).
  function symbolValues(p, r) {
    var v = { C: r.C, C_new: r.Cnew };
    var n0 = p.x.length, L = r.L;
    for (var k = 0; k < n0; k++) { v["x[" + (k + 1) + "]"] = p.x[k]; }
    for (var j = 0; j < p.y.length; j++) {
      v["y[" + (j + 1) + "]"] = p.y[j];
      v["dCda" + L + "[" + (j + 1) + "]"] = r.dCda[j];
    }
    for (var l = 1; l <= L; l++) {
      for (j = 0; j < r.z[l].length; j++) {
        var i = "[" + (j + 1) + "]";
        v["z" + l + i] = r.z[l][j];
        v["a" + l + i] = r.a[l][j];
        if (r.fprime[l]) { v["fprime" + l + i] = r.fprime[l][j]; }
        if (l < L) { v["WTdelta" + l + i] = r.WTdelta[l][j]; }
        v["delta" + l + i] = r.delta[l][j];
        v["db" + l + i] = r.db[l][j];
        v["b" + l + i] = p.b[l][j];
        v["b" + l + "_new" + i] = r.bnew[l][j];
        for (k = 0; k < p.W[l][j].length; k++) {
          var ij = "[" + (j + 1) + "," + (k + 1) + "]";
          v["W" + l + ij] = p.W[l][j][k];
          v["dW" + l + ij] = r.dW[l][j][k];
          v["W" + l + "_new" + ij] = r.Wnew[l][j][k];
        }
      }
    }
    return v;
  }

  // The first symbol whose value is not finite; the step's (..._new) only if `step`.
  function finite(values, step) {
    for (var s in values) {
      if ((s.indexOf("_new") >= 0) === step && !isFinite(values[s])) { return s; }
    }
    return null;
  }

  // The book's way of printing a number (bpcore.tex.format_number): four decimals from 0.001
  // to 1000, else four significant digits and a power of ten; a typographic minus.
  function fmt(v) {
    if (v === 0) { return "0"; }
    if (!isFinite(v)) { return v > 0 ? "\u221e" : MINUS + "\u221e"; }
    var s;
    if (Math.abs(v) >= 0.001 && Math.abs(v) < 1000) { s = v.toFixed(4); }
    else {
      var parts = v.toExponential(3).split("e"), e = parseInt(parts[1], 10);
      s = parts[0] + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    }
    return s.replace(/-/g, MINUS);
  }
  function parseNumber(text) {
    var s = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (/^[+-]?\d+,\d+$/.test(s)) { s = s.replace(",", "."); }
    if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) { return { error: "not a number" }; }
    var v = Number(s);
    if (!isFinite(v)) { return { error: "too large" }; }
    return { value: v };
  }

  window.bpPlaygroundEngine = {
    IMPLEMENTED: IMPLEMENTED, ACTIVATIONS: ACTIVATIONS, LOSSES: LOSSES, compute: compute,
    symbolValues: symbolValues, finite: finite, fmt: fmt, parseNumber: parseNumber, sum: sum,
    sup: sup, sub: sub
  };
})();
