"""Pictures for a stepper's steps, drawn only once the stepper has counted its views.

:func:`picture` is the network diagram of one step, keyword by keyword, with the alt
text that says it in words; it returns the ``png`` and ``alt`` arguments of a
:class:`~bpcore.steppers.model.Step`, the picture still :class:`Pending`.
:func:`~bpcore.steppers.assemble.assemble` draws it after the view count is checked, so an
oversized stepper is refused before any drawing.  A stepper that reuses keywords across
its steps fixes them with ``functools.partial(picture, net, edges=..., caption=...)``.

>>> import bpcore
>>> net = bpcore.examples.running_example().net
>>> p = picture(net, nodes={(0, 0): 0.05}, highlight_nodes=[(0, 0)], caption="fill: a")
>>> p["alt"]
'Diagram of a 2-3-2 network. Highlighted: neuron 1 of layer 0 (value = 0.0500). Neuron values: layer 0: 0.0500, blank; layer 2: blank, blank. fill: a'
>>> p["png"].draw()[:4]
b'\\x89PNG'
"""
from __future__ import annotations

import numpy as np

from ..diagrams import describe_network, network_png
from ..tex import ascii_text

__all__ = ["Pending", "picture", "all_edges", "vmax"]


class Pending:
    """A picture not drawn yet: ``draw`` calls ``function(*args, **kwargs)``."""

    def __init__(self, function, *args, **kwargs):
        self.function, self.args, self.kwargs = function, args, kwargs

    def draw(self):
        return self.function(*self.args, **self.kwargs)


def picture(net, *, nodes=None, edges=None, highlight_nodes=(), highlight_edges=(),
            edge_labels=None, notes=None, node_vmax=None, edge_vmax=None, caption="",
            node_quantity="value", edge_quantity="weight"):
    """A network picture of ``net`` (drawn later) and its alt text, as Step arguments.

    The keywords are those of :func:`bpcore.diagrams.network_png` (keys are 0-based:
    ``(l, j)`` for neuron j of layer l, ``(l, j, k)`` for the entry W^l[j, k]);
    ``node_quantity`` and ``edge_quantity`` name the values in the alt text.
    """
    png = Pending(network_png, net.sizes, nodes=nodes, edges=edges,
                  highlight_nodes=highlight_nodes, highlight_edges=highlight_edges,
                  edge_labels=edge_labels, notes=notes, node_vmax=node_vmax,
                  edge_vmax=edge_vmax, caption=caption)
    alt = describe_network(net.sizes, nodes, edges, highlight_nodes, highlight_edges,
                           node_quantity, edge_quantity)
    return {"png": png, "alt": f"{alt} {ascii_text(caption)}".strip()}


def all_edges(weights):
    """Every weight of every layer as picture edges: {(l, j, k): W^l[j, k]}, 0-based j, k."""
    return {(l, j, k): float(W[j, k]) for l, W in enumerate(weights, start=1)
            for j in range(W.shape[0]) for k in range(W.shape[1])}


def vmax(*arrays):
    """The largest |value| in the arrays (1 if they are all zero or empty): a colour scale."""
    return max(float(np.max(np.abs(a))) if np.size(a) else 0.0 for a in arrays) or 1.0
