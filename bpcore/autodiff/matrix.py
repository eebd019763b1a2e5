"""The matrix engine: :class:`Tensor`, a numpy float array in a computational graph.

It is :class:`~bpcore.autodiff.Value` with arrays.  A scalar operation stored a local
derivative d(out)/d(parent), a number; an array operation has a Jacobian, a matrix far too
big to store (for z = W a, (n m) x (n k) entries per input).  What the backward pass needs is
only the product of that Jacobian with the incoming gradient, the vector-Jacobian product
(VJP).  So each operation stores, beside its forward step, one function per parent,
``vjp(g)``: given g = dC/d(out), the parent's share of dC/d(parent).

    operation              forward                 VJPs (g = dC/d(out))
    matmul(W, a)           W a                     g a^T,   W^T g
    add_bias(u, b)         u + b (every column)    g,       sum of g over the columns
    activate(z, name)      f(z)                    J_f(z)^T g  (g (.) f'(z) element-wise)
    cost(a, y, name)       (1/m) sum_x C_x         (1/m) dC_x/da^L, or (1/m) delta^L
    +, -, * (same shape), * or / by a number, sum, mean

Strung together for a network, these VJPs are exactly BP1-BP4 (see :func:`gradients`):
the gradient that reaches each z^l is delta^l / m, the 1/m of the mean cost entering once,
at the cost.  The activations and losses are the registries' records (their ``f``,
``backward`` and ``gradient``), so a newly registered activation works here unchanged.

Shapes are never broadcast silently: a bias is added with :func:`add_bias`, which wants
b of shape (n,) for z of shape (n, m), and ``+``, ``-``, ``*`` want equal shapes.
``backward()`` starts from a cost (one number); from an array it needs the seed gradient.

>>> import numpy as np
>>> W = Tensor([[1.0, 2.0], [0.0, -1.0]], requires_grad=True, label="W")
>>> x = Tensor([[1.0], [3.0]], label="x")            # a constant: no gradient needed
>>> C = (W @ x).sum()
>>> C.backward()
>>> W.grad                                            # g x^T with g = 1
array([[1., 3.],
       [1., 3.]])
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import _validate as v
from .. import activations as _activations
from .. import losses as _losses
from .graph import topological_order

__all__ = ["Tensor", "matmul", "add_bias", "activate", "cost"]


def _array(data, what):
    """A float copy of ``data`` (float32 stays float32), refusing text, NaN and inf."""
    dtype = np.float32 if getattr(data, "dtype", None) == np.float32 else np.float64
    arr = np.array(v.as_float_array(data, what, dtype))
    if arr.ndim > 2:
        raise ValueError(f"{what} must be a number, a vector or a matrix, got a {arr.ndim}-D "
                         f"array of shape {arr.shape}")
    return arr


class Tensor:
    """An array in a computational graph, and ``grad``: dC/d(this array), once a backward
    pass has reached it (None before, as after :meth:`zero_grad`).

    ``Tensor(data, requires_grad=False, label="")`` copies ``data``.  Parameters are made
    with ``requires_grad=True``; data and targets are constants, which the graph does not
    record.  A Tensor made by an operation has ``op``, ``parents`` (its inputs that need a
    gradient) and ``vjps`` (one function g -> the parent's share per parent).
    """
    __array_ufunc__ = None      # numpy defers to Tensor: ndarray @ Tensor is a Tensor

    def __init__(self, data, requires_grad=False, label=""):
        self._set(_array(data, label or "the data of a Tensor"), bool(requires_grad), str(label))

    def _set(self, data, requires_grad, label, op="", parents=(), vjps=()):
        self.data, self.requires_grad, self.label, self.op = data, requires_grad, label, op
        self.parents, self.vjps, self.grad = parents, vjps, None
        self.activation = self.preactivation = None     # set by activate()

    @classmethod
    def _leaf(cls, data, requires_grad, label):
        """A Tensor around an array that is already valid and never written to (no copy)."""
        out = cls.__new__(cls)
        out._set(data, requires_grad, label)
        return out

    @classmethod
    def _made(cls, op, data, inputs):
        """The result of ``op``: ``inputs`` pairs each input with its VJP; only the inputs
        that need a gradient become parents."""
        out = cls.__new__(cls)
        kept = [(p, vjp) for p, vjp in inputs if p.requires_grad]
        out._set(data, bool(kept), "", op, tuple(p for p, _ in kept),
                 tuple(vjp for _, vjp in kept))
        return out

    @property
    def shape(self):
        return self.data.shape

    # --- operations: the forward step, and each input's VJP beside it -----------------

    def __matmul__(self, other):
        return matmul(self, other)

    def __rmatmul__(self, other):
        return matmul(other, self)

    def __add__(self, other):
        if _is_number(other):
            return Tensor._made("+", self.data + other, [(self, _identity)])
        other = _same_shape(self, other, "+")
        return Tensor._made("+", self.data + other.data, [(self, _identity), (other, _identity)])

    def __sub__(self, other):
        if _is_number(other):
            return Tensor._made("-", self.data - other, [(self, _identity)])
        other = _same_shape(self, other, "-")
        return Tensor._made("-", self.data - other.data,
                            [(self, _identity), (other, lambda g: -g)])

    def __mul__(self, other):
        if _is_number(other):
            return Tensor._made("*", self.data * other, [(self, lambda g: g * other)])
        other = _same_shape(self, other, "*")
        A, B = self.data, other.data                       # element-wise: d(AB) = dA B + A dB
        return Tensor._made("*", A * B, [(self, lambda g: g * B), (other, lambda g: g * A)])

    def __truediv__(self, k):
        if not _is_number(k):
            raise TypeError(f"a Tensor can be divided by a number only, got {type(k).__name__}")
        if k == 0:
            raise ValueError("division of a Tensor by zero: its entries and their gradient "
                             "would be infinite")
        return Tensor._made("/", self.data / k, [(self, lambda g: g / k)])

    __radd__, __rmul__ = __add__, __mul__

    def __rsub__(self, other):
        return (-self) + other

    def __neg__(self):
        return Tensor._made("neg", -self.data, [(self, lambda g: -g)])

    def sum(self):
        """The sum of every entry, one number; its VJP spreads g over every entry."""
        shape = self.data.shape
        return Tensor._made("sum", np.asarray(np.sum(self.data)), [(self, lambda g: np.full(shape, g))])

    def mean(self):
        """The mean of every entry; its VJP spreads g / size over every entry."""
        shape, n = self.data.shape, self.data.size
        return Tensor._made("mean", np.asarray(np.mean(self.data)), [(self, lambda g: np.full(shape, g / n))])

    # --- the backward pass ------------------------------------------------------------

    def backward(self, seed=None):
        """Add dC/d(node) to ``node.grad`` for every node of the graph behind this Tensor.

        Without ``seed`` this Tensor must be one number, the cost C, and dC/dC = 1.  From
        an array, ``seed`` is the gradient to start from, of this Tensor's shape: the
        backward pass then computes the vector-Jacobian product seed^T J for every node.
        """
        if not self.requires_grad:
            raise ValueError("this Tensor depends on no Tensor with requires_grad=True, so "
                             "there is nothing to differentiate; make the parameters with "
                             "Tensor(..., requires_grad=True)")
        if seed is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() without a seed starts from a cost, one number, but this "
                    f"Tensor has shape {self.data.shape}; reduce it first (.sum() or "
                    f".mean()), or pass the gradient to start from, an array of shape "
                    f"{self.data.shape}: backward(seed)")
            seed = np.ones_like(self.data)
        else:
            seed = np.array(v.as_float_array(seed, "seed", self.data.dtype))
            if seed.shape != self.data.shape:
                raise ValueError(f"the seed must have this Tensor's shape {self.data.shape}, "
                                 f"got {seed.shape}; it is dC/d(this Tensor), entry by entry")
        order = topological_order(self)          # every node after the nodes it was made from
        flowing = {self: seed}                   # dC/d(node) in this pass
        for node in reversed(order):             # the cost first, the parameters last
            g = flowing.pop(node)                # complete: every user of node came before
            node.grad = g if node.grad is None else node.grad + g    # accumulate
            for parent, vjp in zip(node.parents, node.vjps):
                share = vjp(g)                   # the chain rule, as a VJP
                flowing[parent] = share if parent not in flowing else flowing[parent] + share

    def zero_grad(self):
        """Set ``grad`` to None on this Tensor and on every Tensor of its graph."""
        for node in topological_order(self):
            node.grad = None

    def __repr__(self):
        made = f", op={self.op!r}" if self.op else ""
        name = f", label={self.label!r}" if self.label else ""
        return (f"Tensor(shape={self.data.shape}{made}{name}, "
                f"requires_grad={self.requires_grad})")


def _identity(g):
    return g


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _tensor(value, what):
    """A Tensor, or an array made a constant Tensor; numbers and text are refused."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (np.ndarray, list, tuple)):
        return Tensor(value, label=what)
    raise TypeError(f"{what} must be a Tensor or a numpy array, got {type(value).__name__}")


def _same_shape(t, other, op):
    other = _tensor(other, f"the right operand of {op!r}")
    if other.shape != t.shape:
        raise ValueError(
            f"{op!r} needs two arrays of the same shape, got {t.shape} and {other.shape}: "
            "the matrix engine never broadcasts, so a shape mistake cannot pass unseen; "
            "add a bias with add_bias(z, b), or reshape one operand to match")
    return other


def matmul(A, B):
    """A B, the matrix product.  VJPs: dC/dA = g B^T (BP4's product), dC/dB = A^T g (BP2's).

    >>> matmul(Tensor(np.ones((2, 3))), Tensor(np.ones((2, 1))))
    Traceback (most recent call last):
    ...
    ValueError: A @ B needs A's columns to match B's rows, got A of shape (2, 3) and B of shape (2, 1); for W^l a^(l-1), W^l is (n_l, n_(l-1)) and a^(l-1) is (n_(l-1), m): is one transposed?
    """
    A, B = _tensor(A, "the left operand of @"), _tensor(B, "the right operand of @")
    if A.data.ndim != 2 or B.data.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"A @ B needs A's columns to match B's rows, got A of shape {A.shape} "
                         f"and B of shape {B.shape}; for W^l a^(l-1), W^l is (n_l, n_(l-1)) "
                         "and a^(l-1) is (n_(l-1), m): is one transposed?")
    left, right = A.data, B.data                   # in a layer, W^l and a^(l-1)
    return Tensor._made("@", left @ right, [(A, lambda g: g @ right.T),   # dC/dW = g a^T
                                            (B, lambda g: left.T @ g)])   # dC/da = W^T g


def add_bias(u, b):
    """u + b with b of shape (n,) added to every column of u, shape (n, m).

    VJPs: dC/du = g, and dC/db = g summed over the m columns (BP3, the 1/m already in g).

    >>> add_bias(Tensor(np.zeros((3, 2))), Tensor(np.zeros((3, 1))))
    Traceback (most recent call last):
    ...
    ValueError: add_bias needs u of shape (n, m) and b of shape (n,), got u (3, 2) and b (3, 1); use b.ravel()
    """
    u, b = _tensor(u, "u of add_bias"), _tensor(b, "b of add_bias")
    if u.data.ndim != 2 or b.shape != (u.shape[0],):
        fix = "; use b.ravel()" if b.data.size == u.shape[0] and u.data.ndim == 2 else (
            "; a bias has one entry per row (neuron) of u")
        raise ValueError(f"add_bias needs u of shape (n, m) and b of shape (n,), got u "
                         f"{u.shape} and b {b.shape}{fix}")
    return Tensor._made("+b", u.data + b.data[:, None],
                        [(u, _identity), (b, lambda g: g.sum(axis=1))])


def activate(z, name):
    """f(z) for the registered activation ``name``, every column of z (n, m) a sample.

    VJP: the record's ``backward(z, a, g)``, J_f(z)^T g; for an element-wise f that is
    g (.) f'(z), with f' from the record: the Hadamard product of BP1 and BP2.
    """
    record = _activations.get(name)
    z = _tensor(z, f"z of activate(z, {name!r})")
    if z.data.ndim != 2:
        raise ValueError(f"activate needs z of shape (n, m), one column per sample, got {z.shape}")
    zd, a = z.data, record.f(z.data)
    out = Tensor._made(name, a, [(z, lambda g: record.backward(zd, a, g))])
    out.activation, out.preactivation = record, z
    return out


def cost(a, y, name="mse"):
    """The mean cost C = (1/m) sum_x C_x of the registered loss ``name``, one number.

    ``a`` (n_L, m) is the output of :func:`activate`; ``y`` the targets, a constant of the
    same shape.  VJP: g (1/m) dC_x/da^L, the loss record's ``gradient``: the first factor
    of BP1 with the 1/m of the mean made explicit.  Where the record has a shortcut for the
    output activation (a - y for the matched pairs softmax + cross-entropy and sigmoid +
    binary cross-entropy), the cost node connects straight to z^L with VJP g (1/m) delta^L
    from that shortcut, as frameworks fuse the two (cross_entropy taking z); it stays finite
    when the output saturates.
    """
    record = _losses.get(name)
    if not isinstance(a, Tensor) or a.activation is None:
        raise TypeError(f"cost needs the output a^L made by activate(z, ...), got "
                        f"{type(a).__name__}; the loss reads the output activation's record")
    act = a.activation
    y = np.asarray(y.data if isinstance(y, Tensor) else y)
    y = v.as_float_array(y, "y", a.data.dtype)
    if y.shape != a.shape:
        hint = "; did you pass samples as rows? use y.T" if y.shape[::-1] == a.shape else ""
        raise ValueError(f"y must have the shape of a^L, {a.shape}, got {y.shape}{hint}")
    v.check_loss(name, act.name)
    v.check_targets(y, name, act.name)
    z, ad, m = a.preactivation, a.data, a.shape[1]
    C = np.asarray(np.mean(record.per_sample(y, ad, z.data, act)), dtype=ad.dtype)
    shortcut = record.shortcuts.get(act.name)
    if shortcut is not None:
        return Tensor._made(name, C, [(z, lambda g: g * shortcut(ad, y) / m)])
    return Tensor._made(name, C, [(a, lambda g: g * record.gradient(y, ad) / m)])
