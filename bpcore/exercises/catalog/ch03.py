"""The auto-checked exercises of chapter 3: the chain rule and computational graphs."""
from __future__ import annotations

import numpy as np
import sympy

import bpcore
from bpcore.activations import sigmoid_prime, tanh_prime
from bpcore.examples import network_state, running
from bpcore.formula import Formula

from ..core import mistake, numeric, symbolic
from ._shared import sigma_of, sigma_prime_of, with_fields


symbolic(
    id="ch3-composite-derivative", chapter=3, title="The chain rule for σ(wx + b)",
    prompt="Let f(w) = σ(wx + b) with σ(u) = 1 / (1 + e^(−u)). Give ∂f/∂w as a sympy "
           "expression in the symbols w, x and b (write σ(u) as 1 / (1 + sympy.exp(-u))).",
    variables=("w", "x", "b"), answer=lambda s: sympy.diff(sigma_of(s.w * s.x + s.b), s.w),
    quantity="∂f/∂w",
    mistakes=[
        mistake("inner derivative missing",
                "You left out the inner derivative: the chain rule multiplies σ′ of the inner "
                "expression by the derivative of the inner expression, wx + b, with respect "
                "to w.",
                lambda s: sigma_prime_of(s.w * s.x + s.b)),
        mistake("σ instead of σ′",
                "You used σ itself where its derivative σ′(u) = σ(u)(1 − σ(u)) belongs.",
                lambda s: sigma_of(s.w * s.x + s.b) * s.x),
        mistake("derivative with respect to x",
                "That is ∂f/∂x: your inner factor is the derivative of wx + b with respect to "
                "x. Differentiate the inner expression with respect to w instead.",
                lambda s: sigma_prime_of(s.w * s.x + s.b) * s.w),
    ],
    explanation="Outer derivative σ′(wx + b) times inner derivative x: "
                "∂f/∂w = σ(wx + b)(1 − σ(wx + b)) x.",
    formula=Formula(
        question="Type ∂f/∂w for f(w) = σ(wx + b) as a formula in w, x and b; sigma_prime(u) "
                 "is σ′(u).",
        symbols={"w": "w", "x": "x", "b": "b"}, functions=("sigma", "sigma_prime", "exp"),
        quantity="∂f/∂w",
        solution="sigma_prime(w * x + b) * x",
        mistakes={"inner derivative missing": "sigma_prime(w * x + b)",
                  "σ instead of σ′": "sigma(w * x + b) * x",
                  "derivative with respect to x": "sigma_prime(w * x + b) * w"}))


def _one_neuron(w=0.9):
    x, b, y = 1.5, 0.3, 0.25
    net = bpcore.Network([np.array([[w]])], [np.array([b])], "sigmoid")
    d = network_state(net, np.array([[x]]), np.array([[y]]))
    return with_fields(d, xv=x, w=w, bv=b, yv=y, dw=0.01)


ONE_NEURON = ("One neuron: z = w x + b, a = σ(z), C = ½(a − y)², with x = 1.5, w = 0.9, "
              "b = 0.3 and y = 0.25.")

numeric(
    id="ch3-one-neuron-dcdw", chapter=3, title="∂C/∂w along a one-neuron chain",
    prompt=ONE_NEURON + " Draw the chain w → z → a → C, write the local derivative on each "
                        "edge, and give ∂C/∂w, a single number.",
    setup=_one_neuron, answer=lambda d: d.grad_W[1][0, 0], given_names=("xv", "w", "bv", "yv"),
    quantity="∂C/∂w",
    mistakes=[
        mistake("missing σ′",
                "You left out σ′(z): the chain w → z → a → C passes through a = σ(z), and "
                "that edge carries its own local derivative.",
                lambda d: (d.a[1] - d.y) * d.xv),
        mistake("gradient of the bias",
                "Your chain stops at z, as it would for the bias: that is ∂C/∂b. The weight "
                "sits one edge further back, w → z: multiply by that edge's local derivative "
                "∂z/∂w.",
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
    return with_fields(d, C_after=nudged.C)


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
    prompt="For one sigmoid neuron, C = ½(σ(z) − y)². Follow the chain z → a → C and give "
           "∂C/∂z as a sympy expression in the symbols z and y (write σ(z) as "
           "1 / (1 + sympy.exp(-z))). This quantity will get a name in the next chapter.",
    variables=("z", "y"), answer=lambda s: sympy.diff((sigma_of(s.z) - s.y) ** 2 / 2, s.z),
    quantity="∂C/∂z",
    mistakes=[
        mistake("missing σ′",
                "You left out σ′(z): the chain z → a → C passes through a = σ(z), and the "
                "edge z → a carries a local derivative of its own.",
                lambda s: sigma_of(s.z) - s.y),
        mistake("sign flipped",
                "The sign is flipped: check ∂C/∂a. The cost grows when a rises above y, so "
                "∂C/∂a must be positive there.",
                lambda s: (s.y - sigma_of(s.z)) * sigma_prime_of(s.z)),
        mistake("σ instead of σ′",
                "You multiplied by σ(z) where the derivative σ′(z) = σ(z)(1 − σ(z)) belongs.",
                lambda s: (sigma_of(s.z) - s.y) * sigma_of(s.z)),
    ],
    explanation="∂C/∂z = (σ(z) − y) σ′(z): this is δ for a one-neuron network, BP1 in "
                "miniature.")


def _input_paths(d, hidden=slice(None), outputs=slice(None), slope=True):
    """∂C/∂x₁ summed over the chosen hidden neurons and output neurons (every path
    x₁ → z¹_k → a¹_k → z²_j → a²_j → C), with or without the hidden σ′(z¹_k)."""
    hidden_slope = sigmoid_prime(d.z[1]) if slope else np.ones_like(d.z[1])
    into_hidden = (d.W[2][outputs].T @ d.delta[2][outputs]) * hidden_slope
    return float((d.W[1][hidden, 0] @ into_hidden[hidden]).sum())


numeric(
    id="ch3-input-gradient", chapter=3, title="∂C/∂x₁: every path from an input",
    prompt="In the running example the input x₁ is not a weight, but the cost depends on it "
           "all the same. Draw the computational graph from x₁ to C, count its paths, write "
           "the local derivative on every edge, and give ∂C/∂x₁, a single number.",
    setup=running, answer=lambda d: _input_paths(d), given_names=("net", "x", "y"),
    quantity="∂C/∂x₁",
    mistakes=[
        mistake("one hidden neuron only",
                "You followed only the paths through hidden neuron 1. x₁ feeds all three "
                "hidden neurons (through w¹₁₁, w¹₂₁ and w¹₃₁), and each of them feeds both "
                "outputs: six paths, all added.",
                lambda d: _input_paths(d, hidden=slice(0, 1))),
        mistake("one output only",
                "You followed only the paths that end in output neuron 1. Every hidden "
                "neuron feeds both outputs, so each hidden neuron contributes two paths.",
                lambda d: _input_paths(d, outputs=slice(0, 1))),
        mistake("hidden σ′ left out",
                "Every path passes a¹_k = σ(z¹_k), whose edge carries σ′(z¹_k); your sum "
                "has left it out.",
                lambda d: _input_paths(d, slope=False)),
    ],
    explanation="Six paths, x₁ → z¹_k → a¹_k → z²_j → a²_j → C for k = 1, 2, 3 and j = 1, 2: "
                "∂C/∂x₁ = Σ_k w¹_k1 σ′(z¹_k) Σ_j w²_jk σ′(z²_j)(a²_j − y_j). The sum over j "
                "is shared by all paths through hidden neuron k; the next chapters compute it "
                "once.")


def _tanh_identity():
    x, y = 0.8, 1.0
    net = bpcore.Network([np.array([[1.5]]), np.array([[1.5]])],
                         [np.array([0.4]), np.array([0.1])], ["tanh", "identity"])
    d = network_state(net, np.array([[x]]), np.array([[y]]))
    return with_fields(d, xv=x, yv=y, w1=1.5, b1=0.4, w2=1.5, b2=0.1)


numeric(
    id="ch3-tanh-chain", chapter=3, title="A tanh neuron feeding a linear output",
    prompt="A 1-1-1 network: z¹ = w¹x + b¹, a¹ = tanh(z¹), z² = w²a¹ + b², and a linear "
           "output a² = z², with the loss C = ½(a² − y)². Take x = 0.8, w¹ = 1.5, b¹ = 0.4, "
           "w² = 1.5, b² = 0.1 and y = 1. Draw the chain from w¹ to C, work out each local "
           "derivative (tanh′ included), and give ∂C/∂w¹, a single number.",
    setup=_tanh_identity, answer=lambda d: d.grad_W[1][0, 0],
    given_names=("xv", "w1", "b1", "w2", "b2", "yv"), quantity="∂C/∂w¹",
    mistakes=[
        mistake("σ′ instead of tanh′",
                "You used the sigmoid's slope σ′(z¹). The hidden activation here is tanh, "
                "which has a derivative of its own: work out tanh′ and evaluate it at z¹.",
                lambda d: ((d.a[2] - d.y) * d.w2 * sigmoid_prime(d.z[1]) * d.xv).item()),
        mistake("1 − z² for tanh′",
                "Your tanh′ squares the weighted input z¹. tanh′ is written with tanh(z¹) "
                "itself: square the activation a¹, not z¹.",
                lambda d: ((d.a[2] - d.y) * d.w2 * (1 - d.z[1] ** 2) * d.xv).item()),
        mistake("output slope σ′ added",
                "The output is linear, a² = z², so the edge z² → a² carries 1, not a "
                "sigmoid slope.",
                lambda d: ((d.a[2] - d.y) * sigmoid_prime(d.z[2]) * d.w2
                           * tanh_prime(d.z[1]) * d.xv).item()),
    ],
    explanation="∂C/∂w¹ = (a² − y) · 1 · w² · tanh′(z¹) · x, with tanh′(z¹) = 1 − (a¹)²: five "
                "edges, one path.")
