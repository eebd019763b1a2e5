"""What a gradient costs: multiply-adds counted per pass, and measured times of one cost
evaluation (a forward pass), one backprop gradient and one central-difference gradient;
for chapter 15 also the forward pass, the backward pass alone and the whole gradient
(:func:`time_passes`), and any list of calls (:func:`time_calls`).

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
from ..engine import (Gradients, backprop, bias_gradients, cost, forward, hidden_deltas,
                      output_delta, weight_gradients)
from ..gradcheck import numerical_gradients

__all__ = ["multiply_adds", "GradientTimes", "time_gradients", "PassTimes", "backward_pass",
           "time_calls", "time_passes"]


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


# ---------------------------------------------------------------------------------------
# Chapter 15: the forward and the backward pass timed apart.

@dataclass(frozen=True)
class PassTimes:
    """Best-of-``repeats`` seconds per call, one entry per network (arrays of equal
    length): ``forward`` (:func:`bpcore.forward`), ``backward`` (:func:`backward_pass`,
    BP1-BP4 from a stored forward pass) and ``gradient`` (:func:`bpcore.backprop`, both
    passes); ``sizes`` are the networks' layer sizes."""
    sizes: tuple
    forward: np.ndarray
    backward: np.ndarray
    gradient: np.ndarray

    @property
    def ratio(self):
        """backward / forward, per network."""
        return self.backward / self.forward


def backward_pass(net, fp, y, loss="mse"):
    """The backward pass alone, from the forward pass ``fp = bpcore.forward(net, x)``:
    BP1, BP2, then BP4 and BP3, with bpcore's public functions.  Returns
    :class:`bpcore.Gradients`, equal to ``bpcore.backprop(net, x, y, loss)``.

    >>> import bpcore
    >>> net = bpcore.Network.random([2, 3, 1], seed=0)
    >>> x, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0, 0.0]])
    >>> g = backward_pass(net, bpcore.forward(net, x), y)
    >>> bool(np.allclose(g.flat(), bpcore.backprop(net, x, y).flat(), rtol=1e-12))
    True
    """
    deltas = hidden_deltas(net, fp, output_delta(net, fp, y, loss))
    return Gradients(tuple(weight_gradients(fp, deltas)), tuple(bias_gradients(deltas)))


def _threads(threads):
    """A context that limits numpy's BLAS to ``threads`` threads (None: leave it)."""
    if threads is None:
        return _Unchanged()
    from threadpoolctl import threadpool_limits   # ships with scikit-learn
    return threadpool_limits(limits=v.positive_int(threads, "threads"), user_api="blas")


class _Unchanged:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def time_calls(fns, *, repeats=5, calls=5, clock=time.perf_counter, threads=None):
    """Seconds per call of each function of ``fns`` (called with no arguments).

    After one untimed warm-up call each, every repeat times ``calls`` calls of each
    function in turn (interleaved, so a slow moment of the machine does not hit one function
    only); the fastest of ``repeats`` counts.  ``threads`` limits numpy's BLAS to that many
    threads while timing (None leaves it as it is).  Returns an array, one entry per
    function.

    >>> import itertools
    >>> ticks = itertools.count()                # a fake clock: 1 s per reading
    >>> time_calls([lambda: None, lambda: None], repeats=2, calls=4,
    ...            clock=lambda: float(next(ticks)))
    array([0.25, 0.25])
    """
    fns = list(fns)
    if not fns:
        raise ValueError("expected at least one function to time, got none")
    if not all(callable(fn) for fn in fns):
        bad = next(fn for fn in fns if not callable(fn))
        raise TypeError(f"expected functions to call with no arguments, got "
                        f"{type(bad).__name__}; wrap a call as lambda: f(x)")
    repeats, calls = v.positive_int(repeats, "repeats"), v.positive_int(calls, "calls")
    best = np.full(len(fns), np.inf)
    with _threads(threads):
        for fn in fns:                                    # warm-up, not timed
            fn()
        for _ in range(repeats):
            for i, fn in enumerate(fns):
                best[i] = min(best[i], _seconds(fn, calls, clock))
    return best


def time_passes(nets, x, y, loss="mse", *, repeats=5, calls=5, clock=time.perf_counter,
                threads=None):
    """Time the forward pass, the backward pass alone and the whole gradient of each
    network of ``nets`` at ``(x, y)`` with :func:`time_calls` (all interleaved).

    The backward pass runs :func:`backward_pass` on a forward pass stored beforehand, so
    it is timed without the forward pass it needs.  Returns :class:`PassTimes`.
    """
    nets = list(nets)
    if not nets:
        raise ValueError("expected at least one network, got none")
    fps = [forward(n, x) for n in nets]
    fns = []
    for n, fp in zip(nets, fps):
        fns += [lambda n=n: forward(n, x), lambda n=n, fp=fp: backward_pass(n, fp, y, loss),
                lambda n=n: backprop(n, x, y, loss)]
    best = time_calls(fns, repeats=repeats, calls=calls, clock=clock,
                      threads=threads).reshape(len(nets), 3)
    return PassTimes(tuple(n.sizes for n in nets), best[:, 0], best[:, 1], best[:, 2])
