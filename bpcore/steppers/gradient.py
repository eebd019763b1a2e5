"""BP3 and BP4, the gradients, entry by entry: dC/db^l = delta^l, dC/dw^l_jk = a^{l-1}_k delta^l_j.

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> s = gradient_stepper(ex.net, ex.x, ex.y)
>>> len(s.steps), round(s.steps[2].values["dC/dw^2_11"], 6)
(17, 0.084559)
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ..diagrams import weight_name
from ..engine import bias_gradients, forward, hidden_deltas, output_delta, weight_gradients
from ..tex import column, display, factor, inline, key, matrix, number, paragraph, plain, sym
from ..tex import superscript as sup
from .assemble import assemble
from .checks import check_network, one_sample
from .model import Step
from .pictures import all_edges, picture, vmax

__all__ = ["gradient_stepper"]

DELTA = r"\delta"
GRADIENT_OF = dict(node_quantity="value", edge_quantity="gradient of")


def _layer_steps(net, l, a_prev, d, gW, gb):
    """BP3 and BP4 for layer l: the biases, the weights as an outer product, each entry."""
    draw = partial(
        picture, net, nodes={**{(l - 1, k): float(v) for k, v in enumerate(a_prev)},
                             **{(l, j): float(v) for j, v in enumerate(d)}},
        edges={(l, j, k): float(gW[j, k]) for j in range(len(d)) for k in range(len(a_prev))},
        node_vmax={l - 1: vmax(a_prev), l: vmax(d)}, edge_vmax=vmax(gW),
        caption=(f"left: {sup('a', l - 1)}; right: {sup('δ', l)} (blue +, red \u2212) "
                 "\u00b7 lines: \u2202C/\u2202w (solid +, dashed \u2212)"), **GRADIENT_OF)
    steps = [
        Step(f"Layer {l}: BP3, the biases", paragraph(
            f"A bias adds straight into z, so the cost changes with {inline(sym('b', l, 'j'))} "
            f"exactly as it does with {inline(sym('z', l, 'j'))}:")
            + display(rf"\frac{{\partial C}}{{\partial b^{{{l}}}}} = \delta^{{{l}}} = "
                      rf"{column(gb)}"),
            {key("dC/db", l): np.array(gb)},
            **draw(highlight_nodes=[(l, j) for j in range(len(d))])),
        Step(f"Layer {l}: BP4, the weights", paragraph(
            f"The weight {inline(sym('w', l, 'jk'))} multiplies {inline(sym('a', l - 1, 'k'))} "
            f"on its way into {inline(sym('z', l, 'j'))}, so its gradient is that activation "
            "times the delta at the end of the line. All of them at once form an outer "
            "product, a column times a row:")
            + display(rf"\frac{{\partial C}}{{\partial W^{{{l}}}}} = "
                      rf"\delta^{{{l}}} (a^{{{l - 1}}})^{{\top}} = {column(d)} "
                      rf"{matrix([a_prev])} = {matrix(gW)}")
            + paragraph(f"Row j belongs to neuron j of layer {l}, column k to neuron k of layer "
                        f"{l - 1}: the entry in row j, column k is the gradient of "
                        f"{inline(sym('w', l, 'jk'))}."),
            {key("dC/dW", l): np.array(gW)}, **draw()),
    ]
    for j in range(1, len(d) + 1):
        for k in range(1, len(a_prev) + 1):
            g = float(gW[j - 1, k - 1])
            edge = (l, j - 1, k - 1)
            steps.append(Step(f"Layer {l}: dC/dw^{l}_{j}{k}", paragraph(
                f"The line from neuron {k} of layer {l - 1} to neuron {j} of layer {l}, "
                f"row {j} and column {k} of the matrix:")
                + display(rf"\frac{{\partial C}}{{\partial {sym('w', l, j, k)}}} = "
                          rf"{sym('a', l - 1, k)}\, {sym(DELTA, l, j)} = "
                          rf"{factor(a_prev[k - 1])} \cdot {factor(d[j - 1])} = {number(g)}"),
                {key("dC/dw", l, j, k): g, key("a", l - 1, k): float(a_prev[k - 1]),
                 key("delta", l, j): float(d[j - 1])},
                **draw(highlight_nodes=[(l - 1, k - 1), (l, j - 1)], highlight_edges=[edge],
                       edge_labels={edge: f"\u2202C/\u2202{weight_name(*edge)} = {plain(g)}"})))
    return steps


def gradient_stepper(net, x, y, loss="mse"):
    """Step through BP3 (dC/db^l = delta^l) and BP4 (dC/dw^l_jk = a^{l-1}_k delta^l_j).

    For each layer l = L .. 1: the bias gradient; the weight gradient as the outer product
    delta^l (a^{l-1})^T; then each entry, with its weight highlighted in the diagram.  The
    last view lists every gradient.  One sample, so no mean over samples is needed (over a
    batch BP3 and BP4 average these over the columns).

    ``values`` keys: ``"dC/db^l"``, ``"dC/dW^l"`` (arrays), ``"dC/dw^l_jk"``.
    """
    what = "gradient_stepper"
    check_network(net, what)
    x, y = one_sample(net, x, y, loss)
    fp = forward(net, x)
    L = net.n_layers
    deltas = hidden_deltas(net, fp, output_delta(net, fp, y, loss))
    grad_W, grad_b = weight_gradients(fp, deltas), bias_gradients(deltas)
    steps = []
    for l in range(L, 0, -1):
        steps += _layer_steps(net, l, fp.a(l - 1), deltas.at(l), grad_W[l - 1], grad_b[l - 1])
    summary = "".join(
        display(rf"\frac{{\partial C}}{{\partial W^{{{l}}}}} = {matrix(grad_W[l - 1])}, \quad "
                rf"\frac{{\partial C}}{{\partial b^{{{l}}}}} = {column(grad_b[l - 1])}")
        for l in range(1, L + 1))
    steps.append(Step("Every gradient", paragraph(
        "Together, the gradient of the cost with respect to every parameter; these are "
        "the numbers bpcore.backprop returns.") + summary,
        {**{key("dC/dW", l): np.array(grad_W[l - 1]) for l in range(1, L + 1)},
         **{key("dC/db", l): np.array(grad_b[l - 1]) for l in range(1, L + 1)}},
        **picture(net, edges=all_edges(grad_W), edge_vmax=vmax(*grad_W),
                  caption="lines: \u2202C/\u2202w (solid +, dashed \u2212, "
                          "width \u221d |\u2202C/\u2202w|)", **GRADIENT_OF)))
    return assemble("gradient", "BP3 and BP4: the gradients", steps, what)
