"""Activation functions, each written beside its derivative.

Every activation ``f`` acts on a pre-activation array ``z`` of shape (n, m), one column per
sample, and returns ``a = f(z)`` of the same shape.  Backpropagation needs the product of
the activation's Jacobian with an upstream gradient, ``dC/dz = J_f(z)^T dC/da``.  For the
element-wise activations that Jacobian is diagonal, so the product is the Hadamard product
``dC/da * f'(z)``; softmax is the one activation whose Jacobian is full.

>>> import numpy as np
>>> z = np.array([[-2.0, 0.0, 3.0]])
>>> sigmoid(z).round(4)
array([[0.1192, 0.5   , 0.9526]])
>>> relu_prime(z)
array([[0., 0., 1.]])
"""
from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = [
    "ACTIVATIONS", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "identity", "identity_prime", "softmax", "softmax_jacobian", "backward",
]


def _float(z):
    """z as a float array, keeping float32 as float32."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(float)


def sigmoid(z):
    """Logistic sigmoid, sigma(z) = 1 / (1 + e^{-z}).

    Numerically stable for any finite z: scipy's ``expit`` never evaluates e^{+|z|}, so
    |z| = 1000 gives 0.0 or 1.0 with no overflow warning, and tiny outputs keep their
    relative precision (sigma(-40) = 4.2e-18, not 0).  It is one compiled loop, several
    times faster than composing it from numpy calls.

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    return expit(_float(z))


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
    shifted = z - z.max(axis=0, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=0, keepdims=True)


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


# name -> (f, f'); softmax has no element-wise derivative, see backward().
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "identity": (identity, identity_prime),
    "softmax": (softmax, None),
}


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
    if name == "softmax":
        return _softmax_backward(z, a, grad_a)
    if name == "sigmoid":  # reuse a = sigma(z) rather than recomputing it
        return grad_a * (a * (1.0 - a))
    if name == "tanh":
        return grad_a * (1.0 - a * a)
    return grad_a * ACTIVATIONS[name][1](z)
