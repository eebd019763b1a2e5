"""Auto-checked exercises of chapter 7 (declared with bpcore.exercises.core).

Chapter 7 runs the four equations as an algorithm: one step of the algorithm on a batch,
the momentum rule of Rumelhart, Hinton & Williams (1986), the gradient norm that Feng's
stopping rule watches, how many updates an epoch of mini-batches makes, and two
derivations the chapter leaves to the reader: one step for a tanh hidden layer with a linear
output, and one step with weight decay.  Every
reference answer and every catalogued wrong answer is computed with bpcore from the
exercise's data.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

import bpcore
from bpcore.activations import sigmoid_prime

from bpcore.examples import running, running_batch
from bpcore.formula import Formula

from ..core import mistake, numeric

__all__ = ["algorithm_step", "momentum_steps", "digits_batches", "tanh_linear_step",
           "weight_decay_step"]


# --------------------------------------------------------------------------------------
# One step of the algorithm on a batch.

def algorithm_step(eta=0.5):
    """The running example's network on its seeded batch of m = 4 samples, the learning
    rate ``eta``, and the change one step of the algorithm makes to W¹ (``step_W1``),
    taken from one full-batch epoch of :func:`bpcore.train`.

    >>> d = algorithm_step()
    >>> d.step_W1.shape, d.m
    ((3, 2), 4)
    """
    d = running_batch()
    after = bpcore.train(d.net, d.x, d.y, epochs=1, learning_rate=eta, loss=d.loss,
                         progress=False).network
    return SimpleNamespace(**vars(d), eta=eta, step_W1=after.W(1) - d.W[1])


def _delta1_through(W2_used, d):
    """δ¹ by BP2, but through the matrix ``W2_used`` instead of W²."""
    return (W2_used.T @ d.delta[2]) * sigmoid_prime(d.z[1])


numeric(
    id="ch7-algorithm-step", chapter=7, title="One step of the algorithm on a batch",
    prompt="The running example's network sees a batch of m = 4 samples (d['x'], d['y'], one "
           "column each). Run steps 1 to 3 of the algorithm once, with learning rate "
           "η = d['eta'] = 0.5: the forward pass, BP1 to BP4, then the update of every "
           "weight and bias. Give the change ΔW¹ = W¹(new) − W¹(old) that the step makes to "
           "the first layer's weights, an array of shape (3, 2).",
    setup=algorithm_step, answer=lambda d: d.step_W1, given_names=("net", "x", "y", "eta"),
    quantity="ΔW¹",
    mistakes=[
        mistake("sum instead of mean",
                "Four times too big: you summed the four samples' gradients. The cost is the "
                "mean over the batch, so ∂C/∂W¹ = (1/m) δ¹ xᵀ; bpcore.backprop already "
                "divides by m.",
                lambda d: -d.eta * d.delta[1] @ d.a[0].T),
        mistake("updated W² used in BP2",
                "You updated W² first and then sent δ² back through the NEW W². BP2 must use "
                "the W² of the forward pass: compute every gradient first, then change the "
                "weights (all layers at once).",
                lambda d: -d.eta * _delta1_through(d.W[2] - d.eta * d.grad_W[2], d)
                @ d.a[0].T / d.m),
        mistake("σ′ missing in BP2",
                "You left out σ′(z¹) in BP2: δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹).",
                lambda d: -d.eta * (d.W[2].T @ d.delta[2]) @ d.a[0].T / d.m),
        mistake("sign flipped",
                "The sign is flipped: that step climbs the cost. The update is "
                "W¹ ← W¹ − η ∂C/∂W¹, so ΔW¹ = −η ∂C/∂W¹.",
                lambda d: d.eta * d.grad_W[1]),
    ],
    hint="ΔW¹ = −η ∂C/∂W¹, with ∂C/∂W¹ from BP1, BP2 and BP4 for the mean cost of the batch.",
    explanation="All gradients come from one forward pass and one backward pass with the "
                "current weights; only then does every layer move: ΔW¹ = −η (1/m) δ¹ xᵀ. "
                "One full-batch epoch of bpcore.train (batch_size=None, momentum=0) makes "
                "exactly this step.")


# --------------------------------------------------------------------------------------
# Momentum.

def momentum_steps(eta=0.5, alpha=0.9):
    """Two full-batch steps with momentum on the running example (one sample).

    ``W2_0``, ``W2_1``, ``W2_2`` are W² before, after one and after two steps of
    :func:`bpcore.train` with ``momentum=alpha``; ``g0`` and ``g1`` are ∂C/∂W² at the
    starting weights and after the first step; ``step2`` = W2_2 − W2_1 is Δ(2).

    >>> d = momentum_steps()
    >>> bool(np.allclose(d.step2, -d.eta * d.g1 + d.alpha * (d.W2_1 - d.W2_0)))
    True
    """
    ex = bpcore.examples.running_example()
    nets = [bpcore.train(ex.net, ex.x, ex.y, epochs=n, learning_rate=eta, momentum=alpha,
                         loss=ex.loss, progress=False).network for n in (1, 2)]
    g0 = bpcore.backprop(ex.net, ex.x, ex.y, ex.loss).W(2)
    g1 = bpcore.backprop(nets[0], ex.x, ex.y, ex.loss).W(2)
    W2_0, W2_1, W2_2 = ex.net.W(2), nets[0].W(2), nets[1].W(2)
    return SimpleNamespace(net=ex.net, x=ex.x, y=ex.y, eta=eta, alpha=alpha, g0=g0, g1=g1,
                           W2_0=W2_0, W2_1=W2_1, W2_2=W2_2, step2=W2_2 - W2_1)


numeric(
    id="ch7-momentum-step", chapter=7, title="The second step with momentum",
    prompt="Train the running example with learning rate η = d['eta'] = 0.5 and momentum "
           "α = d['alpha'] = 0.9, one full-batch step at a time, using the rule of Rumelhart, "
           "Hinton & Williams: Δ(t) = −η ∂C/∂W(t) + α Δ(t−1), with Δ(0) = 0. The first step "
           "is plain gradient descent. Give the second step Δ(2) for W², an array of shape "
           "(2, 3).",
    setup=momentum_steps, answer=lambda d: d.step2,
    given_names=("net", "x", "y", "eta", "alpha"), quantity="Δ(2) for W²",
    mistakes=[
        mistake("momentum left out",
                "That is −η ∂C/∂W² at the new weights alone: the momentum term is missing. "
                "Add α Δ(1), where Δ(1) is the first step.",
                lambda d: -d.eta * d.g1),
        mistake("stale gradient",
                "You reused the gradient of the starting weights. After the first step the "
                "weights changed, so run backprop again at the new weights for ∂C/∂W(2).",
                lambda d: -d.eta * d.g0 + d.alpha * (d.W2_1 - d.W2_0)),
        mistake("momentum sign flipped",
                "The momentum term has the wrong sign: the previous step is ADDED, "
                "Δ(t) = −η ∂C/∂W + α Δ(t−1), so the weights keep moving the way they went.",
                lambda d: -d.eta * d.g1 - d.alpha * (d.W2_1 - d.W2_0)),
        mistake("gradient scaled by 1 − α",
                "You scaled the gradient by (1 − α), the 'moving average' form of momentum. "
                "Rumelhart, Hinton & Williams' rule, and bpcore.train, use −η ∂C/∂W "
                "unscaled.",
                lambda d: -(1 - d.alpha) * d.eta * d.g1 + d.alpha * (d.W2_1 - d.W2_0)),
    ],
    hint="Δ(1) = −η ∂C/∂W² at the start; Δ(2) = −η ∂C/∂W² at the weights after step 1, "
         "plus α Δ(1).",
    explanation="Δ(2) = −η g(1) + α Δ(1), with g(1) the gradient after the first step and "
                "Δ(1) = −η g(0). bpcore.train(..., momentum=0.9) for two epochs makes the "
                "same two steps.",
    formula=Formula(
        question="Type the second momentum step Δ(2) for W² as a formula in eta = η, alpha = α, "
                 "g0 and g1 (∂C/∂W² at the starting weights and after the first step) and "
                 "W2_0, W2_1 (W² before and after the first step).",
        symbols={"eta": "\\eta", "alpha": "\\alpha", "g0": "g(0)", "g1": "g(1)",
                 "W2_0": "W^{2}(0)", "W2_1": "W^{2}(1)"},
        label="η = 0.5, α = 0.9",
        variants=lambda rng: [("η = 0.3, α = 0.5", momentum_steps(0.3, 0.5)),
                              ("η = 1, α = 0.8", momentum_steps(1.0, 0.8))],
        solution="-eta * g1 + alpha * (W2_1 - W2_0)",
        mistakes={"momentum left out": "-eta * g1",
                  "stale gradient": "-eta * g0 + alpha * (W2_1 - W2_0)",
                  "momentum sign flipped": "-eta * g1 - alpha * (W2_1 - W2_0)",
                  "gradient scaled by 1 − α": "-(1 - alpha) * eta * g1 + alpha * (W2_1 - W2_0)"}))


# --------------------------------------------------------------------------------------
# The gradient norm of Feng's stopping rule.

numeric(
    id="ch7-grad-norm", chapter=7, title="The size of the gradient",
    prompt="Feng's step 4 repeats until the gradient is small. Compute the Euclidean norm "
           "‖∇C‖ of the gradient of the running example's cost with respect to ALL its "
           "parameters, every weight and every bias: the square root of the sum of the "
           "squares of all 17 partial derivatives. A single number.",
    setup=running, answer=lambda d: float(np.linalg.norm(
        bpcore.backprop(d.net, d.x, d.y, d.loss).flat())),
    given_names=("net", "x", "y"), quantity="‖∇C‖",
    mistakes=[
        mistake("weights only",
                "You left out the biases: they are parameters too and their gradients "
                "(BP3) belong in ∇C. Gradients(...).flat() lists all of them.",
                lambda d: float(np.sqrt(sum(np.sum(g ** 2) for g in d.grad_W.values())))),
        mistake("squared norm",
                "That is ‖∇C‖², the sum of squares: take its square root.",
                lambda d: float(np.sum(bpcore.backprop(d.net, d.x, d.y, d.loss).flat() ** 2))),
        mistake("sum of absolute values",
                "That is the sum of the absolute values (the 1-norm). The Euclidean norm is "
                "the square root of the sum of squares.",
                lambda d: float(np.sum(np.abs(bpcore.backprop(d.net, d.x, d.y, d.loss).flat())))),
    ],
    hint="Put all 17 partial derivatives, the bias gradients included, into one vector and "
         "take its Euclidean norm.",
    explanation="‖∇C‖ = √(Σ (∂C/∂w)² + Σ (∂C/∂b)²) over all 12 weights and 5 biases.")


# --------------------------------------------------------------------------------------
# Updates per epoch.

def digits_batches(batch_size=32):
    """The size m of the chapter's digits training set and a batch size.

    The chapter splits ``bpcore.datasets.digits()`` (a quarter held out for the test) and
    keeps a fifth of the rest for validation; the other images are its training set.

    >>> d = digits_batches()
    >>> d.m == bpcore.datasets.digits().x_train.shape[1] * 4 // 5 + 1
    True
    """
    n = bpcore.datasets.digits(test_fraction=0.25, seed=0).x_train.shape[1]
    m = n - n // 5                      # the validation fifth is never trained on
    return SimpleNamespace(m=m, batch_size=batch_size,
                           updates=len(range(0, m, batch_size)))


numeric(
    id="ch7-updates-per-epoch", chapter=7, title="How many updates make an epoch?",
    prompt="The chapter trains the digit network on its m = d['m'] training images with "
           "bpcore.train(batch_size=d['batch_size']), batch size 32. Each epoch shuffles the "
           "images once and then updates the weights once per batch, the last batch holding "
           "whatever is left over. How many weight updates does one epoch make? A single "
           "whole number.",
    setup=digits_batches, answer=lambda d: d.updates, given_names=("m", "batch_size"),
    quantity="updates per epoch", rtol=0.0, atol=1e-9,
    mistakes=[
        mistake("last batch dropped",
                "You rounded down, which drops the last, smaller batch of left-over samples. "
                "That batch makes an update too.",
                lambda d: d.m // d.batch_size),
        mistake("one update per sample",
                "That is one update per sample (batch size 1). With batches of 32, the "
                "weights move once per batch.",
                lambda d: d.m),
        mistake("not a whole number",
                "An epoch cannot make a fraction of an update: count whole batches, the "
                "partial last one included.",
                lambda d: d.m / d.batch_size),
    ],
    hint="Count the batches: the full ones, and one more for what is left over.",
    explanation="⌈m / batch size⌉ updates: ⌊m / 32⌋ full batches of 32, and one more batch "
                "for the images left over (bpcore.train steps through range(0, m, 32)).")


# --------------------------------------------------------------------------------------
# One step for a tanh hidden layer and a linear output (derivation: a case the chapter
# did not work out).

def tanh_linear_step(eta=0.1):
    """A 1-2-1 network with a tanh hidden layer and an identity (linear) output, a batch
    of m = 3 samples, and the change ΔW¹ (2, 1) one full-batch step of the algorithm makes
    with the quadratic cost (from :func:`bpcore.train`).

    The reference is checked here against finite differences of the cost:

    >>> d = tanh_linear_step()
    >>> g = bpcore.numerical_gradients(d.net, d.x, d.y).weights[0]
    >>> bool(np.allclose(d.step_W1, -d.eta * g, atol=1e-9))
    True
    """
    net = bpcore.Network.random([1, 2, 1], ["tanh", "identity"], seed=4)
    x = np.array([[-1.0, 0.5, 2.0]])
    y = np.array([[0.5, -0.2, 1.0]])
    fp = bpcore.forward(net, x)
    after = bpcore.train(net, x, y, epochs=1, learning_rate=eta, progress=False).network
    return SimpleNamespace(net=net, x=x, y=y, eta=eta, m=x.shape[1], a1=fp.a(1),
                           a2=fp.a(2), W2=net.W(2), step_W1=after.W(1) - net.W(1))


def _tanh_step(d, output_factor, hidden_prime, divisor):
    """−η ΔW¹ built from a chosen output factor, hidden derivative and divisor."""
    delta2 = (d.a2 - d.y) * output_factor
    delta1 = (d.W2.T @ delta2) * hidden_prime
    return -d.eta * delta1 @ d.x.T / divisor


numeric(
    id="ch7-tanh-linear-step", chapter=7,
    title="One step for a tanh hidden layer and a linear output",
    prompt="A 1-2-1 network has a tanh hidden layer, a¹ = tanh(z¹), and a linear output, "
           "a² = z² (identity activation); the cost is the book's quadratic cost, the mean "
           "over the m = 3 samples of ½(a² − y)². Starting from d['net'] (weights net.W(1), "
           "net.W(2), biases net.b(1), net.b(2)), take one full-batch step of the algorithm "
           "on d['x'], d['y'] with learning rate η = d['eta'] = 0.1, working out BP1 and BP2 "
           "for these activations yourself. Give ΔW¹ = W¹(new) − W¹(old), shape (2, 1).",
    setup=tanh_linear_step, answer=lambda d: d.step_W1,
    given_names=("net", "x", "y", "eta"), quantity="ΔW¹",
    mistakes=[
        mistake("sigmoid derivative in the hidden layer",
                "You used the sigmoid's derivative a(1 − a) in the hidden layer. The hidden "
                "layer is tanh, whose derivative, written with its output, is a different "
                "expression.",
                lambda d: _tanh_step(d, 1.0, d.a1 * (1 - d.a1), d.m)),
        mistake("output treated as tanh",
                "You multiplied the output error by a tanh-style derivative 1 − (a²)². The "
                "output is linear, a² = z²: what is ∂a²/∂z² for the identity?",
                lambda d: _tanh_step(d, 1 - d.a2 ** 2, 1 - d.a1 ** 2, d.m)),
        mistake("sum instead of mean",
                "Three times too big: you summed the samples' gradients. The cost is the mean "
                "over the batch, so divide by m = 3.",
                lambda d: _tanh_step(d, 1.0, 1 - d.a1 ** 2, 1)),
    ],
    hint="Write a² = z² and a¹ = tanh(z¹) into the chain rule: what is ∂a/∂z in each layer?",
    explanation="With a linear output, δ²_x = a²_x − y_x (the activation's derivative is 1). "
                "BP2 with tanh′(z) = 1 − a²: δ¹_x = (W²)ᵀ δ²_x ⊙ (1 − (a¹_x)²). Then "
                "ΔW¹ = −η (1/m) Σ_x δ¹_x x_xᵀ, the step one epoch of bpcore.train makes.")


# --------------------------------------------------------------------------------------
# One step with weight decay (derivation: a cost the chapter did not work out).

def weight_decay_step(eta=0.3, lam=0.1):
    """The running example's batch of m = 4 samples, η, λ, and the change [ΔW² | Δb²]
    (2, 4) that one step of gradient descent on C + (λ/2) Σ_l ‖W^l‖² makes, from
    :func:`bpcore.train` with ``weight_decay=lam``.

    Checked here against finite differences of the penalised cost:

    >>> d = weight_decay_step()
    >>> def penalised(n):
    ...     return bpcore.cost(n, d.x, d.y) + d.lam / 2 * sum(np.sum(W ** 2) for W in n.weights)
    >>> h, w = 1e-6, d.net.w(2, 1, 3)
    >>> slope = (penalised(d.net.with_weight(2, 1, 3, w + h))
    ...          - penalised(d.net.with_weight(2, 1, 3, w - h))) / (2 * h)
    >>> bool(np.isclose(d.step[0, 2], -d.eta * slope, rtol=1e-6))
    True
    """
    d = running_batch()
    after = bpcore.train(d.net, d.x, d.y, epochs=1, learning_rate=eta, loss=d.loss,
                         weight_decay=lam, progress=False).network
    step = np.hstack([after.W(2) - d.W[2], (after.b(2) - d.net.b(2)).reshape(-1, 1)])
    return SimpleNamespace(**vars(d), eta=eta, lam=lam, step=step)


def _decay_step(d, weight_term, bias_term):
    """[ΔW² | Δb²] = −η [∂C/∂W² + weight_term | ∂C/∂b² + bias_term]."""
    return -d.eta * np.hstack([d.grad_W[2] + weight_term,
                               (d.grad_b[2]).reshape(-1, 1) + bias_term])


numeric(
    id="ch7-weight-decay-step", chapter=7, title="One step with weight decay",
    prompt="Weight decay trains on a cost with a penalty on large weights: "
           "C_λ = C + (λ/2) Σ_l Σ_jk (w^l_jk)², where C is the book's quadratic cost (the "
           "mean over the batch) and the biases are not penalised. Take one step of gradient "
           "descent on C_λ for the running example's batch of m = 4 samples (d['net'], "
           "d['x'], d['y']), with η = d['eta'] = 0.3 and λ = d['lam'] = 0.1, all gradients "
           "at the current weights. Give the change of the output layer as one (2, 4) array: "
           "ΔW² in the first three columns and Δb² in the last.",
    setup=weight_decay_step, answer=lambda d: d.step,
    given_names=("net", "x", "y", "eta", "lam"), quantity="[ΔW² | Δb²]",
    mistakes=[
        mistake("decay left out",
                "That is the plain gradient step on C: the penalty is missing. Differentiate "
                "(λ/2) Σ w² with respect to each weight and add it to ∂C/∂W².",
                lambda d: _decay_step(d, 0.0, 0.0)),
        mistake("biases decayed too",
                "You shrank the biases as well. The penalty sums over weights only, so "
                "∂C_λ/∂b² = ∂C/∂b²: the last column is the plain step.",
                lambda d: _decay_step(d, d.lam * d.W[2], d.lam * d.net.b(2).reshape(-1, 1))),
        mistake("penalty without the ½",
                "Twice the decay: the penalty carries a ½ in front, which cancels the 2 that "
                "differentiating w² brings.",
                lambda d: _decay_step(d, 2 * d.lam * d.W[2], 0.0)),
        mistake("decay not scaled by η",
                "The decay term should be multiplied by the learning rate like the rest of "
                "the gradient: ΔW² = −η (∂C/∂W² + the penalty's derivative).",
                lambda d: _decay_step(d, 0.0, 0.0) - np.hstack(
                    [d.lam * d.W[2], np.zeros((2, 1))])),
    ],
    hint="The gradient of a sum is the sum of the gradients: BP4 for C, plus the derivative "
         "of the penalty with respect to each w²_jk.",
    explanation="∂C_λ/∂W² = ∂C/∂W² + λ W² and ∂C_λ/∂b² = ∂C/∂b², so "
                "ΔW² = −η ((1/m) δ² (a¹)ᵀ + λ W²) and Δb² = −η (1/m) Σ_x δ²_x: each step "
                "shrinks every weight by the factor (1 − ηλ) before the gradient step. "
                "bpcore.train(weight_decay=λ) makes this step.")
