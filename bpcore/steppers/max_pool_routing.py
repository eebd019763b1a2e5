"""Where max pooling sends delta, window by window.

Max pooling keeps the largest entry of each size x size window.  Backwards, the window's
delta goes to that entry and every other entry of the window receives 0: the maximum is
locally the identity of one input and constant in the others.  On a tie the first maximum
in reading order receives all of it (bpcore.conv's rule, which the stepper states where it
applies).  The last view compares the routed gradient with
:func:`bpcore.conv.max_pool2d_gradients`.

>>> import numpy as np
>>> x = np.array([[1.0, 2.0], [2.0, 0.0]])
>>> s = max_pool_routing_stepper(x, np.array([[5.0]]), 2)
>>> [st.title for st in s.steps]
['The input and the error', 'Window (1, 1)', 'Every window routed']
>>> s.steps[1].values["winner"], s.steps[1].values["ties"]
((1, 2), 2)
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from .. import conv
from ..figures.convolution import describe_grid, grids_png
from ..tex import inline, matrix, number, paragraph
from .assemble import assemble
from .checks import check_count
from .model import Step
from .pictures import Pending, vmax

__all__ = ["max_pool_routing_stepper", "MAX_SIDE"]

MAX_SIDE = 8


def max_pool_routing_stepper(x, delta, size=2):
    """Step through max pooling's backward pass on one 2-D input ``x`` (h, w) with
    ``delta`` = dC/d(pooled output), (h/size, w/size).

    Views: the inputs; one per window (reading order) with its maximum marked, the entry
    that receives delta and dC/dx so far; the result beside bpcore.conv's.  ``values``:
    ``"winner"`` (1-based row, column in x), ``"ties"`` (how many entries share the
    maximum), ``"dC/dx so far"``; ``"dC/dx"`` in the last view.  Raises TypeError or
    ValueError for shapes that do not fit, inputs larger than ``MAX_SIDE`` or NaN/inf.
    """
    what = "max_pool_routing_stepper"
    x = v.as_float_array(x, "x")
    delta = v.as_float_array(delta, "delta")
    if x.ndim != 2:
        raise ValueError(f"{what} follows one channel of one image: x must be 2-D (h, w), got "
                         f"shape {x.shape}; for a batch use x[0, 0]")
    if max(x.shape) > MAX_SIDE:
        raise ValueError(f"{what} draws every entry and shows inputs of at most {MAX_SIDE} x "
                         f"{MAX_SIDE}, got {x.shape}; crop the input")
    # bpcore.conv checks size, divisibility and delta's shape, with its own messages
    full = conv.max_pool2d_gradients(x[None, None], size, delta.reshape(1, 1, *delta.shape)
                                     if delta.ndim == 2 else delta)[0, 0]
    h_out, w_out = delta.shape
    check_count(h_out * w_out + 2, what, hint="use a smaller input")
    pooled = conv.max_pool2d(x[None, None], size)[0, 0]
    scale_x, scale_d = vmax(x), vmax(delta)

    def view(window, mark, cell, grad):
        panels = [dict(values=x, title="input x", window=window, mark=mark, vmax=scale_x),
                  dict(values=delta, title="δ (pooled)",
                       mark=[cell] if cell else (), vmax=scale_d),
                  dict(values=grad, title="∂C/∂x so far", window=window, vmax=scale_d)]
        alt = " ".join([describe_grid("The input x", x, window, mark),
                        describe_grid("The error of the pooled output", delta,
                                      mark=[cell] if cell else ()),
                        describe_grid("dC/dx so far", grad, window)])
        return dict(png=Pending(grids_png, panels), alt=alt)

    grad = np.zeros_like(x)
    steps = [Step("The input and the error", paragraph(
        f"Max pooling with {size}×{size} windows turned the {x.shape[0]}×{x.shape[1]} input "
        f"into {h_out}×{w_out} maxima, " + inline(matrix(pooled)) + ". Backpropagation has "
        "delivered δ for each of them. Inside a window, the maximum depends on one entry "
        "only, the largest, with slope 1; a small change of any other entry leaves it "
        "unchanged. So each δ goes to its window's maximum, and the other entries get 0."),
        {"dC/dx so far": grad.copy()}, **view(None, (), None, grad))]
    for r in range(h_out):
        for q in range(w_out):
            window = x[r * size:(r + 1) * size, q * size:(q + 1) * size]
            first = int(np.argmax(window))
            i, j = divmod(first, size)
            ties = int(np.sum(window == window.max()))
            grad = grad.copy()
            grad[r * size + i, q * size + j] = delta[r, q]
            where = f"row {r * size + i + 1}, column {q * size + j + 1}"
            tie = ("" if ties == 1 else
                   f" The maximum {inline(number(window.max()))} appears {ties} times here: a tie. "
                   "There the maximum has no derivative, only one-sided ones; bpcore.conv "
                   "follows PyTorch and gives all of δ to the first maximum in reading order "
                   "(row by row, left to right), and 0 to the others. Nothing is split, so "
                   "the δ that leaves the layer adds up to the δ that came in.")
            steps.append(Step(f"Window ({r + 1}, {q + 1})", paragraph(
                f"The window of rows {r * size + 1}–{(r + 1) * size} and columns "
                f"{q * size + 1}–{(q + 1) * size} has its maximum {inline(number(window.max()))} at "
                f"{where}. It receives δ = {inline(number(delta[r, q]))}; the other "
                f"{size * size - 1} entries of the window receive 0.{tie}"),
                {"winner": (r * size + i + 1, q * size + j + 1), "ties": ties,
                 "dC/dx so far": grad.copy()},
                **view((r * size, q * size, size, size), [(r * size + i, q * size + j)],
                       (r, q), grad)))
    gap = float(np.max(np.abs(grad - full)))
    steps.append(Step("Every window routed", paragraph(
        f"Each of the {h_out * w_out} δ values sits at its window's maximum, and "
        f"{int(np.sum(grad == 0))} of the {x.size} entries receive nothing. "
        "bpcore.conv.max_pool2d_gradients gives the same array (largest difference "
        f"{inline(number(gap))})."), {"dC/dx": full, "dC/dx so far": grad.copy()},
        **view(None, (), None, grad)))
    return assemble("max-pool-routing", "Where max pooling sends δ", steps, what)
