"""The forward pass and the four equations of backpropagation.

Layer l = 1..L has ``W^l = net.weights[l-1]``, ``b^l = net.biases[l-1]``,
``z^l = fp.zs[l-1]``, ``a^l = fp.activations[l]`` and ``delta^l = deltas[l-1]``;
``fp.activations[0]`` is the input x = a^0.  In code the index ``i = l - 1`` runs over the
weight matrices, input side first.

    forward:  z^l = W^l a^{l-1} + b^l,   a^l = f^l(z^l)
    BP1:      delta^L = dC_x/da^L (.) f'(z^L)        (per sample: delta^l_x = dC_x/dz^l)
    BP2:      delta^l = ((W^{l+1})^T delta^{l+1}) (.) f'(z^l)
    BP3:      dC/db^l = mean over samples of delta^l
    BP4:      dC/dW^l = (1/m) delta^l (a^{l-1})^T
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from . import _validate as v
from . import losses
from .activations import ACTIVATIONS
from .network import Network

__all__ = ["ForwardPass", "Gradients", "Layers", "forward", "output_delta", "hidden_deltas",
           "weight_gradients", "bias_gradients", "backprop", "cost"]



@dataclass(frozen=True)
class ForwardPass:
    """What the forward pass computed.

    ``zs[l-1]`` is z^l and ``activations[l]`` is a^l, with ``activations[0]`` the input.
    Arrays are (n_l, m) for a batch, or (n_l,) when a single sample of shape (n_0,) went in.
    """
    zs: tuple
    activations: tuple

    @property
    def output(self):
        """a^L, the network's output."""
        return self.activations[len(self.zs)]

    def z(self, l):
        """z^l, the weighted input of layer l = 1..L (the book's numbering).

        >>> fp = ForwardPass((np.array([0.5]),), (np.array([1.0]), np.array([0.6])))
        >>> fp.z(1), fp.a(0), fp.a(1)
        (array([0.5]), array([1.]), array([0.6]))
        """
        return self.zs[v.layer(l, len(self.zs)) - 1]

    def a(self, l):
        """a^l, the activation of layer l = 0..L; a^0 is the input x."""
        return self.activations[v.layer(l, len(self.zs), lowest=0)]


@dataclass(frozen=True)
class Gradients:
    """dC/dW^l and dC/db^l, in the same order and shapes as ``net.weights`` and ``net.biases``."""
    weights: tuple
    biases: tuple

    def W(self, l):
        """dC/dW^l for layer l = 1..L, the shape of W^l."""
        return self.weights[v.layer(l, len(self.weights)) - 1]

    def b(self, l):
        """dC/db^l for layer l = 1..L, the shape of b^l."""
        return self.biases[v.layer(l, len(self.biases)) - 1]

    def flat(self):
        """Every gradient in one vector: W^1, b^1, W^2, b^2, ... (row-major)."""
        parts = []
        for gW, gb in zip(self.weights, self.biases):
            parts += [np.ravel(gW), np.ravel(gb)]
        return np.concatenate(parts)


class Layers(list):
    """One array per layer l = 1..L, as :func:`hidden_deltas`, :func:`weight_gradients` and
    :func:`bias_gradients` return them: ``deltas[l-1]`` is delta^l, and ``deltas.at(l)`` says
    the same in the book's numbering.

    >>> Layers([np.array([3.0]), np.array([1.0])]).at(2)
    array([1.])
    """

    def at(self, l):
        """The array of layer l = 1..L."""
        return self[v.layer(l, len(self)) - 1]


def _col(arr):
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr


def _check_net(net):
    if not isinstance(net, Network):
        raise TypeError(f"expected a bpcore.Network, got {type(net).__name__}")


def _check_fp(net, fp):
    if not isinstance(fp, ForwardPass):
        raise TypeError(f"expected the ForwardPass returned by bpcore.forward, got "
                        f"{type(fp).__name__}")
    if len(fp.zs) != net.n_layers:
        raise ValueError(f"this forward pass has {len(fp.zs)} layers but the network has "
                         f"{net.n_layers}; run bpcore.forward(net, x) with the same network")


# ---------------------------------------------------------------------------------------
# Trusted internals: 2-D arrays that have passed validation.

def _forward(net, x, buffers=None):
    """The lists (zs, activations) for a validated 2-D ``x``.

    Every z^l is a new array, unless ``buffers`` (see :func:`_buffers`; _backprop's alone)
    gives the work buffer to write it into.
    """
    zs, activations = [], [x]
    for i in range(net.n_layers):  # layer l = i + 1
        out = None if buffers is None else buffers.zs[i]
        z = np.matmul(net.weights[i], activations[i], out=out)   # W^l a^{l-1}
        z += net.biases[i][:, None]                               # + b^l, in place
        zs.append(z)
        activations.append(ACTIVATIONS[net.activations[i]].f(z))  # a^l = f^l(z^l)
    return zs, activations


def _output_delta(activation, loss, z, a, y):
    record = losses.LOSSES[loss]
    shortcut = record.shortcuts.get(activation)
    if shortcut is not None:
        # The loss's record writes delta^L for this output without the division by a (or by
        # a(1 - a)) that the two factors would do: a - y for the matched pairs, softmax +
        # cross-entropy (targets summing to 1) and sigmoid + binary cross-entropy, and
        # -y (1 - a) for sigmoid + cross-entropy.  See bpcore.losses.
        return shortcut(a, y)
    return ACTIVATIONS[activation].backward(z, a, record.gradient(y, a))


def _times_f_prime(activation, z, a, upstream):
    """J_f(z)^T upstream, written over ``upstream``, a product the engine has just made: the
    Hadamard product upstream (.) f'(z) for an element-wise f, the activation's own rule
    otherwise (softmax: the full Jacobian)."""
    record = ACTIVATIONS[activation]
    if record.backward_rule is None:
        upstream *= record.derivative(z, a)
    else:
        upstream[...] = record.backward(z, a, upstream)
    return upstream


def _hidden_deltas(net, zs, activations, delta_L, buffers=None):
    L = net.n_layers
    deltas = [None] * L
    deltas[L - 1] = delta_L
    for i in range(L - 2, -1, -1):  # layer l = i + 1, from L - 1 down to 1
        out = None if buffers is None else buffers.deltas[i]
        upstream = np.matmul(net.weights[i + 1].T, deltas[i + 1], out=out)
        deltas[i] = _times_f_prime(net.activations[i], zs[i], activations[i + 1], upstream)
    return deltas


def _over_m(delta, out=None):
    # dC/dz^l_x = delta^l_x / m: the cost is the mean over the m samples (columns)
    return np.multiply(delta, 1.0 / delta.shape[1], out=out)


def _bp3(delta_over_m):
    # dC/db^l = sum over the samples of delta^l_x / m
    return delta_over_m.sum(axis=1)


def _bp4(delta_over_m, a_in, out=None):
    # dC/dW^l = (delta^l / m) (a^{l-1})^T, the m outer products summed by one matrix product
    return np.matmul(delta_over_m, a_in.T, out=out)


def _backprop(net, x, y, loss):
    """Forward pass, BP1, BP2, then BP3 and BP4 layer by layer, for validated 2-D x and y.
    z^l and delta^l live in this thread's work buffers; the gradients are new arrays."""
    L = net.n_layers
    buffers = _buffers(net, x.shape[1])
    zs, activations = _forward(net, x, buffers)
    # BP1: delta^L = dC_x/da^L (.) f'(z^L), one column per sample
    delta_L = _output_delta(net.activations[L - 1], loss, zs[L - 1], activations[L], y)
    # BP2: delta^l = ((W^{l+1})^T delta^{l+1}) (.) f'(z^l), for l = L-1 down to 1
    deltas = _hidden_deltas(net, zs, activations, delta_L, buffers)
    grad_W, grad_b = _new_arrays([W.shape for W in net.weights], net.dtype), []
    for i, delta in enumerate(deltas):  # layer l = i + 1
        # delta^l / m, written over delta^l when that is the engine's own array (l < L)
        delta_over_m = _over_m(delta, out=delta if i < L - 1 else None)
        # BP3: dC/db^l = (1/m) sum_x delta^l_x
        grad_b.append(_bp3(delta_over_m))
        # BP4: dC/dW^l = (1/m) delta^l (a^{l-1})^T
        _bp4(delta_over_m, activations[i], out=grad_W[i])
    return Gradients(tuple(grad_W), tuple(grad_b))


def _new_arrays(shapes, dtype):
    """New arrays of the given shapes.

    Below 4 MiB in all, one np.empty each: the allocator serves them from memory it holds.
    From 4 MiB on, views of one allocation that starts on a 2 MiB boundary and covers whole
    2 MiB pages, so that Linux can back it with transparent huge pages (numpy asks for them
    at that size): one page fault per 2 MiB instead of one per 4 KiB, which is most of what
    touching new memory costs.
    """
    sizes = [math.prod(shape) for shape in shapes]
    total, itemsize = sum(sizes), np.dtype(dtype).itemsize
    if total * itemsize < 2 * _HUGE_PAGE:
        return [np.empty(shape, dtype) for shape in shapes]
    pages = -(-total * itemsize // _HUGE_PAGE)  # rounded up
    raw = np.empty((pages + 1) * _HUGE_PAGE // itemsize, dtype)
    skip = (-raw.ctypes.data % _HUGE_PAGE) // itemsize  # to the next 2 MiB boundary
    flat = raw[skip:skip + total]
    arrays, start = [], 0
    for shape, size in zip(shapes, sizes):
        arrays.append(flat[start:start + size].reshape(shape))
        start += size
    return arrays


_HUGE_PAGE = 2 * 2**20  # bytes, on x86-64 and arm64 Linux


# ---------------------------------------------------------------------------------------
# Work buffers.  glibc's malloc hands large freed blocks back to the OS; in a fresh process
# that made every call map and zero its z^l and delta^l again (thousands of page faults per
# call on 784-512-512-10 with m = 256).  So _backprop writes z^l and delta^l into buffers
# it keeps between calls: per thread (threads never share them), for the _KEEP most recent
# (layer sizes, m, dtype), each at most _MAX_BYTES.  Nothing returned to a caller is a view
# of a buffer: every call's gradients are new arrays.

_KEEP = 2
_MAX_BYTES = 16 * 2**20
_local = threading.local()


class _Buffers:
    """z^l and delta^l, each (n_l, m) for l = 1..L, carved out of one allocation."""

    def __init__(self, sizes, m, dtype):
        shapes = [(n, m) for n in sizes[1:]]
        arrays = _new_arrays(shapes + shapes, dtype)
        self.zs, self.deltas = arrays[:len(shapes)], arrays[len(shapes):]


def _buffers(net, m):
    """This thread's :class:`_Buffers` for ``net``'s layer sizes and batch size m, or None
    (new arrays every call) when they would take more than _MAX_BYTES."""
    kept = _local.__dict__.setdefault("kept", {})  # (sizes, m, dtype) -> buffers, oldest first
    key = (net.sizes, m, net.dtype)
    buffers = kept.pop(key, None)
    if buffers is None:
        if 2 * sum(net.sizes[1:]) * m * np.dtype(net.dtype).itemsize > _MAX_BYTES:
            return None
        buffers = _Buffers(*key)
        if len(kept) == _KEEP:
            del kept[next(iter(kept))]
    kept[key] = buffers
    return buffers


def _evaluate(net, x, y, loss):
    """(C, a^L): the cost of the batch and the network's output, from one forward pass."""
    zs, activations = _forward(net, x)
    L = net.n_layers
    return losses.value(loss, y, activations[L], zs[L - 1], net.activations[L - 1]), activations[L]


def _cost(net, x, y, loss):
    return _evaluate(net, x, y, loss)[0]


def _inputs(net, x, y=None, loss=None):
    """Validate x (and y for ``loss``) against ``net``; return 2-D arrays and was-1-D flag."""
    _check_net(net)
    n_0, n_L = net.weights[0].shape[1], net.weights[-1].shape[0]
    x2, single = v.columns(x, "x", n_0, net.dtype)
    if y is None:
        return x2, None, single
    v.check_loss(loss, net.activations[-1])
    y2 = v.targets(y, n_L, x2.shape[1], loss, net.activations[-1], net.dtype)
    return x2, y2, single


# ---------------------------------------------------------------------------------------
# Public API.

def forward(net, x):
    """The forward pass: z^l = W^l a^{l-1} + b^l and a^l = f^l(z^l) for l = 1..L.

    ``x`` has shape (n_0, m), one column per sample, or (n_0,) for one sample; the
    returned arrays have the same layout.

    >>> net = Network([np.array([[1.0, -1.0]])], [np.array([0.5])], "identity")
    >>> fp = forward(net, np.array([2.0, 1.0]))
    >>> fp.zs[0], fp.activations[1]
    (array([1.5]), array([1.5]))
    """
    x2, _, single = _inputs(net, x)
    zs, activations = _forward(net, x2)
    if single:
        zs = [z.ravel() for z in zs]
        activations = [a.ravel() for a in activations]
    return ForwardPass(tuple(zs), tuple(activations))


def output_delta(net, fp, y, loss="mse"):
    """BP1, the output-layer delta of each sample: delta^L_x = dC_x/dz^L = dC_x/da^L (.) f'(z^L).

    For softmax the Hadamard product becomes the product with the full softmax Jacobian.
    For the matched pairs, softmax with ``cross_entropy`` and sigmoid with
    ``binary_cross_entropy``, the result simplifies exactly to delta^L = a^L - y, which is
    what is computed; it stays finite when the output saturates.

    Returns an array shaped like ``fp.zs[L-1]``: (n_L, m), one column per sample, or (n_L,)
    for one sample.  Nothing is divided by m: for the mean cost, dC/dz^L_x = delta^L_x / m,
    and the 1/m enters in BP3 and BP4.

    >>> net = Network([np.array([[0.0]])], [np.array([0.0])], "sigmoid")
    >>> fp = forward(net, np.array([1.0]))
    >>> output_delta(net, fp, np.array([1.0]))   # (0.5 - 1) * sigma'(0) = -0.5 * 0.25
    array([-0.125])
    """
    _check_net(net)
    _check_fp(net, fp)
    L = net.n_layers
    z, a = _col(fp.zs[L - 1]), _col(fp.activations[L])
    v.check_loss(loss, net.activations[L - 1])
    y2 = v.targets(y, net.sizes[-1], z.shape[1], loss, net.activations[L - 1], net.dtype)
    delta = _output_delta(net.activations[L - 1], loss, z, a, y2)
    return delta.reshape(fp.zs[L - 1].shape)


def hidden_deltas(net, fp, delta_L):
    """BP2: delta^l = ((W^{l+1})^T delta^{l+1}) (.) f'(z^l), for l = L-1 down to 1.

    Returns a :class:`Layers` list of L deltas aligned with ``net.weights``: ``deltas[l-1]``,
    or ``deltas.at(l)``, is delta^l, and the last entry is ``delta_L`` itself.

    >>> net = Network([np.array([[2.0]]), np.array([[3.0]])], [np.zeros(1), np.zeros(1)],
    ...               "identity")
    >>> fp = forward(net, np.array([1.0]))
    >>> hidden_deltas(net, fp, np.array([1.0]))   # delta^1 = 3 * 1 * identity'(z^1)
    [array([3.]), array([1.])]
    """
    _check_net(net)
    _check_fp(net, fp)
    L = net.n_layers
    z_L = fp.zs[L - 1]
    delta_L = v.as_float_array(delta_L, "delta_L", net.dtype)
    if delta_L.shape != z_L.shape:
        raise ValueError(f"delta_L has shape {delta_L.shape} but must match z^L, shape "
                         f"{z_L.shape}" + ("; did you transpose it?"
                                           if delta_L.shape[::-1] == z_L.shape else ""))
    deltas = _hidden_deltas(net, [_col(z) for z in fp.zs],
                            [_col(a) for a in fp.activations], _col(delta_L))
    return Layers(d.reshape(z.shape) for d, z in zip(deltas, fp.zs))


def _check_deltas(deltas, shapes=None):
    if isinstance(deltas, np.ndarray) or not isinstance(deltas, (list, tuple)) or not deltas:
        raise TypeError("deltas must be the list returned by bpcore.hidden_deltas, one array "
                        "per layer")
    deltas = [v.as_float_array(d, f"deltas[{i}]") for i, d in enumerate(deltas)]
    if shapes is not None:
        if len(deltas) != len(shapes):
            raise ValueError(f"got {len(deltas)} deltas for a forward pass with {len(shapes)} "
                             "layers; pass all of them, as hidden_deltas returns them")
        for i, (d, s) in enumerate(zip(deltas, shapes)):
            if d.shape != s:
                raise ValueError(f"deltas[{i}] (delta^{i + 1}) has shape {d.shape} but z^{i + 1} "
                                 f"has shape {s}; delta^l must have the shape of z^l")
    return deltas


def weight_gradients(fp, deltas):
    """BP4: dC/dW^l = (1/m) delta^l (a^{l-1})^T, i.e. dC/dw^l_jk = mean of a^{l-1}_k delta^l_j.

    For one sample it is the outer product of delta^l and a^{l-1}; over a batch, the mean of
    the m outer products, computed as one matrix product.

    >>> fp = ForwardPass((np.zeros(2),), (np.array([1.0, 2.0, 3.0]), np.zeros(2)))
    >>> weight_gradients(fp, [np.array([1.0, -1.0])])[0]
    array([[ 1.,  2.,  3.],
           [-1., -2., -3.]])
    """
    if not isinstance(fp, ForwardPass):
        raise TypeError(f"expected the ForwardPass returned by bpcore.forward, got "
                        f"{type(fp).__name__}")
    deltas = _check_deltas(deltas, [z.shape for z in fp.zs])
    return Layers(_bp4(_over_m(_col(delta)), _col(fp.activations[i]))
                  for i, delta in enumerate(deltas))


def bias_gradients(deltas):
    """BP3: dC/db^l = delta^l, averaged over the m samples (columns).

    >>> bias_gradients([np.array([[1.0, 3.0], [2.0, 2.0]])])
    [array([2., 2.])]
    """
    deltas = _check_deltas(deltas)
    return Layers(_bp3(_over_m(_col(d))) for d in deltas)


def backprop(net, x, y, loss="mse"):
    """All gradients of the cost C for the batch (x, y): forward pass, BP1, BP2, BP3, BP4.

    ``x`` is (n_0, m) and ``y`` is (n_L, m), one column per sample (or 1-D for one sample).
    Returns :class:`Gradients` whose arrays have the shapes of ``net.weights`` and
    ``net.biases``, averaged over the m samples, because C is the mean of the per-sample
    losses.  They are new arrays on every call, and ``x`` and ``y`` are only read; the
    z^l and delta^l in between go into work buffers that each thread keeps for its two
    most recent (layer sizes, m), so calls from several threads at once are safe.

    >>> net = Network.random([2, 3, 1], seed=0)
    >>> g = backprop(net, np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0, 0.0]]))
    >>> [gW.shape for gW in g.weights]
    [(3, 2), (1, 3)]
    """
    x2, y2, _ = _inputs(net, x, y, loss)
    return _backprop(net, x2, y2, loss)


def cost(net, x, y, loss="mse"):
    """The cost C: the mean over the m samples of the per-sample loss (see bpcore.losses).

    >>> net = Network([np.array([[0.0]])], [np.array([0.0])], "sigmoid")
    >>> cost(net, np.array([[1.0, 2.0]]), np.array([[1.0, 0.0]]))   # 1/2 (0.5)^2 each
    0.125
    """
    x2, y2, _ = _inputs(net, x, y, loss)
    return _cost(net, x2, y2, loss)
