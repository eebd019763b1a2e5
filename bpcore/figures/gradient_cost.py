"""What a gradient costs: multiply-adds counted per pass, and measured times of one cost
evaluation (a forward pass), one backprop gradient and one central-difference gradient.

Chapter 9 sets the count beside the clock: a forward pass does one product ``W^l a^{l-1}``
per layer, the backward pass two (BP2's ``(W^l)^T delta^l``, not needed for the first layer,
and BP4's ``delta^l (a^{l-1})^T``), and central differences need ``2P`` forward passes.

>>> multiply_adds((2, 3, 2))
(12, 18)
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .. import _validate as v
from ..engine import backprop, cost
from ..gradcheck import numerical_gradients

__all__ = ["multiply_adds", "GradientTimes", "time_gradients"]


def multiply_adds(sizes, m=1):
    """``(forward, backward)``: multiply-adds of the matrix products for ``m`` samples.

    forward = m Σ_l n_l n_{l-1}; backward = BP4's m Σ_l n_l n_{l-1} plus BP2's
    m Σ_{l>=2} n_l n_{l-1} (no error is carried below the first layer).

    >>> multiply_adds((10, 400, 10), m=10)
    (80000, 120000)
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"expected layer sizes such as (2, 3, 2), at least two positive "
                         f"integers, got {tuple(sizes)}")
    pairs = [n * k for n, k in zip(sizes[1:], sizes[:-1])]
    return m * sum(pairs), m * (sum(pairs) + sum(pairs[1:]))


@dataclass(frozen=True)
class GradientTimes:
    """Best-of-``repeats`` seconds per call, one entry per network (arrays of equal length):
    ``P`` parameters, ``cost`` (one forward pass), ``backprop`` and ``numerical``."""
    P: np.ndarray
    cost: np.ndarray
    backprop: np.ndarray
    numerical: np.ndarray

    @property
    def ratio(self):
        """numerical / backprop, per network."""
        return self.numerical / self.backprop


def _seconds(fn, calls, clock):
    start = clock()
    for _ in range(calls):
        fn()
    return (clock() - start) / calls


def time_gradients(nets, x, y, *, repeats=3, calls=20, clock=time.perf_counter):
    """Time ``bpcore.cost``, ``bpcore.backprop`` (``calls`` calls each, averaged) and
    ``bpcore.numerical_gradients`` (one call) on each network of ``nets`` at ``(x, y)``.

    The timings are interleaved (each repeat runs every network once, so a slow moment of
    the machine does not hit one network only), after one untimed warm-up call each, and
    the fastest of ``repeats`` counts.  Returns :class:`GradientTimes`.
    """
    nets = list(nets)
    if not nets:
        raise ValueError("expected at least one network, got none")
    repeats, calls = v.positive_int(repeats, "repeats"), v.positive_int(calls, "calls")
    jobs = [[(lambda n=n: cost(n, x, y)), (lambda n=n: backprop(n, x, y)),
             (lambda n=n: numerical_gradients(n, x, y))] for n in nets]
    for fns in jobs:                                      # warm-up, not timed
        for fn in fns:
            fn()
    best = np.full((len(nets), 3), np.inf)
    for _ in range(repeats):
        for i, fns in enumerate(jobs):
            for k, (fn, n_calls) in enumerate(zip(fns, (calls, calls, 1))):
                best[i, k] = min(best[i, k], _seconds(fn, n_calls, clock))
    P = np.array([n.n_parameters for n in nets])
    return GradientTimes(P, best[:, 0], best[:, 1], best[:, 2])
