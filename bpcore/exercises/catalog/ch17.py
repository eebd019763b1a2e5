"""Auto-checked exercises of chapter 17: backpropagation through time.

BP2 across one time step, W_hh's gradient as BP4 summed over the steps, the derivative of
a scalar recurrence worked by hand, how many steps back the singular-value bound needs to
fall below a threshold, and an implementation of the hidden-delta recursion.  References
and wrong answers are computed from the exercise's data with bpcore.rnn (declared with
bpcore.exercises.core).
"""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from bpcore import rnn as R
from bpcore.formula import Formula

from ..core import function, mistake, numeric, symbolic

__all__ = ["hidden_deltas"]


def _slope(h):
    return 1.0 - h ** 2                      # tanh'(z) = 1 - tanh(z)^2 = 1 - h^2


def _problem(seed, n_h, n_out, T, m):
    """A random RNN (linear output, quadratic cost) from a random h_0, run through
    bpcore.rnn.bptt; numbers rounded to two decimals so that they can be typed."""
    rng = np.random.default_rng(seed)
    def draw(scale, shape):
        return np.round(rng.normal(0, scale, shape), 2)

    rnn = R.RNN(draw(0.8, (n_h, 1)), draw(0.6, (n_h, n_h)), draw(0.3, n_h),
                draw(0.8, (n_out, n_h)), draw(0.3, n_out))
    x = np.round(rng.uniform(-1, 1, (T, 1, m)), 2)
    y = np.round(rng.uniform(-1, 1, (T, n_out, m)), 2)
    h0 = np.round(rng.uniform(-0.5, 0.5, (n_h, m)), 2)
    g = R.bptt(rnn, x, y, h0=h0)
    hs = g.run.hs
    return SimpleNamespace(
        W_hh=rnn.W_hh, W_hy=rnn.W_hy, m=m, rnn=rnn, x=x, y=y, grad=g,
        h0=hs[0], h1=hs[1], h2=hs[2], h3=hs[3],
        delta1=g.deltas[0], delta2=g.deltas[1], delta3=g.deltas[2],
        e2=g.output_deltas[1])


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
# BP2 across one time step.

def _delta2(d):
    return (d.W_hy.T @ d.e2 + d.W_hh.T @ d.delta3) * _slope(d.h2)


numeric(
    id="ch17-bp2-across-time", chapter=17, title="BP2 across one time step",
    prompt="A recurrent network with 3 hidden units and 2 linear outputs ran for T = 3 steps on "
           "a batch of m = 2 sequences (quadratic cost at every step). d['W_hh'] and "
           "d['W_hy'] are its weights, d['h2'] the hidden state h₂, d['e2'] the output delta "
           "e₂ = ∂C_x/∂u₂ of step 2 and d['delta3'] the hidden delta δ₃, one column per "
           "sequence. Compute δ₂ = ∂C_x/∂z₂, a (3, 2) array.",
    setup=lambda: _problem(17, 3, 2, 3, 2), answer=_delta2,
    given_names=("W_hh", "W_hy", "h2", "e2", "delta3"), quantity="δ₂", rtol=1e-6,
    mistakes=[
        mistake("W_hh not transposed",
                "δ₃ travels back through W_hh transposed: W_hh maps h₂ forwards to z₃, so its "
                "transpose carries ∂C/∂z₃ back to h₂. You used W_hh itself.",
                lambda d: (d.W_hy.T @ d.e2 + d.W_hh @ d.delta3) * _slope(d.h2)),
        mistake("no output term",
                "Your δ₂ carries only the share that comes back from step 3. h₂ feeds two "
                "places, z₃ and the output u₂ of step 2, and by the chain rule their shares "
                "add: the error of step 2's own output, e₂, is missing (see (BP2-T)).",
                lambda d: (d.W_hh.T @ d.delta3) * _slope(d.h2)),
        mistake("no slope",
                "You stopped at ∂C_x/∂h₂. δ₂ is the derivative with respect to the "
                "pre-activation z₂: multiply entry by entry by tanh′(z₂) = 1 − h₂².",
                lambda d: d.W_hy.T @ d.e2 + d.W_hh.T @ d.delta3),
        mistake("tanh′ of h",
                "You took tanh′ of h₂, that is 1 − tanh(h₂)². The slope is tanh′(z₂) = "
                "1 − tanh(z₂)² = 1 − h₂², written with h₂ itself.",
                lambda d: (d.W_hy.T @ d.e2 + d.W_hh.T @ d.delta3) * (1 - np.tanh(d.h2) ** 2)),
    ],
    hint="h₂ has two consumers, the output of step 2 and step 3: bring each one's share "
         "back to h₂, add them, then turn ∂C_x/∂h₂ into δ₂ with the slope of tanh "
         "(the chapter's (BP2-T)).",
    explanation="δ₂ = (W_hyᵀ e₂ + W_hhᵀ δ₃) ⊙ (1 − h₂²): BP2 with two consumers of h₂. "
                "bpcore.rnn.bptt(...).deltas[1] is the same array.",
    formula=Formula(
        question="Type δ₂ as a formula in W_hh, W_hy, h2 = h₂, e2 = e₂ and delta3 = δ₃ "
                 "(one column per sequence).",
        symbols={"W_hh": "W_{hh}", "W_hy": "W_{hy}", "h2": "h_{2}", "e2": "e_{2}",
                 "delta3": "\\delta_{3}"},
        functions=("tanh",), label="the exercise's network",
        variants=_variants((2, 1, 3), (4, 2, 1)),
        solution="(W_hy' * e2 + W_hh' * delta3) .* (1 - h2.^2)",
        mistakes={"W_hh not transposed": "(W_hy' * e2 + W_hh * delta3) .* (1 - h2.^2)",
                  "no output term": "(W_hh' * delta3) .* (1 - h2.^2)",
                  "no slope": "W_hy' * e2 + W_hh' * delta3",
                  "tanh′ of h": "(W_hy' * e2 + W_hh' * delta3) .* (1 - tanh(h2).^2)"}))


# --------------------------------------------------------------------------------------
# BP4 summed over time.

def _grad_W_hh(d):
    return (d.delta1 @ d.h0.T + d.delta2 @ d.h1.T + d.delta3 @ d.h2.T) / d.m


numeric(
    id="ch17-w-hh-gradient", chapter=17, title="The gradient of W_hh",
    prompt="The same network and batch: d['delta1'], d['delta2'], d['delta3'] are the hidden "
           "deltas δ₁, δ₂, δ₃ of full BPTT, and d['h0'] ... d['h3'] the hidden states, h₀ the "
           "(nonzero) initial state; d['m'] = 2 sequences. The cost is the mean over the "
           "sequences. Compute ∂C/∂W_hh, a (3, 3) array.",
    setup=lambda: _problem(17, 3, 2, 3, 2), answer=_grad_W_hh,
    given_names=("delta1", "delta2", "delta3", "h0", "h1", "h2", "h3", "m"),
    quantity="∂C/∂W_hh", rtol=1e-6,
    mistakes=[
        mistake("a time step missing",
                "You left out step 1. W_hh is used at every step, including the first, where "
                "it multiplies the initial state h₀: that use contributes δ₁ h₀ᵀ.",
                lambda d: (d.delta2 @ d.h1.T + d.delta3 @ d.h2.T) / d.m),
        mistake("h_t instead of h_{t-1}",
                "You paired δ_t with h_t, the state that step t produces. In BP4 the factor "
                "next to δ is the input the weight multiplies: look at which state W_hh "
                "multiplies in the forward equation for z_t.",
                lambda d: (d.delta1 @ d.h1.T + d.delta2 @ d.h2.T + d.delta3 @ d.h3.T) / d.m),
        mistake("no 1/m",
                "Each δ_t belongs to one sequence's cost C_x, and the cost is their mean: "
                "divide the sum of the outer products by m.",
                lambda d: d.delta1 @ d.h0.T + d.delta2 @ d.h1.T + d.delta3 @ d.h2.T),
        mistake("last step only",
                "That is the term of step 3 alone. The same W_hh acts at steps 1, 2 and 3, "
                "and its gradient adds BP4's term from each.",
                lambda d: d.delta3 @ d.h2.T / d.m),
    ],
    hint="BP4 at each step: δ_t (input of W_hh at step t)ᵀ; then sum over t and divide by m.",
    explanation="∂C/∂W_hh = (1/m)(δ₁ h₀ᵀ + δ₂ h₁ᵀ + δ₃ h₂ᵀ): one BP4 term per use of the "
                "shared weight. bpcore.rnn.bptt(...).W_hh is the same array, and "
                ".W_hh_terms() lists the three terms.",
    formula=Formula(
        question="Type ∂C/∂W_hh as a formula in delta1, delta2, delta3 (δ₁, δ₂, δ₃), h0 ... h3 "
                 "and m.",
        symbols={"delta1": "\\delta_{1}", "delta2": "\\delta_{2}", "delta3": "\\delta_{3}",
                 "h0": "h_{0}", "h1": "h_{1}", "h2": "h_{2}", "h3": "h_{3}", "m": "m"},
        label="the exercise's network", variants=_variants((2, 1, 3), (4, 2, 5)),
        solution="(delta1 * h0' + delta2 * h1' + delta3 * h2') / m",
        mistakes={"a time step missing": "(delta2 * h1' + delta3 * h2') / m",
                  "h_t instead of h_{t-1}": "(delta1 * h1' + delta2 * h2' + delta3 * h3') / m",
                  "no 1/m": "delta1 * h0' + delta2 * h1' + delta3 * h2'",
                  "last step only": "delta3 * h2' / m"}))


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
# The singular-value bound, read in steps.

def _bound_data():
    rng = np.random.default_rng(1717)
    W = rng.normal(size=(4, 4))
    W = W * (0.8 / np.linalg.norm(W, 2))      # largest singular value 0.8
    return SimpleNamespace(W_hh=W, epsilon=1e-3)


def _steps_below(factor, epsilon):
    """The smallest whole k with factor^k < epsilon, for 0 < factor < 1."""
    k = math.floor(math.log(epsilon) / math.log(factor)) + 1
    return k - 1 if factor ** (k - 1) < epsilon else k


numeric(
    id="ch17-steps-to-vanish", chapter=17, title="How many steps back the bound allows",
    prompt="Each step back in BPTT multiplies δ by diag(1 − h²) W_hhᵀ, so ‖δ_{t−k}‖ ≤ "
           "s^k ‖δ_t‖ for a number s that the chapter reads off W_hh. For d['W_hh'], a 4×4 "
           "matrix, what is the smallest whole number of steps k for which that bound "
           "guarantees ‖δ_{t−k}‖ < d['epsilon'] ‖δ_t‖ (ε = 10⁻³)?",
    setup=_bound_data,
    answer=lambda d: _steps_below(np.linalg.norm(d.W_hh, 2), d.epsilon),
    given_names=("W_hh", "epsilon"), quantity="k", rtol=0.0, atol=0.5,
    mistakes=[
        mistake("spectral radius",
                "You used the largest |eigenvalue| of W_hh, its spectral radius. It sets the "
                "rate over many steps, but it does not bound a single step: ‖W_hhᵀ v‖ can "
                "exceed it times ‖v‖. Look at which number the chapter's (bound) is written "
                "with.",
                lambda d: _steps_below(np.max(np.abs(np.linalg.eigvals(d.W_hh))), d.epsilon)),
        mistake("one step short",
                "At that k the bound s^k is still at least ε: you rounded ln ε / ln s down. "
                "Take the next whole number.",
                lambda d: _steps_below(np.linalg.norm(d.W_hh, 2), d.epsilon) - 1),
        mistake("largest entry",
                "The largest entry of W_hh does not bound how much W_hh stretches a vector, "
                "so it cannot give a guarantee; the chapter's (bound) uses a different "
                "number read off W_hh.",
                lambda d: _steps_below(np.max(np.abs(d.W_hh)), d.epsilon)),
    ],
    hint="‖diag(1 − h²) W_hhᵀ v‖ ≤ max|1 − h²| · σ_max(W_hh) ‖v‖ and |1 − h²| ≤ 1.",
    explanation="s = σ_max(W_hh) = 0.8, and 0.8^k < 10⁻³ needs k > ln 10⁻³ / ln 0.8 = 30.96, "
                "so k = 31. The true norms fall faster whenever the tanh units are off "
                "centre or the spectral radius is below σ_max.")


# --------------------------------------------------------------------------------------
# Implement: BP2 across time for the whole sequence.

def _delta_cases(rng):
    cases = []
    for n_h, n_out, T, m in [(3, 2, 4, 2), (1, 1, 3, 1), (5, 3, 6, 4), (2, 2, 1, 3)]:
        hs = np.tanh(rng.normal(size=(T + 1, n_h, m)))
        cases.append({"W_hh": rng.normal(0, 0.7, (n_h, n_h)),
                      "W_hy": rng.normal(size=(n_out, n_h)),
                      "hs": hs, "e": rng.normal(size=(T, n_out, m))})
    return cases


def _delta_oracle(W_hh, W_hy, hs, e):
    return R._hidden_deltas(W_hh, W_hy, hs, e, None)


def hidden_deltas(W_hh, W_hy, hs, e):
    """delta_t for t = T down to 1: BP2 across time, delta_{T+1} = 0."""
    T = e.shape[0]
    deltas = np.zeros((T,) + hs.shape[1:])
    after = np.zeros(hs.shape[1:])
    for t in range(T, 0, -1):
        deltas[t - 1] = (W_hy.T @ e[t - 1] + W_hh.T @ after) * (1 - hs[t] ** 2)
        after = deltas[t - 1]
    return deltas


def _no_recursion(W_hh, W_hy, hs, e):
    return np.matmul(W_hy.T, e) * (1 - hs[1:] ** 2)


def _untransposed(W_hh, W_hy, hs, e):
    return hidden_deltas(W_hh.T, W_hy, hs, e)


def _slope_one_step_early(W_hh, W_hy, hs, e):
    T = e.shape[0]
    deltas, after = np.zeros((T,) + hs.shape[1:]), np.zeros(hs.shape[1:])
    for t in range(T, 0, -1):
        deltas[t - 1] = (W_hy.T @ e[t - 1] + W_hh.T @ after) * (1 - hs[t - 1] ** 2)
        after = deltas[t - 1]
    return deltas


def _forwards_in_time(W_hh, W_hy, hs, e):
    T = e.shape[0]
    deltas, before = np.zeros((T,) + hs.shape[1:]), np.zeros(hs.shape[1:])
    for t in range(1, T + 1):
        deltas[t - 1] = (W_hy.T @ e[t - 1] + W_hh.T @ before) * (1 - hs[t] ** 2)
        before = deltas[t - 1]
    return deltas


function(
    id="ch17-bptt-deltas", chapter=17, title="BP2 across time",
    prompt="Write def hidden_deltas(W_hh, W_hy, hs, e) returning the hidden deltas δ_t of "
           "every step, an array of shape (T, n_h, m) whose row t − 1 is δ_t. hs has shape "
           "(T + 1, n_h, m) with hs[t] = h_t (hs[0] = h₀), and e has shape (T, n_out, m) "
           "with e[t − 1] = e_t, the output delta of step t. Use full BPTT (no truncation).",
    name="hidden_deltas", params=("W_hh", "W_hy", "hs", "e"),
    returns="the array of deltas, shape (T, n_h, m)",
    cases=_delta_cases, oracle=_delta_oracle, model=hidden_deltas,
    mistakes=[
        mistake("no recursion",
                "Your δ_t holds only the error made at step t itself: that is truncation "
                "K = 1. Full BPTT also carries back, through h_t, the errors of every later "
                "step; (BP2-T) has a second term for them, built from the next step's delta.",
                _no_recursion),
        mistake("W_hh not transposed",
                "The recursion sends δ_{t+1} back through W_hh transposed; you multiplied by "
                "W_hh itself (this differs whenever W_hh is not symmetric).",
                _untransposed),
        mistake("slope one step early",
                "δ_t is the derivative with respect to z_t, so the slope is 1 − h_t², hs[t]. "
                "You used hs[t − 1], the state of the step before.",
                _slope_one_step_early),
        mistake("forwards in time",
                "You ran t = 1, 2, ..., T and fed δ_{t−1} forwards. δ_t depends on the later "
                "steps, δ_{t+1}: start at t = T with δ_{T+1} = 0 and go back.",
                _forwards_in_time),
    ],
    explanation="Start with δ_{T+1} = 0 and go back: δ_t = (W_hyᵀ e_t + W_hhᵀ δ_{t+1}) ⊙ "
                "(1 − h_t²). One matrix product per step, the same cost as the forward pass.")
