"""Costs.  Every cost is a mean over the m samples (the columns) of a per-sample loss.

* ``mse``:  C = (1/m) sum_x 1/2 ||y - a^L||^2
* ``cross_entropy``:  C = -(1/m) sum_x sum_j y_j ln a^L_j, for outputs and targets that are
  probability distributions (softmax outputs, or sigmoid outputs)
* ``binary_cross_entropy``:  C = -(1/m) sum_x sum_j [y_j ln a^L_j + (1 - y_j) ln(1 - a^L_j)],
  for sigmoid outputs with targets in [0, 1]

``grad_a`` is the per-sample gradient dC_x/da^L (not divided by m): BP1 works one sample
at a time, and the 1/m enters in BP3 and BP4.

>>> import numpy as np
>>> y = np.array([[1.0, 0.0]]); a = np.array([[0.5, 0.5]])
>>> float(value("mse", y, a, z=None, activation="sigmoid"))
0.125
"""
from __future__ import annotations

import numpy as np

__all__ = ["LOSSES", "value", "per_sample", "grad_a", "PROBABILITY_OUTPUTS"]

LOSSES = ("mse", "cross_entropy", "binary_cross_entropy")

# Output activations whose values are probabilities, so that ln a is defined.
PROBABILITY_OUTPUTS = {
    "mse": ("sigmoid", "tanh", "relu", "identity", "softmax"),
    "cross_entropy": ("softmax", "sigmoid"),
    "binary_cross_entropy": ("sigmoid", "softmax"),
}


def _log_a(z, a, activation):
    """ln a computed from z where that is exact and finite (no ln 0 after underflow)."""
    if activation == "sigmoid":
        return -np.logaddexp(0.0, -z)
    if activation == "softmax":
        zmax = z.max(axis=0, keepdims=True)
        return z - zmax - np.log(np.exp(z - zmax).sum(axis=0, keepdims=True))
    return np.log(a)


def _log_one_minus_a(z, a, activation):
    if activation == "sigmoid":
        return -np.logaddexp(0.0, z)
    return np.log1p(-np.minimum(a, 1.0 - np.finfo(float).eps))


def per_sample(name, y, a, z, activation):
    """The loss of each sample, shape (m,).  ``z`` may be None for ``mse``."""
    if name == "mse":
        return 0.5 * np.sum((y - a) ** 2, axis=0)
    if name == "cross_entropy":
        log_a = _log_a(z, a, activation)
        # 0 * ln 0 counts as 0: a target of 0 contributes nothing.
        return -np.sum(np.where(y > 0, y * log_a, 0.0), axis=0)
    log_a = _log_a(z, a, activation)
    log_1ma = _log_one_minus_a(z, a, activation)
    return -np.sum(np.where(y > 0, y * log_a, 0.0) + np.where(y < 1, (1 - y) * log_1ma, 0.0),
                   axis=0)


def value(name, y, a, z, activation):
    """The cost C: the mean over samples of :func:`per_sample`."""
    return float(np.mean(per_sample(name, y, a, z, activation)))


def grad_a(name, y, a):
    """dC_x/da for each sample: the first factor of BP1.  Shape (n_L, m).

    * mse: a - y
    * cross_entropy: -y / a
    * binary_cross_entropy: (a - y) / (a (1 - a))

    The divisions are guarded so that a saturated output gives a large finite number, not
    inf; the matched pairs never call this (see :func:`bpcore.output_delta`).

    >>> grad_a("mse", np.array([[1.0]]), np.array([[0.25]]))
    array([[-0.75]])
    """
    if name == "mse":
        return a - y
    tiny = np.finfo(float).tiny
    if name == "cross_entropy":
        return -y / np.maximum(a, tiny)
    return (a - y) / np.maximum(a * (1.0 - a), tiny)
