"""Gradient checking: central differences and the relative error between two gradients."""
from __future__ import annotations

import numpy as np

from . import _validate as v
from .engine import Gradients, _cost, _inputs
from .network import Network

__all__ = ["numerical_gradients", "relative_error"]


def numerical_gradients(net, x, y, loss="mse", eps=1e-6):
    """dC/dtheta for every weight and bias by central differences,
    (C(theta + eps) - C(theta - eps)) / (2 eps), whose error shrinks like eps^2.

    Costs two forward passes per parameter, against one forward and one backward pass for
    :func:`bpcore.backprop` for all of them.  Returns :class:`Gradients` shaped like
    ``backprop``'s.

    >>> from bpcore import backprop
    >>> net = Network.random([2, 2, 1], seed=0)
    >>> x, y = np.array([[0.5], [-1.0]]), np.array([[1.0]])
    >>> relative_error(numerical_gradients(net, x, y), backprop(net, x, y)) < 1e-8
    True
    """
    eps = v.positive_number(eps, "eps")
    x2, y2, _ = _inputs(net, x, y, loss)
    # C order, so that reshape(-1) below is a view and a nudge reaches the network
    params = [np.array(p, order="C") for p in net.weights + net.biases]
    L = net.n_layers
    work = Network._unchecked(params[:L], params[L:], net.activations, net.dtype)
    grads = [np.zeros_like(p) for p in params]
    for p, g in zip(params, grads):
        flat_p, flat_g = p.reshape(-1), g.reshape(-1)
        for k in range(flat_p.size):
            old = flat_p[k]
            flat_p[k] = old + eps
            c_plus = _cost(work, x2, y2, loss)
            flat_p[k] = old - eps
            c_minus = _cost(work, x2, y2, loss)
            flat_p[k] = old
            flat_g[k] = (c_plus - c_minus) / (2 * eps)
    return Gradients(tuple(grads[:L]), tuple(grads[L:]))


def _flat(g, name):
    if isinstance(g, Gradients):
        return g.flat()
    return v.as_float_array(g, name).ravel()


def relative_error(g1, g2):
    """||g1 - g2|| / max(||g1|| + ||g2||, tiny), over all entries.

    Accepts two :class:`Gradients` records or two arrays of the same shape.  Rough guide in
    float64: below 1e-7 the gradients agree; around 1e-4 look for a bug, unless a ReLU kink
    lies within eps of some z; above 1e-2 something is wrong.

    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    >>> round(relative_error(np.array([1.0]), np.array([3.0])), 3)
    0.5
    """
    a, b = _flat(g1, "g1"), _flat(g2, "g2")
    if a.shape != b.shape:
        raise ValueError(f"cannot compare gradients of {a.size} and {b.size} entries")
    denom = max(np.linalg.norm(a) + np.linalg.norm(b), np.finfo(float).tiny)
    return float(np.linalg.norm(a - b) / denom)
