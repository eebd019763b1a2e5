"""The auto-checked exercises of chapter 2: cost and gradient descent."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import sympy

import bpcore
from bpcore.examples import running
from bpcore.formula import Formula

from ..core import mistake, numeric, symbolic


def _cost_batch():
    rng = np.random.default_rng(2)
    a = np.round(rng.uniform(0.05, 0.95, size=(3, 4)), 2)
    y = np.round(rng.uniform(0.0, 1.0, size=(3, 4)), 2)
    return SimpleNamespace(a=a, y=y, m=4,
                           C=bpcore.losses.value("mse", y, a, None, "sigmoid"))


def _cost_batches(rng):
    """Two more batches like _cost_batch's, of other sizes, for the formula question."""
    out = []
    for n, m in [(2, 5), (4, 3)]:
        a = np.round(rng.uniform(0.05, 0.95, size=(n, m)), 2)
        y = np.round(rng.uniform(0.0, 1.0, size=(n, m)), 2)
        out.append((f"random outputs of {n} neurons for {m} samples",
                    SimpleNamespace(a=a, y=y, m=m,
                                    C=bpcore.losses.value("mse", y, a, None, "sigmoid"))))
    return out


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
                "divides by the 3 outputs. Each sample's loss is a SUM over its outputs; only "
                "the m samples are averaged. Check which axis each of your operations runs "
                "over.",
                lambda d: 0.5 * np.mean((d.y - d.a) ** 2)),
    ],
    explanation="Per sample, ½‖y − a‖² sums over the output neurons; C averages that over "
                "the m columns.",
    formula=Formula(
        question="Type the quadratic cost C of a batch as a formula in a (the outputs, one "
                 "column per sample), y (the targets) and m (the batch size).",
        symbols={"a": "a", "y": "y", "m": "m"}, functions=("sum", "mean"),
        label="the exercise's batch of 4", variants=lambda rng: _cost_batches(rng),
        solution="sum((a - y).^2) / (2 * m)",
        mistakes={"missing ½": "sum((a - y).^2) / m",
                  "sum instead of mean": "sum((a - y).^2) / 2",
                  "mean over every entry": "mean((a - y).^2) / 2"}))

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
                "The sign is flipped: the chain rule also multiplies by the derivative of the "
                "inner expression y − a with respect to a. What is the sign of that "
                "derivative?",
                lambda s: s.y - s.a),
        mistake("½ not used",
                "Twice too big: the ½ in front cancels the 2 from the square.",
                lambda s: 2 * (s.a - s.y)),
    ],
    explanation="∂C/∂a = ½ · 2(y − a) · (−1) = a − y: the ½ is there to cancel the 2.")


def _batch_output_gradient(d):
    """∂C/∂a for every output j of every sample x: the per-sample a − y, over m."""
    return (d.a - d.y) / d.m


numeric(
    id="ch2-batch-output-gradient", chapter=2, title="The gradient of the batch cost with "
                                                     "respect to the outputs",
    prompt="d['a'] holds a network's outputs for a batch of m = 4 samples (one column each, "
           "3 outputs) and d['y'] the targets; the cost C is the book's mean quadratic cost "
           "of the batch. Derive the partial derivative of C with respect to each output "
           "a_jx (output j of sample x) and give all of them as a (3, 4) array.",
    setup=_cost_batch, answer=_batch_output_gradient, given_names=("a", "y"),
    quantity="∂C/∂a",
    mistakes=[
        mistake("1/m left out",
                "That is each sample's own ∂C_x/∂a, the gradient of its loss. The batch cost "
                "is the mean of the m losses, and a_jx appears in only one of them.",
                lambda d: d.a - d.y),
        mistake("sign flipped",
                "The sign is flipped: raising an output above its target raises the cost, "
                "so the derivative is positive there.",
                lambda d: (d.y - d.a) / d.m),
        mistake("mean over every entry",
                "You divided by the number of outputs too. C sums over the outputs of a "
                "sample and averages over the samples only.",
                lambda d: (d.a - d.y) / d.a.size),
    ],
    hint="Write C = (1/m) Σ_x C_x and ask in which of the m terms a_jx appears.",
    explanation="a_jx appears only in the loss of sample x, whose derivative is a_jx − y_jx; "
                "the mean multiplies it by 1/m. This 1/m is the one that backpropagation "
                "applies at the end, when it averages over the columns.")


def _valley(kappa=9.0):
    """The valley C(p) = ½(p₁² + κ p₂²), whose two step factors are 1 − η and 1 − κη."""
    # curvatures 1 and kappa; the rate 1/curvature zeroes that coordinate in one step
    return SimpleNamespace(kappa=kappa, curvatures=(1.0, kappa), best=2 / (1 + kappa),
                           limit=2 / kappa)


numeric(
    id="ch2-best-rate", chapter=2, title="The fastest learning rate on a valley",
    prompt="Gradient descent runs on the valley C(p) = ½(p₁² + κ p₂²) with κ = d['kappa'] = 9. "
           "Which learning rate η makes the cost fall fastest in the long run, from a "
           "generic start point? Give η as a number.",
    setup=_valley, answer=lambda d: d.best, given_names=("kappa",), quantity="η",
    mistakes=[
        mistake("divergence limit",
                "That is the largest rate that still converges: there the steep coordinate "
                "p₂ flips sign with almost no shrinking. Faster means the slower of the two "
                "coordinates shrinks as fast as possible.",
                lambda d: d.limit),
        mistake("steep coordinate only",
                "At that rate p₂ reaches 0 in one step, but p₁ only shrinks by 1 − η per step, "
                "and a larger η would shrink it faster.",
                lambda d: 1 / d.curvatures[1]),
        mistake("shallow coordinate only",
                "At η = 1, p₁ reaches 0 in one step, but p₂ is multiplied by 1 − κ, and "
                "diverges.",
                lambda d: 1 / d.curvatures[0]),
    ],
    hint="One step multiplies each coordinate by its own factor; the slower one, the larger "
         "in absolute value, sets the pace. Make that one as small as you can.",
    explanation="A step multiplies p₁ by 1 − η and p₂ by 1 − κη. The larger of |1 − η| and "
                "|1 − κη| is smallest where they are equal with opposite signs, "
                "1 − η = κη − 1, so η = 2/(1 + κ) = 0.2 and both shrink by (κ − 1)/(κ + 1) = "
                "0.8 per step.")


symbolic(
    id="ch2-bce-derivative", chapter=2, title="The derivative of the binary cross-entropy",
    prompt="For one sigmoid output a with target y, the binary cross-entropy loss is "
           "C = −[y ln a + (1 − y) ln(1 − a)]. Derive ∂C/∂a and give it as a sympy expression "
           "in a and y (d['a'], d['y'] are the symbols).",
    variables=("a", "y"), domain=(0.05, 0.95), quantity="∂C/∂a",
    answer=lambda s: sympy.diff(-(s.y * sympy.log(s.a) + (1 - s.y) * sympy.log(1 - s.a)), s.a),
    mistakes=[
        mistake("second term's inner sign",
                "The second term differentiates ln(1 − a), whose inner derivative is −1: "
                "you lost that sign.",
                lambda s: -(s.y / s.a + (1 - s.y) / (1 - s.a))),
        mistake("second term dropped",
                "You differentiated only y ln a. The (1 − y) ln(1 − a) term depends on a too.",
                lambda s: -s.y / s.a),
        mistake("sign flipped",
                "The sign is flipped: the loss has a minus sign in front of the bracket.",
                lambda s: s.y / s.a - (1 - s.y) / (1 - s.a)),
    ],
    hint="Differentiate the two logarithms separately, each with its chain-rule factor, and "
         "keep the minus sign in front of the bracket.",
    explanation="∂C/∂a = −y/a + (1 − y)/(1 − a) = (a − y) / (a(1 − a)). The denominator "
                "a(1 − a) is σ′(z) written with a, which chapter 4 puts to use.")
