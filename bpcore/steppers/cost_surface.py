"""Gradient descent p_{t+1} = p_t - eta grad C(p_t) on a two-parameter cost, drawn on its
contour plot, for a few learning rates side by side.

>>> s = cost_surface_stepper(steps=5)
>>> list(s.learning_rates)
['η = 0.0300 (too small)', 'η = 0.3000 (good)', 'η = 0.4500 (too large)']
>>> s.paths['η = 0.3000 (good)'][1]     # (-2.5, 1) - 0.3 * (-2.5, 5 * 1)
array([-1.75, -0.5 ])
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from ..diagrams import surface_png
from ..tex import display, format_number, inline, number, paragraph
from .assemble import assemble
from .checks import (check_budget, check_count, check_network, check_rates, one_sample,
                     two_weights)
from .model import CostSurface, Step
from .pictures import Pending
from .surfaces import PLAIN_NAMES, SURFACES, Surface, default_extent, network_surface, verdict

__all__ = ["cost_surface_stepper"]

ETA = r"\eta"
# what one view of the cost surface adds to the page, about: its PNG in base64 and the text;
# an estimate that refuses an oversized stepper before any contour plot is drawn
SURFACE_VIEW_BYTES = 13_000


def _surface(cost_fn, grad_fn, start, net, x, y, loss, weights, what):
    """The Surface the arguments describe, and x, y as one sample when a net is given."""
    if net is not None:
        if cost_fn is not None or grad_fn is not None:
            raise ValueError("give either net (with x, y and weights) or cost_fn, not both")
        check_network(net, what)
        if x is None or y is None:
            raise ValueError("with net, give the sample too: x and y")
        x, y = one_sample(net, x, y, loss)
        return network_surface(net, x, y, loss, two_weights(weights, net))
    if cost_fn is None or isinstance(cost_fn, str):
        name = "valley" if cost_fn is None else cost_fn
        if name not in SURFACES:
            raise ValueError(f"unknown surface {name!r}; use 'valley' or 'bowl', or pass a "
                             "callable cost_fn with its grad_fn")
        if grad_fn is not None:
            raise ValueError("grad_fn goes with a callable cost_fn; the built-in surfaces have "
                             "their own gradient")
        return SURFACES[name]
    if not callable(cost_fn):
        raise TypeError(f"cost_fn must be None, 'valley', 'bowl' or a callable, got {cost_fn!r}")
    if not callable(grad_fn):
        raise TypeError("with a callable cost_fn, give grad_fn(p1, p2) returning its "
                        "gradient as two numbers; the stepper does not guess derivatives")
    if start is None:
        raise ValueError("with a callable cost_fn, give the start point, e.g. start=(1.0, -0.5)")
    return Surface(cost_fn, grad_fn, None, (0.01, 0.1, 1.0), ("p_1", "p_2"), PLAIN_NAMES,
                   r"C(p_1, p_2)")


def _descend(surface, p_start, eta, steps):
    """The points p_0..p_T, their costs and their gradients (one more than the steps)."""
    p = p_start.copy()
    ps, cs, gs = [p.copy()], [float(surface.cost(*p))], []
    for _ in range(steps):
        g = np.asarray(surface.grad(*p), dtype=float)
        if g.shape != (2,):
            raise ValueError(f"grad_fn must return two numbers, got shape {g.shape}")
        gs.append(g)
        p = p - eta * g
        ps.append(p.copy())
        cs.append(float(surface.cost(*p)))
    gs.append(np.asarray(surface.grad(*p), dtype=float))
    return np.array(ps), np.array(cs), np.array(gs)


def _step(surface, label, eta, t, ps, cs, gs, contours, box):
    """The view of step t: the point, its cost and gradient, and the update (or verdict)."""
    p, g, names = ps[t], gs[t], surface.plot_names
    text = paragraph(f"The cost: {inline(surface.formula)}. The learning rate: "
                     f"{inline(ETA + ' = ' + number(eta))}.") + display(
        rf"p_{{{t}}} = ({number(p[0])}, {number(p[1])}), \quad C(p_{{{t}}}) = {number(cs[t])}, "
        rf"\quad \nabla C(p_{{{t}}}) = ({number(g[0])}, {number(g[1])})")
    if t < len(ps) - 1:
        text += display(rf"p_{{{t + 1}}} = p_{{{t}}} - \eta \nabla C(p_{{{t}}}) = "
                        rf"({number(p[0])}, {number(p[1])}) - {number(eta)} \cdot "
                        rf"({number(g[0])}, {number(g[1])}) = ({number(ps[t + 1][0])}, "
                        rf"{number(ps[t + 1][1])})")
    else:
        text += paragraph(verdict(cs, np.linalg.norm(gs, axis=1)))
    (x0, x1), (y0, y1) = box
    shown = ps[:t + 1]
    outside = np.any((shown[:, 0] < x0) | (shown[:, 0] > x1) | (shown[:, 1] < y0)
                     | (shown[:, 1] > y1))
    alt = (f"Contour lines of the cost over {names[0]} (across) and {names[1]} (up), with the "
           f"path of gradient descent from the square at ({format_number(ps[0][0])}, "
           f"{format_number(ps[0][1])}) to the ringed point ({format_number(p[0])}, "
           f"{format_number(p[1])}) after {t} steps"
           + ("; triangles mark points outside the plotted area." if outside else "."))
    png = Pending(surface_png, *contours, ps, t, names, f"{label}, step {t}")
    return Step(f"{label}: step {t}", text,
                {"eta": eta, "t": t, "p": p.copy(), "C": float(cs[t]), "grad": g.copy()},
                png, alt)


def cost_surface_stepper(cost_fn=None, grad_fn=None, *, start=None, learning_rates=None,
                         steps=10, net=None, x=None, y=None, loss="mse",
                         weights=("w^2_11", "w^2_21"), extent=None):
    """Gradient descent p_{t+1} = p_t - eta grad C(p_t) on a two-parameter cost, drawn on
    its contour plot, for a few learning rates side by side.

    The cost is one of:

    * ``cost_fn=None`` with ``net=None``: the elongated valley C = (p_1^2 + 5 p_2^2) / 2
      (``cost_fn="valley"``; ``"bowl"`` is the round C = (p_1^2 + p_2^2) / 2), with rates
      that are too small (crawls), good (converges) and too large (oscillates and
      diverges, since eta > 2 / 5);
    * ``net`` with ``x``, ``y``, ``loss``: that network's cost as a function of the two
      ``weights`` (names like ``"w^2_11"``), all other parameters fixed, with the gradient
      from bpcore.backprop; give ``learning_rates`` (default 1, 10 and 100);
    * a callable ``cost_fn(p1, p2) -> float`` with ``grad_fn(p1, p2) -> (2,)``.

    ``learning_rates``: a list of positive numbers or a dict {label: rate}; a ToggleButtons
    picks one and the slider walks along its path, ``steps`` updates.  ``start`` is the
    first point (default: the weights' values, or the surface's own start); ``extent`` the
    plotted ((p1_min, p1_max), (p2_min, p2_max)), by default a box around the paths (points
    outside it are drawn on its edge as triangles).
    """
    what = "cost_surface_stepper"
    steps = v.positive_int(steps, "steps")
    surface = _surface(cost_fn, grad_fn, start, net, x, y, loss, weights, what)
    p_start = np.array(surface.start if start is None else start, dtype=float)
    if p_start.shape != (2,) or not np.all(np.isfinite(p_start)):
        raise ValueError(f"start must be two finite numbers, got {start!r}")
    rates = check_rates(surface.rates if learning_rates is None else learning_rates)
    n_views = len(rates) * (steps + 1)
    hint = "use fewer steps or learning rates"
    check_count(n_views, what, hint)
    check_budget(n_views * SURFACE_VIEW_BYTES, what, f" ({n_views} contour plots)", hint)

    descents = {label: _descend(surface, p_start, eta, steps) for label, eta in rates.items()}
    if extent is None:
        extent = default_extent(p_start, [ps for ps, _, _ in descents.values()])
    (x0, x1), (y0, y1) = np.asarray(extent, dtype=float)
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"extent must be ((p1_min, p1_max), (p2_min, p2_max)), got {extent!r}")
    g0, g1 = np.linspace(x0, x1, 41), np.linspace(y0, y1, 41)
    contours = (g0, g1, np.array([[surface.cost(a, b) for a in g0] for b in g1], dtype=float))
    groups = [[_step(surface, label, eta, t, *descents[label], contours, ((x0, x1), (y0, y1)))
               for t in range(steps + 1)] for label, eta in rates.items()]
    return assemble(
        "cost-surface", "Gradient descent on a cost surface: pick a learning rate, then step",
        groups, what, result=CostSurface,
        fields=dict(learning_rates=rates,
                    paths={label: d[0] for label, d in descents.items()},
                    costs={label: d[1] for label, d in descents.items()}),
        choices=list(rates), choice_description="Rate", choice_style="toggle")
