"""The kernel gradient of a convolution, position by position.

One image x (one channel), the error delta = dC/dz of the correlation z = conv2d(x, K)
(stride 1, no padding).  The kernel visits every position (r, q); there, BP4 gives the
contribution delta[r, q] * x[r:r+k, q:q+k] to dC/dK, and because the kernel is the same at
every position these contributions add.  The stepper shows the patch, the delta entry and
dC/dK accumulating, and ends at :func:`bpcore.conv.conv2d_gradients`'s kernel gradient.
The kernel itself is not needed: the gradient depends on x and delta only.

>>> import numpy as np
>>> s = conv_kernel_gradient_stepper(np.arange(9.0).reshape(3, 3), np.ones((2, 2)))
>>> [st.title for st in s.steps][:2], len(s.steps)
(['The image and the error', 'Position (0, 0)'], 6)
>>> s.steps[-1].values["dC/dK"].tolist()
[[8.0, 12.0], [20.0, 24.0]]
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from .. import conv
from ..figures.convolution import describe_grid, grids_png
from ..tex import display, factor, inline, matrix, number, paragraph
from .assemble import assemble
from .checks import check_count
from .model import Step
from .pictures import Pending, vmax

__all__ = ["conv_kernel_gradient_stepper", "MAX_SIDE"]

MAX_SIDE = 8           # pixels per side that fit a readable grid


def _check(x, delta, what):
    x = v.as_float_array(x, "x")
    delta = v.as_float_array(delta, "delta")
    if x.ndim != 2 or delta.ndim != 2:
        raise ValueError(f"{what} follows one image of one channel: x and delta must be 2-D, "
                         f"got x of shape {x.shape} and delta of shape {delta.shape}; for a "
                         "batch use x[0, 0] and delta[0, 0]")
    if max(x.shape) > MAX_SIDE:
        raise ValueError(f"{what} draws every pixel and shows images of at most {MAX_SIDE} x "
                         f"{MAX_SIDE}, got {x.shape}; crop the image")
    k_h, k_w = x.shape[0] - delta.shape[0] + 1, x.shape[1] - delta.shape[1] + 1
    if k_h < 1 or k_w < 1:
        raise ValueError(f"delta {delta.shape} cannot be the output of a correlation of x "
                         f"{x.shape} (stride 1, no padding): it must be smaller than x, of "
                         "shape (h - k + 1, w - k + 1)")
    return x, delta, k_h, k_w


def conv_kernel_gradient_stepper(x, delta):
    """Step through dC/dK = sum over positions of delta[r, q] x[r:r+k_h, q:q+k_w].

    ``x``: one image, (h, w); ``delta``: dC/dz, (h - k_h + 1, w - k_w + 1), which fixes the
    kernel's size.  Views: the inputs, one per position (reading order) with the patch,
    delta[r, q], the contribution and dC/dK so far, and the complete gradient beside
    bpcore.conv's.  ``values``: ``"delta[r,q]"``, ``"contribution"``, ``"dC/dK so far"`` (as
    arrays), and ``"dC/dK"`` in the last view.  Raises TypeError or ValueError for arrays
    that are not 2-D, do not fit, are larger than ``MAX_SIDE`` or hold NaN or inf.
    """
    what = "conv_kernel_gradient_stepper"
    x, delta, k_h, k_w = _check(x, delta, what)
    h_out, w_out = delta.shape
    check_count(h_out * w_out + 2, what, hint="use a smaller image or a larger kernel")
    scale_x, scale_d = vmax(x), vmax(delta)
    _, full, _ = conv.conv2d_gradients(x[None, None], np.zeros((1, 1, k_h, k_w)), np.zeros(1),
                                       delta[None, None])
    full = full[0, 0]
    scale_g = vmax(full, *(delta[r, q] * x[r:r + k_h, q:q + k_w]
                           for r in range(h_out) for q in range(w_out)))

    def view(window, cell, grad, blank):
        panels = [dict(values=x, title="image x", window=window, vmax=scale_x),
                  dict(values=delta, title="δ = ∂C/∂z", mark=[cell] if cell else (),
                       vmax=scale_d),
                  dict(values=grad, title="∂C/∂K so far", vmax=scale_g, blank=blank)]
        alt = " ".join([describe_grid("The image x", x, window),
                        describe_grid("The error delta", delta, mark=[cell] if cell else ()),
                        describe_grid("dC/dK so far", grad, blank=blank)])
        return dict(png=Pending(grids_png, panels), alt=alt)

    grad = np.zeros((k_h, k_w))
    steps = [Step("The image and the error", paragraph(
        f"The kernel, {k_h}×{k_w}, visits {h_out * w_out} positions of the {x.shape[0]}×"
        f"{x.shape[1]} image. At position $(r, q)$ (indices count from 0, as in the chapter "
        "and in numpy) it computes "
        r"$z_{rq} = \sum_{ij} K_{ij}\, x_{r+i,\, q+j} + b$, so the same weight $K_{ij}$ "
        "meets a different pixel at every position. Its gradient collects one term per "
        "position:") + display(r"\frac{\partial C}{\partial K_{ij}} = \sum_{r,q} "
                               r"\delta_{rq}\, x_{r+i,\, q+j}"),
        {"dC/dK so far": grad.copy()},
        **view(None, None, grad, np.ones_like(grad, dtype=bool)))]
    for r in range(h_out):
        for q in range(w_out):
            patch = x[r:r + k_h, q:q + k_w]
            term = delta[r, q] * patch
            grad = grad + term
            text = (paragraph(f"Position $({r}, {q})$: the kernel covers rows "
                              f"{r}–{r + k_h - 1} and columns {q}–{q + k_w - 1}. BP4 at this "
                              "position is $\\delta_{rq}$ times the patch:")
                    + display(f"{factor(delta[r, q])} \\cdot {matrix(patch)} = {matrix(term)}")
                    + paragraph("Added to what the earlier positions gave:")
                    + display(r"\frac{\partial C}{\partial K} \mathrel{+}= "
                              + matrix(term) + " = " + matrix(grad)))
            steps.append(Step(f"Position ({r}, {q})", text,
                              {f"delta[{r},{q}]": float(delta[r, q]),
                               "contribution": term, "dC/dK so far": grad.copy()},
                              **view((r, q, k_h, k_w), (r, q), grad, None)))
    gap = float(np.max(np.abs(grad - full)))
    steps.append(Step("Every position added", paragraph(
        f"After all {h_out * w_out} positions the sum is the kernel gradient. "
        "bpcore.conv.conv2d_gradients computes it as one matrix product, δ times the patches "
        f"transposed (BP4 with the positions as columns); the two differ by at most "
        f"{inline(number(gap))}.") + display(r"\frac{\partial C}{\partial K} = " + matrix(full)),
        {"dC/dK": full, "dC/dK so far": grad.copy()}, **view(None, None, grad, None)))
    return assemble("conv-kernel-gradient", "The kernel gradient, position by position",
                    steps, what)
