"""Auto-checked exercises of chapter 14: initialisation, vanishing and exploding gradients.

The chapter's variance argument (a layer multiplies Var(z) by n_in Var(w) E[f(z)^2]/Var(z)
forwards and Var(delta) by n_out Var(w) E[f'(z)^2] backwards) applied to cases the chapter
does not work out: a layer with random biases, Glorot's uniform
distribution, the leaky ReLU, the sigmoid in its linear regime, and gradient clipping.
References and wrong answers are computed from the exercise's data (declared with
bpcore.exercises.core).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import sympy

import bpcore
from bpcore.formula import Formula

from ..core import function, mistake, numeric, symbolic


# --------------------------------------------------------------------------------------
# Forwards, with random biases: Var(z) = n_in Var(w) E[a^2] + Var(b).

def _forward_variance_data():
    rng = np.random.default_rng(14)
    n_in, n_out, m = 400, 150, 500
    a = bpcore.activations.relu(rng.normal(0.0, 1.3, size=(n_in, m)))   # a^{l-1}
    var_w, var_b = 1.5 / n_in, 0.3
    W = rng.normal(0.0, np.sqrt(var_w), size=(n_out, n_in))
    b = rng.normal(0.0, np.sqrt(var_b), size=n_out)
    return SimpleNamespace(a=a, W=W, b=b, var_w=var_w, var_b=var_b, n_in=n_in, n_out=n_out)


numeric(
    id="ch14-forward-variance", chapter=14, title="The variance of z with random biases",
    prompt="d['a'] holds the activations a^{l-1} of a ReLU layer, 400 neurons (rows) by 500 "
           "samples (columns). The next layer has weights d['W'], shape (150, 400), every "
           "entry drawn independently with mean 0 and variance d['var_w'], and, unlike the "
           "chapter's layers, random biases d['b'], shape (150,), drawn independently of the "
           "weights and of each other with mean 0 and variance d['var_b']. Predict Var(z^l_j), "
           "over the random weights, biases and samples, from a, var_w and var_b (not by "
           "computing W @ a + b, which only measures it).",
    setup=_forward_variance_data,
    answer=lambda d: d.n_in * d.var_w * np.mean(d.a ** 2) + d.var_b,
    given_names=("a", "W", "b", "var_w", "var_b"), quantity="Var(z^l)", rtol=1e-6,
    mistakes=[
        mistake("bias left out",
                "That is the chapter's (F) for a layer without bias. Here z_j = Σ_k w_jk a_k "
                "+ b_j has one more random term, b_j, independent of the others: it "
                "contributes to Var(z_j) too.",
                lambda d: d.n_in * d.var_w * np.mean(d.a ** 2)),
        mistake("Var(a) instead of E[a²]",
                "You used the variance of a. Each term w_jk a_k has variance "
                "Var(w) E[a_k²], the second moment: ReLU outputs have a positive mean, and "
                "the mean counts.",
                lambda d: d.n_in * d.var_w * np.var(d.a) + d.var_b),
        mistake("the bias's standard deviation",
                "You added the standard deviation of b. Variances of independent terms add, "
                "not standard deviations.",
                lambda d: d.n_in * d.var_w * np.mean(d.a ** 2) + np.sqrt(d.var_b)),
        mistake("n_out instead of n_in",
                "You multiplied by the number of neurons of layer l (150). z^l_j is a sum over "
                "the n_in = 400 inputs k of w_jk a_k: the forward fan is n_in.",
                lambda d: d.n_out * d.var_w * np.mean(d.a ** 2) + d.var_b),
    ],
    hint="z_j = Σ_k w_jk a_k + b_j: n_in + 1 independent terms of mean 0, and the variances "
         "of independent terms add.",
    explanation="Var(z_j) = n_in Var(w) E[a²] + Var(b) = 400 × (1.5/400) × mean(a²) + 0.3 = "
                "1.5 mean(a²) + 0.3: the weighted sum as in (F), and the bias as one more "
                "independent term. np.var(W @ a + b[:, None]) measures about the same number. "
                "A bias of variance σ_b² thus adds σ_b² to every layer's Var(z), which is one "
                "reason the biases start at 0.")


# --------------------------------------------------------------------------------------
# New derivations: Glorot's uniform limit, He's rule for the leaky ReLU, the sigmoid gain.

symbolic(
    id="ch14-xavier-uniform", chapter=14, title="Glorot's uniform limit",
    prompt="Glorot and Bengio draw each weight uniformly from [−r, r] rather than from a normal "
           "distribution, with r chosen so that Var(w) = 2/(n_in + n_out). Derive r as a sympy "
           "expression in n_in and n_out.",
    variables=("n_in", "n_out"), answer=lambda s: sympy.sqrt(6 / (s.n_in + s.n_out)),
    quantity="r", domain=range(1, 513),
    mistakes=[
        mistake("the normal's standard deviation",
                "That is the standard deviation √(2/(n_in + n_out)), the right scale for a "
                "normal distribution. For a uniform distribution on [−r, r], r is the largest "
                "weight, not the standard deviation: work out the variance of U[−r, r] first, "
                "then solve for r.",
                lambda s: sympy.sqrt(2 / (s.n_in + s.n_out))),
        mistake("no square root",
                "You solved for r² and stopped: r²/3 = 2/(n_in + n_out) gives r² = "
                "6/(n_in + n_out); take the square root.",
                lambda s: 6 / (s.n_in + s.n_out)),
        mistake("width r instead of 2r",
                "A uniform distribution on [a, b] has variance (b − a)²/12, and here b − a = "
                "2r, so the variance is r²/3. With r²/12 you used a width of r.",
                lambda s: sympy.sqrt(24 / (s.n_in + s.n_out))),
    ],
    explanation="Var(U[−r, r]) = (1/2r) ∫ w² dw over [−r, r] = r²/3. Setting r²/3 = "
                "2/(n_in + n_out) gives r = √(6/(n_in + n_out)), Glorot and Bengio's eq. (16).",
    formula=Formula(
        question="Type Glorot's limit r, for weights drawn uniformly from [−r, r] with "
                 "Var(w) = 2/(n_in + n_out), as a formula in n_in and n_out.",
        symbols={"n_in": "n_{\\mathrm{in}}", "n_out": "n_{\\mathrm{out}}"},
        functions=("sqrt",), quantity="r",
        solution="sqrt(6 / (n_in + n_out))",
        mistakes={"the normal's standard deviation": "sqrt(2 / (n_in + n_out))",
                  "no square root": "6 / (n_in + n_out)",
                  "width r instead of 2r": "sqrt(24 / (n_in + n_out))"}))


symbolic(
    id="ch14-leaky-relu-he", chapter=14, title="He's rule for the leaky ReLU",
    prompt="The leaky ReLU is f(z) = z for z > 0 and αz for z ≤ 0, with a fixed slope "
           "0 < α < 1. Follow the chapter's forward argument for a layer with n inputs whose "
           "pre-activations z are symmetric about 0 (as N(0, q) is): which weight variance "
           "Var(w) keeps Var(z^l) = Var(z^{l-1})? Give it as a sympy expression in alpha "
           "and n.",
    variables=("alpha", "n"), answer=lambda s: 2 / ((1 + s.alpha ** 2) * s.n),
    quantity="Var(w)", domain={"alpha": (0.05, 0.95), "n": range(1, 513)},
    mistakes=[
        mistake("ReLU's rule",
                "2/n is He's rule for the plain ReLU (α = 0), whose negative half contributes "
                "nothing to E[f(z)²]. With the leak it does: work out its share of E[f(z)²] "
                "as well.",
                lambda s: 2 / s.n),
        mistake("α not squared",
                "f(z)² = α² z² on the negative side: the slope enters squared, so E[f(z)²] = "
                "(1 + α²) q/2, not (1 + α) q/2.",
                lambda s: 2 / ((1 + s.alpha) * s.n)),
        mistake("the ½ lost",
                "Each side of a symmetric z carries half of E[z²] = q, so E[f(z)²] = "
                "(1 + α²) q/2; solving n Var(w) (1 + α²) q/2 = q gives a 2 in the numerator.",
                lambda s: 1 / ((1 + s.alpha ** 2) * s.n)),
        mistake("inverted",
                "You solved for 1/Var(w). n Var(w) (1 + α²)/2 = 1 gives "
                "Var(w) = 2/((1 + α²) n).",
                lambda s: (1 + s.alpha ** 2) * s.n / 2),
    ],
    explanation="E[f(z)²] = E[z²; z > 0] + α² E[z²; z < 0] = q/2 + α² q/2 for a symmetric z "
                "of variance q. The forward condition n Var(w) E[f(z)²] = q gives "
                "Var(w) = 2/((1 + α²) n): α = 0 is He's 2/n, and α = 1 (a linear layer) the "
                "1/n of a layer without activation. He et al. (2015) give this form for their "
                "parametric ReLU.",
    formula=Formula(
        question="Type the weight variance Var(w) that keeps Var(z) from layer to layer "
                 "behind a leaky ReLU of slope α, as a formula in alpha and n (the inputs of "
                 "a neuron).",
        symbols={"alpha": "\\alpha", "n": "n"}, quantity="Var(w)",
        solution="2 / ((1 + alpha^2) * n)",
        mistakes={"ReLU's rule": "2 / n",
                  "α not squared": "2 / ((1 + alpha) * n)",
                  "the ½ lost": "1 / ((1 + alpha^2) * n)",
                  "inverted": "(1 + alpha^2) * n / 2"}))


numeric(
    id="ch14-sigmoid-gain", chapter=14, title="The gain a sigmoid layer would need",
    prompt="Near z = 0 the sigmoid is σ(z) ≈ ½ + z/4, so σ′(z) ≈ ¼. Take a deep sigmoid "
           "network whose layers all have width n and weights of variance Var(w) = g/n (g is "
           "the gain; Network.random uses g = 1 for sigmoid layers). Assuming every "
           "pre-activation stays in this linear regime, BP2 multiplies Var(δ) by the same "
           "factor at every step back. Which gain g makes that factor 1?",
    setup=lambda: SimpleNamespace(slope=0.25,
                                  record_gain=bpcore.activations.get("sigmoid").gain,
                                  he_gain=bpcore.activations.get("relu").gain),
    answer=lambda d: 1 / d.slope ** 2, quantity="the gain g", rtol=1e-9,
    mistakes=[
        mistake("slope not squared",
                "You divided by the slope σ′(0) itself. BP2 multiplies δ by the slope, and we "
                "follow the VARIANCE of δ: how does multiplying a variable by a constant "
                "change its variance?",
                lambda d: 1 / d.slope),
        mistake("He's gain",
                "2 is He's gain for ReLU, whose slope is 1 on half the neurons: E[relu′²] = ½. "
                "The sigmoid's slope is at most ¼ on every neuron.",
                lambda d: d.he_gain),
        mistake("the book's gain",
                "g = 1 is what the sigmoid's record and Network.random use (the forward "
                "rule); with it, each step back multiplies Var(δ) by 1/16. Solve g/16 = 1.",
                lambda d: d.record_gain),
    ],
    hint="BP2: δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ σ′(z^l). Var(δ^l) = n Var(w) E[σ′²] Var(δ^{l+1}).",
    explanation="Var(δ^l)/Var(δ^{l+1}) = n (g/n) σ′(0)² = g/16, which is 1 at g = 16. But at "
                "g = 16 the pre-activations do not stay near 0: Var(z) = g E[σ(z)²] ≥ g/4 = 4, "
                "the units saturate and E[σ′²] falls far below 1/16 (the folded cell "
                "computes it). No gain keeps both the slopes and the deltas healthy: a gain "
                "small enough to avoid saturation shrinks δ severalfold per layer (about "
                "fourfold at the book's g = 1), and one large enough to keep δ level, near "
                "g = 100, saturates about half the units.")


# --------------------------------------------------------------------------------------
# Implement: clipping by the norm.

def _clip_cases(rng):
    cases = []
    for n, scale, threshold in [(5, 10.0, 1.5), (8, 0.1, 2.0), (17, 3.0, 2.5), (3, 1.0, 100.0),
                                (40, 50.0, 5.0)]:
        cases.append({"g": rng.normal(0.0, scale, size=n), "threshold": np.array(threshold)})
    return cases


def _clip_oracle(g, threshold):
    # Independent of the learner's formula: rescale to the length min(|g|, threshold).
    length = np.sqrt(np.sum(g * g))
    return g if length <= threshold else g * (threshold / length)


def clip_by_norm(g, threshold):
    """g shrunk to length ``threshold`` if it is longer; unchanged otherwise."""
    norm = np.linalg.norm(g)
    return g * min(1.0, threshold / norm)


function(
    id="ch14-clip-by-norm", chapter=14, title="Clipping a gradient by its norm",
    prompt="Write def clip_by_norm(g, threshold) for a gradient g flattened into one vector "
           "(as Gradients.flat() gives it) and a positive threshold: if the Euclidean norm "
           "‖g‖ exceeds threshold, return g rescaled to length threshold (same direction); "
           "otherwise return g unchanged. Do not modify g in place.",
    name="clip_by_norm", params=("g", "threshold"),
    returns="the clipped gradient, an array of the shape of g",
    cases=_clip_cases, oracle=_clip_oracle, model=clip_by_norm,
    mistakes=[
        mistake("clipped each entry",
                "You clipped every entry to [−threshold, threshold] (np.clip). That changes the "
                "direction of g and lets its length grow with the number of parameters. Clip "
                "by the norm: rescale the whole vector.",
                lambda g, threshold: np.clip(g, -threshold, threshold)),
        mistake("always rescaled",
                "You rescaled g to length threshold even when it was shorter, which lengthens "
                "small gradients. Leave g unchanged when ‖g‖ ≤ threshold.",
                lambda g, threshold: g * threshold / np.linalg.norm(g)),
        mistake("unit length",
                "Your vectors have length 1: you divided by ‖g‖ without multiplying by the "
                "threshold.",
                lambda g, threshold: g / np.linalg.norm(g)),
    ],
    explanation="Scale by min(1, threshold/‖g‖): the direction is kept and the length becomes "
                "min(‖g‖, threshold), the rule of Pascanu, Mikolov and Bengio (2013).")
