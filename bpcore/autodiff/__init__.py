"""bpcore.autodiff: the book's own reverse-mode automatic differentiation (chapter 13).

* :class:`Value` (``scalar``) -- one real number in a computational graph: arithmetic,
  powers by a number, exp, log, tanh, sigmoid, relu; ``.data``, ``.grad``,
  ``.backward()``, ``.zero_grad()``.
* :class:`Tensor` (``matrix``) -- the same over numpy arrays, each operation storing its
  vector-Jacobian product: :func:`matmul` (``@``), :func:`add_bias`, :func:`activate` (any
  registered activation), :func:`cost` (any registered loss), ``+ - *``, ``sum``, ``mean``.
* :func:`network_graph` and :func:`gradients` (``netgraph``) -- a network's forward pass
  recorded as a graph, and its gradients by that graph's backward pass alone: a
  :class:`bpcore.Gradients` equal to ``bpcore.backprop``, the gradient at each z^l node
  being delta^l / m.
* :class:`Dual`, :func:`jvp`, :func:`cost_jvp`, :func:`forward_gradients`
  (``forward_mode``) -- forward mode, one pass per input direction, for comparison.
* :func:`topological_order` (``graph``) -- the order of a backward pass, without recursion.

Gradients accumulate: each backward pass *adds* to ``.grad``; reset with ``zero_grad()``.

>>> import numpy as np, bpcore
>>> from bpcore import autodiff
>>> net = bpcore.Network.random([2, 3, 2], ["tanh", "softmax"], seed=1)
>>> x, y = np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]])
>>> g = autodiff.gradients(net, x, y, loss="cross_entropy")
>>> bpcore.relative_error(g, bpcore.backprop(net, x, y, loss="cross_entropy")) < 1e-14
True
"""
from __future__ import annotations

from .forward_mode import Dual, cost_jvp, forward_gradients, jvp
from .graph import topological_order
from .matrix import Tensor, activate, add_bias, cost, matmul
from .netgraph import NetworkGraph, gradients, network_graph
from .scalar import Value

__all__ = ["Value", "Tensor", "matmul", "add_bias", "activate", "cost", "NetworkGraph",
           "network_graph", "gradients", "Dual", "jvp", "cost_jvp", "forward_gradients",
           "topological_order"]
