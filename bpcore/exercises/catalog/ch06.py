"""The auto-checked exercises of chapter 6: weight and bias gradients (BP3, BP4)."""
from __future__ import annotations

import numpy as np

import bpcore
from bpcore.activations import sigmoid_prime
from bpcore.examples import network_state, running, running_batch
from bpcore.formula import Formula, random_networks

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
                "W², already summed over the samples; dividing by m averages.",
    formula=Formula(
        question="Type BP4 for the output layer of a 2-layer network on a batch: ∂C/∂W² as a "
                 "formula in a0 = x, a1 = a¹, a2 = a², delta1 = δ¹, delta2 = δ² (one column "
                 "per sample) and the batch size m.",
        symbols={"a0": ("a^{0}", lambda d: d.a[0]), "a1": ("a^{1}", lambda d: d.a[1]),
                 "a2": ("a^{2}", lambda d: d.a[2]),
                 "delta1": ("\\delta^{1}", lambda d: d.delta[1]),
                 "delta2": ("\\delta^{2}", lambda d: d.delta[2]), "m": ("m", lambda d: d.m)},
        label="the running example on a batch of 4",
        variants=random_networks(((3, 4, 2), 5), ((2, 3, 3), 3)),
        solution="delta2 * a1' / m",
        mistakes={"transposed": "a1 * delta2' / m",
                  "missing 1/m": "delta2 * a1'",
                  "wrong layer": "delta2 * a2' / m",
                  "wrong delta": "delta1 * a1' / m"}))

numeric(
    id="ch6-bp3-batch", chapter=6, title="∂C/∂b² for a batch",
    prompt=_BATCH_DATA + " Use BP3 to compute ∂C/∂b², shape (2,) like b².",
    setup=running_batch, answer=lambda d: d.grad_b[2], given_names=("a", "delta", "m"),
    quantity="∂C/∂b²",
    mistakes=[
        mistake("sum instead of mean",
                "Off by a factor of m = 4: you summed δ² over the batch. BP3 averages it over "
                "the samples.",
                lambda d: d.delta[2].sum(axis=1)),
        mistake("not averaged",
                "You returned δ² itself, one column per sample. BP3 averages it over the m "
                "columns.",
                lambda d: d.delta[2]),
        mistake("wrong axis",
                "You averaged over the neurons (axis=0) and got one number per sample. BP3 "
                "averages over the samples, which are the columns.",
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


# -- Derivation exercises: cases the chapter did not work out ------------------------------

def _augmented(d, row):
    """[a¹; row] for the batch: the input of layer 2 with one extra row appended."""
    return np.vstack([d.a[1], np.full((1, d.m), row)])


numeric(
    id="ch6-bias-as-weight", chapter=6, title="The bias as a weight on a constant input",
    prompt="Fold the bias of layer 2 into its weights, as Rumelhart, Hinton and Williams do: "
           "Ŵ² = [W² | b²], shape (2, 4), multiplies the input a¹ extended by one more entry "
           "that is always 1, so that z² = Ŵ² â¹. " + _BATCH_DATA + " Using BP4 alone (no "
           "separate rule for the bias), derive and compute ∂C/∂Ŵ² for this batch: the "
           "(2, 4) array whose first three columns are ∂C/∂W² and whose last is ∂C/∂b².",
    setup=running_batch,
    answer=lambda d: np.hstack([d.grad_W[2], d.grad_b[2][:, None]]),
    given_names=("a", "delta", "m"), quantity="∂C/∂Ŵ²",
    mistakes=[
        mistake("missing 1/m",
                "Off by a factor of m = 4: BP4 with the extended input is still the gradient "
                "of the mean cost, so it averages over the batch.",
                lambda d: d.delta[2] @ _augmented(d, 1.0).T),
        mistake("extra input 0",
                "Your last column is zero: the extra input must be the constant 1 that the "
                "bias multiplies (z² = W² a¹ + b² · 1), not 0.",
                lambda d: d.delta[2] @ _augmented(d, 0.0).T / d.m),
        mistake("bias column first",
                "Your columns are shifted: the constant input is the LAST entry of â¹, so "
                "the bias gradient is the last column and ∂C/∂W² the first three.",
                lambda d: d.delta[2] @ np.vstack([np.ones((1, d.m)), d.a[1]]).T / d.m),
        mistake("transposed",
                "Your ∂C/∂Ŵ² has shape (4, 2) but should be (2, 4), the shape of Ŵ²: it is "
                "δ² times the transposed extended input, not the other way round.",
                lambda d: _augmented(d, 1.0) @ d.delta[2].T / d.m),
    ],
    hint="Write â¹ = [a¹; 1] (shape (4, m)) and apply BP4 to Ŵ² as to any weight matrix.",
    explanation="∂C/∂Ŵ² = (1/m) δ² (â¹)ᵀ with â¹ = [a¹; 1]: the last column is "
                "(1/m) Σ_x δ²_x · 1, which is BP3.")


def _one_two_one():
    net = bpcore.Network([np.array([[0.5], [-1.0]]), np.array([[1.5, -0.7]])],
                         [np.array([0.1, 0.2]), np.array([0.05])], ["sigmoid", "identity"])
    return network_state(net, np.array([[0.8]]), np.array([[0.3]]))


def _hidden_sigmoid_slope(d):
    return d.a[1] * (1 - d.a[1])


numeric(
    id="ch6-one-two-one", chapter=6, title="∂C/∂W¹ of a 1-2-1 network with a linear output",
    prompt="A 1-2-1 network has a sigmoid hidden layer and a LINEAR output, a² = z² (the "
           "identity activation, as in regression), with the quadratic cost "
           "C = ½ (a² − y)² on one sample. d['net'] holds its weights, d['x'] = 0.8 and "
           "d['y'] = 0.3. Derive δ², δ¹ and ∂C/∂W¹ for this network by hand (the chapter "
           "only worked out sigmoid outputs) and give ∂C/∂W¹, shape (2, 1).",
    setup=_one_two_one, answer=lambda d: d.grad_W[1], given_names=("net", "x", "y"),
    quantity="∂C/∂W¹",
    mistakes=[
        mistake("σ′ at the linear output",
                "You multiplied the output error by σ′(z²), as for a sigmoid output. This "
                "output is linear, a² = z²: BP1's second factor is the slope of the identity, "
                "not of σ.",
                lambda d: ((d.W[2].T @ ((d.a[2] - d.y) * sigmoid_prime(d.z[2])))
                           * _hidden_sigmoid_slope(d)) @ d.x.T),
        mistake("missing σ′(z¹)",
                "You left out the hidden layer's slope: BP2 multiplies (W²)ᵀ δ² by σ′(z¹) "
                "= a¹(1 − a¹) before BP4 uses it.",
                lambda d: (d.W[2].T @ (d.a[2] - d.y)) @ d.x.T),
        mistake("sign flipped",
                "Your gradient has the wrong sign: the quadratic cost ½(a² − y)² has "
                "derivative a² − y with respect to a², not y − a².",
                lambda d: ((d.W[2].T @ (d.y - d.a[2])) * _hidden_sigmoid_slope(d)) @ d.x.T),
    ],
    hint="Work from the output back: δ² from BP1 with the identity's slope, δ¹ from BP2, "
         "then BP4 with a⁰ = x.",
    explanation="δ² = a² − y (the identity's slope is 1); δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹); "
                "∂C/∂W¹ = δ¹ xᵀ, shape (2, 1).")


# -- Part I's whole algorithm, written by the learner --------------------------------------

def _backprop_cases(rng):
    ex = bpcore.examples.running_example()
    cases = [{"weights": list(ex.net.weights), "biases": list(ex.net.biases),
              "x": ex.x, "y": ex.y}]
    for sizes, m in [([3, 4, 2], 5), ([2, 3, 3, 1], 4), ([4, 2, 5, 3, 2], 3), ([1, 1], 2)]:
        net = bpcore.Network.random(sizes, seed=rng)
        cases.append({"weights": list(net.weights),
                      "biases": [rng.normal(0.0, 0.5, size=b.shape) for b in net.biases],
                      "x": rng.normal(size=(sizes[0], m)),
                      "y": rng.uniform(0, 1, size=(sizes[-1], m))})
    return cases


def _gradients(weights, biases, x, y, loss="mse"):
    g = bpcore.backprop(bpcore.Network(weights, biases, "sigmoid"), x, y, loss)
    return [list(g.weights), list(g.biases)]


def _times_m(weights, biases, x, y):
    m = x.shape[1]
    grad_W, grad_b = _gradients(weights, biases, x, y)
    return [[g * m for g in grad_W], [g * m for g in grad_b]]


def _no_hidden_slope(weights, biases, x, y):
    """BP2 without the factor f'(z^l): delta^l = (W^{l+1})^T delta^{l+1}."""
    net = bpcore.Network(weights, biases, "sigmoid")
    fp = bpcore.forward(net, x)
    deltas = [bpcore.output_delta(net, fp, y)]
    for l in range(net.n_layers - 1, 0, -1):
        deltas.insert(0, net.W(l + 1).T @ deltas[0])
    return [list(bpcore.weight_gradients(fp, deltas)), list(bpcore.bias_gradients(deltas))]


def my_backprop(weights, biases, x, y):
    """The gradients of the mean quadratic cost of a sigmoid network, for a batch."""
    a, zs = [x], []
    for W, b in zip(weights, biases):                     # forward pass, keeping z and a
        zs.append(W @ a[-1] + b[:, None])
        a.append(1 / (1 + np.exp(-zs[-1])))
    m = x.shape[1]
    L = len(weights)
    grad_W, grad_b = [None] * L, [None] * L
    delta = (a[L] - y) * a[L] * (1 - a[L])                # BP1, one column per sample
    for l in range(L, 0, -1):                             # layers L, L-1, ..., 1
        grad_W[l - 1] = delta @ a[l - 1].T / m            # BP4
        grad_b[l - 1] = delta.mean(axis=1)                # BP3
        if l > 1:
            delta = (weights[l - 1].T @ delta) * a[l - 1] * (1 - a[l - 1])   # BP2
    return [grad_W, grad_b]


function(
    id="ch6-my-backprop", chapter=6, title="Write backpropagation",
    prompt="Write def my_backprop(weights, biases, x, y) for a network with sigmoid "
           "activations in every layer and the quadratic cost, C the mean over the batch. "
           "weights is the list [W¹, ..., Wᴸ] (Wˡ of shape (nₗ, nₗ₋₁)), biases the list "
           "[b¹, ..., bᴸ] (bˡ of shape (nₗ,)), x the inputs (n₀, m) and y the targets "
           "(n_L, m), one column per sample. Return [grad_W, grad_b]: two lists shaped like "
           "weights and biases, ∂C/∂Wˡ and ∂C/∂bˡ for every layer. Use numpy only, not "
           "bpcore.backprop; the checker runs it on hidden networks of one to four layers "
           "and batches of one to five samples.",
    name="my_backprop", params=("weights", "biases", "x", "y"),
    returns="[grad_W, grad_b], two lists shaped like weights and biases",
    cases=_backprop_cases, oracle=_gradients, model=my_backprop,
    mistakes=[
        mistake("missing 1/m",
                "Every gradient is m times too large: the cost is the mean over the batch, "
                "so BP3 and BP4 average over the m columns.",
                _times_m),
        mistake("a - y at the output",
                "Your output layer's δ is a − y: that holds for a sigmoid output with binary "
                "cross-entropy, not with the quadratic cost, where BP1 keeps the factor "
                "σ′(zᴸ) = aᴸ(1 − aᴸ).",
                lambda weights, biases, x, y: _gradients(weights, biases, x, y,
                                                         "binary_cross_entropy")),
        mistake("BP2 without σ′",
                "The output layer's gradients are right but the hidden layers' are not: BP2 "
                "multiplies (Wˡ⁺¹)ᵀ δˡ⁺¹ by σ′(zˡ), entry by entry, before it goes on.",
                _no_hidden_slope),
    ],
    hint="Keep every aˡ from the forward pass. BP1 gives δᴸ; then, from l = L down to 1, BP4 "
         "and BP3 use δˡ and aˡ⁻¹, and BP2 gives δˡ⁻¹ from δˡ.",
    explanation="The forward pass keeps every aˡ. BP1 starts the backward pass at the "
                "output; for each layer from L down to 1, BP4 and BP3 turn δˡ into the "
                "layer's gradients (the mean over the batch), and BP2 carries δ one layer "
                "down. One forward and one backward pass give every gradient.")
