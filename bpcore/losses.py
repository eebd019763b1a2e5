"""Costs, each one record in a registry.  Every cost is a mean over the m samples (the
columns) of a per-sample loss.

* ``mse``:  C = (1/m) sum_x 1/2 ||y - a^L||^2
* ``cross_entropy``:  C = -(1/m) sum_x sum_j y_j ln a^L_j, for outputs and targets that are
  probability distributions (softmax outputs, or sigmoid outputs)
* ``binary_cross_entropy``:  C = -(1/m) sum_x sum_j [y_j ln a^L_j + (1 - y_j) ln(1 - a^L_j)],
  for sigmoid outputs with targets in [0, 1]

A :class:`Loss` record holds a cost's value, its gradient with respect to a^L, its TeX and
sympy forms, which outputs and targets it accepts, and the output activations with which
delta^L simplifies (the matched pairs).  The engine, :mod:`bpcore.symbolic`, the steppers
and the exercises read these records; :data:`MATCHED_PAIRS` is derived from them.

``grad_a`` is the per-sample gradient dC_x/da^L (not divided by m): BP1 works one sample
at a time, and the 1/m enters in BP3 and BP4.

>>> import numpy as np
>>> y = np.array([[1.0, 0.0]]); a = np.array([[0.5, 0.5]])
>>> float(value("mse", y, a, z=None, activation="sigmoid"))
0.125
>>> sorted(MATCHED_PAIRS)
[('sigmoid', 'binary_cross_entropy'), ('softmax', 'cross_entropy')]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy

from . import _registry
from .activations import ACTIVATIONS, get as get_activation
from .tex import factor, number

__all__ = ["Loss", "LOSSES", "MATCHED_PAIRS", "register", "get", "names", "pairs", "value",
           "per_sample", "grad_a"]


def _a_minus_y(a, y):
    # The matched pairs: the activation's derivative cancels the loss's denominator exactly.
    return a - y


@dataclass(frozen=True, eq=False, kw_only=True)
class Loss:
    """Everything about one cost, in one record.

    ``per_sample(y, a, z, activation)`` is the loss of each sample, shape (m,), where
    ``activation`` is the output layer's :class:`~bpcore.activations.Activation`;
    ``gradient(y, a)`` is dC_x/da^L, shape (n_L, m); ``tex`` and ``tex_grad`` write the loss
    and that gradient in TeX, and ``tex_grad_row(j, a, y, g)`` the gradient of output j
    (1-based) with its numbers; ``sympy(y, a)`` the loss of one sample
    for lists of sympy expressions.  ``needs_probabilities``: the output activation must
    produce values in (0, 1) (``Activation.probability``), so that ln a is defined;
    ``unit_targets``: targets in [0, 1]; ``distribution_with``: output activations for which
    each target column must sum to 1.  ``shortcuts`` maps an output activation's name to
    delta^L computed directly from (a, y), written without the division that the two
    factors of BP1 would do; where it is a - y the pair is *matched*.
    """
    name: str
    per_sample: Callable
    gradient: Callable
    tex: str
    tex_grad: str
    tex_grad_row: Callable
    sympy: Callable
    needs_probabilities: bool = False
    unit_targets: bool = False
    distribution_with: tuple = ()
    shortcuts: Mapping = field(default_factory=dict)

    def outputs(self):
        """The output activations this loss accepts."""
        return tuple(n for n, act in ACTIVATIONS.items()
                     if act.probability or not self.needs_probabilities)

    @property
    def matched(self):
        """The output activations with which delta^L = a - y."""
        return tuple(n for n, rule in self.shortcuts.items() if rule is _a_minus_y)


LOSSES = {}
# (output activation, loss) whose delta^L simplifies to a - y (see bpcore.output_delta);
# register() keeps it up to date.
MATCHED_PAIRS = set()


def register(loss):
    """Add a :class:`Loss` to the registry."""
    _registry.add(LOSSES, loss, Loss, "loss")
    MATCHED_PAIRS.update((act, loss.name) for act in loss.matched)
    return loss


def get(name):
    """The record of loss ``name``; ValueError listing the valid names otherwise."""
    return _registry.lookup(LOSSES, name, "loss")


def names():
    """The registered loss names."""
    return tuple(LOSSES)


def pairs():
    """Every valid (output activation, loss) pair, read from the registries now.

    >>> ("softmax", "mse") in pairs(), ("relu", "cross_entropy") in pairs()
    (True, False)
    """
    return [(act, loss.name) for loss in LOSSES.values() for act in loss.outputs()]


def _log_a(z, a, activation):
    """ln a computed from z where that is exact and finite (no ln 0 after underflow)."""
    return activation.log_a(z) if activation.log_a is not None else np.log(a)


def _log_one_minus_a(z, a, activation):
    if activation.log_one_minus_a is not None:
        return activation.log_one_minus_a(z)
    return np.log1p(-np.minimum(a, 1.0 - np.finfo(float).eps))


def _mse(y, a, z, activation):
    return 0.5 * np.sum((y - a) ** 2, axis=0)


def _cross_entropy(y, a, z, activation):
    # 0 * ln 0 counts as 0: a target of 0 contributes nothing.
    return -np.sum(np.where(y > 0, y * _log_a(z, a, activation), 0.0), axis=0)


def _binary_cross_entropy(y, a, z, activation):
    log_a, log_1ma = _log_a(z, a, activation), _log_one_minus_a(z, a, activation)
    return -np.sum(np.where(y > 0, y * log_a, 0.0) + np.where(y < 1, (1 - y) * log_1ma, 0.0),
                   axis=0)


_TINY = np.finfo(float).tiny

register(Loss(
    name="mse", per_sample=_mse, gradient=lambda y, a: a - y,
    tex=r"C = \tfrac{1}{2} \sum_j (y_j - a^{L}_j)^2",
    tex_grad=r"\frac{\partial C}{\partial a^{L}_j} = a^{L}_j - y_j",
    tex_grad_row=lambda j, a, y, g: (rf"\frac{{\partial C}}{{\partial a^{{L}}_{{{j}}}}} = "
                                 rf"{number(a)} - {factor(y)} = {number(g)}"),
    sympy=lambda y, a: sympy.Rational(1, 2) * sympy.Add(*[(aj - yj) ** 2
                                                          for yj, aj in zip(y, a)])))
register(Loss(
    name="cross_entropy", per_sample=_cross_entropy,
    gradient=lambda y, a: -y / np.maximum(a, _TINY),
    tex=r"C = -\sum_j y_j \ln a^{L}_j",
    tex_grad=r"\frac{\partial C}{\partial a^{L}_j} = -\frac{y_j}{a^{L}_j}",
    tex_grad_row=lambda j, a, y, g: (rf"\frac{{\partial C}}{{\partial a^{{L}}_{{{j}}}}} = "
                                 rf"-\frac{{{number(y)}}}{{{number(a)}}} = {number(g)}"),
    sympy=lambda y, a: -sympy.Add(*[yj * sympy.log(aj) for yj, aj in zip(y, a)]),
    needs_probabilities=True, unit_targets=True, distribution_with=("softmax",),
    # sigmoid: -y/a * a(1 - a) = -y (1 - a), the same cancellation without dividing by a
    shortcuts={"softmax": _a_minus_y, "sigmoid": lambda a, y: -y * (1.0 - a)}))
register(Loss(
    name="binary_cross_entropy", per_sample=_binary_cross_entropy,
    gradient=lambda y, a: (a - y) / np.maximum(a * (1.0 - a), _TINY),
    tex=r"C = -\sum_j \left[ y_j \ln a^{L}_j + (1 - y_j) \ln(1 - a^{L}_j) \right]",
    tex_grad=(r"\frac{\partial C}{\partial a^{L}_j} = "
              r"\frac{a^{L}_j - y_j}{a^{L}_j (1 - a^{L}_j)}"),
    tex_grad_row=lambda j, a, y, g: (rf"\frac{{\partial C}}{{\partial a^{{L}}_{{{j}}}}} = "
                                 rf"\frac{{{number(a)} - {factor(y)}}}"
                                 rf"{{{number(a)}\,(1 - {number(a)})}} = {number(g)}"),
    sympy=lambda y, a: -sympy.Add(*[yj * sympy.log(aj) + (1 - yj) * sympy.log(1 - aj)
                                    for yj, aj in zip(y, a)]),
    needs_probabilities=True, unit_targets=True, shortcuts={"sigmoid": _a_minus_y}))


def per_sample(name, y, a, z, activation):
    """The loss of each sample, shape (m,).  ``z`` may be None for ``mse``."""
    return get(name).per_sample(y, a, z, get_activation(activation))


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
    return get(name).gradient(y, a)
