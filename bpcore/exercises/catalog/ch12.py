"""Auto-checked exercises of chapter 12: replicating Rumelhart, Hinton & Williams (1986).

The mirror-symmetry task: 6 input bits, 2 hidden units, 1 output, all 64 patterns from
:func:`bpcore.datasets.mirror_symmetry`.  The exercises cover the cost scaling (RHW sum
over cases, bpcore averages), why mirror weights in the ratio 1:2:4 separate the
symmetric patterns, and reading that ratio off a trained network.  References and wrong
answers are computed with bpcore (declared with bpcore.exercises.core).
"""
from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np

import bpcore
from bpcore.activations import sigmoid_prime
from bpcore.examples import network_state
from bpcore.formula import Formula, random_networks

from ..core import mistake, numeric

EPSILON, ALPHA = 0.1, 0.9     # RHW's learning rate ε (the book's η_E, on the summed cost) and momentum


# --------------------------------------------------------------------------------------
# The cost scaling: RHW's E sums over the cases, bpcore's C averages.

def _sum_gradient_data():
    x, y = bpcore.datasets.mirror_symmetry()
    net = bpcore.Network.random([6, 2, 1], "sigmoid", seed=0)
    g = bpcore.backprop(net, x, y, "mse")
    return SimpleNamespace(net=net, x=x, y=y, m=x.shape[1], grad_W2=g.W(2))


numeric(
    id="ch12-sum-gradient", chapter=12, title="∂E/∂W² for RHW's summed cost",
    prompt="Rumelhart, Hinton & Williams minimise E = ½ Σ_c Σ_j (a_jc − y_jc)², summed over "
           "all cases c (in the book's symbols: their output y is our a, their target d our "
           "y). bpcore's quadratic cost C is the MEAN over the cases. For the "
           "6-2-1 network d['net'] on all 64 mirror-symmetry patterns (d['x'], d['y']), "
           "give ∂E/∂W², shape (1, 2).",
    setup=_sum_gradient_data, answer=lambda d: d.m * d.grad_W2,
    given_names=("net", "x", "y"), quantity="∂E/∂W²",
    mistakes=[
        mistake("the mean, not the sum",
                "That is bpcore's ∂C/∂W², the gradient of the MEAN cost. E sums over the 64 "
                "cases instead of averaging them: how is E related to C, and so ∂E/∂W² to "
                "∂C/∂W²?",
                lambda d: d.grad_W2),
        mistake("divided by m",
                "You divided by m = 64, which moves away from E: E is the SUM over the cases, "
                "larger than the mean C, not smaller.",
                lambda d: d.grad_W2 / d.m),
        mistake("the ½ dropped",
                "Your gradient is twice too large: E carries the ½, exactly like bpcore's "
                "quadratic cost, so the ½ cancels the 2 of the square and only the "
                "sum-versus-mean factor remains.",
                lambda d: 2 * d.m * d.grad_W2),
    ],
    hint="bpcore.backprop(net, x, y).W(2) is ∂C/∂W² for the MEAN cost C; write E in terms of "
         "C first.",
    explanation="E = Σ_c ½‖a_c − y_c‖² = m C with m = 64, so every gradient of E is 64 times "
                "the gradient bpcore returns: 64 * bpcore.backprop(net, x, y).W(2).")


def _rate_data():
    x, _ = bpcore.datasets.mirror_symmetry()
    return SimpleNamespace(epsilon=EPSILON, m=x.shape[1])


numeric(
    id="ch12-equivalent-rate", chapter=12, title="The learning rate on the mean cost",
    prompt="RHW's step is Δw = −η_E ∂E/∂w with η_E = d['epsilon'] = 0.1 (RHW's ε) on the cost "
           "SUMMED over the m = d['m'] = 64 cases. bpcore.train steps on the MEAN cost C = E / m: "
           "Δw = −η ∂C/∂w. Which learning_rate η gives exactly RHW's step?",
    setup=_rate_data, answer=lambda d: d.epsilon * d.m, given_names=("epsilon", "m"),
    quantity="learning_rate",
    mistakes=[
        mistake("divided by m",
                "You divided η_E by m. Compare the sizes of the two gradients first: is ∂C/∂w "
                "larger or smaller than ∂E/∂w? The rate has to make up the difference.",
                lambda d: d.epsilon / d.m),
        mistake("η_E unchanged",
                "With η = η_E on the mean cost, every step is smaller than RHW's, because "
                "∂C/∂w is only a fraction of ∂E/∂w: the rate on C must make up that factor.",
                lambda d: d.epsilon),
        mistake("½ counted twice",
                "Both E and bpcore's quadratic cost carry the ½, so it cancels: E and C "
                "differ only by the sum-versus-mean factor, and no extra ½ enters η.",
                lambda d: d.epsilon * d.m / 2),
    ],
    hint="Write ∂E/∂w in terms of ∂C/∂w, then match the two steps.",
    explanation="E = m C gives ∂E/∂w = m ∂C/∂w, so −η_E ∂E/∂w = −(m η_E) ∂C/∂w: "
                "η = 64 × 0.1 = 6.4.")


# --------------------------------------------------------------------------------------
# Why 1:2:4: a hidden unit must see zero input only for symmetric patterns.

def _zero_input_data():
    x, y = bpcore.datasets.mirror_symmetry()
    # equal and opposite on mirror bits; magnitudes 2 (outer), 1 (middle), 1 (centre)
    w = np.array([2.0, 1.0, 1.0, -1.0, -1.0, -2.0])
    zero = np.isclose(w @ x, 0.0)
    symmetric = y[0] == 1.0
    return SimpleNamespace(x=x, y=y, w=w, zero=zero, symmetric=symmetric)


numeric(
    id="ch12-zero-input-count", chapter=12,
    title="Non-symmetric patterns a 1:1:2 hidden unit cannot see",
    prompt="A hidden unit with weights d['w'] = (2, 1, 1, −1, −1, −2) on the 6 bits is "
           "antisymmetric (mirror weights equal and opposite), so every symmetric pattern "
           "gives it a total input w·x = 0 from the bits. Its magnitudes are 1:1:2 instead "
           "of the paper's 1:2:4. Over the 64 patterns d['x'] (one per column; d['y'] marks "
           "the symmetric ones), how many NON-symmetric patterns also give w·x = 0, so that "
           "the unit cannot tell them from the symmetric ones?",
    setup=_zero_input_data,
    answer=lambda d: int(np.sum(d.zero & ~d.symmetric)), given_names=("x", "y", "w"),
    quantity="the number of non-symmetric patterns with w·x = 0",
    rtol=0.0, atol=1e-9,
    mistakes=[
        mistake("symmetric patterns counted",
                "You counted every pattern with w·x = 0, the symmetric ones included. The "
                "question asks only about the non-symmetric patterns, the columns where y = "
                "0.",
                lambda d: int(np.sum(d.zero))),
        mistake("patterns with a nonzero input counted",
                "You counted the patterns whose input is NOT zero. Count those with "
                "w·x = 0 (use np.isclose) among the non-symmetric ones.",
                lambda d: int(np.sum(~d.zero & ~d.symmetric))),
        mistake("signs dropped",
                "With |w| = (2, 1, 1, 1, 1, 2), every weight is positive, so only the "
                "all-zero pattern gives 0. Keep the signs: mirror weights cancel.",
                lambda d: int(np.sum(np.isclose(np.abs(d.w) @ d.x, 0.0) & ~d.symmetric))),
    ],
    hint="Compute w·x for all 64 columns at once, then count the zeros (with a tolerance: "
         "these are floats) among the columns that are not symmetric.",
    explanation="Write sₖ = xₖ − x₇₋ₖ ∈ {−1, 0, 1} for the three mirror pairs: the input "
                "is 2 s₁ + s₂ + s₃, which vanishes for s = (0, 1, −1), (0, −1, 1), (1, −1, −1) "
                "and (−1, 1, 1): 2 + 2 + 1 + 1 = 6 non-symmetric patterns. With 1:2:4 the "
                "input s₁ + 2 s₂ + 4 s₃ is zero only when s = 0.")


# --------------------------------------------------------------------------------------
# Reading the ratio off a trained network.

@functools.lru_cache(maxsize=1)
def _trained_hidden_weights():
    """W¹ after RHW-style training of Network.random([6, 2, 1], seed=2) (full batch,
    η = 6.4 on the mean cost, momentum 0.9) until every output is within 0.1 of its
    target; read-only."""
    x, y = bpcore.datasets.mirror_symmetry()
    result = bpcore.train(
        bpcore.Network.random([6, 2, 1], "sigmoid", seed=2), x, y, epochs=3000,
        learning_rate=EPSILON * x.shape[1], momentum=ALPHA, progress=False,
        until=lambda net: np.max(np.abs(bpcore.forward(net, x).output - y)) < 0.1)
    return result.network.W(1)


def _pair_magnitudes(w):
    """|w| averaged over each mirror pair, from the centre outwards: bits (3, 4), (2, 5),
    (1, 6)."""
    w = np.abs(np.asarray(w, dtype=float))
    return np.array([w[2] + w[3], w[1] + w[4], w[0] + w[5]]) / 2


def _ratio_data():
    W1 = _trained_hidden_weights()
    mags = _pair_magnitudes(W1[0])
    return SimpleNamespace(W1=np.array(W1), w=np.array(W1[0]), mags=mags)


numeric(
    id="ch12-mirror-ratios", chapter=12, title="The 1:2:4 ratio in a trained network",
    prompt="d['W1'] holds the hidden weights W¹, shape (2, 6), of a 6-2-1 network trained on "
           "mirror symmetry (from bpcore.Network.random([6, 2, 1], seed=2), full batch, "
           "learning_rate 6.4, momentum 0.9). For hidden unit 1 (row 0), average |w| over "
           "each mirror pair of bits, (3, 4), (2, 5) and (1, 6), sort the three averages "
           "from smallest to largest and divide by the smallest. Give the three ratios.",
    setup=_ratio_data, answer=lambda d: np.sort(d.mags) / np.min(d.mags),
    given_names=("W1",), quantity="the sorted magnitude ratios", rtol=5e-3,
    mistakes=[
        mistake("not sorted",
                "Your ratios are in position order (centre, middle, outer). Sort the three "
                "averages first: the question is whether they are 1:2:4 in SOME order.",
                lambda d: d.mags / np.min(d.mags)),
        mistake("divided by the largest",
                "You divided by the largest magnitude, which gives 1/4 : 1/2 : 1 for the "
                "paper's pattern. Divide by the smallest so the first ratio is 1.",
                lambda d: np.sort(d.mags) / np.max(d.mags)),
        mistake("signs kept",
                "Mirror weights have opposite signs, so averaging the signed weights gives "
                "about 0. Average the magnitudes |w|.",
                lambda d: np.sort(np.array([d.w[2] + d.w[3], d.w[1] + d.w[4],
                                            d.w[0] + d.w[5]]) / 2)
                / np.min(d.mags)),
    ],
    hint="np.abs(w), then the pairs (w[2], w[3]), (w[1], w[4]), (w[0], w[5]); np.sort; "
         "divide by the first.",
    explanation="np.sort(pair magnitudes) / their minimum. For this solution the ratios come out "
                "close to 1 : 2 : 4, the pattern of the paper's Figure 1.")


# --------------------------------------------------------------------------------------
# New derivations (issue 11): RHW's backward pass in their own notation, case by case.

def _rhw_state():
    """The 6-2-1 sigmoid network Network.random([6, 2, 1], seed=0) on all 64 patterns."""
    x, y = bpcore.datasets.mirror_symmetry()
    return network_state(bpcore.Network.random([6, 2, 1], "sigmoid", seed=0), x, y)


numeric(
    id="ch12-rhw-hidden-error", chapter=12,
    title="RHW's ∂E/∂x_j for the hidden units, case by case",
    prompt="RHW's backward pass computes, for every case c, ∂E/∂x_j for each unit j, where "
           "x_j is the unit's total input (the book's z_j) and E = ½ Σ_c Σ_j (a_jc − y_jc)² "
           "sums over the cases. For the 6-2-1 network d['net'] on the 64 patterns d['x'] "
           "(targets d['y']), derive ∂E/∂x_j for the two hidden units in every case and give "
           "the (2, 64) array, one column per case.",
    setup=_rhw_state, answer=lambda d: d.delta[1], given_names=("net", "x", "y"),
    quantity="∂E/∂x for the hidden units",
    mistakes=[
        mistake("derivative of the mean",
                "You divided by m = 64: that is the derivative for the MEAN cost C. E is a "
                "sum, and only case c's own term depends on its x_j, so nothing divides it by "
                "m.",
                lambda d: d.delta[1] / d.m),
        mistake("stopped at ∂E/∂y_j",
                "That is ∂E/∂y_j (RHW's eq. 6), the derivative with respect to the hidden "
                "unit's OUTPUT. One more factor, dy_j/dx_j = y_j(1 − y_j), gives ∂E/∂x_j.",
                lambda d: d.W[2].T @ d.delta[2]),
        mistake("output slope missing",
                "The output unit's slope is missing: ∂E/∂x_out = (a − y) y_out(1 − y_out) "
                "before it is sent back through the weights.",
                lambda d: (d.W[2].T @ (d.a[2] - d.y)) * sigmoid_prime(d.z[1])),
    ],
    hint="Start at the output unit, ∂E/∂y = a − y for its case; multiply by the logistic "
         "slope to get ∂E/∂x; send it back through the weight w_ji to each hidden unit.",
    explanation="∂E/∂x_out,c = (a_c − y_c) a_c(1 − a_c), then ∂E/∂y_jc = w_out,j ∂E/∂x_out,c "
                "and ∂E/∂x_jc = ∂E/∂y_jc · y_jc(1 − y_jc): BP1 and BP2 for one case, the "
                "per-sample δ¹. A sum over cases needs no 1/m anywhere.",
    formula=Formula(
        question="Type RHW's ∂E/∂x_j for the hidden units, every case at once, as a formula in "
                 "W2 = W², a1 = a¹ and a2 = a² (the hidden and output activations, one column "
                 "per case), the targets y and the number of cases m.",
        symbols={"W2": ("W^{2}", lambda d: d.W[2]), "a1": ("a^{1}", lambda d: d.a[1]),
                 "a2": ("a^{2}", lambda d: d.a[2]), "y": ("y", lambda d: d.y),
                 "m": ("m", lambda d: d.m)},
        label="the 6-2-1 network on the 64 patterns",
        variants=random_networks(((4, 3, 1), 6), ((3, 2, 2), 4)),
        solution="(W2' * ((a2 - y) .* a2 .* (1 - a2))) .* a1 .* (1 - a1)",
        mistakes={"derivative of the mean":
                  "(W2' * ((a2 - y) .* a2 .* (1 - a2))) .* a1 .* (1 - a1) / m",
                  "stopped at ∂E/∂y_j": "W2' * ((a2 - y) .* a2 .* (1 - a2))",
                  "output slope missing": "(W2' * (a2 - y)) .* a1 .* (1 - a1)"}))


numeric(
    id="ch12-input-gradient", chapter=12,
    title="∂E/∂y_i for the input units",
    prompt="RHW's eq. (6) sends ∂E/∂x_j back to any unit i that feeds unit j. Apply it one "
           "layer further than backpropagation needs, to the six INPUT units of the 6-2-1 "
           "network d['net'] (patterns d['x'], targets d['y'], E summed over the 64 cases): "
           "how does E change with each input bit, case by case? Give ∂E/∂y_i as a (6, 64) "
           "array, one column per case.",
    setup=_rhw_state, answer=lambda d: d.W[1].T @ d.delta[1],
    given_names=("net", "x", "y"), quantity="∂E/∂y_i for the input units",
    mistakes=[
        mistake("logistic slope at the inputs",
                "You multiplied by y_i(1 − y_i) as if the inputs were logistic units. An "
                "input unit passes its value on unchanged, so there is no slope to apply (and "
                "for bits 0 and 1 that factor is 0 everywhere).",
                lambda d: (d.W[1].T @ d.delta[1]) * d.x * (1 - d.x)),
        mistake("derivative of the mean",
                "You divided by m = 64. E sums the cases: case c's inputs affect only case "
                "c's term, so ∂E/∂y_ic carries no 1/m.",
                lambda d: d.W[1].T @ d.delta[1] / d.m),
        mistake("hidden slope missing",
                "The hidden units' slopes are missing: pass ∂E/∂y_j through y_j(1 − y_j) to "
                "get ∂E/∂x_j before sending it to the inputs.",
                lambda d: d.W[1].T @ (d.W[2].T @ d.delta[2])),
    ],
    hint="∂E/∂y_i = Σ_j ∂E/∂x_j w_ji, summed over the hidden units j, for each case.",
    explanation="∂E/∂y_ic = Σ_j w_ji ∂E/∂x_jc, i.e. (W¹)ᵀ δ¹ column by column: BP2 without the "
                "activation slope, because an input unit has no activation function.")
