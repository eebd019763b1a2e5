"""Auto-checked exercises of chapter 15, what backpropagation costs: multiply-adds with
checkpointing, the floats a checkpointed pass holds, the best spacing of the checkpoints,
the batch size at which the stored activations outweigh the parameters, and one segment
of a checkpointed backward pass written by the learner (declared with
bpcore.exercises.core).

Every reference and every catalogued mistake's wrong answer is computed here with bpcore
(:mod:`bpcore.checkpointing`, :mod:`bpcore.figures.gradient_cost`) from the exercise's
data; no number is typed in.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import sympy

import bpcore
from bpcore import activations, checkpointing
from bpcore.figures.gradient_cost import multiply_adds
from bpcore.formula import Formula

from ..core import function, mistake, numeric, symbolic

__all__ = ["my_segment_backward"]


# --------------------------------------------------------------------------------------
# Time: the multiply-adds of a checkpointed gradient.

def _macs_state():
    sizes, m, every = (50, 200, 200, 200, 200, 200, 200, 10), 32, 3
    F, B = multiply_adds(sizes, m)
    pairs = [n * k for n, k in zip(sizes[1:], sizes[:-1])]
    r = checkpointing.recomputed_layers(len(sizes) - 1, every)
    return SimpleNamespace(sizes=sizes, m=m, every=every, F=F, B=B,
                           R=m * sum(pairs[:r]), first=m * pairs[0])


numeric(
    id="ch15-checkpointed-multiply-adds", chapter=15,
    title="The multiply-adds of a checkpointed gradient",
    prompt="A network has layer sizes d['sizes'] = (50, 200, 200, 200, 200, 200, 200, 10), "
           "so L = 7, and takes a batch of m = d['m'] = 32 samples. "
           "bpcore.checkpointing.backprop_checkpointed(net, x, y, every=3) keeps a⁰, a³ and "
           "a⁶ from the forward pass, keeps the top segment, layer 7 alone, from the first "
           "forward pass, and runs every lower segment forward again before going back through it. Count the "
           "multiply-adds of all the matrix products of one such gradient: the first "
           "forward pass, the recomputation and the backward pass (BP2 and BP4). Give a "
           "whole number.",
    setup=_macs_state, answer=lambda d: d.F + d.B + d.R,
    given_names=("sizes", "m", "every"), quantity="the number of multiply-adds",
    rtol=0.0, atol=0.5,
    mistakes=[
        mistake("no recomputation",
                "That is the count of plain backprop, one forward and one backward pass. "
                "Checkpointing runs the layers below the top segment forward a second time: "
                "add their products W^l a^(l−1).",
                lambda d: d.F + d.B),
        mistake("top segment recomputed",
                "You ran the whole forward pass twice. The top segment, here layer 7 alone, is "
                "kept from the first forward pass; only layers 1 to 6 are run again.",
                lambda d: 2 * d.F + d.B),
        mistake("BP2 at layer 1",
                "You counted BP2's (W¹)ᵀ δ¹ for the first layer. Nothing lies below layer 1, "
                "so the backward pass carries no error to the input.",
                lambda d: d.F + d.B + d.first + d.R),
        mistake("one sample",
                "That is the count for one sample. Every product has m = 32 columns, so each "
                "costs m times as much.",
                lambda d: (d.F + d.B + d.R) // d.m),
    ],
    hint="Forward: m Σ n_l n_(l−1). Backward: BP4 for every layer, BP2 for layers 2 to L. "
         "Recomputation: the forward products of the layers below the top segment.",
    explanation="Forward m Σ n_l n_(l−1) = 6,784,000 multiply-adds; backward, BP4 for all "
                "seven layers and BP2 for layers 2 to 7, 13,248,000; recomputation of layers "
                "1 to 6, 6,720,000. In all 26,752,000: 3.94 forward passes' worth of products "
                "instead of plain backprop's 2.95.")


# --------------------------------------------------------------------------------------
# Memory: what a checkpointed pass holds.

def _held(sizes, m, every, kept_rule, per_layer=2):
    """Floats held over the schedule, with a rule for which checkpoints count."""
    L = len(sizes) - 1
    cks = [c for c in checkpointing.checkpoints(L, every) if c > 0]
    return m * max(sum(sizes[c] for c in cks if kept_rule(c, s, e))
                   + per_layer * sum(sizes[s + 1:e + 1])
                   for s, e in checkpointing.segments(L, every))


def _stored_state():
    sizes, m, every = (64, 256, 256, 256, 256, 256, 256, 256, 256, 10), 128, 3
    return SimpleNamespace(sizes=sizes, m=m, every=every,
                           held=checkpointing.stored_floats(sizes, m, every))


numeric(
    id="ch15-stored-floats", chapter=15, title="The floats a checkpointed pass holds",
    prompt="A network with sizes d['sizes'] = (64, 256, 256, 256, 256, 256, 256, 256, 256, "
           "10), so L = 9, runs backprop_checkpointed with every = d['every'] = 3 on a batch "
           "of m = d['m'] = 128. While the backward pass works on the segment (s, e], layers "
           "s+1 to e, it holds the checkpoints aᶜ with 0 < c ≤ s and zˡ, aˡ of the segment's "
           "layers (a^e, itself a checkpoint, counted once). What is the most floats it holds "
           "at once? Leave out x, the parameters, the gradients, the current δ and the "
           "temporaries. Give a whole number.",
    setup=_stored_state, answer=lambda d: d.held, given_names=("sizes", "m", "every"),
    quantity="the number of floats", rtol=0.0, atol=0.5,
    mistakes=[
        mistake("everything stored",
                "That is plain backprop's count, z and a of all nine layers. With every = 3 "
                "only a³ and a⁶ are kept between the passes; a segment's other arrays exist "
                "only while the backward pass works on it.",
                lambda d: 2 * d.m * sum(d.sizes[1:])),
        mistake("z forgotten",
                "You counted only the activations of the segment. The backward pass needs "
                "zˡ too, for f′(zˡ) in BP2: two arrays per layer of the segment.",
                lambda d: _held(d.sizes, d.m, d.every, lambda c, s, e: c <= s, per_layer=1)),
        mistake("a^e counted twice",
                "While the segment (s, e] is worked on, its top activation aᵉ is the checkpoint "
                "itself: count it once, among the segment's arrays, not again as a checkpoint.",
                lambda d: _held(d.sizes, d.m, d.every, lambda c, s, e: c <= e)),
        mistake("the largest segment only",
                "The checkpoints below the segment are still held while it is worked on: add "
                "aᶜ for 0 < c ≤ s to the segment's own z and a.",
                lambda d: _held(d.sizes, d.m, d.every, lambda c, s, e: False)),
    ],
    hint="List the segments: (6, 9], (3, 6], (0, 3]. For each, add the checkpoints at or "
         "below its bottom s to 2 × the sizes of its layers; take the largest; multiply by m.",
    explanation="(6, 9]: a³, a⁶ and z, a of layers 7–9: 512 + 1,044 = 1,556 per sample; "
                "(3, 6]: a³ and z, a of layers 4–6: 256 + 1,536 = 1,792; (0, 3]: 1,536. The "
                "most is 1,792 × 128 = 229,376 floats, against plain backprop's 4,116 × 128 = "
                "526,848: 44 % of it.")


symbolic(
    id="ch15-best-every", chapter=15, title="The best spacing of the checkpoints",
    prompt="For L layers of equal width n and a batch of m, a checkpointed pass with spacing "
           "k holds about (L/k + 2k) n m floats: L/k checkpoints, and zˡ, aˡ for the k layers "
           "of one segment. Treat k as a positive real number and find the k that makes this "
           "smallest, as a sympy expression in L.",
    variables=("L",), answer=lambda s: sympy.sqrt(s.L / 2),
    quantity="the best spacing k*", domain=range(2, 101),
    mistakes=[
        mistake("the 2 dropped",
                "√L balances L/k against k, one array per layer of the segment. The segment "
                "holds two, zˡ and aˡ: balance L/k against 2k.",
                lambda s: sympy.sqrt(s.L)),
        mistake("2 on the wrong side",
                "Check the derivative: d/dk (L/k + 2k) = −L/k² + 2, which is zero at "
                "k² = L/2, not 2L.",
                lambda s: sympy.sqrt(2 * s.L)),
        mistake("no square root",
                "That is k², not k: −L/k² + 2 = 0 gives k² = L/2; take the square root.",
                lambda s: s.L / 2),
    ],
    explanation="d/dk (L/k + 2k) = −L/k² + 2 = 0 at k* = √(L/2), where the memory is "
                "2√(2L) n m floats instead of 2L n m: it grows like √L. Rounding k to a whole "
                "number that divides L well matters little near the minimum, which is flat; "
                "the √L rule of thumb, k = ⌈√L⌉, is within a factor √2 of k*.",
    formula=Formula(
        question="Type the best spacing k* of the checkpoints, the k > 0 that makes "
                 "(L/k + 2k) n m smallest, as a formula in L.",
        symbols={"L": "L"}, functions=("sqrt",), quantity="the best spacing k*",
        solution="sqrt(L / 2)",
        mistakes={"the 2 dropped": "sqrt(L)",
                  "2 on the wrong side": "sqrt(2 * L)",
                  "no square root": "L / 2"}))


def _break_even_state():
    net = bpcore.Network.random([784, 512, 512, 10], seed=0)
    sizes = net.sizes
    return SimpleNamespace(sizes=sizes, P=net.n_parameters, n_weights=sum(W.size for W in
                                                                           net.weights),
                           neurons=sum(sizes[1:]))


numeric(
    id="ch15-break-even-batch", chapter=15,
    title="When the stored activations outweigh the parameters",
    prompt="Plain backprop on a network with sizes d['sizes'] = (784, 512, 512, 10) keeps "
           "zˡ and aˡ of every layer l = 1, …, L for the backward pass, m floats per neuron "
           "and array for a batch of m (the input x is the caller's and does not count). The "
           "weights and biases take P floats whatever m is. At what batch size m do the "
           "stored arrays hold exactly as many floats as the parameters? Give m as a number "
           "(it need not be whole).",
    setup=_break_even_state, answer=lambda d: d.P / (2 * d.neurons),
    given_names=("sizes",), quantity="the batch size m",
    mistakes=[
        mistake("z forgotten",
                "You counted one array per layer. The backward pass keeps two, zˡ for f′(zˡ) "
                "and aˡ for BP4 one layer up, so the stored floats are 2m Σ nₗ.",
                lambda d: d.P / d.neurons),
        mistake("x counted",
                "You counted the input layer's 784 neurons. x = a⁰ is the caller's array and "
                "there is no z⁰: sum nₗ over l = 1, …, L only.",
                lambda d: d.P / (2 * sum(d.sizes))),
        mistake("first layer only",
                "You compared the first layer alone, its n₁(n₀ + 1) parameters against its own "
                "2m n₁ stored floats. Compare the whole network: P = Σ nₗ (nₗ₋₁ + 1) against "
                "2m Σ nₗ.",
                lambda d: (d.sizes[1] * (d.sizes[0] + 1)) / (2 * d.sizes[1])),
    ],
    hint="Stored floats: 2m (n₁ + n₂ + n₃). Parameters: P = Σ nₗ (nₗ₋₁ + 1). Set them equal.",
    explanation="P = 784·512 + 512 + 512·512 + 512 + 512·10 + 10 = 669,706 and 2 Σ nₗ = "
                "2 (512 + 512 + 10) = 2,068, so m = 669,706 / 2,068 ≈ 324. From a batch of "
                "about 324 on, the stored activations take more memory than the whole "
                "network, and they keep growing with m while the parameters do not.")


# --------------------------------------------------------------------------------------
# Implement: one segment of a checkpointed backward pass.

def _segment_cases(rng):
    cases = []
    for sizes, m in [([3, 4, 2], 3), ([2, 3, 3, 2], 4), ([4, 2], 2), ([2, 5, 1, 3], 1),
                     ([3, 3, 3, 3, 3], 5)]:
        net = bpcore.Network.random(sizes, "sigmoid", seed=rng)
        cases.append({"weights": list(net.weights),
                      "biases": [rng.normal(0.0, 0.5, size=b.shape) for b in net.biases],
                      "a_s": rng.uniform(0.05, 0.95, size=(sizes[0], m)),
                      "upstream": rng.normal(size=(sizes[-1], m))})
    return cases


def _segment(weights, biases, a_s, upstream, *, top_slope=True, slope_below=False, scale=1.0):
    """The segment's gradients and dC_x/da^s with bpcore, optionally mis-computed."""
    net = bpcore.Network(weights, biases, "sigmoid")
    fp = bpcore.forward(net, a_s)
    delta_e = (activations.backward("sigmoid", fp.zs[-1], fp.output, upstream) if top_slope
               else upstream)
    deltas = bpcore.hidden_deltas(net, fp, delta_e)
    below = net.W(1).T @ deltas[0]
    if slope_below:
        below = below * a_s * (1 - a_s)
    return [[g * scale for g in bpcore.weight_gradients(fp, deltas)],
            [g * scale for g in bpcore.bias_gradients(deltas)], below]


def _segment_oracle(weights, biases, a_s, upstream):
    return _segment(weights, biases, a_s, upstream)


def my_segment_backward(weights, biases, a_s, upstream):
    """One segment (s, e] of a checkpointed backward pass, sigmoid layers, mean cost."""
    zs, acts = [], [a_s]
    for W, b in zip(weights, biases):              # run the segment forward again from a^s
        zs.append(W @ acts[-1] + b[:, None])
        acts.append(1 / (1 + np.exp(-zs[-1])))
    m = a_s.shape[1]
    k = len(weights)
    grad_W, grad_b = [None] * k, [None] * k
    for i in range(k - 1, -1, -1):                 # layers e, ..., s+1 of the segment
        delta = upstream * acts[i + 1] * (1 - acts[i + 1])   # BP1/BP2's Hadamard product
        grad_W[i] = delta @ acts[i].T / m                    # BP4
        grad_b[i] = delta.mean(axis=1)                       # BP3
        upstream = weights[i].T @ delta                      # dC_x/da, one layer down
    return [grad_W, grad_b, upstream]


function(
    id="ch15-segment-backward", chapter=15, title="One segment of a checkpointed backward pass",
    prompt="Write def my_segment_backward(weights, biases, a_s, upstream) for one segment "
           "(s, e] of sigmoid layers, as backprop_checkpointed runs it. weights and biases "
           "list W and b of the segment's layers s+1, …, e (bottom first); a_s is the "
           "checkpoint aˢ, shape (nₛ, m); upstream is ∂Cₓ/∂aᵉ for each sample, shape "
           "(nₑ, m), which the segment above handed down: (Wᵉ⁺¹)ᵀ δᵉ⁺¹. Run the segment "
           "forward again from aˢ, then backpropagate through it. Return [grad_W, grad_b, "
           "below]: the gradients of the mean cost for the segment's layers (lists, bottom "
           "first) and below = ∂Cₓ/∂aˢ, shape (nₛ, m), to hand to the segment underneath. "
           "The checker runs it on hidden segments of one to four layers.",
    name="my_segment_backward", params=("weights", "biases", "a_s", "upstream"),
    returns="[grad_W, grad_b, below]: two lists shaped like weights and biases, and an "
            "array shaped like a_s",
    cases=_segment_cases, oracle=_segment_oracle, model=my_segment_backward,
    mistakes=[
        mistake("backward pass not written",
                "Your gradients and below are all zeros: the backward loop is not written yet. "
                "Start at the segment's top layer with upstream, work down one layer at a "
                "time, and fill in grad_W, grad_b and below on the way.",
                lambda weights, biases, a_s, upstream: [[np.zeros_like(W) for W in weights],
                                                        [np.zeros_like(b) for b in biases],
                                                        np.zeros_like(a_s)]),
        mistake("upstream taken as δᵉ",
                "The top layer's gradients are off: upstream is ∂Cₓ/∂aᵉ, not δᵉ = ∂Cₓ/∂zᵉ. "
                "Multiply it by σ′(zᵉ) = aᵉ(1 − aᵉ) first, as BP2 does in every layer.",
                lambda weights, biases, a_s, upstream: _segment(weights, biases, a_s, upstream,
                                                                top_slope=False)),
        mistake("σ′(zˢ) applied below",
                "Your gradients are right but below is not: you multiplied (Wˢ⁺¹)ᵀ δˢ⁺¹ by "
                "aˢ(1 − aˢ). That factor σ′(zˢ) belongs to layer s, the top of the segment "
                "underneath, which applies it to what you hand down.",
                lambda weights, biases, a_s, upstream: _segment(weights, biases, a_s, upstream,
                                                                slope_below=True)),
        mistake("missing 1/m",
                "Every gradient is m times too large: the cost is the mean over the batch, so "
                "BP3 and BP4 average over the m columns. (below, per sample, has no 1/m.)",
                lambda weights, biases, a_s, upstream: _segment(weights, biases, a_s, upstream,
                                                                scale=a_s.shape[1])),
    ],
    hint="Go down the segment one layer at a time, carrying ∂Cₓ/∂aˡ: each layer needs its "
         "own σ′(zˡ) before BP3 and BP4, and hands the carried quantity on through its "
         "weights.",
    explanation="Going down the segment, each layer turns the carried ∂Cₓ/∂aˡ into δˡ with its "
                "own σ′(zˡ), reads its gradients off δˡ (BP4 with aˡ⁻¹, BP3), and hands "
                "(Wˡ)ᵀ δˡ = ∂Cₓ/∂aˡ⁻¹ down. At the bottom that is ∂Cₓ/∂aˢ, exactly what the "
                "segment underneath needs as its upstream, so chaining the segments from the "
                "top, with BP1 at the output, gives backprop's gradients.")
