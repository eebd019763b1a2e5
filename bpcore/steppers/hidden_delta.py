"""BP2, the hidden deltas, layer by layer backwards:
delta^l = ((W^{l+1})^T delta^{l+1}) (.) f'(z^l).

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> s = hidden_delta_stepper(ex.net, ex.x, ex.y)
>>> len(s.steps), s.steps[-1].values["delta^1"].shape
(9, (3,))
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ..diagrams import weight_name
from ..engine import forward, hidden_deltas, output_delta
from ..tex import column, display, factor, inline, key, matrix, number, paragraph, plain, sym
from .. import activations
from .assemble import assemble
from .checks import check_network, one_sample
from .model import Step
from .pictures import all_edges, picture, vmax

__all__ = ["hidden_delta_stepper"]

DELTA = r"\delta"
DELTA_L = inline(r"\delta^{L}")
CAPTION = "fill: \u03b4 (blue +, red \u2212) \u00b7 lines: weights w (solid +, dashed \u2212)"


def _transposed(l):
    return rf"(W^{{{l}}})^{{\top}}"


def _layer_steps(net, fp, deltas, l, known, draw):
    """BP2 for hidden layer l: the matrix form, two views per neuron, then delta^l."""
    W_next, d_next = net.W(l + 1), deltas.at(l + 1)
    z, a = fp.z(l), fp.a(l)
    act = activations.get(net.activations[l - 1])
    back = W_next.T @ d_next
    fprime = act.derivative(z, a)
    steps = [Step(f"Layer {l}: BP2", paragraph(
        f"Each neuron of layer {l} collects the deltas of layer {l + 1}, weighted by the "
        f"lines that leave it: that is the transposed matrix {inline(_transposed(l + 1))} "
        f"times {inline(sym(DELTA, l + 1))}. Then the slope of its activation scales it.")
        + display(rf"\delta^{{{l}}} = \left( (W^{{{l + 1}}})^{{\top}} \delta^{{{l + 1}}} "
                  rf"\right) \odot f'(z^{{{l}}})")
        + display(rf"(W^{{{l + 1}}})^{{\top}} \delta^{{{l + 1}}} = {matrix(W_next.T)} "
                  rf"{column(d_next)} = {column(back)}"),
        {f"W^{l + 1}": W_next.copy(), key("delta", l + 1): np.array(d_next),
         f"(W^{l + 1})^T delta^{l + 1}": back},
        **draw(nodes=dict(known), highlight_nodes=[(l + 1, k) for k in range(len(d_next))]))]
    for j in range(1, len(z) + 1):
        out = [(l + 1, k, j - 1) for k in range(len(d_next))]
        labels = {edge: f"{weight_name(*edge)} = {plain(W_next[edge[1:]])}" for edge in out}
        terms_sym = " + ".join(f"{sym('w', l + 1, k, j)} {sym(DELTA, l + 1, k)}"
                               for k in range(1, len(d_next) + 1))
        terms_num = " + ".join(f"{factor(W_next[k, j - 1])} \\cdot {factor(d_next[k])}"
                               for k in range(len(d_next)))
        steps.append(Step(f"Layer {l}, neuron {j}: the sum over k", paragraph(
            f"Neuron {j} of layer {l} feeds every neuron k of layer {l + 1} through "
            f"{inline(sym('w', l + 1, 'k', j))} (note the order: to k, from {j}). Its share "
            "of their error:")
            + display(rf"\left( (W^{{{l + 1}}})^{{\top}} \delta^{{{l + 1}}} \right)_{{{j}}} = "
                      rf"\sum_k {sym('w', l + 1, 'k', j)}\, {sym(DELTA, l + 1, 'k')} = "
                      rf"{terms_sym}")
            + display(rf"= {terms_num} = {number(back[j - 1])}"),
            {key("sum", l, j): float(back[j - 1]),
             **{key("w", l + 1, k + 1, j): float(W_next[k, j - 1]) for k in range(len(d_next))}},
            **draw(nodes=dict(known), highlight_nodes=[(l, j - 1)], highlight_edges=out,
                   edge_labels=labels)))
        dj = float(deltas.at(l)[j - 1])
        known[(l, j - 1)] = dj
        steps.append(Step(f"Layer {l}, neuron {j}: times f'(z)", paragraph(
            f"Scale by the slope of {inline(act.tex)} at this neuron's "
            f"{inline(sym('z', l, j))}:")
            + display(act.tex_derivative(sym("z", l, j), sym("a", l, j), z[j - 1], a[j - 1],
                                         fprime[j - 1]))
            + display(rf"{sym(DELTA, l, j)} = {factor(back[j - 1])} \cdot "
                      rf"{factor(fprime[j - 1])} = {number(dj)}"),
            {key("f'(z", l, j) + ")": float(fprime[j - 1]), key("delta", l, j): dj},
            **draw(nodes=dict(known), highlight_nodes=[(l, j - 1)])))
    steps.append(Step(f"Layer {l}: delta^{l}", paragraph(f"All of layer {l} at once:")
                      + display(rf"\delta^{{{l}}} = {column(back)} \odot {column(fprime)} = "
                                rf"{column(deltas.at(l))}"),
                      {key("delta", l): np.array(deltas.at(l))},
                      **draw(nodes=dict(known), highlight_nodes=[(l, j) for j in range(len(z))])))
    return steps


def hidden_delta_stepper(net, x, y, loss="mse"):
    """Step through BP2, delta^l = ((W^{l+1})^T delta^{l+1}) (.) f'(z^l), for l = L-1 .. 1.

    The first view shows delta^L (from BP1).  For each hidden layer, going backwards: the
    equation with the matrix and vector, then for each neuron j the sum
    sum_k w^{l+1}_kj delta^{l+1}_k over the weights leaving it, then its product with
    f'(z^l_j); a last view per layer collects delta^l.

    ``values`` keys: ``"delta^L"``, ``"(W^{l+1})^T delta^{l+1}"`` (the vector),
    ``"sum^l_j"`` (its entry j), ``"f'(z^l_j)"``, ``"delta^l_j"`` and ``"delta^l"``.
    Raises ValueError for a network with no hidden layer (L = 1), besides the checks of
    :func:`~bpcore.steppers.output_delta_stepper`.
    """
    what = "hidden_delta_stepper"
    check_network(net, what)
    if net.n_layers < 2:
        raise ValueError("hidden_delta_stepper needs a hidden layer, but this network has "
                         f"L = 1 (sizes {net.sizes}): its only delta is delta^L, which "
                         "output_delta_stepper shows")
    x, y = one_sample(net, x, y, loss)
    fp = forward(net, x)
    L = net.n_layers
    deltas = hidden_deltas(net, fp, output_delta(net, fp, y, loss))
    draw = partial(picture, net, edges=all_edges(net.weights), node_vmax=vmax(*deltas),
                   edge_vmax=vmax(*net.weights), caption=CAPTION, node_quantity="delta")
    known = {(L, j): float(d) for j, d in enumerate(deltas.at(L))}
    steps = [Step("Start from the output delta", paragraph(
        f"BP1 gave {DELTA_L}, the error at the output; BP2 carries it back one layer at a time.")
        + display(rf"\delta^{{{L}}} = {column(deltas.at(L))}"),
        {"delta^L": np.array(deltas.at(L)), key("delta", L): np.array(deltas.at(L))},
        **draw(nodes=dict(known), highlight_nodes=[(L, j) for j in range(net.sizes[L])]))]
    for l in range(L - 1, 0, -1):
        steps += _layer_steps(net, fp, deltas, l, known, draw)
    return assemble("hidden-delta", "BP2: the deltas of the hidden layers", steps, what)
