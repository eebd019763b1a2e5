"""Gradient checkpointing: backpropagation that keeps every k-th activation and recomputes
the rest during the backward pass.

The backward pass reads z^l (for f'(z^l) in BP1 and BP2) and a^{l-1} (for BP4) of every
layer, in the reverse of the order the forward pass made them, so plain backpropagation
keeps them all: 2 n_l m floats per layer.  Checkpointing (Chen, Xu, Zhang and Guestrin,
"Training deep nets with sublinear memory cost", 2016) keeps only the *checkpoints*
a^0, a^k, a^{2k}, ... and cuts the network into segments of k layers.  The backward pass
visits the segments from the top: it runs the forward pass again inside a segment, from the
checkpoint at its bottom, then backpropagates through the segment and forgets it.  The top
segment is kept from the first forward pass, so ``every >= L`` is plain backpropagation.

With k = ``every`` and s the bottom of a segment (s, e], the floats held while that segment
is worked on are the checkpoints a^c, 1 <= c <= s, plus z^l and a^l for its layers
(:func:`stored_floats`); the price is one more forward pass through every layer below the
top segment (:func:`recomputed_layers`).  For L layers of equal width n the memory goes
like (L/k + 2k) n m, smallest for k of the order of sqrt(L) (chapter 15 derives the best k),
so that it grows like sqrt(L) instead of L.

The recomputed forward pass performs the same floating-point operations on the same numbers
as the first one (``W @ a + b``, the activation record's ``f``), and the backward pass the
same operations as :func:`bpcore.backprop`: BP1 by :func:`bpcore.output_delta` on the output
layer, BP2 as ``W.T @ delta`` and the activation record's ``backward``, BP3 and BP4 from
delta^l / m as the engine writes them.  So the gradients are bitwise identical to
backprop's; ``tests/test_checkpointing.py`` checks it, and fails if the engine's arithmetic
changes without this module following.

>>> import numpy as np, bpcore
>>> net = bpcore.Network.random([3, 4, 4, 4, 4, 2], "tanh", seed=0)
>>> x = np.linspace(-1, 1, 6).reshape(3, 2); y = np.array([[0.5, -0.5], [0.1, 0.2]])
>>> g = backprop_checkpointed(net, x, y, every=2)
>>> all(np.array_equal(a, b) for a, b in zip(g.flat(), bpcore.backprop(net, x, y).flat()))
True
>>> checkpoints(5, every=2), recomputed_layers(5, every=2)
((0, 2, 4), 4)
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import _validate as v
from .activations import ACTIVATIONS
from .engine import ForwardPass, Gradients, output_delta
from .network import Network

__all__ = ["backprop_checkpointed", "checkpoints", "segments", "recomputed_layers",
           "stored_floats", "default_every"]


# ---------------------------------------------------------------------------------------
# The schedule: which activations are kept, what is recomputed, what is held.

def _depth(L):
    if isinstance(L, bool) or not isinstance(L, numbers.Integral) or L < 1:
        raise ValueError(f"L is the number of layers with weights, a positive integer, got {L!r}")
    return int(L)


def _every(every, L):
    """``every`` as an int >= 1; None means :func:`default_every`."""
    if every is None:
        return default_every(L)
    if isinstance(every, bool) or not isinstance(every, numbers.Integral):
        raise TypeError(f"every is the spacing of the stored activations, a whole number of "
                        f"layers such as 2, got {type(every).__name__} {every!r}")
    if every < 1:
        raise ValueError(f"every is the spacing of the stored activations, at least 1 layer, "
                         f"got {every}; every=1 keeps every a^l, every={L} (or more) is plain "
                         "backprop")
    return int(every)


def default_every(L):
    """ceil(sqrt(L)), the usual choice of k for L layers (Chen et al. 2016).

    >>> [default_every(L) for L in (1, 4, 10, 16)]
    [1, 2, 4, 4]
    """
    return math.isqrt(_depth(L) - 1) + 1


def checkpoints(L, every=None):
    """The layers s whose activation a^s the forward pass keeps: 0, k, 2k, ... below L.

    a^0 is the input x, which the caller holds anyway.

    >>> checkpoints(7, every=3)
    (0, 3, 6)
    >>> checkpoints(6, every=3)
    (0, 3)
    """
    L = _depth(L)
    return tuple(range(0, L, _every(every, L)))


def segments(L, every=None):
    """The segments (s, e], layers s+1..e, in the order the backward pass visits them:
    from the top one, (k floor((L-1)/k), L], down to (0, k].

    >>> segments(7, every=3)
    ((6, 7), (3, 6), (0, 3))
    """
    L = _depth(L)
    starts = checkpoints(L, every)
    ends = starts[1:] + (L,)
    return tuple(zip(starts, ends))[::-1]


def recomputed_layers(L, every=None):
    """How many layers the backward pass runs forward a second time: all below the top
    segment, which the first forward pass keeps.

    >>> [recomputed_layers(8, every=k) for k in (1, 2, 4, 8)]
    [7, 6, 4, 0]
    """
    return segments(L, every)[0][0]


def _sizes(sizes):
    try:
        sizes = tuple(int(n) for n in sizes)
    except (TypeError, ValueError):
        raise TypeError(f"expected layer sizes such as (2, 3, 2), got {sizes!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"expected layer sizes such as (2, 3, 2), at least two positive "
                         f"integers, got {sizes}")
    return sizes


def stored_floats(sizes, m=1, every=None):
    """The most floats the checkpointed backward pass keeps at once for a batch of m, not
    counting the input x, the parameters, the gradients, the current delta and the
    temporaries of one operation.

    While the segment (s, e] is worked on it holds the checkpoints a^c with 1 <= c <= s
    and z^l, a^l for l = s+1..e; the result is the largest such count over the segments.
    With ``every >= L`` it is 2 m sum_l n_l, every z^l and a^l of plain backprop.

    >>> stored_floats((10, 10, 10, 10, 10), m=1, every=4)   # plain: 4 layers x (z, a)
    80
    >>> stored_floats((10, 10, 10, 10, 10), m=1, every=2)   # a^2, then z, a of 2 layers
    50
    """
    sizes = _sizes(sizes)
    m = v.positive_int(m, "m")
    L = len(sizes) - 1
    kept = set(checkpoints(L, every)) - {0}
    held = [sum(sizes[c] for c in kept if c <= s) + 2 * sum(sizes[s + 1:e + 1])
            for s, e in segments(L, every)]
    return m * max(held)


# ---------------------------------------------------------------------------------------
# The checkpointed backward pass.  Trusted internals: 2-D arrays that passed validation.

def _z(net, i, a_in):
    """z^l = W^l a^{l-1} + b^l for layer l = i + 1, as bpcore.forward computes it."""
    return net.weights[i] @ a_in + net.biases[i][:, None]


def _f(net, i, z):
    """a^l = f^l(z^l) for layer l = i + 1."""
    return ACTIVATIONS[net.activations[i]].f(z)


def _output_delta(net, z, a_in, a, y, loss):
    """BP1 for the output layer L, by bpcore.output_delta on that layer alone."""
    top = Network._unchecked(net.weights[-1:], net.biases[-1:], net.activations[-1:], net.dtype)
    return output_delta(top, ForwardPass((z,), (a_in, a)), y, loss)


def _layer_gradients(a_in, delta):
    """BP4 and BP3 for one layer, written as bpcore.backprop writes them: delta^l / m first,
    then its sum over the columns (BP3) and its product with (a^{l-1})^T (BP4)."""
    delta_over_m = delta * (1.0 / delta.shape[1])       # dC/dz^l_x = delta^l_x / m
    return delta_over_m @ a_in.T, delta_over_m.sum(axis=1)


def _backprop_checkpointed(net, x, y, loss, every):
    L = net.n_layers
    plan = segments(L, every)
    top = plan[0][0]                      # the bottom of the top segment
    starts = {s for s, _ in plan}
    kept = {0: x}                         # checkpoint s -> a^s
    zs, acts = {}, {}                     # z^l, a^l of the segment being worked on
    a = x
    for i in range(L):                    # the forward pass, layer l = i + 1
        z = _z(net, i, a)
        a = _f(net, i, z)
        if i + 1 > top:                   # the top segment is kept whole
            zs[i + 1], acts[i + 1] = z, a
        elif i + 1 in starts:
            kept[i + 1] = a
    del z, a
    grad_W, grad_b = [None] * L, [None] * L
    upstream = None                       # dC_x/da^l, carried down across the segments
    for s, e in plan:
        if s < top:                       # run the segment forward again from a^s
            a = kept[s]
            for i in range(s, e):
                zs[i + 1] = _z(net, i, a)
                if i + 1 < e:
                    a = acts[i + 1] = _f(net, i, zs[i + 1])
            acts[e] = kept.pop(e)         # a^e is a checkpoint: no need to recompute it
            del a
        for l in range(e, s, -1):         # layers e, e-1, ..., s+1
            i = l - 1
            a_in = acts[l - 1] if l - 1 > s else kept[s]
            if l == L:                                                                # BP1
                delta = _output_delta(net, zs[l], a_in, acts[l], y, loss)
            else:                                                                     # BP2
                delta = ACTIVATIONS[net.activations[i]].backward(zs[l], acts[l], upstream)
            grad_W[i], grad_b[i] = _layer_gradients(a_in, delta)                      # BP4, BP3
            del zs[l], acts[l]
            if l > 1:
                upstream = net.weights[i].T @ delta   # (W^l)^T delta^l, for BP2 one layer down
    return Gradients(tuple(grad_W), tuple(grad_b))


# ---------------------------------------------------------------------------------------
# Public API.

def backprop_checkpointed(net, x, y, loss="mse", every=None):
    """All gradients of the cost C for the batch (x, y), like :func:`bpcore.backprop`, but
    keeping only every ``every``-th activation from the forward pass and recomputing the
    others, one segment at a time, during the backward pass.

    ``x`` is (n_0, m) and ``y`` is (n_L, m), one column per sample (or 1-D for one sample).
    ``every`` is k, the spacing of the checkpoints a^0, a^k, a^2k, ...; ``every >= L``
    keeps everything (plain backprop, nothing recomputed); None takes
    ``default_every(L)`` = ceil(sqrt(L)).  Returns :class:`bpcore.Gradients`, bitwise
    equal to ``bpcore.backprop(net, x, y, loss)``.

    >>> import bpcore
    >>> net = bpcore.Network.random([2, 3, 3, 1], seed=0)
    >>> x, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0, 0.0]])
    >>> g = backprop_checkpointed(net, x, y, every=1)
    >>> np.array_equal(g.W(1), bpcore.backprop(net, x, y).W(1))
    True
    >>> backprop_checkpointed(net, x, y, every=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: every is the spacing of the stored activations, at least 1 layer, got 0; ...
    """
    if not isinstance(net, Network):
        raise TypeError(f"expected a bpcore.Network, got {type(net).__name__}")
    every = _every(every, net.n_layers)
    x2, _ = v.columns(x, "x", net.sizes[0], net.dtype)
    v.check_loss(loss, net.activations[-1])
    y2 = v.targets(y, net.sizes[-1], x2.shape[1], loss, net.activations[-1], net.dtype)
    return _backprop_checkpointed(net, x2, y2, loss, every)
