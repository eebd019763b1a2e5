"""Converting weights between the conventions the sources use, and checking shapes.

The book stores W^l with shape (n_l, n_{l-1}): row j holds the weights *to* neuron j from
every neuron k of the layer below (Nielsen's w^l_jk, used in Foster & Stevens' lecture),
and a batch is a matrix of columns.  The sources differ:

* **from-to** (Feng 2020): w^l_ij connects node i of layer l-1 to node j of layer l, so his
  matrix of w_ij is our W^l transposed, shape (n_{l-1}, n_l).
* **row vectors** (the short note): a layer computes A = I x W with the input I a row (or a
  batch of rows, shape (m, n_{l-1})), so W has shape (n_{l-1}, n_l), our W^l transposed,
  and the bias is a row of shape (1, n_l).
* **bias folded into W** (Rumelhart, Hinton & Williams 1986; the derivation article): an
  extra input fixed at 1 carries the bias as one more weight.  The derivation article puts
  that input *last*, so W has shape (n_l, n_{l-1} + 1) with b as its last column.

Every conversion has an inverse, and each pair round-trips exactly (tests).

>>> import numpy as np
>>> W, b = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([0.5, -0.5, 1.0])
>>> W_aug = fold_bias(W, b)
>>> W_aug.shape
(3, 3)
>>> x = np.array([[1.0], [-1.0]])
>>> np.allclose(W_aug @ append_ones(x), W @ x + b[:, None])
True
"""
from __future__ import annotations

import numpy as np

from . import _validate as v
from .network import Network

__all__ = ["SYMBOLS", "fold_bias", "unfold_bias", "append_ones", "to_from_to", "from_from_to",
           "to_row_layout", "from_row_layout", "matmul_shape"]

# How each source writes the book's symbols (None: the source has no such symbol).
SYMBOLS = {
    "book": {"layer input": "a^{l-1}", "pre-activation": "z^l", "activation": "a^l",
             "weight": "w^l_{jk} (to j, from k)", "weight matrix": "W^l, (n_l, n_{l-1})",
             "bias": "b^l", "error": "\\delta^l_x = \\partial C_x/\\partial z^l", "cost": "C",
             "activation function": "\\sigma, f", "batch layout": "columns",
             "layer numbering": "0 (input) to L (output)"},
    "Feng (2020)": {"layer input": "z^{\\ell-1}", "pre-activation": "m^\\ell",
                    "activation": "z^\\ell", "weight": "w^\\ell_{ij} (from i, to j)",
                    "weight matrix": "W^\\ell, (n_\\ell, n_{\\ell-1}) in his item 4, but "
                                     "used as (n_{\\ell-1}, n_\\ell) in (15)/(17), the update (29), and (27)",
                    "bias": "b^\\ell, only in (33)-(34), not in (3)", "error": "\\delta^\\ell",
                    "cost": "Q", "activation function": "\\sigma^\\ell",
                    "batch layout": "one sample",
                    "layer numbering": "1 (input) to L: his \\ell is the book's l + 1"},
    "Punnen, ch. 4": {"layer input": "a^{l-1}", "pre-activation": "z^l", "activation": "a^l",
                      "weight": "w^l_{jk}", "weight matrix": "w^l", "bias": "b^l",
                      "error": None, "cost": "C, C_0", "activation function": "\\sigma",
                      "batch layout": "one sample", "layer numbering": "l-1 to l, no fixed origin"},
    "short note": {"layer input": "I_i (row)", "pre-activation": "A_i", "activation": "O_i",
                   "weight": None, "weight matrix": "W_i, (n_{l-1}, n_l)", "bias": None,
                   "error": None, "cost": "E", "activation function": "f_i",
                   "batch layout": "rows",
                   "layer numbering": "layer i has weights W_i (the book's (W^i)^T)"},
    "Foster & Stevens / Nielsen": {"layer input": "a^{l-1}", "pre-activation": "z^l",
                                   "activation": "a^l", "weight": "w^l_{jk} (to j, from k)",
                                   "weight matrix": "w^l, (n_l, n_{l-1})", "bias": "b^l",
                                   "error": "\\delta^l", "cost": "L",
                                   "activation function": "\\sigma",
                                   "batch layout": "one sample; the loss averages over x",
                                   "layer numbering": "l-1 to l (Nielsen numbers the input 1)"},
    "Rumelhart, Hinton & Williams (1986)": {
        "layer input": "y_i", "pre-activation": "x_j", "activation": "y_j",
        "weight": "w_{ji} (to j, from i)", "weight matrix": None,
        "bias": "a weight from an extra input fixed at 1", "error": "\\partial E/\\partial x_j",
        "cost": "E", "activation function": "logistic", "batch layout": "cases c",
        "layer numbering": "units, not layers: unit i feeds unit j"},
    "derivation article": {"layer input": "\\mathbf{a}_k (with a bias input 1 last)",
                           "pre-activation": "\\mathbf{c}_k", "activation": "o^k",
                           "weight": "w^k_{ij} (to i, from j)",
                           "weight matrix": "\\mathbf{W}_k, (N_k, M_k) = (n_k, n_{k-1} + 1)",
                           "bias": "b^k_i = w^k_{iM_k}", "error": None, "cost": "J",
                           "activation function": "g^k, \\sigma_i",
                           "batch layout": "one sample; J sums over p",
                           "layer numbering": "0 input, hidden 1 to L, output L + 1; "
                                              "\\mathbf{a}_k is the input of layer k"},
}


def _matrix(W, name="W"):
    W = v.as_float_array(W, name)
    if W.ndim != 2:
        raise ValueError(f"{name} must be a 2-D matrix, got shape {W.shape}")
    return W


def fold_bias(W, b, position="last"):
    """[W | b]: the bias as the weight on an extra input fixed at 1.

    ``W`` is (n_out, n_in) and ``b`` is (n_out,); the result is (n_out, n_in + 1), with b as
    the last column (``position="last"``, the derivation article's choice) or the first.
    """
    W = _matrix(W)
    b = v.as_float_array(b, "b")
    if b.shape != (W.shape[0],):
        raise ValueError(f"b must have shape ({W.shape[0]},) to match W of shape {W.shape}, "
                         f"got {b.shape}")
    col = b[:, None]
    return np.hstack([W, col] if _where(position) == "last" else [col, W])


def unfold_bias(W_aug, position="last"):
    """The inverse of :func:`fold_bias`: (n_out, n_in + 1) -> (W, b)."""
    W_aug = _matrix(W_aug, "W_aug")
    if W_aug.shape[1] < 2:
        raise ValueError(f"W_aug must have at least two columns (weights and a bias), "
                         f"got shape {W_aug.shape}")
    if _where(position) == "last":
        return W_aug[:, :-1].copy(), W_aug[:, -1].copy()
    return W_aug[:, 1:].copy(), W_aug[:, 0].copy()


def append_ones(a, position="last"):
    """a with the constant bias input 1 added as a row: (n, m) -> (n + 1, m)."""
    a = v.as_float_array(a, "a")
    if a.ndim == 1:
        a = a[:, None]
    ones = np.ones((1, a.shape[1]), dtype=a.dtype)
    return np.vstack([a, ones] if _where(position) == "last" else [ones, a])


def _where(position):
    if position not in ("first", "last"):
        raise ValueError(f"position must be 'first' or 'last', got {position!r}")
    return position


def to_from_to(net):
    """The weight matrices in Feng's from-to convention: [W^1.T, W^2.T, ...].

    Entry (i, j) of the l-th matrix is the weight from node i of layer l-1 to node j of
    layer l.
    """
    _net(net)
    return [W.T.copy() for W in net.weights]


def from_from_to(weights, biases, activations):
    """A :class:`Network` from from-to matrices (each (n_{l-1}, n_l)); inverse of
    :func:`to_from_to`."""
    return Network([_matrix(W, f"weights[{i}]").T for i, W in enumerate(weights)], biases,
                   activations)


def to_row_layout(net):
    """Weights and biases for a row-vector network, O = f(I W + b) with I of shape (m, n_in).

    Returns ``(weights, biases)`` with weights[i] of shape (n_{l-1}, n_l) and biases[i] of
    shape (1, n_l).
    """
    _net(net)
    return ([W.T.copy() for W in net.weights], [b[None, :].copy() for b in net.biases])


def from_row_layout(weights, biases, activations):
    """A :class:`Network` from row-layout weights (n_{l-1}, n_l) and biases (1, n_l) or
    (n_l,); inverse of :func:`to_row_layout`."""
    bs = []
    for i, b in enumerate(biases):
        b = v.as_float_array(b, f"biases[{i}]")
        if b.ndim == 2 and b.shape[0] != 1:
            raise ValueError(f"biases[{i}] in row layout must have shape (1, n), got {b.shape}")
        bs.append(b.ravel())
    return Network([_matrix(W, f"weights[{i}]").T for i, W in enumerate(weights)], bs,
                   activations)


def _net(net):
    if not isinstance(net, Network):
        raise TypeError(f"expected a bpcore.Network, got {type(net).__name__}")


def matmul_shape(*shapes, names=None):
    """The shape of a matrix product of operands with these shapes, or a ValueError
    naming the first pair whose inner dimensions differ.

    This is the shape check chapter 11 applies to each source's equations as written.

    >>> matmul_shape((3, 2), (2, 1))
    (3, 1)
    >>> matmul_shape((2, 1), (1, 3), (2, 3), names=["delta", "a^T", "W"])
    Traceback (most recent call last):
    ...
    ValueError: shapes do not chain: delta a^T has shape (2, 3) but W has shape (2, 3); 3 != 2
    """
    if len(shapes) < 2:
        raise ValueError("give at least two shapes")
    names = list(names) if names is not None else [f"operand {i + 1}" for i in range(len(shapes))]
    if len(names) != len(shapes):
        raise ValueError(f"got {len(names)} names for {len(shapes)} shapes")
    for s in shapes:
        if len(s) != 2:
            raise ValueError(f"every shape must be 2-D (rows, columns), got {s}")
    rows, cols = shapes[0]
    left = names[0]
    for shape, name in zip(shapes[1:], names[1:]):
        if shape[0] != cols:
            raise ValueError(f"shapes do not chain: {left} has shape {(rows, cols)} but {name} "
                             f"has shape {tuple(shape)}; {cols} != {shape[0]}")
        cols = shape[1]
        left = f"{left} {name}"
    return (rows, cols)
