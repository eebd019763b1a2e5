"""Forward mode: derivatives carried forwards, beside the values, in one pass per input
direction.

Reverse mode (:class:`~bpcore.autodiff.Value`, :class:`~bpcore.autodiff.Tensor`) runs
once forwards, records the graph, and then once backwards per *output*: each backward pass
is a vector-Jacobian product (VJP), u^T J.  Forward mode records nothing: every quantity
travels with its tangent, its derivative along one chosen direction of the inputs, and one
pass gives the Jacobian-vector product (JVP) J v.  A whole gradient of one cost with
respect to P parameters takes one reverse pass but P forward ones; the derivatives of k
outputs with respect to one input take k reverse passes but one forward one.

* :class:`Dual` -- a number and its tangent (a dual number x + x' eps with eps^2 = 0);
  each operation's tangent rule sits beside its value.
* :func:`jvp` -- a network's output a^L and its tangent along a direction (dW, db, dx).
* :func:`cost_jvp` and :func:`forward_gradients` -- the directional derivative of the cost,
  and the whole gradient as P of them (one per parameter).

>>> x = Dual(0.5, 1.0)                 # the input, with tangent dx/dx = 1
>>> f = (x * x + 1.0).tanh()
>>> round(f.value, 6), round(f.tangent, 6)          # f(0.5) and f'(0.5)
(0.848284, 0.280415)
"""
from __future__ import annotations

import math

import numpy as np

from .. import _validate as v
from ..activations import ACTIVATIONS
from ..engine import Gradients
from ..losses import LOSSES
from ..network import Network
from .scalar import _number

__all__ = ["Dual", "jvp", "cost_jvp", "forward_gradients"]


class Dual:
    """``value`` and ``tangent``, d(value)/dt along one direction t of the inputs."""

    def __init__(self, value, tangent=0.0):
        self.value = _number(value, "Dual")
        self.tangent = _number(tangent, "the tangent of a Dual")

    def __add__(self, o):
        o = _dual(o)
        return Dual(self.value + o.value, self.tangent + o.tangent)

    def __sub__(self, o):
        o = _dual(o)
        return Dual(self.value - o.value, self.tangent - o.tangent)

    def __mul__(self, o):
        o = _dual(o)                                   # the product rule:
        return Dual(self.value * o.value,              # (x y)' = x' y + x y'
                    self.tangent * o.value + self.value * o.tangent)

    __radd__, __rmul__ = __add__, __mul__

    def tanh(self):
        t = math.tanh(self.value)
        return Dual(t, (1.0 - t * t) * self.tangent)

    def sigmoid(self):
        s = 0.5 * (1.0 + math.tanh(0.5 * self.value))   # sigma(x), stable for any x
        return Dual(s, s * (1.0 - s) * self.tangent)

    def exp(self):
        e = math.exp(self.value)
        return Dual(e, e * self.tangent)

    def __repr__(self):
        return f"Dual(value={self.value:.6g}, tangent={self.tangent:.6g})"


def _dual(o):
    return o if isinstance(o, Dual) else Dual(o, 0.0)      # a constant: tangent 0


def _direction(parts, shapes, what, dtype):
    """The tangents of the weights or biases, zeros where not given, each checked."""
    if parts is None:
        return [np.zeros(s, dtype) for s in shapes]
    if len(parts) != len(shapes):
        raise ValueError(f"{what} needs one array per layer ({len(shapes)}), got {len(parts)}")
    out = [v.as_float_array(p, f"{what}[{i}]", dtype) for i, p in enumerate(parts)]
    for i, (p, s) in enumerate(zip(out, shapes)):
        if p.shape != s:
            raise ValueError(f"{what}[{i}] must have the shape {s} of the parameter it moves, "
                             f"got {p.shape}")
    return out


def _check(net):
    if not isinstance(net, Network):
        raise TypeError(f"expected a bpcore.Network, got {type(net).__name__}")


def _jvp(net, a, dWs, dbs, da):
    """z^L, a^L and da^L for checked arrays (see :func:`jvp`)."""
    for W, b, dW_l, db_l, name in zip(net.weights, net.biases, dWs, dbs, net.activations):
        z = W @ a + b[:, None]
        dz = dW_l @ a + W @ da + db_l[:, None]      # the product rule
        a = ACTIVATIONS[name].f(z)
        da = ACTIVATIONS[name].backward(z, a, dz)   # J dz (J symmetric, see jvp)
    return z, a, da


def jvp(net, x, dW=None, db=None, dx=None):
    """(a^L, da^L): the network's output and its derivative along the direction in which
    the weights move by ``dW``, the biases by ``db`` and the input by ``dx`` (zeros where not
    given).  One forward pass carries each layer's pair (a, da):

        z = W a + b,   dz = dW a + W da + db        (the product rule)
        a = f(z),      da = J_f(z) dz               (f'(z) (.) dz element-wise)

    The registered Jacobians are symmetric (diagonal, or softmax's a_i(1[i = j] - a_j)),
    so the record's ``backward`` rule, J^T dz, gives J dz.

    >>> net = Network([np.array([[2.0]])], [np.array([0.0])], "tanh")
    >>> a, da = jvp(net, [[0.5]], dx=[[1.0]])        # d tanh(2x)/dx = 2 (1 - tanh(1)^2)
    >>> round(float(da[0, 0]), 6)
    0.839949
    """
    _check(net)
    a, _ = v.columns(x, "x", net.sizes[0], net.dtype)
    dWs = _direction(dW, [W.shape for W in net.weights], "dW", net.dtype)
    dbs = _direction(db, [b.shape for b in net.biases], "db", net.dtype)
    da = np.zeros_like(a) if dx is None else v.columns(dx, "dx", net.sizes[0], net.dtype,
                                                       m=a.shape[1])[0]
    _, a, da = _jvp(net, a, dWs, dbs, da)
    return a, da


def _targets(net, x, y, loss):
    _check(net)
    x2, _ = v.columns(x, "x", net.sizes[0], net.dtype)
    v.check_loss(loss, net.activations[-1])
    y2 = v.targets(y, net.sizes[-1], x2.shape[1], loss, net.activations[-1], net.dtype)
    return x2, y2


def _cost_jvp(net, x, y, loss, dWs, dbs):
    z, a, da = _jvp(net, x, dWs, dbs, np.zeros_like(x))
    record, act, m = LOSSES[loss], ACTIVATIONS[net.activations[-1]], a.shape[1]
    C = float(np.mean(record.per_sample(y, a, z, act)))
    return C, float(np.sum(record.gradient(y, a) * da)) / m   # (1/m) sum_x dC_x/da . da


def cost_jvp(net, x, y, loss="mse", dW=None, db=None):
    """(C, dC): the cost and its derivative along (dW, db), from one forward pass:
    dC = (1/m) sum over samples of (dC_x/da^L) . da^L."""
    x2, y2 = _targets(net, x, y, loss)
    dWs = _direction(dW, [W.shape for W in net.weights], "dW", net.dtype)
    dbs = _direction(db, [b.shape for b in net.biases], "db", net.dtype)
    return _cost_jvp(net, x2, y2, loss, dWs, dbs)


def forward_gradients(net, x, y, loss="mse"):
    """The whole gradient by forward mode: one JVP of the cost per parameter, along that
    parameter's own direction, P passes in all (reverse mode needs one)."""
    x2, y2 = _targets(net, x, y, loss)
    dW, db = [np.zeros_like(W) for W in net.weights], [np.zeros_like(b) for b in net.biases]
    grad_W, grad_b = [np.zeros_like(W) for W in dW], [np.zeros_like(b) for b in db]
    for direction, grad in zip(dW + db, grad_W + grad_b):
        for idx in np.ndindex(direction.shape):
            direction[idx] = 1.0                      # move this one parameter only
            grad[idx] = _cost_jvp(net, x2, y2, loss, dW, db)[1]
            direction[idx] = 0.0
    return Gradients(tuple(grad_W), tuple(grad_b))
