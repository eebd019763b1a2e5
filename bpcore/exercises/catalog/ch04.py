"""The auto-checked exercises of chapter 4: the output-layer delta (BP1)."""
from __future__ import annotations

import numpy as np
import sympy

import bpcore
from bpcore.activations import sigmoid, sigmoid_prime
from bpcore.examples import running

from ..core import function, mistake, numeric, symbolic
from ._shared import sigma_of, with_fields


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
           "sample, and a = σ(z). The check runs it on hidden cases against bpcore.",
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
