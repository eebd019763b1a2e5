"""Auto-checked exercises of chapter 17: backpropagation through time.

Variants of the chapter's results that the chapter does not work out: the gradient with
respect to the initial state h_0, one hidden delta of truncated BPTT (K = 2) by hand, the
derivative of a scalar recurrence, the singular-value bound sharpened for saturated units,
and an implementation of truncated BPTT's hidden deltas for any K.  References come from
bpcore.rnn (the truncated deltas from ``rnn.bptt(..., truncation=K)``); wrong answers are
computed from the exercise's data (declared with bpcore.exercises.core).
"""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from bpcore import rnn as R
from bpcore.formula import Formula

from ..core import function, mistake, numeric, symbolic

__all__ = ["truncated_deltas"]


def _slope(h):
    return 1.0 - h ** 2                      # tanh'(z) = 1 - tanh(z)^2 = 1 - h^2


def _problem(seed, n_h, n_out, T, m):
    """A random RNN (linear output, quadratic cost) from a random h_0, run through
    bpcore.rnn.bptt, full and truncated to K = 2; numbers rounded to two decimals so that
    they can be typed."""
    rng = np.random.default_rng(seed)
    def draw(scale, shape):
        return np.round(rng.normal(0, scale, shape), 2)

    rnn = R.RNN(draw(0.8, (n_h, 1)), draw(0.6, (n_h, n_h)), draw(0.3, n_h),
                draw(0.8, (n_out, n_h)), draw(0.3, n_out))
    x = np.round(rng.uniform(-1, 1, (T, 1, m)), 2)
    y = np.round(rng.uniform(-1, 1, (T, n_out, m)), 2)
    h0 = np.round(rng.uniform(-0.5, 0.5, (n_h, m)), 2)
    g = R.bptt(rnn, x, y, h0=h0)
    hs, e = g.run.hs, g.output_deltas
    return SimpleNamespace(
        W_hh=rnn.W_hh, W_hy=rnn.W_hy, m=m, rnn=rnn, x=x, y=y, grad=g,
        h0=hs[0], h1=hs[1], h2=hs[2], h3=hs[3], e1=e[0], e2=e[1], e3=e[2],
        delta1=g.deltas[0], delta2=g.deltas[1], delta3=g.deltas[2],
        truncated=R.bptt(rnn, x, y, h0=h0, truncation=2).deltas)


def _variants(*shapes):
    def variants(rng):
        out = []
        for n_h, n_out, m in shapes:
            seed = int(rng.integers(0, 2**31))
            out.append((f"a random RNN with {n_h} hidden units, {n_out} outputs, m = {m}",
                        _problem(seed, n_h, n_out, 3, m)))
        return out
    return variants


# --------------------------------------------------------------------------------------
# The gradient with respect to the initial state: BP2 one step further back, where there
# is no activation and no output.

def _delta1(d):
    return (d.W_hy.T @ d.e1 + d.W_hh.T @ d.delta2) * _slope(d.h1)


def _grad_h0(d):
    return d.W_hh.T @ _delta1(d) / d.m


numeric(
    id="ch17-initial-state-gradient", chapter=17, title="The gradient of the initial state",
    prompt="A recurrent network with 3 hidden units and 2 linear outputs ran for T = 3 steps on "
           "a batch of m = 2 sequences (quadratic cost at every step), each sequence from its "
           "own initial state h₀, a column of d['h0'] that was given, not computed. Some "
           "models learn h₀, so they need ∂C/∂h₀. d['W_hh'] and d['W_hy'] are the weights, "
           "d['h1'] the state h₁, d['e1'] the output delta e₁ = ∂C_x/∂u₁ of step 1, "
           "d['delta2'] the hidden delta δ₂ and d['m'] = 2. The cost C is the mean over the "
           "sequences. Compute ∂C/∂h₀, a (3, 2) array whose column x is ∂C/∂h₀ for "
           "sequence x.",
    setup=lambda: _problem(17, 3, 2, 3, 2), answer=_grad_h0,
    given_names=("W_hh", "W_hy", "h0", "h1", "e1", "delta2", "m"),
    quantity="∂C/∂h₀", rtol=1e-6,
    mistakes=[
        mistake("slope at h₀",
                "You multiplied by 1 − h₀², as if h₀ were the output of a tanh unit. Here h₀ "
                "is given, not computed from a pre-activation: nothing lies between it and "
                "z₁ but W_hh.",
                lambda d: d.W_hh.T @ _delta1(d) * _slope(d.h0) / d.m),
        mistake("stopped at δ₁",
                "That is δ₁ = ∂C_x/∂z₁, the delta of the first step. h₀ lies one step "
                "further back, on the other side of W_hh.",
                _delta1),
        mistake("W_hh not transposed",
                "W_hh maps h₀ forwards to z₁, so a derivative with respect to z₁ comes back "
                "to h₀ through W_hh transposed. You used W_hh itself.",
                lambda d: d.W_hh @ _delta1(d) / d.m),
        mistake("no 1/m",
                "Each column is one sequence's ∂C_x/∂h₀. C is the mean of the C_x, and "
                "column x of h₀ enters only C_x, so its column of ∂C/∂h₀ carries a 1/m.",
                lambda d: d.W_hh.T @ _delta1(d)),
    ],
    hint="Follow h₀ forwards: what does it feed, and through which matrix? Then carry the "
         "derivative back along that path, starting from δ₁, which (BP2-T) gives you.",
    explanation="δ₁ = (W_hyᵀ e₁ + W_hhᵀ δ₂) ⊙ (1 − h₁²) by (BP2-T), and h₀ reaches the cost "
                "only through z₁ = W_xh x₁ + W_hh h₀ + b_h, so ∂C_x/∂h₀ = W_hhᵀ δ₁: no slope, "
                "because h₀ is no unit's output, and no output term, because step 0 has no "
                "output. With the mean cost, ∂C/∂h₀ = W_hhᵀ δ₁ / m.",
    formula=Formula(
        question="Type ∂C/∂h₀ as a formula in W_hh, W_hy, h0 = h₀, h1 = h₁, e1 = e₁, "
                 "delta2 = δ₂ and m (one column per sequence).",
        symbols={"W_hh": "W_{hh}", "W_hy": "W_{hy}", "h0": "h_{0}", "h1": "h_{1}",
                 "e1": "e_{1}", "delta2": "\\delta_{2}", "m": "m"},
        functions=("tanh",), label="the exercise's network",
        variants=_variants((2, 1, 3), (4, 2, 1)),
        solution="W_hh' * ((W_hy' * e1 + W_hh' * delta2) .* (1 - h1.^2)) / m",
        mistakes={"slope at h₀":
                      "(W_hh' * ((W_hy' * e1 + W_hh' * delta2) .* (1 - h1.^2))) .* (1 - h0.^2) / m",
                  "stopped at δ₁": "(W_hy' * e1 + W_hh' * delta2) .* (1 - h1.^2)",
                  "W_hh not transposed":
                      "W_hh * ((W_hy' * e1 + W_hh' * delta2) .* (1 - h1.^2)) / m",
                  "no 1/m": "W_hh' * ((W_hy' * e1 + W_hh' * delta2) .* (1 - h1.^2))"}))


# --------------------------------------------------------------------------------------
# One truncated delta by hand: K = 2, T = 3, the first step.

def _share_of_step2(d):
    return (d.W_hy.T @ d.e2) * _slope(d.h2)          # δ^(2)_2, step 2's own error at z_2


def _truncated_delta1(d):
    return d.truncated[0]                            # bpcore.rnn.bptt(..., truncation=2)


numeric(
    id="ch17-truncated-delta", chapter=17, title="A truncated delta by hand",
    prompt="A recurrent network with 3 hidden units and 2 linear outputs ran for T = 3 steps on "
           "a batch of m = 2 sequences (quadratic cost at every step), and is trained with "
           "truncated BPTT, K = 2: the error of each step's loss travels back to that step "
           "and the one before, no further. "
           "d['W_hh'] and d['W_hy'] are the weights, d['h1'], d['h2'], d['h3'] the hidden "
           "states and d['e1'], d['e2'], d['e3'] the output deltas of steps 1 to 3, one "
           "column per sequence. Compute the truncated hidden delta δ̃₁ of step 1, a (3, 2) "
           "array.",
    setup=lambda: _problem(17, 3, 2, 3, 2), answer=_truncated_delta1,
    given_names=("W_hh", "W_hy", "h1", "h2", "h3", "e1", "e2", "e3"),
    quantity="δ̃₁", rtol=1e-6,
    mistakes=[
        mistake("full BPTT",
                "That is the delta of full BPTT: it carries the error of step 3 back to step "
                "1, two steps, but with K = 2 an error travels back one step at most.",
                lambda d: d.delta1),
        mistake("own error only",
                "You kept only the error of step 1 itself, what K = 1 keeps. With K = 2 the "
                "error of the next step also reaches step 1.",
                lambda d: (d.W_hy.T @ d.e1) * _slope(d.h1)),
        mistake("no slope at step 2",
                "The error of step 2 reaches z₁ through u₂, h₂, z₂ and h₁, in that order: it "
                "passes tanh twice, at step 2 as well as at step 1. You left out one slope.",
                lambda d: (d.W_hy.T @ d.e1 + d.W_hh.T @ (d.W_hy.T @ d.e2)) * _slope(d.h1)),
        mistake("W_hh not transposed",
                "The error of step 2 comes back from z₂ to h₁ through W_hh transposed; you "
                "used W_hh itself.",
                lambda d: (d.W_hy.T @ d.e1 + d.W_hh @ _share_of_step2(d)) * _slope(d.h1)),
    ],
    hint="δ̃₁ is the sum of the shares δ^(t)₁ of the steps whose error may reach step 1. "
         "List those steps, then carry each one's error back with (BP2-T)'s pieces.",
    explanation="With K = 2, δ̃₁ = δ^(1)₁ + δ^(2)₁. Step 1's own error gives "
                "δ^(1)₁ = (W_hyᵀ e₁) ⊙ (1 − h₁²); step 2's error, brought to z₂ as "
                "(W_hyᵀ e₂) ⊙ (1 − h₂²), goes one step further: "
                "δ^(2)₁ = (W_hhᵀ ((W_hyᵀ e₂) ⊙ (1 − h₂²))) ⊙ (1 − h₁²). So "
                "δ̃₁ = (W_hyᵀ e₁ + W_hhᵀ ((W_hyᵀ e₂) ⊙ (1 − h₂²))) ⊙ (1 − h₁²): (BP2-T) with "
                "δ₂ replaced by step 2's own share. e₃ and h₃ do not enter. "
                "bpcore.rnn.bptt(..., truncation=2).deltas[0] is the same array.",
    formula=Formula(
        question="Type δ̃₁ for K = 2 as a formula in W_hh, W_hy, h1, h2, h3 (h₁, h₂, h₃) and "
                 "e1, e2, e3 (e₁, e₂, e₃), one column per sequence.",
        symbols={"W_hh": "W_{hh}", "W_hy": "W_{hy}", "h1": "h_{1}", "h2": "h_{2}",
                 "h3": "h_{3}", "e1": "e_{1}", "e2": "e_{2}", "e3": "e_{3}"},
        functions=("tanh",), label="the exercise's network",
        variants=_variants((2, 1, 3), (4, 2, 1)),
        solution="(W_hy' * e1 + W_hh' * ((W_hy' * e2) .* (1 - h2.^2))) .* (1 - h1.^2)",
        mistakes={"full BPTT":
                      "(W_hy' * e1 + W_hh' * ((W_hy' * e2 + W_hh' * ((W_hy' * e3) .* "
                      "(1 - h3.^2))) .* (1 - h2.^2))) .* (1 - h1.^2)",
                  "own error only": "(W_hy' * e1) .* (1 - h1.^2)",
                  "no slope at step 2": "(W_hy' * e1 + W_hh' * (W_hy' * e2)) .* (1 - h1.^2)",
                  "W_hh not transposed":
                      "(W_hy' * e1 + W_hh * ((W_hy' * e2) .* (1 - h2.^2))) .* (1 - h1.^2)"}))
# --------------------------------------------------------------------------------------
# Derivation: a scalar linear recurrence by hand.

symbolic(
    id="ch17-scalar-recurrence", chapter=17, title="A scalar recurrence by hand",
    prompt="Take the smallest recurrent network: one linear unit, h_t = w h_{t−1} + x_t, with "
           "h₀ = 0, and the cost C = h₄ (no output layer). Derive dC/dw as a sympy expression "
           "in w, x1, x2, x3, x4, counting every path from w to h₄.",
    variables=("w", "x1", "x2", "x3", "x4"),
    answer=lambda s: 3 * s.w ** 2 * s.x1 + 2 * s.w * s.x2 + s.x3,
    quantity="dC/dw", domain=(-1.5, 1.5),
    mistakes=[
        mistake("the last step only",
                "That is ∂h₄/∂w with h₃ held fixed: the term of step 4 alone, h₃, which is "
                "what truncation K = 1 keeps. w also acts at steps 3, 2 and 1, each reaching "
                "h₄ through the later multiplications by w.",
                lambda s: s.w ** 2 * s.x1 + s.w * s.x2 + s.x3),
        mistake("two steps only",
                "You kept the uses of w at steps 4 and 3, what truncation K = 2 keeps. w is "
                "also used at steps 2 and 1, and each of those uses reaches h₄ too, through "
                "every later multiplication by w.",
                lambda s: 2 * s.w ** 2 * s.x1 + 2 * s.w * s.x2 + s.x3),
        mistake("x4 differentiated",
                "x₄ enters h₄ without any factor w, so it does not depend on w: its term "
                "drops out of dC/dw.",
                lambda s: 3 * s.w ** 2 * s.x1 + 2 * s.w * s.x2 + s.x3 + s.x4),
    ],
    explanation="Unrolled, h₄ = w³x₁ + w²x₂ + wx₃ + x₄, so dC/dw = 3w²x₁ + 2wx₂ + x₃. BPTT "
                "gets the same as a sum over the steps t = 1..4 of δ_t h_{t−1}, with "
                "δ_t = w^{4−t}: h₃ + w h₂ + w² h₁ + w³ h₀.")


# --------------------------------------------------------------------------------------
# The singular-value bound, sharpened for units that stay saturated.

H_MIN = 0.6                                  # every |h| stays at least this large


def _bound_data():
    rng = np.random.default_rng(1717)
    W = rng.normal(size=(4, 4))
    W = W * (0.8 / np.linalg.norm(W, 2))      # largest singular value 0.8
    return SimpleNamespace(W_hh=W, h_min=H_MIN, epsilon=1e-3)


def _steps_below(factor, epsilon):
    """The smallest whole k with factor^k < epsilon, for 0 < factor < 1."""
    k = math.floor(math.log(epsilon) / math.log(factor)) + 1
    return k - 1 if factor ** (k - 1) < epsilon else k


def _largest_slope(h_min):
    return 1.0 - h_min ** 2                  # tanh'(z) = 1 - h^2 is largest where |h| is least


numeric(
    id="ch17-steps-to-vanish", chapter=17, title="The bound for saturated units",
    prompt="The chapter's (bound) used only that every slope 1 − h² is at most 1. Suppose you "
           "know more: in the network at hand every hidden unit stays away from 0, with "
           "|h_s| ≥ d['h_min'] = 0.6 for every unit, step and sequence. Sharpen the bound "
           "‖δ^(t)_(t−k)‖ ≤ (...)^k ‖δ^(t)_t‖ with that fact, and use it for d['W_hh'], a 4×4 "
           "matrix: what is the smallest whole number of steps k for which your bound "
           "guarantees ‖δ^(t)_(t−k)‖ < ε ‖δ^(t)_t‖, with ε = d['epsilon'] = 10⁻³?",
    setup=_bound_data,
    answer=lambda d: _steps_below(_largest_slope(d.h_min) * np.linalg.norm(d.W_hh, 2),
                                  d.epsilon),
    given_names=("W_hh", "h_min", "epsilon"), quantity="k", rtol=0.0, atol=0.5,
    mistakes=[
        mistake("slopes left at 1",
                "That is the chapter's (bound), with each slope bounded by 1. The units "
                "here never come near 0, so every slope has a smaller upper bound: put it "
                "into the product.",
                lambda d: _steps_below(np.linalg.norm(d.W_hh, 2), d.epsilon)),
        mistake("slope of tanh at 0.6",
                "You took tanh′(0.6) = 1 − tanh(0.6)². 0.6 bounds |h|, the unit's output, not "
                "its pre-activation z: write the slope with h.",
                lambda d: _steps_below((1 - np.tanh(d.h_min) ** 2)
                                       * np.linalg.norm(d.W_hh, 2), d.epsilon)),
        mistake("spectral radius",
                "You used the largest |eigenvalue| of W_hh, its spectral radius. It sets the "
                "rate over many steps, but it does not bound a single step: ‖W_hhᵀ v‖ can "
                "exceed it times ‖v‖. A guarantee needs the number (bound) is written with.",
                lambda d: _steps_below(_largest_slope(d.h_min)
                                       * np.max(np.abs(np.linalg.eigvals(d.W_hh))), d.epsilon)),
        mistake("largest entry",
                "The largest entry of W_hh does not bound how much W_hh stretches a vector, "
                "so it cannot give a guarantee; (bound) uses a different number read off "
                "W_hh.",
                lambda d: _steps_below(_largest_slope(d.h_min) * np.max(np.abs(d.W_hh)),
                                       d.epsilon)),
        mistake("one step short",
                "At that k your bound is still at least ε: you rounded ln ε / ln(rate) down. "
                "Take the next whole number.",
                lambda d: _steps_below(_largest_slope(d.h_min) * np.linalg.norm(d.W_hh, 2),
                                       d.epsilon) - 1),
    ],
    hint="Redo the step of the chapter's argument that bounds how much D_s = diag(1 − h²) "
         "can lengthen a vector: what is the largest value 1 − h² can take when |h| ≥ 0.6?",
    explanation="D_s lengthens a vector by at most its largest slope, and |h| ≥ 0.6 gives "
                "1 − h² ≤ 1 − 0.36 = 0.64. So each step back multiplies the norm by at most "
                "γ σ_max = 0.64 · 0.8 = 0.512, and 0.512^k < 10⁻³ needs "
                "k > ln 10⁻³ / ln 0.512 = 10.3, so k = 11, against 31 for the bound that "
                "allows slopes up to 1. Saturated units make errors vanish faster: a unit "
                "that stays near ±1 passes almost nothing back.")


# --------------------------------------------------------------------------------------
# Implement: the hidden deltas of truncated BPTT, for any K.

def _delta_cases(rng):
    cases = []
    for n_h, n_out, T, m, K in [(3, 2, 6, 2, 3), (1, 1, 4, 1, 2), (5, 3, 7, 4, 2),
                                (2, 2, 5, 3, 1), (3, 1, 3, 2, 3)]:
        hs = np.tanh(rng.normal(size=(T + 1, n_h, m)))
        cases.append({"W_hh": rng.normal(0, 0.7, (n_h, n_h)),
                      "W_hy": rng.normal(size=(n_out, n_h)),
                      "hs": hs, "e": rng.normal(size=(T, n_out, m)), "K": K})
    return cases


def _delta_oracle(K, W_hh, W_hy, hs, e):
    return R._hidden_deltas(W_hh, W_hy, hs, e, int(K))   # what rnn.bptt(..., truncation=K) uses


def _reach(W_hh, W_hy, hs, e, K, slope_at=0):
    """Each step's error sent back to at most K steps, its own included; the slope of
    step s read from hs[s + slope_at] (0 is right)."""
    T, K = e.shape[0], int(K)
    deltas = np.zeros((T,) + hs.shape[1:])
    for t in range(1, T + 1):
        share = (W_hy.T @ e[t - 1]) * (1 - hs[t + slope_at] ** 2)     # δ^(t)_t
        deltas[t - 1] += share
        for s in range(t - 1, max(t - K, 0), -1):                    # s = t-1, ..., t-K+1
            share = (W_hh.T @ share) * (1 - hs[s + slope_at] ** 2)   # δ^(t)_s
            deltas[s - 1] += share
    return deltas


def truncated_deltas(K, W_hh, W_hy, hs, e):
    """The truncated hidden deltas: the error of step t sent back to steps t, ..., t-K+1."""
    T, K = e.shape[0], int(K)
    deltas = np.zeros((T,) + hs.shape[1:])
    for t in range(1, T + 1):
        share = (W_hy.T @ e[t - 1]) * (1 - hs[t] ** 2)       # step t's own error at z_t
        deltas[t - 1] += share
        for s in range(t - 1, max(t - K, 0), -1):            # one step back, K - 1 times
            share = (W_hh.T @ share) * (1 - hs[s] ** 2)
            deltas[s - 1] += share
    return deltas


def _full_bptt(K, W_hh, W_hy, hs, e):
    return _reach(W_hh, W_hy, hs, e, e.shape[0])


def _own_error_only(K, W_hh, W_hy, hs, e):
    return _reach(W_hh, W_hy, hs, e, 1)


def _one_step_too_far(K, W_hh, W_hy, hs, e):
    return _reach(W_hh, W_hy, hs, e, K + 1)


def _one_step_short(K, W_hh, W_hy, hs, e):
    return _reach(W_hh, W_hy, hs, e, K - 1)


def _slope_one_step_early(K, W_hh, W_hy, hs, e):
    return _reach(W_hh, W_hy, hs, e, K, slope_at=-1)


def _delta_cut_short(K, W_hh, W_hy, hs, e):
    # the recursion of (BP2-T) on the summed delta, with its input zeroed every K steps
    T, K = e.shape[0], int(K)
    deltas, after = np.zeros((T,) + hs.shape[1:]), np.zeros(hs.shape[1:])
    for t in range(T, 0, -1):
        deltas[t - 1] = (W_hy.T @ e[t - 1] + W_hh.T @ after) * (1 - hs[t] ** 2)
        after = deltas[t - 1] if (T - t + 1) % K else np.zeros(hs.shape[1:])
    return deltas


function(
    id="ch17-truncated-deltas", chapter=17, title="Truncated BPTT's deltas",
    prompt="Write def truncated_deltas(K, W_hh, W_hy, hs, e) returning the truncated hidden "
           "deltas δ̃_t of every step, an array of shape (T, n_h, m) whose row t − 1 is δ̃_t: "
           "the error of each step's loss travels back at most K steps, its own step "
           "included. hs has shape (T + 1, n_h, m) with hs[t] = h_t (hs[0] = h₀), e has shape "
           "(T, n_out, m) with e[t − 1] = e_t, the output delta of step t, and K ≥ 1 is a "
           "whole number (K ≥ T is full BPTT).",
    name="truncated_deltas", params=("K", "W_hh", "W_hy", "hs", "e"),
    returns="the array of truncated deltas, shape (T, n_h, m)",
    cases=_delta_cases, oracle=_delta_oracle, model=truncated_deltas,
    mistakes=[
        mistake("full BPTT",
                "Your deltas are those of full BPTT: every error reaches every earlier step. "
                "Truncation keeps the error of step t only at steps t, ..., t − K + 1; the "
                "errors of different steps must be kept apart to stop each at its own limit.",
                _full_bptt),
        mistake("own error only",
                "Your δ̃_t holds only the error made at step t itself, what K = 1 keeps. The "
                "error of step t also travels back to the K − 1 steps before it.",
                _own_error_only),
        mistake("one step too far",
                "Each error travels one step too far: K counts the steps it reaches, its own "
                "step included, so the error of step t stops at t − K + 1.",
                _one_step_too_far),
        mistake("one step short",
                "Each error stops one step too early: K counts the steps it reaches, its own "
                "step included, so the error of step t still reaches t − K + 1.",
                _one_step_short),
        mistake("slope one step early",
                "A share arriving at step s is a derivative with respect to z_s, so its slope "
                "is 1 − h_s², hs[s]. You used hs[s − 1], the state of the step before.",
                _slope_one_step_early),
        mistake("one delta reset every K steps",
                "You ran (BP2-T) with one delta and cut it every K steps. Then an error made "
                "just after a cut travels back almost K steps and one made just before it "
                "hardly at all: truncation gives every step's error the same K steps.",
                _delta_cut_short),
    ],
    hint="Truncation limits how far each step's error travels, so the errors of different "
         "steps can no longer share one delta. Follow one step's error back first.",
    explanation="For each step t, start from its own error at z_t, (W_hyᵀ e_t) ⊙ (1 − h_t²), "
                "add it to δ̃_t, and carry it back K − 1 more steps with "
                "share ← (W_hhᵀ share) ⊙ (1 − h_s²), adding it to δ̃_s at each. That is about "
                "K times the work of full BPTT, like bpcore.rnn's version, which keeps the K "
                "shares in flight together instead of following one error at a time.")
