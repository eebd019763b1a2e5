"""The matrix view of backpropagation: the Jacobians of a dense network, one sample at a time.

Every Jacobian here is in *numerator layout*: the Jacobian of a map u -> v is the matrix
dv/du whose entry (r, s) is dv_r/du_s, of shape (len(v), len(u)), rows following the output.

* :func:`activation_jacobian` -- da^l/dz^l: diag(f'(z^l)) for an element-wise activation, the
  full matrix a_i (delta_ij - a_j) for softmax.  Shape (n_l, n_l).
* :func:`layer_jacobian` -- dz^{l+1}/dz^l = W^{l+1} diag(f'(z^l)), shape (n_{l+1}, n_l).  The
  derivation article calls it S_l, with [S_l]_rs = w^{l+1}_rs f'(z^l_s).
* :func:`jacobian_chain` -- dz^l/dz^k = S_{l-1} ... S_{k+1} S_k, shape (n_l, n_k); the
  article's T^{l-1}_k (the identity when k = l).
* :func:`numerical_jacobian` -- any Jacobian by central differences, the independent check.

BP2 is this chain read from the output end with a vector instead of a matrix:
delta^k = (dz^L/dz^k)^T delta^L, so backpropagation never needs to form the product of
matrices (see chapter 10 of the book).

>>> import numpy as np, bpcore
>>> ex = bpcore.examples.running_example()
>>> S1 = layer_jacobian(ex.net, ex.x, 1)          # dz^2/dz^1, shape (n_2, n_1)
>>> S1.shape
(2, 3)
>>> fp = bpcore.forward(ex.net, ex.x)
>>> deltas = bpcore.hidden_deltas(ex.net, fp, bpcore.output_delta(ex.net, fp, ex.y))
>>> np.allclose(S1.T @ deltas[1], deltas[0])   # BP2: delta^1 = S_1^T delta^2
True
"""
from __future__ import annotations

import numbers

import numpy as np

from . import _validate as v
from .activations import get as get_activation, softmax_jacobian
from .engine import _check_net, _forward

__all__ = ["activation_jacobian", "layer_jacobian", "jacobian_chain", "numerical_jacobian"]


def _vector(value, name):
    """``value`` as a finite 1-D float array (a single (n, 1) column is accepted)."""
    arr = v.as_float_array(value, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be one sample, a 1-D array of shape (n,) or a column "
                         f"(n, 1), got shape {arr.shape}")
    return arr


def activation_jacobian(name, z):
    """da/dz for the activation ``name`` at one pre-activation vector z, shape (n, n).

    For an element-wise activation a_i = f(z_i), so da_i/dz_j = f'(z_i) when i = j and 0
    otherwise: the Jacobian is diag(f'(z)), and multiplying by it is the Hadamard product
    of BP1 and BP2.  Softmax couples the whole vector: J_ij = a_i (delta_ij - a_j).  ReLU
    uses the convention relu'(0) = 0.

    ``z`` has shape (n,) or (n, 1).  Raises ValueError for an unknown name or a batch of
    several columns.

    >>> activation_jacobian("sigmoid", np.array([0.0, 0.0]))
    array([[0.25, 0.  ],
           [0.  , 0.25]])
    >>> activation_jacobian("softmax", np.array([0.0, 0.0]))
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    act = get_activation(name)
    z = _vector(z, "z")
    if name == "softmax":
        return softmax_jacobian(z)
    return np.diag(act.prime(z))


def _one_sample(net, x):
    _check_net(net)
    x2, _ = v.columns(x, "x", net.sizes[0], net.dtype)
    if x2.shape[1] != 1:
        raise ValueError(f"Jacobians are taken one sample at a time, but x has {x2.shape[1]} "
                         "columns; pass one column, x[:, [i]], or a 1-D x of shape "
                         f"({net.sizes[0]},)")
    zs, _ = _forward(net, x2)
    return [z[:, 0] for z in zs]


def _layer(value, name, low, high, hint):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer layer number, got {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high} {hint}, got {value}")
    return int(value)


def layer_jacobian(net, x, l):
    """dz^{l+1}/dz^l = W^{l+1} diag(f'(z^l)) at the sample x, shape (n_{l+1}, n_l).

    From z^{l+1} = W^{l+1} f(z^l) + b^{l+1}: entry (r, s) is w^{l+1}_rs f'(z^l_s), the
    derivation article's [S_l]_rs.  The bias drops out: it does not depend on z^l.
    ``l`` runs from 1 to L - 1 (there is no z^{L+1}); ``x`` is one sample, shape (n_0,) or
    (n_0, 1).

    >>> import bpcore
    >>> net = bpcore.Network([np.eye(2), np.array([[1.0, 2.0]])], [np.zeros(2), np.zeros(1)],
    ...                      "identity")
    >>> layer_jacobian(net, np.array([3.0, 4.0]), 1)        # W^2 diag(1, 1)
    array([[1., 2.]])
    """
    zs = _one_sample(net, x)
    L = net.n_layers
    l = _layer(l, "l", 1, L - 1, f"(L - 1 for this network of L = {L} layers; "
                                 "dz^{l+1}/dz^l needs a layer above l)")
    return net.weights[l] @ activation_jacobian(net.activations[l - 1], zs[l - 1])


def jacobian_chain(net, x, k, l):
    """dz^l/dz^k = S_{l-1} S_{l-2} ... S_k at the sample x, shape (n_l, n_k), for k <= l.

    The product of the layer Jacobians from layer k up to layer l, the derivation article's
    T^{l-1}_k (the identity matrix when k = l).  With l = L, (dz^L/dz^k)^T delta^L is
    delta^k, what BP2 computes one layer at a time.

    >>> import bpcore
    >>> ex = bpcore.examples.running_example()
    >>> jacobian_chain(ex.net, ex.x, 2, 2)
    array([[1., 0.],
           [0., 1.]])
    >>> np.allclose(jacobian_chain(ex.net, ex.x, 1, 2), layer_jacobian(ex.net, ex.x, 1))
    True
    """
    zs = _one_sample(net, x)
    L = net.n_layers
    l = _layer(l, "l", 1, L, f"(the layers of this network are 1..L = {L})")
    k = _layer(k, "k", 1, l, f"(k is the lower layer; dz^l/dz^k needs k <= l = {l})")
    T = np.eye(net.sizes[k])
    for i in range(k, l):  # multiply S_i on the left: layer i to layer i + 1
        T = net.weights[i] @ activation_jacobian(net.activations[i - 1], zs[i - 1]) @ T
    return T


def numerical_jacobian(f, u, eps=1e-6):
    """The Jacobian df/du by central differences, column s = (f(u + eps e_s) - f(u - eps e_s))
    / (2 eps), with an error that shrinks like eps^2.  Shape (len(f(u)), len(u)).

    ``f`` maps a 1-D array of shape (n,) to an array of shape (p,) or (p, 1); ``u`` is the
    point, shape (n,) or (n, 1); it is not modified.  Takes 2n calls of ``f``.  Raises
    TypeError if ``f`` is not callable and ValueError for a bad ``u``, ``eps`` or output.

    >>> numerical_jacobian(lambda u: np.array([u[0] * u[1], 3.0 * u[0]]), np.array([2.0, 5.0]))
    array([[5., 2.],
           [3., 0.]])
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one 1-D array, got {type(f).__name__}")
    u = _vector(u, "u")
    eps = v.positive_number(eps, "eps")

    def call(point):
        out = np.asarray(f(point), dtype=float)
        if out.ndim == 2 and out.shape[1] == 1:
            out = out[:, 0]
        if out.ndim != 1:
            raise ValueError(f"f must return a 1-D array (or an (p, 1) column), got shape "
                             f"{out.shape}")
        return out

    columns = []
    for s in range(u.size):
        up, down = u.copy(), u.copy()
        up[s] += eps
        down[s] -= eps
        columns.append((call(up) - call(down)) / (2.0 * eps))
    return np.stack(columns, axis=1)
