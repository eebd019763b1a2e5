"""The auto-checked exercises of chapter 4: the output-layer delta (BP1)."""
from __future__ import annotations

import numpy as np
import sympy

import bpcore
from bpcore.activations import sigmoid, sigmoid_prime
from bpcore.examples import network_state, running
from bpcore.formula import Formula

from ..core import function, mistake, numeric, symbolic
from ._shared import sigma_of, with_fields


numeric(
    id="ch4-bp1-delta", chapter=4, title="The output delta δ² of the running example",
    prompt="Compute the output delta δ² = ∂C_x/∂z² of the running example's single sample "
           "x with the quadratic cost, using BP1. Give the (2, 1) column.",
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
    variables=("z",), answer=lambda s: sympy.diff(sigma_of(s.z), s.z), quantity="σ′(z)",
    mistakes=[
        mistake("σ instead of σ′",
                "That is σ(z) itself, not its derivative σ′(z).",
                lambda s: sigma_of(s.z)),
        mistake("missing minus sign",
                "A minus sign is missing: the derivative of e^(−z) is −e^(−z), and the "
                "quotient rule brings another minus; they cancel.",
                lambda s: -sympy.exp(-s.z) / (1 + sympy.exp(-s.z)) ** 2),
        mistake("denominator not squared",
                "The quotient rule (or the chain rule on (1 + e^(−z))^(−1)) squares the "
                "denominator: check the power of 1 + e^(−z) in yours.",
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
    prompt="Write def my_output_delta(a, y, z) returning the output delta δᴸ for sigmoid "
           "outputs and the quadratic cost. a, y and z have shape (n_L, m), one column per "
           "sample, and a = σ(z); column x of the result is that sample's own δᴸ_x = "
           "∂C_x/∂zᴸ. The check runs it on hidden cases against bpcore.",
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
                "deltas are not averaged.",
    formula=Formula(
        question="Type BP1 as a formula: the output delta δᴸ of a sigmoid output layer with "
                 "the quadratic cost, in a (the output aᴸ), y (the targets) and z (zᴸ), one "
                 "column per sample.",
        symbols={"a": "a^L", "y": "y", "z": "z^L"}, functions=("sigma", "sigma_prime"),
        quantity="δᴸ",
        label="the running example",
        solution="(a - y) .* a .* (1 - a)",
        mistakes={"missing σ′": "a - y",
                  "σ′ of the activation": "(a - y) .* sigma_prime(a)",
                  "sign flipped": "(y - a) .* sigma_prime(z)"}))

numeric(
    id="ch4-delta-bce", chapter=4, title="δ² with binary cross-entropy",
    prompt="Give δ² of the running example when the cost is binary cross-entropy instead of "
           "the quadratic cost (same network, x and y). Give the (2, 1) column.",
    setup=lambda: with_fields(running(), delta_bce=_bce_delta()),
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


def _tanh_output():
    ex = bpcore.examples.running_example()
    net = bpcore.Network(ex.net.weights, ex.net.biases, ["sigmoid", "tanh"])
    return network_state(net, ex.x, ex.y)


numeric(
    id="ch4-tanh-output-delta", chapter=4, title="BP1 for a tanh output layer",
    prompt="Give the running example's network a tanh output layer, a² = tanh(z²) (the hidden "
           "layer stays sigmoid; same weights, x and y, quadratic cost). Derive the output "
           "delta δ² = ∂C_x/∂z² for this activation and give it as a (2, 1) column. "
           "net.activations names each layer's activation.",
    setup=_tanh_output, answer=lambda d: d.delta[2], given_names=("net", "x", "y"),
    quantity="δ²",
    mistakes=[
        mistake("σ′ kept",
                "You used the sigmoid's slope σ′(z²). The output activation is tanh now: "
                "BP1's second factor is the slope of tanh at z², which you have to work out.",
                lambda d: (d.a[2] - d.y) * sigmoid_prime(d.z[2])),
        mistake("1 − z² for tanh′",
                "Your tanh′ squares the weighted input z². tanh′ is written with tanh(z²) "
                "itself: square the activation a², not z².",
                lambda d: (d.a[2] - d.y) * (1 - d.z[2] ** 2)),
        mistake("missing tanh′",
                "That is ∂C_x/∂a² = a² − y alone; BP1 multiplies it, entry by entry, by the "
                "slope of the output activation.",
                lambda d: d.a[2] - d.y),
    ],
    explanation="δ² = (a² − y) ⊙ tanh′(z²) = (a² − y) ⊙ (1 − (a²)²): the first factor is the "
                "cost's, unchanged; only the activation's slope changes.")


def _sigmoid_ce(s):
    return -s.y * sympy.log(sigma_of(s.z))


symbolic(
    id="ch4-sigmoid-ce-delta", chapter=4, title="A sigmoid output with the cross-entropy −y ln a",
    prompt="One sigmoid output neuron, a = σ(z), with the cross-entropy loss C_x = −y ln a "
           "(the categorical form, without the (1 − y) ln(1 − a) term of the binary "
           "cross-entropy). Derive its delta ∂C_x/∂z and give it as a sympy expression in the "
           "symbols z and y (write σ(z) as 1 / (1 + sympy.exp(-z))).",
    variables=("z", "y"), answer=lambda s: sympy.diff(_sigmoid_ce(s), s.z), quantity="∂C_x/∂z",
    mistakes=[
        mistake("matched-pair shortcut",
                "a − y is the delta of the matched pairs (sigmoid with binary cross-entropy, "
                "softmax with cross-entropy). This loss has no (1 − y) term, so the "
                "cancellation is different: redo the chain z → a → C_x for it and simplify.",
                lambda s: sigma_of(s.z) - s.y),
        mistake("σ′ left out",
                "That is ∂C_x/∂a = −y/a; the chain z → a → C_x also passes σ, whose slope is "
                "σ′(z) = a(1 − a).",
                lambda s: -s.y / sigma_of(s.z)),
        mistake("sign flipped",
                "The sign is flipped: d(−y ln a)/da = −y/a, so the delta is negative for a "
                "positive target.",
                lambda s: s.y * (1 - sigma_of(s.z))),
    ],
    explanation="∂C_x/∂z = (−y/a) · a(1 − a) = −y (1 − σ(z)): the a cancels, the (1 − a) "
                "stays. bpcore.losses records this shortcut for sigmoid with cross_entropy.")
