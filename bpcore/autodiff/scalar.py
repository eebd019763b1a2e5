"""A scalar reverse-mode engine: :class:`Value`, one real number in a computational graph.

Every operation on Values makes a new Value that remembers its ``parents`` (the Values it
was computed from) and, computed in the same forward step, its ``local_grads``: the
derivative of the result with respect to each parent, d(out)/d(parent).  ``backward()``
then applies the chain rule from the end of the graph to its start:

    dC/d(parent) = sum over the uses of parent of  dC/d(out) * d(out)/d(parent)

walking the nodes in topological order (:func:`~bpcore.autodiff.graph.topological_order`:
a node only after every node that uses it), without recursion.  The design follows
Karpathy's micrograd (each operation's derivative written beside the operation); unlike
micrograd, a backward pass passes a fresh gradient through the graph and only *adds* it to
each ``.grad``, so two calls of ``backward()`` give exactly twice the gradient everywhere.

Accumulation is the rule: ``.grad`` holds the sum of every backward pass that reached the
node since it was made or last reset.  ``zero_grad()`` resets the whole graph behind a
Value; a training loop calls it before each ``backward()``.

Refused, with a message: anything but a real number (TypeError), a power by a Value
(TypeError; write ``(k * x.log()).exp()``), and domain errors (ValueError naming the
operation): log of a non-positive number, division by zero, exp overflowing float64.

>>> w, x = Value(0.5, label="w"), Value(-1.5, label="x")
>>> C = (w * x + 1.0).tanh() ** 2
>>> C.backward()
>>> round(C.data, 6), round(w.grad, 6), round(x.grad, 6)
(0.059985, -0.690682, 0.230227)
>>> C.backward()                 # gradients accumulate: a second pass adds the same again
>>> round(w.grad, 6)
-1.381363
>>> C.zero_grad(); w.grad
0.0
"""
from __future__ import annotations

import math
import numbers

from .graph import topological_order

__all__ = ["Value"]


def _number(value, what):
    """``value`` as a finite float; TypeError for what is not a real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} needs a real number (int or float), got "
                        f"{type(value).__name__} {value!r:.60}; convert it with float(...), "
                        "or use bpcore.autodiff.Tensor for arrays")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} needs a finite number, got {value}; nothing can be "
                         "differentiated at NaN or infinity")
    return value


class Value:
    """One real number in a computational graph, and the gradient ``grad`` of a cost with
    respect to it (0.0 until a backward pass reaches it).

    ``Value(data, label="")``: ``label`` names it in pictures.  A Value made by an
    operation has ``op`` (its symbol, such as ``"*"`` or ``"sigmoid"``), ``parents`` and
    ``local_grads``; an input Value has ``op == ""`` and no parents.
    """
    __array_ufunc__ = None      # numpy numbers defer to Value: np.float64(2) * v is a Value

    def __init__(self, data, label=""):
        self.data = _number(data, "Value")
        self.grad = 0.0
        self.label = str(label)
        self.op = ""
        self.parents = ()
        self.local_grads = ()

    @classmethod
    def _made(cls, op, data, parents, local_grads):
        """The result of operation ``op``: its value, its parents and d(out)/d(parent)."""
        if not (math.isfinite(data) and all(math.isfinite(g) for g in local_grads)):
            raise ValueError(f"{op} gave {data:g} with local derivatives {local_grads}: "
                             "the numbers overflow float64; rescale the inputs")
        out = cls.__new__(cls)
        out.data, out.grad, out.label, out.op = data, 0.0, "", op
        out.parents, out.local_grads = parents, local_grads
        return out

    # --- arithmetic: the value, then each parent's local derivative -----------------

    def __add__(self, other):
        other = _lift(other, "+")
        return Value._made("+", self.data + other.data, (self, other), (1.0, 1.0))

    def __sub__(self, other):
        other = _lift(other, "-")
        return Value._made("-", self.data - other.data, (self, other), (1.0, -1.0))

    def __mul__(self, other):
        other = _lift(other, "*")
        return Value._made("*", self.data * other.data, (self, other),
                           (other.data, self.data))    # d(xy)/dx = y, d(xy)/dy = x

    def __truediv__(self, other):
        other = _lift(other, "/")
        if other.data == 0.0:
            raise ValueError(f"division by zero in x / y: y = 0 (x = {self.data:g}); "
                             "the quotient and its derivative -x/y^2 do not exist there")
        q = self.data / other.data
        return Value._made("/", q, (self, other), (1.0 / other.data, -q / other.data))

    def __pow__(self, k):
        if isinstance(k, Value):
            raise TypeError("a power by a Value is not an operation of this engine: x ** k "
                            "needs k to be a plain number; for a power by a Value y write "
                            "(y * x.log()).exp(), whose derivative the engine knows")
        k = _number(k, "the exponent k of x ** k")
        x = self.data
        if (x < 0 and k != int(k)) or (x == 0 and k < 1 and k != 0):
            raise ValueError(f"x ** k with x = {x:g} and k = {k:g}: no real value or no "
                             "finite derivative k x^(k-1) there")
        try:
            local = k * x ** (k - 1) if k != 0 else 0.0
            return Value._made(f"**{k:g}", x ** k, (self,), (local,))  # (x^k)' = k x^(k-1)
        except OverflowError:
            raise ValueError(f"x ** k with x = {x:g} and k = {k:g} overflows float64") from None

    def __neg__(self):
        return Value._made("neg", -self.data, (self,), (-1.0,))

    def __radd__(self, other):
        return _lift(other, "+") + self

    def __rsub__(self, other):
        return _lift(other, "-") - self

    def __rmul__(self, other):
        return _lift(other, "*") * self

    def __rtruediv__(self, other):
        return _lift(other, "/") / self

    def __rpow__(self, base):
        raise TypeError(f"a power by a Value ({base!r} ** Value) is not an operation of this "
                        "engine; write (y * Value(base).log()).exp() for base ** y")

    # --- functions: the value, then its derivative ----------------------------------

    def exp(self):
        if self.data > 709.78:
            raise ValueError(f"exp(x) with x = {self.data:g} overflows float64 (x > 709.78)")
        e = math.exp(self.data)
        return Value._made("exp", e, (self,), (e,))                 # (e^x)' = e^x

    def log(self):
        if self.data <= 0.0:
            raise ValueError(f"log(x) needs x > 0, got x = {self.data:g}: the logarithm of "
                             "a non-positive number is not a real number")
        return Value._made("log", math.log(self.data), (self,), (1.0 / self.data,))

    def tanh(self):
        t = math.tanh(self.data)
        return Value._made("tanh", t, (self,), (1.0 - t * t,))      # tanh' = 1 - tanh^2

    def sigmoid(self):
        x = self.data                                             # stable for any x
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Value._made("sigmoid", s, (self,), (s * (1.0 - s),))  # sigma' = s(1 - s)

    def relu(self):
        r = self.data if self.data > 0 else 0.0
        return Value._made("relu", r, (self,), (1.0 if self.data > 0 else 0.0,))  # relu'(0) = 0

    # --- the backward pass ------------------------------------------------------------

    def backward(self):
        """Add dC/d(node) to ``node.grad`` for every node of the graph, C being this Value.

        Reverse topological order: C first (dC/dC = 1), then each node once every node
        that uses it has passed it its share; a node used twice gets both shares, added.
        """
        order = topological_order(self)        # every node after the nodes it was made from
        flowing = {self: 1.0}                  # dC/d(node) in this pass
        for node in reversed(order):           # C first, the inputs last
            g = flowing.pop(node)              # complete: every user of node came before
            node.grad += g                     # accumulate: a second pass adds again
            for parent, local in zip(node.parents, node.local_grads):
                flowing[parent] = flowing.get(parent, 0.0) + g * local     # the chain rule

    def zero_grad(self):
        """Set ``grad`` to 0.0 on this Value and on every Value it was computed from."""
        for node in topological_order(self):
            node.grad = 0.0

    def __repr__(self):
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{name})"


def _lift(other, op):
    """``other`` as a Value: a number becomes a constant input; anything else is refused."""
    if isinstance(other, Value):
        return other
    if isinstance(other, bool) or not isinstance(other, numbers.Real):
        raise TypeError(f"cannot apply {op!r} to a Value and a {type(other).__name__}: "
                        "Values combine with Values and real numbers only; for arrays use "
                        "bpcore.autodiff.Tensor")
    return Value(other)
