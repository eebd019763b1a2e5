"""The auto-checked exercises of chapter 6: weight and bias gradients (BP3, BP4)."""
from __future__ import annotations

import numpy as np

import bpcore
from bpcore.examples import running, running_batch

from ..core import function, mistake, numeric


_BATCH_DATA = ("The running example's network saw a batch of m = 4 samples: d['a'][l] is aˡ "
               "(d['a'][0] is x) and d['delta'][l] is δˡ, for l = 1, 2, each with one column "
               "per sample.")


numeric(
    id="ch6-bp4-batch", chapter=6, title="∂C/∂W² for a batch",
    prompt=_BATCH_DATA + " Use BP4 to compute ∂C/∂W², the gradient of the mean cost.",
    setup=running_batch, answer=lambda d: d.grad_W[2], given_names=("a", "delta", "m"),
    quantity="∂C/∂W²",
    mistakes=[
        mistake("transposed",
                "Your ∂C/∂W² has shape (3, 2) but should be (2, 3), the shape of W²: did you "
                "transpose? BP4 is (1/m) δ² (a¹)ᵀ: rows follow the neurons of layer 2, "
                "columns those of layer 1.",
                lambda d: d.a[1] @ d.delta[2].T / d.m),
        mistake("missing 1/m",
                "Off by a factor of m = 4: average over the batch. C is the mean cost, so "
                "∂C/∂W² = (1/m) δ² (a¹)ᵀ.",
                lambda d: d.delta[2] @ d.a[1].T),
        mistake("wrong layer",
                "You used a², the output of layer 2 (aˡ instead of aˡ⁻¹). BP4 pairs δ² "
                "with a¹, the input that W² multiplies.",
                lambda d: d.delta[2] @ d.a[2].T / d.m),
        mistake("wrong delta",
                "You used δ¹. The gradient of W² needs the delta of layer 2: δ² (a¹)ᵀ / m.",
                lambda d: d.delta[1] @ d.a[1].T / d.m),
    ],
    explanation="∂C/∂W² = (1/m) δ² (a¹)ᵀ: a (2, 4) times a (4, 3) gives the (2, 3) shape of "
                "W², already summed over the samples; dividing by m averages.")

numeric(
    id="ch6-bp3-batch", chapter=6, title="∂C/∂b² for a batch",
    prompt=_BATCH_DATA + " Use BP3 to compute ∂C/∂b², shape (2,) like b².",
    setup=running_batch, answer=lambda d: d.grad_b[2], given_names=("a", "delta", "m"),
    quantity="∂C/∂b²",
    mistakes=[
        mistake("sum instead of mean",
                "Off by a factor of m = 4: you summed δ² over the batch. Average it: "
                "delta.mean(axis=1).",
                lambda d: d.delta[2].sum(axis=1)),
        mistake("not averaged",
                "You returned δ² itself, one column per sample. BP3 averages it over the m "
                "columns.",
                lambda d: d.delta[2]),
        mistake("wrong axis",
                "You averaged over the neurons (axis=0) and got one number per sample. "
                "Average over the samples, the columns: delta.mean(axis=1).",
                lambda d: d.delta[2].mean(axis=0)),
        mistake("wrong layer",
                "You used δ¹. The bias of layer 2 takes the delta of layer 2.",
                lambda d: d.delta[1].mean(axis=1)),
    ],
    explanation="∂C/∂b² is δ² averaged over the columns: delta[2].mean(axis=1).")

numeric(
    id="ch6-bp4-single", chapter=6, title="∂C/∂W¹ of the running example",
    prompt="Compute ∂C/∂W¹ = δ¹ xᵀ for the running example (one sample, so m = 1), with δ¹ "
           "from BP2. Give the (3, 2) array; four significant figures please.",
    setup=running, answer=lambda d: d.grad_W[1], given_names=("net", "x", "y"),
    quantity="∂C/∂W¹",
    mistakes=[
        mistake("transposed",
                "Your ∂C/∂W¹ has shape (2, 3) but should be (3, 2), the shape of W¹: did you "
                "transpose? It is δ¹ xᵀ, not x (δ¹)ᵀ.",
                lambda d: d.a[0] @ d.delta[1].T),
        mistake("wrong delta",
                "You used δ², the output delta. W¹ feeds layer 1, so its gradient takes δ¹.",
                lambda d: d.delta[2] @ d.a[0].T),
        mistake("wrong layer",
                "You used a¹, the output of layer 1 (aˡ instead of aˡ⁻¹). W¹ multiplies "
                "the input x = a⁰, so ∂C/∂W¹ = δ¹ (a⁰)ᵀ.",
                lambda d: d.delta[1] @ d.a[1].T),
    ],
    explanation="∂C/∂w¹_jk = x_k δ¹_j: the outer product δ¹ xᵀ, shape (3, 1) times (1, 2).")


def _bp4_cases(rng):
    d = running_batch()
    cases = [{"delta": d.delta[2], "a_prev": d.a[1]}]
    for n, n_prev, m in [(3, 2, 1), (2, 2, 2), (4, 3, 5), (1, 4, 3)]:
        cases.append({"delta": rng.normal(size=(n, m)),
                      "a_prev": rng.uniform(0, 1, size=(n_prev, m))})
    return cases


def _bp4_oracle(delta, a_prev):
    fp = bpcore.ForwardPass((np.zeros_like(delta),), (a_prev, np.zeros_like(delta)))
    return bpcore.weight_gradients(fp, [delta])[0]


def my_weight_gradient(delta, a_prev):
    """BP4 for a batch: ∂C/∂Wˡ = (1/m) δˡ (aˡ⁻¹)ᵀ."""
    m = delta.shape[1]
    return delta @ a_prev.T / m


function(
    id="ch6-my-weight-gradient", chapter=6, title="Write BP4",
    prompt="Write def my_weight_gradient(delta, a_prev) returning ∂C/∂Wˡ = (1/m) δˡ "
           "(aˡ⁻¹)ᵀ, where delta is δˡ, shape (nₗ, m), and a_prev is aˡ⁻¹, shape "
           "(nₗ₋₁, m). The checker runs it on hidden cases of several shapes.",
    name="my_weight_gradient", params=("delta", "a_prev"),
    returns="an array of shape (nₗ, nₗ₋₁), the shape of Wˡ",
    cases=_bp4_cases, oracle=_bp4_oracle, model=my_weight_gradient,
    mistakes=[
        mistake("missing 1/m",
                "Off by a factor of m: average over the batch. The cost is a mean, so "
                "∂C/∂Wˡ = (1/m) δˡ (aˡ⁻¹)ᵀ.",
                lambda delta, a_prev: delta @ a_prev.T),
        mistake("transposed",
                "Your gradient is transposed: it must have the shape of Wˡ, "
                "(nₗ, nₗ₋₁). It is δˡ (aˡ⁻¹)ᵀ, not aˡ⁻¹ (δˡ)ᵀ.",
                lambda delta, a_prev: a_prev @ delta.T / delta.shape[1]),
        mistake("divided by the wrong size",
                "You divided by a layer size instead of the batch size m, the number of "
                "columns: m = delta.shape[1].",
                lambda delta, a_prev: delta @ a_prev.T / a_prev.shape[0]),
    ],
    explanation="One matrix product sums the m outer products δ (a_prev)ᵀ; dividing by m "
                "averages them.")
