"""One step of gradient descent: W^l <- W^l - eta dC/dW^l, b^l likewise, cost before and after.

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> s = training_step_stepper(ex.net, ex.x, ex.y, learning_rate=0.5)
>>> s.steps[-1].values["C_after"] < s.steps[0].values["C_before"]
True
"""
from __future__ import annotations

from functools import partial

import numpy as np

from .. import _validate as v
from ..engine import backprop, cost, forward
from ..tex import column, display, format_number, inline, key, matrix, number, paragraph, plain
from ..tex import superscript as sup
from .assemble import assemble
from .checks import check_network, one_sample
from .model import Step
from .pictures import all_edges, picture, vmax

__all__ = ["training_step_stepper"]

ETA = r"\eta"
FIRST_ORDER = inline(r"-\eta \lVert \nabla C \rVert^2")


def _update_step(l, W, gW, new_W, b, gb, new_b, eta, after):
    """The update of layer l with the numbers; ``after`` is its picture."""
    return Step(f"Layer {l}: the update", paragraph(
        f"Step against the gradient, scaled by the learning rate "
        f"{inline(ETA + ' = ' + number(eta))}:")
        + display(rf"W^{{{l}}} \leftarrow W^{{{l}}} - \eta "
                  rf"\frac{{\partial C}}{{\partial W^{{{l}}}}} = {matrix(W)} - {number(eta)} "
                  rf"{matrix(gW)} = {matrix(new_W)}")
        + display(rf"b^{{{l}}} \leftarrow b^{{{l}}} - \eta "
                  rf"\frac{{\partial C}}{{\partial b^{{{l}}}}} = {column(b)} - {number(eta)} "
                  rf"{column(gb)} = {column(new_b)}"),
        {key("W", l) + " new": new_W, key("b", l) + " new": new_b}, **after)


def _verdict(change, eta):
    if change < 0:
        return (f"The cost went down by {inline(number(-change))}, close to the prediction "
                f"when {inline(ETA)} is small: the step followed the slope.")
    return (f"The cost went up by {inline(number(change))}: the learning rate "
            f"{inline(ETA + ' = ' + number(eta))} is too large, so the step overshot the "
            "valley the gradient pointed into. Try a smaller one.")


def training_step_stepper(net, x, y, learning_rate, loss="mse"):
    """Step through one gradient-descent update: W^l <- W^l - eta dC/dW^l, b^l likewise.

    Views: the cost before; the gradients of each layer (from bpcore.backprop); the update
    of each layer with the numbers; the cost after, with the change it made and the
    first-order prediction -eta ||grad||^2, which says whether eta was small enough.

    ``values`` keys: ``"C_before"``, ``"dC/dW^l"``, ``"dC/db^l"``, ``"W^l new"``,
    ``"b^l new"``, ``"C_after"``, ``"Delta C"``, ``"predicted Delta C"``; the updated
    network is the last step's ``values["network"]``.  Raises ValueError/TypeError for a
    learning rate that is not a positive number, besides the usual checks.
    """
    what = "training_step_stepper"
    check_network(net, what)
    eta = v.positive_number(learning_rate, "learning_rate")
    x, y = one_sample(net, x, y, loss)
    L = net.n_layers
    C0 = cost(net, x, y, loss)
    grads = backprop(net, x, y, loss)
    new_W = [W - eta * g for W, g in zip(net.weights, grads.weights)]
    new_b = [b - eta * g for b, g in zip(net.biases, grads.biases)]
    new_net = net.replace(weights=new_W, biases=new_b)
    C1 = cost(new_net, x, y, loss)
    predicted = -eta * float(np.sum(grads.flat() ** 2))
    fp0, fp1 = forward(net, x), forward(new_net, x)
    draw = partial(picture, net, notes={(L, j): f"y = {plain(t)}" for j, t in enumerate(y)},
                   node_vmax=vmax(*fp0.activations, *fp1.activations),
                   edge_vmax=vmax(*net.weights, *new_W), node_quantity="activation")

    def network(weights, fp, caption):
        nodes = {(l, j): float(a) for l, acts in enumerate(fp.activations)
                 for j, a in enumerate(acts)}
        return draw(nodes=nodes, edges=all_edges(weights), caption=caption)

    steps = [Step("The cost before", paragraph(
        "Run the sample forward with the current weights and measure the cost:")
        + display(rf"C = {number(C0)}"), {"C_before": C0},
        **network(net.weights, fp0, "fill: a \u00b7 lines: weights (solid +, dashed \u2212)"))]
    for l in range(L, 0, -1):
        gW, gb = grads.W(l), grads.b(l)
        steps.append(Step(f"Layer {l}: the gradients", paragraph(
            f"Backpropagation (BP1 to BP4) gives the gradients of layer {l}:")
            + display(rf"\frac{{\partial C}}{{\partial W^{{{l}}}}} = {matrix(gW)}, \quad "
                      rf"\frac{{\partial C}}{{\partial b^{{{l}}}}} = {column(gb)}"),
            {key("dC/dW", l): np.array(gW), key("dC/db", l): np.array(gb)},
            **picture(net, edges={(l, j, k): float(gW[j, k]) for j in range(gW.shape[0])
                                  for k in range(gW.shape[1])},
                      edge_vmax=vmax(gW), edge_quantity="gradient of",
                      caption=f"lines: \u2202C/\u2202{sup('W', l)} (solid +, dashed \u2212, "
                              "width \u221d size)")))
    for l in range(1, L + 1):
        layers = "s 1 to" if l > 1 else ""
        steps.append(_update_step(
            l, net.W(l), grads.W(l), new_W[l - 1], net.b(l), grads.b(l), new_b[l - 1], eta,
            network(new_W[:l] + list(net.weights[l:]), fp0,
                    f"lines: weights, layer{layers} {l} updated")))
    change = C1 - C0
    steps.append(Step("The cost after", paragraph(
        "Run the sample forward again with the new weights:")
        + display(rf"C_{{\text{{after}}}} = {number(C1)}, \quad "
                  rf"\Delta C = {number(C1)} - {number(C0)} = {number(change)}")
        + paragraph(f"To first order the change should be {FIRST_ORDER} = "
                    f"{inline(number(predicted))}. " + _verdict(change, eta)),
        {"C_before": C0, "C_after": C1, "Delta C": change, "predicted Delta C": predicted,
         "network": new_net},
        **network(new_W, fp1, "after the update \u00b7 fill: a \u00b7 lines: weights")))
    return assemble("training-step",
                    f"One step of gradient descent, learning rate {format_number(eta)}",
                    steps, what)
