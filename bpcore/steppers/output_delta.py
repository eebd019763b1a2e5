"""BP1, the output delta, factor by factor: delta^L = dC/da^L (.) f'(z^L), or, for softmax,
delta^L = J^T dC/da^L; and the shortcut delta^L = a^L - y for the matched pairs.

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> s = output_delta_stepper(ex.net, ex.x, ex.y)
>>> [st.title for st in s.steps]
['The output and the cost', 'First factor: dC/da', "Second factor: f'(z)",
 'BP1: the Hadamard product']
"""
from __future__ import annotations

import numpy as np

from ..activations import softmax_jacobian
from ..engine import cost, forward, output_delta
from ..tex import (aligned, column, display, factor, inline, matrix, number, paragraph, plain,
                   sym)
from ..tex import superscript as sup
from .. import activations, losses
from .assemble import assemble
from .checks import check_network, one_sample
from .model import Step
from .pictures import picture, vmax

__all__ = ["output_delta_stepper"]

KRONECKER = inline(r"\mathbb{1}[i = j]")
CE_GRAD = inline(r"\partial C / \partial a^{L}_i = -y_i / a^{L}_i")
SUM_Y = inline(r"\sum_i y_i = 1")
SIGMOID_CE = inline(r"-\frac{y_j}{a_j} \cdot a_j (1 - a_j) = -y_j (1 - a_j)")
SIGMOID_PRIME = inline(r"\sigma'(z) = a (1 - a)")


def _softmax_steps(z, a, dCda, delta, draw, L):
    """The Jacobian J_ij = a_i (delta_ij - a_j) and the product delta^L = J^T dC/da^L."""
    J = softmax_jacobian(z)
    via_jacobian = J.T @ dCda
    n = len(z)
    lines = [rf"\delta^{{L}}_{{{j + 1}}} = " + " + ".join(
        f"{factor(J[i, j])} \\cdot {factor(dCda[i])}" for i in range(n))
        + f" = {number(via_jacobian[j])}" for j in range(n)]
    return [
        Step("Second factor: the softmax Jacobian", paragraph(
            "Softmax is not element-wise: every output depends on every z, so the second "
            f"factor is the full Jacobian matrix. With {KRONECKER}, which is 1 when i = j and "
            "0 otherwise:")
            + display(r"J_{ij} = \frac{\partial a^{L}_i}{\partial z^{L}_j} = "
                      rf"a^{{L}}_i (\mathbb{{1}}[i = j] - a^{{L}}_j), \qquad J = {matrix(J)}"),
            {"J": J}, **draw(a, "activation", f"fill: output {sup('a', L)}, from which J is built")),
        Step("BP1: the Jacobian product", paragraph(
            "The chain rule sums over every output the cost reaches through:")
            + display(r"\delta^{L}_j = \sum_i J_{ij} \frac{\partial C}{\partial a^{L}_i}, "
                      r"\qquad \delta^{L} = J^{\top} \frac{\partial C}{\partial a^{L}}")
            + display(aligned(lines)),
            {"delta^L": via_jacobian, "delta^L (bpcore)": delta},
            **draw(via_jacobian, "delta", f"fill: {sup('δ', L)} (blue +, red \u2212)")),
    ]


def _elementwise_steps(act, z, a, dCda, delta, draw, L, loss):
    """f'(z^L) and the Hadamard product delta^L = dC/da^L (.) f'(z^L)."""
    fprime = act.derivative(z, a)
    product = dCda * fprime
    n = len(z)
    lines = [rf"\delta^{{L}}_{{{j + 1}}} = {factor(dCda[j])} \cdot {factor(fprime[j])} = "
             rf"{number(product[j])}" for j in range(n)]
    text = paragraph("BP1 multiplies the two factors entry by entry (the Hadamard product):") \
        + display(r"\delta^{L} = \frac{\partial C}{\partial a^{L}} \odot f'(z^{L})") \
        + display(aligned(lines))
    if (act.name, loss) == ("sigmoid", "cross_entropy"):
        text += paragraph(f"Here {SIGMOID_CE}: the a cancels, and bpcore computes it in that "
                          "form.")
    return [
        Step("Second factor: f'(z)", paragraph(
            f"How fast each output changes with its weighted input, the derivative of "
            f"{inline(act.tex)} at {inline('z^{L}')}:")
            + display(aligned([act.tex_derivative(sym("z", "L", j + 1), sym("a", "L", j + 1),
                                                  z[j], a[j], fprime[j]) for j in range(n)])),
            {"f'(z^L)": fprime.copy(), "z^L": z.copy()},
            **draw(fprime, "f'(z)", f"fill: f\u2032({sup('z', L)}) (blue +, red \u2212)")),
        Step("BP1: the Hadamard product", text, {"delta^L": product, "delta^L (bpcore)": delta},
             **draw(product, "delta", f"fill: {sup('δ', L)} (blue +, red \u2212)")),
    ]


def _shortcut_step(name, a, y, delta, draw, L):
    """delta^L = a^L - y, and why it holds for the matched pair."""
    if name == "softmax":
        why = paragraph(
            f"Put {CE_GRAD} into the sum: the {inline('a^{L}_i')} cancels and, because the "
            f"targets add up to 1, {SUM_Y}, what is left is {inline(r'a^{L}_j - y_j')}:") \
            + display(r"\delta^{L}_j = \sum_i \left(-\frac{y_i}{a^{L}_i}\right) a^{L}_i "
                      r"(\mathbb{1}[i = j] - a^{L}_j) = -y_j + a^{L}_j \sum_i y_i = a^{L}_j - y_j")
        after = paragraph("The same numbers as the full product, with no Jacobian and no "
                          "division by a small a. This is why softmax and cross-entropy come "
                          "as a pair.")
    else:
        why = paragraph(f"For a sigmoid output, {SIGMOID_PRIME} is exactly the denominator "
                        "of the first factor, so the two cancel:") \
            + display(r"\delta^{L}_j = \frac{a^{L}_j - y_j}{a^{L}_j (1 - a^{L}_j)} \cdot "
                      r"a^{L}_j (1 - a^{L}_j) = a^{L}_j - y_j")
        after = paragraph("No division by a(1 - a), which is tiny when the output saturates: "
                          "this is why the sigmoid and binary cross-entropy come as a pair.")
    return Step("The shortcut: delta = a - y",
                why + display(rf"a^{{L}} - y = {column(a)} - {column(y)} = {column(a - y)}")
                + after, {"a^L - y": a - y, "delta^L": delta},
                **draw(a - y, "delta", f"fill: {sup('δ', L)} = {sup('a', L)} \u2212 y"))


def output_delta_stepper(net, x, y, loss="mse"):
    """Step through BP1, delta^L = dC/da^L (.) f'(z^L), one factor at a time.

    The views: the output and the cost; the first factor dC/da^L for ``loss``; then, for an
    element-wise output activation, f'(z^L) and the Hadamard product; for softmax, the full
    Jacobian J_ij = a_i (delta_ij - a_j) and the product delta_j = sum_i J_ij dC/da_i.  For
    the matched pairs (``losses.MATCHED_PAIRS``: softmax with cross_entropy, sigmoid with
    binary_cross_entropy) a last view shows the shortcut delta^L = a^L - y and why it holds.

    ``values`` keys: ``"a^L"``, ``"y"``, ``"C"``, ``"dC/da^L"``, ``"f'(z^L)"`` or ``"J"``,
    ``"delta^L"`` and, for the matched pairs, ``"a^L - y"``.  Raises as bpcore.backprop
    does for a bad y or loss, and ValueError for more than one sample or a network too
    large to draw.
    """
    what = "output_delta_stepper"
    check_network(net, what)
    x, y = one_sample(net, x, y, loss)
    fp = forward(net, x)
    L = net.n_layers
    act, cost_record = activations.get(net.activations[L - 1]), losses.get(loss)
    z, a = fp.z(L), fp.a(L)
    C = cost(net, x, y, loss)
    dCda = cost_record.gradient(y[:, None], a[:, None])[:, 0]
    delta = np.array(output_delta(net, fp, y, loss))
    n = len(a)
    out = [(L, j) for j in range(n)]
    targets = {(L, j): f"y = {plain(y[j])}" for j in range(n)}

    def draw(values, quantity, caption):
        return picture(net, nodes={(L, j): float(values[j]) for j in range(n)},
                       highlight_nodes=out, notes=targets, node_vmax=vmax(values),
                       caption=caption, node_quantity=quantity)

    steps = [
        Step("The output and the cost", paragraph(
            f"The forward pass gave the output {inline('a^{L}')} (here {inline(f'L = {L}')}); "
            f"the target is {inline('y')}. The cost for this sample:")
            + display(cost_record.tex)
            + display(rf"a^{{L}} = {column(a)}, \quad y = {column(y)}, \quad C = {number(C)}"),
            {"a^L": a.copy(), "y": y.copy(), "C": C},
            **draw(a, "activation", f"fill: output {sup('a', L)} (blue +, red \u2212); targets "
                                    "y on the right")),
        Step("First factor: dC/da", paragraph(
            f"How fast the cost changes with each output, for the {loss} cost:")
            + display(cost_record.tex_grad)
            + display(aligned([cost_record.tex_grad_row(j + 1, a[j], y[j], dCda[j])
                               for j in range(n)])),
            {"dC/da^L": dCda.copy()},
            **draw(dCda, "dC/da", f"fill: \u2202C/\u2202{sup('a', L)} (blue +, red \u2212)")),
    ]
    if act.elementwise:
        steps += _elementwise_steps(act, z, a, dCda, delta, draw, L, loss)
        title = f"BP1 with the {loss} cost"
    else:
        steps += _softmax_steps(z, a, dCda, delta, draw, L)
        title = f"BP1 for {act.name} with the {loss} cost"
    if (act.name, loss) in losses.MATCHED_PAIRS:
        steps.append(_shortcut_step(act.name, a, y, delta, draw, L))
    return assemble("output-delta", title, steps, what)
