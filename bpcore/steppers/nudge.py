"""The nudge explorer: a measured Delta C = C(w + Delta w) - C(w) beside the prediction
dC/dw Delta w from backpropagation.

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> e = nudge_explorer(ex.net, ex.x, ex.y, weights=["w^2_11"], nudges=[-0.1, 0.1])
>>> cell = e.grid[("w^2_11", 0.1)]
>>> abs(cell["measured"] - cell["predicted"]) < 0.01 * abs(cell["predicted"])
True
"""
from __future__ import annotations

import numpy as np

from ..diagrams import nudge_png, weight_name
from ..engine import backprop, cost
from ..tex import display, factor, format_number, inline, key, number, paragraph, sym
from .assemble import assemble
from .checks import check_count, check_network, check_nudges, one_sample, parse_weights
from .model import NudgeExplorer, Step
from .pictures import Pending

__all__ = ["nudge_explorer", "DEFAULT_NUDGES"]

DEFAULT_NUDGES = (-0.5, -0.1, -0.01, 0.01, 0.1, 0.5)
DELTA_W = r"\Delta w"
PERCENT = r"\%"
SECOND_ORDER = inline(r"\tfrac{1}{2} \frac{\partial^2 C}{\partial w^2} (\Delta w)^2")


def _nudge_step(name, tex, w, dw, C0, C1, g):
    """The view of one nudge: measured against predicted, and their gap."""
    measured, predicted = C1 - C0, g * dw
    gap = measured - predicted
    rel = abs(gap) / abs(measured) if measured != 0 else float("inf")
    return Step(f"Nudge {name} by {'+' if dw > 0 else ''}{format_number(dw)}", paragraph(
        f"Move {inline(tex)} from {inline(number(w))} to {inline(number(w + dw))} "
        f"({inline(DELTA_W + ' = ' + number(dw))}), keep every other parameter, and run the "
        "sample forward again.")
        + display(rf"\text{{measured: }} \Delta C = C(w + \Delta w) - C(w) = {number(C1)} - "
                  rf"{factor(C0)} = {number(measured)}")
        + display(rf"\text{{predicted: }} \frac{{\partial C}}{{\partial {tex}}} \Delta w = "
                  rf"{factor(g)} \cdot {factor(dw)} = {number(predicted)}")
        + paragraph("(The costs are rounded to four digits; the difference comes from their "
                    "full values.)")
        + paragraph(f"They differ by {inline(number(gap))}, "
                    + (f"{inline(number(100 * rel) + PERCENT)} of the measured change. "
                       if np.isfinite(rel) else "")
                    + "The gradient describes the tangent line; the cost curves away from it "
                    f"by roughly {SECOND_ORDER}, "
                    "so a ten times smaller nudge makes the gap about a hundred times smaller."),
        {"weight": name, "w": w, "dw": dw, "C": C0, "C_nudged": C1,
         "measured": measured, "predicted": predicted, "dC/dw": g})


def _weight_picture(net, l, j, k, w, g, dws, curve, measured):
    """The weight's plot of Delta C against Delta w with the tangent, and its words."""
    edge = (l, j - 1, k - 1)
    png = Pending(nudge_png, net.sizes, edge, *curve, g, dws, measured,
                  weight_name(*edge), {edge: w})
    alt = (f"Left, the network with the weight {weight_name(*edge, plain=True)} highlighted, "
           f"from neuron {k} of layer {l - 1} to neuron {j} of layer {l}. Right, a plot of "
           f"the measured change of the cost against the nudge, from {format_number(dws[0])} "
           f"to {format_number(dws[-1])}, as a solid curve, with the tangent line of slope "
           f"dC/dw = {format_number(g)} dashed; the curve follows the line near 0 and "
           "bends away from it for larger nudges. Dots mark the nudges you can pick.")
    return png, alt


def nudge_explorer(net, x, y, loss="mse", weights=None, nudges=DEFAULT_NUDGES):
    """Nudge one weight and compare the measured change of the cost with the prediction.

    For each chosen weight w and nudge Delta w the view shows the measured
    Delta C = C(w + Delta w) - C(w), two forward passes, beside the prediction
    dC/dw Delta w from backpropagation, and their difference, which shrinks like
    (Delta w)^2.  A Dropdown picks the weight, a slider the nudge; the views are all
    precomputed, in nested Stacks linked to those two controls, so the page needs no kernel.
    Each weight has a plot of Delta C against Delta w with the tangent line.

    ``weights``: None for every weight of the network, or a list of names like ``"w^2_13"``
    or 1-based tuples (l, j, k).  ``nudges``: non-zero numbers, shown in increasing order.
    ``grid[(name, dw)]`` holds ``"C"``, ``"C_nudged"``, ``"measured"``, ``"predicted"``,
    ``"dC/dw"``, ``"w"`` and ``"dw"``.
    """
    what = "nudge_explorer"
    check_network(net, what)
    x, y = one_sample(net, x, y, loss)
    keys = parse_weights(weights, net)
    dws = check_nudges(nudges)
    # a cheap refusal before the costs are computed; assemble counts again
    check_count(len(keys) * len(dws), what,
                f"this network has {len(keys)} weights and you gave {len(dws)} nudges; pick "
                "fewer weights, e.g. weights=['w^2_11', 'w^1_21'], or fewer nudges")
    C0 = cost(net, x, y, loss)
    grads = backprop(net, x, y, loss)
    names, groups, pictures, grid = [], [], [], {}
    for l, j, k in keys:
        name = key("w", l, j, k)
        w, g = float(net.W(l)[j - 1, k - 1]), float(grads.W(l)[j - 1, k - 1])
        curve_dw = np.unique(np.concatenate([np.linspace(dws[0], dws[-1], 41), [0.0], dws]))
        curve_dc = np.array([cost(net.with_weight(l, j, k, w + d), x, y, loss) - C0
                             for d in curve_dw])
        group = [_nudge_step(name, sym("w", l, j, k), w, dw,
                             C0, cost(net.with_weight(l, j, k, w + dw), x, y, loss), g)
                 for dw in dws]
        grid.update({(name, dw): step.values for dw, step in zip(dws, group)})
        names.append(name)
        groups.append(group)
        pictures.append(_weight_picture(net, l, j, k, w, g, dws, (curve_dw, curve_dc),
                                        [grid[(name, d)]["measured"] for d in dws]))
    labels = [("+" if d > 0 else "\u2212") + format_number(abs(d)) for d in dws]
    start = min(range(len(dws)), key=lambda i: (dws[i] < 0, abs(dws[i] - 0.1)))
    return assemble(
        "nudge", "Nudge a weight: measured change of the cost against the gradient's prediction",
        groups, what, result=NudgeExplorer,
        fields=dict(weight_names=tuple(names), nudges=dws, grid=grid),
        choices=names, choice_description="Weight", choice_pictures=pictures,
        positions=labels, position_description="Nudge \u0394w", start=start)
