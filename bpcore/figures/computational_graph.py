"""Computational graphs of one weight of a 2-layer sigmoid network (chapter 3's two figures).

A graph draws every quantity a weight influences as a box holding its symbol and value, and
every link as an arrow from tail to head.  An edge of the nudge's path carries its local
derivative, the derivative of the quantity at its head with respect to the one at its tail;
the chain rule multiplies the labels along a path and adds the paths.

* :func:`output_weight_graph`: w^2_11, one path w^2_11 -> z^2_1 -> a^2_1 -> C.
* :func:`hidden_weight_graph`: w^1_11, two paths that split at a^1_1, one per output neuron.

Each returns ``(nodes, edges)``, the data of the picture; :func:`draw_graph` draws them and
:func:`plot_output_weight` / :func:`plot_hidden_weight` make the book's figures.  The
network must be a 2-layer sigmoid network with at least two outputs (the running example is
2-3-2), fed one sample, with the quadratic cost.

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> nodes, edges = output_weight_graph(ex.net, ex.x, ex.y)
>>> nodes["z"][2:4]
('$z^2_1$', '0.9703')
>>> [label.split("= ")[-1] for _, _, label, _, _ in edges if label]
['0.5933$', '0.1993$', '0.7152$']
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from ..activations import sigmoid_prime
from ..engine import cost, forward

__all__ = ["draw_graph", "output_weight_graph", "hidden_weight_graph", "plot_output_weight",
           "plot_hidden_weight"]

PATH, FIXED, GREY, ON = "#1b4f9c", "#f2f2f2", "#8a8a8a", "#d6e4f5"
UP, DOWN, TRUNK, PLAIN = "#1b4f9c", "#b34700", "#222222", "#ececec"
UP_FACE, DOWN_FACE = "#d6e4f5", "#f8dcc8"


def _check(net, x, y):
    """The forward pass of one sample through a 2-layer sigmoid net with >= 2 outputs."""
    if net.n_layers != 2 or net.sizes[2] < 2 or set(net.activations) != {"sigmoid"}:
        raise ValueError(f"expected a 2-layer sigmoid network with at least two outputs, like "
                         f"the running example (2-3-2), got sizes {net.sizes} with activations "
                         f"{net.activations}; fix: draw the graph of bpcore.examples."
                         f"running_example().net")
    x, _ = v.columns(x, "x", net.sizes[0], m=1)
    y, _ = v.columns(y, "y", net.sizes[2], m=1)
    return forward(net, x), x, y


def output_weight_graph(net, x, y):
    """The graph of the output weight w^2_11 as ``(nodes, edges)``.

    nodes: {key: (x, y, symbol, value text, face colour)}; edges: [(tail, head, label,
    colour, (dx, dy))], label "" for a grey link that does not move with the weight.  The
    three labelled edges carry a^1_1, sigma'(z^2_1) and a^2_1 - y_1.
    """
    fp, x, y = _check(net, x, y)
    z2, a1, a2 = fp.z(2), fp.a(1), fp.a(2)
    C = cost(net, x, y)
    nodes = {
        "w": (0, 0, "$w^2_{11}$", f"{net.W(2)[0, 0]:.2f}", ON),
        "a1": (1.6, 1.9, "$a^1_1$", f"{a1[0, 0]:.4f}", FIXED),
        "b": (3.5, 2.1, "$b^2_1$", f"{net.b(2)[0]:.2f}", FIXED),
        "z": (3.5, 0, "$z^2_1$", f"{z2[0, 0]:.4f}", ON),
        "a": (7.0, 0, "$a^2_1$", f"{a2[0, 0]:.4f}", ON),
        "a22": (8.7, -1.7, "$a^2_2$", f"{a2[1, 0]:.4f}", FIXED),
        "C": (10.5, 0, "$C$", f"{C:.4f}", ON),
    }
    edges = [
        ("w", "z", f"$a^1_1$\n$= {a1[0, 0]:.4f}$", PATH, (0, -26)),
        ("a1", "z", "", GREY, (0, 0)),
        ("b", "z", "", GREY, (0, 0)),
        ("z", "a", f"$\\sigma'(z^2_1)$\n$= {sigmoid_prime(z2[0, 0]):.4f}$", PATH, (0, 26)),
        ("a", "C", f"$a^2_1 - y_1$\n$= {a2[0, 0] - y[0, 0]:.4f}$", PATH, (0, 26)),
        ("a22", "C", "", GREY, (0, 0)),
    ]
    return nodes, edges


def hidden_weight_graph(net, x, y):
    """The graph of the hidden weight w^1_11 as ``(nodes, edges)``, shaped as in
    :func:`output_weight_graph`: a trunk w^1_11 -> z^1_1 -> a^1_1 (labels x_1 and
    sigma'(z^1_1)), then one path per output j = 1, 2 (labels w^2_j1, sigma'(z^2_j) and
    a^2_j - y_j), blue for output 1 and orange for output 2."""
    fp, x, y = _check(net, x, y)
    z1, z2, a1, a2 = fp.z(1), fp.z(2), fp.a(1), fp.a(2)
    nodes = {"w": (0, 0, "$w^1_{11}$", f"{net.W(1)[0, 0]:.2f}", PLAIN),
             "z1": (2.8, 0, "$z^1_1$", f"{z1[0, 0]:.4f}", PLAIN),
             "a1": (5.6, 0, "$a^1_1$", f"{a1[0, 0]:.4f}", PLAIN)}
    edges = [("w", "z1", f"$x_1$\n$= {x[0, 0]:.2f}$", TRUNK, (0, 28)),
             ("z1", "a1", f"$\\sigma'(z^1_1)$\n$= {sigmoid_prime(z1[0, 0]):.4f}$", TRUNK,
              (0, 28))]
    # one branch per output neuron j: above (blue) for j = 1, below (orange) for j = 2
    for j, side, colour, face in [(1, 1, UP, UP_FACE), (2, -1, DOWN, DOWN_FACE)]:
        z, a, i = f"z2{j}", f"a2{j}", j - 1
        nodes[z] = (7.9, 1.9 * side, f"$z^2_{j}$", f"{z2[i, 0]:.4f}", face)
        nodes[a] = (11.1, 1.9 * side, f"$a^2_{j}$", f"{a2[i, 0]:.4f}", face)
        edges += [("a1", z, f"$w^2_{{{j}1}} = {net.W(2)[i, 0]:.2f}$", colour, (-38, 10 * side)),
                  (z, a, f"$\\sigma'(z^2_{j})$\n$= {sigmoid_prime(z2[i, 0]):.4f}$", colour,
                   (0, 26 * side)),
                  (a, "C", f"$a^2_{j} - y_{j}$\n$= {a2[i, 0] - y[i, 0]:.4f}$", colour,
                   (42 + 2 * j, 8 * side))]
    nodes["C"] = (13.5, 0, "$C$", f"{cost(net, x, y):.4f}", PLAIN)
    return nodes, edges


def draw_graph(ax, nodes, edges):
    """Draw a computational graph on ``ax``: a box per node, an arrow per edge.

    nodes: {key: (x, y, symbol, value, face colour)}; edges: [(tail, head, label, colour,
    (dx, dy))], an arrow from tail to head whose label (thick arrow) or absence of one (thin
    arrow) is written at its midpoint, shifted by (dx, dy) points.
    """
    boxes = {}
    for key, (x_pos, y_pos, symbol, value, face) in nodes.items():
        boxes[key] = ax.text(
            x_pos, y_pos, f"{symbol}\n{value}", ha="center", va="center",
            fontsize=13, linespacing=1.4, zorder=2,
            bbox=dict(boxstyle="round,pad=0.4", fc=face, ec="black"))
    for tail, head, label, colour, offset in edges:
        (x0, y0), (x1, y1) = nodes[tail][:2], nodes[head][:2]
        arrow = dict(arrowstyle="-|>", color=colour, mutation_scale=18,
                     lw=2.4 if label else 1.2, shrinkA=2, shrinkB=2,
                     patchA=boxes[tail].get_bbox_patch(),
                     patchB=boxes[head].get_bbox_patch())
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=3, arrowprops=arrow)
        if label:
            ax.annotate(label, xy=((x0 + x1) / 2, (y0 + y1) / 2),
                        xytext=offset, textcoords="offset points",
                        ha="center", va="center", fontsize=12,
                        color=colour, linespacing=1.4, zorder=4)
    ax.set_axis_off()


def _plot(graph, figsize, xlim, ylim):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize, facecolor="white")
    draw_graph(ax, *graph)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return fig


def plot_output_weight(net, x, y):
    """Chapter 3's figure of the output weight w^2_11 (a pyplot figure, 9 x 3.6 inches)."""
    return _plot(output_weight_graph(net, x, y), (9, 3.6), (-0.7, 11.2), (-2.5, 2.8))


def plot_hidden_weight(net, x, y):
    """Chapter 3's figure of the hidden weight w^1_11 (a pyplot figure, 11 x 4.6 inches)."""
    return _plot(hidden_weight_graph(net, x, y), (11, 4.6), (-0.8, 14.4), (-3.0, 3.0))
