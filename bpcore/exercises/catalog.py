"""The auto-checked exercises of part I (chapters 1-6).

Each exercise is one call: :func:`numeric`, :func:`symbolic` or :func:`function` builds it
and adds it to the catalog.  Reference answers and the wrong answers of catalogued mistakes
are both computed with bpcore from the exercise's data, so no number is typed in twice.

To add an exercise for a later chapter, copy an entry and change it; see the guide in
``bpcore/exercises/__init__.py``.  The data namespaces come from :func:`network_state`,
whose dicts are keyed by the layer number l of the book: ``d.W[2]`` is W², ``d.z[1]`` is
z¹, ``d.a[0]`` is the input x, ``d.delta[2]`` is δ².
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import sympy

import bpcore
from bpcore.activations import sigmoid, sigmoid_prime, tanh

from .core import FunctionExercise, NumericExercise, SymbolicExercise, mistake, register

__all__ = ["network_state", "running", "running_batch", "numeric", "symbolic", "function"]


def numeric(**fields):
    """Build a :class:`NumericExercise` from keyword fields and register it."""
    return register(NumericExercise(**fields))


def symbolic(**fields):
    """Build a :class:`SymbolicExercise` from keyword fields and register it."""
    return register(SymbolicExercise(**fields))


def function(**fields):
    """Build a :class:`FunctionExercise` from keyword fields and register it."""
    return register(FunctionExercise(**fields))


# --------------------------------------------------------------------------------------
# Data.

def network_state(net, x, y, loss="mse"):
    """Everything the part-I chapters compute for ``net`` on the batch (x, y).

    Dicts keyed by the layer number l: ``W[l]``, ``b[l]``, ``z[l]``, ``a[l]`` (``a[0]`` is
    x), ``delta[l]``, ``grad_W[l]``, ``grad_b[l]``; plus ``net``, ``x``, ``y``, ``loss``,
    ``L``, the batch size ``m`` and the cost ``C``.  All computed with bpcore.

    >>> d = running()
    >>> d.z[1].shape, d.delta[2].shape, d.m
    ((3, 1), (2, 1), 1)
    """
    fp = bpcore.forward(net, x)
    L = net.n_layers
    deltas = bpcore.hidden_deltas(net, fp, bpcore.output_delta(net, fp, y, loss))
    grads = bpcore.backprop(net, x, y, loss)
    layers = range(1, L + 1)
    return SimpleNamespace(
        net=net, x=x, y=y, loss=loss, L=L, m=x.shape[1],
        W={l: net.weights[l - 1] for l in layers}, b={l: net.biases[l - 1] for l in layers},
        z={l: fp.zs[l - 1] for l in layers}, a={l: fp.activations[l] for l in range(L + 1)},
        delta={l: deltas[l - 1] for l in layers},
        grad_W={l: grads.weights[l - 1] for l in layers},
        grad_b={l: grads.biases[l - 1] for l in layers},
        C=bpcore.cost(net, x, y, loss))


def running():
    """The running example (2-3-2 sigmoid network, one sample, quadratic cost)."""
    ex = bpcore.examples.running_example()
    return network_state(ex.net, ex.x, ex.y, ex.loss)


def running_batch(m=4, seed=6):
    """The running example's network on a seeded batch of ``m`` inputs and targets."""
    ex = bpcore.examples.running_example()
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0.0, 1.0, size=(2, m)), 2)
    y = np.round(rng.uniform(0.01, 0.99, size=(2, m)), 2)
    return network_state(ex.net, x, y, ex.loss)


def _with(ns, **extra):
    """A copy of namespace ``ns`` with extra attributes."""
    return SimpleNamespace(**{**vars(ns), **extra})


def _sigma(u):
    """σ(u) = 1 / (1 + e^(−u)), as a sympy expression."""
    return 1 / (1 + sympy.exp(-u))


def _sigma_prime(u):
    return sympy.diff(_sigma(sympy.Symbol("u")), sympy.Symbol("u")).subs(sympy.Symbol("u"), u)


# ======================================================================================
# Chapter 1: neurons, layers and the forward pass.

numeric(
    id="ch1-forward-z1", chapter=1, title="The weighted input z¹ of the running example",
    prompt="Compute z¹ = W¹x + b¹ for the running example (W¹ = d['net'].weights[0], "
           "b¹ = d['net'].biases[0]). Give the (3, 1) column.",
    setup=running, answer=lambda d: d.z[1], given_names=("net", "x"), quantity="z¹",
    mistakes=[
        mistake("bias added as a row",
                "Your z¹ has shape (3, 3): NumPy broadcast the column W¹x, shape (3, 1), "
                "against b¹, shape (3,), into a 3×3 table. Add b¹ as a column: "
                "W1 @ x + b1[:, None].",
                lambda d: d.W[1] @ d.a[0] + d.b[1]),
        mistake("bias left out",
                "You left out the bias: z¹ = W¹x + b¹, with b¹ added to every row.",
                lambda d: d.W[1] @ d.a[0]),
        mistake("activation instead of weighted input",
                "That is a¹ = σ(z¹), the activation. z¹ is the weighted input, before σ is "
                "applied.",
                lambda d: d.a[1]),
    ],
    hint="z¹_j = Σ_k w¹_jk x_k + b¹_j: row j of W¹ times x, plus b¹_j.",
    explanation="z¹ = W¹x + b¹: each row of W¹ holds the weights into one hidden neuron. In "
                "NumPy, W1 @ x + b1[:, None], where the bias becomes a column.")

numeric(
    id="ch1-forward-a1", chapter=1, title="The hidden activation a¹ of the running example",
    prompt="Compute a¹ = σ(z¹) for the running example, with σ the logistic sigmoid. Give "
           "the (3, 1) column.",
    setup=running, answer=lambda d: d.a[1], given_names=("net", "x"), quantity="a¹",
    mistakes=[
        mistake("weighted input instead of activation",
                "That is z¹, the weighted input. The activation applies σ to it: "
                "a¹ = σ(z¹).",
                lambda d: d.z[1]),
        mistake("bias left out",
                "You left out the bias inside σ: a¹ = σ(W¹x + b¹).",
                lambda d: sigmoid(d.W[1] @ d.a[0])),
        mistake("tanh instead of sigmoid",
                "You applied tanh. The running example uses the logistic sigmoid "
                "σ(z) = 1 / (1 + e^(−z)), whose values lie in (0, 1).",
                lambda d: tanh(d.z[1])),
    ],
    hint="Every entry of a¹ lies between 0 and 1.",
    explanation="a¹ = σ(z¹) = 1 / (1 + e^(−z¹)), entry by entry.")

numeric(
    id="ch1-forward-output", chapter=1, title="The output a² of the running example",
    prompt="Run the whole forward pass of the running example and give its output "
           "a² = σ(W²a¹ + b²), a (2, 1) column.",
    setup=running, answer=lambda d: d.a[2], given_names=("net", "x"), quantity="a²",
    mistakes=[
        mistake("weighted input instead of activation",
                "That is z², the output layer's weighted input; the output is a² = σ(z²).",
                lambda d: d.z[2]),
        mistake("hidden activation skipped",
                "You fed z¹ into layer 2. Layer 2 takes the hidden activation: "
                "z² = W²a¹ + b² with a¹ = σ(z¹).",
                lambda d: sigmoid(d.W[2] @ d.z[1] + d.b[2][:, None])),
        mistake("output bias left out",
                "You left out the output bias: a² = σ(W²a¹ + b²).",
                lambda d: sigmoid(d.W[2] @ d.a[1])),
    ],
    hint="Two layers: a¹ = σ(W¹x + b¹), then a² = σ(W²a¹ + b²).",
    explanation="a¹ = σ(W¹x + b¹) and a² = σ(W²a¹ + b²); bpcore.forward(net, x).output "
                "gives the same column.")


def _mnist_state():
    net = bpcore.Network.random([784, 30, 10], seed=0)
    x = np.zeros((784, 64))
    y = np.zeros((10, 64))
    return network_state(net, x, y)


numeric(
    id="ch1-batch-shape", chapter=1, title="The shape of the output for a batch",
    prompt="A 784-30-10 network gets a batch of m = 64 images, stored the book's way (one "
           "column per sample). What is the shape of its output a²? Answer with a tuple "
           "such as (3, 5).",
    setup=_mnist_state, answer=lambda d: d.a[2].shape, quantity="the shape of a²",
    rtol=0.0, atol=1e-9,
    mistakes=[
        mistake("samples as rows",
                "Samples are columns in this book: a² has one row per output neuron and one "
                "column per sample.",
                lambda d: d.a[2].shape[::-1]),
        mistake("hidden layer",
                "That is the shape of a¹, the hidden layer (30 neurons). The output layer has "
                "10 neurons.",
                lambda d: d.a[1].shape),
        mistake("input layer",
                "That is the shape of the input x = a⁰. The output has one row per output "
                "neuron.",
                lambda d: d.a[0].shape),
    ],
    hint="aˡ has shape (nₗ, m).",
    explanation="a² has one row per output neuron and one column per sample: (10, 64).")


def _layer_cases(rng):
    """Inputs for a one-layer forward pass: the running example's layer 1, then random."""
    ex = bpcore.examples.running_example()
    cases = [{"W": ex.net.weights[0], "b": ex.net.biases[0], "a": ex.x}]
    for n_out, n_in, m in [(2, 3, 4), (4, 4, 4), (1, 3, 5), (3, 3, 3), (5, 2, 1)]:
        cases.append({"W": rng.normal(size=(n_out, n_in)), "b": rng.normal(size=n_out),
                      "a": rng.uniform(-1, 1, size=(n_in, m))})
    return cases


def _forward_oracle(W, b, a):
    net = bpcore.Network([W], [b], "sigmoid")
    return bpcore.forward(net, a).output


def my_forward(W, b, a):
    """One sigmoid layer for a batch: a_out = σ(W a + b), b added to every column."""
    z = W @ a + b[:, None]
    return bpcore.activations.sigmoid(z)


function(
    id="ch1-my-forward", chapter=1, title="Write one layer's forward pass",
    prompt="Write def my_forward(W, b, a) that returns σ(W a + b) for a batch a of shape "
           "(n_in, m), with W of shape (n_out, n_in) and b of shape (n_out,). It must work "
           "for any m, and b must be added to every column.",
    name="my_forward", params=("W", "b", "a"), returns="an array of shape (n_out, m)",
    cases=_layer_cases, oracle=_forward_oracle, model=my_forward,
    mistakes=[
        mistake("bias added along the wrong axis",
                "b has shape (n_out,) and W a has shape (n_out, m): NumPy lines b up with "
                "the last axis, the samples, not the neurons. Add b to every column: "
                "b[:, None].",
                lambda W, b, a: sigmoid(W @ a + b), error="broadcast"),
        mistake("activation not applied",
                "You returned z = W a + b. The layer's output is its activation σ(z).",
                lambda W, b, a: W @ a + b[:, None]),
        mistake("bias left out",
                "You left out the bias: σ(W a + b).",
                lambda W, b, a: sigmoid(W @ a)),
    ],
    explanation="W @ a is the matrix product, b[:, None] turns b into a column so it is "
                "added to every sample, and σ acts entry by entry.")

# ======================================================================================
# Chapter 2: cost and gradient descent.


def _cost_batch():
    rng = np.random.default_rng(2)
    a = np.round(rng.uniform(0.05, 0.95, size=(3, 4)), 2)
    y = np.round(rng.uniform(0.0, 1.0, size=(3, 4)), 2)
    return SimpleNamespace(a=a, y=y, m=4,
                           C=bpcore.losses.value("mse", y, a, None, "sigmoid"))


numeric(
    id="ch2-cost-batch", chapter=2, title="The quadratic cost of a batch",
    prompt="d['a'] holds a network's outputs for a batch of m = 4 samples (one column each) "
           "and d['y'] the targets. Compute the quadratic cost "
           "C = (1/m) Σ_x ½‖y − a‖².",
    setup=_cost_batch, answer=lambda d: d.C, given_names=("a", "y"), quantity="C",
    mistakes=[
        mistake("missing ½",
                "Twice too big: you left out the ½. C = (1/m) Σ_x ½‖y − a‖².",
                lambda d: np.mean(np.sum((d.y - d.a) ** 2, axis=0))),
        mistake("sum instead of mean",
                "Off by a factor of m = 4: you summed over the batch. C is the mean over "
                "the samples: divide by m.",
                lambda d: np.sum(0.5 * np.sum((d.y - d.a) ** 2, axis=0))),
        mistake("mean over every entry",
                "You averaged over every entry (np.mean over the whole array), which also "
                "divides by the 3 outputs. Sum over the outputs of a sample, then average "
                "over the samples: np.mean(0.5 * np.sum((y - a)**2, axis=0)).",
                lambda d: 0.5 * np.mean((d.y - d.a) ** 2)),
    ],
    explanation="Per sample, ½‖y − a‖² sums over the output neurons; C averages that over "
                "the m columns.")

numeric(
    id="ch2-cost-running", chapter=2, title="The cost of the running example",
    prompt="Compute the quadratic cost C = ½‖y − a²‖² of the running example (one sample, "
           "so m = 1).",
    setup=running, answer=lambda d: d.C, given_names=("net", "x", "y"), quantity="C",
    mistakes=[
        mistake("missing ½",
                "Twice too big: you left out the ½ of the quadratic cost.",
                lambda d: float(np.sum((d.y - d.a[2]) ** 2))),
        mistake("weighted input instead of output",
                "You compared y with z², the weighted input. The cost uses the output "
                "a² = σ(z²).",
                lambda d: 0.5 * float(np.sum((d.y - d.z[2]) ** 2))),
        mistake("not squared",
                "You summed y − a² without squaring. The cost adds squared differences, so "
                "positive and negative errors cannot cancel.",
                lambda d: 0.5 * float(np.sum(d.y - d.a[2]))),
    ],
    explanation="C = ½[(y₁ − a²₁)² + (y₂ − a²₂)²]; bpcore.cost(net, x, y) agrees.")


def _gd_step():
    d = running()
    return SimpleNamespace(W2=d.W[2], grad_W2=d.grad_W[2], eta=0.5)


numeric(
    id="ch2-gd-step", chapter=2, title="One step of gradient descent",
    prompt="d['W2'] is W² of the running example and d['grad_W2'] the gradient ∂C/∂W². Take "
           "one gradient-descent step with learning rate η = d['eta'] = 0.5 and give the new "
           "W², shape (2, 3).",
    setup=_gd_step, answer=lambda d: d.W2 - d.eta * d.grad_W2,
    given_names=("W2", "grad_W2", "eta"), quantity="the new W²",
    mistakes=[
        mistake("sign flipped",
                "The sign is flipped: the gradient points uphill, so you climbed. Gradient "
                "descent steps against it: W² − η ∂C/∂W².",
                lambda d: d.W2 + d.eta * d.grad_W2),
        mistake("learning rate missing",
                "You left out the learning rate η: the step is −η ∂C/∂W², not −∂C/∂W².",
                lambda d: d.W2 - d.grad_W2),
        mistake("step instead of new weights",
                "That is the change ΔW² = −η ∂C/∂W². Add it to W² to get the new weights.",
                lambda d: -d.eta * d.grad_W2),
    ],
    explanation="W² ← W² − η ∂C/∂W²: a small step downhill.")

symbolic(
    id="ch2-cost-derivative", chapter=2, title="The derivative of the quadratic cost",
    prompt="For one output, C = ½(y − a)². Give ∂C/∂a as a sympy expression in a and y.",
    variables=("a", "y"), answer=lambda s: sympy.diff((s.y - s.a) ** 2 / 2, s.a),
    quantity="∂C/∂a",
    mistakes=[
        mistake("sign flipped",
                "The sign is flipped: the inner derivative of (y − a) with respect to a is "
                "−1, so ∂C/∂a = a − y.",
                lambda s: s.y - s.a),
        mistake("½ not used",
                "Twice too big: the ½ in front cancels the 2 from the square.",
                lambda s: 2 * (s.a - s.y)),
    ],
    explanation="∂C/∂a = ½ · 2(y − a) · (−1) = a − y: the ½ is there to cancel the 2.")

# ======================================================================================
# Chapter 3: the chain rule and computational graphs.

symbolic(
    id="ch3-composite-derivative", chapter=3, title="The chain rule for σ(wx + b)",
    prompt="Let f(w) = σ(wx + b) with σ(u) = 1 / (1 + e^(−u)). Give ∂f/∂w as a sympy "
           "expression in w, x and b.",
    variables=("w", "x", "b"), answer=lambda s: sympy.diff(_sigma(s.w * s.x + s.b), s.w),
    quantity="∂f/∂w",
    mistakes=[
        mistake("inner derivative missing",
                "You left out the inner derivative: by the chain rule ∂f/∂w = σ′(wx + b) · "
                "∂(wx + b)/∂w, and ∂(wx + b)/∂w = x.",
                lambda s: _sigma_prime(s.w * s.x + s.b)),
        mistake("σ instead of σ′",
                "You used σ itself where its derivative σ′(u) = σ(u)(1 − σ(u)) belongs.",
                lambda s: _sigma(s.w * s.x + s.b) * s.x),
        mistake("derivative with respect to x",
                "That is ∂f/∂x (inner factor w). With respect to w the inner factor is x.",
                lambda s: _sigma_prime(s.w * s.x + s.b) * s.w),
    ],
    explanation="Outer derivative σ′(wx + b) times inner derivative x: "
                "∂f/∂w = σ(wx + b)(1 − σ(wx + b)) x.")


def _one_neuron(w=0.9):
    x, b, y = 1.5, 0.3, 0.25
    net = bpcore.Network([np.array([[w]])], [np.array([b])], "sigmoid")
    d = network_state(net, np.array([[x]]), np.array([[y]]))
    return _with(d, xv=x, w=w, bv=b, yv=y, dw=0.01)


ONE_NEURON = ("One neuron: z = w x + b, a = σ(z), C = ½(a − y)², with x = 1.5, w = 0.9, "
              "b = 0.3 and y = 0.25.")

numeric(
    id="ch3-one-neuron-dcdw", chapter=3, title="∂C/∂w along a one-neuron chain",
    prompt=ONE_NEURON + " Follow the chain x → z → a → C and give ∂C/∂w, a single number.",
    setup=_one_neuron, answer=lambda d: d.grad_W[1][0, 0], given_names=("xv", "w", "bv", "yv"),
    quantity="∂C/∂w",
    mistakes=[
        mistake("missing σ′",
                "You left out σ′(z): the chain passes through a = σ(z), so "
                "∂C/∂w = (a − y) σ′(z) x.",
                lambda d: (d.a[1] - d.y) * d.xv),
        mistake("gradient of the bias",
                "That is ∂C/∂b = (a − y) σ′(z). For the weight the last link is "
                "∂z/∂w = x: multiply by x.",
                lambda d: (d.a[1] - d.y) * sigmoid_prime(d.z[1])),
        mistake("sign flipped",
                "The sign is flipped: the gradient points uphill. ∂C/∂a = a − y, not y − a.",
                lambda d: (d.y - d.a[1]) * sigmoid_prime(d.z[1]) * d.xv),
        mistake("σ′ of the activation",
                "You evaluated σ′ at a, the activation, where the chain rule needs σ′ at the "
                "weighted input z: σ′(z) = σ(z)(1 − σ(z)) = a(1 − a).",
                lambda d: (d.a[1] - d.y) * sigmoid_prime(d.a[1]) * d.xv),
    ],
    explanation="∂C/∂w = ∂C/∂a · ∂a/∂z · ∂z/∂w = (a − y) · σ′(z) · x.")


def _nudge():
    d = _one_neuron()
    nudged = _one_neuron(w=0.9 + 0.01)
    return _with(d, C_after=nudged.C)


numeric(
    id="ch3-nudge", chapter=3, title="Predict the effect of a nudge",
    prompt=ONE_NEURON + " Using ∂C/∂w, predict the change in the cost when w is nudged by "
           "Δw = 0.01: ΔC ≈ (∂C/∂w) Δw. (Your prediction should be within 1% of the answer.)",
    setup=_nudge, answer=lambda d: d.grad_W[1][0, 0] * d.dw,
    given_names=("xv", "w", "bv", "yv", "dw"), quantity="ΔC", rtol=1e-2,
    mistakes=[
        mistake("sign flipped",
                "The sign is flipped: with ∂C/∂w > 0, increasing w increases the cost.",
                lambda d: -d.grad_W[1][0, 0] * d.dw),
        mistake("Δw left out",
                "That is ∂C/∂w itself, the rate of change. The change in C is that rate "
                "times the nudge: ΔC ≈ (∂C/∂w) Δw.",
                lambda d: d.grad_W[1][0, 0]),
        mistake("new cost instead of change",
                "That is the cost after the nudge, C(w + Δw). The question asks for the "
                "change ΔC = C(w + Δw) − C(w).",
                lambda d: d.C_after),
    ],
    explanation="ΔC ≈ (∂C/∂w) Δw; recomputing the cost at w + Δw gives almost the same "
                "change, the difference shrinking like Δw².")

symbolic(
    id="ch3-chain-dcdz", chapter=3, title="∂C/∂z through the sigmoid",
    prompt="For one neuron, C = ½(σ(z) − y)². Give ∂C/∂z as a sympy expression in z and y "
           "(write σ out as 1 / (1 + sympy.exp(-z))).",
    variables=("z", "y"), answer=lambda s: sympy.diff((_sigma(s.z) - s.y) ** 2 / 2, s.z),
    quantity="∂C/∂z",
    mistakes=[
        mistake("missing σ′",
                "You left out σ′(z): the chain passes through a = σ(z), so "
                "∂C/∂z = (σ(z) − y) σ′(z).",
                lambda s: _sigma(s.z) - s.y),
        mistake("sign flipped",
                "The sign is flipped: ∂C/∂a = a − y, not y − a.",
                lambda s: (s.y - _sigma(s.z)) * _sigma_prime(s.z)),
        mistake("σ instead of σ′",
                "You multiplied by σ(z) where the derivative σ′(z) = σ(z)(1 − σ(z)) belongs.",
                lambda s: (_sigma(s.z) - s.y) * _sigma(s.z)),
    ],
    explanation="∂C/∂z = (σ(z) − y) σ′(z): this is δ for a one-neuron network, BP1 in "
                "miniature.")

# ======================================================================================
# Chapter 4: the output-layer delta (BP1).

numeric(
    id="ch4-bp1-delta", chapter=4, title="The output delta δ² of the running example",
    prompt="Compute δ² = ∂C/∂z² for the running example with the quadratic cost, using "
           "BP1: δ² = (a² − y) ⊙ σ′(z²). Give the (2, 1) column.",
    setup=running, answer=lambda d: d.delta[2], given_names=("net", "x", "y"), quantity="δ²",
    mistakes=[
        mistake("missing σ′",
                "You left out σ′(z²): that is ∂C/∂a² = a² − y. BP1 multiplies it by "
                "σ′(z²) entry by entry.",
                lambda d: bpcore.losses.grad_a("mse", d.y, d.a[2])),
        mistake("σ′ of the activation",
                "You used a where the pre-activation z is needed: σ′(a²) instead of σ′(z²). "
                "(σ′(z²) may also be written a²(1 − a²); σ′(a²) is a different number.)",
                lambda d: bpcore.losses.grad_a("mse", d.y, d.a[2]) * sigmoid_prime(d.a[2])),
        mistake("sign flipped",
                "The sign is flipped: ∂C/∂a² = a² − y, not y − a²; your δ would point "
                "uphill.",
                lambda d: -bpcore.losses.grad_a("mse", d.y, d.a[2]) * sigmoid_prime(d.z[2])),
    ],
    hint="BP1: δ² = (a² − y) ⊙ σ′(z²).",
    explanation="δ² = (a² − y) ⊙ σ′(z²), with σ′(z²) = a²(1 − a²); "
                "bpcore.output_delta(net, fp, y) agrees.")

symbolic(
    id="ch4-sigmoid-prime", chapter=4, title="The derivative of the sigmoid",
    prompt="Give σ′(z), the derivative of σ(z) = 1 / (1 + e^(−z)), as a sympy expression in "
           "z. Any equivalent form is accepted.",
    variables=("z",), answer=lambda s: sympy.diff(_sigma(s.z), s.z), quantity="σ′(z)",
    mistakes=[
        mistake("σ instead of σ′",
                "That is σ(z) itself, not its derivative σ′(z).",
                lambda s: _sigma(s.z)),
        mistake("missing minus sign",
                "A minus sign is missing: the derivative of e^(−z) is −e^(−z), and the "
                "quotient rule brings another minus; they cancel.",
                lambda s: -sympy.exp(-s.z) / (1 + sympy.exp(-s.z)) ** 2),
        mistake("denominator not squared",
                "The quotient rule squares the denominator: "
                "d/dz (1 + e^(−z))^(−1) = e^(−z) / (1 + e^(−z))².",
                lambda s: sympy.exp(-s.z) / (1 + sympy.exp(-s.z))),
    ],
    explanation="σ′(z) = e^(−z) / (1 + e^(−z))² = σ(z)(1 − σ(z)).")


def _bp1_cases(rng):
    d = running()
    cases = [{"a": d.a[2], "y": d.y, "z": d.z[2]}]
    for n, m in [(3, 4), (1, 5), (4, 1), (2, 2), (5, 3)]:
        z = rng.normal(size=(n, m))
        cases.append({"a": sigmoid(z), "y": rng.uniform(0, 1, size=(n, m)), "z": z})
    return cases


def _bp1_oracle(a, y, z):
    # A one-layer network with W = I and b = 0 has z^1 = x; bpcore's BP1 does the rest.
    n = z.shape[0]
    net = bpcore.Network([np.eye(n)], [np.zeros(n)], "sigmoid")
    return bpcore.output_delta(net, bpcore.forward(net, z), y)


def my_output_delta(a, y, z):
    """BP1 for sigmoid outputs and the quadratic cost: δᴸ = (a − y) ⊙ σ′(z)."""
    return (a - y) * bpcore.activations.sigmoid_prime(z)


function(
    id="ch4-my-output-delta", chapter=4, title="Write BP1",
    prompt="Write def my_output_delta(a, y, z) returning δᴸ = (a − y) ⊙ σ′(z) for sigmoid "
           "outputs and the quadratic cost. a, y and z have shape (n_L, m), one column per "
           "sample, and a = σ(z).",
    name="my_output_delta", params=("a", "y", "z"), returns="δᴸ, an array of the shape of z",
    cases=_bp1_cases, oracle=_bp1_oracle, model=my_output_delta,
    mistakes=[
        mistake("missing σ′",
                "You left out σ′(z): a − y is ∂C/∂a. BP1 multiplies it by σ′(z).",
                lambda a, y, z: a - y),
        mistake("σ′ of the activation",
                "You used a where the pre-activation z is needed: σ′(a) instead of σ′(z).",
                lambda a, y, z: (a - y) * sigmoid_prime(a)),
        mistake("sign flipped",
                "The sign is flipped: the first factor is a − y, not y − a.",
                lambda a, y, z: (y - a) * sigmoid_prime(z)),
    ],
    explanation="Entry by entry: (a − y) * σ′(z). No matrix product and no 1/m: per-sample "
                "deltas are not averaged.")

numeric(
    id="ch4-delta-bce", chapter=4, title="δ² with binary cross-entropy",
    prompt="Give δ² of the running example when the cost is binary cross-entropy instead of "
           "the quadratic cost (same network, x and y). Give the (2, 1) column.",
    setup=lambda: _with(running(), delta_bce=_bce_delta()),
    answer=lambda d: d.delta_bce, given_names=("net", "x", "y"), quantity="δ²",
    mistakes=[
        mistake("σ′ kept",
                "With binary cross-entropy the σ′(z) cancels: ∂C/∂a = (a − y) / (a(1 − a)) "
                "and σ′(z) = a(1 − a), so δ² = a² − y.",
                lambda d: d.delta[2]),
        mistake("sign flipped",
                "The sign is flipped: δ² = a² − y, not y − a².",
                lambda d: d.y - d.a[2]),
    ],
    explanation="The matched pair sigmoid + binary cross-entropy gives δᴸ = aᴸ − y: "
                "bpcore.output_delta(net, fp, y, loss='binary_cross_entropy').")


def _bce_delta():
    ex = bpcore.examples.running_example()
    fp = bpcore.forward(ex.net, ex.x)
    return bpcore.output_delta(ex.net, fp, ex.y, loss="binary_cross_entropy")

# ======================================================================================
# Chapter 5: hidden-layer deltas (BP2).


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
                "column, multiplied entry by entry by σ′(z¹).")


def _bp2_batch():
    net = bpcore.Network.random([3, 4, 2], seed=5)
    rng = np.random.default_rng(5)
    x = np.round(rng.uniform(-1, 1, size=(3, 5)), 2)
    y = np.round(rng.uniform(0, 1, size=(2, 5)), 2)
    d = network_state(net, x, y)
    return _with(d, W2=d.W[2], delta2=d.delta[2], z1=d.z[1])


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
           "(nₗ, m).",
    name="my_hidden_delta", params=("W_next", "delta_next", "z"),
    returns="δˡ, an array of the shape of z",
    cases=_bp2_cases, oracle=_bp2_oracle, model=my_hidden_delta,
    mistakes=[
        mistake("W not transposed",
                "Wˡ⁺¹ was not transposed: it has shape (nₗ₊₁, nₗ), so Wˡ⁺¹ δˡ⁺¹ "
                "does not fit. BP2 sends the delta back through (Wˡ⁺¹)ᵀ: W_next.T @ "
                "delta_next.",
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
    setup=_mnist_state, answer=lambda d: d.delta[1].shape, quantity="the shape of δ¹",
    rtol=0.0, atol=1e-9,
    mistakes=[
        mistake("samples as rows",
                "Samples are columns in this book: δ¹ has one row per hidden neuron and one "
                "column per sample.",
                lambda d: d.delta[1].shape[::-1]),
        mistake("output layer",
                "That is the shape of δ², the output layer's delta. δ¹ belongs to the hidden "
                "layer, 30 neurons.",
                lambda d: d.delta[2].shape),
        mistake("averaged over the batch",
                "Deltas keep one column per sample; only the gradients (BP3, BP4) average "
                "over the batch.",
                lambda d: (d.delta[1].shape[0], 1)),
    ],
    explanation="δˡ has the shape of zˡ: (nₗ, m) = (30, 64).")

# ======================================================================================
# Chapter 6: weight and bias gradients (BP3, BP4).

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
           "(nₗ₋₁, m).",
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
