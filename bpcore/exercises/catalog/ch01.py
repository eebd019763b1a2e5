"""The auto-checked exercises of chapter 1: neurons, layers and the forward pass."""
from __future__ import annotations

import numpy as np
import sympy

import bpcore
from bpcore.activations import sigmoid, tanh
from bpcore.examples import network_state, running
from bpcore.formula import Formula, random_networks

from ..core import function, mistake, numeric, symbolic
from ._shared import mnist_state, sigma_of


numeric(
    id="ch1-forward-z1", chapter=1, title="The weighted input z¹ of the running example",
    prompt="Compute z¹ = W¹x + b¹ for the running example (W¹ = d['net'].W(1), "
           "b¹ = d['net'].b(1), x = d['x']). Give the (3, 1) column.",
    setup=running, answer=lambda d: d.z[1], given_names=("net", "x"), quantity="z¹",
    mistakes=[
        mistake("bias added as a row",
                "Your z¹ has shape (3, 3): NumPy broadcast the column W¹x, shape (3, 1), "
                "against b¹, shape (3,), into a 3×3 table. b¹ must be added as a column, one "
                "bias per neuron: check its shape before you add it.",
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
    prompt="Finish the forward pass of the running example by hand: a¹ = σ(z¹), then "
           "z² = W²a¹ + b² and a² = σ(z²). Give the output a², a (2, 1) column.",
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
                "gives the same column.",
    formula=Formula(
        question="Type the output a² of a 2-layer sigmoid network as a formula in its input x "
                 "and its weights and biases, W1 = W¹, b1 = b¹, W2 = W², b2 = b² (the biases "
                 "are columns; x may hold several samples, one per column).",
        symbols={"x": ("x", lambda d: d.x), "W1": ("W^{1}", lambda d: d.W[1]),
                 "b1": ("b^{1}", lambda d: d.b[1]), "W2": ("W^{2}", lambda d: d.W[2]),
                 "b2": ("b^{2}", lambda d: d.b[2])},
        functions=("sigma",), label="the running example",
        variants=random_networks(((3, 4, 2), 3), ((2, 2, 3), 2)),
        solution="sigma(W2 * sigma(W1 * x + b1) + b2)",
        mistakes={"weighted input instead of activation": "W2 * sigma(W1 * x + b1) + b2",
                  "hidden activation skipped": "sigma(W2 * (W1 * x + b1) + b2)",
                  "output bias left out": "sigma(W2 * sigma(W1 * x + b1))"}))


numeric(
    id="ch1-batch-shape", chapter=1, title="The shape of the output for a batch",
    prompt="A 784-30-10 network gets a batch of m = 64 images, stored the book's way (one "
           "column per sample). What is the shape of its output a²? Answer with a tuple "
           "such as (3, 5).",
    setup=mnist_state, answer=lambda d: d.a[2].shape, quantity="the shape of a²",
    rtol=0.0, atol=1e-9,
    mistakes=[
        mistake("samples as rows",
                "Samples are columns in this book: a² has one row per output neuron and one "
                "column per sample.",
                lambda d: d.a[2].shape[::-1]),
        mistake("hidden layer",
                "That is the shape of a¹, the hidden layer. a² belongs to the output layer: "
                "how many neurons does it have?",
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
           "for any m: the check runs it on several hidden cases and compares it with "
           "bpcore.",
    name="my_forward", params=("W", "b", "a"), returns="an array of shape (n_out, m)",
    cases=_layer_cases, oracle=_forward_oracle, model=my_forward,
    mistakes=[
        mistake("bias added along the wrong axis",
                "b has shape (n_out,) and W a has shape (n_out, m): NumPy lines b up with the "
                "last axis, the samples, not the neurons. Give b a shape that lines it up "
                "with the rows, so that every column gets the same biases.",
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


def _relu_net():
    """A 1-2-1 network (ReLU hidden layer, identity output) on a batch of three inputs."""
    net = bpcore.Network([np.array([[1.5], [-2.0]]), np.array([[1.0, -0.5]])],
                         [np.array([0.5, 1.0]), np.array([0.25])], ["relu", "identity"])
    x = np.array([[-1.0, 0.5, 2.0]])
    return network_state(net, x, np.zeros((1, 3)))


def _output_with(d, hidden, output):
    """The output of d.net's weights with other activations (a catalogued mistake)."""
    net = bpcore.Network(d.net.weights, d.net.biases, [hidden, output])
    return bpcore.forward(net, d.x).output


numeric(
    id="ch1-relu-net-output", chapter=1, title="A 1-2-1 ReLU network by hand",
    prompt="d['net'] is a 1-2-1 network: one input, two hidden neurons with the ReLU "
           "activation, and one output neuron with the identity activation. d['x'] is a "
           "batch of three inputs, one column each, shape (1, 3). Compute the network's "
           "output for the batch by hand (W¹ = d['net'].W(1), ...; no bpcore.forward) and "
           "give it as a (1, 3) array.",
    setup=_relu_net, answer=lambda d: d.a[2], given_names=("net", "x"), quantity="a²",
    mistakes=[
        mistake("ReLU not applied",
                "You passed z¹ straight on to layer 2. The hidden neurons apply ReLU: a "
                "negative weighted input becomes 0 before W² sees it.",
                lambda d: _output_with(d, "identity", "identity")),
        mistake("ReLU on the output",
                "The output neuron's activation is the identity, so a² = z² may be "
                "negative; only the hidden layer uses ReLU.",
                lambda d: _output_with(d, "relu", "relu")),
        mistake("sigmoid on the output",
                "You applied σ to the output. This network's output activation is the "
                "identity: a² = z².",
                lambda d: _output_with(d, "relu", "sigmoid")),
    ],
    hint="Take one column at a time: z¹ = W¹x + b¹ is a pair of numbers; clip the negative "
         "one to 0.",
    explanation="a¹ = relu(W¹x + b¹) keeps the positive weighted inputs and sets the others to "
                "0; then a² = W²a¹ + b², with no activation on the output.")


symbolic(
    id="ch1-softplus-prime", chapter=1, title="The derivative of the softplus",
    prompt="The softplus activation f(z) = ln(1 + e^z) is a smooth ReLU: close to 0 for "
           "negative z, close to z for positive z. Derive f′(z) with the chain rule and give "
           "it as a sympy expression in z (d['z'] is the symbol). Which function from the "
           "chapter's table is it?",
    variables=("z",), answer=lambda s: sympy.diff(sympy.log(1 + sympy.exp(s.z)), s.z),
    quantity="f′(z)", domain=(-3.0, 3.0),
    mistakes=[
        mistake("inner derivative left out",
                "You differentiated ln(u) to 1/u but stopped there: the chain rule also "
                "multiplies by du/dz, the derivative of u = 1 + e^z.",
                lambda s: 1 / (1 + sympy.exp(s.z))),
        mistake("derivative of the sigmoid",
                "That is σ′(z), the derivative of the sigmoid: one derivative too many. "
                "Differentiate ln(1 + e^z) once.",
                lambda s: sympy.diff(sigma_of(s.z), s.z)),
    ],
    hint="The derivative of ln u is 1/u; the chain rule then multiplies by du/dz.",
    explanation="f′(z) = e^z / (1 + e^z) = 1 / (1 + e^(−z)) = σ(z): the softplus is an "
                "antiderivative of the sigmoid, and its slope runs from 0 to 1 like ReLU's.")
