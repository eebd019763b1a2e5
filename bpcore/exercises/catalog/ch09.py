"""Auto-checked exercises of chapter 9, checking gradients (declared with
bpcore.exercises.core).

Every reference answer and every catalogued mistake's wrong answer is computed here with
bpcore from the exercise's data; no number is typed in.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import sympy

import bpcore
from bpcore.formula import Formula

from ..core import mistake, numeric, symbolic

__all__ = ["nudged_cost", "central_difference_state", "relative_error_state",
           "forward_pass_state"]


def nudged_cost(net, x, y, l, j, k, dw, loss="mse"):
    """C with the one weight w^l_jk (1-based j, k) moved by ``dw``, all else unchanged.

    >>> ex = bpcore.examples.running_example()
    >>> nudged_cost(ex.net, ex.x, ex.y, 2, 1, 1, 0.0) == bpcore.cost(ex.net, ex.x, ex.y)
    True
    """
    return bpcore.cost(net.with_weight(l, j, k, net.W(l)[j - 1, k - 1] + dw), x, y, loss)


def central_difference_state():
    """The running example, the weight w^2_11 and a deliberately large step eps = 0.5."""
    ex = bpcore.examples.running_example()
    eps = 0.5
    l, j, k = 2, 1, 1

    def cost(dw):
        return nudged_cost(ex.net, ex.x, ex.y, l, j, k, dw, ex.loss)

    return SimpleNamespace(
        net=ex.net, x=ex.x, y=ex.y, eps=eps, l=l, j=j, k=k,
        C=cost(0.0), C_plus=cost(eps), C_minus=cost(-eps),
        exact=float(bpcore.backprop(ex.net, ex.x, ex.y, ex.loss).W(l)[j - 1, k - 1]))


numeric(
    id="ch9-central-difference", chapter=9,
    title="A central difference for ∂C/∂w²₁₁",
    prompt="Estimate ∂C/∂w²₁₁ of the running example with the central difference "
           "(C(w + h) − C(w − h)) / (2h) at the step h = d['eps'] = 0.5, a step chosen large on purpose "
           "so that the formula you use shows in the digits. Move only w²₁₁ = "
           "d['net'].W(2)[0, 0]: net.with_weight(2, 1, 1, value) is the network with it set "
           "to value, and bpcore.cost(net, x, y) gives C.",
    setup=central_difference_state,
    answer=lambda d: (d.C_plus - d.C_minus) / (2 * d.eps),
    given_names=("net", "x", "y", "eps"), quantity="the central difference",
    mistakes=[
        mistake("forward difference",
                "That is the forward difference (C(w + h) − C(w)) / h, whose error shrinks only "
                "like h. Nudge the weight both ways: (C(w + h) − C(w − h)) / (2h).",
                lambda d: (d.C_plus - d.C) / d.eps),
        mistake("divided by h",
                "Twice too big: the two nudged points are 2h apart, so divide by 2h, not h.",
                lambda d: (d.C_plus - d.C_minus) / d.eps),
        mistake("exact derivative",
                "That is backprop's exact ∂C/∂w²₁₁. The exercise asks for the finite-difference "
                "estimate itself, which at h = 0.5 differs from it in the third digit.",
                lambda d: d.exact),
    ],
    hint="With w = net.w(2, 1, 1), net.with_weight(2, 1, 1, w + h) is the network for "
         "C(w + h) and net.with_weight(2, 1, 1, w − h) the one for C(w − h).",
    explanation="C(w + h) − C(w − h), divided by the distance 2h between the two points. Its "
                "error is about h² C‴/6, small even at this large h.")


def relative_error_state():
    """backprop's gradient of the running example and a float32 central-difference one."""
    ex = bpcore.examples.running_example()
    net32 = bpcore.Network(ex.net.weights, ex.net.biases, ex.net.activations, dtype="float32")
    g1 = bpcore.backprop(ex.net, ex.x, ex.y, ex.loss).flat()
    g2 = bpcore.numerical_gradients(net32, ex.x, ex.y, ex.loss, eps=1e-4).flat().astype(float)
    return SimpleNamespace(g1=g1, g2=g2)


def _gradient_pairs(rng):
    """Two more pairs (g1, g2) for the formula question: a gradient and a noisy estimate."""
    out = []
    for n, noise in [(5, 1e-3), (9, 0.05)]:
        g1 = rng.normal(size=n)
        out.append((f"a random gradient of {n} entries and a noisy copy",
                    SimpleNamespace(g1=g1, g2=g1 + noise * rng.normal(size=n))))
    return out


numeric(
    id="ch9-relative-error", chapter=9, title="The relative error of a gradient check",
    prompt="d['g1'] is backprop's gradient of the running example (all 17 weights and biases "
           "in one vector) and d['g2'] a central-difference estimate made in float32. Compute "
           "their relative error ‖g1 − g2‖ / (‖g1‖ + ‖g2‖), with ‖·‖ the Euclidean norm.",
    setup=relative_error_state,
    answer=lambda d: np.linalg.norm(d.g1 - d.g2) / (np.linalg.norm(d.g1)
                                                    + np.linalg.norm(d.g2)),
    given_names=("g1", "g2"), quantity="the relative error",
    mistakes=[
        mistake("no denominator",
                "That is the absolute error ‖g1 − g2‖. Divide it by ‖g1‖ + ‖g2‖, so that the "
                "answer does not change when the cost is multiplied by a constant.",
                lambda d: np.linalg.norm(d.g1 - d.g2)),
        mistake("divided by one norm",
                "You divided by ‖g1‖ alone. The guide's relative error divides by the sum "
                "‖g1‖ + ‖g2‖, which treats the two gradients alike.",
                lambda d: np.linalg.norm(d.g1 - d.g2) / np.linalg.norm(d.g1)),
        mistake("mean absolute difference",
                "That is the mean of |g1 − g2| entry by entry. The relative error uses "
                "Euclidean norms of whole vectors, in the numerator and in the denominator.",
                lambda d: np.mean(np.abs(d.g1 - d.g2))),
    ],
    hint="Three Euclidean norms: one of the difference g1 − g2 and one of each gradient.",
    explanation="‖g1 − g2‖ / (‖g1‖ + ‖g2‖) is about 2e-3 here: fine for float32, far from the "
                "1e-7 that float64 reaches.",
    formula=Formula(
        question="Type the relative error of a gradient check as a formula in g1 and g2, two "
                 "gradients written as columns.",
        symbols={"g1": "g_{1}", "g2": "g_{2}"}, functions=("norm", "abs", "sum", "mean", "sqrt"),
        label="the running example's 17 gradient entries", variants=_gradient_pairs,
        solution="norm(g1 - g2) / (norm(g1) + norm(g2))",
        mistakes={"no denominator": "norm(g1 - g2)",
                  "divided by one norm": "norm(g1 - g2) / norm(g1)",
                  "mean absolute difference": "mean(abs(g1 - g2))"}))


def forward_pass_state():
    """A 10-50-10 network and the number of its weights and biases."""
    net = bpcore.Network.random([10, 50, 10], seed=0)
    n_weights = sum(W.size for W in net.weights)
    return SimpleNamespace(sizes=net.sizes, P=net.n_parameters, n_weights=n_weights)


numeric(
    id="ch9-forward-passes", chapter=9,
    title="How many forward passes does a numerical gradient cost?",
    prompt="bpcore.numerical_gradients estimates every partial derivative of a network with "
           "sizes d['sizes'] = (10, 50, 10) by central differences. How many forward passes "
           "(evaluations of the cost) does it make? Give a whole number.",
    setup=forward_pass_state, answer=lambda d: 2 * d.P,
    given_names=("sizes",), quantity="the number of forward passes", rtol=0.0, atol=0.5,
    mistakes=[
        mistake("one pass per parameter",
                "That is P, the number of parameters: one pass each. How many costs does ONE "
                "central difference evaluate?",
                lambda d: d.P),
        mistake("weights only",
                "You counted the weights but not the biases: every bias is a parameter too, "
                "and it needs its own two passes.",
                lambda d: 2 * d.n_weights),
        mistake("forward differences",
                "P + 1 is what forward differences would need (C once, then C(θ + h) for each "
                "parameter). numerical_gradients uses central differences: count the costs "
                "each of them evaluates.",
                lambda d: d.P + 1),
    ],
    hint="Count the parameters: n₁n₀ + n₁ + n₂n₁ + n₂; then count the costs per parameter.",
    explanation="P = 10·50 + 50 + 50·10 + 10 = 1060 parameters, two forward passes each: 2120. "
                "Backprop gets all 1060 derivatives from one forward and one backward pass.")


symbolic(
    id="ch9-forward-error-term", chapter=9,
    title="The leading error of the forward difference",
    prompt="Taylor's theorem gives C(w + h) = C + hC′ + h²C″/2 + h³C‴/6 + …. Give the leading "
           "term of the error (C(w + h) − C(w))/h − C′ of the forward difference, as a sympy "
           "expression in eps, C2 and C3 (C2 = C″, C3 = C‴ at w).",
    variables=("h", "C2", "C3"), answer=lambda s: s.h * s.C2 / 2,
    quantity="the leading error term", domain=(0.1, 2.0),
    mistakes=[
        mistake("central difference's term",
                "h²C‴/6 is the leading error of the central difference, where the h²C″/2 "
                "terms of C(w + h) and C(w − h) cancel. The forward difference uses C(w + h) "
                "alone: after subtracting C and hC′ and dividing by h, which Taylor term is "
                "left first?",
                lambda s: s.h ** 2 * s.C3 / 6),
        mistake("½ lost",
                "Twice too big: the Taylor term you start from carries a ½; keep it when you "
                "divide by h.",
                lambda s: s.h * s.C2),
        mistake("not divided by h",
                "That is the error in C(w + h) − C(w) itself; the slope divides it by h.",
                lambda s: s.h ** 2 * s.C2 / 2),
    ],
    explanation="(C(w + h) − C(w))/h = C′ + hC″/2 + h²C‴/6 + …, so the error starts with "
                "hC″/2: it shrinks like h, one order slower than the central difference's "
                "h²C‴/6.")


symbolic(
    id="ch9-forward-best-step", chapter=9,
    title="The best step of the forward difference",
    prompt="The error of a forward difference at step h is about h|C″|/2 (truncation) plus "
           "uC/h (round-off, with u the machine epsilon). Find the step h that makes this sum "
           "smallest, as a sympy expression in u, C and C2 (C2 = |C″|, all positive).",
    variables=("u", "C", "C2"), answer=lambda s: (2 * s.u * s.C / s.C2) ** sympy.Rational(1, 2),
    quantity="the best step h*", domain=(0.1, 2.0),
    mistakes=[
        mistake("½ lost",
                "You balanced hC″ against uC/h, but the truncation term is hC″/2. Redo the "
                "minimisation with the ½.",
                lambda s: (s.u * s.C / s.C2) ** sympy.Rational(1, 2)),
        mistake("no square root",
                "That is h², not h: setting the derivative of the sum to zero gives an "
                "equation for h²; take the square root.",
                lambda s: 2 * s.u * s.C / s.C2),
        mistake("central difference's rule",
                "A cube root belongs to the central difference, whose truncation term grows "
                "like h². The forward difference's grows like h: differentiate hC″/2 + uC/h.",
                lambda s: (3 * s.u * s.C / s.C2) ** sympy.Rational(1, 3)),
    ],
    explanation="d/dh (hC″/2 + uC/h) = C″/2 − uC/h² = 0 gives h* = √(2uC/C″); in float64, "
                "with C and C″ of order one, that is about 1e-8 to 1e-7.")


symbolic(
    id="ch9-five-point-error", chapter=9,
    title="The leading error of the five-point difference",
    prompt="The five-point difference (−C(w + 2h) + 8C(w + h) − 8C(w − h) + C(w − 2h)) / (12h) "
           "also estimates C′. Expand each cost with Taylor's theorem up to the h⁵ term and give "
           "the leading term of its error (estimate − C′), as a sympy expression in h and C5 "
           "(C5 = the fifth derivative of C with respect to w).",
    variables=("h", "C5"), answer=lambda s: -s.h ** 4 * s.C5 / 30,
    quantity="the leading error term", domain=(0.1, 2.0),
    mistakes=[
        mistake("sign flipped",
                "Right size, wrong sign: compare the h⁵ contributions of 8C(w ± h) and of C(w "
                "± 2h), signs and weights included; the larger one sets the sign.",
                lambda s: s.h ** 4 * s.C5 / 30),
        mistake("not divided by 12h",
                "That is the error of the numerator, −2h⁵C⁽⁵⁾/5. The estimate divides the "
                "numerator by 12h, and so does its error.",
                lambda s: -2 * s.h ** 5 * s.C5 / 5),
        mistake("Taylor coefficient only",
                "−h⁴C5/120 is the h⁵/120 coefficient alone. Each of the four costs brings its "
                "own h⁵ term, scaled by its weight in the numerator and by (±1)⁵ or (±2)⁵: "
                "add them, then divide by 12h.",
                lambda s: -s.h ** 4 * s.C5 / 120),
    ],
    explanation="The h, h³ terms combine to 12hC′ + 0; the h⁵ terms to (16 − 64)h⁵C⁽⁵⁾/120 = "
                "−2h⁵C⁽⁵⁾/5. Divided by 12h: C′ − h⁴C⁽⁵⁾/30. The error falls like h⁴, two "
                "orders faster than the central difference's.")
