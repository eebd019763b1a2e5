"""The costs the cost-surface stepper descends, and the words and box it draws them with.

A :class:`Surface` is a cost of two parameters with its gradient and the defaults the
stepper starts from: the fixed ``"valley"`` and ``"bowl"``, or a network's cost as a
function of two of its weights (:func:`network_surface`).

>>> s = SURFACES["valley"]
>>> float(s.cost(1.0, 1.0)), s.grad(1.0, 1.0)
(3.0, array([1., 5.]))
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ..diagrams import weight_name
from ..engine import backprop, cost
from ..tex import sym

__all__ = ["Surface", "SURFACES", "network_surface", "verdict", "default_extent"]

PLAIN_NAMES = ("p\u2081", "p\u2082")


class Surface(NamedTuple):
    """A cost C(p1, p2), its gradient (shape (2,)), a start, learning rates, the axis names
    in TeX and plain text, and the formula shown above each step."""
    cost: Callable
    grad: Callable
    start: tuple | None
    rates: object
    axis_names: tuple
    plot_names: tuple
    formula: str


def _valley(kappa):
    def cost_fn(p0, p1):
        return 0.5 * (p0 ** 2 + kappa * p1 ** 2)

    def grad_fn(p0, p1):
        return np.array([p0, kappa * p1])
    return cost_fn, grad_fn


SURFACES = {
    # an elongated valley C = (p1^2 + 5 p2^2) / 2: gradient descent converges for
    # eta < 2/5, fastest at eta = 2/(1 + 5), where each step shrinks the error by 2/3
    "valley": Surface(*_valley(5.0), (-2.5, 1.0),
                      {"too small": 0.03, "good": 0.3, "too large": 0.45},
                      (r"p_1", r"p_2"), PLAIN_NAMES, r"C(p) = \tfrac{1}{2}(p_1^2 + 5\, p_2^2)"),
    # a round bowl C = (p0^2 + p1^2) / 2: converges for eta < 2
    "bowl": Surface(*_valley(1.0), (-2.0, 1.5), {"too small": 0.05, "good": 0.5, "too large": 2.1},
                    (r"p_1", r"p_2"), PLAIN_NAMES, r"C(p) = \tfrac{1}{2}(p_1^2 + p_2^2)"),
}


def network_surface(net, x, y, loss, keys):
    """The cost of ``net`` on one sample as a function of the two weights ``keys`` (the
    book's 1-based (l, j, k)), every other parameter fixed; its gradient from backprop."""
    def at(p0, p1):
        (l0, j0, k0), (l1, j1, k1) = keys
        return net.with_weight(l0, j0, k0, p0).with_weight(l1, j1, k1, p1)

    def cost_fn(p0, p1):
        return cost(at(p0, p1), x, y, loss)

    def grad_fn(p0, p1):
        g = backprop(at(p0, p1), x, y, loss)
        return np.array([g.W(l)[j - 1, k - 1] for l, j, k in keys])

    axis_names = tuple(sym("w", l, j, k) for l, j, k in keys)
    return Surface(cost_fn, grad_fn, tuple(float(net.W(l)[j - 1, k - 1]) for l, j, k in keys),
                   (1.0, 10.0, 100.0), axis_names,
                   tuple(weight_name(l, j - 1, k - 1) for l, j, k in keys),
                   rf"C({axis_names[0]}, {axis_names[1]}) \text{{, the {loss} cost of the "
                   r"network with every other parameter fixed}")


def verdict(cs, grad_norms):
    """What the path did, in words, from its costs and gradient norms."""
    if not np.all(np.isfinite(cs)) or cs[-1] > cs[0]:
        return ("The cost went up: each step overshoots the valley floor, further every time. "
                "This learning rate is too large, and the path diverges.")
    if grad_norms[-1] < 0.01 * grad_norms[0]:
        return "The gradient is almost zero: the path has converged to the minimum."
    if np.any(np.diff(cs) > 0):
        return ("The cost went down overall, but not at every step: the path zigzags across "
                "the valley. A smaller learning rate would follow the floor more smoothly.")
    return ("The cost went down at every step, but the gradient is still far from zero: more "
            "steps are needed, or a larger learning rate.")


def default_extent(p_start, paths):
    """A box ((p1_min, p1_max), (p2_min, p2_max)) around the paths, padded; a diverging
    path may leave it."""
    calm = np.vstack([p_start[None, :]] + [p for p in paths[:-1]]) if len(paths) > 1 \
        else np.vstack([p_start[None, :], paths[0]])
    lo, hi = calm.min(axis=0), calm.max(axis=0)
    span = np.maximum(hi - lo, 0.5)
    lo, hi = lo - 0.25 * span, hi + 0.25 * span
    every = np.vstack(paths)
    every = every[np.all(np.isfinite(every), axis=1)]
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    wide_lo = np.maximum(every.min(axis=0) - 0.1 * span, centre - 2 * half)
    wide_hi = np.minimum(every.max(axis=0) + 0.1 * span, centre + 2 * half)
    lo, hi = np.minimum(lo, wide_lo), np.maximum(hi, wide_hi)
    return ((float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])))
