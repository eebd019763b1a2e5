"""The auto-checked exercises of chapter 5: hidden-layer deltas (BP2)."""
from __future__ import annotations

import numpy as np

import bpcore
from bpcore.activations import sigmoid, sigmoid_prime
from bpcore.examples import network_state, running
from bpcore.formula import Formula, random_networks

from ..core import function, mistake, numeric
from ._shared import mnist_state, with_fields


numeric(
    id="ch5-bp2-delta1", chapter=5, title="The hidden delta δ¹ of the running example",
    prompt="Use BP2 to compute δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹) for the running example (quadratic "
           "cost). Give the (3, 1) column.",
    setup=running, answer=lambda d: d.delta[1], given_names=("net", "x", "y"), quantity="δ¹",
    mistakes=[
        mistake("W not transposed",
                "Your δ¹ has shape (1, 3) but should be (3, 1): W² was not transposed. "
                "W² has shape (2, 3), so W² δ² does not fit, and turning δ² into a row to "
                "make it fit transposes the result. BP2 sends δ² back through (W²)ᵀ, shape "
                "(3, 2), giving a (3, 1) column.",
                lambda d: (d.delta[2].T @ d.W[2]) * sigmoid_prime(d.z[1]).T),
        mistake("missing σ′",
                "You left out σ′(z¹): BP2 is δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹).",
                lambda d: d.W[2].T @ d.delta[2]),
        mistake("wrong layer",
                "You used W¹, the weights into the hidden layer. δ² travels back through the "
                "weights it came out of, W² (transposed).",
                lambda d: (d.W[1] @ d.delta[2]) * sigmoid_prime(d.z[1])),
        mistake("σ′ of the activation",
                "You used a where the pre-activation z is needed: σ′(a¹) instead of σ′(z¹).",
                lambda d: (d.W[2].T @ d.delta[2]) * sigmoid_prime(d.a[1])),
    ],
    hint="BP2: δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹).",
    explanation="(W²)ᵀ has shape (3, 2) and δ² shape (2, 1): their product is a (3, 1) "
                "column, multiplied entry by entry by σ′(z¹).",
    formula=Formula(
        question="Type BP2 for the hidden layer of a 2-layer sigmoid network: δ¹ as a formula "
                 "in W1 = W¹, W2 = W², delta2 = δ², z1 = z¹ and a1 = a¹ (one column per "
                 "sample).",
        symbols={"W1": ("W^{1}", lambda d: d.W[1]), "W2": ("W^{2}", lambda d: d.W[2]),
                 "delta2": ("\\delta^{2}", lambda d: d.delta[2]),
                 "z1": ("z^{1}", lambda d: d.z[1]), "a1": ("a^{1}", lambda d: d.a[1])},
        functions=("sigma", "sigma_prime"), label="the running example",
        variants=random_networks(((3, 4, 3), 2), ((2, 5, 2), 3)),
        solution="W2' * delta2 .* sigma_prime(z1)",
        mistakes={"W not transposed": "(delta2' * W2) .* sigma_prime(z1)'",
                  "missing σ′": "W2' * delta2",
                  "wrong layer": "W1 * delta2 .* sigma_prime(z1)",
                  "σ′ of the activation": "W2' * delta2 .* sigma_prime(a1)"}))


def _bp2_batch():
    net = bpcore.Network.random([3, 4, 2], seed=5)
    rng = np.random.default_rng(5)
    x = np.round(rng.uniform(-1, 1, size=(3, 5)), 2)
    y = np.round(rng.uniform(0, 1, size=(2, 5)), 2)
    d = network_state(net, x, y)
    return with_fields(d, W2=d.W[2], delta2=d.delta[2], z1=d.z[1])


numeric(
    id="ch5-bp2-batch", chapter=5, title="δ¹ for a batch",
    prompt="A 3-4-2 sigmoid network saw a batch of m = 5 samples. d['W2'] is W², d['delta2'] "
           "holds δ² (shape (2, 5), one column per sample) and d['z1'] holds z¹ (4, 5). "
           "Compute δ¹ for the whole batch at once.",
    setup=_bp2_batch, answer=lambda d: d.delta[1], given_names=("W2", "delta2", "z1"),
    quantity="δ¹",
    mistakes=[
        mistake("divided by m",
                "Off by a factor of 1/m: deltas are per sample and are not averaged. The 1/m "
                "enters only in the gradients, BP3 and BP4.",
                lambda d: (d.W2.T @ d.delta2) * sigmoid_prime(d.z1) / d.m),
        mistake("missing σ′",
                "You left out σ′(z¹): BP2 is δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹).",
                lambda d: d.W2.T @ d.delta2),
        mistake("averaged over the batch",
                "δ¹ keeps one column per sample, shape (4, 5); you averaged the columns. "
                "Averaging over the batch happens in BP3 and BP4.",
                lambda d: np.mean((d.W2.T @ d.delta2) * sigmoid_prime(d.z1), axis=1,
                                  keepdims=True)),
    ],
    hint="The formula is the same as for one sample; the matrix product handles every "
         "column at once.",
    explanation="δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹) with δ² of shape (2, 5) gives a (4, 5) array, "
                "column j being the delta of sample j.")


def _bp2_cases(rng):
    d = running()
    cases = [{"W_next": d.W[2], "delta_next": d.delta[2], "z": d.z[1]}]
    for n, n_next, m in [(4, 2, 3), (3, 3, 2), (2, 5, 1), (5, 1, 4)]:
        cases.append({"W_next": rng.normal(size=(n_next, n)),
                      "delta_next": rng.normal(size=(n_next, m)),
                      "z": rng.normal(size=(n, m))})
    return cases


def _bp2_oracle(W_next, delta_next, z):
    # Layer 1 with W = I, b = 0 has z^1 = x; layer 2 has W^2 = W_next. BP2 is bpcore's.
    n, n_next = z.shape[0], W_next.shape[0]
    net = bpcore.Network([np.eye(n), W_next], [np.zeros(n), np.zeros(n_next)], "sigmoid")
    return bpcore.hidden_deltas(net, bpcore.forward(net, z), delta_next)[0]


def my_hidden_delta(W_next, delta_next, z):
    """BP2 for a sigmoid layer: δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)."""
    return (W_next.T @ delta_next) * bpcore.activations.sigmoid_prime(z)


function(
    id="ch5-my-hidden-delta", chapter=5, title="Write BP2",
    prompt="Write def my_hidden_delta(W_next, delta_next, z) returning "
           "δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ) for a sigmoid layer l. W_next is Wˡ⁺¹, "
           "shape (nₗ₊₁, nₗ); delta_next is δˡ⁺¹, shape (nₗ₊₁, m); z is zˡ, shape "
           "(nₗ, m). The checker runs it on hidden cases of several shapes.",
    name="my_hidden_delta", params=("W_next", "delta_next", "z"),
    returns="δˡ, an array of the shape of z",
    cases=_bp2_cases, oracle=_bp2_oracle, model=my_hidden_delta,
    mistakes=[
        mistake("W not transposed",
                "Wˡ⁺¹ was not transposed: it has shape (nₗ₊₁, nₗ), so Wˡ⁺¹ δˡ⁺¹ does not fit. "
                "BP2 sends the delta back through the transpose (Wˡ⁺¹)ᵀ, as the prompt's "
                "formula says.",
                lambda W_next, delta_next, z: (W_next @ delta_next) * sigmoid_prime(z),
                error="matmul"),
        mistake("missing σ′",
                "You left out σ′(z): BP2 multiplies (Wˡ⁺¹)ᵀ δˡ⁺¹ entry by entry by "
                "σ′(zˡ).",
                lambda W_next, delta_next, z: W_next.T @ delta_next),
        mistake("σ′ of the activation",
                "You applied σ′ to σ(z), the activation. BP2 needs σ′ at the pre-activation "
                "z itself.",
                lambda W_next, delta_next, z: (W_next.T @ delta_next)
                * sigmoid_prime(sigmoid(z))),
    ],
    explanation="A matrix product with the transposed weights, then an entry-by-entry "
                "product with σ′(z).")


numeric(
    id="ch5-delta-shape", chapter=5, title="The shape of δ¹ for a batch",
    prompt="A 784-30-10 network is trained on a batch of m = 64 samples (one column each). "
           "What is the shape of δ¹? Answer with a tuple.",
    setup=mnist_state, answer=lambda d: d.delta[1].shape, quantity="the shape of δ¹",
    rtol=0.0, atol=1e-9,
    mistakes=[
        mistake("samples as rows",
                "Samples are columns in this book: δ¹ has one row per hidden neuron and one "
                "column per sample.",
                lambda d: d.delta[1].shape[::-1]),
        mistake("output layer",
                "That is the shape of δ², the output layer's delta. δ¹ belongs to the hidden "
                "layer: how many neurons does it have?",
                lambda d: d.delta[2].shape),
        mistake("averaged over the batch",
                "Deltas keep one column per sample; only the gradients (BP3, BP4) average "
                "over the batch.",
                lambda d: (d.delta[1].shape[0], 1)),
    ],
    explanation="δˡ has the shape of zˡ: (nₗ, m) = (30, 64).")


# -- Derivation exercises: BP2 through a layer the chapter did not work out ----------------

def _tanh_hidden():
    ex = bpcore.examples.running_example()
    net = bpcore.Network(ex.net.weights, ex.net.biases, ["tanh", "sigmoid"])
    return network_state(net, ex.x, ex.y, ex.loss)


def _tanh_back(d):
    return d.W[2].T @ d.delta[2]


numeric(
    id="ch5-bp2-tanh", chapter=5, title="BP2 through a tanh layer",
    prompt="The running example's weights, but its hidden layer uses tanh instead of the "
           "sigmoid (the output layer stays sigmoid, the cost quadratic). Derive the hidden "
           "delta for this layer (the derivative of tanh is yours to work out) and compute "
           "δ¹ for the running example's sample. Give the (3, 1) column. You may take δ² "
           "from bpcore.output_delta.",
    setup=_tanh_hidden, answer=lambda d: d.delta[1], given_names=("net", "x", "y"),
    quantity="δ¹",
    mistakes=[
        mistake("σ′ kept",
                "You multiplied by σ′(z¹), the sigmoid's slope. This hidden layer is tanh: "
                "BP2 takes the slope of the layer's own activation, tanh′(z¹).",
                lambda d: _tanh_back(d) * sigmoid_prime(d.z[1])),
        mistake("sigmoid shortcut a(1 − a)",
                "You used a¹(1 − a¹), the sigmoid's slope written with its output. For tanh "
                "the slope written with the output a = tanh(z) is different: differentiate "
                "tanh(z) = sinh(z)/cosh(z) and write the result in terms of tanh(z).",
                lambda d: _tanh_back(d) * d.a[1] * (1 - d.a[1])),
        mistake("missing f′",
                "You stopped at (W²)ᵀ δ²: that is ∂C/∂a¹. The delta is ∂C/∂z¹, so one more "
                "factor, the slope of tanh at z¹, is needed.",
                _tanh_back),
    ],
    hint="δ¹ = ∂C/∂z¹: first carry δ² back to ∂C/∂a¹, then account for a¹ = tanh(z¹).",
    explanation="tanh′(z) = 1 − tanh²(z), so δ¹ = ((W²)ᵀ δ²) ⊙ (1 − (a¹)²), with a¹ = tanh(z¹).")


def _relu_hidden():
    net = bpcore.Network.random([3, 4, 2], ["relu", "sigmoid"], seed=11)
    rng = np.random.default_rng(11)
    x = np.round(rng.uniform(-1, 1, size=(3, 3)), 2)
    y = np.round(rng.uniform(0, 1, size=(2, 3)), 2)
    d = network_state(net, x, y)
    return with_fields(d, W2=d.W[2], delta2=d.delta[2], z1=d.z[1])


def _relu_back(d):
    return d.W2.T @ d.delta2


numeric(
    id="ch5-bp2-relu", chapter=5, title="BP2 through a ReLU layer",
    prompt="A 3-4-2 network has a ReLU hidden layer, relu(z) = max(0, z), and a sigmoid "
           "output layer; it saw a batch of m = 3 samples. d['W2'] is W², d['delta2'] holds "
           "δ² (shape (2, 3), one column per sample) and d['z1'] holds z¹ (shape (4, 3)). "
           "Derive BP2 for a ReLU layer (take the slope at z = 0 to be 0, as bpcore does) "
           "and compute δ¹ for the whole batch.",
    setup=_relu_hidden, answer=lambda d: d.delta[1], given_names=("W2", "delta2", "z1"),
    quantity="δ¹",
    mistakes=[
        mistake("multiplied by a",
                "You multiplied by relu(z¹) = a¹, the activation itself. BP2 multiplies by "
                "the SLOPE of the activation at z¹: what is the slope of max(0, z) on each "
                "side of 0?",
                lambda d: _relu_back(d) * np.maximum(d.z1, 0)),
        mistake("σ′ kept",
                "You multiplied by σ′(z¹), the sigmoid's slope, but this hidden layer is "
                "ReLU: use the slope of relu at z¹.",
                lambda d: _relu_back(d) * sigmoid_prime(d.z1)),
        mistake("missing f′",
                "You stopped at (W²)ᵀ δ², which is ∂C/∂a¹. One more factor, the slope of relu "
                "at z¹, turns it into ∂C/∂z¹: ask what a small change of z does to the output "
                "of a neuron whose z is negative, and of one whose z is positive.",
                _relu_back),
    ],
    hint="The slope of relu is a step: what is d relu/dz for z > 0, and for z < 0?",
    explanation="relu′(z) = 𝟙[z > 0], so δ¹ = ((W²)ᵀ δ²) ⊙ 𝟙[z¹ > 0]: the error passes "
                "unchanged through active neurons and stops at the others.")
