"""A network after one forward pass, each weight labelled beside the neuron it feeds
(chapter 1's picture of the running example).

Circles show the activations (the inputs show x), lines the weights, as
:func:`bpcore.diagrams.draw_network` draws them.  The label of w^l_jk sits 72 % of the way
from neuron k of layer l-1 to neuron j of layer l, so the labels beside a neuron read, top to
bottom, as its row of W^l.

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> labels(ex.net)[:3]
[((1, 0, 0), '+0.15'), ((1, 0, 1), '+0.20'), ((1, 1, 0), '+0.25')]
"""
from __future__ import annotations

from .. import _validate as v
from ..diagrams import draw_network
from ..engine import forward
from ..tex import MINUS

__all__ = ["FRACTION", "nodes_and_edges", "labels", "plot"]

FRACTION = 0.72   # where along a weight's line, from its source, its label sits


def nodes_and_edges(net, x):
    """``(nodes, edges)`` for :func:`bpcore.diagrams.draw_network`: nodes[(l, j)] is a^l_j
    of the one sample x (neuron j counted from 0), edges[(l, j, k)] is W^l[j, k]."""
    x, _ = v.columns(x, "x", net.sizes[0], m=1)
    fp = forward(net, x)
    nodes = {(l, j): float(a_l[j, 0])
             for l, a_l in enumerate(fp.activations)
             for j in range(a_l.shape[0])}
    edges = {(l, j, k): float(W[j, k])
             for l, W in enumerate(net.weights, start=1)
             for j in range(W.shape[0]) for k in range(W.shape[1])}
    return nodes, edges


def labels(net):
    """[((l, j, k), text)]: each weight with a sign and two decimals, with a true minus."""
    return [((l, j, k), f"{W[j, k]:+.2f}".replace("-", MINUS))
            for l, W in enumerate(net.weights, start=1)
            for j in range(W.shape[0]) for k in range(W.shape[1])]


def plot(net, x):
    """The labelled diagram of ``net`` fed the one sample ``x`` (a pyplot figure, 7 x 4.2)."""
    import matplotlib.pyplot as plt

    nodes, edges = nodes_and_edges(net, x)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    draw_network(ax, net.sizes, nodes=nodes, edges=edges)
    # draw_network adds one circle per neuron: left to right, top to bottom.
    centres = sorted((p.center for p in ax.patches), key=lambda c: (c[0], -c[1]))
    position = dict(zip(sorted(nodes), centres))
    for (l, j, k), text in labels(net):
        (x0, y0), (x1, y1) = position[(l - 1, k)], position[(l, j)]
        ax.text(x0 + FRACTION * (x1 - x0), y0 + FRACTION * (y1 - y0), text,
                fontsize=8, ha="center", va="center", zorder=9,
                bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="0.5", lw=0.5))
    return fig
