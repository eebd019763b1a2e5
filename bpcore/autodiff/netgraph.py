"""A network's forward pass recorded as a graph of :class:`~bpcore.autodiff.Tensor`
operations, and :func:`gradients`, backpropagation by the graph alone.

For layer l = 1..L the graph holds the leaves W^l and b^l (``requires_grad=True``) and
three operations, z^l = add_bias(W^l a^{l-1}, b^l) and a^l = activate(z^l, f^l); the cost
node C = cost(a^L, y, loss) closes it.  ``C.backward()`` runs the operations' VJPs in
reverse order, and they are the four equations:

    cost's VJP, then f^L's        g(z^L)     = (1/m) dC_x/da^L (.) f'(z^L) = delta^L / m   BP1
    matmul's VJP for a^{l-1},     g(z^{l-1}) = ((W^l)^T g(z^l)) (.) f'(z^{l-1})             BP2
      then f^{l-1}'s                         = delta^{l-1} / m
    add_bias's VJP for b^l        dC/db^l    = sum over columns of delta^l / m            BP3
    matmul's VJP for W^l          dC/dW^l    = (delta^l / m) (a^{l-1})^T                 BP4

So the gradient that reaches each z^l node is the chapter-5 delta^l divided by m: the 1/m
of the mean cost enters once, at the cost node, and travels down with the gradient.  For
the matched pairs the cost node hands (1/m)(a^L - y) straight to z^L (see
:func:`~bpcore.autodiff.matrix.cost`).  Nothing here calls the engine's BP functions.

>>> import numpy as np, bpcore
>>> net = bpcore.Network.random([2, 3, 1], seed=0)
>>> x, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0, 0.0]])
>>> g = gradients(net, x, y)
>>> bool(np.allclose(g.flat(), bpcore.backprop(net, x, y).flat(), rtol=1e-12, atol=0))
True
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import _validate as v
from ..engine import Gradients
from ..network import Network
from .matrix import Tensor, activate, add_bias, cost

__all__ = ["NetworkGraph", "network_graph", "gradients"]


@dataclass(frozen=True)
class NetworkGraph:
    """The recorded forward pass: ``weights[l-1]`` and ``biases[l-1]`` are the leaves W^l and
    b^l, ``zs[l-1]`` the node z^l, ``activations[l]`` the node a^l (``activations[0]`` is
    x), ``cost`` the node C (None without targets).  Book numbering: ``W(l)``, ``b(l)``,
    ``z(l)``, ``a(l)``."""
    weights: tuple
    biases: tuple
    zs: tuple
    activations: tuple
    cost: Tensor | None

    @property
    def output(self):
        """The node a^L."""
        return self.activations[-1]

    def W(self, l):
        return self.weights[v.layer(l, len(self.weights)) - 1]

    def b(self, l):
        return self.biases[v.layer(l, len(self.biases)) - 1]

    def z(self, l):
        return self.zs[v.layer(l, len(self.zs)) - 1]

    def a(self, l):
        return self.activations[v.layer(l, len(self.zs), lowest=0)]


def network_graph(net, x, y=None, loss="mse", *, input_grad=False):
    """Record the forward pass of ``net`` on the batch ``x`` (n_0, m) as a graph.

    With targets ``y`` (n_L, m) the graph ends in the cost node C of ``loss``; without,
    at a^L.  ``input_grad=True`` makes x a leaf that receives dC/dx too.  A single sample
    may be given 1-D, as everywhere in bpcore.  Raises what ``bpcore.backprop`` raises for
    a bad network, x, y or loss.
    """
    if not isinstance(net, Network):
        raise TypeError(f"expected a bpcore.Network, got {type(net).__name__}")
    x2, _ = v.columns(x, "x", net.sizes[0], net.dtype)
    a = Tensor._leaf(x2, bool(input_grad), "x")
    if y is not None:
        v.check_loss(loss, net.activations[-1])
        y2, _ = v.columns(y, "y", net.sizes[-1], net.dtype, m=x2.shape[1])
    weights, biases, zs, acts = [], [], [], [a]
    for l, (W, b, name) in enumerate(zip(net.weights, net.biases, net.activations), start=1):
        W, b = Tensor._leaf(W, True, f"W^{l}"), Tensor._leaf(b, True, f"b^{l}")
        z = add_bias(W @ a, b)             # z^l = W^l a^{l-1} + b^l
        a = activate(z, name)              # a^l = f^l(z^l)
        z.label, a.label = f"z^{l}", f"a^{l}"
        weights.append(W)
        biases.append(b)
        zs.append(z)
        acts.append(a)
    C = None
    if y is not None:
        C = cost(a, y2, loss)
        C.label = "C"
    return NetworkGraph(tuple(weights), tuple(biases), tuple(zs), tuple(acts), C)


def gradients(net, x, y, loss="mse"):
    """dC/dW^l and dC/db^l for every layer, by recording the forward pass as a graph and
    running its backward pass: a :class:`bpcore.Gradients`, equal to ``bpcore.backprop``.

    The same validation and the same shapes as ``bpcore.backprop(net, x, y, loss)``.
    """
    graph = network_graph(net, x, y, loss)
    graph.cost.backward()
    return Gradients(tuple(W.grad for W in graph.weights), tuple(b.grad for b in graph.biases))
