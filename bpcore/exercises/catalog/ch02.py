"""The auto-checked exercises of chapter 2: cost and gradient descent."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import sympy

import bpcore
from bpcore.examples import running

from ..core import mistake, numeric, symbolic


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
    prompt="Using the output a² ≈ (0.7252, 0.7884) and the target y = (0.01, 0.99), compute "
           "the quadratic cost C = ½‖y − a²‖² of the running example by hand (one sample, "
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
