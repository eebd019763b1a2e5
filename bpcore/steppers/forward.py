"""The forward pass, neuron by neuron: z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j, a^l_j = f(z^l_j).

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> s = forward_stepper(ex.net, ex.x)
>>> s.steps[-1].values["a^L"].round(4)
array([0.7252, 0.7884])
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ..diagrams import weight_name
from ..engine import forward
from ..tex import column, display, factor, inline, key, number, paragraph, plain, signed_sum, sym
from .. import activations
from .assemble import assemble
from .checks import check_network, one_sample
from .model import Step
from .pictures import all_edges, picture, vmax

__all__ = ["forward_stepper"]

CAPTION = ("fill: a, or z where z is being computed (blue +, red \u2212) \u00b7 "
           "lines: weights w (solid +, dashed \u2212, width \u221d |w|)")


def _z_steps(net, l, j, a_prev, z, before, after):
    """The three views of z^l_j: in symbols, with the numbers, and the result; ``before``
    and ``after`` are the pictures without and with z^l_j."""
    W, b, n_prev = net.W(l), net.b(l), len(a_prev)
    sym_z, w_k, a_k, b_j = sym("z", l, j), sym("w", l, j, "k"), sym("a", l - 1, "k"), sym("b", l, j)
    terms_sym = " + ".join(f"{sym('w', l, j, k)} {sym('a', l - 1, k)}" for k in range(1, n_prev + 1))
    terms_num = " + ".join(f"{factor(W[j - 1, k])} \\cdot {factor(a_prev[k])}"
                           for k in range(n_prev))
    products = [float(W[j - 1, k] * a_prev[k]) for k in range(n_prev)]
    inputs = {key("w", l, j, k + 1): float(W[j - 1, k]) for k in range(n_prev)}
    inputs.update({key("a", l - 1, k + 1): float(a_prev[k]) for k in range(n_prev)})
    inputs[key("b", l, j)] = float(b[j - 1])
    return [
        Step(f"Layer {l}, neuron {j}: z in symbols",
             paragraph(f"Neuron {j} of layer {l} adds up its inputs {inline(a_k)}, each times "
                       f"the weight {inline(w_k)} of its line, plus its bias {inline(b_j)}:")
             + display(rf"{sym_z} = \sum_{{k=1}}^{{{n_prev}}} {w_k}\, {a_k} + {b_j} = "
                       rf"{terms_sym} + {b_j}"),
             inputs, **before),
        Step(f"Layer {l}, neuron {j}: the numbers",
             paragraph("The same sum with the numbers put in (the highlighted lines carry the "
                       "weights, the neurons on their left the activations):")
             + display(rf"{sym_z} = {terms_num} + {factor(b[j - 1])}"),
             inputs, **before),
        Step(f"Layer {l}, neuron {j}: z",
             paragraph("Multiply, then add:")
             + display(rf"{sym_z} = {signed_sum(products + [float(b[j - 1])])} = {number(z)}"),
             {key("z", l, j): z}, **after),
    ]


def _softmax_steps(l, z_l, a_l, known, draw):
    """The views a^l_j = e^{z_j} / sum_k e^{z_k}, once every z of the layer is known."""
    e = np.exp(z_l - z_l.max())
    denominator = " + ".join(f"e^{{{number(z)}}}" for z in z_l)
    steps = []
    for j in range(1, len(z_l) + 1):
        aj = float(a_l[j - 1])
        known[(l, j - 1)] = aj
        steps.append(Step(
            f"Layer {l}, neuron {j}: a (softmax)",
            paragraph(f"Softmax needs every {inline(sym('z', l, 'k'))} of the layer: each output "
                      "is its exponential divided by the sum of all of them, so the outputs "
                      "are positive and add up to 1.")
            + display(rf"{sym('a', l, j)} = \frac{{e^{{{sym('z', l, j)}}}}}"
                      rf"{{\sum_k e^{{{sym('z', l, 'k')}}}}} = "
                      rf"\frac{{e^{{{number(z_l[j - 1])}}}}}{{{denominator}}} = {number(aj)}"),
            {key("z", l, j): float(z_l[j - 1]), key("a", l, j): aj,
             "sum of exponentials / e^max": float(e.sum())},
            **draw(nodes=dict(known), highlight_nodes=[(l, j - 1)])))
    return steps


def forward_stepper(net, x):
    """Step through the forward pass of one sample, layer by layer and neuron by neuron.

    For each neuron j of layer l = 1..L four views: z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j
    in symbols, with the numbers substituted, the result, then a^l_j = f(z^l_j) (a softmax
    layer first computes all its z, then each a^L_j = e^{z_j} / sum_k e^{z_k}).  One view
    shows the input before, one the output after.

    ``x`` is one sample, shape (n_0,) or (n_0, 1).  The ``values`` of each step hold
    ``"z^l_j"``, ``"a^l_j"``, the weights and inputs substituted, and at the end ``"a^L"``.
    Raises TypeError for a non-Network, ValueError for x of the wrong shape or more than
    one sample, or a network too large to draw (see ``MAX_NEURONS``).
    """
    what = "forward_stepper"
    check_network(net, what)
    x, _ = one_sample(net, x)
    fp = forward(net, x)
    L = net.n_layers
    draw = partial(picture, net, edges=all_edges(net.weights), caption=CAPTION,
                   node_vmax=vmax(*fp.zs, *fp.activations), edge_vmax=vmax(*net.weights))
    known = {(0, k): float(xk) for k, xk in enumerate(x)}

    steps = [Step("The input", paragraph(
        f"The forward pass starts from the input, the activations of layer 0: "
        f"{inline(r'a^{0} = x')}.") + display(r"a^{0} = " + column(x)),
        {key("a", 0, k + 1): float(xk) for k, xk in enumerate(x)},
        **draw(nodes=dict(known), highlight_nodes=[(0, k) for k in range(len(x))]))]
    for l in range(1, L + 1):
        act, W = activations.get(net.activations[l - 1]), net.W(l)
        a_prev, z_l, a_l = fp.a(l - 1), fp.z(l), fp.a(l)
        for j in range(1, W.shape[0] + 1):
            into = [(l, j - 1, k) for k in range(len(a_prev))]
            labels = {edge: f"{weight_name(*edge)} = {plain(W[edge[1:]])}" for edge in into}
            zj = float(z_l[j - 1])
            lines = dict(highlight_nodes=[(l, j - 1)], highlight_edges=into, edge_labels=labels)
            steps += _z_steps(net, l, j, a_prev, zj, draw(nodes=dict(known), **lines),
                              draw(nodes={**known, (l, j - 1): zj}, **lines))
            if act.elementwise:
                aj = float(a_l[j - 1])
                known[(l, j - 1)] = aj
                steps.append(Step(
                    f"Layer {l}, neuron {j}: a",
                    paragraph(f"The activation function of layer {l}, {inline(act.tex)}, turns "
                              f"{inline(sym('z', l, j))} into the neuron's output:")
                    + display(rf"{sym('a', l, j)} = {act.tex}({sym('z', l, j)}) = "
                              + act.tex_value(zj, aj)),
                    {key("z", l, j): zj, key("a", l, j): aj},
                    **draw(nodes=dict(known), highlight_nodes=[(l, j - 1)])))
        if not act.elementwise:
            steps += _softmax_steps(l, z_l, a_l, known, draw)

    aL = fp.a(L)
    steps.append(Step("The output", paragraph(
        f"Every neuron has fired; the output of the network is {inline(sym('a', L))}:")
        + display(rf"{sym('a', L)} = {column(aL)}"),
        {"a^L": np.array(aL), **{key("a", L, j + 1): float(a) for j, a in enumerate(aL)}},
        **draw(nodes=dict(known), highlight_nodes=[(L, j) for j in range(len(aL))])))
    return assemble("forward", "The forward pass, neuron by neuron", steps, what)
