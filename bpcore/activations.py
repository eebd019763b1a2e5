"""Activation functions, each written beside its derivative, and the registry that holds
each one as a single record.

Every activation ``f`` acts on a pre-activation array ``z`` of shape (n, m), one column per
sample, and returns ``a = f(z)`` of the same shape.  Backpropagation needs the product of
the activation's Jacobian with an upstream gradient, ``dC/dz = J_f(z)^T dC/da``.  For the
element-wise activations that Jacobian is diagonal, so the product is the Hadamard product
``dC/da * f'(z)``; softmax is the one activation whose Jacobian is full.

Everything the book knows about an activation sits in its :class:`Activation` record: the
function, its derivative (and the convention at a kink), its TeX, its sympy form, the
initialisation gain that suits it.  The engine, :mod:`bpcore.symbolic`, the steppers,
:mod:`bpcore.jacobians` and the exercises all read the record, so adding an activation is
one call to :func:`register`.

>>> import numpy as np
>>> z = np.array([[-2.0, 0.0, 3.0]])
>>> sigmoid(z).round(4)
array([[0.1192, 0.5   , 0.9526]])
>>> relu_prime(z)
array([[0., 0., 1.]])
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy
from scipy.special import expit

from . import _registry
from . import sympy_functions as sf
from .tex import factor, number

__all__ = [
    "Activation", "ACTIVATIONS", "register", "get", "names", "sigmoid", "sigmoid_prime", "tanh",
    "tanh_prime", "relu", "relu_prime", "identity", "identity_prime", "softmax",
    "softmax_jacobian", "backward",
]


def _float(z):
    """z as a float array, keeping float32 as float32."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(float)


def sigmoid(z):
    """Logistic sigmoid, sigma(z) = 1 / (1 + e^{-z}).

    Numerically stable for any finite z: |z| = 1000 gives 0.0 or 1.0 with no overflow
    warning, and tiny outputs keep their relative precision (sigma(-40) = 4.2e-18, not 0).
    Small arrays go through scipy's ``expit``, one compiled loop.  Its loop is not
    vectorised, so from _SIGMOID_PASSES_FROM elements on four in-place passes of numpy's
    vectorised exp are about three times faster (1 / inf = 0 where e^{-z} overflows).

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    >>> print(f"{float(sigmoid(np.array(-40.0))):.4g}")
    4.248e-18
    """
    z = _float(z)
    if z.size < _SIGMOID_PASSES_FROM:
        return expit(z)
    a = np.negative(z, out=np.empty_like(z))
    with np.errstate(over="ignore"):
        np.exp(a, out=a)
    a += 1.0
    return np.reciprocal(a, out=a)


# Where four numpy passes overtake expit (measured at about 500 elements; both take about
# 2 microseconds there, so the exact point hardly matters).
_SIGMOID_PASSES_FROM = 1024


def sigmoid_prime(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)).

    >>> float(sigmoid_prime(np.array(0.0)))
    0.25
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent, tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z}).

    >>> float(tanh(np.array(0.0)))
    0.0
    """
    return np.tanh(z)


def tanh_prime(z):
    """tanh'(z) = 1 - tanh(z)^2.

    >>> float(tanh_prime(np.array(0.0)))
    1.0
    """
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z):
    """Rectified linear unit, relu(z) = max(0, z).

    >>> relu(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 2.])
    """
    z = _float(z)
    return np.maximum(z, 0.0)


def relu_prime(z):
    """relu'(z) = 1 for z > 0 and 0 for z < 0.

    At z = 0 the derivative does not exist; like most libraries we use the convention
    relu'(0) = 0 (the subgradient at the kink).  Finite differences that straddle z = 0
    disagree with any convention, which chapter 9 shows.

    >>> relu_prime(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 1.])
    """
    z = _float(z)
    return (z > 0).astype(z.dtype)


def identity(z):
    """identity(z) = z, the linear output unit.

    >>> identity(np.array([1.5]))
    array([1.5])
    """
    return np.array(_float(z))


def identity_prime(z):
    """identity'(z) = 1.

    >>> identity_prime(np.array([1.5, -3.0]))
    array([1., 1.])
    """
    return np.ones_like(_float(z))


def softmax(z):
    """Softmax over each column: a_i = e^{z_i} / sum_j e^{z_j}.

    Each output depends on the whole column z, not on z_i alone.  Computed with the
    log-sum-exp shift (subtracting the column maximum), so |z| = 1000 is safe.

    >>> softmax(np.array([[1000.0], [0.0]]))
    array([[1.],
           [0.]])
    """
    z = _float(z)
    e = np.subtract(z, z.max(axis=0, keepdims=True))  # z - max_j z_j, a new array
    np.exp(e, out=e)
    e /= e.sum(axis=0, keepdims=True)
    return e


def softmax_jacobian(z):
    """The full softmax Jacobian for one sample, J_ij = da_i/dz_j = a_i (delta_ij - a_j).

    ``z`` has shape (n,); the result has shape (n, n).  Backpropagation never forms this
    matrix (see :func:`backward`); it is here for chapters and tests.

    >>> softmax_jacobian(np.array([0.0, 0.0]))
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    a = softmax(_float(z).reshape(-1, 1)).ravel()
    return np.diag(a) - np.outer(a, a)


def _softmax_backward(z, a, grad_a):
    # J^T g with J = diag(a) - a a^T, column by column: a * (g - sum_i a_i g_i).
    return a * (grad_a - np.sum(a * grad_a, axis=0, keepdims=True))


# ---------------------------------------------------------------------------------------
# The registry.

@dataclass(frozen=True, eq=False, kw_only=True)
class Activation:
    """Everything about one activation, in one record.

    ``f(z)`` and ``prime(z)`` act element-wise on arrays (n, m); ``prime_from_a(a)``, where
    given, computes the same derivative from the activation (sigma' = a (1 - a)), which is
    how the engine does it.  ``tex`` is the function's symbol (``\\sigma``); ``sympy(u)``
    its sympy form for one expression u (plain sympy is fine: ``sympy.Max(0, u)``).
    ``kink`` states the derivative convention where the function has a kink ("" if it is
    smooth).  ``gain`` scales the initial weights' variance, gain / n_{l-1} (2 for ReLU, He et
    al. 2015).  ``probability`` marks outputs in (0, 1), which the log losses need;
    ``log_a`` and ``log_one_minus_a`` compute ln a and ln(1 - a) from z without rounding a to
    0 or 1 first.  ``output_only`` and ``min_outputs`` restrict where it may be used.

    Softmax is the one activation that is not element-wise: ``elementwise=False``, with its
    own ``backward_rule(z, a, grad_a)`` and ``sympy_layer(z_list)``.
    """
    name: str
    f: Callable
    prime: Callable | None
    tex: str
    sympy: Callable | None
    prime_from_a: Callable | None = None
    kink: str = ""
    gain: float = 1.0
    probability: bool = False
    log_a: Callable | None = None
    log_one_minus_a: Callable | None = None
    output_only: bool = False
    min_outputs: int = 1
    elementwise: bool = True
    backward_rule: Callable | None = None
    sympy_layer: Callable | None = None
    value_tex: Callable | None = None
    derivative_tex: Callable | None = None

    def derivative(self, z, a):
        """f'(z), from a where the record says that is how bpcore computes it."""
        if not self.elementwise:
            raise ValueError(f"{self.name} is not element-wise: it has a Jacobian, not a "
                             "derivative per neuron; use backward(z, a, grad_a)")
        return self.prime_from_a(a) if self.prime_from_a is not None else self.prime(z)

    def backward(self, z, a, grad_a):
        """dC/dz = J(z)^T grad_a; for an element-wise activation grad_a (.) f'(z)."""
        if self.backward_rule is not None:
            return self.backward_rule(z, a, grad_a)
        return grad_a * self.derivative(z, a)

    def sympy_column(self, zs):
        """The sympy form of a layer's activations from its list of weighted inputs."""
        if self.sympy_layer is not None:
            return self.sympy_layer(zs)
        return [self.sympy(z) for z in zs]

    def tex_value(self, z, a):
        """f(z) = a with the numbers, in TeX: ``\\tanh(0.5000) = 0.4621``."""
        if self.value_tex is not None:
            return self.value_tex(z, a)
        return rf"{self.tex}({number(z)}) = {number(a)}"

    def tex_derivative(self, sym_z, sym_a, z, a, d):
        """f'(z) = d with the numbers, in TeX; ``sym_z`` and ``sym_a`` are the symbols."""
        if self.derivative_tex is not None:
            return self.derivative_tex(sym_z, sym_a, z, a, d)
        return rf"{self.tex}'({sym_z}) = {number(d)}"


ACTIVATIONS = {}


def register(activation):
    """Add an :class:`Activation` to the registry (every part of bpcore then accepts it).

    >>> print(get("tanh").tex)
    \\tanh
    """
    if isinstance(activation, Activation) and activation.elementwise and (
            activation.prime is None or activation.sympy is None):
        raise ValueError(f"activation {activation.name!r} needs prime (its derivative) and "
                         "sympy (its sympy form)")
    return _registry.add(ACTIVATIONS, activation, Activation, "activation")


def get(name):
    """The record of activation ``name``; ValueError listing the valid names otherwise."""
    return _registry.lookup(ACTIVATIONS, name, "activation")


def names():
    """The registered activation names, in registration order."""
    return tuple(ACTIVATIONS)


def backward(name, z, a, grad_a):
    """dC/dz from dC/da through activation ``name``: J(z)^T grad_a.

    For element-wise activations this is ``grad_a * f'(z)`` (the Hadamard product of BP1 and
    BP2); for softmax it is the product with the full Jacobian, computed without forming it.
    ``z``, ``a`` and ``grad_a`` have shape (n, m).

    >>> z = np.array([[0.0], [0.0]])
    >>> backward("softmax", z, softmax(z), np.array([[1.0], [0.0]]))
    array([[ 0.25],
           [-0.25]])
    """
    return get(name).backward(z, a, grad_a)


def _log_softmax(z):
    zmax = z.max(axis=0, keepdims=True)
    return z - zmax - np.log(np.exp(z - zmax).sum(axis=0, keepdims=True))


def _relu_derivative_tex(sym_z, sym_a, z, a, d):
    why = r"0 \text{ because } z \le 0" if z <= 0 else r"1 \text{ because } z > 0"
    return rf"\operatorname{{relu}}'({sym_z}) = {why}"


register(Activation(
    name="sigmoid", f=sigmoid, prime=sigmoid_prime, prime_from_a=lambda a: a * (1.0 - a),
    tex=r"\sigma", sympy=sf.sigma, probability=True,
    log_a=lambda z: -np.logaddexp(0.0, -z), log_one_minus_a=lambda z: -np.logaddexp(0.0, z),
    value_tex=lambda z, a: rf"\sigma({number(z)}) = \frac{{1}}{{1 + e^{{{number(-z)}}}}} = "
                           rf"{number(a)}",
    derivative_tex=lambda sz, sa, z, a, d: (rf"\sigma'({sz}) = {sa}\,(1 - {sa}) = "
                                            rf"{number(a)}\,(1 - {number(a)}) = {number(d)}")))
register(Activation(
    name="tanh", f=tanh, prime=tanh_prime, prime_from_a=lambda a: 1.0 - a * a,
    tex=r"\tanh", sympy=sympy.tanh,
    derivative_tex=lambda sz, sa, z, a, d: (rf"\tanh'({sz}) = 1 - ({sa})^2 = "
                                            rf"1 - {factor(a)}^2 = {number(d)}")))
register(Activation(
    name="relu", f=relu, prime=relu_prime, tex=r"\operatorname{relu}", sympy=sf.relu,
    kink="relu'(0) = 0, the subgradient most libraries use", gain=2.0,
    value_tex=lambda z, a: rf"\max(0, {number(z)}) = {number(a)}",
    derivative_tex=_relu_derivative_tex))
register(Activation(
    name="identity", f=identity, prime=identity_prime, tex=r"\operatorname{id}",
    sympy=lambda u: u,
    derivative_tex=lambda sz, sa, z, a, d: rf"\operatorname{{id}}'({sz}) = 1"))
register(Activation(
    name="softmax", f=softmax, prime=None, tex=r"\operatorname{softmax}", sympy=None,
    elementwise=False, probability=True, output_only=True, min_outputs=2,
    log_a=_log_softmax, backward_rule=_softmax_backward,
    sympy_layer=lambda zs: [sf.softmax(j + 1, *zs) for j in range(len(zs))]))
