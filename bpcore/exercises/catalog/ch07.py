"""Auto-checked exercises of chapter 7 (declared with bpcore.exercises.core).

Chapter 7 runs the four equations as an algorithm: one step of the algorithm on a batch,
the momentum rule of Rumelhart, Hinton & Williams (1986), the gradient norm that Feng's
stopping rule watches, and how many updates an epoch of mini-batches makes.  Every
reference answer and every catalogued wrong answer is computed with bpcore from the
exercise's data.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

import bpcore
from bpcore.activations import sigmoid_prime

from bpcore.examples import running, running_batch

from ..core import mistake, numeric

__all__ = ["algorithm_step", "momentum_steps", "digits_batches"]


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
    hint="ΔW¹ = −η ∂C/∂W¹ with ∂C/∂W¹ = (1/m) δ¹ xᵀ from BP2 and BP4; "
         "bpcore.backprop(net, x, y).W(1) is ∂C/∂W¹.",
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
                "same two steps.")


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
    hint="np.linalg.norm(bpcore.backprop(net, x, y).flat()).",
    explanation="‖∇C‖ = √(Σ (∂C/∂w)² + Σ (∂C/∂b)²) over all 12 weights and 5 biases.")


# --------------------------------------------------------------------------------------
# Updates per epoch.

def digits_batches(batch_size=32):
    """The size m of the digits training set (default split) and a batch size."""
    m = bpcore.datasets.digits().x_train.shape[1]
    return SimpleNamespace(m=m, batch_size=batch_size,
                           updates=len(range(0, m, batch_size)))


numeric(
    id="ch7-updates-per-epoch", chapter=7, title="How many updates make an epoch?",
    prompt="bpcore.train with batch_size=d['batch_size'] = 32 shuffles the m = d['m'] "
           "training digits once per epoch and then updates the weights once per batch, the "
           "last batch holding whatever is left over. How many weight updates does one epoch "
           "make? A single whole number.",
    setup=digits_batches, answer=lambda d: d.updates, given_names=("m", "batch_size"),
    quantity="updates per epoch", rtol=0.0, atol=1e-9,
    mistakes=[
        mistake("last batch dropped",
                "You rounded down. The samples left over after the full batches form one "
                "more, smaller batch, and it makes an update too: round up.",
                lambda d: d.m // d.batch_size),
        mistake("one update per sample",
                "That is one update per sample (batch size 1). With batches of 32, the "
                "weights move once per batch.",
                lambda d: d.m),
        mistake("not a whole number",
                "An epoch cannot make a fraction of an update: m / batch_size full and "
                "partial batches, rounded up.",
                lambda d: d.m / d.batch_size),
    ],
    hint="Count the batches: ⌈m / batch_size⌉.",
    explanation="⌈1347 / 32⌉ = 43: 42 full batches of 32 and one batch of the last 3 "
                "samples.")
